"""Rule 2: the host's tier is one the slot's product tier allows (Settings.tier_table)."""
from __future__ import annotations

import numpy as np

from scheduler.rules.base import PairRule
from scheduler.settings import Settings
from scheduler.studio import Studio


class Tier(PairRule):
    name = "tier"
    label = "rule 2: tier"

    def allowed(self, studio: Studio, settings: Settings) -> np.ndarray:
        """A table over distinct product tiers x hosts, indexed per slot: no loop over slot-host pairs."""
        host_tiers = studio.hosts["tier"].to_numpy(dtype=object)
        product_tiers, per_slot = np.unique(studio.slots["product_tier"].to_numpy(dtype=object), return_inverse=True)
        allowed = np.array([np.isin(host_tiers, list(settings.tier_table.get(t, ()))) for t in product_tiers],
                           dtype=bool).reshape(len(product_tiers), len(studio.hosts))
        return allowed[per_slot]

    def refusal(self, studio: Studio, settings: Settings, slot: int, person: int) -> str:
        row, host = studio.slots.loc[slot], studio.hosts.loc[person]
        needed = "/".join(settings.tier_table.get(row["product_tier"], ())) or "none"
        return f"the host is tier {host['tier']} and a {row['product_tier']} slot needs tier {needed}"


TIER = Tier()
