"""Highlight clips: the moments of each livestream worth cutting into short videos.

Two signals, judged the same way minute by minute within each session:
- audience spikes: concurrent viewers jump above the median of the previous 5 minutes;
- order bursts: orders per minute (order_minutes.csv) jump above their previous 5-minute median.
A jump counts when it is large against the session's own noise (a robust z-score: the jump over
the larger of 1.4826 × the median absolute deviation of the session's jumps and √baseline, the
noise of a count), large in relative terms, and large in absolute terms. Consecutive flagged
minutes are one moment; each moment becomes a padded clip window, overlapping windows of a
session merge, and clips are ranked by score (the sum of their moments' z-scores).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

CLIP_COLUMNS = ("session_id", "start_min", "end_min", "score", "why")
CLIP_LIST_COLUMNS = ("rank", "session_id", "channel", "host_id", "host", "clip_start", "clip_end", "start_min",
                     "end_min", "score", "why")


@dataclass(frozen=True)
class ClipSettings:
    """How big a jump must be to be worth a clip, and how much context a clip keeps around it."""

    window: int = 5  # minutes of trailing baseline
    min_history: int = 3  # minutes of baseline needed before a minute is judged
    warmup_minutes: int = 5  # the opening ramp-up of every stream is not a moment
    viewer_z: float = 4.0
    order_z: float = 6.0  # order counts are small: a Poisson tail reaches z 4 a few times a day by chance
    min_viewer_rise: float = 0.3  # +30 % over the baseline
    min_viewer_jump: int = 50
    min_order_rise: float = 1.0  # twice the usual orders per minute
    min_order_jump: int = 3
    pad_before: int = 2
    pad_after: int = 3


def _moments(frame: pd.DataFrame, value: str, min_z: float, rise: float, jump: float,
             settings: ClipSettings) -> pd.DataFrame:
    """Runs of flagged minutes per session: first and last minute, peak minute and value, baseline, z."""
    frame = frame.sort_values(["session_id", "minute"], kind="stable").reset_index(drop=True)
    sessions = frame["session_id"]
    values = frame[value].astype("float64")
    settled = values.where(frame["minute"] >= settings.warmup_minutes)  # the ramp-up is no baseline either
    previous = settled.groupby(sessions, sort=False).shift(1)
    baseline = (previous.groupby(sessions, sort=False).rolling(settings.window, min_periods=settings.min_history)
                .median().reset_index(level=0, drop=True).sort_index())
    excess = values - baseline
    deviation = (excess - excess.groupby(sessions, sort=False).transform("median")).abs()
    mad = deviation.groupby(sessions, sort=False).transform("median")
    scale = np.maximum(np.maximum(1.4826 * mad, np.sqrt(baseline.clip(lower=0))), 1.0)
    z = excess / scale
    hit = ((z >= min_z) & (values >= baseline * (1 + rise)) & (excess >= jump)).fillna(False)
    hit = hit.astype(bool)
    starts = hit & ~hit.groupby(sessions, sort=False).shift(1, fill_value=False).astype(bool)
    flagged = frame.assign(value=values, baseline=baseline, z=z, run=starts.cumsum()).loc[hit]
    if flagged.empty:
        return pd.DataFrame(columns=["session_id", "first", "last", "peak_minute", "peak", "baseline", "z"])
    runs = flagged.groupby("run", sort=False)
    peak = flagged.loc[runs["value"].idxmax()].set_index("run")
    return pd.DataFrame({
        "session_id": runs["session_id"].first(), "first": runs["minute"].min(), "last": runs["minute"].max(),
        "peak_minute": peak["minute"], "peak": peak["value"], "baseline": runs["baseline"].first(),
        "z": runs["z"].max(),
    }).reset_index(drop=True)


def audience_spikes(viewer_minutes: pd.DataFrame, settings: ClipSettings = ClipSettings()) -> pd.DataFrame:
    """Moments when concurrent viewers jumped, with why: "viewers +62 % in 2 min to 3,410 at minute 47"."""
    found = _moments(viewer_minutes, "concurrent_viewers", settings.viewer_z, settings.min_viewer_rise,
                     settings.min_viewer_jump, settings)
    rise = (found["peak"] / found["baseline"] - 1) * 100
    minutes = found["peak_minute"] - found["first"] + 1
    why = [f"viewers +{r:,.0f} % in {int(m)} min to {int(p):,} at minute {int(at)}"
           for r, m, p, at in zip(rise, minutes, found["peak"], found["peak_minute"])]
    return found.assign(kind="audience spike", why=pd.Series(why, index=found.index, dtype="str"))


def order_bursts(order_minutes: pd.DataFrame, settings: ClipSettings = ClipSettings()) -> pd.DataFrame:
    """Moments when orders per minute jumped, with why: "orders 15/min at minute 30, 7.5× the usual 2/min"."""
    found = _moments(order_minutes, "orders", settings.order_z, settings.min_order_rise, settings.min_order_jump,
                     settings)
    why = [f"orders {int(p):,}/min at minute {int(at)}, " + (f"{p / b:.1f}× the usual {b:g}/min" if b > 0
                                                              else "from none the minutes before")
           for p, at, b in zip(found["peak"], found["peak_minute"], found["baseline"])]
    return found.assign(kind="order burst", why=pd.Series(why, index=found.index, dtype="str"))


def highlight_clips(viewer_minutes: pd.DataFrame, order_minutes: pd.DataFrame | None = None,
                    sessions: pd.DataFrame | None = None, settings: ClipSettings = ClipSettings()) -> pd.DataFrame:
    """Clip windows [start_min, end_min) in minutes since the session start, best first.

    Windows are padded, clamped to the session (its duration from `sessions`, else its last
    recorded minute), and merged where they overlap; a merged clip keeps every reason.
    """
    moments = [audience_spikes(viewer_minutes, settings)]
    if order_minutes is not None:
        moments.append(order_bursts(order_minutes, settings))
    found = pd.concat([m for m in moments if len(m)], ignore_index=True) if any(len(m) for m in moments) else None
    if found is None:
        return pd.DataFrame({"session_id": pd.Series(dtype="str"), "start_min": pd.Series(dtype="int64"),
                             "end_min": pd.Series(dtype="int64"), "score": pd.Series(dtype="float64"),
                             "why": pd.Series(dtype="str")})
    length = _session_minutes(viewer_minutes, order_minutes, sessions)
    found = found.assign(
        start_min=(found["first"] - settings.pad_before).clip(lower=0).astype("int64"),
        end_min=np.minimum(found["last"] + 1 + settings.pad_after, found["session_id"].map(length)).astype("int64"),
    ).sort_values(["session_id", "start_min", "end_min"], kind="stable")
    reach = found.groupby("session_id", sort=False)["end_min"].cummax()
    earlier = reach.groupby(found["session_id"], sort=False).shift(1)
    clip = (earlier.isna() | (found["start_min"] >= earlier)).cumsum()
    clips = found.groupby(clip.to_numpy(), sort=False).agg(
        session_id=("session_id", "first"), start_min=("start_min", "min"), end_min=("end_min", "max"),
        score=("z", "sum"), why=("why", "; ".join))
    clips["score"] = clips["score"].round(1)
    return clips.sort_values(["score", "session_id", "start_min"], ascending=[False, True, True],
                             kind="stable")[list(CLIP_COLUMNS)].reset_index(drop=True)


def _session_minutes(viewer_minutes: pd.DataFrame, order_minutes: pd.DataFrame | None,
                     sessions: pd.DataFrame | None) -> pd.Series:
    """Each session's length in whole minutes: from its start and end, else one past its last minute."""
    recorded = pd.concat([f[["session_id", "minute"]] for f in (viewer_minutes, order_minutes) if f is not None])
    length = recorded.groupby("session_id")["minute"].max() + 1
    if sessions is not None:
        aired = ((sessions["end"] - sessions["start"]).dt.total_seconds() // 60).astype("int64")
        length = pd.Series(aired.to_numpy(), index=sessions["session_id"].to_numpy()).combine_first(length)
    return length


def clip_list(sessions: pd.DataFrame, viewer_minutes: pd.DataFrame, day: date,
              order_minutes: pd.DataFrame | None = None, hosts: pd.DataFrame | None = None,
              settings: ClipSettings = ClipSettings()) -> pd.DataFrame:
    """The day's clips for the content team, best first: session, channel, host, wall-clock start and end."""
    todays = sessions.loc[sessions["start"].dt.normalize() == pd.Timestamp(day)]
    ids = set(todays["session_id"])
    minutes = viewer_minutes.loc[viewer_minutes["session_id"].isin(ids)]
    orders = None if order_minutes is None else order_minutes.loc[order_minutes["session_id"].isin(ids)]
    clips = highlight_clips(minutes, orders, todays, settings)
    clips = clips.merge(todays[["session_id", "channel", "host_id", "start"]], on="session_id", how="left")
    names = hosts.set_index("host_id")["name"] if hosts is not None else pd.Series(dtype="str")
    out = clips.assign(
        rank=np.arange(1, len(clips) + 1), host=clips["host_id"].map(names).fillna(clips["host_id"]).astype("str"),
        clip_start=clips["start"] + pd.to_timedelta(clips["start_min"], unit="min"),
        clip_end=clips["start"] + pd.to_timedelta(clips["end_min"], unit="min"))
    return out[list(CLIP_LIST_COLUMNS)]
