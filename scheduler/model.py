"""The CP-SAT model: one small builder per hard rule and per objective term.

Decision variables exist only for (slot, person) pairs that pass rules 1-3, so those rules cannot be broken.
Each `add_<rule>` adds its constraints; each `<term>_terms` returns a linear expression for one stage of the
lexicographic objective (see solver.py).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from ortools.sat.python import cp_model

from scheduler.rules import changeover_cliques, rest_pairs, weekly_cap_minutes, weekly_min_minutes
from scheduler.settings import Settings
from scheduler.studio import Studio

Pair = tuple[int, int]  # (slot row, person row)


@dataclass
class ScheduleModel:
    """The CP-SAT model with its variables, named so results and hints can be read back."""

    cp: cp_model.CpModel
    hosts: dict[Pair, cp_model.IntVar]  # host positions
    assistants: dict[Pair, cp_model.IntVar]  # assistant positions
    by_person: dict[int, dict[int, cp_model.IntVar]] = field(default_factory=dict)  # person -> slot -> var
    hosts_of_slot: dict[int, list[cp_model.IntVar]] = field(default_factory=dict)  # slot -> host vars


def add_eligible_pairs(cp: cp_model.CpModel, host_ok: np.ndarray, assistant_ok: np.ndarray,
                       forbidden: set[Pair]) -> ScheduleModel:
    """Rules 1-3: create a variable only for pairs a host (or assistant) may take."""
    def make(ok: np.ndarray, role: str) -> dict[Pair, cp_model.IntVar]:
        pairs = [(int(s), int(p)) for s, p in zip(*np.nonzero(ok)) if (int(s), int(p)) not in forbidden]
        return {pair: cp.NewBoolVar(f"{role}_s{pair[0]}_p{pair[1]}") for pair in pairs}

    model = ScheduleModel(cp, make(host_ok, "host"), make(assistant_ok, "assistant"))
    for (s, p), var in [*model.hosts.items(), *model.assistants.items()]:
        model.by_person.setdefault(p, {})[s] = var
    for (s, _), var in model.hosts.items():
        model.hosts_of_slot.setdefault(s, []).append(var)
    return model


def add_one_host_per_slot(model: ScheduleModel) -> None:
    """Each slot has at most one host."""
    for candidates in model.hosts_of_slot.values():
        model.cp.AddAtMostOne(candidates)


def add_assistants_on_staffed_slots(model: ScheduleModel, needed: np.ndarray) -> None:
    """Up to assistants_needed assistants per slot, and only on a slot that has a host."""
    by_slot: dict[int, list] = defaultdict(list)
    for (s, _), var in model.assistants.items():
        by_slot[s].append(var)
    for slot, assistants in by_slot.items():
        staffed = sum(model.hosts_of_slot.get(slot, []))
        model.cp.Add(sum(assistants) <= int(needed[slot]) * staffed)


def add_locks(model: ScheduleModel, locks: dict[int, int]) -> None:
    """A locked (or frozen) assignment is kept; locks.validate_locks has already proved it legal."""
    for slot, person in locks.items():
        model.cp.Add(model.hosts[(slot, person)] == 1)


def add_fixed_assistants(model: ScheduleModel, fixed: set[Pair]) -> None:
    """Assistant positions frozen by a re-plan are kept."""
    for pair in fixed:
        model.cp.Add(model.assistants[pair] == 1)


def add_no_overlap_and_changeover(model: ScheduleModel, studio: Studio, settings: Settings) -> None:
    """Rule 4: per person, at most one slot of each clique of slots closer than the changeover."""
    times = studio.times
    for clique in changeover_cliques(times.start, times.end, settings.changeover_seconds):
        members = set(clique.tolist())
        for slots in model.by_person.values():
            chosen = [slots[s] for s in members if s in slots]
            if len(chosen) > 1:
                model.cp.AddAtMostOne(chosen)


def add_overnight_rest(model: ScheduleModel, studio: Studio, settings: Settings) -> None:
    """Rule 5: two slots starting on different days less than the rest apart: at most one per person."""
    for first, second in rest_pairs(studio.times, settings):
        for slots in model.by_person.values():
            if first in slots and second in slots:
                model.cp.AddBoolOr([slots[first].Not(), slots[second].Not()])


def add_daily_limits(model: ScheduleModel, studio: Studio, settings: Settings) -> None:
    """Rule 6: per person and start day, at most max_streams_per_day streams and max_daily_hours live."""
    times = studio.times
    streams = studio.hosts["max_streams_per_day"].to_numpy()
    for person, slots in model.by_person.items():
        by_day: dict[int, list[int]] = defaultdict(list)
        for s in slots:
            by_day[int(times.day[s])].append(s)
        for day_slots in by_day.values():
            if len(day_slots) > streams[person]:
                model.cp.Add(sum(slots[s] for s in day_slots) <= int(streams[person]))
            if times.minutes[day_slots].sum() > settings.max_daily_minutes:
                model.cp.Add(sum(int(times.minutes[s]) * slots[s] for s in day_slots) <= settings.max_daily_minutes)


def add_weekly_cap(model: ScheduleModel, studio: Studio) -> None:
    """Rule 7: per person and ISO week, live minutes at most max_hours_per_week."""
    times = studio.times
    cap = weekly_cap_minutes(studio.hosts)
    for person, slots in model.by_person.items():
        for week_slots in _by_week(slots, times.week).values():
            if times.minutes[week_slots].sum() > cap[person]:
                model.cp.Add(sum(int(times.minutes[s]) * slots[s] for s in week_slots) <= int(cap[person]))


def _by_week(slots, week: np.ndarray) -> dict[str, list[int]]:
    grouped: dict[str, list[int]] = defaultdict(list)
    for s in slots:
        grouped[week[s]].append(s)
    return grouped


def coverage_terms(model: ScheduleModel, studio: Studio, settings: Settings) -> cp_model.LinearExpr:
    """Objective 1: sum of tier weights of staffed slots."""
    weights = tier_weights(studio, settings)
    return sum(int(weights[s]) * var for (s, _), var in model.hosts.items())


def assistant_terms(model: ScheduleModel) -> cp_model.LinearExpr:
    """Objective 1b: staffed assistant positions (below host coverage, above GMV)."""
    return sum(model.assistants.values())


def gmv_terms(model: ScheduleModel, studio: Studio, fit: np.ndarray) -> cp_model.LinearExpr:
    """Objective 2: expected GMV x host fit, in cents."""
    gmv = studio.slots["expected_gmv"].to_numpy(dtype=float)
    return sum(int(round(gmv[s] * fit[s, p] * 100)) * var for (s, p), var in model.hosts.items())


def shortfall_terms(model: ScheduleModel, studio: Studio) -> cp_model.LinearExpr:
    """Objective 3a: minutes below min_hours_per_week, per person and ISO week of the horizon."""
    times = studio.times
    promised = weekly_min_minutes(studio.hosts)
    shortfalls = []
    for person in range(len(studio.hosts)):
        if promised[person] <= 0:
            continue
        slots = model.by_person.get(person, {})
        for week in sorted(set(times.week.tolist())):
            worked = sum(int(times.minutes[s]) * var for s, var in slots.items() if times.week[s] == week)
            short = model.cp.NewIntVar(0, int(promised[person]), f"shortfall_p{person}_{week}")
            model.cp.Add(short >= int(promised[person]) - worked)
            shortfalls.append(short)
    return sum(shortfalls)


def pay_terms(model: ScheduleModel, studio: Studio, fit: np.ndarray) -> cp_model.LinearExpr:
    """Objective 3b: hourly pay plus expected commission, in cents."""
    return sum(int(round(c)) * var for pair, var in [*model.hosts.items(), *model.assistants.items()]
               for c in [pay_cents(studio, fit, *pair)])


def pay_cents(studio: Studio, fit: np.ndarray, slot: int, person: int) -> float:
    """What one assignment costs: hourly rate x hours, plus commission on the expected GMV (hosts)."""
    hours = studio.times.minutes[slot] / 60
    rate = float(studio.hosts.at[person, "hourly_rate"])
    commission = 0.0 if studio.is_assistant[person] else float(studio.hosts.at[person, "commission_rate"])
    gmv = float(studio.slots.at[slot, "expected_gmv"]) * fit[slot, person]
    return 100 * (rate * hours + commission * gmv)


def tier_weights(studio: Studio, settings: Settings) -> np.ndarray:
    return studio.slots["product_tier"].astype("str").map(settings.tier_weights).fillna(0).to_numpy(dtype=np.int64)
