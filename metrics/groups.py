"""The grouping keys a person can ask a scorecard for, derived once per session.

A session belongs to the studio calendar day on which it starts (a 23:00-01:00 stream counts on its
start day), and to that day's ISO week.
"""
from __future__ import annotations

from typing import Iterable

import pandas as pd

from metrics.formulas import session_measures, summarise, units_net

SESSION_KEYS = ("date", "week", "channel", "host_id", "product_tier", "category", "hour", "weekday")
SKU_KEYS = SESSION_KEYS + ("sku",)
TIME_KEYS = ("date", "week")  # the keys that split time into periods, finest first
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
UNKNOWN = "unknown"


def check_keys(by: Iterable[str] | str, allowed: tuple[str, ...] = SESSION_KEYS) -> list[str]:
    """The requested keys in order, without repeats; an unknown key is a ValueError listing the allowed ones."""
    keys = [by] if isinstance(by, str) else list(by)
    unknown = [k for k in keys if k not in allowed]
    if unknown:
        raise ValueError(f"unknown grouping key(s) {', '.join(map(repr, unknown))}; "
                         f"choose from {', '.join(allowed)}")
    return list(dict.fromkeys(keys))


def with_keys(sessions: pd.DataFrame, sku_sales: pd.DataFrame | None = None) -> pd.DataFrame:
    """A copy of `sessions` with every grouping key as a column.

    product_tier and category come from sessions.csv's extra columns when present; otherwise
    product_tier is the tier that brought the session the most net GMV (needs `sku_sales`) and
    category is "unknown". A session with no SKU rows has product_tier "unknown".
    """
    out = sessions.copy()
    start = out["start"]
    day = start.dt.normalize()
    days = pd.DatetimeIndex(day.unique())
    iso = days.isocalendar()
    position = days.get_indexer(day)
    out["date"] = pd.Series(days.strftime("%Y-%m-%d"), dtype="str").to_numpy()[position]
    week = iso["year"].astype("str") + "-W" + iso["week"].astype("str").str.zfill(2)
    out["week"] = week.to_numpy()[position]
    out["weekday"] = pd.Series(list(WEEKDAYS), dtype="str").to_numpy()[days.day_of_week][position]
    out["hour"] = start.dt.hour.astype("int64")
    for column in ("date", "week", "weekday"):
        out[column] = out[column].astype("str")
    if "product_tier" not in out.columns:
        out["product_tier"] = _top_tier(out["session_id"], sku_sales)
    if "category" not in out.columns:
        out["category"] = UNKNOWN
    for column in ("channel", "host_id", "product_tier", "category"):
        out[column] = out[column].fillna("").astype("str")
    return out


def _top_tier(session_ids: pd.Series, sku_sales: pd.DataFrame | None) -> pd.Series:
    """Each session's product tier with the most net GMV (gross GMV scaled by the share not refunded)."""
    if sku_sales is None or sku_sales.empty:
        return pd.Series(UNKNOWN, index=session_ids.index, dtype="str")
    sold = sku_sales["units_sold"].astype("float64")
    kept = (units_net(sku_sales) / sold.where(sold > 0)).fillna(0.0)
    net_gmv = (sku_sales["gmv"].astype("float64") * kept).rename("net_gmv")
    by_tier = net_gmv.groupby([sku_sales["session_id"], sku_sales["product_tier"]], sort=True).sum()
    top = by_tier.reset_index().sort_values("net_gmv", ascending=False, kind="stable")
    top = top.drop_duplicates("session_id").set_index("session_id")["product_tier"]
    return session_ids.map(top).fillna(UNKNOWN).astype("str")


def sort_by_keys(frame: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Rows in key order, weekdays Monday first; a fresh 0..n-1 index."""
    if not by:
        return frame.reset_index(drop=True)
    order = {day: i for i, day in enumerate(WEEKDAYS)}

    def key(column: pd.Series) -> pd.Series:
        return column.map(order) if column.name == "weekday" else column

    return frame.sort_values(by, key=key, kind="stable").reset_index(drop=True)


def session_frame(sessions: pd.DataFrame, sku_sales: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """One row per session: the keys of `by` and the session's additive measures."""
    keyed = with_keys(sessions, sku_sales) if by else sessions
    measures = session_measures(sessions, sku_sales)
    return pd.concat([keyed[by].reset_index(drop=True), measures.reset_index(drop=True)], axis=1)


def sku_frame(sessions: pd.DataFrame, sku_sales: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """One row per (session, SKU): the session's measures, but the SKU's own units_net and gmv.

    This is the frame of SKU velocity: summed over a group, live_hours (and viewers, orders, ...)
    cover only the sessions in which the SKU sold, while units_net and gmv are the SKU's own. Here
    product_tier is the SKU's own tier. (session_id, sku) is unique: `load_results` checks it.
    """
    session_keys = [k for k in by if k not in ("sku", "product_tier")]
    sessions = sessions.reset_index(drop=True)
    keyed = with_keys(sessions, sku_sales) if session_keys else sessions
    measures = session_measures(sessions, sku_sales)
    position = pd.Index(sessions["session_id"]).get_indexer(sku_sales["session_id"])
    if (position < 0).any():
        raise ValueError("sku_sales names a session_id that is not in sessions")
    out = pd.concat([keyed[session_keys].take(position).reset_index(drop=True),
                     measures.take(position).reset_index(drop=True)], axis=1)
    out["sku"] = sku_sales["sku"].astype("str").to_numpy()
    out["product_tier"] = sku_sales["product_tier"].astype("str").to_numpy()
    out["units_net"] = units_net(sku_sales).to_numpy()
    out["gmv"] = sku_sales["gmv"].astype("float64").to_numpy()
    return out


def scorecard(sessions: pd.DataFrame, sku_sales: pd.DataFrame,
              by: Iterable[str] | str = ("date", "host_id")) -> pd.DataFrame:
    """The keys of `by`, then every contract metric in the contract's order; one row per group, sorted.

    Grouping by `sku` gives a SKU-level scorecard (see `sku_frame`): the SKU's units and GMV against
    the sessions it sold in. Any other key groups sessions.
    """
    by = check_keys(by, SKU_KEYS)
    frame = sku_frame(sessions, sku_sales, by) if "sku" in by else session_frame(sessions, sku_sales, by)
    return sort_by_keys(summarise(frame, by), by)
