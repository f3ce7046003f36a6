"""Locks are kept or refused with the rule named; assistants staff only staffed slots; check_assignments."""
from __future__ import annotations

import pandas as pd
import pytest
from test_scheduler_support import broken_rules, host, hosted, make_studio, slot

from scheduler import LockError, Settings, check_assignments, evaluate, solve

FAST = dict(time_limit=5.0)


def test_a_lock_is_kept_even_when_another_host_is_cheaper():
    studio = make_studio([host("H1", hourly_rate=10), host("H2", hourly_rate=90)],
                         [slot("S1", "Mon 10:00", "Mon 12:00", locked_host_id="H2")])
    assert hosted(solve(studio, **FAST).assignments) == {"S1": "H2"}


def test_an_impossible_lock_names_slot_host_and_rule():
    studio = make_studio([host("H1", name="Ana Ruiz")],
                         [slot("S0", "Mon 08:00", "Mon 09:00"),
                          slot("W49-GLB-MON-1900", "Mon 19:00", "Mon 21:00", locked_host_id="H1")],
                         availability=[("H1", "Mon 08:00", "Mon 12:00")])
    with pytest.raises(LockError) as err:
        solve(studio, **FAST)
    assert str(err.value) == ("slots.csv row 3, column locked_host_id: slot W49-GLB-MON-1900 is locked to Ana Ruiz (H1) "
                              "but the host is not available Mon 30 Nov 19:00–21:00 (rule 1: availability)")


@pytest.mark.parametrize("fields, rule", [({"product_tier": "hero"}, "rule 2: tier"),
                                          ({"category": "home"}, "rule 3: category"),
                                          ({"language": "es"}, "rule 3: language")])
def test_locks_breaking_rules_2_and_3(fields, rule):
    studio = make_studio([host("H1", tier="B")], [slot("S1", "Mon 10:00", "Mon 12:00", locked_host_id="H1", **fields)])
    with pytest.raises(LockError, match=f"slot S1 is locked to Name H1 \\(H1\\) .*\\({rule}\\)"):
        solve(studio, **FAST)


@pytest.mark.parametrize("second, host_fields, rule", [
    (("Mon 18:10", "Mon 19:00"), {}, "rule 4: no overlap and changeover"),
    (("Tue 03:00", "Tue 04:00"), {}, "rule 5: overnight rest"),
    (("Mon 20:00", "Mon 21:00"), {"max_streams_per_day": 1}, "rule 6: streams per day"),
    (("Mon 19:00", "Mon 23:30"), {}, "rule 6: live hours per day"),
    (("Tue 10:00", "Tue 12:00"), {"max_hours_per_week": 3}, "rule 7: weekly cap"),
])
def test_two_locks_that_clash_name_both_slots(second, host_fields, rule):
    studio = make_studio([host("H1", **host_fields)],
                         [slot("S1", "Mon 16:00", "Mon 18:00", locked_host_id="H1"),
                          slot("S2", *second, locked_host_id="H1")])
    with pytest.raises(LockError) as err:
        solve(studio, **FAST)
    assert "S1" in str(err.value) and "S2" in str(err.value) and f"({rule})" in str(err.value)


def test_a_lock_to_an_assistant_is_refused():
    studio = make_studio([host("A1", role="assistant")], [slot("S1", "Mon 10:00", "Mon 12:00", locked_host_id="A1")])
    with pytest.raises(LockError, match="production assistant, not a host"):
        solve(studio, **FAST)


def test_assistants_staff_only_staffed_slots_and_obey_the_rules():
    people = [host("H1"), host("H2"), host("A1", role="assistant", tier="C", categories="none"),
              host("A2", role="assistant", tier="C", categories="none", max_hours_per_week=2)]
    slots = [slot("S1", "Mon 10:00", "Mon 12:00", assistants_needed=2),
             slot("S2", "Mon 11:00", "Mon 13:00", assistants_needed=1),  # overlaps S1: assistants can't do both
             slot("S3", "Mon 18:00", "Mon 20:00", assistants_needed=1, category="toys"),  # no host sells toys
             slot("S4", "Tue 10:00", "Tue 12:00")]
    plan = solve(make_studio(people, slots), **FAST)
    assert set(hosted(plan.assignments)) == {"S1", "S2", "S4"}
    pairs = list(zip(plan.assistants["slot_id"], plan.assistants["assistant_id"]))
    assert len(pairs) == 2 and {s for s, _ in pairs} <= {"S1", "S2"}  # two people, overlapping slots
    assert set(plan.assistants["assistant_id"]) == {"A1", "A2"}
    assert broken_rules(make_studio(people, slots), hosted(plan.assignments), assistants=pairs) == []
    assert plan.summary.assistant_positions == (2, 4)


def test_assistants_never_cost_host_coverage():
    people = [host("H1"), host("A1", role="assistant")]
    slots = [slot("S1", "Mon 10:00", "Mon 12:00", assistants_needed=3),
             slot("S2", "Mon 11:00", "Mon 13:00", product_tier="core")]
    plan = solve(make_studio(people, slots), **FAST)
    assert hosted(plan.assignments) == {"S2": "H1"}  # core outweighs a longtail slot with its assistant position
    assert plan.assistants.empty  # S2 needs none, and S1 has no host


def test_check_assignments_names_broken_rules_of_a_hand_edit():
    studio = make_studio([host("H1", tier="B"), host("H2")],
                         [slot("S1", "Mon 10:00", "Mon 12:00", product_tier="hero"),
                          slot("S2", "Mon 12:10", "Mon 13:00"), slot("S3", "Mon 12:00", "Mon 14:00"),
                          slot("S4", "Tue 10:00", "Tue 11:00", locked_host_id="H2")])
    edit = pd.DataFrame({"slot_id": ["S1", "S2", "S3", "S4"], "host_id": ["H1", "H2", "H2", ""]})
    found = {(v.slot_id, v.host_id, v.rule) for v in check_assignments(studio, edit, Settings())}
    assert found == {("S1", "H1", "rule 2: tier"), ("S2", "H2", "rule 4: no overlap and changeover"),
                     ("S4", "H2", "lock")}
    assert check_assignments(studio, edit.assign(host_id=["H2", "", "", "H2"]), Settings()) == []


def test_evaluate_summarises_a_saved_plan_and_explains_its_open_slots():
    studio = make_studio([host("H1")], [slot("S1", "Mon 10:00", "Mon 12:00"), slot("S2", "Mon 11:00", "Mon 13:00")])
    plan = evaluate(studio, pd.DataFrame({"slot_id": ["S1", "S2"], "host_id": ["H1", ""]}))
    assert plan.summary.status == "EVALUATED" and plan.summary.objective == 1
    assert plan.unstaffed["reason"].tolist() == [
        "1 host could take it, but is streaming an overlapping slot or one within the 30 min changeover (H1)"]
