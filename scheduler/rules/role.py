"""Role: hosts take host positions; production assistants only fill assistant positions."""
from __future__ import annotations

import numpy as np

from scheduler.rules.base import PairRule
from scheduler.settings import Settings
from scheduler.studio import Studio


class Role(PairRule):
    name = "role"
    label = "role"

    def allowed(self, studio: Studio, settings: Settings) -> np.ndarray:
        return np.broadcast_to(~studio.is_assistant, (len(studio.slots), len(studio.hosts))).copy()

    def refusal(self, studio: Studio, settings: Settings, slot: int, person: int) -> str:
        return "the person is a production assistant, not a host"


ROLE = Role()
