"""Behaviour of the scheduler benchmark's peers: the greedy baseline, the shared evaluation and Timefold."""
from __future__ import annotations

import importlib.util

import pandas as pd
import pytest

from bench.greedy import greedy_plan, greedy_studio_plan
from bench.scheduler_bench import evaluate
from contract import AVAILABILITY, HOSTS, SESSIONS, SLOTS, parse_table
from sample_data.generate import generate_studio, write_studio
from scheduler import Settings, Studio, check_assignments, load_studio
from scheduler.rules import eligibility

DAY = "2026-11-30"


def frame(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows).astype("str")


def studio_of(hosts: list[dict], availability: list[dict], slots: list[dict],
              sessions: list[dict] | None = None) -> Studio:
    """A studio from literal rows, read exactly as files are (contract.parse_table)."""
    return Studio.from_frames(parse_table(frame(hosts), HOSTS), parse_table(frame(availability), AVAILABILITY),
                              parse_table(frame(slots), SLOTS),
                              parse_table(frame(sessions), SESSIONS) if sessions else None)


def host(host_id: str, tier: str = "A", categories: str = "beauty") -> dict:
    return {"host_id": host_id, "name": host_id, "tier": tier, "categories": categories, "hourly_rate": "20",
            "max_hours_per_week": "30"}


def window(host_id: str, start: str, end: str) -> dict:
    return {"host_id": host_id, "start": f"{DAY}T{start}", "end": f"{DAY}T{end}"}


def slot(slot_id: str, start: str, end: str, tier: str = "hero", gmv: str = "0", lock: str = "") -> dict:
    return {"slot_id": slot_id, "channel": "shop", "start": f"{DAY}T{start}", "end": f"{DAY}T{end}",
            "product_tier": tier, "category": "beauty", "expected_gmv": gmv, "locked_host_id": lock}


def session(session_id: str, host_id: str, start: str, end: str, gmv: str) -> dict:
    return {"session_id": session_id, "channel": "shop", "host_id": host_id, "start": start, "end": end, "viewers": "1", "views": "1", "avg_watch_seconds": "1",
            "product_impressions": "1", "product_clicks": "1", "orders": "1", "gmv": gmv, "category": "beauty"}


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Studio:
    """A small generated studio (two channels, twelve hosts, one planned week), read back from its CSV files."""
    folder = tmp_path_factory.mktemp("studio")
    write_studio(generate_studio(seed=3, channels=2, hosts=12, weeks=1, viewer_minutes=False), folder)
    return load_studio(folder)


# A trap for first-fit: H1 (listed first, free all day) takes the early hero slot, then cannot take the
# second one (15 min changeover < 30); H2 is free only in the morning, so the second slot stays empty.
# The best plan gives the early slot to H2 and the late one to H1.
TRAP = dict(hosts=[host("H1"), host("H2")],
            availability=[window("H1", "09:00:00", "18:00:00"), window("H2", "09:00:00", "12:00:00")],
            slots=[slot("S1", "10:00:00", "11:30:00"), slot("S2", "11:45:00", "13:45:00")])


def test_greedy_takes_first_eligible_host_in_priority_order():
    studio = studio_of(**TRAP)
    plan = greedy_studio_plan(studio)
    assert plan.to_dict("list") == {"slot_id": ["S1", "S2"], "host_id": ["H1", ""]}


def test_greedy_staffs_hero_before_an_earlier_longtail_slot():
    studio = studio_of([host("H1")], [window("H1", "09:00:00", "18:00:00")],
                       [slot("L", "10:00:00", "11:00:00", tier="longtail"), slot("H", "10:30:00", "11:30:00")])
    assert greedy_studio_plan(studio)["host_id"].tolist() == ["", "H1"]


def test_greedy_breaks_no_rule_on_a_generated_studio(generated):
    plan = greedy_studio_plan(generated)
    assert (plan["host_id"] != "").sum() > 0
    assert check_assignments(generated, plan) == []


def test_greedy_keeps_locks(generated):
    """Add a lock greedy would not choose (the last eligible host); the plan keeps every lock and stays legal."""
    free = greedy_studio_plan(generated)
    ok = eligibility(generated, Settings()).host_ok
    ids = generated.hosts["host_id"]
    slots = generated.slots.copy()
    locks_before = slots["locked_host_id"].copy()
    for row in free.index[(free["host_id"] != "") & (locks_before == "")]:
        lock = ids.iat[ok[row].nonzero()[0][-1]]
        slots.loc[row, "locked_host_id"] = lock
        only_locks = slots[["slot_id"]].assign(host_id=slots["locked_host_id"])
        if lock != free.at[row, "host_id"] and check_assignments(generated, only_locks) == []:
            break
        slots.loc[row, "locked_host_id"] = ""
    else:
        pytest.fail("no slot of the generated studio can take an extra lock")
    locked = Studio.from_frames(generated.hosts, generated.availability, slots)
    plan = greedy_plan(locked.hosts, locked.availability, locked.slots, Settings())
    kept = slots["locked_host_id"] != ""
    assert (plan.loc[kept, "host_id"] == slots.loc[kept, "locked_host_id"]).all()
    assert plan.at[row, "host_id"] == lock
    assert check_assignments(locked, plan) == []


def test_greedy_is_deterministic(generated):
    first = greedy_studio_plan(generated)
    pd.testing.assert_frame_equal(first, greedy_studio_plan(generated))


def test_evaluate_counts_tier_weights_and_fit_weighted_gmv():
    """Hand-checked with the raw fit: fit = (h * ratio + k) / (h + k) with k = 10 h; studio rate (3000 + 1000) /
    20 h = 200/h.

    H1 sold 300/h over 10 h: ratio 1.5, fit (15 + 10) / 20 = 1.25; H2 sold 100/h: ratio 0.5, fit 0.75.
    Staffed: hero S1 with H1 (1000 x 1.25) and longtail S3 with H2 (50 x 0.75); core S2 left empty.
    Coverage 100 + 1 = 101; expected GMV 1250 + 37.5 = 1287.5.
    """
    studio = studio_of(
        [host("H1"), host("H2", tier="C")],
        [window("H1", "09:00:00", "18:00:00"), window("H2", "09:00:00", "18:00:00")],
        [slot("S1", "10:00:00", "11:00:00", gmv="1000"), slot("S2", "12:00:00", "13:00:00", tier="core", gmv="200"),
         slot("S3", "14:00:00", "15:00:00", tier="longtail", gmv="50")],
        [session("X1", "H1", "2026-11-23T10:00:00", "2026-11-23T20:00:00", "3000"),
         session("X2", "H2", "2026-11-24T10:00:00", "2026-11-24T20:00:00", "1000")])
    plan = frame([{"slot_id": "S1", "host_id": "H1"}, {"slot_id": "S2", "host_id": ""},
                  {"slot_id": "S3", "host_id": "H2"}])
    scored = evaluate(studio, plan, Settings(forecast_fit=False))
    assert (scored.staffed, scored.coverage, scored.violations) == (2, 101, 0)
    assert scored.expected_gmv == pytest.approx(1287.5)


def test_evaluate_counts_broken_rules():
    """Control for the violation count: a tier C host on a hero slot breaks rule 2."""
    studio = studio_of([host("H1", tier="C")], [window("H1", "09:00:00", "18:00:00")],
                       [slot("S1", "10:00:00", "11:00:00", gmv="10")])
    scored = evaluate(studio, frame([{"slot_id": "S1", "host_id": "H1"}]))
    assert (scored.coverage, scored.violations) == (100, 1)


@pytest.mark.skipif(importlib.util.find_spec("timefold") is None, reason="timefold is a benchmark-only package")
def test_timefold_escapes_the_first_fit_trap_and_keeps_locks():
    from bench.timefold_peer import timefold_plan
    trap = dict(TRAP, slots=[*TRAP["slots"], slot("S3", "16:00:00", "17:00:00", tier="longtail", lock="H1")])
    studio = studio_of(**trap)
    found = timefold_plan(studio, Settings(), time_limit=3.0)
    assert found.feasible
    assert found.assignments.to_dict("list") == {"slot_id": ["S1", "S2", "S3"], "host_id": ["H2", "H1", "H1"]}
    assert check_assignments(studio, found.assignments) == []
