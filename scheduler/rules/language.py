"""Rule 3: the host speaks the slot's language (names compared case-insensitively)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from scheduler.rules.base import PairRule, list_match
from scheduler.settings import Settings
from scheduler.studio import Studio


class Language(PairRule):
    name = "language"
    label = "rule 3: language"

    def allowed(self, studio: Studio, settings: Settings) -> np.ndarray:
        return list_match(studio.slots["language"], studio.hosts["languages"])

    def refusal(self, studio: Studio, settings: Settings, slot: int, person: int) -> str:
        row, host = studio.slots.loc[slot], studio.hosts.loc[person]
        return f"the host does not speak {row['language']} (speaks {', '.join(host['languages'])})"

    def no_candidate(self, slot: pd.Series, tiers: str) -> str:
        """A dark slot's reason when this rule removes the last candidates (`tiers`: 'tier-A ' or '')."""
        return f"no {tiers}host sells {slot['category']} in {slot['language']}"


LANGUAGE = Language()
