"""When to go live: what an average host sells per live hour at each weekday and hour on a channel, and which of
a week's shows would sell more at another hour of the same day, from the forecast's slot value.

A figure is given only where history supports it: the studio has streamed at that weekday and hour at least
`min_streams` times, and the channel at least `min_streams` times at all. Elsewhere the slot value is the
model's average of levels it never saw, which is a guess, not a forecast. The model adds the hour's and the
weekday's terms to the channel's, so the studio's streams at an hour (on any channel) are what support it.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from forecast.attributes import streams
from forecast.model import Forecast

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONDAY = pd.Timestamp("2024-01-01")  # any Monday: the slot value reads only the weekday and the hour


@dataclass(frozen=True)
class GoLiveSettings:
    """How much history a figure needs, and how much more another hour must sell before it is suggested."""

    min_streams: int = 3
    min_gain: float = 0.25  # another hour is suggested when it sells at least this share more


def support(sessions: pd.DataFrame | None, slots: pd.DataFrame | None,
            hosts: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, int]]:
    """(past streams per weekday (0 = Monday) and start hour over every channel: weekday, hour, streams;
    past streams per channel)."""
    if sessions is None or sessions.empty:
        return pd.DataFrame({"weekday": [], "hour": [], "streams": []}).astype("int64"), {}
    past = streams(sessions, slots, hosts[["host_id", "tier"]])
    cells = past.groupby(["weekday", "hour"]).size().rename("streams").reset_index()
    return cells, {str(k): int(v) for k, v in past["channel"].value_counts().items()}


def live_hour_values(model: Forecast, cells_support: pd.DataFrame, channel_streams: int, channel: str,
                     product_tier: str, category: str, settings: GoLiveSettings = GoLiveSettings()) -> pd.DataFrame:
    """Per weekday (0..6) and start hour (0..23): expected GMV of one live hour on `channel` for a show of that
    tier and category, with its 80 % interval; NaN where history does not support it."""
    grid = pd.DataFrame([(d, h) for d in range(7) for h in range(24)], columns=["weekday", "hour"])
    start = _MONDAY + pd.to_timedelta(grid["weekday"], unit="D") + pd.to_timedelta(grid["hour"], unit="h")
    slots = pd.DataFrame({"channel": channel, "start": start, "end": start + pd.Timedelta(hours=1),
                          "product_tier": product_tier, "category": category})
    values = model.slot_values(slots)
    counts = grid.merge(cells_support, on=["weekday", "hour"], how="left")["streams"].fillna(0).to_numpy()
    known = (counts >= settings.min_streams) & (channel_streams >= settings.min_streams) & (not model.empty)
    return grid.assign(expected_gmv=values["expected_gmv"].where(known), low=values["low"].where(known),
                       high=values["high"].where(known), streams=counts.astype("int64"))


def suggestions(model: Forecast, shows: pd.DataFrame, cells_support: pd.DataFrame, channel_streams: dict[str, int],
                settings: GoLiveSettings = GoLiveSettings()) -> pd.DataFrame:
    """For each show of a week (channel, start, end, product_tier, category) whose time history supports: what
    it is expected to sell, and the start hour of the same day, at the same minutes past the hour, that sells
    the most without putting the channel live twice at once, when that is `min_gain` more and supported too.

    Columns: channel, start, end, expected_gmv, low, high, better_start, better_gmv, better_low, better_high
    (NaT / NaN where no other hour is suggested), one row per show with a supported time."""
    rows = []
    supported = {(int(d), int(h)) for d, h, n in cells_support[["weekday", "hour", "streams"]].itertuples(index=False)
                 if n >= settings.min_streams}
    for show in shows.itertuples(index=False):
        if model.empty or channel_streams.get(show.channel, 0) < settings.min_streams:
            continue
        if (show.start.weekday(), show.start.hour) not in supported:
            continue
        candidates = _candidates(show, shows, supported)
        values = model.slot_values(candidates)
        own = values.iloc[0]
        best = int(np.argmax(values["expected_gmv"].to_numpy()))
        better = best != 0 and values["expected_gmv"].iloc[best] >= own["expected_gmv"] * (1 + settings.min_gain)
        pick = values.iloc[best] if better else None
        rows.append({"channel": show.channel, "start": show.start, "end": show.end,
                     "expected_gmv": own["expected_gmv"], "low": own["low"], "high": own["high"],
                     "better_start": candidates["start"].iloc[best] if better else pd.NaT,
                     "better_gmv": pick["expected_gmv"] if pick is not None else np.nan,
                     "better_low": pick["low"] if pick is not None else np.nan,
                     "better_high": pick["high"] if pick is not None else np.nan})
    columns = ["channel", "start", "end", "expected_gmv", "low", "high", "better_start", "better_gmv", "better_low",
               "better_high"]
    return pd.DataFrame(rows, columns=columns)


def _candidates(show, shows: pd.DataFrame, supported: set[tuple[int, int]]) -> pd.DataFrame:
    """The show itself first, then the show at each other supported hour of its day where its channel is free."""
    length = show.end - show.start
    day = show.start.normalize() + pd.Timedelta(minutes=show.start.minute)
    same = shows[(shows["channel"] == show.channel) & (shows["start"] != show.start)]
    starts = [show.start]
    for hour in range(24):
        start = day + pd.Timedelta(hours=hour)
        if start == show.start or (start.weekday(), start.hour) not in supported:
            continue
        if ((same["start"] < start + length) & (same["end"] > start)).any():
            continue
        starts.append(start)
    frame = pd.DataFrame({"start": starts})
    return frame.assign(channel=show.channel, end=frame["start"] + length, product_tier=show.product_tier,
                        category=show.category)


def in_words(row, channel_name: str, money: Callable[..., str]) -> str:
    """"GlowLab Beauty's Tue 10:00 show is expected to sell $410; at 20:00, $1,650 (80 %: $1,200–2,100)"."""
    said = (f"{channel_name}'s {WEEKDAYS[row.start.weekday()]} {row.start:%H:%M} show is expected to sell "
            f"{money(row.expected_gmv)} (80 %: {money(row.low)}–{money(row.high, False)})")
    if pd.isna(row.better_start):
        return said + "; no other hour of that day is expected to sell clearly more."
    return (said + f"; at {row.better_start:%H:%M}, {money(row.better_gmv)} "
                   f"(80 %: {money(row.better_low)}–{money(row.better_high, False)})")


def money_in(symbol: str) -> Callable[..., str]:
    """A formatter of whole amounts: money(1650) is '$1,650', money(2100, False) '2,100' (an interval's
    upper end, after the lower one's symbol)."""
    def money(amount: float, symbol_shown: bool = True) -> str:
        return f"{symbol if symbol_shown else ''}{amount:,.0f}"
    return money
