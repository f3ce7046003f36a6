"""The scorecard's numbers in DuckDB SQL: the benchmark's peer for `metrics` (pandas).

The same outputs as `metrics.scorecard`, `metrics.sku_velocity` and `metrics.average_curves`, computed
straight from a studio's files (Parquet or CSV) with the data contract's formulas: every rate is a
ratio of sums over the group, NULL where its denominator is 0; a session belongs to the day it
starts; weeks are ISO weeks labelled `2026-W48`; units_net = units_sold - units_refunded; a SKU's
live_hours sum the sessions in which it sold. Benchmark-only: DuckDB is in bench/requirements.txt,
not in the app's requirements. DuckDB trusts the files; the pandas path also validates every cell.
"""
from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from metrics.formulas import RATIOS  # the contract's ratios: (numerator sum, denominator sum, scale)
from metrics.velocity import DECILE, MIN_PEERS, MIN_SESSIONS  # the flags' settings

# Grouping keys the contract's CLI offers, as SQL over a sessions row `s`.
KEY_SQL = {
    "date": "strftime(s.start, '%Y-%m-%d')",
    "week": "strftime(s.start, '%G-W%V')",
    "channel": "s.channel",
    "host_id": "coalesce(s.host_id, '')",
}
# CSV columns read with a fixed type, so an id that looks like a number or a date stays text.
CSV_TYPES = {
    "sessions": {"session_id": "VARCHAR", "channel": "VARCHAR", "host_id": "VARCHAR",
                 "start": "TIMESTAMP", "end": "TIMESTAMP"},
    "sku_sales": {"session_id": "VARCHAR", "sku": "VARCHAR"},
    "viewer_minutes": {"session_id": "VARCHAR"},
}
COUNTS = ("viewers", "views", "orders", "product_clicks", "product_impressions")


def source(data_dir: Path | str, name: str) -> str:
    """A FROM clause reading `<name>.parquet` when present, else `<name>.csv`."""
    data_dir = Path(data_dir)
    parquet = data_dir / f"{name}.parquet"
    if parquet.exists():
        return f"read_parquet({_quote(parquet)})"
    csv = data_dir / f"{name}.csv"
    types = "{" + ", ".join(f"'{c}': '{t}'" for c, t in CSV_TYPES.get(name, {}).items()) + "}"
    return f"read_csv_auto({_quote(csv)}, header = true, types = {types})"


def _quote(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _ratio(name: str) -> str:
    numerator, denominator, scale = RATIOS[name]
    scaled = f"{numerator}::DOUBLE * {scale}" if scale != 1.0 else f"{numerator}::DOUBLE"
    return f"{scaled} / nullif({denominator}::DOUBLE, 0) AS {name}"


def _keys(by: list[str], allowed: tuple[str, ...]) -> list[str]:
    unknown = [k for k in by if k not in allowed]
    if unknown:
        raise ValueError(f"unknown key(s) {unknown}; the SQL peer knows {', '.join(allowed)}")
    return list(dict.fromkeys(by))


def scorecard_sql(sessions: str, sku_sales: str, by: list[str]) -> str:
    """The scorecard's keys and every contract metric, one row per group, in key order."""
    by = _keys(by, tuple(KEY_SQL))
    keys = "".join(f"{KEY_SQL[k]} AS {k}, " for k in by)
    order = f"ORDER BY {', '.join(by)}" if by else ""
    group = "GROUP BY ALL" if by else ""
    counts = ", ".join(f"sum({c})::BIGINT AS {c}" for c in COUNTS)
    return f"""
        WITH units AS (
            SELECT session_id, sum(units_sold - coalesce(units_refunded, 0)) AS units_net
            FROM {sku_sales} GROUP BY session_id
        ), sums AS (
            SELECT {keys}count(*)::BIGINT AS sessions,
                   sum(epoch(s."end" - s.start) / 3600.0) AS live_hours,
                   {counts}, sum(s.gmv::DOUBLE) AS gmv,
                   coalesce(sum(u.units_net), 0)::BIGINT AS units_net,
                   sum(s.viewers * s.avg_watch_seconds::DOUBLE) AS watch_seconds,
                   sum(s.viewers * epoch(s."end" - s.start)) AS viewer_seconds
            FROM {sessions} AS s LEFT JOIN units AS u USING (session_id)
            {group}
        )
        SELECT {''.join(f'{k}, ' for k in by)}sessions, live_hours, viewers, views, orders, gmv,
               product_clicks, product_impressions, units_net, {', '.join(_ratio(r) for r in RATIOS)}
        FROM sums {order}"""


def sku_velocity_sql(sessions: str, sku_sales: str, by: list[str]) -> str:
    """`metrics.sku_velocity`: per period and SKU, velocity with its fast_mover and stalled flags.

    A SKU that sold in an earlier period but has no row in the latest one gets a row there (sessions 0,
    units_per_hour NULL); fast/slow are the top/bottom decile (linear quantiles) of units_per_hour among
    the period's SKUs with >= 3 sessions, when there are >= 10 of them.
    """
    by = _keys(by, ("date", "week"))
    if len(by) != 1:
        raise ValueError("the SQL peer of SKU velocity takes one period key: date or week")
    period = by[0]
    return f"""
        WITH v AS (
            SELECT {KEY_SQL[period]} AS {period}, k.sku, count(*)::BIGINT AS sessions,
                   sum(epoch(s."end" - s.start) / 3600.0) AS live_hours,
                   sum(k.units_sold - coalesce(k.units_refunded, 0))::BIGINT AS units_net,
                   sum(k.gmv::DOUBLE) AS gmv
            FROM {sku_sales} AS k JOIN {sessions} AS s USING (session_id)
            GROUP BY ALL
        ), latest AS (SELECT max({period}) AS {period} FROM v),
        added AS (
            SELECT DISTINCT (SELECT {period} FROM latest) AS {period}, sku, 0::BIGINT AS sessions,
                   0.0::DOUBLE AS live_hours, 0::BIGINT AS units_net, 0.0::DOUBLE AS gmv
            FROM v WHERE {period} < (SELECT {period} FROM latest) AND units_net > 0
              AND sku NOT IN (SELECT sku FROM v WHERE {period} = (SELECT {period} FROM latest))
        ), rows AS (
            SELECT *, units_net::DOUBLE / nullif(live_hours, 0) AS units_per_hour FROM v
            UNION ALL
            SELECT *, NULL::DOUBLE AS units_per_hour FROM added
        ), ranked AS (
            SELECT *,
                   count(speed) OVER p AS peers,
                   quantile_cont(speed, {1 - DECILE}) OVER p AS high,
                   quantile_cont(speed, {DECILE}) OVER p AS low,
                   bool_or(units_net > 0) OVER (PARTITION BY sku) AS ever_sold
            FROM (SELECT *, CASE WHEN sessions >= {MIN_SESSIONS} THEN units_per_hour END AS speed FROM rows)
            WINDOW p AS (PARTITION BY {period})
        )
        SELECT {period}, sku, sessions, live_hours, units_net, gmv, units_per_hour,
               coalesce(peers >= {MIN_PEERS} AND speed >= high, false) AS fast_mover,
               coalesce(peers >= {MIN_PEERS} AND speed <= low, false)
                 OR ({period} = (SELECT {period} FROM latest) AND units_net <= 0 AND ever_sold) AS stalled
        FROM ranked ORDER BY {period}, sku"""


def average_curves_sql(viewer_minutes: str, sessions: str, by: list[str]) -> str:
    """`metrics.average_curves`: per group and minute, how many sessions reached it and their mean share of peak."""
    by = _keys(by, tuple(KEY_SQL))
    keys = ", ".join(f"{KEY_SQL[k]} AS {k}" for k in by)
    names = ", ".join(by)
    return f"""
        WITH peak AS (
            SELECT session_id, max(concurrent_viewers) AS peak FROM {viewer_minutes} GROUP BY session_id
        ), keyed AS (  -- one row per session with minutes: its keys and its peak (a small join)
            SELECT s.session_id, {keys}, p.peak::DOUBLE AS peak
            FROM peak AS p JOIN {sessions} AS s USING (session_id) WHERE p.peak > 0
        )
        SELECT {names}, m.minute, count(*)::BIGINT AS sessions, avg(m.concurrent_viewers / k.peak) AS share_of_peak
        FROM {viewer_minutes} AS m JOIN keyed AS k USING (session_id)
        GROUP BY ALL ORDER BY {names}, m.minute"""


def run(sql: str, connection: duckdb.DuckDBPyConnection | None = None) -> pd.DataFrame:
    """The query's result as a DataFrame (text keys as pandas' str dtype)."""
    connection = connection or duckdb.connect()
    frame = connection.sql(sql).df()
    for name in frame.columns:
        if frame[name].dtype == object:
            frame[name] = frame[name].astype("str")
    return frame


def scorecard(data_dir: Path | str, by: list[str], connection: duckdb.DuckDBPyConnection | None = None) -> pd.DataFrame:
    """`metrics.scorecard(sessions, sku_sales, by)` from the files of `data_dir`."""
    return run(scorecard_sql(source(data_dir, "sessions"), source(data_dir, "sku_sales"), by), connection)


def sku_velocity(data_dir: Path | str, by: list[str],
                 connection: duckdb.DuckDBPyConnection | None = None) -> pd.DataFrame:
    """`metrics.sku_velocity(sessions, sku_sales, by)` (no inventory) from the files of `data_dir`."""
    return run(sku_velocity_sql(source(data_dir, "sessions"), source(data_dir, "sku_sales"), by), connection)


def average_curves(data_dir: Path | str, by: list[str],
                   connection: duckdb.DuckDBPyConnection | None = None) -> pd.DataFrame:
    """`metrics.average_curves(viewer_minutes, sessions, by)` from the files of `data_dir`."""
    return run(average_curves_sql(source(data_dir, "viewer_minutes"), source(data_dir, "sessions"), by), connection)
