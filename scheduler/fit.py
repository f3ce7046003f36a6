"""Host fit: how much more (or less) a host sells per live hour than the studio, shrunk toward 1.

fit = (h * ratio + k) / (h + k), h = the host's live hours (in the category when sessions.csv has one),
ratio = host GMV per live hour / studio GMV per live hour, k = Settings.fit_prior_hours. A host with little
history is treated as average rather than judged on one lucky or unlucky stream.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from scheduler.settings import Settings
from scheduler.studio import Studio


def host_fit(sessions: pd.DataFrame | None, host_ids: list[str], settings: Settings) -> pd.DataFrame:
    """Fit per host and category (lower-case); category '*' when sessions.csv has no category column."""
    columns = ["host_id", "category", "fit", "live_hours"]
    if sessions is None or sessions.empty:
        return pd.DataFrame({c: pd.Series(dtype="float64" if c in ("fit", "live_hours") else "str") for c in columns})
    hours = (sessions["end"] - sessions["start"]).dt.total_seconds() / 3600
    frame = pd.DataFrame({"host_id": sessions["host_id"], "gmv": sessions["gmv"].astype(float),
                          "hours": hours})
    frame["category"] = (sessions["category"].str.strip().str.casefold()
                         if "category" in sessions.columns else "*")
    return _fit_by(frame, host_ids, settings)[columns]


def _fit_by(frame: pd.DataFrame, host_ids: list[str], settings: Settings) -> pd.DataFrame:
    studio = frame.groupby("category")[["gmv", "hours"]].sum()
    studio_rate = (studio["gmv"] / studio["hours"].where(studio["hours"] > 0)).rename("studio_rate")
    own = frame[frame["host_id"].isin(host_ids)].groupby(["host_id", "category"])[["gmv", "hours"]].sum().reset_index()
    own = own.join(studio_rate, on="category")
    ratio = own["gmv"] / own["hours"].where(own["hours"] > 0) / own["studio_rate"].where(own["studio_rate"] > 0)
    h, k = own["hours"], settings.fit_prior_hours
    fit = ((h * ratio + k) / (h + k)).where(ratio.notna(), 1.0)
    return own.assign(fit=fit, live_hours=h)[["host_id", "category", "fit", "live_hours"]]


def fit_matrix(studio: Studio, settings: Settings) -> np.ndarray:
    """Fit of every (slot, person): the host's fit in the slot's category (or overall); 1 without history.

    Built per distinct category, then indexed by slot, so its cost does not grow with slots x hosts loops."""
    fits = host_fit(studio.sessions, list(studio.host_index), settings)
    by_category = studio.sessions is not None and "category" in studio.sessions.columns
    categories = (studio.slots["category"].str.strip().str.casefold().to_numpy(dtype=object)
                  if by_category else np.full(len(studio.slots), "*", dtype=object))
    distinct, per_slot = (np.unique(categories, return_inverse=True) if len(categories)
                          else (categories, np.zeros(0, dtype=int)))
    table = np.ones((len(distinct), len(studio.hosts)))
    row_of = {c: i for i, c in enumerate(distinct)}
    for host_id, category, fit in zip(fits["host_id"], fits["category"], fits["fit"]):
        if category in row_of:
            table[row_of[category], studio.host_index[host_id]] = fit
    return table[per_slot]
