"""The CP-SAT model: one small builder per hard rule and per objective term.

Decision variables exist only for (slot, person) pairs that pass rules 1-3, so those rules cannot be broken.
Each `add_<rule>` adds its constraints; each `<term>_terms` returns a `Linear` sum for one stage of the
lexicographic objective (see solver.py).

Variables are referred to by their index in the model, and constraints are written straight into the model's
protocol buffer: CP-SAT's Python expression objects cost microseconds each, which a month of 5,000 slots and
450 people (130,000 pairs) turns into minutes. Builders select with numpy the pairs a rule constrains.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
from ortools.sat.python import cp_model

from scheduler.rules import changeover_cliques, rest_pairs, weekly_cap_minutes, weekly_min_minutes
from scheduler.settings import Settings
from scheduler.studio import Studio

Pair = tuple[int, int]  # (slot row, person row)
INT_MAX = 2**62


@dataclass(frozen=True)
class Linear:
    """A weighted sum of model variables (by index) plus a constant; it can be evaluated on any solution."""

    variables: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    coefficients: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    constant: int = 0

    @classmethod
    def of(cls, variables, coefficients, constant: int = 0) -> Linear:
        return cls(np.asarray(variables, dtype=np.int64).reshape(-1),
                   np.asarray(coefficients, dtype=np.int64).reshape(-1), int(constant))

    def __add__(self, other: Linear) -> Linear:
        return Linear(np.concatenate([self.variables, other.variables]),
                      np.concatenate([self.coefficients, other.coefficients]), self.constant + other.constant)

    def times(self, factor: int) -> Linear:
        return Linear(self.variables, self.coefficients * factor, self.constant * factor)

    def value(self, solution: np.ndarray) -> int:
        """The sum at a solution given as one value per model variable (index order)."""
        return int(solution[self.variables] @ self.coefficients) + self.constant


def set_objective(cp: cp_model.CpModel, linear: Linear, maximize: bool) -> None:
    """Make `linear` the model's objective (CP-SAT stores a maximisation as a negated minimisation)."""
    cp.clear_objective()
    objective = cp.Proto().objective
    sign = -1 if maximize else 1
    objective.vars.extend(linear.variables.tolist())
    objective.coeffs.extend((sign * linear.coefficients).tolist())
    objective.offset = float(sign * linear.constant)
    objective.scaling_factor = float(sign)


def add_bounds(cp: cp_model.CpModel, linear: Linear, low: int = -INT_MAX, high: int = INT_MAX) -> None:
    """low <= linear <= high."""
    constraint = cp.Proto().constraints.add().linear
    constraint.vars.extend(linear.variables.tolist())
    constraint.coeffs.extend(linear.coefficients.tolist())
    constraint.domain.extend([max(low - linear.constant, -INT_MAX), min(high - linear.constant, INT_MAX)])


def _at_most_one(cp: cp_model.CpModel, variables: list[int]) -> None:
    cp.Proto().constraints.add().at_most_one.literals.extend(variables)


def _not_both(cp: cp_model.CpModel, first: int, second: int) -> None:
    cp.Proto().constraints.add().bool_or.literals.extend((-first - 1, -second - 1))  # not first or not second


@dataclass
class ScheduleModel:
    """The CP-SAT model with the variable index of every (slot, person) pair, so results and hints map back."""

    cp: cp_model.CpModel
    hosts: dict[Pair, int]  # host positions
    assistants: dict[Pair, int]  # assistant positions
    has: np.ndarray  # slots x people: True where the pair has a variable (either position)
    by_person: dict[int, dict[int, int]] = field(default_factory=dict)  # person -> slot -> variable
    hosts_of_slot: dict[int, list[int]] = field(default_factory=dict)  # slot -> host variables
    shortfalls: list[tuple[int, Linear, int]] = field(default_factory=list)  # (variable, minutes worked, promised)

    @cached_property
    def pairs(self) -> dict[Pair, int]:
        return {**self.hosts, **self.assistants}

    @property
    def size(self) -> int:
        return len(self.cp.Proto().variables)


def add_eligible_pairs(cp: cp_model.CpModel, host_ok: np.ndarray, assistant_ok: np.ndarray,
                       forbidden: AbstractSet[Pair]) -> ScheduleModel:
    """Rules 1-3: create a variable only for pairs a host (or assistant) may take."""
    variables = cp.Proto().variables

    def make(ok: np.ndarray) -> dict[Pair, int]:
        pairs = [pair for pair in zip(*(axis.tolist() for axis in np.nonzero(ok))) if pair not in forbidden]
        first = len(variables)
        for _ in pairs:
            variables.add().domain.extend((0, 1))
        return dict(zip(pairs, range(first, first + len(pairs))))

    hosts, assistants = make(host_ok), make(assistant_ok)
    model = ScheduleModel(cp, hosts, assistants, np.zeros(host_ok.shape, dtype=bool))
    for (s, p), var in [*hosts.items(), *assistants.items()]:
        model.by_person.setdefault(p, {})[s] = var
        model.has[s, p] = True
    for (s, _), var in hosts.items():
        model.hosts_of_slot.setdefault(s, []).append(var)
    return model


def add_one_host_per_slot(model: ScheduleModel) -> None:
    """Each slot has at most one host."""
    for candidates in model.hosts_of_slot.values():
        _at_most_one(model.cp, candidates)


def add_assistants_on_staffed_slots(model: ScheduleModel, needed: np.ndarray) -> None:
    """Up to assistants_needed assistants per slot, and only on a slot that has a host."""
    by_slot: dict[int, list[int]] = defaultdict(list)
    for (s, _), var in model.assistants.items():
        by_slot[s].append(var)
    for slot, assistants in by_slot.items():
        hosts = model.hosts_of_slot.get(slot, [])
        linear = Linear.of([*assistants, *hosts], [1] * len(assistants) + [-int(needed[slot])] * len(hosts))
        add_bounds(model.cp, linear, high=0)


def add_locks(model: ScheduleModel, locks: dict[int, int]) -> None:
    """A locked (or frozen) assignment is kept; locks.validate_locks has already proved it legal."""
    for pair in locks.items():
        add_bounds(model.cp, Linear.of([model.hosts[pair]], [1]), low=1)


def add_fixed_assistants(model: ScheduleModel, fixed: set[Pair]) -> None:
    """Assistant positions frozen by a re-plan are kept."""
    for pair in fixed:
        add_bounds(model.cp, Linear.of([model.assistants[pair]], [1]), low=1)


def add_no_overlap_and_changeover(model: ScheduleModel, studio: Studio, settings: Settings) -> None:
    """Rule 4: per person, at most one slot of each clique of slots closer than the changeover."""
    times = studio.times
    for clique in changeover_cliques(times.start, times.end, settings.changeover_seconds):
        members = model.has[clique]
        for person in np.flatnonzero(members.sum(axis=0) > 1).tolist():
            slots = model.by_person[person]
            _at_most_one(model.cp, [slots[s] for s in clique[members[:, person]].tolist()])


def add_overnight_rest(model: ScheduleModel, studio: Studio, settings: Settings) -> None:
    """Rule 5: two slots starting on different days less than the rest apart: at most one per person."""
    pairs = np.array(rest_pairs(studio.times, settings), dtype=np.int64).reshape(-1, 2)
    both = model.has[pairs[:, 0]] & model.has[pairs[:, 1]]
    for row, person in zip(*(axis.tolist() for axis in np.nonzero(both))):
        slots = model.by_person[person]
        first, second = pairs[row].tolist()
        _not_both(model.cp, slots[first], slots[second])


def add_daily_limits(model: ScheduleModel, studio: Studio, settings: Settings) -> None:
    """Rule 6: per person and start day, at most max_streams_per_day streams and max_daily_hours live."""
    times = studio.times
    streams = studio.hosts["max_streams_per_day"].to_numpy()
    for person, slots in model.by_person.items():
        for day_slots in _grouped(slots, times.day):
            if len(day_slots) > streams[person]:
                add_bounds(model.cp, Linear.of([slots[s] for s in day_slots], [1] * len(day_slots)),
                           high=int(streams[person]))
            if times.minutes[day_slots].sum() > settings.max_daily_minutes:
                add_bounds(model.cp, _minutes(slots, day_slots, times), high=settings.max_daily_minutes)


def add_weekly_cap(model: ScheduleModel, studio: Studio) -> None:
    """Rule 7: per person and ISO week, live minutes at most max_hours_per_week."""
    times = studio.times
    cap = weekly_cap_minutes(studio.hosts)
    for person, slots in model.by_person.items():
        for week_slots in _grouped(slots, times.week):
            if times.minutes[week_slots].sum() > cap[person]:
                add_bounds(model.cp, _minutes(slots, week_slots, times), high=int(cap[person]))


def _grouped(slots: dict[int, int], key: np.ndarray) -> list[list[int]]:
    """A person's slots grouped by day or ISO week (key per slot row)."""
    groups: dict = defaultdict(list)
    for s in slots:
        groups[key[s]].append(s)
    return list(groups.values())


def _minutes(slots: dict[int, int], chosen: list[int], times) -> Linear:
    """Live minutes of a person over the chosen slots."""
    return Linear.of([slots[s] for s in chosen], times.minutes[chosen] if chosen else [])


def coverage_terms(model: ScheduleModel, studio: Studio, settings: Settings) -> Linear:
    """Objective 1: sum of tier weights of staffed slots."""
    slots, _ = _axes(model.hosts)
    return Linear.of(list(model.hosts.values()), tier_weights(studio, settings)[slots])


def best_per_slot(model: ScheduleModel, linear: Linear) -> float:
    """A bound on a sum over host positions: each slot has at most one host, so at most its best coefficient."""
    slot_of = {var: s for (s, _), var in model.hosts.items()}
    best: dict[int, int] = defaultdict(int)
    for var, coefficient in zip(linear.variables.tolist(), linear.coefficients.tolist()):
        best[slot_of[var]] = max(best[slot_of[var]], coefficient)
    return float(sum(best.values()) + linear.constant)


def assistant_ceiling(model: ScheduleModel, needed: np.ndarray) -> float:
    """A bound on staffed assistant positions: per slot that can have a host, its positions or its candidates."""
    candidates = Counter(s for s, _ in model.assistants)
    return float(sum(min(int(needed[s]), count) for s, count in candidates.items() if s in model.hosts_of_slot))


def assistant_terms(model: ScheduleModel) -> Linear:
    """Staffed assistant positions (below host coverage, above GMV)."""
    return Linear.of(list(model.assistants.values()), np.ones(len(model.assistants)))


def gmv_terms(model: ScheduleModel, studio: Studio, fit: np.ndarray) -> Linear:
    """Objective 2: expected GMV x host fit, in cents."""
    slots, people = _axes(model.hosts)
    gmv = studio.slots["expected_gmv"].to_numpy(dtype=float)
    return Linear.of(list(model.hosts.values()), np.rint(gmv[slots] * fit[slots, people] * 100))


def shortfall_terms(model: ScheduleModel, studio: Studio) -> Linear:
    """Objective 3a: minutes below min_hours_per_week, per person and ISO week of the horizon."""
    times = studio.times
    promised = weekly_min_minutes(studio.hosts)
    weeks = sorted(set(times.week.tolist()))
    shortfalls = []
    for person in np.flatnonzero(promised > 0).tolist():
        slots = model.by_person.get(person, {})
        by_week = {week: [s for s in slots if times.week[s] == week] for week in weeks}
        for week in weeks:
            short = model.cp.new_int_var(0, int(promised[person]), f"shortfall_p{person}_{week}").index
            worked = _minutes(slots, by_week[week], times)
            add_bounds(model.cp, worked + Linear.of([short], [1]), low=int(promised[person]))
            model.shortfalls.append((short, worked, int(promised[person])))
            shortfalls.append(short)
    return Linear.of(shortfalls, np.ones(len(shortfalls)))


def pay_terms(model: ScheduleModel, studio: Studio, fit: np.ndarray) -> Linear:
    """Objective 3b: hourly pay plus expected commission, in cents."""
    slots, people = _axes(model.pairs)
    return Linear.of(list(model.pairs.values()), np.rint(pay_cents(studio, fit, slots, people)))


def _axes(pairs: dict[Pair, int]) -> tuple[np.ndarray, np.ndarray]:
    """Slot rows and person rows of the pairs, in the dict's order."""
    table = np.array(list(pairs), dtype=np.int64).reshape(-1, 2)
    return table[:, 0], table[:, 1]


def pay_cents(studio: Studio, fit: np.ndarray, slot, person):
    """What an assignment costs: hourly rate x hours, plus commission on the expected GMV (hosts only).

    `slot` and `person` are row numbers, or equal-length arrays of them (one cost per pair)."""
    hours = studio.times.minutes[slot] / 60
    rate = studio.hosts["hourly_rate"].to_numpy(dtype=float)[person]
    commission = np.where(studio.is_assistant, 0.0, studio.hosts["commission_rate"].to_numpy(dtype=float))[person]
    gmv = studio.slots["expected_gmv"].to_numpy(dtype=float)[slot] * fit[slot, person]
    return 100 * (rate * hours + commission * gmv)


def tier_weights(studio: Studio, settings: Settings) -> np.ndarray:
    return studio.slots["product_tier"].astype("str").map(settings.tier_weights).fillna(0).to_numpy(dtype=np.int64)
