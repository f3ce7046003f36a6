"""Scheduler benchmark: CP-SAT against a greedy baseline and Timefold on generated studios.

    python bench/scheduler_bench.py [--quick] [--skip-timefold] [--repeats N] [--race] [--only TEXT]

Each scenario generates a studio (sample_data.generate), writes it as CSV and loads it the way a user's
files are loaded. Every solve runs in a child process, so its peak memory (ru_maxrss of that process,
which includes OR-Tools' C++ allocations) is its own. All three plans are scored by one function,
`evaluate`, so the ratios compare like with like. Prints an aligned table and writes bench/out/scheduler.csv.
Figures depend on the machine and its load; this is a benchmark, not a test.
"""
from __future__ import annotations

import argparse
import os
import pickle
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make the project's packages importable
    sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from bench.greedy import greedy_studio_plan  # noqa: E402
from contract.files import write_csv  # noqa: E402
from sample_data.generate import generate_studio, write_studio  # noqa: E402
from scheduler import CallOut, Settings, Studio, check_assignments, load_studio, replan, solve  # noqa: E402
from scheduler.fit import fit_matrix  # noqa: E402

OUT = ROOT / "bench" / "out" / "scheduler.csv"
CHILD_LOG = OUT.with_name("scheduler_children.log")  # the solvers' own output (Timefold's JVM is chatty)
MIB = 1024  # ru_maxrss is in KiB on Linux


@dataclass(frozen=True)
class Scenario:
    name: str
    channels: int
    hosts: int
    plan_weeks: int
    time_limit: float
    repeats: int = 1
    goal: str = "solve"  # optimal_fast | near_bound | complete | callout


FULL = [
    Scenario("week 3ch 25 hosts", 3, 25, 1, 10.0, repeats=5, goal="optimal_fast"),
    Scenario("week 12ch 150 hosts", 12, 150, 1, 30.0, goal="near_bound"),
    Scenario("4 weeks 30ch 400 hosts", 30, 400, 4, 120.0, goal="complete"),
    Scenario("call-out on 150-host week", 12, 150, 1, 3.0, goal="callout"),
]
QUICK = [
    Scenario("quick week 1ch 8 hosts", 1, 8, 1, 5.0, repeats=2, goal="optimal_fast"),
    Scenario("quick week 2ch 20 hosts", 2, 20, 1, 5.0, goal="near_bound"),
    Scenario("quick 2 weeks 3ch 30 hosts", 3, 30, 2, 10.0, goal="complete"),
    Scenario("quick call-out on 20-host week", 2, 20, 1, 3.0, goal="callout"),
]
HISTORY_WEEKS = 4
SEED = 7


@dataclass(frozen=True)
class Evaluation:
    """A plan scored the same way whoever made it."""

    staffed: int
    coverage: int  # sum of tier weights of staffed slots
    expected_gmv: float  # sum of expected_gmv x the host's fit over staffed slots
    violations: int  # hard-rule violations found by scheduler.check_assignments


def evaluate(studio: Studio, assignments: pd.DataFrame, settings: Settings = Settings()) -> Evaluation:
    """Score host assignments (`slot_id, host_id`, empty host = unstaffed) with the contract's objective terms."""
    slots = studio.slots
    host_of = assignments.set_index(assignments["slot_id"].astype("str"))["host_id"].astype("str")
    hosts = host_of.reindex(slots["slot_id"]).fillna("").to_numpy()
    staffed = np.flatnonzero(hosts != "")
    columns = np.array([studio.host_index[h] for h in hosts[staffed]], dtype=int)
    weights = slots["product_tier"].map(settings.tier_weights).to_numpy()
    fit = fit_matrix(studio, settings)
    gmv = slots["expected_gmv"].to_numpy(dtype=float)[staffed] * fit[staffed, columns]
    violations = check_assignments(studio, assignments, settings)
    return Evaluation(len(staffed), int(weights[staffed].sum()), float(gmv.sum()), len(violations))


# ---------------------------------------------------------------- child processes

def run_child(job: dict) -> tuple[dict, float]:
    """Run one job in a fresh interpreter; returns its result and its peak resident memory in MiB."""
    with tempfile.TemporaryDirectory() as tmp:
        job_file, result_file = Path(tmp) / "job.pkl", Path(tmp) / "result.pkl"
        job_file.write_bytes(pickle.dumps(job))
        with CHILD_LOG.open("a") as log:
            log.write(f"--- {job['kind']} {job['data']}\n")
            log.flush()
            process = subprocess.Popen([sys.executable, __file__, "--child", str(job_file), str(result_file)],
                                       cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
            _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            raise RuntimeError(f"{job['kind']} child failed with exit code {process.returncode}; see {CHILD_LOG}")
        return pickle.loads(result_file.read_bytes()), usage.ru_maxrss / MIB


def child_main(job_file: str, result_file: str) -> None:
    """The child's side: load the studio from CSV, run the job, time only the solver call."""
    job = pickle.loads(Path(job_file).read_bytes())
    studio = load_studio(job["data"])
    settings = Settings(deterministic=not job.get("race", False))
    if job["kind"] == "solve":
        began = time.perf_counter()
        plan = solve(studio, settings, time_limit=job["time_limit"], seed=job["seed"])
        result = {"seconds": time.perf_counter() - began, "assignments": plan.assignments,
                  "summary": _summary_row(plan.summary)}
    elif job["kind"] == "replan":
        callout = CallOut(host_id=job["host_id"], start=pd.Timestamp(job["start"]))
        began = time.perf_counter()
        plan = replan(studio, job["assignments"], callout, settings, time_limit=job["time_limit"])
        result = {"seconds": time.perf_counter() - began, "assignments": plan.assignments,
                  "summary": _summary_row(plan.summary), "moved": plan.moved}
    else:
        from bench.timefold_peer import timefold_plan
        found = timefold_plan(studio, settings, time_limit=job["time_limit"], seed=job["seed"])
        result = {"seconds": found.solve_seconds, "setup_seconds": found.setup_seconds,
                  "assignments": found.assignments, "score": found.score, "feasible": found.feasible}
    Path(result_file).write_bytes(pickle.dumps(result))


def _summary_row(summary) -> dict:
    """The summary figures the table shows, including the GMV stage's objective and bound."""
    stages = {stage.name: stage for stage in summary.stages}
    gmv = stages.get("expected GMV")
    gmv_objective, gmv_bound = (gmv.objective, gmv.bound) if gmv else (float("nan"), float("nan"))
    return {"status": summary.status, "objective": summary.objective, "best_bound": summary.best_bound,
            "gap": summary.gap, "gmv_objective": gmv_objective, "gmv_bound": gmv_bound,
            "gmv_of_bound": _share(gmv_objective, gmv_bound)}


# ---------------------------------------------------------------- scenarios

def make_studio(scenario: Scenario, root: Path) -> Path:
    """Generate the scenario's studio and write it as the CSV files a user would hand over."""
    folder = root / scenario.name.replace(" ", "_")
    frames = generate_studio(seed=SEED, channels=scenario.channels, hosts=scenario.hosts, weeks=HISTORY_WEEKS,
                             plan_weeks=scenario.plan_weeks, viewer_minutes=False)
    write_studio(frames, folder)
    return folder


def run_scenario(scenario: Scenario, data: Path, timefold: bool, repeats: int | None,
                 base_plan: pd.DataFrame | None = None, race: bool = False) -> tuple[dict, pd.DataFrame]:
    """One table row; also returns the CP-SAT assignments (the call-out scenario re-plans them)."""
    studio = load_studio(data)
    settings = Settings()
    row: dict = {"scenario": scenario.name, "slots": len(studio.slots), "hosts": len(studio.hosts),
                 "time_limit": scenario.time_limit, "load_start": os.getloadavg()[0]}
    if scenario.goal == "callout":
        return _callout_row(scenario, studio, data, row, base_plan, settings, race)
    runs = [run_child({"kind": "solve", "data": str(data), "time_limit": scenario.time_limit, "seed": 0,
                       "race": race})
            for _ in range(repeats or scenario.repeats)]
    (result, _), seconds = runs[-1], [r["seconds"] for r, _ in runs]
    row.update(repeats=len(runs), seconds=statistics.median(seconds), seconds_max=max(seconds),
               peak_mib=max(mib for _, mib in runs), **result["summary"])
    mine = evaluate(studio, result["assignments"], settings)
    row.update(_prefixed("", mine))
    greedy = evaluate(studio, greedy_studio_plan(studio, settings), settings)
    row.update(_prefixed("greedy_", greedy))
    row.update(coverage_vs_greedy=_ratio(mine.coverage, greedy.coverage),
               gmv_vs_greedy=_ratio(mine.expected_gmv, greedy.expected_gmv))
    if timefold:
        peer, peer_mib = run_child({"kind": "timefold", "data": str(data), "time_limit": scenario.time_limit,
                                    "seed": 0})
        theirs = evaluate(studio, peer["assignments"], settings)
        row.update(timefold_score=peer["score"], timefold_seconds=peer["seconds"],
                   timefold_setup_seconds=peer["setup_seconds"], timefold_peak_mib=peer_mib,
                   **_prefixed("timefold_", theirs),
                   coverage_vs_timefold=_ratio(mine.coverage, theirs.coverage),
                   gmv_vs_timefold=_ratio(mine.expected_gmv, theirs.expected_gmv))
    row["load_end"] = os.getloadavg()[0]
    row["goal"], row["result"] = judge(scenario, row)
    return row, result["assignments"]


def _callout_row(scenario: Scenario, studio: Studio, data: Path, row: dict, base_plan: pd.DataFrame | None,
                 settings: Settings, race: bool) -> tuple[dict, pd.DataFrame]:
    """Call out the busiest host from midday of the plan's middle day and re-plan the rest."""
    if base_plan is None:
        base, _ = run_child({"kind": "solve", "data": str(data), "time_limit": 30.0, "seed": 0, "race": race})
        base_plan = base["assignments"]
    busy = base_plan.loc[base_plan["host_id"] != "", "host_id"].value_counts().index[0]
    first, last = studio.slots["start"].min().normalize(), studio.slots["start"].max().normalize()
    start = first + (last - first) / 2 + pd.Timedelta(hours=12)
    result, mib = run_child({"kind": "replan", "data": str(data), "assignments": base_plan, "host_id": busy,
                             "start": start.isoformat(), "time_limit": scenario.time_limit, "race": race})
    mine = evaluate(without_callout_locks(studio, busy, start), result["assignments"], settings)
    new = result["assignments"].merge(studio.slots[["slot_id", "start"]], on="slot_id")
    still_on = int(((new["host_id"] == busy) & (new["start"] >= start)).sum())
    row.update(repeats=1, seconds=result["seconds"], seconds_max=result["seconds"], peak_mib=mib,
               **result["summary"], **_prefixed("", mine), callout_host=busy, callout_start=start.isoformat(),
               moved=len(result["moved"]), called_out_host_still_on=still_on, load_end=os.getloadavg()[0])
    row["goal"], row["result"] = judge(scenario, row)
    return row, result["assignments"]


def without_callout_locks(studio: Studio, host_id: str, start: pd.Timestamp) -> Studio:
    """The studio as the re-plan sees it: the called-out host's locks from `start` on no longer bind."""
    slots = studio.slots.copy()
    released = (slots["locked_host_id"] == host_id) & (slots["start"] >= start)
    slots.loc[released, "locked_host_id"] = ""
    return Studio(studio.hosts, studio.availability, slots, studio.sessions)


def judge(scenario: Scenario, row: dict) -> tuple[str, str]:
    """The scenario's goal in words, and PASS or MISS."""
    if scenario.goal == "optimal_fast":
        return "proven optimal, median <= 2 s", _verdict(row["status"] == "OPTIMAL" and row["seconds"] <= 2.0)
    if scenario.goal == "near_bound":
        ok = (row["seconds"] <= scenario.time_limit + 5 and _share(row["objective"], row["best_bound"]) >= 0.99
              and _share(row["gmv_objective"], row["gmv_bound"]) >= 0.99)
        return f"coverage and GMV >= 99% of bound within {scenario.time_limit:g} s", _verdict(ok)
    if scenario.goal == "complete":
        ok = (row["status"] in ("OPTIMAL", "FEASIBLE") and row["violations"] == 0 and np.isfinite(row["gap"])
              and row["seconds"] <= scenario.time_limit + 5 and row["peak_mib"] <= 2048)
        return f"complete plan with gap within {scenario.time_limit:g} s, <= 2 GiB", _verdict(ok)
    ok = row["seconds"] <= 3.0 and row["violations"] == 0 and row["called_out_host_still_on"] == 0
    return "re-plan <= 3 s, moves reported", _verdict(ok)


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def _share(objective: float, bound: float) -> float:
    """objective / bound for a maximisation (1.0 when both are 0)."""
    if not np.isfinite(objective) or not np.isfinite(bound):
        return float("nan")
    return 1.0 if bound == 0 else objective / bound


def _ratio(a: float, b: float) -> float:
    return float("nan") if b == 0 else a / b


def _prefixed(prefix: str, evaluation: Evaluation) -> dict:
    return {prefix + k: v for k, v in asdict(evaluation).items()}


# ---------------------------------------------------------------- output

TABLE = [  # (column, header, format)
    ("scenario", "scenario", "{}"), ("slots", "slots", "{}"), ("hosts", "hosts", "{}"),
    ("seconds", "solve s", "{:.2f}"), ("status", "status", "{}"), ("objective", "objective", "{:,.0f}"),
    ("best_bound", "bound", "{:,.0f}"), ("gap", "gap", "{:.2%}"), ("gmv_of_bound", "GMV/bound", "{:.2%}"),
    ("peak_mib", "peak MiB", "{:,.0f}"),
    ("coverage", "coverage", "{:,}"), ("expected_gmv", "exp. GMV", "{:,.0f}"), ("violations", "viol", "{}"),
    ("moved", "moved", "{:.0f}"), ("load_start", "load", "{:.1f}"), ("load_end", "->", "{:.1f}"),
    ("goal", "goal", "{}"), ("result", "", "{}"),
]
PEERS = [
    ("scenario", "scenario", "{}"), ("coverage", "CP-SAT cov", "{:,}"), ("expected_gmv", "CP-SAT GMV", "{:,.0f}"),
    ("greedy_coverage", "greedy cov", "{:,}"), ("greedy_expected_gmv", "greedy GMV", "{:,.0f}"),
    ("greedy_violations", "viol", "{}"), ("coverage_vs_greedy", "cov ratio", "{:.3f}"),
    ("gmv_vs_greedy", "GMV ratio", "{:.3f}"), ("timefold_score", "Timefold score", "{}"),
    ("timefold_setup_seconds", "TF setup s", "{:.0f}"), ("timefold_seconds", "TF solve s", "{:.1f}"),
    ("timefold_coverage", "TF cov", "{:,}"), ("timefold_expected_gmv", "TF GMV", "{:,.0f}"),
    ("timefold_violations", "viol", "{}"), ("coverage_vs_timefold", "cov ratio", "{:.3f}"),
    ("gmv_vs_timefold", "GMV ratio", "{:.3f}"),
]


def text_table(rows: list[dict], columns: list[tuple[str, str, str]]) -> str:
    """Rows as an aligned text table; a figure a scenario does not have is shown as '-'."""
    cells = [[header for _, header, _ in columns]]
    for row in rows:
        cells.append([_cell(row.get(key), fmt) for key, _, fmt in columns])
    widths = [max(len(line[i]) for line in cells) for i in range(len(columns))]
    text = ["  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(line, widths)))
            for line in cells]
    return "\n".join([text[0], "-" * len(text[0]), *text[1:]])


def _cell(value, fmt: str) -> str:
    if value is None or (isinstance(value, float) and not np.isfinite(value)):
        return "-"
    return fmt.format(value)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny versions of every scenario (smoke run)")
    parser.add_argument("--skip-timefold", action="store_true", help="leave out the Timefold peer")
    parser.add_argument("--repeats", type=int, help="solves per scenario (default: 5 for the small week, else 1)")
    parser.add_argument("--race", action="store_true", help="CP-SAT solves as `--race` (parallel, not reproducible)")
    parser.add_argument("--only", help="run only the scenarios whose name contains this text")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child_main(*args.child)
        return 0
    OUT.parent.mkdir(parents=True, exist_ok=True)
    CHILD_LOG.write_text("")
    rows: list[dict] = []
    plans: dict[str, pd.DataFrame] = {}
    with tempfile.TemporaryDirectory() as tmp:
        scenarios = QUICK if args.quick else FULL
        for scenario in scenarios:
            if args.only and args.only not in scenario.name:
                continue
            data = make_studio(scenario, Path(tmp))
            twin = next((s for s in scenarios if s.goal == "near_bound"), None)
            base = plans.get(twin.name) if scenario.goal == "callout" and twin else None
            print(f"running {scenario.name} ...", file=sys.stderr, flush=True)
            row, plans[scenario.name] = run_scenario(scenario, data, not args.skip_timefold, args.repeats, base,
                                                     args.race)
            rows.append(row)
    write_csv(pd.DataFrame(rows), OUT)
    print(text_table(rows, TABLE))
    print()
    print(text_table(rows, PEERS))
    print(f"\nwritten {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
