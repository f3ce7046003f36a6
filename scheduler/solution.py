"""A solve's result: the staffing plan the contract asks for, plus what a person needs to trust it."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from scheduler.model import pay_cents, tier_weights
from scheduler.rules import weekly_cap_minutes, weekly_min_minutes
from scheduler.settings import Settings
from scheduler.studio import Studio

ASSIGNMENT_COLUMNS = ["slot_id", "host_id", "reason"]


@dataclass(frozen=True)
class StageResult:
    """How one level of the lexicographic objective ended."""

    name: str
    status: str
    objective: float
    bound: float
    seconds: float

    @property
    def gap(self) -> float:
        if np.isnan(self.objective):
            return float("nan")
        return abs(self.bound - self.objective) / max(1.0, abs(self.objective))


@dataclass
class SolutionSummary:
    """Figures for the terminal and the dashboard; objective/best_bound/gap are of the coverage stage."""

    status: str
    objective: float
    best_bound: float
    gap: float
    solve_seconds: float
    coverage: pd.DataFrame  # product_tier, staffed, total
    expected_gmv: float
    hours: pd.DataFrame  # host_id, name, tier, role, hours, min, max, pay, shortfall
    total_pay: float
    assistant_positions: tuple[int, int]  # (staffed, needed)
    stages: list[StageResult] = field(default_factory=list)
    currency: str = "USD"
    forecast_slots: tuple[int, int] = (0, 0)  # (slots whose expected GMV was forecast from results, slots)
    fit_source: str = "no results: every host counts as average"
    idle: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["host_id", "name", "reason"]))
    # the hosts who could take no slot of the plan at all, with why (scheduler.explain.idle_hosts)

    def to_text(self) -> str:
        """The summary as the terminal prints it."""
        lines = [f"status {self.status}, coverage objective {self.objective:g} (bound {self.best_bound:g}, "
                 f"gap {self.gap:.1%}), solved in {self.solve_seconds:.1f} s"]
        lines += [f"  stage {r.name}: {r.status}, {r.objective:,.0f} (bound {r.bound:,.0f}), {r.seconds:.1f} s"
                  for r in self.stages]
        lines.append("coverage by product tier:")
        lines += [f"  {row.product_tier:<9} {row.staffed:>4} / {row.total:<4} staffed"
                  for row in self.coverage.itertuples()]
        staffed, needed = self.assistant_positions
        if needed:
            lines.append(f"assistant positions: {staffed} / {needed} staffed")
        lines.append(f"expected GMV (fit-weighted): {self.expected_gmv:,.2f} {self.currency}")
        forecast, total = self.forecast_slots
        if forecast:
            lines.append(f"  {forecast} of {total} slot(s) had no expected_gmv: forecast from results")
        lines.append(f"  host fit: {self.fit_source}")
        lines.append(f"total pay (hourly + expected commission): {self.total_pay:,.2f} {self.currency}")
        lines.append("hours per person (min / max):")
        for row in self.hours.itertuples():
            flag = f"  short {row.shortfall:g} h" if row.shortfall > 0 else ""
            lines.append(f"  {row.host_id:<8} {row.name:<24.24} {row.tier} {row.hours:>5g} h  "
                         f"({row.min:g} / {row.max:g})  pay {row.pay:,.2f}{flag}")
        if len(self.idle):
            lines.append(f"hosts who could take no slot ({len(self.idle)}):")
            lines += [f"  {row.host_id:<8} {row.name:<24.24} {row.reason}" for row in self.idle.itertuples()]
        return "\n".join(lines)


@dataclass
class Solution:
    """assignments is exactly the contract's assignments.csv (slots.csv order); moved is filled by replan."""

    assignments: pd.DataFrame
    assistants: pd.DataFrame
    summary: SolutionSummary
    unstaffed: pd.DataFrame
    moved: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        {c: pd.Series(dtype="str") for c in ("slot_id", "old_host_id", "new_host_id")}))


def build_solution(studio: Studio, settings: Settings, fit: np.ndarray, host_of: dict[int, int],
                   assistant_pairs: list[tuple[int, int]], reasons: dict[int, str], stages: list,
                   seconds: float, status: str | None = None, idle: pd.DataFrame | None = None) -> Solution:
    """Assemble the output tables from solver values (row numbers) and the explanations of unstaffed slots."""
    slots, ids = studio.slots, studio.hosts["host_id"].astype("str").to_numpy()
    host_column = [ids[host_of[s]] if s in host_of else "" for s in range(len(slots))]
    assignments = pd.DataFrame({
        "slot_id": slots["slot_id"].astype("str"),
        "host_id": pd.Series(host_column, dtype="str"),
        "reason": pd.Series([reasons.get(s, "") if s not in host_of else "" for s in range(len(slots))], dtype="str"),
    })
    assistants = pd.DataFrame({"slot_id": pd.Series([slots.at[s, "slot_id"] for s, _ in assistant_pairs], dtype="str"),
                               "assistant_id": pd.Series([ids[p] for _, p in assistant_pairs], dtype="str")})
    open_rows = [s for s in range(len(slots)) if s not in host_of]
    unstaffed = slots.loc[open_rows, ["slot_id", "channel", "start", "end", "product_tier"]].reset_index(drop=True)
    unstaffed["reason"] = pd.Series([reasons.get(s, "") for s in open_rows], dtype="str")
    summary = summarise(studio, settings, fit, host_of, assistant_pairs, stages, seconds, status)
    if idle is not None:
        summary.idle = idle
    return Solution(assignments, assistants, summary, unstaffed)


def summarise(studio: Studio, settings: Settings, fit: np.ndarray, host_of: dict[int, int],
              assistant_pairs: list[tuple[int, int]], stages: list, seconds: float,
              status: str | None = None) -> SolutionSummary:
    """Coverage per tier, fit-weighted GMV, hours and pay per person; status defaults to the solver stages'."""
    slots, hosts, times = studio.slots, studio.hosts, studio.times
    tiers = slots["product_tier"]
    staffed = pd.Series([s in host_of for s in range(len(slots))], index=slots.index)
    coverage = pd.DataFrame({"product_tier": pd.Series(list(settings.tier_weights), dtype="str")})
    coverage["staffed"] = [int(staffed[tiers == t].sum()) for t in coverage["product_tier"]]
    coverage["total"] = [int((tiers == t).sum()) for t in coverage["product_tier"]]
    coverage_weight = int(tier_weights(studio, settings)[list(host_of)].sum())
    gmv = slots["expected_gmv"].to_numpy(dtype=float)
    expected = float(sum(gmv[s] * fit[s, p] for s, p in host_of.items()))
    pairs = np.array([*host_of.items(), *assistant_pairs], dtype=np.int64).reshape(-1, 2)
    minutes = np.bincount(pairs[:, 1], weights=times.minutes[pairs[:, 0]], minlength=len(hosts)).astype(float)
    pay = np.bincount(pairs[:, 1], weights=pay_cents(studio, fit, pairs[:, 0], pairs[:, 1]) / 100,
                      minlength=len(hosts))
    weeks = max(len(set(times.week.tolist())), 1)
    hours = pd.DataFrame({
        "host_id": hosts["host_id"].astype("str"), "name": hosts["name"].astype("str"),
        "tier": hosts["tier"].astype("str"), "role": hosts["role"].astype("str"),
        "hours": minutes / 60, "min": weekly_min_minutes(hosts) * weeks / 60,
        "max": weekly_cap_minutes(hosts) * weeks / 60,
        "pay": pay.round(2)})
    hours["shortfall"] = (hours["min"] - hours["hours"]).clip(lower=0)
    first = stages[0] if stages else None
    unfinished = [r for r in stages if r.status != "OPTIMAL"]
    if status is None:
        status = _status(len(slots), stages, unfinished)
    needed = int(slots["assistants_needed"].sum()) if len(slots) else 0
    return SolutionSummary(
        status=status,
        objective=float(coverage_weight), best_bound=first.bound if first else float(coverage_weight),
        gap=unfinished[0].gap if unfinished else 0.0, solve_seconds=seconds, coverage=coverage,
        expected_gmv=expected, hours=hours, total_pay=float(pay.sum()),
        assistant_positions=(len(assistant_pairs), needed), stages=list(stages), currency=settings.currency,
        forecast_slots=(int(slots["gmv_forecast"].sum()) if "gmv_forecast" in slots.columns else 0, len(slots)),
        fit_source=_fit_source(studio, settings))


def _fit_source(studio: Studio, settings: Settings) -> str:
    """Where the hosts' fit came from, in words."""
    if studio.sessions is None or studio.sessions.empty:
        return "no results: every host counts as average"
    if settings.forecast_fit:
        return "the forecast's host effect (against an average host in comparable slots)"
    return "raw GMV per live hour against the studio's (forecast off)"


def _status(slots: int, stages: list[StageResult], unfinished: list[StageResult]) -> str:
    if slots == 0:
        return "NO_SLOTS"
    if not unfinished:
        return "OPTIMAL"  # also when no pair was eligible: the empty plan is then the only plan
    return "UNKNOWN" if np.isnan(stages[0].objective) else "FEASIBLE"
