"""Solving: build the model, optimise the contract's objectives one after another, read back a Plan.

The objective is truly lexicographic: each stage is optimised, then fixed as a constraint (at least / at most the
value found) before the next, with the previous stage's solution as a hint. Stage 1 is host coverage with
assistant positions folded in below it: coverage weights are multiplied by (assistant positions + 1), so no number
of assistant positions can outweigh one longtail slot.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable

import numpy as np
import pandas as pd
from ortools.sat.python import cp_model

from scheduler import model as m
from scheduler.explain import explain_unstaffed
from scheduler.fit import fit_matrix
from scheduler.locks import locked_pairs, validate_locks
from scheduler.plan import Plan, StageResult, build_plan
from scheduler.rules import assistant_ok, eligibility
from scheduler.settings import Settings
from scheduler.studio import Studio, check_rooms

Progress = Callable[[float, float, float], None]


@dataclass
class Stage:
    """One level of the lexicographic objective; `share` is its part of the remaining time."""

    name: str
    expression: cp_model.LinearExpr
    maximize: bool
    share: float
    scale: int = 1  # the expression is the reported objective times scale plus a lower-priority remainder


@dataclass
class Instance:
    """Everything a solve needs, built once: eligibility, fit, model and its stages."""

    studio: Studio
    settings: Settings
    elig: object
    fit: np.ndarray
    model: m.ScheduleModel
    kept: frozenset = frozenset()  # (slot, person) pairs fixed by locks: in every plan, even one found in no time


def build_instance(studio: Studio, settings: Settings, locks: dict[int, int] | None = None,
                  forbidden: set[m.Pair] = frozenset(), fixed_assistants: set[m.Pair] = frozenset()) -> Instance:
    """The model with every hard rule; locks default to slots.csv's locked_host_id (validated first)."""
    check_rooms(studio, settings)
    elig = eligibility(studio, settings)
    locks = locked_pairs(studio) if locks is None else locks
    validate_locks(studio, settings, elig, locks)
    cp = cp_model.CpModel()
    model = m.add_eligible_pairs(cp, elig.host_ok, assistant_ok(studio, elig), forbidden)
    m.add_one_host_per_slot(model)
    m.add_assistants_on_staffed_slots(model, studio.slots["assistants_needed"].to_numpy())
    m.add_locks(model, locks)
    m.add_fixed_assistants(model, set(fixed_assistants))
    m.add_no_overlap_and_changeover(model, studio, settings)
    m.add_overnight_rest(model, studio, settings)
    m.add_daily_limits(model, studio, settings)
    m.add_weekly_cap(model, studio)
    kept = frozenset(locks.items()) | frozenset(fixed_assistants)
    return Instance(studio, settings, elig, fit_matrix(studio, settings), model, kept)


def coverage_stage(instance: Instance) -> Stage:
    positions = int(instance.studio.slots["assistants_needed"].sum())
    expression = ((positions + 1) * m.coverage_terms(instance.model, instance.studio, instance.settings)
                  + m.assistant_terms(instance.model))
    return Stage("coverage", expression, True, 4, scale=positions + 1)


def later_stages(instance: Instance) -> list[Stage]:
    """Objective levels 2 and 3 of the contract: GMV, then shortfall, then pay."""
    return [Stage("expected GMV", m.gmv_terms(instance.model, instance.studio, instance.fit), True, 3),
            Stage("min-hours shortfall", m.shortfall_terms(instance.model, instance.studio), False, 1.5),
            Stage("pay", m.pay_terms(instance.model, instance.studio, instance.fit), False, 1.5)]


def solve(studio: Studio, settings: Settings = Settings(), time_limit: float = 10.0, seed: int = 0,
          progress: Progress | None = None) -> Plan:
    """Staff the slots: hard rules always hold; coverage, then GMV, then shortfall and pay are optimised."""
    started = time.monotonic()
    instance = build_instance(studio, settings)
    stages = [coverage_stage(instance), *later_stages(instance)]
    results, values = run_stages(instance, stages, time_limit, started, seed, progress)
    return finish(instance, results, values, started)


def finish(instance: Instance, results: list[StageResult], values: dict, started: float,
           called_out: set[m.Pair] = frozenset()) -> Plan:
    """Read the solution back into a Plan with summary and explanations."""
    host_of = {s: p for (s, p), v in values.items() if v and (s, p) in instance.model.hosts}
    assistant_pairs = sorted(pair for pair, v in values.items() if v and pair in instance.model.assistants)
    reasons = explain_unstaffed(instance.studio, instance.settings, instance.elig, host_of, called_out)
    return build_plan(instance.studio, instance.settings, instance.fit, host_of, assistant_pairs, reasons, results,
                      time.monotonic() - started)


def run_stages(instance: Instance, stages: list[Stage], time_limit: float, started: float, seed: int,
               progress: Progress | None, hint: dict[m.Pair, int] | None = None) -> tuple[list[StageResult], dict]:
    """Optimise each stage in turn until `started + time_limit`; returns each stage's outcome and the values.

    The deterministic work of a stage is its share of `time_limit` itself, never of the time left after model
    building, so it does not depend on how fast the machine was."""
    model = instance.model
    cp = model.cp
    variables = {**model.hosts, **model.assistants}
    values = {pair: int(pair in instance.kept) for pair in variables}  # the fallback plan: the locks alone
    results: list[StageResult] = []
    if not variables:
        return results, values
    for pair, var in variables.items():  # by default start from the empty plan (plus locks): always feasible
        cp.AddHint(var, (hint or {}).get(pair, 0))
    deadline = max(started + time_limit, time.monotonic() + 0.1)
    for index, stage in enumerate(stages):
        if isinstance(stage.expression, (int, float)):  # no variable in this term: nothing to optimise
            results.append(StageResult(stage.name, "OPTIMAL", float(stage.expression), float(stage.expression), 0.0))
            continue
        remaining = deadline - time.monotonic()
        share = stage.share / sum(s.share for s in stages[index:])
        work = max(time_limit, 0.1) * stage.share / sum(s.share for s in stages)  # fixed, so runs repeat exactly
        wall = 2 * share * remaining if instance.settings.deterministic else share * remaining
        if stage.maximize:
            cp.Maximize(stage.expression)
        else:
            cp.Minimize(stage.expression)
        solver = _solver(instance.settings, seed, max(min(remaining, wall), 0.05), work)
        callback = _Callback(progress, started) if progress else None
        status = solver.Solve(cp, callback)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            results.append(StageResult(stage.name, solver.StatusName(status), float("nan"), float("nan"),
                                       solver.WallTime()))
            break  # out of time: keep the previous stage's plan, which satisfies every hard rule
        values = {pair: int(solver.Value(var)) for pair, var in variables.items()}
        objective, bound = solver.ObjectiveValue(), solver.BestObjectiveBound()
        results.append(StageResult(stage.name, solver.StatusName(status), float(objective // stage.scale),
                                   float(bound // stage.scale), solver.WallTime()))
        if progress:
            progress(time.monotonic() - started, objective, bound)
        cp.Add(stage.expression >= int(round(objective)) if stage.maximize else stage.expression <= int(round(objective)))
        _hint_everything(cp, solver)

    return results, values


def _hint_everything(cp: cp_model.CpModel, solver: cp_model.CpSolver) -> None:
    """Hint every variable (shortfall ones too) from the last solution: the next stage starts from a full plan."""
    cp.ClearHints()
    hint = cp.Proto().solution_hint
    solution = solver.ResponseProto().solution
    hint.vars.extend(range(len(solution)))
    hint.values.extend(solution)


def _solver(settings: Settings, seed: int, seconds: float, work_seconds: float) -> cp_model.CpSolver:
    """Fixed seed and worker count. With settings.deterministic the workers interleave their search in fixed
    batches and each stage stops on CP-SAT's deterministic clock after `work_seconds` worth of work (a fixed
    share of the time limit), so the same inputs and seed give the same plan. The wall-clock limit (`seconds`,
    up to twice the stage's share of what is left) is a safety net: only on a machine too busy to do that work
    in time can a run differ."""
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = settings.workers
    solver.parameters.random_seed = seed
    solver.parameters.max_time_in_seconds = seconds
    if settings.deterministic:
        solver.parameters.interleave_search = True
        solver.parameters.max_deterministic_time = work_seconds * settings.work_per_second
    return solver


class _Callback(cp_model.CpSolverSolutionCallback):
    """Reports each improving solution to a progress bar: seconds since the solve began, objective, bound."""

    def __init__(self, progress: Progress, clock: float):
        super().__init__()
        self._progress = progress
        self._clock = clock

    def on_solution_callback(self) -> None:
        self._progress(time.monotonic() - self._clock, self.ObjectiveValue(), self.BestObjectiveBound())


def evaluate(studio: Studio, assignments: pd.DataFrame, settings: Settings = Settings(),
             assistants: pd.DataFrame | None = None) -> Plan:
    """The Plan view (summary, unstaffed slots with reasons) of assignments made elsewhere, e.g. a saved or
    hand-edited plan; no solving, and no rule checking (check_assignments does that)."""
    started = time.monotonic()
    elig = eligibility(studio, settings)
    fit = fit_matrix(studio, settings)
    slot_row = {s: i for i, s in enumerate(studio.slots["slot_id"].astype("str"))}
    host_of = {slot_row[s]: studio.host_index[h] for s, h in _pairs(assignments, "host_id")
               if s in slot_row and h in studio.host_index}
    assistant_pairs = sorted((slot_row[s], studio.host_index[a]) for s, a in _pairs(assistants, "assistant_id")
                             if s in slot_row and a in studio.host_index)
    reasons = explain_unstaffed(studio, settings, elig, host_of)
    return build_plan(studio, settings, fit, host_of, assistant_pairs, reasons, [], time.monotonic() - started,
                      status="EVALUATED")


def _pairs(frame: pd.DataFrame | None, column: str) -> list[tuple[str, str]]:
    if frame is None or frame.empty:
        return []
    people = frame[column].fillna("").astype("str").str.strip()
    return [(s, p) for s, p in zip(frame["slot_id"].astype("str"), people) if p]
