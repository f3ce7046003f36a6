"""Checking a plan someone edited by hand against every hard rule, without the solver.

The dashboard uses it to refuse a move and name the broken rule; `python -m scheduler check` prints it.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations

import pandas as pd

from scheduler.rules import LABELS, conflict, eligibility, pair_problem, weekly_cap_minutes
from scheduler.settings import Settings
from scheduler.studio import Studio


@dataclass(frozen=True)
class Violation:
    """One broken rule: the slot and host concerned, the rule's label and a sentence for a person."""

    slot_id: str
    host_id: str
    rule: str
    message: str


def check_assignments(studio: Studio, assignments: pd.DataFrame, settings: Settings = Settings(),
                      assistants: pd.DataFrame | None = None) -> list[Violation]:
    """Every hard-rule violation of `assignments` (slot_id, host_id) and optionally `assistants`
    (slot_id, assistant_id)."""
    slot_row = {str(s): i for i, s in enumerate(studio.slots["slot_id"].astype("str"))}
    found: list[Violation] = []
    pairs = _known_pairs(studio, assignments, "host_id", slot_row, found)
    staff = pairs + (_known_pairs(studio, assistants, "assistant_id", slot_row, found)
                     if assistants is not None else [])
    found += _one_host_per_slot(studio, pairs)
    found += _locks(studio, pairs)
    elig = eligibility(studio, settings)
    for slot, person in pairs:
        problem = pair_problem(studio, settings, elig, slot, person)
        if problem:
            found.append(_violation(studio, slot, person, problem))
    if assistants is not None:
        found += _assistant_positions(studio, elig, pairs, staff[len(pairs):])
    by_person: dict[int, list[int]] = defaultdict(list)
    for slot, person in staff:
        by_person[person].append(slot)
    for person, slots in by_person.items():
        found += _per_person(studio, settings, person, sorted(slots, key=lambda s: studio.times.start[s]))
    return found


def _violation(studio: Studio, slot: int, person: int, text: str) -> Violation:
    rule = text[text.rfind("(") + 1:-1] if text.endswith(")") else ""
    return Violation(str(studio.slots.at[slot, "slot_id"]), str(studio.hosts.at[person, "host_id"]), rule,
                     f"{studio.slots.at[slot, 'slot_id']} with "
                     f"{studio.host_label(studio.hosts.at[person, 'host_id'])}: {text}")


def _known_pairs(studio: Studio, frame: pd.DataFrame, column: str, slot_row: dict[str, int],
                 found: list[Violation]) -> list[tuple[int, int]]:
    pairs = []
    for slot_id, host_id in zip(frame["slot_id"].astype("str"), frame[column].fillna("").astype("str")):
        if host_id.strip() == "":
            continue
        if slot_id not in slot_row or host_id not in studio.host_index:
            unknown = f"slot {slot_id}" if slot_id not in slot_row else f"host {host_id}"
            found.append(Violation(slot_id, host_id, "unknown id", f"{unknown} is not in the studio's files"))
            continue
        pairs.append((slot_row[slot_id], studio.host_index[host_id]))
    return pairs


def _one_host_per_slot(studio: Studio, pairs: list[tuple[int, int]]) -> list[Violation]:
    seen: dict[int, int] = {}
    found = []
    for slot, person in pairs:
        if slot in seen:
            found.append(_violation(studio, slot, person, "the slot already has a host (one host per slot)"))
        seen[slot] = person
    return found


def _locks(studio: Studio, pairs: list[tuple[int, int]]) -> list[Violation]:
    host_of = dict(pairs)
    found = []
    for slot, locked in studio.slots["locked_host_id"].astype("str").str.strip().items():
        if locked and studio.host_index.get(locked) != host_of.get(slot):
            found.append(Violation(str(studio.slots.at[slot, "slot_id"]), locked, "lock",
                                   f"{studio.slots.at[slot, 'slot_id']} is locked to {studio.host_label(locked)}; "
                                   "the plan must keep that host (lock)"))
    return found


def _assistant_positions(studio: Studio, elig, hosts: list[tuple[int, int]],
                         assistants: list[tuple[int, int]]) -> list[Violation]:
    staffed = {slot for slot, _ in hosts}
    count: dict[int, int] = defaultdict(int)
    found = []
    needed = studio.slots["assistants_needed"].to_numpy()
    for slot, person in assistants:
        count[slot] += 1
        if not studio.is_assistant[person]:
            text = "a host cannot fill an assistant position (role)"
        elif not elig.availability[slot, person]:
            text = f"the assistant is not available then ({LABELS['availability']})"
        elif slot not in staffed:
            text = "the slot has no host, so it needs no assistant (assistants)"
        elif count[slot] > needed[slot]:
            text = f"the slot needs {needed[slot]} assistant(s) (assistants)"
        else:
            continue
        found.append(_violation(studio, slot, person, text))
    return found


def _per_person(studio: Studio, settings: Settings, person: int, slots: list[int]) -> list[Violation]:
    """Rules 4-7 over one person's slots (in start order)."""
    times = studio.times
    found = []
    for a, b in combinations(slots, 2):
        rule = conflict(times, a, b, settings)
        if rule:
            found.append(_violation(studio, b, person,
                                    f"clashes with {studio.slots.at[a, 'slot_id']} ({LABELS[rule]})"))
    by_day, by_week = defaultdict(list), defaultdict(list)
    for s in slots:
        by_day[int(times.day[s])].append(s)
        by_week[times.week[s]].append(s)
    streams = int(studio.hosts.at[person, "max_streams_per_day"])
    for day_slots in by_day.values():
        if len(day_slots) > streams:
            found.append(_violation(studio, day_slots[-1], person,
                                    f"{len(day_slots)} streams start that day, more than {streams} "
                                    f"({LABELS['daily_streams']})"))
        if times.minutes[day_slots].sum() > settings.max_daily_minutes:
            found.append(_violation(studio, day_slots[-1], person,
                                    f"{times.minutes[day_slots].sum() / 60:g} live hours start that day, more than "
                                    f"{settings.max_daily_hours:g} ({LABELS['daily_hours']})"))
    cap = weekly_cap_minutes(studio.hosts)[person]
    for week, week_slots in by_week.items():
        if times.minutes[week_slots].sum() > cap:
            found.append(_violation(studio, week_slots[-1], person,
                                    f"{times.minutes[week_slots].sum() / 60:g} live hours in {week}, more than the "
                                    f"cap of {cap / 60:g} ({LABELS['weekly_cap']})"))
    return found
