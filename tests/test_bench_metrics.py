"""The metrics benchmark's DuckDB peer gives the scorecard's numbers, and the benchmark runs end to end.

DuckDB is a benchmark-only dependency (bench/requirements.txt); without it these tests skip.
"""
from __future__ import annotations

import math

import pandas as pd
import pytest

pytest.importorskip("duckdb", reason="duckdb is a benchmark-only dependency (pip install -r bench/requirements.txt)")

from bench import metrics_sql  # noqa: E402
from bench.metrics_bench import first_difference, main  # noqa: E402
from contract import SESSIONS, SKU_SALES, VIEWER_MINUTES, parse_table  # noqa: E402
from metrics import average_curves, scorecard, sku_velocity  # noqa: E402
from sample_data.generate import generate_studio, write_studio  # noqa: E402

SESSION_ROWS = [  # session_id, channel, host_id, start, end, viewers, views, avg_watch_seconds, impressions, clicks, orders, gmv
    ("S1", "shop-a", "H1", "2026-12-31T23:00:00", "2027-01-01T01:00:00", 100, 150, 60, 1000, 50, 5, 250.0),
    ("S2", "shop-a", "", "2027-01-01T10:00:00", "2027-01-01T11:30:00", 0, 0, 0, 0, 0, 0, 0.0),
    ("S3", "shop-b", "H1", "2027-01-04T19:00:00", "2027-01-04T20:00:00", 50, 80, 30, 400, 20, 2, 90.5),
]
SKU_ROWS = [  # session_id, sku, product_tier, units_sold, units_refunded, gmv
    ("S1", "K1", "hero", 4, 1, 200.0),
    ("S1", "K2", "core", 2, 0, 50.0),
    ("S3", "K1", "hero", 3, 0, 90.5),
]


def literal_studio(folder) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Three hand-made sessions written as CSV; returns them as the contract reader types them."""
    sessions = pd.DataFrame(SESSION_ROWS, columns=[
        "session_id", "channel", "host_id", "start", "end", "viewers", "views", "avg_watch_seconds",
        "product_impressions", "product_clicks", "orders", "gmv"]).astype("str")
    sku_sales = pd.DataFrame(SKU_ROWS, columns=[
        "session_id", "sku", "product_tier", "units_sold", "units_refunded", "gmv"]).astype("str")
    sessions.to_csv(folder / "sessions.csv", index=False)
    sku_sales.to_csv(folder / "sku_sales.csv", index=False)
    return parse_table(sessions, SESSIONS), parse_table(sku_sales, SKU_SALES)


def test_sql_scorecard_is_the_contract_scorecard_on_hand_made_sessions(tmp_path):
    sessions, sku_sales = literal_studio(tmp_path)
    for by in (["date", "host_id"], ["week", "channel"], ["week"], []):
        assert first_difference(scorecard(sessions, sku_sales, by), metrics_sql.scorecard(tmp_path, by), by) == ""
    card = metrics_sql.scorecard(tmp_path, ["date", "host_id"])
    # S1 starts on 31 December: its day, though it ends in January; 31 Dec 2026 is in ISO week 2026-W53.
    assert card["date"].tolist() == ["2026-12-31", "2027-01-01", "2027-01-04"]
    first = card.iloc[0]
    assert (first["live_hours"], first["units_net"], first["gmv_per_hour"]) == (2.0, 5, 125.0)
    assert first["retention_rate"] == pytest.approx(100 * 60 / (100 * 7200))
    unattributed = card.iloc[1]  # S2: no host yet, no viewers, no SKU rows
    assert unattributed["host_id"] == "" and unattributed["units_net"] == 0
    assert math.isnan(unattributed["conversion_rate"]) and math.isnan(unattributed["gpm"])
    weeks = metrics_sql.scorecard(tmp_path, ["week"])
    assert weeks["week"].tolist() == ["2026-W53", "2027-W01"]
    assert weeks["sessions"].tolist() == [2, 1]


@pytest.fixture(scope="module")
def small_studio(tmp_path_factory):
    """A generated studio (one shop, two weeks) as Parquet and as CSV."""
    frames = generate_studio(seed=5, channels=1, hosts=6, weeks=2)
    folder = tmp_path_factory.mktemp("studio")
    for fmt in ("parquet", "csv"):
        write_studio({k: frames[k] for k in ("sessions.csv", "sku_sales.csv", "viewer_minutes.csv")},
                     folder / fmt, fmt=fmt)
    typed = (parse_table(frames["sessions.csv"].astype({"start": "str", "end": "str"}), SESSIONS),
             parse_table(frames["sku_sales.csv"], SKU_SALES),
             parse_table(frames["viewer_minutes.csv"].astype({"session_id": "str"}), VIEWER_MINUTES))
    return folder, typed


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_sql_peer_matches_every_benchmarked_query_on_a_generated_studio(small_studio, fmt):
    folder, (sessions, sku_sales, viewer_minutes) = small_studio
    data = folder / fmt
    for by in (["date", "host_id"], ["week", "channel"]):
        assert first_difference(scorecard(sessions, sku_sales, by), metrics_sql.scorecard(data, by), by) == ""
    velocity = sku_velocity(sessions, sku_sales, ["week"])
    assert velocity["stalled"].any()  # the flags are compared too, not only the sums
    assert first_difference(velocity, metrics_sql.sku_velocity(data, ["week"]), ["week", "sku"]) == ""
    curves = average_curves(viewer_minutes, sessions, by="host_id")
    assert first_difference(curves, metrics_sql.average_curves(data, ["host_id"]), ["host_id", "minute"]) == ""


def test_first_difference_names_the_column_and_row_that_differ():
    left = pd.DataFrame({"week": ["2026-W47", "2026-W48"], "gmv": [10.0, float("nan")], "sessions": [1, 2]})
    assert first_difference(left, left.iloc[::-1], ["week"]) == ""  # order does not matter, NaN equals NaN
    changed = left.assign(gmv=[10.0, 3.0])
    assert first_difference(left, changed, ["week"]) == "column gmv at week=2026-W48: pandas nan, DuckDB 3.0"
    assert first_difference(left, left.iloc[:1], ["week"]) == "1 rows instead of 2"


def test_quick_benchmark_runs_and_writes_its_figures(tmp_path):
    out = tmp_path / "metrics.csv"
    code = main(["--quick", "--channels", "1", "--weeks", "1", "--queries", "scorecard week,channel",
                 "--sources", "parquet", "--keep", str(tmp_path / "work"), "--out", str(out)])
    assert code == 0
    figures = pd.read_csv(out)
    assert figures[["query", "source", "match"]].values.tolist() == [["scorecard week,channel", "parquet", "yes"]]
    assert (figures[["pandas_s", "duckdb_s", "pandas_peak_mib", "duckdb_peak_mib"]] > 0).all(axis=None)
    assert set(figures["speed_goal"]) <= {"PASS", "MISS"}
