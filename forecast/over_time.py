"""Each host's effect over time: the forecast refitted on the streams up to each week's end, as it judged them then.

A host's effect moves as their record grows (the interval narrows) and as they get better or worse (recent
streams weigh more). Refitting at every week's end shows both; the fit is the one `fit_forecast` makes, so the
last point is the effect the plan and the scorecards use.
"""
from __future__ import annotations

from datetime import timedelta

import pandas as pd

from contract.weeks import week_labels, week_monday
from forecast.model import ForecastSettings, fit_forecast

COLUMNS = ["week", "host_id", "effect", "low", "high", "live_hours", "sessions"]


def effects_over_time(sessions: pd.DataFrame | None, hosts: pd.DataFrame, slots: pd.DataFrame | None = None,
                      weeks: int = 12, settings: ForecastSettings = ForecastSettings()) -> pd.DataFrame:
    """One row per ISO week (the last `weeks` with streams) and roster host with streams by that week's end:
    the week, the host's effect over their categories with its 80 % interval, live hours and streams so far."""
    if sessions is None or sessions.empty:
        return pd.DataFrame({c: pd.Series(dtype="float64" if c in COLUMNS[2:] else "str") for c in COLUMNS})
    found = sorted(week_labels(sessions["start"]).unique().tolist())[-weeks:]
    frames = []
    for week in found:
        end = pd.Timestamp(week_monday(week) + timedelta(days=7))
        summary = fit_forecast(sessions[sessions["start"] < end], hosts, slots, settings).host_summary()
        frames.append(summary.assign(week=week))
    return pd.concat(frames, ignore_index=True)[COLUMNS]
