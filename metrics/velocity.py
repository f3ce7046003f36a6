"""SKU velocity: how fast each product sells while it is on air, and which ones to push or drop.

velocity = units_net / live_hours over the sessions of the period in which the SKU sold (the
contract's formula, computed by the scorecard's own formulas at SKU level).
"""
from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from metrics.formulas import ratio
from metrics.groups import SKU_KEYS, TIME_KEYS, check_keys, scorecard, scorecard_columns, sort_by_keys
from metrics.load import INVENTORY, INVENTORY_COLUMNS

VELOCITY_COLUMNS = ("sessions", "live_hours", "units_net", "gmv", "units_per_hour")
MIN_SESSIONS = 3  # fewer sessions than this is too little evidence to call a SKU fast or slow
DECILE = 0.1
MIN_PEERS = 10  # deciles of fewer comparable SKUs than this would flag the only SKU as both best and worst


def sku_velocity(sessions: pd.DataFrame, sku_sales: pd.DataFrame, by: Iterable[str] | str = ("week",),
                 inventory: pd.DataFrame | None = None, min_sessions: int = MIN_SESSIONS) -> pd.DataFrame:
    """The keys, sku, then the contract's columns; then the flags `fast_mover` and `stalled`.

    fast_mover: units_per_hour in the top decile among the SKUs of the same group (period and other
    keys) with at least `min_sessions` sessions, when the group has at least MIN_PEERS such SKUs.
    stalled: in the bottom decile of those, or sold (units_net > 0) in an earlier period but not in
    the group's latest period; a SKU with no row at all in that latest period gets one (sessions 0,
    units_per_hour empty) so it shows up. A period where a SKU was listed but sold nothing counts:
    sku_sales rows are the SKUs on sale in a session, and hours spent on a SKU that does not sell
    are exactly what velocity should show.
    With `inventory` (sku, on_hand): on_hand, sell_through = units_net / (units_net + on_hand) and
    days_of_cover = on_hand / units_net per day of the period (empty where nothing sold).
    """
    keys = [k for k in check_keys(by, SKU_KEYS) if k != "sku"]
    card = scorecard(sessions, sku_sales, keys + ["sku"])
    out = card[keys + ["sku", *VELOCITY_COLUMNS]]
    time = next((k for k in TIME_KEYS if k in keys), None)
    stalled_latest = pd.Series(False, index=out.index)
    if time is not None and len(out):
        out, stalled_latest = _stalled_in_latest_period(out, keys, time)
    fast, slow = _deciles(out, keys, min_sessions)
    out = out.assign(fast_mover=fast, stalled=slow | stalled_latest)
    if inventory is not None:
        out = _with_stock(out, inventory, _days_per_period(time, sessions))
    return sort_by_keys(out, keys + ["sku"])


def velocity_columns(by: Iterable[str] | str = ("week",), inventory: bool = True) -> dict[str, tuple[str, ...]]:
    """What `sku_velocity(sessions, sku_sales, by)` reads of each file, for `load_results(columns=...)`;
    with `inventory`, the stock on hand too (inventory.csv, else products.csv's inventory column)."""
    keys = [k for k in check_keys(by, SKU_KEYS) if k != "sku"]
    columns = scorecard_columns(keys + ["sku"])
    return {**columns, INVENTORY.file: INVENTORY_COLUMNS} if inventory else columns


def _deciles(out: pd.DataFrame, keys: list[str], min_sessions: int) -> tuple[pd.Series, pd.Series]:
    """Top and bottom decile of units_per_hour among SKUs of a group with enough sessions."""
    speed = out["units_per_hour"].where(out["sessions"] >= min_sessions)
    groups = [out[k] for k in keys] if keys else np.zeros(len(out), dtype="int64")
    grouped = speed.groupby(groups, sort=False)
    enough = grouped.transform("count") >= MIN_PEERS
    high = grouped.transform("quantile", 1 - DECILE).where(enough)
    low = grouped.transform("quantile", DECILE).where(enough)
    return (speed >= high).fillna(False).astype(bool), (speed <= low).fillna(False).astype(bool)


def _stalled_in_latest_period(out: pd.DataFrame, keys: list[str], time: str) -> tuple[pd.DataFrame, pd.Series]:
    """Rows (added where missing) of SKUs that sold before but not in their group's latest period."""
    others = [k for k in keys if k != time]
    latest = (out.groupby(others, sort=False)[time].transform("max") if others
              else pd.Series(out[time].max(), index=out.index))
    sold_before = out.loc[(out[time] < latest) & (out["units_net"] > 0), others + ["sku"]].drop_duplicates()
    in_latest = out.loc[out[time] == latest]
    missing = sold_before.merge(in_latest[others + ["sku"]], how="left", indicator=True)
    missing = missing.loc[missing["_merge"] == "left_only", others + ["sku"]]
    group_latest = out.assign(latest=latest)[others + ["latest"]].drop_duplicates()
    added = (missing.merge(group_latest, on=others) if others else missing.assign(latest=latest.iloc[0]))
    added = added.rename(columns={"latest": time}).assign(
        sessions=0, live_hours=0.0, units_net=0, gmv=0.0, units_per_hour=np.nan)
    combined = pd.concat([out, added[out.columns]], ignore_index=True)
    combined = combined.astype(out.dtypes.to_dict())
    latest = combined.groupby(others, sort=False)[time].transform("max") if others else combined[time].max()
    stalled = (combined[time] == latest) & (combined["units_net"] <= 0)
    ever_sold = combined.assign(sold=combined["units_net"] > 0).groupby(others + ["sku"])["sold"].transform("any")
    return combined, (stalled & ever_sold).astype(bool)


def _days_per_period(time: str | None, sessions: pd.DataFrame) -> float:
    """Calendar days a period covers: 1 for a date, 7 for a week, else the span of the results."""
    if time == "date":
        return 1.0
    if time == "week":
        return 7.0
    days = sessions["start"].dt.normalize()
    return float((days.max() - days.min()).days + 1) if len(days) else np.nan


def _with_stock(out: pd.DataFrame, inventory: pd.DataFrame, days: float) -> pd.DataFrame:
    """Add on_hand, sell_through and days_of_cover from stock on hand per SKU."""
    stock = inventory.drop_duplicates("sku", keep="last").set_index("sku")["on_hand"].astype("float64")
    on_hand = out["sku"].map(stock).astype("float64")
    units = out["units_net"].astype("float64")
    return out.assign(
        on_hand=on_hand,
        sell_through=ratio(units, units + on_hand),
        days_of_cover=ratio(on_hand * days, units),
    )
