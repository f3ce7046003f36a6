"""Timekeeping and payroll on a hand-made studio: three people, three slots, one refund."""
import io
from datetime import date

import pandas as pd
import pytest

import contract
from contract.plan import StaffingPlan
from workflows.payroll import PayrollSettings, Period, last_start_by, needs_a_look, net_gmv, pay, timesheet

HOSTS_CSV = """host_id,name,tier,categories,hourly_rate,commission_rate,max_hours_per_week,role
H1,Ana,A,beauty,30,0.05,20,host
H2,Bo,B,beauty|skincare,45,0,20,host
A1,Cy,C,beauty,20,0,20,assistant
"""
SLOTS_CSV = """slot_id,channel,start,end,product_tier,category,assistants_needed
S1,shopA,2026-11-30T19:00:00,2026-11-30T21:00:00,hero,beauty,1
S2,shopB,2026-11-30T10:00:00,2026-11-30T12:00:00,core,skincare,0
S3,shopA,2026-12-01T19:00:00,2026-12-01T20:00:00,longtail,beauty,0
S4,shopA,2026-12-08T19:00:00,2026-12-08T20:00:00,longtail,beauty,0
"""
# X1 names its slot; X2 does not and is matched by channel and overlap, 12 minutes late; S3 never ran.
SESSIONS_CSV = """session_id,channel,host_id,slot_id,start,end,viewers,views,avg_watch_seconds,product_impressions,product_clicks,orders,gmv
X1,shopA,H1,S1,2026-11-30T19:00:00,2026-11-30T21:00:00,900,1500,60,400,90,20,1000
X2,shopB,H2,,2026-11-30T10:12:00,2026-11-30T12:00:00,500,800,50,200,40,10,500
"""
SKU_CSV = """session_id,sku,product_tier,units_sold,units_refunded,gmv
X1,SKU1,hero,20,1,1000
"""
ASSIGNMENTS_CSV = "slot_id,host_id,reason\nS1,H1,\nS2,H2,\nS3,H2,\nS4,H1,\n"
ASSISTANTS_CSV = "slot_id,assistant_id\nS1,A1\n"
WEEK = Period(date(2026, 11, 30), date(2026, 12, 6))
AFTER = pd.Timestamp("2026-12-07T09:00")  # the week is over when its timesheet is read


def text(csv: str) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(csv), dtype=str, keep_default_na=False)


def studio() -> dict[str, pd.DataFrame]:
    """The hand-made studio, validated by the contract like a real export."""
    return {
        "hosts": contract.parse_table(text(HOSTS_CSV), contract.HOSTS),
        "slots": contract.parse_table(text(SLOTS_CSV), contract.SLOTS),
        "sessions": contract.parse_table(text(SESSIONS_CSV), contract.SESSIONS),
        "sku_sales": contract.parse_table(text(SKU_CSV), contract.SKU_SALES),
    }


def plan() -> StaffingPlan:
    return StaffingPlan.from_frames(text(ASSIGNMENTS_CSV), text(ASSISTANTS_CSV))


def week_sheet(settings: PayrollSettings = PayrollSettings()) -> pd.DataFrame:
    s = studio()
    return timesheet(plan(), s["slots"], s["hosts"], s["sessions"], s["sku_sales"], WEEK, settings, now=AFTER)


def test_net_gmv_takes_refunds_off_sku_rows_and_falls_back_to_session_gmv():
    s = studio()
    assert net_gmv(s["sessions"], s["sku_sales"]).to_dict() == {"X1": 950.0, "X2": 500.0}


def test_timesheet_lists_late_start_and_no_show_and_credits_the_assistant():
    sheet = week_sheet().set_index(["person_id", "slot_id"])
    assert sorted(sheet.index) == [("A1", "S1"), ("H1", "S1"), ("H2", "S2"), ("H2", "S3")]  # S4 is next week
    assert sheet.loc[("H1", "S1"), "flag"] == ""
    late = sheet.loc[("H2", "S2")]
    assert late.flag == "late start" and late.late_min == 12 and late.actual_h == pytest.approx(1.8)
    assert late.session_ids == "X2"
    missed = sheet.loc[("H2", "S3")]
    assert missed.flag == "no-show" and missed.actual_h == 0 and pd.isna(missed.actual_start)
    helper = sheet.loc[("A1", "S1")]
    assert (helper.role, helper.actual_h, helper.net_gmv) == ("assistant", 2.0, 950.0)


def test_a_slot_that_has_not_started_is_upcoming_not_a_no_show():
    s = studio()
    two_weeks = Period(date(2026, 11, 30), date(2026, 12, 13))
    # Tuesday 1 December 18:00: S1 and S2 ran on Monday; S3 starts at 19:00 today and S4 next Tuesday.
    sheet = timesheet(plan(), s["slots"], s["hosts"], s["sessions"], s["sku_sales"], two_weeks,
                      now=pd.Timestamp("2026-12-01T18:00")).set_index(["person_id", "slot_id"])
    assert sheet["flag"].to_dict() == {("A1", "S1"): "", ("H1", "S1"): "", ("H1", "S4"): "upcoming",
                                       ("H2", "S2"): "late start", ("H2", "S3"): "upcoming"}
    assert needs_a_look(sheet).tolist() == [False, False, False, True, False]
    # At 19:00 S3 has started and nobody is on air: from then on it is a no-show.
    sheet = timesheet(plan(), s["slots"], s["hosts"], s["sessions"], s["sku_sales"], two_weeks,
                      now=pd.Timestamp("2026-12-01T19:00")).set_index("slot_id")
    assert sheet.loc["S3", "flag"] == "no-show" and sheet.loc["S4", "flag"] == "upcoming"


def test_the_timesheet_clock_moves_only_when_a_slot_starts():
    slots = studio()["slots"]  # S1 and S2 on Monday, S3 Tuesday 19:00, S4 next Tuesday
    s3 = slots.set_index("slot_id").at["S3", "start"]
    between = last_start_by(slots, pd.Timestamp("2026-12-01T18:00"))
    assert between == last_start_by(slots, pd.Timestamp("2026-12-01T18:59")) < s3
    assert last_start_by(slots, s3) == s3 == last_start_by(slots, pd.Timestamp("2026-12-01T23:00"))
    assert last_start_by(slots, pd.Timestamp("2026-11-01")) == slots["start"].min() - pd.Timedelta(minutes=1)
    s = studio()
    two_weeks = Period(date(2026, 11, 30), date(2026, 12, 13))
    for now in (pd.Timestamp("2026-12-01T18:00"), pd.Timestamp("2026-12-01T19:30")):  # the same timesheet
        exact = timesheet(plan(), slots, s["hosts"], s["sessions"], s["sku_sales"], two_weeks, now=now)
        pd.testing.assert_frame_equal(exact, timesheet(plan(), slots, s["hosts"], s["sessions"], s["sku_sales"],
                                                       two_weeks, now=last_start_by(slots, now)))


def test_late_start_within_the_tolerance_is_not_flagged():
    sheet = week_sheet(PayrollSettings(late_start_minutes=15)).set_index("slot_id")
    assert sheet.loc["S2", "flag"] == ""


def test_early_end_and_a_stand_in_host_are_flagged():
    s = studio()
    sessions = s["sessions"].copy()
    sessions.loc[0, "end"] = pd.Timestamp("2026-11-30T20:30:00")
    sessions.loc[0, "host_id"] = "H2"
    sheet = timesheet(plan(), s["slots"], s["hosts"], sessions, s["sku_sales"], WEEK, now=AFTER)
    sheet = sheet.set_index(["person_id", "slot_id"])
    assert sheet.loc[("H1", "S1"), "flag"] == "early end; on air: H2"
    assert sheet.loc[("A1", "S1"), "flag"] == "early end"  # an assistant is never "swapped"


def test_pay_with_commission_on_net_gmv_after_a_refund():
    paid = pay(week_sheet(), studio()["hosts"], WEEK).set_index("person_id")
    ana = paid.loc["H1"]
    # 2 h at $30 + 5 % of ($1,000 less one $50 unit refunded)
    assert (ana.hourly_pay, ana.net_gmv, ana.commission, ana.total) == (60.0, 950.0, 47.5, 107.5)
    assert paid.loc["A1", "total"] == 40.0 and paid.loc["A1", "commission"] == 0  # assistant, rate 0
    assert paid.loc["H2", "scheduled_hours"] == 3.0 and paid.loc["H2", "total"] == 135.0
    assert paid.loc["H2", "period_start"] == "2026-11-30" and paid.loc["H2", "period_end"] == "2026-12-06"


def test_pay_on_actual_hours():
    settings = PayrollSettings(pay_basis="actual")
    paid = pay(week_sheet(settings), studio()["hosts"], WEEK, settings).set_index("person_id")
    assert paid.loc["H2", "actual_hours"] == pytest.approx(1.8)
    assert paid.loc["H2", "hourly_pay"] == 81.0  # 1.8 h × $45, the no-show earns nothing


def test_bad_period_and_basis_are_refused():
    with pytest.raises(ValueError, match="ends .* before it starts"):
        Period(date(2026, 12, 6), date(2026, 11, 30))
    with pytest.raises(ValueError, match="pay basis 'weekly'"):
        PayrollSettings(pay_basis="weekly")


def test_plan_naming_an_unknown_person_names_file_row_and_column():
    s = studio()
    bad = StaffingPlan.from_frames(text(ASSIGNMENTS_CSV.replace("S4,H1", "S4,Z9")), text(ASSISTANTS_CSV))
    with pytest.raises(contract.DataError, match=r"assignments.csv, row 5, column host_id: 'Z9' is not in hosts.csv"):
        timesheet(bad, s["slots"], s["hosts"], s["sessions"], s["sku_sales"], WEEK, now=AFTER)
