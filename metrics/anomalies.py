"""Streams and host-days that broke from their own history, each told in one sentence.

A robust z-score (median and MAD) is used rather than mean and standard deviation, so one
earlier blow-out stream does not hide the next one.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from metrics.groups import scorecard, with_keys
from metrics.load import Results
from metrics.settings import ScorecardSettings, host_label, host_names, label

ANOMALY_METRICS = ("gmv_per_hour", "conversion_rate", "retention_rate")
MAD_SCALE = 1.4826  # makes the MAD a standard deviation for normal data
MEAN_AD_SCALE = 1.2533  # the same for the mean absolute deviation, used when the MAD is 0
COLUMNS = ["level", "date", "channel", "host_id", "session_id", "start", "metric", "value", "usual", "ratio",
           "robust_z", "history", "sentence"]


def robust_z(value: float, history: np.ndarray) -> float:
    """(value - median) / (1.4826 MAD) of `history`.

    When more than half the history is one value the MAD is 0; the mean absolute deviation then
    measures the spread, and if that is 0 too (all history equal) any departure is infinitely far.
    """
    median = float(np.median(history))
    deviation = np.abs(history - median)
    scale = MAD_SCALE * float(np.median(deviation)) or MEAN_AD_SCALE * float(np.mean(deviation))
    if scale == 0:
        return 0.0 if value == median else math.copysign(math.inf, value - median)
    return (value - median) / scale


def find_anomalies(results: Results, date: str, settings: ScorecardSettings,
                   hosts: pd.DataFrame | None = None) -> pd.DataFrame:
    """Anomalies of the streams and host-days of `date` (YYYY-MM-DD), strongest first."""
    keyed = with_keys(results.sessions, results.sku_sales)
    day = pd.Timestamp(date)
    first = (day - pd.Timedelta(days=settings.anomaly_window_days)).strftime("%Y-%m-%d")
    in_window = (keyed["date"] >= first) & (keyed["date"] <= date)
    names = host_names(hosts)
    window = keyed.loc[in_window]
    assert results.sku_sales is not None, "anomalies need the SKU sales"
    sku_sales = results.sku_sales[results.sku_sales["session_id"].isin(window["session_id"])]
    rows = _session_anomalies(window, sku_sales, date, settings, names)
    rows += _host_day_anomalies(results.sessions.loc[in_window], sku_sales, date, settings, names)
    frame = pd.DataFrame(rows, columns=COLUMNS)
    order = frame["robust_z"].abs().sort_values(ascending=False, kind="stable").index
    return frame.loc[order].reset_index(drop=True)


def stream_metrics(sessions: pd.DataFrame, sku_sales: pd.DataFrame) -> pd.DataFrame:
    """Every contract metric of each stream on its own, aligned with `sessions`' index.

    The scorecard groups only by its keys; a stream's own row comes from grouping on a key unique
    to it: `category`, which the scorecard takes from the sessions as given.
    """
    ids = sessions["session_id"].astype("str")  # keyed sessions may hold it as a categorical
    own = scorecard(sessions.assign(category=ids), sku_sales, by=["category"]).set_index("category")
    return own.reindex(ids.to_numpy()).set_axis(sessions.index)


def _session_anomalies(keyed: pd.DataFrame, sku_sales: pd.DataFrame, date: str,
                       settings: ScorecardSettings, names: dict[str, str]) -> list[dict]:
    """Each stream of the day against the streams of its channel in the window before it."""
    metrics = stream_metrics(keyed, sku_sales)
    today = keyed["date"] == date
    rows = []
    for index in keyed.index[today]:
        stream = keyed.loc[index]
        past = (keyed["channel"] == stream["channel"]) & ~today
        where = (f"{stream['channel']} {stream['start']:%H:%M} stream with "
                 f"{host_label(stream['host_id'], names)}")
        for metric in ANOMALY_METRICS:
            found = _judge(metrics.at[index, metric], metrics.loc[past, metric], settings)
            if found:
                rows.append({"level": "stream", "date": date, "channel": stream["channel"],
                             "host_id": stream["host_id"], "session_id": stream["session_id"],
                             "start": stream["start"], "metric": metric, **found,
                             "sentence": _sentence(where, metric, found, "the channel's", "streams", settings)})
    return rows


def _host_day_anomalies(sessions: pd.DataFrame, sku_sales: pd.DataFrame, date: str,
                        settings: ScorecardSettings, names: dict[str, str]) -> list[dict]:
    """Each host's day against that host's own days in the window before it."""
    card = scorecard(sessions, sku_sales, by=["host_id", "date"])
    card = card[card["host_id"] != ""]
    rows = []
    for index in card.index[card["date"] == date]:
        day = card.loc[index]
        past = (card["host_id"] == day["host_id"]) & (card["date"] != date)
        where = (f"{host_label(day['host_id'], names)} on {date} ({day['sessions']} stream(s), "
                 f"{day['live_hours']:.1f} live hours)")
        for metric in ANOMALY_METRICS:
            found = _judge(day[metric], card.loc[past, metric], settings)
            if found:
                rows.append({"level": "host-day", "date": date, "channel": "", "host_id": day["host_id"],
                             "session_id": "", "start": pd.NaT, "metric": metric, **found,
                             "sentence": _sentence(where, metric, found, "the host's", "days", settings)})
    return rows


def _judge(value: float, history: pd.Series, settings: ScorecardSettings) -> dict | None:
    """The numbers of an anomaly, or None when the value is ordinary or there is too little history."""
    past = history.to_numpy(dtype="float64")
    past = past[np.isfinite(past)]
    if not math.isfinite(value) or len(past) < settings.anomaly_min_history:
        return None
    z = robust_z(value, past)
    if abs(z) < settings.anomaly_z:
        return None
    usual = float(np.median(past))
    return {"value": float(value), "usual": usual, "ratio": value / usual if usual else math.nan,
            "robust_z": z, "history": len(past)}


def _sentence(where: str, metric: str, found: dict, whose: str, unit: str, settings: ScorecardSettings) -> str:
    """'<where>: GMV per hour $4,120, 3.9x the channel's usual $1,050 (robust z 5.2).'"""
    value, usual = settings.value(metric, found["value"]), settings.value(metric, found["usual"])
    versus = (f"{found['ratio']:.1f}× {whose} usual {usual}" if math.isfinite(found["ratio"])
              else f"against {whose} usual {usual}")
    if math.isfinite(found["robust_z"]):
        spread = f"robust z {found['robust_z']:.1f}"
    else:
        spread = f"all {found['history']} earlier {unit} were exactly {usual}"
    return f"{where}: {label(metric)} {value}, {versus} ({spread})."
