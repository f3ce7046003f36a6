"""Dashboard speed in a real browser: the browser test's measurement repeated, with the medians printed.

    python bench/browser_bench.py              # 5 runs of tests/test_browser.py's local-mode test (~15 minutes)
    python bench/browser_bench.py --runs 3 --runs-without-warm-up 0

Each run starts `streamlit run app.py` afresh on a copy of the sample studio and times, in Debian's chromium:
the first page after the server is up (goal <= 3 s), the floor (a bare page with one plotly chart), each page's
first visit (after 2 s on the first page, as a person reads it) and revisit (goal <= 1 s), the first switch clicked
with no pause in a fresh browser, and the Schedule page's actions (plan the week, move, re-plan, publish;
goal <= 1 s beyond the solve). Two more runs without the warm-ups show what the start-up work of app.py's lifespan
(imports, the store, the first week) and the background warm-up save. It prints every run's figures and their
medians, and fails on nothing: a run that breaks is reported and left out. Figures depend on the machine and on
what else runs on it.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEST = "tests/test_browser.py::test_every_page_in_local_mode_plans_a_week_and_imports_a_file"
FIGURES = ROOT / "screenshots" / "render_times.json"  # what the test writes


def one_run(warm_up: bool = True) -> dict | None:
    """The figures of one run of the test, or None when it did not finish; `warm_up=False` runs the server
    without its warm-ups (STUDIO_WARM_UP=off): nothing done at start-up, nothing computed ahead of a page."""
    FIGURES.unlink(missing_ok=True)
    env = {**os.environ, "STUDIO_REQUIRE_BROWSER": "1", "STUDIO_WARM_UP": "on" if warm_up else "off"}
    done = subprocess.run([sys.executable, "-m", "pytest", TEST, "-q", "-p", "no:randomly", "-p", "no:cacheprovider"],
                          cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode or not FIGURES.exists():
        print(f"run failed (exit {done.returncode}):\n{done.stdout[-2000:]}", file=sys.stderr)
        return None
    return json.loads(FIGURES.read_text())


def flat(figures: dict) -> dict[str, float]:
    """'first page', 'first visit: roster', 'revisit: roster', 'action: move'... -> seconds."""
    rows = {name: figures[name] for name in ("server up", "first page", "floor")}
    for group, label in (("first visit", "first visit"), ("revisit", "revisit"),
                         ("first visit without reading", "no pause"), ("actions", "action")):
        rows.update({f"{label}: {name}": seconds for name, seconds in figures[group].items()})
    return rows


def repeated(count: int, warm_up: bool) -> list[dict[str, float]]:
    runs = []
    for number in range(1, count + 1):
        figures = one_run(warm_up)
        if figures is not None:
            runs.append(flat(figures))
            load = "/".join(f"{x:.2f}" for x in figures["load"])
            print(f"run {number}{'' if warm_up else ' without warm-ups'}: first page {figures['first page']:.2f} s, "
                  f"load {load}", flush=True)
    return runs


def medians(runs: list[dict[str, float]], names: list[str]) -> None:
    for name in names:
        values = [run[name] for run in runs if name in run]
        print(f"{name:<28}{statistics.median(values):>8.2f}   ({', '.join(f'{v:.2f}' for v in values)})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--runs-without-warm-up", type=int, default=2,
                        help="runs with STUDIO_WARM_UP=off, to show what the start-up warm-up (app.py's lifespan) "
                             "pays on the first page")
    args = parser.parse_args()
    runs = repeated(args.runs, warm_up=True)
    cold = repeated(args.runs_without_warm_up, warm_up=False)
    if not runs:
        print("no run finished")
        return
    print(f"\nmedians of {len(runs)} run(s) (s); goals: first page <= 3, switches <= 1, actions <= 1 beyond the solve")
    medians(runs, list(runs[0]))
    if cold:
        print(f"\nwithout the warm-ups, medians of {len(cold)} run(s) (s): what the lifespan's start-up work and the "
              "background warm-up save")
        medians(cold, ["first page", "first visit: daily", "first visit: weekly", "first visit: roster"])


if __name__ == "__main__":
    main()
