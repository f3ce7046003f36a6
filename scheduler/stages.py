"""The lexicographic objective, stage by stage: build the model, then optimise each level and fix it.

Each stage is optimised, then fixed as a constraint (at least / at most the value found) before the next, with
the previous stage's solution as a complete hint; the first stage starts from the greedy plan. Host coverage
comes first, then assistant positions (below any host slot, above GMV), then the contract's later levels.
Host coverage alone is much quicker to prove than with the assistants folded in: presolve then drops the
assistant variables from that stage.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

import numpy as np
from ortools.sat.python import cp_model

from scheduler import model as m
from scheduler.cpsat import Linear, Pair, ScheduleModel, add_bounds, set_objective
from scheduler.fit import fit_matrix
from scheduler.greedy import GreedyPlan, better_hosts, expected_value, greedy_plan
from scheduler.locks import locked_pairs, validate_locks
from scheduler.rules import Eligibility, assistant_ok, eligibility
from scheduler.settings import Settings
from scheduler.solution import StageResult
from scheduler.studio import Studio, check_rooms

Progress = Callable[[float, float, float], None]
WALL_SLACK = 2.0  # a stage may run up to this many times its share of the wall time left (a safety net)


@dataclass
class Stage:
    """One level of the lexicographic objective; `share` is its part of the remaining time."""

    name: str
    linear: Linear
    maximize: bool
    share: float
    known_bound: float = float("nan")  # a bound known without solving; reported when the solver's is looser

    def reaches(self, value: float) -> bool:
        """No plan can beat `value`: it already meets the known bound."""
        return value >= self.known_bound if self.maximize else value <= self.known_bound

    def tighter(self, bound: float) -> float:
        """The tighter of the solver's bound and the known one (either may be missing)."""
        if np.isnan(self.known_bound):
            return bound
        if not np.isfinite(bound):
            return self.known_bound
        return min(bound, self.known_bound) if self.maximize else max(bound, self.known_bound)


@dataclass
class Instance:
    """Everything a solve needs, built once: eligibility, fit, model, and the greedy plan it starts from."""

    studio: Studio
    settings: Settings
    elig: Eligibility
    fit: np.ndarray
    model: ScheduleModel
    start: GreedyPlan  # breaks no hard rule and keeps every lock: the plan returned if the solver finds nothing
    forbidden: frozenset = frozenset()  # (slot, person) pairs no plan may use (a re-plan's call-out)
    fixed_assistants: frozenset = frozenset()  # assistant positions every plan keeps
    locks: dict = field(default_factory=dict)  # slot -> person, kept in every plan
    polish: bool = True  # move hosts to better-fitting ones between stages (not in a re-plan: moves cost there)


def build_instance(studio: Studio, settings: Settings, locks: dict[int, int] | None = None,
                   forbidden: AbstractSet[Pair] = frozenset(), fixed_assistants: AbstractSet[Pair] = frozenset(),
                   keep: AbstractSet[Pair] = frozenset()) -> Instance:
    """The model with every hard rule; locks default to slots.csv's locked_host_id (validated first).

    `keep` (a re-plan's previous pairs) is where the starting plan begins, before it fills what is open."""
    check_rooms(studio, settings)
    elig = eligibility(studio, settings)
    locks = locked_pairs(studio) if locks is None else locks
    validate_locks(studio, settings, elig, locks)
    fit = fit_matrix(studio, settings)
    model = m.build_model(studio, settings, elig.host_ok, assistant_ok(studio, elig), locks, forbidden,
                          fixed_assistants)
    start = greedy_plan(studio, settings, locks, keep=set(keep), forbidden=set(forbidden),
                        fixed_assistants=set(fixed_assistants), elig=elig, fit=fit)
    return Instance(studio, settings, elig, fit, model, start, frozenset(forbidden), frozenset(fixed_assistants),
                    dict(locks), polish=not keep)


def coverage_stages(instance: Instance) -> list[Stage]:
    """Objective 1, tier-weighted host coverage (no plan beats staffing every slot that has a candidate),
    then staffed assistant positions."""
    coverage = m.coverage_terms(instance.model, instance.studio, instance.settings)
    needed = instance.studio.slots["assistants_needed"].to_numpy()
    return [Stage("coverage", coverage, True, 3, known_bound=m.best_per_slot(instance.model, coverage)),
            Stage("assistant positions", m.assistant_terms(instance.model), True, 1,
                  known_bound=m.assistant_ceiling(instance.model, needed))]


def later_stages(instance: Instance) -> list[Stage]:
    """Objective levels 2 and 3 of the contract: GMV, then shortfall, then pay (neither can go below 0)."""
    gmv = m.gmv_terms(instance.model, instance.studio, instance.fit)
    return [Stage("expected GMV", gmv, True, 3, known_bound=m.best_per_slot(instance.model, gmv)),
            Stage("min-hours shortfall", m.shortfall_terms(instance.model, instance.studio), False, 1.5, 0.0),
            Stage("pay", m.pay_terms(instance.model, instance.studio, instance.fit), False, 1.5, 0.0)]


def run_stages(instance: Instance, stages: list[Stage], time_limit: float, started: float, seed: int,
               progress: Progress | None, work: float | None = None) -> tuple[list[StageResult], dict]:
    """Optimise each stage in turn until `started + time_limit`; returns each stage's outcome and the values.

    Every stage starts from the plan so far (first the greedy plan), so a stage cut short still returns a
    plan at least as good. Each stage stops as soon as it is proven optimal. Its deterministic work budget
    is its share of what earlier stages left of `time_limit x work_per_second`, never of the wall time left
    after model building, so it does not depend on how fast or busy the machine is. `work` overrides that
    total (a week of a longer horizon gets its own fixed part)."""
    model = instance.model
    cp = model.cp
    solution = solution_of(instance, instance.start.pairs)
    results: list[StageResult] = []
    _hint(cp, solution)
    deadline = max(started + time_limit, time.monotonic() + 0.1)
    budget = max(time_limit, 0.1) * instance.settings.work_per_second if work is None else work
    for index, stage in enumerate(stages):
        value = stage.linear.value(solution)
        if len(stage.linear.variables) == 0 or stage.reaches(value):
            # nothing to optimise, or the plan so far already reaches what no plan can beat
            results.append(StageResult(stage.name, "OPTIMAL", float(value), float(value), 0.0))
            _keep(cp, stage, value)
            continue
        share = stage.share / sum(s.share for s in stages[index:])
        remaining = deadline - time.monotonic()
        wall = remaining if index == len(stages) - 1 else remaining * min(1.0, share * WALL_SLACK)
        set_objective(cp, stage.linear, stage.maximize)
        solver = _solver(instance.settings, seed, max(wall, 0.05), max(budget, 0.0) * share, first=not results)
        status = solver.Solve(cp, _Callback(progress, started) if progress else None)
        budget -= solver.ResponseProto().deterministic_time
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):  # out of time: the plan so far stands
            first = index == 0
            results.append(StageResult(stage.name, solver.StatusName(status), float(value) if first else float("nan"),
                                       stage.known_bound if first else float("nan"), solver.WallTime()))
            break
        objective = int(round(solver.ObjectiveValue()))
        if objective != value:  # an equal solution would only reshuffle what earlier stages set up
            solution = np.array(solver.ResponseProto().solution, dtype=np.int64)
        bound = stage.tighter(solver.BestObjectiveBound())
        results.append(StageResult(stage.name, solver.StatusName(status), float(objective), float(bound),
                                   solver.WallTime()))
        if progress:
            progress(time.monotonic() - started, objective, bound)
        _keep(cp, stage, objective)
        if index == 0 and objective != value:
            solution = _completed(instance, solution)
        _hint(cp, solution)
    return results, {pair: int(solution[var]) for pair, var in model.pairs.items()}


def solution_of(instance: Instance, pairs: set[Pair]) -> np.ndarray:
    """One value per model variable for a plan given as (slot, person) pairs; shortfalls as the plan leaves them."""
    model = instance.model
    solution = np.zeros(model.size, dtype=np.int64)
    solution[[model.pairs[pair] for pair in pairs]] = 1
    for short, worked, promised in model.shortfalls:
        solution[short] = max(0, promised - worked.value(solution))
    return solution


def _completed(instance: Instance, solution: np.ndarray) -> np.ndarray:
    """The coverage stage's solution made a better start for the next ones: its hosts kept, open slots and
    assistant positions staffed greedily (the starting plan's assistants first), then each slot moved to a
    better-fitting host where the rules allow (scheduler.greedy.better_hosts). The same slots stay staffed,
    so coverage is kept; the coverage stage ignores assistants and GMV, so this usually gives the assistant
    stage a plan already at its bound and the GMV stage a far better first solution."""
    hosts = {s: p for (s, p), var in instance.model.hosts.items() if solution[var]}
    plan = greedy_plan(instance.studio, instance.settings, hosts, keep=set(instance.start.assistants),
                       forbidden=set(instance.forbidden), fixed_assistants=set(instance.fixed_assistants),
                       elig=instance.elig, fit=instance.fit)
    if instance.polish:
        allowed = instance.elig.host_ok.copy()
        for pair in instance.forbidden:
            allowed[pair] = False
        value = expected_value(instance.studio, instance.settings, instance.fit)
        plan = better_hosts(instance.studio, instance.settings, plan, value, allowed, set(instance.locks))
    return solution_of(instance, plan.pairs)


def _keep(cp: cp_model.CpModel, stage: Stage, value: int) -> None:
    """Fix a finished stage at the value reached, so later stages cannot trade it away."""
    if len(stage.linear.variables):
        add_bounds(cp, stage.linear, **{"low" if stage.maximize else "high": int(value)})


def _hint(cp: cp_model.CpModel, solution: np.ndarray) -> None:
    """Hint every variable (shortfall ones too): the next stage starts from a complete plan."""
    cp.clear_hints()
    hint = cp.Proto().solution_hint
    hint.vars.extend(range(len(solution)))
    hint.values.extend(solution.tolist())


def _solver(settings: Settings, seed: int, seconds: float, work: float, first: bool) -> cp_model.CpSolver:
    """Fixed seed; the full LP relaxation (linearization level 2), which on these models proves optimality far
    sooner than the default. Stages after the first presolve lightly (one round, no search for big linear
    overlaps): the model is the first stage's plus one constraint per stage, and on a week of 30 channels
    the full presolve spent 2.3 work units, the GMV stage's whole budget, before the search began (two
    overlap searches alone count 1 unit each). With settings.deterministic one worker searches and stops on
    CP-SAT's deterministic clock after `work` units, so the same inputs and seed give the same plan; the
    wall-clock limit (`seconds`) is a safety net: only on a machine too busy to do that work in time can a
    run differ. Without it (race), settings.workers workers race in parallel until the clock stops them."""
    solver = cp_model.CpSolver()
    solver.parameters.random_seed = seed
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.linearization_level = 2
    if not first:
        solver.parameters.max_presolve_iterations = 1
        solver.parameters.find_big_linear_overlap = False
    if settings.deterministic:
        solver.parameters.num_workers = 1
        solver.parameters.max_deterministic_time = work
    else:
        solver.parameters.num_workers = settings.workers
    return solver


class _Callback(cp_model.CpSolverSolutionCallback):
    """Reports each improving solution to a progress bar: seconds since the solve began, objective, bound."""

    def __init__(self, progress: Progress, clock: float):
        super().__init__()
        self._progress = progress
        self._clock = clock

    def on_solution_callback(self) -> None:
        self._progress(time.monotonic() - self._clock, self.ObjectiveValue(), self.BestObjectiveBound())
