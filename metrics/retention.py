"""Audience retention from viewer_minutes.csv: where a stream peaks and where viewers walk away.

share_of_peak at minute m = concurrent viewers at m / the session's peak concurrent viewers. All of
it is vectorised over the whole file (tens of millions of rows): sessions are integer codes, the
rows are sorted once by (session, minute), and per-session values come from array lookups.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from metrics.formulas import ratio
from metrics.groups import check_keys, positions_in, sort_by_keys, with_keys

DROP_WINDOW = 5  # minutes over which the steepest drop is measured


@dataclass(frozen=True)
class _Minutes:
    """viewer_minutes sorted by (session, minute), sessions as codes 0..n-1 into `session_ids`.

    `order` is the sorting permutation of the input rows, or None when they came sorted (the usual
    export), so that nothing of 25 M rows is copied for nothing. `starts` is each session's first row.
    """

    session_ids: pd.Series
    codes: np.ndarray
    minute: np.ndarray
    viewers: np.ndarray
    order: np.ndarray | None
    starts: np.ndarray

    @classmethod
    def of(cls, viewer_minutes: pd.DataFrame) -> "_Minutes":
        codes, ids = pd.factorize(viewer_minutes["session_id"])
        minute = viewer_minutes["minute"].to_numpy(dtype="int64")
        viewers = viewer_minutes["concurrent_viewers"].to_numpy(dtype="int64")
        order = None
        if not _sorted(codes, minute):
            order = np.lexsort((minute, codes))
            codes, minute, viewers = codes[order], minute[order], viewers[order]
        starts = np.r_[0, np.flatnonzero(codes[1:] != codes[:-1]) + 1] if len(codes) else np.zeros(0, "int64")
        return cls(pd.Series(ids, name="session_id"), codes.astype("int64"), minute, viewers, order, starts)

    def session_column(self, viewer_minutes: pd.DataFrame) -> pd.Series:
        """The input's session_id column in sorted row order."""
        column = viewer_minutes["session_id"].reset_index(drop=True)
        return column if self.order is None else column.take(self.order).reset_index(drop=True)

    def per_session_max(self, values: np.ndarray) -> np.ndarray:
        """Max of `values` per session."""
        return np.maximum.reduceat(values, self.starts) if len(values) else np.zeros(0, dtype=values.dtype)

    def share_of_peak(self) -> np.ndarray:
        """Each row's viewers over its session's peak; NaN where the peak is 0."""
        peak = self.per_session_max(self.viewers)
        return ratio(pd.Series(self.viewers), pd.Series(peak[self.codes])).to_numpy()

    def first_row_where(self, mask: np.ndarray) -> np.ndarray:
        """Per session, the first row (in minute order) where `mask` holds; -1 where none does."""
        rows = np.flatnonzero(mask)
        codes = self.codes[rows]
        first = np.r_[0, np.flatnonzero(codes[1:] != codes[:-1]) + 1] if len(rows) else np.zeros(0, "int64")
        out = np.full(len(self.session_ids), -1, dtype="int64")
        out[codes[first]] = rows[first]
        return out

    def row_after(self, window: int) -> np.ndarray:
        """Per row, the session's last row at or before minute + window (the row itself at the end)."""
        last = np.r_[self.starts[1:], len(self.codes)] - 1
        same_session = self.codes[1:] == self.codes[:-1]
        if np.all(np.diff(self.minute)[same_session] == 1):  # minute by minute, as exported: positional
            return np.minimum(np.arange(len(self.codes)) + window, last[self.codes])
        span = int(self.minute.max(initial=0)) + window + 1
        key = self.codes * span + self.minute
        return np.searchsorted(key, key + window, side="right") - 1


def _sorted(codes: np.ndarray, minute: np.ndarray) -> bool:
    """Rows grouped by session (codes count up from first appearance) with minutes rising."""
    step_code = codes[1:] - codes[:-1]
    return bool(np.all((step_code > 0) | ((step_code == 0) & (minute[1:] > minute[:-1]))))


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
    peak_row = m.first_row_where(m.viewers == peak[m.codes])
    drop = m.viewers - m.viewers[m.row_after(window)]
    steepest = m.per_session_max(drop)
    drop_row = m.first_row_where(drop == steepest[m.codes])
    has_drop = steepest > 0
    per_session = pd.DataFrame({
        "peak_minute": pd.array(m.minute[peak_row], dtype="Int64"),
        "peak_viewers": pd.array(peak, dtype="Int64"),
        "steepest_drop_minute": pd.array(np.where(has_drop, m.minute[drop_row], 0), dtype="Int64"),
        "steepest_drop_share": ratio(pd.Series(np.maximum(steepest, 0)), pd.Series(peak)).to_numpy(),
    })
    per_session.loc[~has_drop, "steepest_drop_minute"] = pd.NA
    position = positions_in(m.session_ids, sessions["session_id"])
    out = per_session.reindex(position).reset_index(drop=True)  # -1: no minute rows, all empty
    out.insert(0, "session_id", sessions["session_id"].astype("str").to_numpy())
    return out


def average_curves(viewer_minutes: pd.DataFrame, sessions: pd.DataFrame,
                   by: str | list[str] = "host_id") -> pd.DataFrame:
    """The keys, minute, sessions, share_of_peak: the mean retention curve of each group.

    Each session weighs the same (a mean of its share_of_peak), so one huge stream does not hide how
    a host's typical stream holds its audience; `sessions` says how many streams reached that minute.
    """
    keys = check_keys(by)
    m = _Minutes.of(viewer_minutes)
    share = m.share_of_peak()
    keyed = with_keys(sessions, keys=keys).reset_index(drop=True)
    group_of_session = keyed.groupby(keys, sort=False).ngroup().to_numpy()
    position = positions_in(keyed["session_id"], m.session_ids)
    group = np.where(position >= 0, group_of_session[position], -1)[m.codes]
    known = (group >= 0) & ~np.isnan(share)
    span = int(m.minute.max(initial=0)) + 1
    cell = pd.Series(share[known]).groupby(group[known] * span + m.minute[known], sort=False)
    curve = pd.DataFrame({"sessions": cell.size(), "share_of_peak": cell.mean()})
    cell_key = curve.index.to_numpy()
    first_session = pd.Series(np.arange(len(keyed))).groupby(group_of_session).first()
    out = keyed.loc[first_session.reindex(cell_key // span).to_numpy(), keys].reset_index(drop=True)
    out["minute"] = cell_key % span
    out["sessions"] = curve["sessions"].to_numpy(dtype="int64")
    out["share_of_peak"] = curve["share_of_peak"].to_numpy()
    return sort_by_keys(out, keys + ["minute"])
