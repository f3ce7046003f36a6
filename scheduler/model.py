"""The CP-SAT model: a variable per pair the pair rules allow, every hard rule's constraints, the objective terms.

Decision variables exist only for (slot, person) pairs that pass the pair rules (role, rules 1-3), so those
rules cannot be broken; every rule of scheduler.rules.HARD_RULES then adds its constraints. Each
`<term>_terms` returns a `Linear` sum for one stage of the lexicographic objective (see scheduler.stages).
Everything is written straight into the model's protocol buffer (scheduler.cpsat).
"""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Set as AbstractSet

import numpy as np
from ortools.sat.python import cp_model

from scheduler.cpsat import Linear, Pair, ScheduleModel, add_bounds
from scheduler.rules import HARD_RULES, weekly_min_minutes
from scheduler.rules.base import live_minutes
from scheduler.settings import Settings
from scheduler.studio import Studio


def build_model(studio: Studio, settings: Settings, host_ok: np.ndarray, assistant_ok: np.ndarray,
                locks: dict[int, int], forbidden: AbstractSet[Pair],
                fixed_assistants: AbstractSet[Pair]) -> ScheduleModel:
    """The model with every hard rule: locks (slot -> person) and fixed assistant positions are kept,
    forbidden pairs get no variable."""
    model = add_eligible_pairs(cp_model.CpModel(), host_ok, assistant_ok, forbidden)
    model.locks, model.fixed_assistants = dict(locks), set(fixed_assistants)
    for add in dict.fromkeys(rule.add_to for rule in HARD_RULES):  # a builder two rules share runs once
        add(model, studio, settings)
    return model


def add_eligible_pairs(cp: cp_model.CpModel, host_ok: np.ndarray, assistant_ok: np.ndarray,
                       forbidden: AbstractSet[Pair]) -> ScheduleModel:
    """A variable only for pairs a host (or assistant) may take."""
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
            worked = live_minutes(slots, by_week[week], times)
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
    return studio.slots["product_tier"].map(settings.tier_weights).fillna(0).to_numpy(dtype=np.int64)
