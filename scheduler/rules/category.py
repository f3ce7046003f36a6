"""Rule 3: the host sells the slot's category (names compared case-insensitively)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from scheduler.rules.base import PairRule, list_match
from scheduler.settings import Settings
from scheduler.studio import Studio


class Category(PairRule):
    name = "category"
    label = "rule 3: category"

    def allowed(self, studio: Studio, settings: Settings) -> np.ndarray:
        return list_match(studio.slots["category"], studio.hosts["categories"])

    def refusal(self, studio: Studio, settings: Settings, slot: int, person: int) -> str:
        row, host = studio.slots.loc[slot], studio.hosts.loc[person]
        return f"the host does not sell {row['category']} (sells {', '.join(host['categories'])})"

    def no_candidate(self, slot: pd.Series, tiers: str) -> str:
        """A dark slot's reason when this rule removes the last candidates (`tiers`: 'tier-A ' or '')."""
        return f"no {tiers}host sells {slot['category']}"


CATEGORY = Category()
