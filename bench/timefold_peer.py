"""The same staffing problem in Timefold Solver, as a second opinion on the CP-SAT scheduler.

Planning entity: the slot, whose planning variable is its host (None = unstaffed). Each slot's value
range is the hosts passing the static rules 1-3 (the recommended Timefold modelling: the search never
proposes a host who cannot take the slot); locked slots are pinned to their host. The score is a
BendableScore, one hard level and four soft levels in the data contract's order of importance:

    hard   : every broken hard rule (1-7), weighted by how far it is broken
    soft 0 : coverage, the tier weights of staffed slots (hero 100, core 10, longtail 1)
    soft 1 : expected GMV x host fit, in cents
    soft 2 : promised hours kept: sum over host-weeks of min(min_hours_per_week, scheduled), in minutes;
             equal to a constant minus the shortfall, so rewarding it minimises the shortfall
    soft 3 : pay (hourly rate x live hours, plus commission on the expected GMV), in cents, as a penalty

Rules 1-3 are also hard constraints, so a pinned (locked) slot outside its value range is still caught.
Eligibility, fit, times, days and weeks come from the scheduler's own computations (`scheduler.rules`,
`scheduler.fit`, `Studio.times`), so both solvers see exactly the same problem. Times are whole minutes
from the first slot's midnight; days and ISO weeks are small integers. Hosts only: production
assistants are not staffed here.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Annotated

import numpy as np
import pandas as pd
from timefold.solver import SolverFactory
from timefold.solver.config import (
    Duration,
    EnvironmentMode,
    ScoreDirectorFactoryConfig,
    SolverConfig,
    TerminationConfig,
)
from timefold.solver.domain import (
    PlanningEntityCollectionProperty,
    PlanningId,
    PlanningPin,
    PlanningScore,
    PlanningVariable,
    ProblemFactCollectionProperty,
    ValueRangeProvider,
    planning_entity,
    planning_solution,
)
from timefold.solver.score import (
    BendableScore,
    Constraint,
    ConstraintCollectors,
    ConstraintFactory,
    Joiners,
    constraint_provider,
)

from scheduler import Settings, Studio
from scheduler.fit import fit_matrix
from scheduler.model import pay_cents
from scheduler.rules import eligibility, weekly_cap_minutes, weekly_min_minutes

SOFT_LEVELS = 4
COVERAGE, GMV, PROMISED_HOURS, PAY = range(SOFT_LEVELS)


@dataclass
class Host:
    id: Annotated[str, PlanningId]
    tier: str
    categories: frozenset
    languages: frozenset
    available_slots: frozenset  # slot ids lying inside one of the host's availability windows (rule 1)
    max_streams_per_day: int
    max_week_minutes: int
    min_week_minutes: int
    max_day_minutes: int  # settings.max_daily_hours, per host so the constraint needs no closure


@planning_entity
@dataclass
class Slot:
    id: Annotated[str, PlanningId]
    start: int
    end: int
    changeover_end: int  # end + the changeover: rule 4 forbids another stream of the host starting before
    rest_end: int  # end + the overnight rest: rule 5 forbids a stream on another day starting before
    day: int
    week: int
    minutes: int
    weight: int
    gmv_cents: dict  # host id -> expected GMV x the host's fit, in cents (eligible hosts only)
    pay_cents: dict  # host id -> hourly pay plus expected commission, in cents (scheduler.model.pay_cents)
    category: str
    language: str
    allowed_tiers: frozenset
    eligible: Annotated[list[Host], ValueRangeProvider(id="eligible")] = field(default_factory=list)
    locked: Annotated[bool, PlanningPin] = False
    host: Annotated[Host | None, PlanningVariable(value_range_provider_refs=["eligible"],
                                                  allows_unassigned=True)] = None


@planning_solution
@dataclass
class Roster:
    hosts: Annotated[list[Host], ProblemFactCollectionProperty]
    slots: Annotated[list[Slot], PlanningEntityCollectionProperty]
    score: Annotated[BendableScore | None,
                     PlanningScore(bendable_hard_levels_size=1, bendable_soft_levels_size=SOFT_LEVELS)] = None


HARD = BendableScore.of_hard(1, SOFT_LEVELS, 0, 1)
SOFT = [BendableScore.of_soft(1, SOFT_LEVELS, level, 1) for level in range(SOFT_LEVELS)]

# One function per rule and per objective term. The lambdas read only entity and fact attributes (no
# closures), so Timefold translates them to Java instead of calling back into Python.


def availability(f: ConstraintFactory) -> Constraint:
    return (f.for_each(Slot).filter(lambda s: s.id not in s.host.available_slots)
            .penalize(HARD).as_constraint("1 slot inside an availability window"))


def tier(f: ConstraintFactory) -> Constraint:
    return (f.for_each(Slot).filter(lambda s: s.host.tier not in s.allowed_tiers)
            .penalize(HARD).as_constraint("2 host tier allowed for the product tier"))


def category_language(f: ConstraintFactory) -> Constraint:
    return (f.for_each(Slot)
            .filter(lambda s: s.category not in s.host.categories or s.language not in s.host.languages)
            .penalize(HARD).as_constraint("3 host sells the category in the language"))


def changeover_gap(f: ConstraintFactory) -> Constraint:
    return (f.for_each_unique_pair(Slot, Joiners.equal(lambda s: s.host),
                                   Joiners.overlapping(lambda s: s.start, lambda s: s.changeover_end))
            .penalize(HARD).as_constraint("4 no overlap and a changeover between streams"))


def overnight_rest(f: ConstraintFactory) -> Constraint:
    return (f.for_each_unique_pair(Slot, Joiners.equal(lambda s: s.host),
                                   Joiners.overlapping(lambda s: s.start, lambda s: s.rest_end))
            .filter(lambda a, b: a.day != b.day)
            .penalize(HARD).as_constraint("5 rest between streams on different days"))


def streams_per_day(f: ConstraintFactory) -> Constraint:
    return (f.for_each(Slot)
            .group_by(lambda s: s.host, lambda s: s.day, ConstraintCollectors.count())
            .filter(lambda h, d, n: n > h.max_streams_per_day)
            .penalize(HARD, lambda h, d, n: n - h.max_streams_per_day)
            .as_constraint("6 streams per day"))


def hours_per_day(f: ConstraintFactory) -> Constraint:
    return (f.for_each(Slot)
            .group_by(lambda s: s.host, lambda s: s.day, ConstraintCollectors.sum(lambda s: s.minutes))
            .filter(lambda h, d, m: m > h.max_day_minutes)
            .penalize(HARD, lambda h, d, m: m - h.max_day_minutes)
            .as_constraint("6 live hours per day"))


def hours_per_week(f: ConstraintFactory) -> Constraint:
    return (f.for_each(Slot)
            .group_by(lambda s: s.host, lambda s: s.week, ConstraintCollectors.sum(lambda s: s.minutes))
            .filter(lambda h, w, m: m > h.max_week_minutes)
            .penalize(HARD, lambda h, w, m: m - h.max_week_minutes)
            .as_constraint("7 live hours per week"))


def coverage(f: ConstraintFactory) -> Constraint:
    return f.for_each(Slot).reward(SOFT[COVERAGE], lambda s: s.weight).as_constraint("coverage")


def expected_gmv(f: ConstraintFactory) -> Constraint:
    return (f.for_each(Slot).reward(SOFT[GMV], lambda s: s.gmv_cents.get(s.host.id, 0))
            .as_constraint("expected GMV x fit"))


def promised_hours(f: ConstraintFactory) -> Constraint:
    return (f.for_each(Slot)
            .group_by(lambda s: s.host, lambda s: s.week, ConstraintCollectors.sum(lambda s: s.minutes))
            .reward(SOFT[PROMISED_HOURS], lambda h, w, m: min(m, h.min_week_minutes))
            .as_constraint("promised hours kept"))


def pay(f: ConstraintFactory) -> Constraint:
    return (f.for_each(Slot).penalize(SOFT[PAY], lambda s: s.pay_cents.get(s.host.id, 0))
            .as_constraint("pay"))


@constraint_provider
def constraints(f: ConstraintFactory) -> list[Constraint]:
    return [
        # Hard
        availability(f), tier(f), category_language(f), changeover_gap(f), overnight_rest(f),
        streams_per_day(f), hours_per_day(f), hours_per_week(f),
        # Soft, in order of importance
        coverage(f), expected_gmv(f), promised_hours(f), pay(f),
    ]


def build_roster(studio: Studio, settings: Settings) -> Roster:
    """Turn a studio into Timefold's problem, with the scheduler's own eligibility and fit numbers."""
    slots, times = studio.slots, studio.times
    elig = eligibility(studio, settings)
    ok = elig.host_ok
    fit = fit_matrix(studio, settings)
    gmv = slots["expected_gmv"].to_numpy(dtype=float)[:, None] * fit * 100
    slot_ids = slots["slot_id"].to_numpy()
    week_index = {week: i for i, week in enumerate(sorted(set(times.week)))}
    roster_hosts: dict[int, Host] = {}
    for col, h in enumerate(studio.hosts.itertuples(index=False)):
        if studio.is_assistant[col]:
            continue
        roster_hosts[col] = Host(
            h.host_id, h.tier, _folded(h.categories), _folded(h.languages),
            frozenset(slot_ids[elig.availability[:, col]]), int(h.max_streams_per_day),
            int(weekly_cap_minutes(studio.hosts)[col]), int(weekly_min_minutes(studio.hosts)[col]),
            settings.max_daily_minutes)
    locked = slots["locked_host_id"].to_numpy()
    entities = []
    for row, s in enumerate(slots.itertuples(index=False)):
        cols = [c for c in np.flatnonzero(ok[row]) if c in roster_hosts]
        lock = studio.host_index.get(locked[row])
        entities.append(Slot(
            id=s.slot_id, start=int(times.start[row] // 60), end=int(times.end[row] // 60),
            changeover_end=int((times.end[row] + settings.changeover_seconds) // 60),
            rest_end=int((times.end[row] + settings.rest_seconds) // 60), day=int(times.day[row]),
            week=week_index[times.week[row]], minutes=int(times.minutes[row]),
            weight=int(settings.tier_weights[s.product_tier]),
            gmv_cents={roster_hosts[c].id: int(round(gmv[row, c])) for c in cols},
            pay_cents={roster_hosts[c].id: int(round(pay_cents(studio, fit, row, c))) for c in cols},
            category=s.category.casefold(), language=s.language.casefold(),
            allowed_tiers=frozenset(settings.tier_table[s.product_tier]),
            eligible=[roster_hosts[c] for c in cols], locked=lock is not None,
            host=roster_hosts.get(lock) if lock is not None else None))
    return Roster(list(roster_hosts.values()), entities)


def _folded(items) -> frozenset:
    return frozenset(str(x).casefold() for x in items)


@dataclass(frozen=True)
class TimefoldResult:
    assignments: pd.DataFrame  # slot_id, host_id (empty where unstaffed)
    score: str  # Timefold's own score text, e.g. [0]hard/[1230/456789/600/-90000]soft
    feasible: bool
    solve_seconds: float  # wall time of solver.solve
    setup_seconds: float  # SolverFactory.create + build_solver: translating the Python model to Java


def timefold_plan(studio: Studio, settings: Settings, time_limit: float, seed: int = 0) -> TimefoldResult:
    """Solve with Timefold for `time_limit` seconds (reproducible for a seed, up to timing)."""
    roster = build_roster(studio, settings)
    config = SolverConfig(
        solution_class=Roster, entity_class_list=[Slot], environment_mode=EnvironmentMode.NO_ASSERT,
        random_seed=seed,
        score_director_factory_config=ScoreDirectorFactoryConfig(constraint_provider_function=constraints),
        termination_config=TerminationConfig(spent_limit=Duration(milliseconds=int(time_limit * 1000))))
    began = time.perf_counter()
    solver = SolverFactory.create(config).build_solver()
    ready = time.perf_counter()
    solved = solver.solve(roster)
    done = time.perf_counter()
    frame = pd.DataFrame({"slot_id": [s.id for s in solved.slots],
                          "host_id": [s.host.id if s.host is not None else "" for s in solved.slots]})
    return TimefoldResult(frame.astype("str"), str(solved.score), bool(solved.score.is_feasible), done - ready,
                          ready - began)
