"""Solving: staff the slots under the hard rules, optimising the contract's objectives in order.

A single week is one model (scheduler.stages); a horizon of several ISO weeks is split into weeks solved side
by side (scheduler.horizon). Either way the solve starts from a greedy plan that breaks no rule, so even a solve
cut short returns a complete, rule-abiding plan that keeps its locks.
"""
from __future__ import annotations

import time
from collections.abc import Set as AbstractSet

import pandas as pd

from scheduler.cpsat import Pair
from scheduler.explain import explain_unstaffed, idle_hosts
from scheduler.fit import fit_matrix
from scheduler.horizon import solve_by_week
from scheduler.rules import eligibility
from scheduler.settings import Settings
from scheduler.solution import Solution, StageResult, build_solution
from scheduler.stages import Instance, Progress, build_instance, coverage_stages, later_stages, run_stages
from scheduler.studio import Studio


def solve(studio: Studio, settings: Settings = Settings(), time_limit: float = 10.0, seed: int = 0,
          progress: Progress | None = None) -> Solution:
    """Staff the slots: hard rules always hold; coverage, then GMV, then shortfall and pay are optimised."""
    started = time.monotonic()
    if len(set(studio.times.week.tolist())) > 1:
        return solve_by_week(studio, settings, time_limit, seed, progress, started)
    instance = build_instance(studio, settings)
    stages = [*coverage_stages(instance), *later_stages(instance)]
    results, values = run_stages(instance, stages, time_limit, started, seed, progress)
    return finish(instance, results, values, started)


def finish(instance: Instance, results: list[StageResult], values: dict, started: float,
           called_out: AbstractSet[Pair] = frozenset()) -> Solution:
    """Read the solver's values back into a Solution with summary and explanations."""
    host_of = {s: p for (s, p), v in values.items() if v and (s, p) in instance.model.hosts}
    assistant_pairs = sorted(pair for pair, v in values.items() if v and pair in instance.model.assistants)
    reasons = explain_unstaffed(instance.studio, instance.settings, instance.elig, host_of, called_out)
    return build_solution(instance.studio, instance.settings, instance.fit, host_of, assistant_pairs, reasons,
                          results, time.monotonic() - started,
                          idle=idle_hosts(instance.studio, instance.settings, instance.elig))


def evaluate(studio: Studio, assignments: pd.DataFrame, settings: Settings = Settings(),
             assistants: pd.DataFrame | None = None) -> Solution:
    """The Solution view (summary, unstaffed slots with reasons) of assignments made elsewhere, e.g. a saved or
    hand-edited plan; no solving, and no rule checking (check_assignments does that)."""
    started = time.monotonic()
    elig = eligibility(studio, settings)
    fit = fit_matrix(studio, settings)
    slot_row = {s: i for i, s in enumerate(studio.slots["slot_id"])}
    host_of = {slot_row[s]: studio.host_index[h] for s, h in _pairs(assignments, "host_id")
               if s in slot_row and h in studio.host_index}
    assistant_pairs = sorted((slot_row[s], studio.host_index[a]) for s, a in _pairs(assistants, "assistant_id")
                             if s in slot_row and a in studio.host_index)
    reasons = explain_unstaffed(studio, settings, elig, host_of)
    return build_solution(studio, settings, fit, host_of, assistant_pairs, reasons, [], time.monotonic() - started,
                          status="EVALUATED", idle=idle_hosts(studio, settings, elig))


def _pairs(frame: pd.DataFrame | None, column: str) -> list[tuple[str, str]]:
    if frame is None or frame.empty:
        return []
    people = frame[column].fillna("").astype("str").str.strip()
    return [(s, p) for s, p in zip(frame["slot_id"].astype("str"), people) if p]
