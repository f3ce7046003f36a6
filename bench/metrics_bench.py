"""Metrics benchmark: the pandas scorecard against DuckDB SQL on a year of a 100-shop studio.

    python bench/metrics_bench.py [--quick] [--channels 100] [--weeks 52] [--keep DIR] [--repeats N]

Generates a studio (sample_data.generate; 100 shops x 52 weeks is about 215 k sessions, 1.5 M SKU rows
and 25 M viewer-minute rows), writes it as Parquet and as CSV, then times four queries from each
format, with pandas (`metrics`: the files and columns the query needs read and validated by
`load_results(columns=..., compact=True)`, cross-file checks included) and with DuckDB
(`bench/metrics_sql.py`, the same outputs in SQL), both from the files (load included) and compute
only (after the data is in memory). Both answers are compared row by row: a benchmark of different
answers is worthless. Goals: pandas within 2x of DuckDB's time, and pandas' peak memory at most 3x the
raw CSV size of the files the query reads.

Every measurement runs in a fresh child process whose peak resident memory comes from `os.wait4`.
Linux hands a child its parent's peak RSS when it execs, so this parent stays lean: it imports only
the standard library until the last measurement is done; generating and comparing are children too.
Prints aligned tables and writes bench/out/metrics.csv. Figures depend on the machine and its load
(printed with them); this is a benchmark, not a test.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make the project's packages importable
    sys.path.insert(0, str(ROOT))

OUT = ROOT / "bench" / "out" / "metrics.csv"
KIB_PER_MIB = 1024  # ru_maxrss is in KiB on Linux
SEED = 2026
SPEED_GOAL = 2.0  # pandas seconds / DuckDB seconds, load included
MEMORY_GOAL = 3.0  # pandas peak MiB / MiB of the CSV files the query reads
SOURCES = ("parquet", "csv")


@dataclass(frozen=True)
class Query:
    name: str
    kind: str  # the metrics function: scorecard, sku_velocity or average_curves
    by: tuple[str, ...]
    files: tuple[str, ...]  # the contract files the pandas path reads (stems)

    @property
    def keys(self) -> list[str]:
        """The columns that identify a row of the output."""
        extra = {"sku_velocity": ["sku"], "average_curves": ["minute"]}.get(self.kind, [])
        return [*self.by, *extra]


QUERIES = (  # files: what the pandas path reads (its per-query load), whose CSV size the memory goal uses
    Query("scorecard date,host_id", "scorecard", ("date", "host_id"), ("sessions", "sku_sales")),
    Query("scorecard week,channel", "scorecard", ("week", "channel"), ("sessions", "sku_sales")),
    Query("sku velocity week", "sku_velocity", ("week",), ("sessions", "sku_sales")),
    Query("retention curves host_id", "average_curves", ("host_id",), ("sessions", "viewer_minutes")),
)
# What DuckDB reads for each kind of query (its own choice of files, as a SQL user would make).
SQL_FILES = {"scorecard": ("sessions", "sku_sales"), "sku_velocity": ("sessions", "sku_sales"),
             "average_curves": ("sessions", "viewer_minutes")}


# ------------------------------------------------------------------------------------ children

def run_child(job: dict, work: Path) -> tuple[dict, float]:
    """Run one job in a fresh interpreter; returns its JSON result and its peak resident memory in MiB."""
    handle, name = tempfile.mkstemp(suffix=".json", dir=work)
    os.close(handle)
    result_file = Path(name)
    job_file = result_file.with_suffix(".job.json")
    job_file.write_text(json.dumps({**job, "result": str(result_file)}))
    try:
        process = subprocess.Popen([sys.executable, __file__, "--child", str(job_file)], cwd=ROOT)
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            raise RuntimeError(f"{job['mode']} child failed with exit code {process.returncode}")
        return json.loads(result_file.read_text()), usage.ru_maxrss / KIB_PER_MIB
    finally:
        job_file.unlink(missing_ok=True)
        result_file.unlink(missing_ok=True)


def child_main(job_file: str) -> None:
    """The child's side: do one job and write its result as JSON."""
    job = json.loads(Path(job_file).read_text())
    modes = {"generate": generate_job, "pandas": pandas_job, "duckdb": duckdb_job,
             "duckdb-loaded": duckdb_loaded_job, "compare": compare_job}
    Path(job["result"]).write_text(json.dumps(modes[job["mode"]](job)))


def _query(job: dict) -> Query:
    return next(q for q in QUERIES if q.name == job["query"])


def generate_job(job: dict) -> dict:
    """Generate the studio and write it twice, as Parquet and as CSV; time both and size every file."""
    from sample_data.generate import generate_studio, write_studio
    began = time.perf_counter()
    frames = generate_studio(seed=job["seed"], channels=job["channels"], hosts=job["hosts"], weeks=job["weeks"])
    generated = time.perf_counter()
    seconds = {"generate": generated - began}
    for fmt in SOURCES:
        began = time.perf_counter()
        write_studio(frames, Path(job["data"]) / fmt, fmt=fmt)
        seconds[f"write {fmt}"] = time.perf_counter() - began
    rows = {Path(name).stem: len(frame) for name, frame in frames.items()}
    return {"seconds": seconds, "rows": rows}


def pandas_job(job: dict) -> dict:
    """The load a user makes for the query (`load_results` of the files and columns it needs, every cell
    read validated, cross-file checks; repeated text as categoricals), then the metrics function."""
    from metrics import average_curves, load_results, scorecard, sku_velocity
    from metrics.groups import scorecard_columns
    from metrics.retention import curve_columns
    from metrics.velocity import velocity_columns
    query = _query(job)
    by = list(query.by)
    columns = {"scorecard": scorecard_columns, "sku_velocity": lambda keys: velocity_columns(keys, inventory=False),
               "average_curves": curve_columns}[query.kind](by)
    began = time.perf_counter()
    results = load_results(job["data"], columns=columns, compact=True)
    loaded = time.perf_counter()
    if query.kind == "scorecard":
        out = scorecard(results.sessions, results.sku_sales, by)
    elif query.kind == "sku_velocity":
        out = sku_velocity(results.sessions, results.sku_sales, by)
    else:
        out = average_curves(results.viewer_minutes, results.sessions, by=by)
    done = time.perf_counter()
    out.to_parquet(job["frame"], index=False)
    return {"total": done - began, "compute": done - loaded, "rows": len(out)}


def _sql(query: Query, tables: dict[str, str]) -> str:
    from bench import metrics_sql
    if query.kind == "scorecard":
        return metrics_sql.scorecard_sql(tables["sessions"], tables["sku_sales"], list(query.by))
    if query.kind == "sku_velocity":
        return metrics_sql.sku_velocity_sql(tables["sessions"], tables["sku_sales"], list(query.by))
    return metrics_sql.average_curves_sql(tables["viewer_minutes"], tables["sessions"], list(query.by))


def duckdb_job(job: dict) -> dict:
    """One SQL query straight over the files: DuckDB reads only the columns it needs."""
    import duckdb

    from bench import metrics_sql
    query = _query(job)
    tables = {name: metrics_sql.source(job["data"], name) for name in SQL_FILES[query.kind]}
    began = time.perf_counter()
    out = metrics_sql.run(_sql(query, tables), duckdb.connect())
    done = time.perf_counter()
    out.to_parquet(job["frame"], index=False)
    return {"total": done - began, "rows": len(out)}


def duckdb_loaded_job(job: dict) -> dict:
    """The files loaded into DuckDB tables first (all their columns), then the query timed alone."""
    import duckdb

    from bench import metrics_sql
    query = _query(job)
    connection = duckdb.connect()
    began = time.perf_counter()
    for name in SQL_FILES[query.kind]:
        connection.execute(f"CREATE TABLE {name} AS SELECT * FROM {metrics_sql.source(job['data'], name)}")
    loaded = time.perf_counter()
    out = metrics_sql.run(_sql(query, {name: name for name in SQL_FILES[query.kind]}), connection)
    done = time.perf_counter()
    out.to_parquet(job["frame"], index=False)
    return {"total": done - began, "compute": done - loaded, "rows": len(out)}


def compare_job(job: dict) -> dict:
    """Compare pandas' answer with each of DuckDB's; 'results match' or the first difference."""
    import pandas as pd
    query = _query(job)
    expected = pd.read_parquet(job["pandas"])
    for label, path in job["peers"].items():
        difference = first_difference(expected, pd.read_parquet(path), query.keys)
        if difference:
            return {"match": False, "difference": f"{label}: {difference}"}
    return {"match": True, "difference": ""}


def first_difference(expected, actual, keys: list[str], rtol: float = 1e-9, atol: float = 1e-9) -> str:
    """'' when the frames hold the same rows (any order; numbers within a tolerance, NaN equal to NaN),
    else a sentence naming the first differing column and row."""
    import numpy as np
    import pandas as pd
    missing = [c for c in expected.columns if c not in actual.columns]
    if missing:
        return f"columns {missing} are missing"
    if len(expected) != len(actual):
        return f"{len(actual)} rows instead of {len(expected)}"

    def in_key_order(frame: pd.DataFrame) -> pd.DataFrame:
        frame = frame[list(expected.columns)].copy()
        for key in keys:
            if not pd.api.types.is_numeric_dtype(frame[key]):
                frame[key] = frame[key].astype("str")
        return frame.sort_values(keys, kind="stable").reset_index(drop=True)

    expected, actual = in_key_order(expected), in_key_order(actual)
    for name in expected.columns:
        left, right = expected[name], actual[name]
        if pd.api.types.is_bool_dtype(left) or not pd.api.types.is_numeric_dtype(left):
            same = (left.astype("str") == right.astype("str")).to_numpy()
        else:
            a, b = left.to_numpy(dtype="float64", na_value=np.nan), right.to_numpy(dtype="float64", na_value=np.nan)
            same = np.isclose(a, b, rtol=rtol, atol=atol, equal_nan=True)
        if not same.all():
            row = int(np.flatnonzero(~same)[0])
            where = ", ".join(f"{k}={expected.at[row, k]}" for k in keys)
            mine, theirs = left.iloc[row:row + 1].tolist()[0], right.iloc[row:row + 1].tolist()[0]
            return f"column {name} at {where}: pandas {mine!r}, DuckDB {theirs!r}"
    return ""


# ------------------------------------------------------------------------------------ the parent

def prepare(args: argparse.Namespace, work: Path) -> dict:
    """The studio's files under `work` (reused when --keep DIR already holds the same studio)."""
    spec = {"seed": args.seed, "channels": args.channels, "hosts": args.hosts or 5 * args.channels,
            "weeks": args.weeks}
    marker = work / "studio.json"
    if marker.exists() and json.loads(marker.read_text()).get("spec") == spec:
        print(f"reusing the studio in {work}", file=sys.stderr, flush=True)
        return json.loads(marker.read_text())
    print(f"generating {spec} in {work} ...", file=sys.stderr, flush=True)
    made, peak = run_child({"mode": "generate", "data": str(work), **spec}, work)
    sizes = {fmt: {p.stem: p.stat().st_size / 2**20 for p in (work / fmt).iterdir()} for fmt in SOURCES}
    studio = {"spec": spec, **made, "peak_mib": peak, "sizes": sizes}
    marker.write_text(json.dumps(studio))
    return studio


def measure(query: Query, fmt: str, work: Path, repeats: int) -> dict:
    """pandas, DuckDB from the files, DuckDB after loading; best time of `repeats`, peak of the best run."""
    data = str(work / fmt)
    frames = {mode: str(work / f"{mode}-{fmt}-{query.kind}-{'-'.join(query.by)}.parquet")
              for mode in ("pandas", "duckdb", "duckdb-loaded")}
    figures = {}
    for mode, frame in frames.items():
        runs = [run_child({"mode": mode, "query": query.name, "data": data, "frame": frame}, work)
                for _ in range(repeats)]
        figures[mode] = min(runs, key=lambda run: run[0]["total"])
    compared, _ = run_child({"mode": "compare", "query": query.name, "pandas": frames["pandas"],
                             "peers": {"DuckDB": frames["duckdb"], "DuckDB (loaded)": frames["duckdb-loaded"]}},
                            work)
    (pandas, pandas_peak), (duck, duck_peak) = figures["pandas"], figures["duckdb"]
    return {
        "query": query.name, "source": fmt, "rows": pandas["rows"],
        "pandas_s": pandas["total"], "duckdb_s": duck["total"],
        "ratio": pandas["total"] / duck["total"],
        "pandas_compute_s": pandas["compute"], "duckdb_compute_s": figures["duckdb-loaded"][0]["compute"],
        "compute_ratio": pandas["compute"] / figures["duckdb-loaded"][0]["compute"],
        "pandas_peak_mib": pandas_peak, "duckdb_peak_mib": duck_peak,
        "match": "yes" if compared["match"] else "NO", "difference": compared["difference"],
    }


def judge(row: dict, csv_mib: float) -> dict:
    """Add the raw CSV size and the two goals' verdicts to a measured row."""
    return {**row, "csv_mib": csv_mib, "peak_per_csv": row["pandas_peak_mib"] / csv_mib,
            "speed_goal": "PASS" if row["ratio"] <= SPEED_GOAL else "MISS",
            "memory_goal": "PASS" if row["pandas_peak_mib"] <= MEMORY_GOAL * csv_mib else "MISS"}


TABLE = (  # column, header, format
    ("query", "query", "{}"), ("source", "source", "{}"), ("pandas_s", "pandas s", "{:.2f}"),
    ("duckdb_s", "DuckDB s", "{:.2f}"), ("ratio", "pandas/DuckDB", "{:.1f}"),
    ("pandas_compute_s", "pandas compute s", "{:.2f}"), ("duckdb_compute_s", "DuckDB compute s", "{:.2f}"),
    ("compute_ratio", "compute ratio", "{:.1f}"), ("pandas_peak_mib", "pandas peak MiB", "{:.0f}"),
    ("duckdb_peak_mib", "DuckDB peak MiB", "{:.0f}"), ("csv_mib", "CSV MiB", "{:.0f}"),
    ("peak_per_csv", "peak/CSV", "{:.2f}"), ("speed_goal", f"ratio<={SPEED_GOAL:g}", "{}"),
    ("memory_goal", f"peak<={MEMORY_GOAL:g}xCSV", "{}"), ("match", "match", "{}"),
)


def report(studio: dict, rows: list[dict], loads: tuple[str, str], out: Path) -> None:
    """Print the studio, the measurements and the verdicts; write the rows to `out` (CSV)."""
    import pandas as pd

    from contract.files import write_csv
    print(f"studio: {studio['spec']}; " + ", ".join(f"{k} {v:,}" for k, v in studio["rows"].items()
                                                   if k in ("sessions", "sku_sales", "viewer_minutes")))
    print("generation: " + ", ".join(f"{k} {v:.1f} s" for k, v in studio["seconds"].items())
          + f"; peak {studio['peak_mib']:.0f} MiB")
    sizes = pd.DataFrame(studio["sizes"]).rename_axis("file").reset_index()
    print(sizes.rename(columns={"csv": "CSV MiB", "parquet": "Parquet MiB"}).to_string(
        index=False, float_format=lambda v: f"{v:.1f}"))
    print(f"machine: {os.cpu_count()} cores; load average at start {loads[0]}, at end {loads[1]}")
    table = pd.DataFrame([{header: fmt.format(row[key]) for key, header, fmt in TABLE} for row in rows])
    print(table.to_string(index=False))
    for row in rows:
        if row["match"] != "yes":
            print(f"DIFFERENCE in {row['query']} ({row['source']}): {row['difference']}")
    if all(row["match"] == "yes" for row in rows):
        print("results match: DuckDB's answers equal pandas' on every query and source")
    speed = all(row["speed_goal"] == "PASS" for row in rows)
    memory = all(row["memory_goal"] == "PASS" for row in rows)
    print(f"goal pandas/DuckDB <= {SPEED_GOAL:g} on every query: {'PASS' if speed else 'MISS'}; "
          f"goal pandas peak <= {MEMORY_GOAL:g}x raw CSV: {'PASS' if memory else 'MISS'}")
    write_csv(pd.DataFrame(rows), out)


def _load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smoke run: 5 shops x 8 weeks")
    parser.add_argument("--channels", type=int, help="shops (default 100; 5 with --quick)")
    parser.add_argument("--weeks", type=int, help="weeks of results (default 52; 8 with --quick)")
    parser.add_argument("--hosts", type=int, help="hosts in the roster (default 5 per shop)")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--repeats", type=int, default=1, help="runs per measurement; the fastest counts")
    parser.add_argument("--queries", nargs="+", choices=[q.name for q in QUERIES], metavar="QUERY",
                        help="only these queries (names as printed, quoted)")
    parser.add_argument("--sources", nargs="+", choices=SOURCES, default=list(SOURCES))
    parser.add_argument("--keep", type=Path, metavar="DIR", help="keep (and reuse) the generated files in DIR")
    parser.add_argument("--out", type=Path, default=OUT, help=f"CSV of the figures (default {OUT})")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child_main(args.child)
        return 0
    args.channels = args.channels or (5 if args.quick else 100)
    args.weeks = args.weeks or (8 if args.quick else 52)
    work = args.keep or Path(tempfile.mkdtemp(prefix="metrics-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        started = _load_average()
        studio = prepare(args, work)
        rows = []
        for query in (q for q in QUERIES if not args.queries or q.name in args.queries):
            csv_mib = sum(studio["sizes"]["csv"][name] for name in query.files)
            for fmt in args.sources:
                print(f"measuring {query.name} from {fmt} ...", file=sys.stderr, flush=True)
                rows.append(judge(measure(query, fmt, work, args.repeats), csv_mib))
        report(studio, rows, (started, _load_average()), args.out)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0 if all(row["match"] == "yes" for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
