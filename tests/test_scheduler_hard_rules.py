"""Each hard rule object on its own, without a solver: a tiny studio where it bites, with the exact words a
person reads (check, lock error, dark-slot reason), and a control where it must not; plus its CP-SAT builder
and whether a person may take one more slot."""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import pytest
from ortools.sat.python import cp_model
from test_scheduler_support import host, make_studio, slot

from scheduler import LockError, Settings, check_assignments
from scheduler.explain import FUNNEL, ROSTER, explain_unstaffed
from scheduler.locks import locked_pairs, validate_locks
from scheduler.model import add_eligible_pairs
from scheduler.rules import HARD_RULES, PAIR_RULES, PERSON_RULES, Held, assistant_ok, eligibility, may_take, refusal
from scheduler.rules.assistants import ASSISTANTS
from scheduler.rules.availability import AVAILABILITY
from scheduler.rules.changeover import CHANGEOVER
from scheduler.rules.daily_limits import DAILY_HOURS, DAILY_STREAMS
from scheduler.rules.lock import LOCK
from scheduler.rules.offer import CATEGORY, LANGUAGE
from scheduler.rules.one_host import ONE_HOST_PER_SLOT
from scheduler.rules.rest import REST
from scheduler.rules.role import ROLE
from scheduler.rules.tier import TIER
from scheduler.rules.weekly_cap import WEEKLY_CAP

SETTINGS = Settings()


@dataclass
class Case:
    """A studio where `rule` bites when `hosts_of` staffs it, and the control studio where it does not."""

    rule: object
    bites: dict  # make_studio arguments
    control: dict
    hosts_of: list[tuple[str, str]]  # (slot_id, host_id) rows of the plan, in order
    message: str  # what check_assignments says
    assistants: list[tuple[str, str]] = field(default_factory=list)
    control_hosts_of: list[tuple[str, str]] | None = None  # default: hosts_of


def studio(hosts=None, slots=None, **rest):
    return make_studio(hosts or [host("H1")], slots or [slot("S1", "Mon 10:00", "Mon 12:00")], **rest)


def two_slots(second: tuple[str, str], first: tuple[str, str] = ("Mon 10:00", "Mon 12:00"), **host_fields) -> dict:
    return dict(hosts=[host("H1", **host_fields)], slots=[slot("S1", *first), slot("S2", *second)])


BOTH = [("S1", "H1"), ("S2", "H1")]
PAIR_CASES = [
    Case(ROLE, dict(hosts=[host("A1", role="assistant")]), dict(hosts=[host("A1")]), [("S1", "A1")],
         "S1 with Name A1 (A1): the person is a production assistant, not a host (role)"),
    Case(AVAILABILITY, dict(availability=[("H1", "Mon 13:00", "Mon 18:00")]),
         dict(availability=[("H1", "Mon 09:00", "Mon 13:00")]), [("S1", "H1")],
         "S1 with Name H1 (H1): the host is not available Mon 30 Nov 10:00–12:00 (rule 1: availability)"),
    Case(TIER, dict(hosts=[host("H1", tier="B")], slots=[slot("S1", "Mon 10:00", "Mon 12:00", product_tier="hero")]),
         dict(hosts=[host("H1", tier="B")], slots=[slot("S1", "Mon 10:00", "Mon 12:00", product_tier="core")]),
         [("S1", "H1")], "S1 with Name H1 (H1): the host is tier B and a hero slot needs tier A (rule 2: tier)"),
    Case(CATEGORY, dict(hosts=[host("H1", categories="home|kitchen")]), dict(hosts=[host("H1", categories="home|Beauty")]),
         [("S1", "H1")], "S1 with Name H1 (H1): the host does not sell beauty (sells home, kitchen) (rule 3: category)"),
    Case(LANGUAGE, dict(slots=[slot("S1", "Mon 10:00", "Mon 12:00", language="es")]),
         dict(hosts=[host("H1", languages="en|ES")], slots=[slot("S1", "Mon 10:00", "Mon 12:00", language="es")]),
         [("S1", "H1")], "S1 with Name H1 (H1): the host does not speak es (speaks en) (rule 3: language)"),
]
SLOT_CASES = [
    Case(ONE_HOST_PER_SLOT, dict(hosts=[host("H1"), host("H2")]), dict(hosts=[host("H1"), host("H2")]),
         [("S1", "H1"), ("S1", "H2")], "S1 with Name H2 (H2): the slot already has a host (one host per slot)",
         control_hosts_of=[("S1", "H1")]),
    Case(ASSISTANTS, dict(hosts=[host("H1"), host("A1", role="assistant")],
                          slots=[slot("S1", "Mon 10:00", "Mon 12:00", assistants_needed=1)]),
         dict(hosts=[host("H1"), host("A1", role="assistant")],
              slots=[slot("S1", "Mon 10:00", "Mon 12:00", assistants_needed=1)]),
         [], "S1 with Name A1 (A1): the slot has no host, so it needs no assistant (assistants)",
         assistants=[("S1", "A1")], control_hosts_of=[("S1", "H1")]),
    Case(LOCK, dict(hosts=[host("H1"), host("H2")], slots=[slot("S1", "Mon 10:00", "Mon 12:00", locked_host_id="H1")]),
         dict(hosts=[host("H1"), host("H2")], slots=[slot("S1", "Mon 10:00", "Mon 12:00", locked_host_id="H2")]),
         [("S1", "H2")], "S1 is locked to Name H1 (H1); the plan must keep that host (lock)"),
]
PERSON_CASES = [
    Case(CHANGEOVER, two_slots(("Mon 12:15", "Mon 14:00")), two_slots(("Mon 12:30", "Mon 14:00")), BOTH,
         "S2 with Name H1 (H1): clashes with S1 (rule 4: no overlap and changeover)"),
    Case(REST, two_slots(("Tue 06:00", "Tue 08:00"), ("Mon 20:00", "Mon 22:00")),
         two_slots(("Tue 08:00", "Tue 10:00"), ("Mon 20:00", "Mon 22:00")), BOTH,
         "S2 with Name H1 (H1): clashes with S1 (rule 5: overnight rest)"),
    Case(DAILY_STREAMS, two_slots(("Mon 18:00", "Mon 19:00"), max_streams_per_day=1),
         two_slots(("Tue 18:00", "Tue 19:00"), max_streams_per_day=1), BOTH,
         "S2 with Name H1 (H1): 2 streams start that day, more than 1 (rule 6: streams per day)"),
    Case(DAILY_HOURS, two_slots(("Mon 14:00", "Mon 18:00"), ("Mon 08:00", "Mon 12:00")),
         two_slots(("Mon 14:00", "Mon 16:00"), ("Mon 08:00", "Mon 12:00")), BOTH,
         "S2 with Name H1 (H1): 8 live hours start that day, more than 6 (rule 6: live hours per day)"),
    Case(WEEKLY_CAP, two_slots(("Tue 08:00", "Tue 10:00"), ("Mon 08:00", "Mon 10:00"), max_hours_per_week=3),
         two_slots(("Tue 08:00", "Tue 10:00"), ("Mon 08:00", "Mon 10:00"), max_hours_per_week=4), BOTH,
         "S2 with Name H1 (H1): 4 live hours in 2026-W49, more than the cap of 3 (rule 7: weekly cap)"),
]
CASES = PAIR_CASES + SLOT_CASES + PERSON_CASES


def ids(cases: list[Case]) -> list[str]:
    return [case.rule.name for case in cases]


def frame(rows: list[tuple[str, str]], column: str) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["slot_id", column]).astype("str")


def check(case: Case, bites: bool) -> list[str]:
    rows = case.hosts_of if bites or case.control_hosts_of is None else case.control_hosts_of
    built = studio(**(case.bites if bites else case.control))
    found = check_assignments(built, frame(rows, "host_id"), SETTINGS, frame(case.assistants, "assistant_id"))
    return [v.message for v in found]


@pytest.mark.parametrize("case", CASES, ids=ids(CASES))
def test_the_rule_bites_with_its_words(case):
    assert check(case, bites=True) == [case.message]
    assert case.message.endswith(f"({case.rule.label})")


@pytest.mark.parametrize("case", CASES, ids=ids(CASES))
def test_the_control_case_breaks_no_rule(case):
    assert check(case, bites=False) == []


@pytest.mark.parametrize("case", PAIR_CASES, ids=ids(PAIR_CASES))
def test_a_pair_rule_refuses_the_pair_so_the_model_has_no_variable_for_it(case):
    for fields, allowed in ((case.bites, False), (case.control, True)):
        built = studio(**fields)
        assert case.rule.allowed(built, SETTINGS)[0, 0] == allowed
        assert bool(eligibility(built, SETTINGS).host_ok[0, 0]) == allowed


@pytest.mark.parametrize("case, reason", [
    (PAIR_CASES[0], "no host on the roster"), (PAIR_CASES[1], "no host for beauty is available Mon 30 Nov 10:00–12:00"),
    (PAIR_CASES[2], "no tier-A host on the roster; tier-B host H1 could, but the tier table "
                        "(Settings → Scheduling rules) lets only tier A host hero shows"), (PAIR_CASES[3], "no host sells beauty"),
    (PAIR_CASES[4], "no host sells beauty in es")], ids=ids(PAIR_CASES))
def test_a_pair_rule_names_why_a_slot_is_dark(case, reason):
    built = studio(**case.bites)
    assert explain_unstaffed(built, SETTINGS, eligibility(built, SETTINGS), {}) == {0: reason}


@pytest.mark.parametrize("case", PAIR_CASES, ids=ids(PAIR_CASES))
def test_a_lock_a_pair_rule_refuses_is_an_error_naming_row_and_rule(case):
    built = studio(**case.bites)
    elig = eligibility(built, SETTINGS)
    with pytest.raises(LockError) as err:
        validate_locks(built, SETTINGS, elig, {0: 0})
    problem = case.message.split(": ", 1)[1]
    assert str(err.value) == (f"slots.csv row 2, column locked_host_id: slot S1 is locked to "
                              f"{built.host_label(built.hosts.at[0, 'host_id'])} but {problem}")
    assert refusal(built, SETTINGS, elig, 0, 0) == problem
    validate_locks(studio(**case.control), SETTINGS, eligibility(studio(**case.control), SETTINGS), {0: 0})


def constraints_added(rule, fields: dict) -> int:
    built = studio(**fields)
    elig = eligibility(built, SETTINGS)
    model = add_eligible_pairs(cp_model.CpModel(), elig.host_ok, assistant_ok(built, elig), set())
    model.locks = locked_pairs(built)
    before = len(model.cp.Proto().constraints)
    rule.add_to(model, built, SETTINGS)
    return len(model.cp.Proto().constraints) - before


@pytest.mark.parametrize("case", PERSON_CASES, ids=ids(PERSON_CASES))
def test_a_person_rule_adds_a_constraint_only_where_it_could_bite(case):
    assert constraints_added(case.rule, case.bites) == 1
    assert constraints_added(case.rule, case.control) == 0


def test_slot_rules_add_one_constraint_per_slot_with_candidates_or_lock():
    assert constraints_added(ONE_HOST_PER_SLOT, SLOT_CASES[0].bites) == 1
    assert constraints_added(ASSISTANTS, SLOT_CASES[1].bites) == 1
    assert constraints_added(LOCK, SLOT_CASES[2].bites) == 1
    assert constraints_added(LOCK, {}) == 0


@pytest.mark.parametrize("case", PERSON_CASES, ids=ids(PERSON_CASES))
def test_a_person_holding_the_first_slot_may_not_take_the_second(case):
    for fields, blocked in ((case.bites, True), (case.control, False)):
        held = Held(studio(**fields), SETTINGS)
        held.place(0, 0)
        assert (case.rule.blockers(held, 1, 0) is not None) == blocked
        assert may_take(held, 1, 0) != blocked
        held.remove(0, 0)
        assert case.rule.blockers(held, 1, 0) is None


@pytest.mark.parametrize("case, phrase", [
    (PERSON_CASES[0], "streaming an overlapping slot or one within the 30 min changeover"),
    (PERSON_CASES[1], "short of the 10 h rest between days"), (PERSON_CASES[2], "at their streams per day"),
    (PERSON_CASES[3], "at the 6 live hours per day"), (PERSON_CASES[4], "at their weekly cap")],
    ids=ids(PERSON_CASES))
def test_a_person_rule_says_what_holds_a_candidate_back(case, phrase):
    for fields, reason in ((case.bites, f"1 host could take it, but is {phrase} (H1)"),
                           (case.control, "1 host could take it and is free to take it: assign by hand or re-solve "
                                          "with a longer time limit (H1)")):
        built = studio(**fields)
        assert explain_unstaffed(built, SETTINGS, eligibility(built, SETTINGS), {0: 0}) == {1: reason}


@pytest.mark.parametrize("case, message", [
    (PERSON_CASES[0], "slots.csv rows 2 and 3, column locked_host_id: slots S1 and S2 are both locked to Name H1 (H1) "
                      "(rule 4: no overlap and changeover)"),
    (PERSON_CASES[1], "slots.csv rows 2 and 3, column locked_host_id: slots S1 and S2 are both locked to Name H1 (H1) "
                      "(rule 5: overnight rest)"),
    (PERSON_CASES[2], "slots.csv, column locked_host_id: Name H1 (H1) is locked to 2 slots starting on one day "
                      "(S1, S2), more than 1 (rule 6: streams per day)"),
    (PERSON_CASES[3], "slots.csv, column locked_host_id: Name H1 (H1) is locked to slots S1, S2 starting on one day, "
                      "more than 6 live hours (rule 6: live hours per day)"),
    (PERSON_CASES[4], "slots.csv, column locked_host_id: Name H1 (H1) is locked to 4 h in 2026-W49 (S1, S2), more "
                      "than the weekly cap of 3 h (rule 7: weekly cap)")], ids=ids(PERSON_CASES))
def test_locks_that_break_a_person_rule_together_are_an_error_naming_both(case, message):
    for fields, error in ((case.bites, message), (case.control, None)):
        built = studio(**fields)
        if error is None:
            validate_locks(built, SETTINGS, eligibility(built, SETTINGS), {0: 0, 1: 0})
            continue
        with pytest.raises(LockError) as err:
            validate_locks(built, SETTINGS, eligibility(built, SETTINGS), {0: 0, 1: 0})
        assert str(err.value) == error


@pytest.mark.parametrize("fields, message", [
    (dict(slots=[slot("S1", "Mon 10:00", "Mon 17:00")]),
     "the slot lasts 7 h, more than 6 live hours in a day (rule 6: live hours per day)"),
    (dict(hosts=[host("H1", max_hours_per_week=1.5)]),
     "the slot lasts 2 h, more than the host's 1.5 h weekly cap (rule 7: weekly cap)")])
def test_a_lock_too_long_on_its_own_names_the_limit(fields, message):
    built = studio(**fields)
    with pytest.raises(LockError) as err:
        validate_locks(built, SETTINGS, eligibility(built, SETTINGS), {0: 0})
    assert str(err.value).endswith(f"is locked to Name H1 (H1) but {message}")


def test_every_rule_has_its_own_name_and_label_and_each_pair_rule_a_place_in_the_dark_slot_funnel():
    assert len({rule.name for rule in HARD_RULES}) == len({rule.label for rule in HARD_RULES}) == len(HARD_RULES)
    assert sorted(r.name for r in (*ROSTER, *FUNNEL)) == sorted(r.name for r in PAIR_RULES)
    assert [r.name for r in PERSON_RULES] == ["changeover", "rest", "daily_streams", "daily_hours", "weekly_cap"]
