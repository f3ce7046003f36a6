"""Ranked replacements for one slot: who may take it given the rest of the plan, best first, and what each
choice changes; on random studios no listed candidate breaks a hard rule and every host left out would."""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from test_scheduler_support import broken_rules, host, make_studio, session, slot, tiny_studios

from contract import DataError
from scheduler import Settings
from scheduler.cli import main
from scheduler.cover import COLUMNS, cover, cover_assistant
from scheduler.greedy import greedy_plan


def plan_of(pairs: dict[str, str], studio) -> pd.DataFrame:
    """An assignments table with one row per slot of the studio (host empty where the pairs leave it dark)."""
    ids = studio.slots["slot_id"].tolist()
    return pd.DataFrame({"slot_id": ids, "host_id": [pairs.get(s, "") for s in ids]})


def call_out_studio():
    """S1 (core, Mon 10-12, 1000 expected) is H1's, who called out. H2 holds S2 right after it (inside the
    changeover), H5 is tier C, H6's cap is one hour, H7's clashing slot is locked to them, H8 holds clashing slots
    on both sides, H3 and H4 are free and differ only in pay."""
    hosts = [host("H1"), host("H2", hourly_rate=25, min_hours_per_week=2), host("H3", hourly_rate=30),
             host("H4", hourly_rate=20), host("H5", tier="C"), host("H6", max_hours_per_week=1), host("H7"),
             host("H8")]
    slots = [slot("S1", "Mon 10:00", "Mon 12:00", product_tier="core", expected_gmv=1000),
             slot("S2", "Mon 12:15", "Mon 13:15", expected_gmv=400),
             slot("S3", "Mon 12:00", "Mon 13:00", locked_host_id="H7"),
             slot("S4", "Mon 08:00", "Mon 09:45"), slot("S5", "Mon 12:20", "Mon 13:00")]
    return make_studio(hosts, slots)


def test_the_hosts_who_may_cover_are_ranked_and_each_says_what_it_changes():
    studio = call_out_studio()
    plan = plan_of({"S1": "H1", "S2": "H2", "S3": "H7", "S4": "H8", "S5": "H8"}, studio)
    ranked = cover(studio, plan, "S1")
    assert list(ranked.columns[:len(COLUMNS)]) == COLUMNS
    # no results: every fit is 1, so all expect the slot's 1000 and the cheaper host goes first (2 h x rate)
    assert ranked[COLUMNS].to_dict("records") == [
        dict(rank=1, host_id="H4", name="Name H4", expected_gmv=1000.0, pay=40.0, week_hours_after=2.0,
             gives_up_slot_id=""),
        dict(rank=2, host_id="H2", name="Name H2", expected_gmv=1000.0, pay=50.0, week_hours_after=2.0,
             gives_up_slot_id="S2"),
        dict(rank=3, host_id="H3", name="Name H3", expected_gmv=1000.0, pay=60.0, week_hours_after=2.0,
             gives_up_slot_id="")]
    second = ranked.iloc[1]
    assert (second["week_hours_before"], second["pay_change"], second["gives_up_expected_gmv"]) == (1.0, 25.0, 400.0)
    assert second["what_changes"] == (
        "Name H2 (H2): 1 → 2 h in 2026-W49 (cap 40 h, promised 2 h: met); pay 50.00 (net +25.00 after giving up "
        "S2); gives up S2 (longtail, 400.00 expected), which then needs cover")
    assert cover(studio, plan, "S1", top=1)["host_id"].tolist() == ["H4"]


def test_hosts_rank_by_what_each_is_expected_to_sell_in_the_slot():
    """Raw fit, by hand: H1 sold 200/h and H2 100/h over 10 h each, against the studio's 150/h; with 10 prior
    hours H1's fit is (10 x 4/3 + 10) / 20 = 7/6 and H2's (10 x 2/3 + 10) / 20 = 5/6 of the slot's 600."""
    history = [session("P1", "H1", "Tue 10:00", 10, 2000), session("P2", "H2", "Wed 10:00", 10, 1000)]
    studio = make_studio([host("H1", hourly_rate=90), host("H2", hourly_rate=10)],
                         [slot("S1", "Mon 10:00", "Mon 12:00", expected_gmv=600)], sessions=history)
    ranked = cover(studio, plan_of({}, studio), "S1", Settings(forecast_fit=False))
    assert ranked["host_id"].tolist() == ["H1", "H2"]
    assert ranked["expected_gmv"].tolist() == [700.0, 500.0]
    assert ranked["effect"].tolist() == [pytest.approx(7 / 6, abs=1e-3), pytest.approx(5 / 6, abs=1e-3)]


def test_the_forecast_effect_is_what_ranks_by_default():
    history = [session("P1", "H1", "Tue 10:00", 2, 400), session("P2", "H2", "Wed 10:00", 2, 100)]
    studio = make_studio([host("H1"), host("H2")], [slot("S1", "Mon 10:00", "Mon 12:00")], sessions=history)
    ranked = cover(studio, plan_of({}, studio), "S1")
    expected = [studio.slots.at[0, "expected_gmv"] * studio.forecast.effect(h, "beauty")[0] for h in ("H1", "H2")]
    assert ranked["expected_gmv"].tolist() == [pytest.approx(v, abs=0.01) for v in expected]
    assert ranked["host_id"].tolist() == ["H1", "H2"]


@pytest.mark.parametrize("plan, slot_id, message", [
    (pd.DataFrame({"slot_id": ["S1"], "host_id": ["H1"]}), "S9", "slots.csv, column slot_id: slot S9 is not in"),
    (pd.DataFrame({"slot_id": ["S1", "S7"], "host_id": ["H1", ""]}), "S1",
     "plan.csv, row 3, column slot_id: slot 'S7' is not in slots.csv"),
    (pd.DataFrame({"slot_id": ["S1", "S1"], "host_id": ["H1", ""]}), "S1",
     "plan.csv, row 3, column slot_id: slot S1 is listed twice"),
    (pd.DataFrame({"slot_id": ["S1"], "host_id": ["H9"]}), "S1",
     "plan.csv, row 2, column host_id: host 'H9' is not in hosts.csv"),
    (pd.DataFrame({"slot": ["S1"]}), "S1", "plan.csv, column host_id, slot_id: required column(s) missing"),
])
def test_bad_input_names_the_file_row_and_column(plan, slot_id, message):
    studio = make_studio([host("H1")], [slot("S1", "Mon 10:00", "Mon 12:00")])
    with pytest.raises(DataError, match=re.escape(message)):
        cover(studio, plan, slot_id, plan_file="plan.csv")


def write_folder(folder: Path) -> Path:
    folder.mkdir()
    (folder / "hosts.csv").write_text("host_id,name,tier,categories,hourly_rate,max_hours_per_week\n"
                                      "H1,Ana Ruiz,A,beauty,20,40\nH2,Bo Li,B,beauty,15,40\n")
    (folder / "availability.csv").write_text("host_id,start,end\nH1,2026-11-30T08:00:00,2026-11-30T23:00:00\n"
                                             "H2,2026-11-30T08:00:00,2026-11-30T23:00:00\n")
    (folder / "slots.csv").write_text("slot_id,channel,start,end,product_tier,category,expected_gmv\n"
                                      "S1,GlowLab,2026-11-30T10:00:00,2026-11-30T12:00:00,core,beauty,500\n")
    (folder / "plan.csv").write_text("slot_id,host_id,reason\nS1,H1,\n")
    return folder


def assistant_studio():
    """S1 (Mon 10-12, needs an assistant, 900 expected) is assisted by P1, who can't make it. P2 assists S2 inside
    S1's changeover, P4's cap is one hour, P5 is away; P3 (18/h) was promised 4 h and has none, P6 (10/h) and
    P7 (20/h, 6 h cap) are free; H2 is a host."""
    hosts = [host("H1"), host("H2"), host("P1", role="assistant", hourly_rate=15),
             host("P2", role="assistant", hourly_rate=12), host("P3", role="assistant", hourly_rate=18,
                                                                 min_hours_per_week=4),
             host("P4", role="assistant", max_hours_per_week=1), host("P5", role="assistant"),
             host("P6", role="assistant", hourly_rate=10), host("P7", role="assistant", max_hours_per_week=6)]
    slots = [slot("S1", "Mon 10:00", "Mon 12:00", assistants_needed=1, expected_gmv=900),
             slot("S2", "Mon 12:10", "Mon 13:00", assistants_needed=1)]
    away = [(h["host_id"], "Mon 00:00", "Sun 23:59") for h in hosts if h["host_id"] != "P5"]
    plan = pd.DataFrame({"slot_id": ["S1", "S2"], "host_id": ["H1", "H2"]})
    return make_studio(hosts, slots, availability=away), plan, pd.DataFrame({"slot_id": ["S1", "S2"],
                                                                             "assistant_id": ["P1", "P2"]})


def test_the_assistants_who_may_cover_are_ranked_by_promised_hours_then_pay():
    studio, plan, helpers = assistant_studio()
    ranked = cover_assistant(studio, plan, helpers, "S1", "P1")
    # P2 (changeover), P4 (cap), P5 (away) and the hosts are left out; P3 is short of the 4 h promised, so first
    assert ranked[COLUMNS].values.tolist() == [[1, "P3", "Name P3", 900.0, 36.0, 2.0, ""],
                                               [2, "P6", "Name P6", 900.0, 20.0, 2.0, ""],
                                               [3, "P7", "Name P7", 900.0, 40.0, 2.0, ""]]
    assert ranked.at[0, "what_changes"] == "Name P3 (P3): 0 → 2 h in 2026-W49 (cap 40 h, promised 4 h: still short); " \
                                           "pay 36.00"
    assert cover_assistant(studio, plan, helpers, "S1", "P1", top=1)["host_id"].tolist() == ["P3"]
    with pytest.raises(DataError, match=r"assistants.csv, column assistant_id: Name P6 \(P6\) does not assist "
                                        "slot S1"):
        cover_assistant(studio, plan, helpers, "S1", "P6")


def test_cli_ranks_who_could_take_an_assistants_place(tmp_path, capsys):
    data = write_folder(tmp_path / "data")
    (data / "hosts.csv").write_text((data / "hosts.csv").read_text().replace("max_hours_per_week\n",
                                                                             "max_hours_per_week,role\n")
                                    .replace(",40\n", ",40,host\n", 1).replace("Bo Li,B,beauty,15,40\n",
                                                                               "Bo Li,B,beauty,15,40,assistant\n")
                                    + "P1,Pia Lind,C,beauty,12,40,assistant\n")
    (data / "slots.csv").write_text((data / "slots.csv").read_text().replace("expected_gmv\n",
                                                                             "expected_gmv,assistants_needed\n")
                                    .replace("500\n", "500,1\n"))
    (data / "availability.csv").write_text((data / "availability.csv").read_text()
                                           + "P1,2026-11-30T08:00:00,2026-11-30T23:00:00\n")
    (data / "assistants.csv").write_text("slot_id,assistant_id\nS1,P1\n")
    out = tmp_path / "cover.csv"
    assert main(["cover", "--data", str(data), "--plan", str(data / "plan.csv"), "--slot", "S1", "--assistant", "P1",
                 "--assistants", str(data / "assistants.csv"), "--out", str(out)]) == 0
    written = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert written[COLUMNS].values.tolist() == [["1", "H2", "Bo Li", "500.0", "30.0", "2.0", ""]]
    assert "1 assistant(s) could cover S1" in capsys.readouterr().out
    assert main(["cover", "--data", str(data), "--plan", str(data / "plan.csv"), "--slot", "S1",
                 "--assistant", "P1"]) == 2
    assert "--assistant and --assistants go together" in capsys.readouterr().err


def test_cli_writes_the_candidates_best_first(tmp_path, capsys):
    data = write_folder(tmp_path / "data")
    out = tmp_path / "cover.csv"
    assert main(["cover", "--data", str(data), "--plan", str(data / "plan.csv"), "--slot", "S1", "--out",
                 str(out)]) == 0
    written = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert written[COLUMNS].values.tolist() == [["1", "H2", "Bo Li", "500.0", "30.0", "2.0", ""]]
    assert "1 host(s) could cover S1" in capsys.readouterr().out


def test_cli_unknown_slot_is_a_message_exit_2_and_no_file(tmp_path, capsys):
    data = write_folder(tmp_path / "data")
    out = tmp_path / "cover.csv"
    assert main(["cover", "--data", str(data), "--plan", str(data / "plan.csv"), "--slot", "S9", "--out",
                 str(out)]) == 2
    assert "slots.csv, column slot_id: slot S9 is not in slots.csv" in capsys.readouterr().err and not out.exists()


def test_cli_top_must_be_a_whole_number_of_at_least_one(tmp_path, capsys):
    data = write_folder(tmp_path / "data")
    with pytest.raises(SystemExit) as exited:
        main(["cover", "--data", str(data), "--plan", str(data / "plan.csv"), "--slot", "S1", "--top", "0"])
    assert exited.value.code == 2 and "'0' is not a whole number of at least 1" in capsys.readouterr().err


def _applied(host_of: dict[str, str], slot_id: str, host_id: str, gives_up: str) -> dict[str, str]:
    changed = {s: h for s, h in host_of.items() if s not in (slot_id, gives_up)}
    return {**changed, slot_id: host_id}


@hypothesis_settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tiny_studios(max_slots=6, max_hosts=4))
def test_no_listed_candidate_breaks_a_rule_and_every_host_left_out_would(studio):
    greedy = greedy_plan(studio)
    ids, people = studio.slots["slot_id"].tolist(), studio.hosts["host_id"].tolist()
    host_of = {ids[s]: people[p] for s, p in greedy.hosts.items()}
    plan = plan_of(host_of, studio)
    for slot_id in ids:
        ranked = cover(studio, plan, slot_id)
        listed = dict(zip(ranked["host_id"], ranked["gives_up_slot_id"]))
        for host_id in people:
            if host_id == host_of.get(slot_id):
                assert host_id not in listed
            elif host_id in listed:
                assert broken_rules(studio, _applied(host_of, slot_id, host_id, listed[host_id])) == []
            else:
                theirs = [""] + [s for s, h in host_of.items() if h == host_id]
                assert all(broken_rules(studio, _applied(host_of, slot_id, host_id, s)) for s in theirs)
        assert ranked["expected_gmv"].is_monotonic_decreasing
