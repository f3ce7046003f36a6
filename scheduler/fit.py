"""Host fit: how much a host is expected to sell per live hour in a slot's category, against an average host.

By default it is the forecast's host effect (`forecast.model`): learnt jointly with the slot's value, so a host is
not credited for the slots they were given, and shrunk toward the tier's average where the host has little
history. With `Settings.forecast_fit` off it is the raw fit of `forecast.raw_fit` (GMV per live hour against the
studio's, shrunk toward 1). Without results every fit is 1.
"""
from __future__ import annotations

import numpy as np

from forecast.raw_fit import raw_fit
from scheduler.settings import Settings
from scheduler.studio import Studio


def fit_matrix(studio: Studio, settings: Settings) -> np.ndarray:
    """Fit of every (slot, person) row pair, built per distinct category and then indexed by slot."""
    categories = studio.slots["category"].str.strip().str.casefold().to_numpy(dtype=object)
    distinct, per_slot = (np.unique(categories, return_inverse=True) if len(categories)
                          else (categories, np.zeros(0, dtype=int)))
    if settings.forecast_fit:
        table = _effects(studio, distinct)
    else:
        table = _raw(studio, settings, distinct)
    return table[per_slot]


def _effects(studio: Studio, categories: np.ndarray) -> np.ndarray:
    model = studio.forecast
    table = np.ones((len(categories), len(studio.hosts)))
    if model.empty:
        return table
    for column, host_id in enumerate(studio.hosts["host_id"]):
        if not studio.is_assistant[column]:
            table[:, column] = [model.effect(host_id, category)[0] for category in categories]
    return table


def _raw(studio: Studio, settings: Settings, categories: np.ndarray) -> np.ndarray:
    fits = raw_fit(studio.sessions, list(studio.host_index), settings.fit_prior_hours)
    by_category = studio.sessions is not None and "category" in studio.sessions.columns
    table = np.ones((len(categories), len(studio.hosts)))
    row_of = {c: i for i, c in enumerate(categories)} if by_category else {"*": slice(None)}
    for host_id, category, fit in zip(fits["host_id"], fits["category"], fits["fit"]):
        if category in row_of:
            table[row_of[category], studio.host_index[host_id]] = fit
    return table
