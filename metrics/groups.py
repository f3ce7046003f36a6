"""The grouping keys a person can ask a scorecard for, and the scorecard itself.

A session belongs to the studio calendar day on which it starts (a 23:00-01:00 stream counts on its
start day), and to that day's ISO week. Keys are grouped as categoricals (integer codes), so a
scorecard of 200 k sessions and 1.5 M SKU rows never hashes text more than once per column.
"""
from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from contract import PRODUCT_TIERS, SESSIONS, SKU_SALES
from contract.weeks import week_labels
from metrics.formulas import MEASURE_COLUMNS, session_measures, summarise, summarise_rows, units_net

SESSION_KEYS = ("date", "week", "channel", "host_id", "product_tier", "category", "hour", "weekday")
SKU_KEYS = SESSION_KEYS + ("sku",)
TIME_KEYS = ("date", "week")  # the keys that split time into periods, finest first
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
UNKNOWN = "unknown"


# The column of sessions.csv each key is made from (product_tier and category are optional extra
# columns of sessions.csv; without them, product_tier comes from sku_sales and category is "unknown").
KEY_SOURCES = {"date": "start", "week": "start", "weekday": "start", "hour": "start", "channel": "channel",
               "host_id": "host_id", "product_tier": "product_tier", "category": "category"}
SKU_SALES_CHECKED = ("session_id", "sku", "units_sold", "units_refunded")  # what the cross-file checks read


def check_keys(by: Iterable[str] | str, allowed: tuple[str, ...] = SESSION_KEYS) -> list[str]:
    """The requested keys in order, without repeats; an unknown key is a ValueError listing the allowed ones."""
    keys = [by] if isinstance(by, str) else list(by)
    unknown = [k for k in keys if k not in allowed]
    if unknown:
        raise ValueError(f"unknown grouping key(s) {', '.join(map(repr, unknown))}; "
                         f"choose from {', '.join(allowed)}")
    return list(dict.fromkeys(keys))


def positions_in(known: pd.Series, values: pd.Series) -> np.ndarray:
    """Position of each of `values` in `known` (unique values), -1 where absent.

    One factorize over both columns: each text is hashed once, several times faster than an Index
    lookup on 25 M viewer-minute rows.
    """
    if isinstance(values.dtype, pd.CategoricalDtype):  # each distinct value looked up once
        categories = values.cat.categories
        codes = values.cat.codes.to_numpy()
        if len(categories) == len(known) and categories.equals(pd.Index(known)):
            return codes  # categories in the order of `known` (a compact load's usual case): codes are positions
        where = positions_in(known, pd.Series(categories, name=values.name))
        return np.append(where, -1)[codes]  # code -1 (empty) -> -1
    codes, _ = pd.factorize(pd.concat([known, values], ignore_index=True))
    size = len(known)
    if len(known) and codes[:size].max() != size - 1:
        raise ValueError(f"{known.name} has repeated values; each must appear once")
    found = codes[size:]
    return np.where(found < size, found, -1)


def block_starts(codes: np.ndarray) -> np.ndarray:
    """The first row of each run of equal codes."""
    return np.r_[0, np.flatnonzero(codes[1:] != codes[:-1]) + 1] if len(codes) else np.zeros(0, dtype="int64")


def blocks_rising(codes: np.ndarray, values: np.ndarray) -> bool:
    """Whether each code's rows form one block in which `values` strictly rise (blocks in any order), as
    exports list a session's minutes or SKUs: then no (code, value) pair repeats, and nothing needs sorting."""
    if len(codes) < 2:
        return True
    same = codes[1:] == codes[:-1]
    if not np.all((values[1:] > values[:-1]) | ~same):
        return False
    blocks = codes[block_starts(codes)]
    return bool(np.bincount(blocks - blocks.min()).max() <= 1)


def session_positions(sessions: pd.DataFrame, rows: pd.DataFrame) -> np.ndarray:
    """For each row of `rows`, the position of its session in `sessions`."""
    where = positions_in(sessions["session_id"], rows["session_id"])
    if (where < 0).any():
        raise ValueError(f"session_id '{rows['session_id'].iloc[np.flatnonzero(where < 0)[0]]}' is not in sessions")
    return where.astype(np.intp, copy=False)  # numpy indexes fastest with its own integer type


def with_keys(sessions: pd.DataFrame, sku_sales: pd.DataFrame | None = None,
              keys: Iterable[str] = SESSION_KEYS, position: np.ndarray | None = None) -> pd.DataFrame:
    """A copy of `sessions` with the grouping keys (all, or those of `keys`) as columns.

    product_tier and category come from sessions.csv's extra columns when present; otherwise
    product_tier is the tier that brought the session the most net GMV (needs `sku_sales`; ties go
    to the higher tier) and category is "unknown". A session with no SKU rows has product_tier "unknown".
    `position` (from `session_positions`) saves looking the SKU rows' sessions up again.
    """
    keys = check_keys(keys)
    out = sessions.copy(deep=False)
    for name, values in _key_codes(sessions, sku_sales, keys, position).items():
        out[name] = values if name == "hour" else categorical_text(values)
    return out


def categorical_text(values: pd.Categorical) -> pd.api.extensions.ExtensionArray:
    """A categorical's values as `str` text, taken from its categories (not via a Python object per row)."""
    return pd.array(values.categories.astype("str")).take(values.codes, allow_fill=True)


def _key_codes(sessions: pd.DataFrame, sku_sales: pd.DataFrame | None, keys: list[str],
               position: np.ndarray | None = None) -> dict[str, pd.Categorical | np.ndarray]:
    """Each key of `keys` per session: hours as numbers, the rest as categoricals with categories in
    key order (text sorted, weekdays Monday first), so grouping sorts them right and hashes no text.
    Calendar keys are worked out once per distinct day, not once per session."""
    out: dict[str, pd.Categorical | np.ndarray] = {}
    if {"date", "week", "weekday"} & set(keys):
        days = sessions["start"].dt.normalize()
        unique_days = pd.DatetimeIndex(days.unique())
        day_of_row = unique_days.get_indexer(days)
        labels = {
            "date": pd.Categorical(unique_days.strftime("%Y-%m-%d")),
            "week": pd.Categorical(week_labels(unique_days)),
            "weekday": pd.Categorical(np.array(WEEKDAYS, dtype=object)[unique_days.day_of_week],
                                      categories=WEEKDAYS, ordered=True),
        }
        for name in ("date", "week", "weekday"):
            if name in keys:
                per_day = labels[name]
                out[name] = pd.Categorical.from_codes(per_day.codes[day_of_row], dtype=per_day.dtype)
    if "hour" in keys:
        out["hour"] = sessions["start"].dt.hour.to_numpy(dtype="int64")
    for name in ("channel", "host_id", "product_tier", "category"):
        if name not in keys:
            continue
        if name in sessions.columns:
            values = sessions[name]
            out[name] = sorted_categorical(values.astype("str").fillna("") if values.hasnans else values)
        elif name == "product_tier":
            out[name] = _top_tier(sessions, sku_sales, position)
        else:
            out[name] = pd.Categorical.from_codes(np.zeros(len(sessions), dtype="int8"), categories=[UNKNOWN])
    return {name: out[name] for name in keys}


def _top_tier(sessions: pd.DataFrame, sku_sales: pd.DataFrame | None, position: np.ndarray | None) -> pd.Categorical:
    """Each session's product tier with the most net GMV (gross GMV scaled by the share not refunded)."""
    tiers = pd.Series(pd.Categorical.from_codes(np.full(len(sessions), len(PRODUCT_TIERS)),
                                                categories=[*PRODUCT_TIERS, UNKNOWN]))
    if sku_sales is None or sku_sales.empty:
        return sorted_categorical(tiers)
    sold = sku_sales["units_sold"].to_numpy(dtype="float64")
    kept = np.divide(units_net(sku_sales).to_numpy(dtype="float64"), sold, out=np.zeros(len(sold)), where=sold > 0)
    net_gmv = sku_sales["gmv"].to_numpy(dtype="float64") * kept
    tier = positions_in(pd.Series(PRODUCT_TIERS), sku_sales["product_tier"])
    if position is None:
        position = session_positions(sessions, sku_sales)
    cell = position * len(PRODUCT_TIERS) + tier
    by_tier = np.bincount(cell, weights=net_gmv, minlength=len(sessions) * len(PRODUCT_TIERS))
    best = by_tier.reshape(len(sessions), len(PRODUCT_TIERS)).argmax(axis=1)  # first (higher) tier on ties
    has_rows = np.bincount(cell // len(PRODUCT_TIERS), minlength=len(sessions)) > 0
    codes = np.where(has_rows, best, len(PRODUCT_TIERS))  # no SKU rows: unknown
    return sorted_categorical(pd.Series(pd.Categorical.from_codes(codes, dtype=tiers.dtype)))


def sorted_categorical(values: pd.Series) -> pd.Categorical:
    """`pd.Categorical(values)`: the values seen, as categories in text order (grouping sorts by them).
    A categorical input (a compact load's) is recoded on its distinct values, never turned into text."""
    if not isinstance(values.dtype, pd.CategoricalDtype):
        return pd.Categorical(values)
    codes = values.cat.codes.to_numpy()
    categories = values.cat.categories
    seen = np.flatnonzero(np.bincount(codes[codes >= 0], minlength=len(categories)))
    order = seen[categories.take(seen).argsort()]
    recode = np.full(len(categories) + 1, -1, dtype=codes.dtype)  # the last entry: code -1 stays -1
    recode[order] = np.arange(len(order))
    return pd.Categorical.from_codes(recode[codes], categories=categories.take(order))


def session_frame(sessions: pd.DataFrame, sku_sales: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """One row per session: the keys of `by` and the session's additive measures."""
    sessions = sessions.reset_index(drop=True)
    position = session_positions(sessions, sku_sales)
    measures = session_measures(sessions, sku_sales, position)
    return measures.assign(**_key_codes(sessions, sku_sales, by, position))


def sku_rows(sessions: pd.DataFrame, sku_sales: pd.DataFrame,
             by: list[str]) -> tuple[pd.DataFrame, pd.DataFrame, np.ndarray]:
    """One row per (session, SKU) with its keys and the SKU's own units_net and gmv; the sessions'
    measures; and each row's session. Summed over a group (`summarise_rows`), live_hours (and viewers,
    orders, ...) cover only the sessions in which the SKU sold, while units_net and gmv are the SKU's
    own. This is the frame of SKU velocity. Here product_tier is the SKU's own tier. (session_id, sku)
    is unique: `load_results` checks it.
    """
    session_keys = [k for k in by if k not in ("sku", "product_tier")]
    sessions = sessions.reset_index(drop=True)
    position = session_positions(sessions, sku_sales)
    keys = {name: values[position] for name, values in _key_codes(sessions, None, session_keys).items()}
    rows = pd.DataFrame(keys, index=pd.RangeIndex(len(sku_sales)), copy=False).assign(
        sku=sorted_categorical(sku_sales["sku"]), product_tier=sorted_categorical(sku_sales["product_tier"]),
        units_net=units_net(sku_sales).to_numpy(), gmv=sku_sales["gmv"].to_numpy(dtype="float64"))
    return rows, session_measures(sessions, sku_sales, position), position


def scorecard(sessions: pd.DataFrame, sku_sales: pd.DataFrame,
              by: Iterable[str] | str = ("date", "host_id")) -> pd.DataFrame:
    """The keys of `by`, then every contract metric in the contract's order; one row per group, sorted.

    Grouping by `sku` gives a SKU-level scorecard (see `sku_rows`): the SKU's units and GMV against
    the sessions it sold in. Any other key groups sessions.
    """
    by = check_keys(by, SKU_KEYS)
    if "sku" in by:
        rows, measures, position = sku_rows(sessions, sku_sales, by)
        card = summarise_rows(rows, by, measures, position)
    else:  # groups in key order: text sorted, weekdays Monday first, hours numeric
        card = summarise(session_frame(sessions, sku_sales, by), by)
    for name in by:
        if isinstance(card[name].dtype, pd.CategoricalDtype):
            card[name] = categorical_text(card[name].array)
    return card


def scorecard_columns(by: Iterable[str] | str = ("date", "host_id")) -> dict[str, tuple[str, ...]]:
    """What `scorecard(sessions, sku_sales, by)` reads of each file, for `load_results(columns=...)`: the
    session measures and the keys' sources; SKU units (tier and GMV too where a tier may come from there)."""
    by = check_keys(by, SKU_KEYS)
    sessions = MEASURE_COLUMNS + tuple(KEY_SOURCES[k] for k in by if k in KEY_SOURCES)
    sku_sales = SKU_SALES_CHECKED + (("product_tier", "gmv") if {"product_tier", "sku"} & set(by) else ())
    return {SESSIONS.file: tuple(dict.fromkeys(sessions)), SKU_SALES.file: sku_sales}


def sort_by_keys(frame: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Rows in key order, weekdays Monday first; a fresh 0..n-1 index."""
    if not by:
        return frame.reset_index(drop=True)
    order = {day: i for i, day in enumerate(WEEKDAYS)}

    def key(column: pd.Series) -> pd.Series:
        return column.map(order) if column.name == "weekday" else column

    return frame.sort_values(by, key=key, kind="stable").reset_index(drop=True)
