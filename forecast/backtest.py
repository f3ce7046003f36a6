"""Rolling-origin backtest: for each of the last weeks, fit on the weeks before and predict that week's streams.

Each stream's GMV is predicted from its slot and its host, and the errors are summed over the weeks:
WAPE = sum |predicted - actual| / sum actual; bias = sum (predicted - actual) / sum actual. Two baselines run on
the same streams:
- "same slot, last 4 weeks": the mean GMV of the channel's streams that started on the same weekday and hour in
  the 4 weeks before the week (else the same hour on any day, else the channel's mean in those weeks);
- "expected_gmv x raw fit": the slot's typed expected_gmv times the host's raw fit (GMV per live hour against
  the studio's, shrunk toward 1), only where the slot has an expected_gmv.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from contract.weeks import week_label, week_monday
from forecast.attributes import streams
from forecast.model import ForecastSettings, fit_forecast
from forecast.raw_fit import raw_fit

BASELINE_WEEKS = 4


@dataclass(frozen=True)
class Score:
    """How far one way of predicting was from what sold, over the streams it predicted."""

    method: str
    streams: int
    wape: float
    bias: float


def backtest(sessions: pd.DataFrame, hosts: pd.DataFrame, slots: pd.DataFrame | None, weeks: int = 4,
             settings: ForecastSettings = ForecastSettings(), fit_prior_hours: float = 10.0) -> list[Score]:
    """Scores of the forecast and of both baselines over the last `weeks` weeks of `sessions`."""
    labels = sorted({week_label(t) for t in pd.to_datetime(sessions["start"])})
    tested = labels[-weeks:] if len(labels) > weeks else labels[1:]
    if not tested:
        raise ValueError("sessions.csv: the backtest needs at least two weeks of results")
    rows = []
    for label in tested:
        monday = pd.Timestamp(week_monday(label))
        start = pd.to_datetime(sessions["start"])
        past, week = sessions[start < monday], sessions[(start >= monday) & (start < monday + pd.Timedelta(days=7))]
        if past.empty or week.empty:
            continue
        rows.append(_predict_week(past, week, hosts, slots, settings, fit_prior_hours))
    predicted = pd.concat(rows, ignore_index=True)
    return [_score(name, predicted["actual"], predicted[name]) for name in
            ("forecast", "same slot, last 4 weeks", "expected_gmv x raw fit")]


def _predict_week(past: pd.DataFrame, week: pd.DataFrame, hosts: pd.DataFrame, slots: pd.DataFrame | None,
                  settings: ForecastSettings, fit_prior_hours: float) -> pd.DataFrame:
    model = fit_forecast(past, hosts, slots, settings)
    target = streams(week, slots, hosts)
    value = model.slot_values(target.assign(start=week["start"].to_numpy(), end=week["end"].to_numpy()))
    effect = np.array([model.effect(h, c)[0] if h else 1.0 for h, c in zip(target["host_id"], target["category"])])
    return pd.DataFrame({
        "actual": target["gmv"].to_numpy(),
        "forecast": value["expected_gmv"].to_numpy() * effect,
        "same slot, last 4 weeks": _same_slot(past, week),
        "expected_gmv x raw fit": _typed_times_raw_fit(past, week, hosts, slots, fit_prior_hours),
    })


def _same_slot(past: pd.DataFrame, week: pd.DataFrame) -> np.ndarray:
    """Baseline (a): the channel x weekday x start hour mean of the 4 weeks before, with coarser fallbacks."""
    start = pd.to_datetime(week["start"])
    recent = past[pd.to_datetime(past["start"]) >= start.min().normalize() - pd.Timedelta(weeks=BASELINE_WEEKS)]
    recent_start = pd.to_datetime(recent["start"])
    keys = {"channel": recent["channel"].to_numpy(), "weekday": recent_start.dt.day_of_week.to_numpy(),
            "hour": recent_start.dt.hour.to_numpy(), "gmv": recent["gmv"].to_numpy(dtype=float)}
    history = pd.DataFrame(keys)
    wanted = pd.DataFrame({"channel": week["channel"].to_numpy(), "weekday": start.dt.day_of_week.to_numpy(),
                           "hour": start.dt.hour.to_numpy()})
    guess = np.full(len(week), np.nan)
    for by in (["channel", "weekday", "hour"], ["channel", "hour"], ["channel"]):
        means = history.groupby(by)["gmv"].mean().rename("mean").reset_index()
        found = wanted.merge(means, on=by, how="left")["mean"].to_numpy()
        guess = np.where(np.isnan(guess), found, guess)
    return np.nan_to_num(guess, nan=float(history["gmv"].mean()) if len(history) else 0.0)


def _typed_times_raw_fit(past: pd.DataFrame, week: pd.DataFrame, hosts: pd.DataFrame, slots: pd.DataFrame | None,
                         fit_prior_hours: float) -> np.ndarray:
    """Baseline (b): expected_gmv of the stream's slot x the host's raw fit; NaN where no slot has a value."""
    if slots is None or "expected_gmv" not in slots.columns or "slot_id" not in week.columns:
        return np.full(len(week), np.nan)
    typed = slots.drop_duplicates("slot_id", keep="last").set_index("slot_id")["expected_gmv"]
    expected = week["slot_id"].fillna("").astype("str").map(typed).to_numpy(dtype=float)
    expected = np.where(expected > 0, expected, np.nan)
    fits = raw_fit(past, list(hosts["host_id"]), fit_prior_hours)
    by_pair = {(h, c): f for h, c, f in zip(fits["host_id"], fits["category"], fits["fit"])}
    category = streams(week, slots, hosts)["category"].to_numpy(dtype=object)
    per_category = "category" in past.columns
    fit = np.array([by_pair.get((h, c if per_category else "*"), 1.0)
                    for h, c in zip(week["host_id"].fillna("").astype("str"), category)])
    return expected * fit


def _score(method: str, actual: pd.Series, predicted: pd.Series) -> Score:
    known = predicted.notna().to_numpy()
    sold = float(actual[known].sum())
    error = predicted[known].to_numpy() - actual[known].to_numpy()
    if not known.any() or sold == 0:
        return Score(method, int(known.sum()), float("nan"), float("nan"))
    return Score(method, int(known.sum()), float(np.abs(error).sum() / sold), float(error.sum() / sold))
