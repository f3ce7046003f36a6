"""The scorecard formulas of the data contract, in exactly one place.

Every metric is either a sum over the sessions of a group or a ratio of two such sums; a ratio is
never a mean of per-session rates, and it is empty (NaN) where its denominator is 0.
Every grouping (scorecard, SKU velocity, daily and weekly reports) goes through `summarise`.
"""
from __future__ import annotations

from typing import overload

import numpy as np
import pandas as pd

# The contract's metrics, in the contract's order: this is the order of every scorecard's columns.
METRICS = (
    "sessions", "live_hours", "viewers", "views", "orders", "gmv", "product_clicks",
    "product_impressions", "units_net", "conversion_rate", "click_to_order_rate", "ctr",
    "retention_rate", "gmv_per_hour", "units_per_hour", "gpm",
)
# Sums a person reads, and the two sums retention_rate needs but nobody reads on their own.
SUMS = METRICS[:9]
_HIDDEN_SUMS = ("watch_seconds", "viewer_seconds")
# metric: (numerator sum, denominator sum, scale)
RATIOS: dict[str, tuple[str, str, float]] = {
    "conversion_rate": ("orders", "viewers", 1.0),
    "click_to_order_rate": ("orders", "product_clicks", 1.0),
    "ctr": ("product_clicks", "product_impressions", 1.0),
    "retention_rate": ("watch_seconds", "viewer_seconds", 1.0),
    "gmv_per_hour": ("gmv", "live_hours", 1.0),
    "units_per_hour": ("units_net", "live_hours", 1.0),
    "gpm": ("gmv", "views", 1000.0),
}
MEASURES = SUMS + _HIDDEN_SUMS  # the additive columns `summarise` sums
# The columns of sessions.csv that `session_measures` reads.
MEASURE_COLUMNS = ("session_id", "start", "end", "viewers", "views", "avg_watch_seconds", "product_impressions",
                   "product_clicks", "orders", "gmv")


@overload
def ratio(numerator: np.ndarray, denominator: np.ndarray, scale: float = 1.0) -> np.ndarray: ...
@overload
def ratio(numerator: pd.Series | np.ndarray, denominator: pd.Series, scale: float = 1.0) -> pd.Series: ...
def ratio(numerator: pd.Series | np.ndarray, denominator: pd.Series | np.ndarray,
          scale: float = 1.0) -> pd.Series | np.ndarray:
    """numerator / denominator * scale, empty where the denominator is 0 (never inf, never 0).

    Series give a Series; arrays an array, with no temporaries beyond the result (retention divides
    tens of millions of rows).
    """
    if isinstance(denominator, pd.Series):
        return numerator.astype("float64") * scale / denominator.astype("float64").where(denominator != 0)
    out = numerator.astype("float64")
    if scale != 1.0:
        out *= scale
    np.divide(out, denominator, out=out, where=denominator != 0)
    out[denominator == 0] = np.nan
    return out


def units_net(sku_sales: pd.DataFrame) -> pd.Series:
    """Units sold less units refunded, row by row."""
    return sku_sales["units_sold"].astype("int64") - sku_sales["units_refunded"].astype("int64")


def session_measures(sessions: pd.DataFrame, sku_sales: pd.DataFrame, position: np.ndarray) -> pd.DataFrame:
    """One row per session with its additive measures (aligned with `sessions`' index).

    `position[i]` is the row of `sessions` that sku_sales row i belongs to. A session without SKU
    rows has units_net 0: it sold nothing that the SKU file knows of.
    """
    seconds = (sessions["end"] - sessions["start"]).dt.total_seconds().to_numpy()
    viewers = sessions["viewers"].to_numpy(dtype="int64")
    net = np.bincount(position, weights=units_net(sku_sales).to_numpy(), minlength=len(sessions))
    return pd.DataFrame({
        "sessions": np.ones(len(sessions), dtype="int64"),
        "live_hours": seconds / 3600.0,
        "viewers": viewers,
        "views": sessions["views"].to_numpy(dtype="int64"),
        "orders": sessions["orders"].to_numpy(dtype="int64"),
        "gmv": sessions["gmv"].to_numpy(dtype="float64"),
        "product_clicks": sessions["product_clicks"].to_numpy(dtype="int64"),
        "product_impressions": sessions["product_impressions"].to_numpy(dtype="int64"),
        "units_net": np.rint(net).astype("int64"),
        "watch_seconds": viewers * sessions["avg_watch_seconds"].to_numpy(dtype="float64"),
        "viewer_seconds": viewers * seconds,
    }, index=sessions.index, copy=False)


def add_ratios(sums: pd.DataFrame) -> pd.DataFrame:
    """Turn summed measures into every contract metric, in the contract's order (hidden sums dropped)."""
    out = {name: sums[name].array for name in sums.columns if name not in MEASURES}
    for name in METRICS:
        if name in RATIOS:
            numerator, denominator, scale = RATIOS[name]
            out[name] = ratio(sums[numerator].to_numpy(), sums[denominator].to_numpy(), scale)
        else:
            out[name] = sums[name].to_numpy()
    return pd.DataFrame(out, index=sums.index, copy=False)


def summarise(measures: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Sum the measures of each group of `by`, then compute every ratio from those sums.

    Groups come in key order (a categorical's category order, else sorted values); a row with an
    empty key belongs to no group. With no keys, the whole frame is one group (the studio's total).
    """
    return _summarise(measures, by, lambda name: measures[name].to_numpy())


def summarise_rows(rows: pd.DataFrame, by: list[str], sessions: pd.DataFrame,
                   session_of_row: np.ndarray) -> pd.DataFrame:
    """`summarise` of rows that each carry the measures of a session (row i: `sessions` row
    session_of_row[i]) except those the rows have themselves (a SKU's own units and GMV), without
    copying every session figure onto every row first."""
    def column(name: str) -> np.ndarray:
        return rows[name].to_numpy() if name in rows.columns else sessions[name].to_numpy()[session_of_row]
    return _summarise(rows, by, column)


def _summarise(frame: pd.DataFrame, by: list[str], column) -> pd.DataFrame:
    """Group `frame` by `by` and sum `column(name)` of each measure per group (one at a time)."""
    if by:
        keys, group = _groups(frame, by)
        mine = None if len(group) == 0 or group.min() >= 0 else group >= 0  # rows of some group: all, or these
        sums = keys.assign(**{name: _sum_by_group(column(name), group, len(keys), mine) for name in MEASURES})
    else:
        sums = pd.DataFrame({name: [column(name).sum()] for name in MEASURES})
    return add_ratios(sums)


def _groups(measures: pd.DataFrame, by: list[str]) -> tuple[pd.DataFrame, np.ndarray]:
    """The groups' keys (one row per group, in key order) and each row's group number (-1: none).

    A row's group is first the number whose digits are its keys' codes, so that ordering numbers
    orders keys; the numbers in use are then ranked 0..n-1. Far cheaper than hashing every row's keys.
    """
    rows = len(measures)
    coded = [_codes_of(measures[name]) for name in by]
    empty = np.zeros(rows, dtype=bool)
    for code, _ in coded:
        empty |= code < 0
    number = np.zeros(rows, dtype="int64")
    span = 1
    for code, level in coded:
        size = max(len(level), 1)
        if span * size >= 2**62:  # the numbers would overflow: rank the groups so far first
            number, span = _rank(number)
        number *= size
        number += code
        span *= size
    number[empty] = span  # rows with an empty key: a number past every group's, dropped below
    if span <= max(4 * rows, 1 << 20):  # rank through a dense count, no sorting
        used = np.bincount(number, minlength=span + 1)[:span] > 0
        group = np.append(np.cumsum(used) - 1, -1)[number]
        groups = int(used.sum())
    else:
        group, groups = _rank(number)
        if empty.any():
            groups -= 1
            group[empty] = -1
    any_row = np.empty(groups + 1, dtype=np.intp)
    any_row[group] = np.arange(rows)  # a row of each group (rows of no group write the spare last entry)
    keys = {name: level.take(code[any_row[:groups]]) for name, (code, level) in zip(by, coded)}
    return pd.DataFrame(keys), group


def _codes_of(values: pd.Series) -> tuple[np.ndarray, pd.Categorical | pd.Index]:
    """A key's codes (-1: empty) and what each code stands for, in key order: a categorical's own
    categories (taking codes gives back the categorical), else the sorted distinct values."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        categorical = values.array
        return categorical.codes.astype("int64"), pd.Categorical.from_codes(
            np.arange(len(categorical.categories)), dtype=categorical.dtype)
    code, uniques = pd.factorize(values, sort=True)
    return code.astype("int64"), pd.Index(uniques)


def _rank(number: np.ndarray) -> tuple[np.ndarray, int]:
    """Numbers replaced by their rank among the distinct ones, and how many distinct ones there are."""
    distinct, inverse = np.unique(number, return_inverse=True)
    return inverse.astype("int64", copy=False), len(distinct)


def _sum_by_group(values: np.ndarray, group: np.ndarray, groups: int, mine: np.ndarray | None) -> np.ndarray:
    """Per group, the sum of its rows' values (rows `mine`, or all): exact for whole numbers, in row
    order for decimals."""
    if mine is not None:
        values, group = values[mine], group[mine]
    if np.issubdtype(values.dtype, np.integer):
        out = np.zeros(groups, dtype="int64")
        np.add.at(out, group, values)
        return out
    return np.bincount(group, weights=values, minlength=groups).astype("float64", copy=False)  # even if empty
