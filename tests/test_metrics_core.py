"""The scorecard's formulas, hand-computed on a tiny studio: every metric, every awkward session."""
import io

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from contract import SESSIONS, SKU_SALES, VIEWER_MINUTES, parse_table
from metrics import METRICS, average_curves, retention_curves, retention_summary, scorecard, sku_velocity, with_keys

NAN = np.nan


def table(text: str, schema) -> pd.DataFrame:
    """A contract frame from CSV text, typed exactly as load_results would type it."""
    return parse_table(pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False), schema)


# s1: an ordinary stream.  s2: crosses midnight, nobody watched (no viewers, views, clicks, impressions).
# s3: a guest host (g9 is in no hosts.csv), no product clicks.  s4: no host yet, no SKU rows.
STUDIO_SESSIONS = table("""\
session_id,channel,host_id,start,end,viewers,views,avg_watch_seconds,product_impressions,product_clicks,orders,gmv
s1,shopA,h1,2026-11-23T19:00:00,2026-11-23T21:00:00,100,400,90,1000,50,5,250
s2,shopA,h1,2026-11-23T23:00:00,2026-11-24T01:00:00,0,0,0,0,0,0,0
s3,shopB,g9,2026-11-24T10:00:00,2026-11-24T11:30:00,200,500,45,400,0,2,60
s4,shopB,,2026-11-24T12:00:00,2026-11-24T13:00:00,50,100,120,200,20,4,80
""", SESSIONS)
STUDIO_SKUS = table("""\
session_id,sku,product_tier,units_sold,units_refunded,gmv
s1,A1,hero,6,2,150
s1,B1,core,4,0,100
s3,A1,hero,3,1,60
""", SKU_SALES)


def expected(rows: list[list], keys: list[str]) -> pd.DataFrame:
    """A scorecard frame from hand-computed rows, with the dtypes the scorecard promises."""
    frame = pd.DataFrame(rows, columns=keys + list(METRICS))
    for name in keys:
        frame[name] = frame[name].astype("int64" if name == "hour" else "str")
    ints = ["sessions", "viewers", "views", "orders", "product_clicks", "product_impressions", "units_net"]
    return frame.astype({**{c: "int64" for c in ints}, **{c: "float64" for c in METRICS if c not in ints}})


def test_scorecard_by_date_and_host_hand_computed():
    got = scorecard(STUDIO_SESSIONS, STUDIO_SKUS, ["date", "host_id"])
    want = expected([
        # s1 + s2 (s2 starts on the 23rd although it ends on the 24th; 2 + 2 live hours).
        # retention = (100*90 + 0*0) / (100*7200 + 0*7200); conversion is orders/viewers of the group.
        ["2026-11-23", "h1", 2, 4.0, 100, 400, 5, 250.0, 50, 1000, 8,
         0.05, 0.1, 0.05, 9000 / 720000, 62.5, 2.0, 625.0],
        # s4: the empty host is a group of its own; no SKU rows -> units_net 0, units_per_hour 0.
        ["2026-11-24", "", 1, 1.0, 50, 100, 4, 80.0, 20, 200, 0,
         0.08, 0.2, 0.1, 6000 / 180000, 80.0, 0.0, 800.0],
        # s3: the guest host is grouped like anyone; 0 clicks -> click_to_order empty, ctr 0.
        ["2026-11-24", "g9", 1, 1.5, 200, 500, 2, 60.0, 0, 400, 2,
         0.01, NAN, 0.0, 9000 / 1080000, 40.0, 2 / 1.5, 120.0],
    ], ["date", "host_id"])
    assert_frame_equal(got, want)


def test_zero_denominators_are_empty_not_zero_or_inf():
    got = scorecard(STUDIO_SESSIONS, STUDIO_SKUS, ["hour"])
    midnight = got.loc[got["hour"] == 23].reset_index(drop=True)
    want = expected([[23, 1, 2.0, 0, 0, 0, 0.0, 0, 0, 0, NAN, NAN, NAN, NAN, 0.0, 0.0, NAN]], ["hour"])
    assert_frame_equal(midnight, want)
    assert list(got["hour"]) == [10, 12, 19, 23]


def test_total_is_a_ratio_of_sums_not_a_mean_of_rates():
    got = scorecard(STUDIO_SESSIONS, STUDIO_SKUS, [])
    want = expected([[4, 6.5, 350, 1000, 11, 390.0, 70, 1600, 10,
                      11 / 350, 11 / 70, 70 / 1600, (9000 + 9000 + 6000) / (720000 + 1080000 + 180000),
                      390 / 6.5, 10 / 6.5, 390.0]], [])
    assert_frame_equal(got, want)


def test_scorecard_by_week_and_channel():
    got = scorecard(STUDIO_SESSIONS, STUDIO_SKUS, ["week", "channel"])
    assert list(got["week"]) == ["2026-W48", "2026-W48"]
    assert list(got["channel"]) == ["shopA", "shopB"]
    assert list(got["sessions"]) == [2, 2]
    assert list(got["units_net"]) == [8, 2]
    assert got["live_hours"].tolist() == [4.0, 2.5]


def test_keys_of_a_session():
    keyed = with_keys(STUDIO_SESSIONS, STUDIO_SKUS).set_index("session_id")
    assert keyed.loc["s2", ["date", "week", "weekday", "hour"]].tolist() == ["2026-11-23", "2026-W48", "Mon", 23]
    # Tier with the most net GMV: s1 hero 150 * 4/6 sold units kept = 100 vs core 100 -> the higher tier.
    assert keyed["product_tier"].tolist() == ["hero", "unknown", "hero", "unknown"]
    assert keyed["category"].tolist() == ["unknown"] * 4
    richer_core = STUDIO_SKUS.assign(gmv=[150.0, 101.0, 60.0])
    assert with_keys(STUDIO_SESSIONS, richer_core)["product_tier"].tolist()[0] == "core"


def test_session_columns_product_tier_and_category_win_over_the_sku_guess():
    sessions = STUDIO_SESSIONS.assign(product_tier=["hero", "core", "core", "longtail"],
                                      category=["beauty", "beauty", "home", "home"])
    got = scorecard(sessions, STUDIO_SKUS, ["category", "product_tier"])
    assert got[["category", "product_tier", "sessions"]].values.tolist() == [
        ["beauty", "core", 1], ["beauty", "hero", 1], ["home", "core", 1], ["home", "longtail", 1]]


def test_weekday_sorts_monday_first():
    got = scorecard(STUDIO_SESSIONS, STUDIO_SKUS, ["weekday"])
    assert got["weekday"].tolist() == ["Mon", "Tue"]


def test_unknown_key_lists_the_allowed_ones():
    with pytest.raises(ValueError, match="'shop'.*date, week, channel, host_id"):
        scorecard(STUDIO_SESSIONS, STUDIO_SKUS, ["shop"])


def test_scorecard_by_sku_is_the_skus_own_units_over_its_sessions():
    got = scorecard(STUDIO_SESSIONS, STUDIO_SKUS, ["sku"]).set_index("sku")
    # A1 sold in s1 (2 h) and s3 (1.5 h): its own 4 + 2 net units and 150 + 60 GMV.
    assert got.loc["A1", ["sessions", "live_hours", "units_net", "gmv", "viewers"]].tolist() == [2, 3.5, 6, 210, 300]
    assert got.loc["A1", "units_per_hour"] == pytest.approx(6 / 3.5)
    assert got.loc["A1", "gmv_per_hour"] == pytest.approx(210 / 3.5)
    assert got.loc["B1", ["sessions", "live_hours", "units_net", "gmv"]].tolist() == [1, 2.0, 4, 100]


# --- SKU velocity: P sells in v1 and v3 but not v2 of week 48, and not at all in week 49.
VELOCITY_SESSIONS = table("""\
session_id,channel,host_id,start,end,viewers,views,avg_watch_seconds,product_impressions,product_clicks,orders,gmv
v1,shopA,h1,2026-11-23T10:00:00,2026-11-23T12:00:00,10,10,10,10,1,1,10
v2,shopA,h1,2026-11-25T10:00:00,2026-11-25T11:00:00,10,10,10,10,1,1,10
v3,shopA,h2,2026-11-27T18:00:00,2026-11-27T21:00:00,10,10,10,10,1,1,10
v4,shopA,h2,2026-12-01T18:00:00,2026-12-01T20:00:00,10,10,10,10,1,1,10
""", SESSIONS)
VELOCITY_SKUS = table("""\
session_id,sku,product_tier,units_sold,units_refunded,gmv
v1,P,hero,4,0,40
v3,P,hero,6,1,60
v2,Q,core,3,0,15
v4,Q,core,2,0,10
""", SKU_SALES)


def velocity_frame(rows: list[list]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["week", "sku", "sessions", "live_hours", "units_net", "gmv",
                                        "units_per_hour", "fast_mover", "stalled"])
    return frame.astype({"week": "str", "sku": "str", "sessions": "int64", "live_hours": "float64",
                         "units_net": "int64", "gmv": "float64", "units_per_hour": "float64",
                         "fast_mover": "bool", "stalled": "bool"})


def test_sku_velocity_counts_only_the_sessions_the_sku_sold_in():
    got = sku_velocity(VELOCITY_SESSIONS, VELOCITY_SKUS, ["week"])
    want = velocity_frame([
        ["2026-W48", "P", 2, 5.0, 9, 100.0, 9 / 5, False, False],   # v1 + v3, not v2's hour
        ["2026-W48", "Q", 1, 1.0, 3, 15.0, 3.0, False, False],
        ["2026-W49", "P", 0, 0.0, 0, 0.0, NAN, False, True],        # sold before, nothing in the latest week
        ["2026-W49", "Q", 1, 2.0, 2, 10.0, 1.0, False, False],
    ])
    assert_frame_equal(got, want)


def test_sku_velocity_stock_columns():
    stock = pd.DataFrame({"sku": ["P"], "on_hand": [11.0]})
    got = sku_velocity(VELOCITY_SESSIONS, VELOCITY_SKUS, ["week"], inventory=stock)
    p48 = got.iloc[0]
    assert p48["sell_through"] == pytest.approx(9 / 20)
    assert p48["days_of_cover"] == pytest.approx(11 / (9 / 7))
    assert np.isnan(got.iloc[2]["days_of_cover"])  # nothing sold in W49: cover is unknown, not infinite
    assert got.loc[got["sku"] == "Q", "on_hand"].isna().all()


def test_deciles_flag_the_fastest_and_slowest_of_ten():
    header = "session_id,channel,host_id,start,end,viewers,views,avg_watch_seconds,"
    header += "product_impressions,product_clicks,orders,gmv\n"
    sessions = table(header + "d1,shopA,h1,2026-11-23T10:00:00,2026-11-23T12:00:00,1,1,1,1,1,1,1\n", SESSIONS)
    skus = table("session_id,sku,product_tier,units_sold,gmv\n"
                 + "".join(f"d1,K{n:02d},core,{n},{n}\n" for n in range(1, 11)), SKU_SALES)
    got = sku_velocity(sessions, skus, [], min_sessions=1)
    assert got.loc[got["fast_mover"], "sku"].tolist() == ["K10"]
    assert got.loc[got["stalled"], "sku"].tolist() == ["K01"]
    few = sku_velocity(sessions, skus.iloc[:9], [], min_sessions=1)
    assert not few["fast_mover"].any() and not few["stalled"].any()
    assert not sku_velocity(sessions, skus, [])[["fast_mover", "stalled"]].any().any()  # 1 session < 3


# --- Retention: r1 peaks at minute 2 and loses 33 viewers between minutes 4 and 9.
MINUTES = table("session_id,minute,concurrent_viewers\n"
                + "".join(f"r1,{m},{v}\n" for m, v in enumerate([10, 20, 40, 40, 38, 30, 20, 18, 17, 5]))
                + "r2,0,1\nr2,1,2\nr2,2,3\n"          # only rises: no drop
                + "r3,0,0\nr3,1,0\n"                  # nobody watched
                + "r5,0,50\nr5,10,10\nr5,11,5\n",     # gap: minutes 1-9 missing
                VIEWER_MINUTES)
RETENTION_SESSIONS = table(
    "session_id,channel,host_id,start,end,viewers,views,avg_watch_seconds,product_impressions,"
    "product_clicks,orders,gmv\n"
    + "".join(f"{s},shopA,{h},2026-11-23T10:00:00,2026-11-23T11:00:00,1,1,1,1,1,1,1\n"
              for s, h in [("r1", "h1"), ("r2", "h1"), ("r3", "h2"), ("r4", "h2"), ("r5", "h2")]), SESSIONS)


def test_retention_summary_hand_made_curves():
    got = retention_summary(MINUTES, RETENTION_SESSIONS)
    want = pd.DataFrame({
        "session_id": pd.Series(["r1", "r2", "r3", "r4", "r5"], dtype="str"),
        "peak_minute": pd.array([2, 2, 0, None, 0], dtype="Int64"),
        "peak_viewers": pd.array([40, 3, 0, None, 50], dtype="Int64"),
        "steepest_drop_minute": pd.array([4, None, None, None, 10], dtype="Int64"),
        "steepest_drop_share": [33 / 40, 0.0, NAN, NAN, 5 / 50],
    })
    assert_frame_equal(got, want)
    # Without r5's gap every session is minute by minute (a faster path): same answers.
    consecutive = retention_summary(MINUTES[MINUTES["session_id"] != "r5"], RETENTION_SESSIONS)
    assert_frame_equal(consecutive.iloc[:4], want.iloc[:4])
    assert consecutive.iloc[4, 1:].isna().all()


def test_retention_of_no_minutes_is_empty_not_an_error():
    assert retention_curves(MINUTES.iloc[:0]).empty
    assert retention_summary(MINUTES.iloc[:0], RETENTION_SESSIONS).iloc[:, 1:].isna().all().all()
    assert average_curves(MINUTES.iloc[:0], RETENTION_SESSIONS).empty


def test_retention_does_not_depend_on_row_order():
    shuffled = MINUTES.sample(frac=1, random_state=3).reset_index(drop=True)
    assert_frame_equal(retention_summary(shuffled, RETENTION_SESSIONS),
                       retention_summary(MINUTES, RETENTION_SESSIONS))
    ordered = retention_curves(shuffled).sort_values(["session_id", "minute"]).reset_index(drop=True)
    assert_frame_equal(ordered, retention_curves(MINUTES))


def test_retention_curves_share_of_peak():
    curves = retention_curves(MINUTES)
    r1 = curves.loc[curves["session_id"] == "r1", "share_of_peak"].tolist()
    assert r1 == pytest.approx([0.25, 0.5, 1, 1, 0.95, 0.75, 0.5, 0.45, 0.425, 0.125])
    assert curves.loc[curves["session_id"] == "r3", "share_of_peak"].isna().all()


def test_average_curves_weigh_each_session_equally():
    got = average_curves(MINUTES, RETENTION_SESSIONS, by="host_id")
    h1 = got.loc[got["host_id"] == "h1"].set_index("minute")
    # minute 0: r1 10/40 and r2 1/3; minute 3: r1 only.
    assert h1.loc[0, "share_of_peak"] == pytest.approx((0.25 + 1 / 3) / 2)
    assert h1.loc[0, "sessions"] == 2
    assert h1.loc[3, ["sessions", "share_of_peak"]].tolist() == [1, 1.0]
    h2 = got.loc[got["host_id"] == "h2"].set_index("minute")
    assert h2.index.tolist() == [0, 10, 11]  # r3 (peak 0) has no share; r4 no minutes
    assert h2["share_of_peak"].tolist() == pytest.approx([1.0, 0.2, 0.1])
    assert list(got.columns) == ["host_id", "minute", "sessions", "share_of_peak"]


def test_no_sessions_gives_empty_tables_not_errors():
    for by in (["date", "host_id"], ["week", "sku"], ["weekday", "product_tier"]):
        assert scorecard(STUDIO_SESSIONS.iloc[:0], STUDIO_SKUS.iloc[:0], by).empty
    total = scorecard(STUDIO_SESSIONS.iloc[:0], STUDIO_SKUS.iloc[:0], [])
    assert total.loc[0, "sessions"] == 0 and total[["conversion_rate", "gpm"]].isna().all().all()
    stock = pd.DataFrame({"sku": ["P"], "on_hand": [1.0]})
    assert sku_velocity(STUDIO_SESSIONS.iloc[:0], STUDIO_SKUS.iloc[:0], ["week"], inventory=stock).empty


def test_stalled_is_judged_within_each_group_latest_period():
    got = sku_velocity(VELOCITY_SESSIONS, VELOCITY_SKUS, ["week", "host_id"])
    # h1 did not stream in W49, so its SKUs are not stalled; h2 sold P in W48 and not in W49.
    assert got.loc[got["stalled"], ["week", "host_id", "sku", "sessions"]].values.tolist() == [
        ["2026-W49", "h2", "P", 0]]
