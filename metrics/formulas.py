"""The scorecard formulas of the data contract, in exactly one place.

Every metric is either a sum over the sessions of a group or a ratio of two such sums; a ratio is
never a mean of per-session rates, and it is empty (NaN) where its denominator is 0.
Every grouping (scorecard, SKU velocity, daily and weekly reports) goes through `summarise`.
"""
from __future__ import annotations

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


def ratio(numerator: pd.Series, denominator: pd.Series, scale: float = 1.0) -> pd.Series:
    """numerator / denominator * scale, empty where the denominator is 0 (never inf, never 0)."""
    return numerator.astype("float64") * scale / denominator.astype("float64").where(denominator != 0)


def units_net(sku_sales: pd.DataFrame) -> pd.Series:
    """Units sold less units refunded, row by row."""
    return sku_sales["units_sold"].astype("int64") - sku_sales["units_refunded"].astype("int64")


def session_measures(sessions: pd.DataFrame, sku_sales: pd.DataFrame, position: np.ndarray) -> pd.DataFrame:
    """One row per session with its additive measures (aligned with `sessions`' index).

    `position[i]` is the row of `sessions` that sku_sales row i belongs to. A session without SKU
    rows has units_net 0: it sold nothing that the SKU file knows of.
    """
    seconds = (sessions["end"] - sessions["start"]).dt.total_seconds()
    viewers = sessions["viewers"].astype("int64")
    net = np.bincount(position, weights=units_net(sku_sales).to_numpy(), minlength=len(sessions))
    return pd.DataFrame({
        "sessions": np.ones(len(sessions), dtype="int64"),
        "live_hours": seconds / 3600.0,
        "viewers": viewers,
        "views": sessions["views"].astype("int64"),
        "orders": sessions["orders"].astype("int64"),
        "gmv": sessions["gmv"].astype("float64"),
        "product_clicks": sessions["product_clicks"].astype("int64"),
        "product_impressions": sessions["product_impressions"].astype("int64"),
        "units_net": np.rint(net).astype("int64"),
        "watch_seconds": viewers * sessions["avg_watch_seconds"].astype("float64"),
        "viewer_seconds": viewers * seconds,
    }, index=sessions.index)


def add_ratios(sums: pd.DataFrame) -> pd.DataFrame:
    """Turn summed measures into every contract metric, in the contract's order (hidden sums dropped)."""
    out = sums[[c for c in sums.columns if c not in MEASURES]].copy()
    for name in METRICS:
        if name in RATIOS:
            numerator, denominator, scale = RATIOS[name]
            out[name] = ratio(sums[numerator], sums[denominator], scale)
        else:
            out[name] = sums[name]
    return out


def summarise(measures: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Sum the measures of each group of `by`, then compute every ratio from those sums.

    With no keys, the whole frame is one group (the studio's total).
    """
    if by:
        sums = measures.groupby(by, sort=True, observed=True)[list(MEASURES)].sum().reset_index()
    else:
        sums = measures[list(MEASURES)].sum().to_frame().T.astype(measures[list(MEASURES)].dtypes)
    return add_ratios(sums)
