"""Rule 3: the host sells the slot's category and speaks its language (names compared case-insensitively).

Both are the same test, the slot's value among the host's list, so one rule class serves both and only the words
differ.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from scheduler.rules.base import PairRule, list_match
from scheduler.settings import Settings
from scheduler.studio import Studio


@dataclass(frozen=True)
class ListMatch(PairRule):
    """The slot's `slot_column` is one of the host's `host_column` (a list); `verbs` say it ('sell', 'sells')."""

    name: str
    slot_column: str
    host_column: str
    verbs: tuple[str, str]
    dark_reason: str  # a dark slot's reason, formatted with the slot's cells and `tiers`

    @property
    def label(self) -> str:  # type: ignore[override]
        return f"rule 3: {self.name}"

    def allowed(self, studio: Studio, settings: Settings) -> np.ndarray:
        return list_match(studio.slots[self.slot_column], studio.hosts[self.host_column])

    def refusal(self, studio: Studio, settings: Settings, slot: int, person: int) -> str:
        wanted, offered = studio.slots.at[slot, self.slot_column], studio.hosts.at[person, self.host_column]
        return f"the host does not {self.verbs[0]} {wanted} ({self.verbs[1]} {', '.join(offered)})"

    def no_candidate(self, slot: pd.Series, tiers: str) -> str:
        """A dark slot's reason when this rule removes the last candidates (`tiers`: 'tier-A ' or '')."""
        return self.dark_reason.format(tiers=tiers, **slot.to_dict())


CATEGORY = ListMatch("category", "category", "categories", ("sell", "sells"), "no {tiers}host sells {category}")
LANGUAGE = ListMatch("language", "language", "languages", ("speak", "speaks"),
                     "no {tiers}host sells {category} in {language}")
