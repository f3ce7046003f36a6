"""What each host adds, as the scorecards judge it: the forecast fitted on the results up to a week's end.

Rankings, coaching and tier reviews compare hosts on their effect (GMV per live hour against an average host
in comparable slots) rather than on raw GMV per hour, so a host is not credited for the slots they were given.
"""
from __future__ import annotations

from datetime import timedelta

import pandas as pd

from contract.weeks import week_monday
from forecast import Forecast, fit_forecast
from metrics.load import Results

EFFECT_COLUMNS = ["effect", "effect_low", "effect_high"]


def forecast_until(results: Results, hosts: pd.DataFrame | None, week: str,
                   slots: pd.DataFrame | None = None) -> Forecast | None:
    """The forecast learnt from every stream that started before the end of `week`; None without a roster
    (without tiers there is no average to shrink a host toward)."""
    if hosts is None:
        return None
    end = pd.Timestamp(week_monday(week) + timedelta(days=7))
    sessions = results.sessions
    return fit_forecast(sessions[sessions["start"] < end], hosts, slots)


def host_effect_columns(model: Forecast) -> pd.DataFrame:
    """host_id, effect, effect_low, effect_high per roster host with streams."""
    summary = model.host_summary()
    return summary.rename(columns={"low": "effect_low", "high": "effect_high"})[["host_id", *EFFECT_COLUMNS]]


def effect_text(effect: float, low: float, high: float) -> str:
    """'1.32× an average host in comparable slots (80 %: 1.18–1.47×)'."""
    return f"{effect:.2f}× an average host in comparable slots (80 %: {low:.2f}–{high:.2f}×)"
