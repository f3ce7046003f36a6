"""Rule 1: a slot lies entirely inside one availability window of the person."""
from __future__ import annotations

import numpy as np
import pandas as pd

from scheduler.rules.base import PairRule, when
from scheduler.settings import Settings
from scheduler.studio import Studio


class Availability(PairRule):
    name = "availability"
    label = "rule 1: availability"

    def allowed(self, studio: Studio, settings: Settings) -> np.ndarray:
        """One vectorised comparison per person with windows: slots x that person's windows."""
        slots, windows = studio.slots, studio.availability
        start = slots["start"].to_numpy(dtype="datetime64[s]")
        end = slots["end"].to_numpy(dtype="datetime64[s]")
        result = np.zeros((len(slots), len(studio.hosts)), dtype=bool)
        columns = windows["host_id"].map(studio.host_index).to_numpy()
        w_start = windows["start"].to_numpy(dtype="datetime64[s]")
        w_end = windows["end"].to_numpy(dtype="datetime64[s]")
        for col in np.unique(columns):
            mine = columns == col
            inside = (w_start[mine, None] <= start[None, :]) & (end[None, :] <= w_end[mine, None])
            result[:, col] = inside.any(axis=0)
        return result

    def refusal(self, studio: Studio, settings: Settings, slot: int, person: int) -> str:
        return f"the host is not available {when(studio.slots.loc[slot])}"

    def no_candidate(self, slot: pd.Series, tiers: str) -> str:
        """A dark slot's reason when this rule removes the last candidates (`tiers`: 'tier-A ' or '')."""
        return f"no {tiers}host for {slot['category']} is available {when(slot)}"


AVAILABILITY = Availability()
