"""Plans over several ISO weeks: one model per week, solved side by side, joined at the week boundaries.

Weeks share almost nothing: the weekly cap and promised hours are per ISO week, daily limits per day, and every
objective is a sum. Only rules 4-5 reach across midnight on Sunday (a late Sunday stream, an early Monday one).
Leaving out those few constraints splits a month into independent weeks (a relaxation of the whole), so
- the weeks can be solved in parallel, `settings.workers` threads each running a one-worker search with its own
  fixed deterministic work budget, so the same inputs and seed still give the same plan;
- the sum of the weeks' bounds is a valid bound for the whole horizon, and the reported gap is honest.
Joining keeps every week's pair that breaks no rule across a boundary (in priority order, tier weight first),
then staffs what a clash emptied greedily; the result is compared with the greedy plan for the whole horizon,
and the better one (in the objective's order) is returned.
"""
from __future__ import annotations

import math
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from scheduler.cpsat import Pair
from scheduler.explain import explain_unstaffed, idle_hosts
from scheduler.fit import fit_matrix
from scheduler.greedy import GreedyPlan, greedy_plan
from scheduler.locks import locked_pairs, validate_locks
from scheduler.rules import eligibility
from scheduler.settings import Settings
from scheduler.solution import Solution, StageResult, build_solution
from scheduler.stages import (
    Instance,
    Progress,
    Stage,
    build_instance,
    coverage_stages,
    later_stages,
    run_stages,
    solution_of,
)
from scheduler.studio import Studio, check_rooms


@dataclass
class Week:
    """One ISO week of the horizon: its slot rows in the whole studio, its model and how its stages ended."""

    label: str
    rows: np.ndarray
    instance: Instance
    stages: list[Stage]
    results: list[StageResult]
    pairs: set[Pair]  # (global slot row, person) pairs of the week's plan

    def values(self, plan: set[Pair]) -> list[int]:
        """Each stage's objective for the part of a whole-horizon plan that falls in this week."""
        local = {int(row): i for i, row in enumerate(self.rows)}
        solution = solution_of(self.instance, {(local[s], p) for s, p in plan if s in local})
        return [stage.linear.value(solution) for stage in self.stages]


def solve_by_week(studio: Studio, settings: Settings, time_limit: float, seed: int, progress: Progress | None,
                  started: float) -> Solution:
    """Staff a horizon of several ISO weeks (see the module docstring); hard rules always hold."""
    check_rooms(studio, settings)
    elig = eligibility(studio, settings)
    locks = locked_pairs(studio)
    validate_locks(studio, settings, elig, locks)  # across weeks too
    fit = fit_matrix(studio, settings)
    start = greedy_plan(studio, settings, locks, elig=elig, fit=fit)
    labels = sorted(set(studio.times.week.tolist()))
    workers = max(1, min(settings.workers, len(labels))) if settings.deterministic else 1  # race: all to a week
    rounds = math.ceil(len(labels) / workers)
    work = max(time_limit, 0.1) * settings.work_per_second / rounds  # fixed per week: runs repeat exactly
    deadline = started + time_limit - 1.5 * (time.monotonic() - started)  # joining costs about what starting did
    done: list[Week] = []

    def solve_weeks(mine: list[str]) -> list[Week]:
        weeks = []
        for index, label in enumerate(mine):
            weeks.append(_solve_week(studio, settings, label, locks, start, seed, work,
                                     (deadline - time.monotonic()) / (len(mine) - index)))
            done.append(weeks[-1])
            if progress:
                progress(time.monotonic() - started, sum(_first(w).objective for w in done),
                         sum(_first(w).bound for w in done))
        return weeks

    with ThreadPoolExecutor(max_workers=workers) as pool:
        shares = [labels[k::workers] for k in range(workers)]
        weeks = sorted((w for part in pool.map(solve_weeks, shares) for w in part), key=lambda w: w.label)
    joined = greedy_plan(studio, settings, locks, keep=set().union(*(w.pairs for w in weeks)), elig=elig, fit=fit)
    plan, results = _better(weeks, joined, start)
    host_of = dict(plan.hosts)
    reasons = explain_unstaffed(studio, settings, elig, host_of)
    return build_solution(studio, settings, fit, host_of, sorted(plan.assistants), reasons, results,
                          time.monotonic() - started, idle=idle_hosts(studio, settings, elig))


def _solve_week(studio: Studio, settings: Settings, label: str, locks: dict[int, int], start: GreedyPlan, seed: int,
                work: float, seconds: float) -> Week:
    """One week as its own studio, starting from the whole horizon's greedy plan restricted to the week."""
    rows = np.flatnonzero(studio.times.week == label)
    local = {int(row): i for i, row in enumerate(rows)}
    week = Studio(studio.hosts, studio.availability, studio.slots.iloc[rows].reset_index(drop=True), studio.sessions)
    began = time.monotonic()
    instance = build_instance(week, settings, {local[s]: p for s, p in locks.items() if s in local},
                              keep={(local[s], p) for s, p in start.pairs if s in local})
    stages = [*coverage_stages(instance), *later_stages(instance)]
    results, values = run_stages(instance, stages, seconds, began, seed, None, work)
    pairs = {(int(rows[s]), p) for (s, p), v in values.items() if v}
    return Week(label, rows, instance, stages, results, pairs)


def _first(week: Week) -> StageResult:
    return week.results[0] if week.results else StageResult("coverage", "UNKNOWN", 0.0, float("nan"), 0.0)


def _better(weeks: list[Week], joined: GreedyPlan, start: GreedyPlan) -> tuple[GreedyPlan, list[StageResult]]:
    """The joined week plans or the whole-horizon greedy plan, whichever is better in the objective's order;
    with each stage's result over the horizon: the plan's value, and the sum of the weeks' bounds (a week that
    did not reach the stage counts with the bound known without solving). FEASIBLE unless every week proved
    the stage and joining lost nothing."""
    stages = weeks[0].stages
    signs = [1 if stage.maximize else -1 for stage in stages]

    def totals(plan: GreedyPlan) -> np.ndarray:
        return np.sum([w.values(plan.pairs) for w in weeks], axis=0)

    def score(values: np.ndarray) -> list[int]:
        return [int(sign * total) for sign, total in zip(signs, values)]

    joined_values, start_values = totals(joined), totals(start)
    plan, values = ((joined, joined_values) if score(joined_values) >= score(start_values)
                    else (start, start_values))
    week_values = np.sum([w.values(w.pairs) for w in weeks], axis=0)
    results = []
    for index, stage in enumerate(stages):
        ended = [w.results[index] for w in weeks if len(w.results) > index]
        bounds = [w.results[index].bound if len(w.results) > index and np.isfinite(w.results[index].bound)
                  else w.stages[index].known_bound for w in weeks]
        proven = (len(ended) == len(weeks) and all(r.status == "OPTIMAL" for r in ended)
                  and values[index] == week_values[index])  # nothing lost joining the weeks
        results.append(StageResult(stage.name, "OPTIMAL" if proven else "FEASIBLE", float(values[index]),
                                   float(sum(bounds)), sum(r.seconds for r in ended)))
    return plan, results
