"""The studio's scheduling rules as settings: each rule changed on a tiny studio changes the plan; a settings
file with a bad key or value is refused naming file, row and column; the checker and the explanations read the
same settings as the solver."""
from __future__ import annotations

import re

import pandas as pd
import pytest
from test_scheduler_support import host, hosted, make_studio, session, slot

from contract import DataError
from scheduler import Settings, solve
from scheduler.check import check_assignments
from scheduler.cli import main
from scheduler.settings import RULE_KEYS, read_settings_file, rule_values, with_rules


def plan(hosts, slots, rules: dict[str, str] | None = None, sessions=None, availability=None):
    settings = with_rules(Settings(), rules or {})
    studio = make_studio(hosts, slots, availability, sessions, settings)
    return solve(studio, settings, time_limit=5)


def test_the_tier_table_lets_a_tier_c_host_take_a_core_slot_and_says_so_while_it_does_not():
    hosts, slots = [host("C1", tier="C", categories="home")], [slot("S1", "Mon 19:00", "Mon 21:00",
                                                                    product_tier="core", category="home")]
    dark = plan(hosts, slots)
    assert hosted(dark.assignments) == {}
    assert dark.assignments.at[0, "reason"] == (
        "no tier-A/B host on the roster; tier-C host C1 could, but the tier table (Settings → Scheduling rules) "
        "lets only tier A/B host core shows")
    assert hosted(plan(hosts, slots, {"core_host_tiers": "A|B|C"}).assignments) == {"S1": "C1"}


@pytest.mark.parametrize("lighter, heavier, rules", [
    ("core", "hero", {"core_weight": "1000"}),
    ("core", "hero", {"hero_weight": "1"}),
    ("longtail", "core", {"longtail_weight": "100"}),
])
def test_a_weight_decides_which_of_two_clashing_slots_the_only_host_takes(lighter, heavier, rules):
    slots = [slot("L", "Mon 19:00", "Mon 21:00", product_tier=lighter),
             slot("H", "Mon 19:00", "Mon 21:00", product_tier=heavier)]
    assert hosted(plan([host("A1")], slots).assignments) == {"H": "A1"}
    assert hosted(plan([host("A1")], slots, rules).assignments) == {"L": "A1"}


def test_a_shorter_changeover_lets_one_host_take_back_to_back_slots():
    slots = [slot("S1", "Mon 10:00", "Mon 12:00"), slot("S2", "Mon 12:20", "Mon 14:00")]
    assert len(hosted(plan([host("A1")], slots).assignments)) == 1
    assert hosted(plan([host("A1")], slots, {"changeover_minutes": "15"}).assignments) == {"S1": "A1", "S2": "A1"}


def test_a_shorter_overnight_rest_lets_one_host_close_and_open():
    slots = [slot("S1", "Mon 20:00", "Mon 22:00"), slot("S2", "Tue 06:00", "Tue 08:00")]
    assert len(hosted(plan([host("A1")], slots).assignments)) == 1
    assert len(hosted(plan([host("A1")], slots, {"overnight_rest_hours": "8"}).assignments)) == 2


def test_more_daily_hours_let_one_host_take_two_long_streams_in_a_day():
    slots = [slot("S1", "Mon 08:00", "Mon 12:00"), slot("S2", "Mon 14:00", "Mon 18:00")]
    assert len(hosted(plan([host("A1")], slots).assignments)) == 1
    assert len(hosted(plan([host("A1")], slots, {"max_daily_hours": "8"}).assignments)) == 2


# H1 sold 300 an hour in 2 hours; H2 130.5 % of the studio's rate over 50 hours (G3, a guest, fills the rest).
HISTORY = [session("P1", "H1", "Mon 10:00", 2, 600), session("P2", "H2", "Tue 10:00", 50, 5500),
           session("P3", "G3", "Wed 10:00", 50, 2500)]
FIT_HOSTS = [host("H1"), host("H2")]
FIT_SLOTS = [slot("S1", "Mon 19:00", "Mon 21:00", expected_gmv=1000)]


def test_the_fit_prior_decides_whether_a_short_record_outweighs_a_long_one():
    # fit = (h * ratio + k) / (h + k): H1 (2 * 3.56 + 10) / 12 = 1.43 against H2 (50 * 1.305 + 10) / 60 = 1.25;
    # with k = 1000, H1 1.005 against H2 1.015.
    raw = {"host_fit": "raw"}
    assert hosted(plan(FIT_HOSTS, FIT_SLOTS, raw, HISTORY).assignments) == {"S1": "H1"}
    assert hosted(plan(FIT_HOSTS, FIT_SLOTS, raw | {"fit_prior_hours": "1000"}, HISTORY).assignments) == {"S1": "H2"}


# Three weeks: at 20:00 H1 sells 300 an hour where G3 sells 400; at 10:00 H2 sells 100 where G3 sells 50.
PRIME_AND_QUIET = [session(f"Q{day}{who}{hour}", who, f"{day}T{hour}:00:00", 2, gmv)
                   for day in ("2026-11-16", "2026-11-23", "2026-11-30")
                   for who, hour, gmv in (("G3", "20", 800), ("H1", "20", 600), ("G3", "10", 100), ("H2", "10", 200))]


def test_host_fit_judges_a_host_against_comparable_slots_or_on_the_raw_record():
    # raw: H1's 300 an hour beats H2's 100; the forecast: H1 sells less than others at 20:00, H2 more at 10:00
    assert hosted(plan(FIT_HOSTS, FIT_SLOTS, {"host_fit": "raw"}, PRIME_AND_QUIET).assignments) == {"S1": "H1"}
    assert hosted(plan(FIT_HOSTS, FIT_SLOTS, {"host_fit": "forecast"}, PRIME_AND_QUIET).assignments) == {"S1": "H2"}


def test_the_summary_names_the_hosts_who_could_take_no_slot_and_why():
    hosts = [host("A1"), host("C1", tier="C"), host("B1", tier="B", categories="home"),
             host("A2", languages="vi"), host("A3")]
    slots = [slot("S1", "Mon 19:00", "Mon 21:00", product_tier="core")]
    done = plan(hosts, slots, availability=[("A1", "Mon 00:00", "Sun 23:59"), ("B1", "Mon 00:00", "Sun 23:59"),
                                            ("A2", "Mon 00:00", "Sun 23:59"), ("A3", "Tue 00:00", "Tue 23:00")])
    assert done.summary.idle.values.tolist() == [
        ["C1", "Name C1", "tier C, and the plan has no longtail slot"],
        ["B1", "Name B1", "sells home, and no core slot sells that"],
        ["A2", "Name A2", "speaks vi, and no core slot in their categories is in that language"],
        ["A3", "Name A3", "not available during any core slot they could host"]]
    assert "hosts who could take no slot (4):\n  C1       Name C1" in done.summary.to_text()


def test_every_rule_reads_back_as_it_is_written():
    values = rule_values(Settings())
    assert tuple(values) == RULE_KEYS
    assert with_rules(Settings(), values) == Settings()


SETTINGS_CSV = "key,value\nchangeover_minutes,15\ncore_host_tiers,A|B|C\n"
STUDIO = {"hosts.csv": "host_id,name,tier,categories,hourly_rate,max_hours_per_week\nC1,Cy,C,beauty,20,40\n",
          "availability.csv": "host_id,start,end\nC1,2026-11-30T08:00:00,2026-11-30T23:00:00\n",
          "slots.csv": "slot_id,channel,start,end,product_tier,category\n"
                       "S1,shop,2026-11-30T10:00:00,2026-11-30T12:00:00,core,beauty\n"
                       "S2,shop,2026-11-30T12:15:00,2026-11-30T14:00:00,core,beauty\n"}


def _folder(tmp_path):
    for name, text in STUDIO.items():
        (tmp_path / name).write_text(text)
    (tmp_path / "settings.csv").write_text(SETTINGS_CSV)
    return tmp_path


def test_solve_and_check_read_the_settings_file_alike(tmp_path, capsys):
    data = _folder(tmp_path)
    out = tmp_path / "a.csv"
    assert main(["solve", "--data", str(data), "--out", str(out), "--time-limit", "5"]) == 0
    assert pd.read_csv(out, keep_default_na=False)["host_id"].tolist() == ["", ""]
    assert main(["solve", "--data", str(data), "--out", str(out), "--time-limit", "5",
                 "--settings", str(data / "settings.csv")]) == 0
    assert pd.read_csv(out)["host_id"].tolist() == ["C1", "C1"]
    capsys.readouterr()
    assert main(["check", "--data", str(data), "--plan", str(out), "--settings", str(data / "settings.csv")]) == 0
    assert main(["check", "--data", str(data), "--plan", str(out)]) == 1
    printed = capsys.readouterr().out
    assert "S1 C1 [rule 2: tier] S1 with Cy (C1): the host is tier C and a core slot needs tier A/B" in printed
    assert "S2 C1 [rule 4: no overlap and changeover] S2 with Cy (C1): clashes with S1" in printed


@pytest.mark.parametrize("text, message", [
    ("key,value\nchangeover,15\n", "settings.csv, row 2, column key: 'changeover' is not a scheduling rule"),
    ("key,value\nhero_host_tiers,\n", "settings.csv, row 2, column value: needs at least one host tier (A, B, C)"),
    ("key,value\nhero_host_tiers,A|D\n", "settings.csv, row 2, column value: 'A|D' is not a | list of host tiers"),
    ("key,value\nmax_daily_hours,6\nmax_daily_hours,30\n",
     "settings.csv, row 3, column value: 30 is outside 0.5 to 24\nsettings.csv, row 3, column key: "
     "'max_daily_hours' appears more than once"),
    ("key,value\ncore_weight,2.5\n", "settings.csv, row 2, column value: '2.5' is not a whole number"),
    ("key;value\novernight_rest_hours;eight\n", "settings.csv, row 2, column value: 'eight' is not a number"),
    ("rule,value\nhero_weight,1\n", "settings.csv, column key: required column(s) missing"),
])
def test_a_bad_settings_file_is_refused_naming_file_row_and_column(tmp_path, capsys, text, message):
    data = _folder(tmp_path)
    (data / "settings.csv").write_text(text)
    with pytest.raises(DataError, match=re.escape(message)):
        read_settings_file(data / "settings.csv")
    assert main(["solve", "--data", str(data), "--out", str(tmp_path / "a.csv"),
                 "--settings", str(data / "settings.csv")]) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "a.csv").exists()


def test_a_semicolon_settings_file_takes_a_decimal_comma(tmp_path):
    (tmp_path / "settings.csv").write_text("key;value\novernight_rest_hours;8,5\n")
    assert read_settings_file(tmp_path / "settings.csv").overnight_rest_hours == 8.5


def test_the_checker_uses_the_settings_it_is_given():
    studio = make_studio([host("A1")], [slot("S1", "Mon 08:00", "Mon 12:00"), slot("S2", "Mon 14:00", "Mon 18:00")])
    both = pd.DataFrame({"slot_id": ["S1", "S2"], "host_id": ["A1", "A1"]})
    assert [v.rule for v in check_assignments(studio, both)] == ["rule 6: live hours per day"]
    assert check_assignments(studio, both, with_rules(Settings(), {"max_daily_hours": "8"})) == []
