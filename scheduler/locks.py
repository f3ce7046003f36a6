"""Locked assignments: a person fixed them, so a lock that breaks a hard rule is an error that says which."""
from __future__ import annotations

from collections import defaultdict

from scheduler.rules import PERSON_RULES, Eligibility, refusal
from scheduler.settings import Settings
from scheduler.studio import Studio


class LockError(ValueError):
    """A locked_host_id that cannot be kept without breaking a hard rule."""


def locked_pairs(studio: Studio) -> dict[int, int]:
    """slot row -> person row for every non-empty locked_host_id."""
    locked = studio.slots["locked_host_id"].str.strip()
    return {int(s): studio.host_index[h] for s, h in locked[locked != ""].items()}


def validate_locks(studio: Studio, settings: Settings, elig: Eligibility, locks: dict[int, int]) -> None:
    """Raise LockError naming slot, host and rule for every lock (or group of locks) that breaks a hard rule:
    first each lock alone, then each person's locks together."""
    messages = [m for m in (_alone(studio, settings, elig, s, p) for s, p in locks.items()) if m]
    by_person: dict[int, list[int]] = defaultdict(list)
    for slot, person in locks.items():
        by_person[person].append(slot)
    for person, slots in by_person.items():
        messages += _together(studio, settings, person, sorted(slots))
    if messages:
        raise LockError("\n".join(messages))


def _alone(studio: Studio, settings: Settings, elig: Eligibility, slot: int, person: int) -> str | None:
    """The first rule one lock breaks by itself: a pair rule, or a person rule the slot alone is too much for."""
    problem = refusal(studio, settings, elig, slot, person) or _too_much(studio, settings, slot, person)
    if problem is None:
        return None
    return (f"slots.csv row {slot + 2}, column locked_host_id: slot {studio.slots.at[slot, 'slot_id']} is locked to "
            f"{studio.host_label(studio.hosts.at[person, 'host_id'])} but {problem}")


def _too_much(studio: Studio, settings: Settings, slot: int, person: int) -> str | None:
    for rule in PERSON_RULES:
        text = rule.alone(studio, settings, slot, person)
        if text is not None:
            return f"{text} ({rule.label})"
    return None


def _together(studio: Studio, settings: Settings, person: int, slots: list[int]) -> list[str]:
    """Locks of one person (in slots.csv order) that break a person rule together; a group of one is a lock
    alone and already reported."""
    return [f"{rule.describe_locks(studio, settings, person, group)} ({rule.label})"
            for rule in PERSON_RULES for group in rule.breaches(studio, settings, person, slots) if len(group) > 1]
