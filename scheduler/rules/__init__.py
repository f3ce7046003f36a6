"""The contract's hard rules, one object per rule and one module each, gathered in HARD_RULES.

Everything that needs the rules loops over this one list: the CP-SAT model adds each rule's constraints
(scheduler.model), a plan is checked against each (scheduler.check), greedy staffing and the reasons for dark
slots ask each whether a person may take one more slot (scheduler.greedy, scheduler.explain), and locks are
proved legal against each (scheduler.locks). A new rule is one module here and one entry in the list.

The order is the order the model is built in, and the order a person checks a pair: role, then rules 1-3.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scheduler.rules.assistants import ASSISTANTS
from scheduler.rules.availability import AVAILABILITY
from scheduler.rules.base import (
    Checked,
    HardRule,
    Held,
    PairRule,
    PersonRule,
    Violation,
    when,
)
from scheduler.rules.changeover import CHANGEOVER
from scheduler.rules.daily_limits import DAILY_HOURS, DAILY_STREAMS
from scheduler.rules.lock import LOCK
from scheduler.rules.offer import CATEGORY, LANGUAGE
from scheduler.rules.one_host import ONE_HOST_PER_SLOT
from scheduler.rules.rest import REST
from scheduler.rules.role import ROLE
from scheduler.rules.tier import TIER
from scheduler.rules.weekly_cap import (
    WEEKLY_CAP,
    weekly_cap_minutes,
    weekly_min_minutes,
)
from scheduler.settings import Settings
from scheduler.studio import Studio

HARD_RULES: list[HardRule] = [
    # who may take a slot at all (the model has no variable for a refused pair)
    ROLE, AVAILABILITY, TIER, CATEGORY, LANGUAGE,
    # positions of a slot
    ONE_HOST_PER_SLOT, ASSISTANTS, LOCK,
    # what one person streams together
    CHANGEOVER, REST, DAILY_STREAMS, DAILY_HOURS, WEEKLY_CAP,
]
PAIR_RULES = [rule for rule in HARD_RULES if isinstance(rule, PairRule)]
PERSON_RULES = [rule for rule in HARD_RULES if isinstance(rule, PersonRule)]

__all__ = ["HARD_RULES", "PAIR_RULES", "PERSON_RULES", "Checked", "Eligibility", "HardRule", "Held", "PairRule",
           "PersonRule", "Violation", "assistant_ok", "eligibility", "may_take", "refusal", "weekly_cap_minutes",
           "weekly_min_minutes", "when"]


@dataclass(frozen=True)
class Eligibility:
    """Per pair rule, a boolean matrix (slots x people in hosts.csv order): who may take a host position."""

    matrices: dict[PairRule, np.ndarray]

    def allows(self, rule: PairRule) -> np.ndarray:
        return self.matrices[rule]

    @property
    def availability(self) -> np.ndarray:
        """Rule 1 alone: the one pair rule production assistants obey too."""
        return self.matrices[AVAILABILITY]

    @property
    def host_ok(self) -> np.ndarray:
        """Pairs every pair rule allows: the host positions the model has variables for."""
        return np.logical_and.reduce(list(self.matrices.values()))

    def first_refusal(self, slot: int, person: int) -> PairRule | None:
        """The first pair rule (in HARD_RULES order) that refuses the pair."""
        return next((rule for rule, ok in self.matrices.items() if not ok[slot, person]), None)


def eligibility(studio: Studio, settings: Settings) -> Eligibility:
    """Which person may take which slot's host position, rule by rule.

    Each rule is computed over whole arrays (a small table over distinct values indexed by row, or one
    comparison per person), so a roster of hundreds and a month of slots cost no Python loop over pairs."""
    return Eligibility({rule: rule.allowed(studio, settings) for rule in PAIR_RULES})


def assistant_ok(studio: Studio, elig: Eligibility) -> np.ndarray:
    """Assistant positions: available assistants, only on slots that need assistants."""
    needs = studio.slots["assistants_needed"].to_numpy() > 0
    return elig.availability & studio.is_assistant[None, :] & needs[:, None]


def refusal(studio: Studio, settings: Settings, elig: Eligibility, slot: int, person: int) -> str | None:
    """Why a person may not take a slot's host position, in words with the first refusing rule's label."""
    rule = elig.first_refusal(slot, person)
    return None if rule is None else f"{rule.refusal(studio, settings, slot, person)} ({rule.label})"


def may_take(held: Held, slot: int, person: int) -> bool:
    """Whether the person may take one more slot on top of what they hold, under every person rule."""
    for rule in PERSON_RULES:
        if rule.blockers(held, slot, person) is not None:
            return False
    return True
