"""What each host adds, as the scorecards judge it: the forecast fitted on the results up to a week's end.

Rankings, coaching and tier reviews compare hosts on their effect (GMV per live hour against an average host
in comparable slots) rather than on raw GMV per hour, so a host is not credited for the slots they were given.
"""
from __future__ import annotations

from datetime import timedelta

import numpy as np
import pandas as pd

from contract.weeks import week_monday
from forecast import Forecast, fit_forecast
from metrics.load import Results

EFFECT_COLUMNS = ["effect", "effect_low", "effect_high"]


def forecast_until(results: Results, hosts: pd.DataFrame | None, week: str,
                   slots: pd.DataFrame | None = None) -> Forecast | None:
    """The forecast learnt from every stream that started before the end of `week`; None without a roster
    (without tiers there is no average to shrink a host toward)."""
    return forecast_before(results.sessions, hosts, pd.Timestamp(week_monday(week) + timedelta(days=7)), slots)


def forecast_before(sessions: pd.DataFrame, hosts: pd.DataFrame | None, moment: pd.Timestamp,
                    slots: pd.DataFrame | None = None) -> Forecast | None:
    """The forecast learnt from every stream that started before `moment`, so a day's own results never set
    what was expected of it; None without a roster."""
    if hosts is None:
        return None
    return fit_forecast(sessions[sessions["start"] < moment], hosts, slots)


AGAINST_FORECAST_COLUMNS = ["session_id", "channel", "host_id", "name", "start", "gmv", "slot_expected",
                            "host_expected", "vs_slot_pct", "vs_host_pct", "note"]


def against_forecast(sessions: pd.DataFrame, model: Forecast, slots: pd.DataFrame | None,
                     names: dict[str, str]) -> pd.DataFrame:
    """Each stream against what the forecast expected of its slot with an average host (slot_expected) and of
    its host there (host_expected), with the differences in % and in words."""
    values = model.stream_values(sessions, slots)
    slot_expected = values["expected_gmv"].to_numpy()
    host_expected = slot_expected * values["effect"].to_numpy()
    gmv = sessions["gmv"].to_numpy(dtype=float)
    host_ids = sessions["host_id"].fillna("").astype("str")
    frame = pd.DataFrame({
        "session_id": sessions["session_id"].to_numpy(), "channel": sessions["channel"].to_numpy(),
        "host_id": host_ids.to_numpy(), "name": [names.get(h, h) for h in host_ids],
        "start": sessions["start"].to_numpy(), "gmv": gmv, "slot_expected": slot_expected,
        "host_expected": host_expected, "vs_slot_pct": _change_pct(gmv, slot_expected),
        "vs_host_pct": _change_pct(gmv, host_expected)})
    frame["note"] = [_note(row.vs_slot_pct, row.vs_host_pct, row.name) for row in frame.itertuples()]
    return frame.sort_values("start", kind="stable").reset_index(drop=True)[AGAINST_FORECAST_COLUMNS]


def _change_pct(sold: np.ndarray, expected: np.ndarray) -> np.ndarray:
    """(sold / expected - 1) in %, NaN where nothing was expected (no history, or a guest's host figure)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(expected > 0, (sold / expected - 1) * 100, np.nan)


def _note(vs_slot: float, vs_host: float, name: str) -> str:
    """'sold 38 % above what this slot usually sells with an average host, and 12 % below what Ana is
    expected to sell here'."""
    if np.isnan(vs_slot):
        return "no earlier streams to compare with"
    said = f"sold {_relative(vs_slot)} what this slot usually sells with an average host"
    if np.isnan(vs_host):
        return said
    return f"{said}, and {_relative(vs_host)} what {name} is expected to sell here"


def _relative(change_pct: float) -> str:
    if abs(change_pct) < 0.5:
        return "about"
    return f"{abs(change_pct):.0f} % {'above' if change_pct > 0 else 'below'}"


def host_effect_columns(model: Forecast) -> pd.DataFrame:
    """host_id, effect, effect_low, effect_high per roster host with streams."""
    summary = model.host_summary()
    return summary.rename(columns={"low": "effect_low", "high": "effect_high"})[["host_id", *EFFECT_COLUMNS]]


def effect_text(effect: float, low: float, high: float) -> str:
    """'1.32× an average host in comparable slots (80 %: 1.18–1.47×)'."""
    return f"{effect:.2f}× an average host in comparable slots (80 %: {low:.2f}–{high:.2f}×)"
