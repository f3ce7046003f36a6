"""Re-planning after a call-out: the host loses every slot from the call-out on, little else moves."""
from __future__ import annotations

import pandas as pd
import pytest
from test_scheduler_support import at, broken_rules, host, hosted, make_studio, slot

from scheduler import CallOut, Settings, replan, solve
from scheduler.replan import repair

FAST = dict(time_limit=5.0)


def week(availability: list[tuple[str, str, str]] | None = None):
    hosts = [host("H1", hourly_rate=10), host("H2", hourly_rate=20), host("H3", hourly_rate=30)]
    slots = [slot("MON", "Mon 10:00", "Mon 12:00", product_tier="hero"),
             slot("TUE", "Tue 10:00", "Tue 12:00", product_tier="hero"),
             slot("WED", "Wed 10:00", "Wed 12:00", product_tier="core"),
             slot("WED2", "Wed 10:00", "Wed 12:00", product_tier="core"),
             slot("THU", "Thu 10:00", "Thu 12:00")]
    return make_studio(hosts, slots, availability)


def test_called_out_host_has_no_slot_from_the_call_out_on_and_the_rest_stays():
    studio = week()
    previous = pd.DataFrame({"slot_id": ["MON", "TUE", "WED", "WED2", "THU"],
                             "host_id": ["H1", "H1", "H2", "H3", "H1"], "reason": ""})
    plan = replan(studio, previous, CallOut("H1", pd.Timestamp(at("Tue 08:00"))), **FAST)
    new = hosted(plan.assignments)
    assert new["MON"] == "H1"  # started before the call-out: frozen
    assert "H1" not in {h for s, h in new.items() if s != "MON"}
    assert new["WED"] == "H2" and new["WED2"] == "H3"  # kept: moving them gains nothing
    assert new["TUE"] in {"H2", "H3"} and new["THU"] in {"H2", "H3"}
    moved = plan.moved.set_index("slot_id")
    assert sorted(moved.index) == ["THU", "TUE"] and set(moved["old_host_id"]) == {"H1"}
    assert moved.loc["TUE", "new_host_id"] == new["TUE"]
    assert broken_rules(studio, new) == []


def test_only_the_listed_slots_when_slot_ids_are_given():
    studio = week()
    previous = pd.DataFrame({"slot_id": ["MON", "TUE", "WED", "WED2", "THU"],
                             "host_id": ["H1", "H1", "H2", "H3", "H1"]})
    plan = replan(studio, previous, CallOut("H1", pd.Timestamp(at("Mon 00:00")), slot_ids=("TUE",)), **FAST)
    new = hosted(plan.assignments)
    assert new["MON"] == "H1" and new["THU"] == "H1" and new["TUE"] != "H1"
    assert plan.moved["slot_id"].tolist() == ["TUE"]


def test_coverage_first_then_fewest_changes():
    # H1 calls out; the hero slot can only be kept by moving H2 off the longtail slot it streams at the same time.
    studio = make_studio([host("H1"), host("H2"), host("H3", tier="C")],
                         [slot("HERO", "Wed 10:00", "Wed 12:00", product_tier="hero"),
                          slot("LT", "Wed 10:00", "Wed 12:00"), slot("LT2", "Thu 10:00", "Thu 12:00")])
    previous = pd.DataFrame({"slot_id": ["HERO", "LT", "LT2"], "host_id": ["H1", "H2", "H3"]})
    plan = replan(studio, previous, CallOut("H1", pd.Timestamp(at("Mon 00:00"))), **FAST)
    assert hosted(plan.assignments) == {"HERO": "H2", "LT": "H3", "LT2": "H3"}
    assert plan.moved.to_dict("records") == [{"slot_id": "HERO", "old_host_id": "H1", "new_host_id": "H2"},
                                             {"slot_id": "LT", "old_host_id": "H2", "new_host_id": "H3"}]


def test_an_unstaffable_slot_after_a_call_out_says_why():
    studio = make_studio([host("H1"), host("H2", tier="B")], [slot("HERO", "Wed 10:00", "Wed 12:00", product_tier="hero")])
    previous = solve(studio, **FAST).assignments
    plan = replan(studio, previous, CallOut("H1", pd.Timestamp(at("Mon 00:00"))), Settings(), **FAST)
    assert plan.unstaffed["reason"].tolist() == ["1 host could take it, but is called out (H1)"]


def test_a_call_out_with_an_end_keeps_the_host_on_the_slots_after_it():
    studio = week()
    previous = pd.DataFrame({"slot_id": ["MON", "TUE", "WED", "WED2", "THU"],
                             "host_id": ["H1", "H1", "H2", "H3", "H1"]})
    # Out from Tuesday 00:00 to Wednesday 00:00: only Tuesday's slot is lost; Thursday's stays hers.
    call_out = CallOut("H1", pd.Timestamp(at("Tue 00:00")), end=pd.Timestamp(at("Wed 00:00")))
    plan = replan(studio, previous, call_out, **FAST)
    new = hosted(plan.assignments)
    assert new["THU"] == "H1" and new["TUE"] in {"H2", "H3"}
    assert plan.moved["slot_id"].tolist() == ["TUE"]
    # A slot that overlaps the end of the time away is lost too (back at Tuesday 11:00, the slot runs 10-12).
    plan = replan(studio, previous, CallOut("H1", pd.Timestamp(at("Tue 00:00")), end=pd.Timestamp(at("Tue 11:00"))),
                  **FAST)
    assert plan.moved["slot_id"].tolist() == ["TUE"]


def test_a_call_out_that_ends_before_it_starts_is_refused():
    with pytest.raises(ValueError, match=r"the call-out ends \(2026-12-01 08:00\) before it starts \(2026-12-02 08:00\)"):
        CallOut("H1", pd.Timestamp("2026-12-02T08:00"), end=pd.Timestamp("2026-12-01T08:00"))


def test_repair_changes_only_the_assignments_the_studio_of_now_refuses():
    # Since the plan was made, H1 took Thursday off: the repair moves THU and nothing else.
    studio = week([("H1", "Mon 00:00", "Wed 23:59"), ("H2", "Mon 00:00", "Sun 23:59"), ("H3", "Mon 00:00", "Sun 23:59")])
    previous = pd.DataFrame({"slot_id": ["MON", "TUE", "WED", "WED2", "THU"],
                             "host_id": ["H3", "H2", "H2", "H3", "H1"]})
    plan = repair(studio, previous, pd.Timestamp(at("Mon 00:00")), **FAST)
    assert plan.moved.to_dict("records") == [{"slot_id": "THU", "old_host_id": "H1", "new_host_id": "H2"}]
    assert broken_rules(studio, hosted(plan.assignments)) == []
