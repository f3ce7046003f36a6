"""Store benchmark: import a year of 100 channels into a fresh SQLite store, then one day's export, then
read a week's scorecard from the store and from the files.

    python bench/store_bench.py            # the full year (~200 k sessions, ~25 M viewer minutes)
    python bench/store_bench.py --quick    # 10 channels, 8 weeks
    python bench/store_bench.py --updates  # re-import the sample's viewer_minutes.csv, every row changed

Goals: the year imported in < 5 minutes, a day's export in < 2 s, the sample's viewer minutes updated in < 5 s.
"""
from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from contract import SESSIONS, SKU_SALES, read_table  # noqa: E402
from metrics import scorecard  # noqa: E402
from sample_data.generate import generate_studio, write_studio  # noqa: E402
from store import open_seeded, open_store  # noqa: E402
from store.kinds import KINDS  # noqa: E402

YEAR_GOAL, DAY_GOAL, UPDATE_GOAL = 300.0, 2.0, 5.0
SAMPLE = Path(__file__).resolve().parents[1] / "sample_data" / "studio"
DAY_KINDS = ("sessions", "sku_sales", "viewer_minutes")


def _verdict(seconds: float, goal: float) -> str:
    return f"{'PASS' if seconds < goal else 'MISS'} (goal < {goal:g} s)"


def split_last_day(frames: dict[str, pd.DataFrame]) -> tuple[dict[str, pd.DataFrame], dict[str, pd.DataFrame]]:
    """(everything before the last day of results, that day's sessions with their SKU rows and minutes)."""
    sessions = frames["sessions.csv"]
    starts = pd.to_datetime(sessions["start"])
    last = starts.dt.normalize() == starts.max().normalize()
    day_ids = set(sessions.loc[last, "session_id"])
    before, day = dict(frames), {}
    for kind in DAY_KINDS:
        frame = frames[f"{kind}.csv"]
        in_day = frame["session_id"].isin(day_ids)
        before[f"{kind}.csv"], day[f"{kind}.csv"] = frame[~in_day], frame[in_day]
    return before, day


def timed_imports(store, folder: Path, kinds, user: str) -> tuple[float, int]:
    total_seconds, total_rows = 0.0, 0
    for kind in kinds:
        path = folder / f"{kind}.csv"
        if not path.exists():
            continue
        started = time.perf_counter()
        report = store.import_file(path, kind, path.name, user)
        seconds = time.perf_counter() - started
        total_seconds += seconds
        total_rows += report.rows_added + report.rows_updated
        print(f"  {kind:15} {report.rows_added:>11,} added {report.rows_updated:>9,} updated "
              f"{seconds:8.2f} s  {report.rows_added / max(seconds, 1e-9):>12,.0f} rows/s")
    return total_seconds, total_rows


def updates(out: Path) -> None:
    """Re-import the sample studio's viewer_minutes.csv into the seeded store with every row's count changed:
    all updates by key (session_id, minute), each replaced row logged for undo."""
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    store = open_seeded(f"sqlite:///{out / 'store.db'}", SAMPLE)
    minutes = pd.read_csv(SAMPLE / "viewer_minutes.csv")
    minutes["concurrent_viewers"] += 1
    minutes.to_csv(out / "viewer_minutes.csv", index=False)
    started, cpu = time.perf_counter(), time.process_time()
    report = store.import_file(out / "viewer_minutes.csv", "viewer_minutes", "viewer_minutes.csv", "bench")
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(f"re-import of the sample's viewer_minutes.csv: {report.rows_updated:,} updated, {report.rows_added:,} "
          f"added in {seconds:.2f} s ({cpu:.2f} s of CPU: on a busy machine the wall time is the larger)  "
          f"{_verdict(seconds, UPDATE_GOAL)}")
    store.engine.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="10 channels, 8 weeks")
    parser.add_argument("--updates", action="store_true", help="only the sample's viewer minutes, every row updated")
    parser.add_argument("--channels", type=int, default=100)
    parser.add_argument("--hosts", type=int, default=400)
    parser.add_argument("--weeks", type=int, default=52)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "out" / "store")
    args = parser.parse_args(argv)
    if args.updates:
        updates(args.out / "updates")
        return 0
    channels, hosts, weeks = (10, 40, 8) if args.quick else (args.channels, args.hosts, args.weeks)

    started = time.perf_counter()
    frames = generate_studio(seed=1, channels=channels, hosts=hosts, weeks=weeks, viewer_minutes=True)
    print(f"generated {channels} channels x {weeks} weeks in {time.perf_counter() - started:.1f} s")
    shutil.rmtree(args.out, ignore_errors=True)
    year, day = split_last_day(frames)
    write_studio(year, args.out / "year")
    write_studio(day, args.out / "day")
    del frames, year, day

    store = open_store(f"sqlite:///{args.out / 'store.db'}")
    print("import of the year into a fresh SQLite store:")
    seconds, rows = timed_imports(store, args.out / "year", KINDS, "bench")
    print(f"  {'total':15} {rows:>11,} rows {seconds:8.2f} s  {rows / seconds:>12,.0f} rows/s  "
          f"{_verdict(seconds, YEAR_GOAL)}")

    print("import of one day's export into the filled store:")
    seconds, rows = timed_imports(store, args.out / "day", DAY_KINDS, "bench")
    print(f"  {'total':15} {rows:>11,} rows {seconds:8.2f} s  {_verdict(seconds, DAY_GOAL)}")

    sessions = store.tables(["sessions"]).sessions
    last = sessions["start"].max().normalize()
    first = last - pd.Timedelta(days=6)
    print(f"scorecard of {first:%Y-%m-%d}..{last:%Y-%m-%d}:")
    for by in (["date", "host_id"], ["week", "channel"]):
        started = time.perf_counter()
        week = store.scorecard_tables(first.date(), last.date())
        from_store = scorecard(week.sessions, week.sku_sales, by=by)
        store_seconds = time.perf_counter() - started
        started = time.perf_counter()
        all_sessions = read_table(args.out / "year" / "sessions.csv", SESSIONS)
        all_sku = read_table(args.out / "year" / "sku_sales.csv", SKU_SALES)
        chosen = all_sessions[all_sessions["start"].between(first, last + pd.Timedelta(days=1), inclusive="left")]
        from_files = scorecard(chosen, all_sku[all_sku["session_id"].isin(chosen["session_id"])], by=by)
        files_seconds = time.perf_counter() - started
        print(f"  by {','.join(by):14} store {store_seconds:6.2f} s   files {files_seconds:6.2f} s   "
              f"({len(from_store)} rows; files give {len(from_files)} rows, the day's export not included)")
    store.engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
