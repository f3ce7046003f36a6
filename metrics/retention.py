"""Audience retention from viewer_minutes.csv: where a stream peaks and where viewers walk away.

share_of_peak at minute m = concurrent viewers at m / the session's peak concurrent viewers. All of
it is vectorised over the whole file (tens of millions of rows): sessions are integer codes (a compact
load's categorical codes as they are), each session's rows one block in minute order (sorted once only
when the file does not list them so), and per-session values come from array lookups.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from contract import SESSIONS, VIEWER_MINUTES
from metrics.formulas import ratio
from metrics.groups import KEY_SOURCES, block_starts, blocks_rising, check_keys, positions_in, sort_by_keys, with_keys

DROP_WINDOW = 5  # minutes over which the steepest drop is measured
MAX_DENSE_CELLS = 1 << 25  # (group, minute) cells counted in dense arrays: 2 x 256 MiB at most


@dataclass(frozen=True)
class _Minutes:
    """viewer_minutes as one block of rows per session, minutes rising within each block.

    Blocks are numbered 0..n-1 in row order: `session_ids` names each block's session, `block` is each
    row's block, `starts` each block's first row. `order` is the permutation that sorted the input rows,
    or None when each session's rows came together in minute order (the usual export, whatever the order
    of the sessions), so that nothing of 25 M rows is copied for nothing.
    """

    session_ids: pd.Series  # each block's session, of the input's dtype (a categorical stays one)
    block: np.ndarray
    minute: np.ndarray
    viewers: np.ndarray
    order: np.ndarray | None
    starts: np.ndarray

    @classmethod
    def of(cls, viewer_minutes: pd.DataFrame) -> _Minutes:
        codes = _session_codes(viewer_minutes["session_id"])
        minute = viewer_minutes["minute"].to_numpy(dtype="int64")
        viewers = viewer_minutes["concurrent_viewers"].to_numpy(dtype="int64")
        order = None
        if not blocks_rising(codes, minute):
            order = np.lexsort((minute, codes))
            codes, minute, viewers = codes[order], minute[order], viewers[order]
        starts = block_starts(codes)
        # numpy's own index type: per-session values are looked up fastest with it
        block = np.repeat(np.arange(len(starts), dtype=np.intp), np.diff(np.r_[starts, len(codes)]))
        first_rows = starts if order is None else order[starts]
        session_ids = viewer_minutes["session_id"].take(first_rows).reset_index(drop=True)
        return cls(session_ids, block, minute, viewers, order, starts)

    def session_column(self, viewer_minutes: pd.DataFrame) -> pd.Series:
        """The input's session_id column in block order."""
        column = viewer_minutes["session_id"].reset_index(drop=True)
        return column if self.order is None else column.take(self.order).reset_index(drop=True)

    def per_session_max(self, values: np.ndarray) -> np.ndarray:
        """Max of `values` per block."""
        return np.maximum.reduceat(values, self.starts) if len(values) else np.zeros(0, dtype=values.dtype)

    def share_of_peak(self) -> np.ndarray:
        """Each row's viewers over its session's peak; NaN where the peak is 0."""
        peak = self.per_session_max(self.viewers).astype("float64")
        return ratio(self.viewers, peak[self.block])

    def first_row_where(self, mask: np.ndarray) -> np.ndarray:
        """Per block, the first row (in minute order) where `mask` holds; -1 where none does."""
        rows = np.flatnonzero(mask)
        blocks = self.block[rows]
        first = block_starts(blocks)
        out = np.full(len(self.session_ids), -1, dtype="int64")
        out[blocks[first]] = rows[first]
        return out

    def row_after(self, window: int) -> np.ndarray:
        """Per row, the block's last row at or before minute + window (the row itself at the end)."""
        last = np.r_[self.starts[1:], len(self.block)] - 1
        same_session = self.block[1:] == self.block[:-1]
        if np.all(np.diff(self.minute)[same_session] == 1):  # minute by minute, as exported: positional
            return np.minimum(np.arange(len(self.block)) + window, last[self.block])
        span = int(self.minute.max(initial=0)) + window + 1
        key = self.block * span + self.minute
        return np.searchsorted(key, key + window, side="right") - 1


def _session_codes(session_id: pd.Series) -> np.ndarray:
    """Integer codes of the sessions; a categorical's (a compact load's) as they are, so 25 M ids are
    never hashed."""
    if isinstance(session_id.dtype, pd.CategoricalDtype):
        return session_id.cat.codes.to_numpy()
    return pd.factorize(session_id)[0]


def retention_curves(viewer_minutes: pd.DataFrame) -> pd.DataFrame:
    """session_id, minute, concurrent_viewers, share_of_peak (empty where the peak is 0)."""
    m = _Minutes.of(viewer_minutes)
    return pd.DataFrame({
        "session_id": m.session_column(viewer_minutes),
        "minute": m.minute,
        "concurrent_viewers": m.viewers,
        "share_of_peak": m.share_of_peak(),
    })


def retention_summary(viewer_minutes: pd.DataFrame, sessions: pd.DataFrame,
                      window: int = DROP_WINDOW) -> pd.DataFrame:
    """Per session of `sessions`: peak_minute, peak_viewers, steepest_drop_minute, steepest_drop_share.

    The drop at minute m is viewers at m less viewers at the last recorded minute <= m + window; the
    steepest is the largest (earliest on ties), as a share of the peak. A stream that never loses
    viewers has steepest_drop_share 0 and no steepest_drop_minute; a session without minute rows
    has every column empty.
    """
    m = _Minutes.of(viewer_minutes)
    peak = m.per_session_max(m.viewers)
    peak_row = m.first_row_where(m.viewers == peak[m.block])
    drop = m.viewers - m.viewers[m.row_after(window)]
    steepest = m.per_session_max(drop)
    drop_row = m.first_row_where(drop == steepest[m.block])
    has_drop = steepest > 0
    per_session = pd.DataFrame({
        "peak_minute": pd.array(m.minute[peak_row], dtype="Int64"),
        "peak_viewers": pd.array(peak, dtype="Int64"),
        "steepest_drop_minute": pd.array(np.where(has_drop, m.minute[drop_row], 0), dtype="Int64"),
        "steepest_drop_share": ratio(pd.Series(np.maximum(steepest, 0)), pd.Series(peak)).to_numpy(),
    })
    per_session.loc[~has_drop, "steepest_drop_minute"] = pd.NA
    known = m.session_ids.astype("str") if isinstance(m.session_ids.dtype, pd.CategoricalDtype) else m.session_ids
    position = positions_in(known, sessions["session_id"])
    out = per_session.reindex(position).reset_index(drop=True)  # -1: no minute rows, all empty
    out.insert(0, "session_id", sessions["session_id"].array)
    return out


def average_curves(viewer_minutes: pd.DataFrame, sessions: pd.DataFrame,
                   by: str | list[str] = "host_id") -> pd.DataFrame:
    """The keys, minute, sessions, share_of_peak: the mean retention curve of each group.

    Each session weighs the same (a mean of its share_of_peak), so one huge stream does not hide how
    a host's typical stream holds its audience; `sessions` says how many streams reached that minute.
    A session whose peak is 0 has no curve. Sums are counted in one array cell per (group, minute).
    """
    keys = check_keys(by)
    m = _Minutes.of(viewer_minutes)
    share = m.share_of_peak()
    keyed = with_keys(sessions, keys=keys).reset_index(drop=True)
    group_of_session = keyed.groupby(keys, sort=False).ngroup().to_numpy()
    groups = int(group_of_session.max(initial=-1)) + 1
    position = positions_in(keyed["session_id"], m.session_ids)
    span = int(m.minute.max(initial=0)) + 1
    counted = (position >= 0) & (m.per_session_max(m.viewers) > 0)
    base = np.where(counted, np.append(group_of_session, -1)[position] * span, groups * span)  # per block
    cell = base[m.block]
    cell += m.minute  # rows not counted land in cells past groups * span, dropped below
    cells, sessions_at, share_sum = _cell_sums(cell, share, (groups + 1) * span)
    mine = cells < groups * span
    cells, sessions_at, share_sum = cells[mine], sessions_at[mine], share_sum[mine]
    first_session = pd.Series(np.arange(len(keyed))).groupby(group_of_session).first()
    out = keyed.loc[first_session.reindex(cells // span).to_numpy(), keys].reset_index(drop=True)
    out["minute"] = cells % span
    out["sessions"] = sessions_at
    out["share_of_peak"] = share_sum / sessions_at
    return sort_by_keys(out, keys + ["minute"])


def curve_columns(by: str | list[str] = "host_id") -> dict[str, tuple[str, ...]]:
    """What `average_curves(viewer_minutes, sessions, by)` reads of each file, for `load_results(columns=...)`:
    every column of viewer_minutes, and of sessions the id and the keys' sources."""
    sources = tuple(dict.fromkeys(KEY_SOURCES[k] for k in check_keys(by)))
    return {SESSIONS.file: ("session_id", *sources),
            VIEWER_MINUTES.file: tuple(c.name for c in VIEWER_MINUTES.columns)}


def _cell_sums(cell: np.ndarray, weights: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The cells that occur, with their row counts and sums of `weights`: bincount over a dense range
    when it fits in memory, else over the distinct cells."""
    if size <= MAX_DENSE_CELLS:
        counts = np.bincount(cell, minlength=size)
        sums = np.bincount(cell, weights=weights, minlength=size)
        occupied = np.flatnonzero(counts)
        return occupied, counts[occupied], sums[occupied]
    occupied, index = np.unique(cell, return_inverse=True)
    return occupied, np.bincount(index), np.bincount(index, weights=weights)
