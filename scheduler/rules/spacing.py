"""What rules 4 and 5 share: a clash between two slots of one person, reported pair by pair."""
from __future__ import annotations

from itertools import combinations

from scheduler.rules.base import Held, PersonRule
from scheduler.settings import Settings
from scheduler.studio import SlotTimes, Studio


def gap(times: SlotTimes, a: int, b: int) -> tuple[int, bool]:
    """Seconds from the end of the earlier slot to the start of the later (negative when they overlap), and
    whether they start on the same day."""
    first, second = (a, b) if (times.start[a], times.end[a]) <= (times.start[b], times.end[b]) else (b, a)
    return times.start[second] - times.end[first], times.day[second] == times.day[first]


class Spacing(PersonRule):
    """A rule that forbids one person two slots too close together."""

    def clashes(self, times: SlotTimes, a: int, b: int, settings: Settings) -> bool:
        raise NotImplementedError

    def breaches(self, studio: Studio, settings: Settings, person: int, slots: list[int]) -> list[list[int]]:
        return [[a, b] for a, b in combinations(slots, 2) if self.clashes(studio.times, a, b, settings)]

    def describe(self, studio: Studio, settings: Settings, person: int, group: list[int]) -> str:
        return f"clashes with {studio.slots.at[group[0], 'slot_id']}"

    def describe_locks(self, studio: Studio, settings: Settings, person: int, group: list[int]) -> str:
        (a, b), ids = group, studio.slots["slot_id"]
        return (f"slots.csv rows {a + 2} and {b + 2}, column locked_host_id: slots {ids[a]} and {ids[b]} "
                f"are both locked to {studio.host_label(studio.hosts.at[person, 'host_id'])}")

    def blockers(self, held: Held, slot: int, person: int) -> list[int] | None:
        clash = [t for t in held.near(slot, person) if self.clashes(held.times, slot, t, held.settings)]
        return clash or None
