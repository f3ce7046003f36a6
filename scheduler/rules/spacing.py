"""What rules 4 and 5 share: a clash between two slots of one person, reported pair by pair."""
from __future__ import annotations

from itertools import combinations

from scheduler.rules.base import Held, PersonRule
from scheduler.settings import Settings
from scheduler.studio import SlotTimes, Studio, TimeLists


def gap(times: SlotTimes | TimeLists, a: int, b: int) -> tuple[int, bool]:
    """Seconds from the end of the earlier slot to the start of the later (negative when they overlap), and
    whether they start on the same day."""
    first, second = (a, b) if (times.start[a], times.end[a]) <= (times.start[b], times.end[b]) else (b, a)
    return times.start[second] - times.end[first], times.day[second] == times.day[first]


class Spacing(PersonRule):
    """A rule that forbids one person two slots too close together."""

    def too_close(self, seconds: int, same_day: bool, settings: Settings) -> bool:
        """Whether two slots `seconds` apart (end of the earlier to start of the later) clash."""
        raise NotImplementedError

    def breaches(self, studio: Studio, settings: Settings, person: int, slots: list[int]) -> list[list[int]]:
        times = studio.time_lists
        return [[a, b] for a, b in combinations(slots, 2) if self.too_close(*gap(times, a, b), settings)]

    def describe(self, studio: Studio, settings: Settings, person: int, group: list[int]) -> str:
        return f"clashes with {studio.slots.at[group[0], 'slot_id']}"

    def describe_locks(self, studio: Studio, settings: Settings, person: int, group: list[int]) -> str:
        (a, b), ids = group, studio.slots["slot_id"]
        return (f"slots.csv rows {a + 2} and {b + 2}, column locked_host_id: slots {ids[a]} and {ids[b]} "
                f"are both locked to {studio.host_label(studio.hosts.at[person, 'host_id'])}")

    def blockers(self, held: Held, slot: int, person: int) -> list[int] | None:
        times, settings = held.times, held.settings
        clash = [t for t in held.near(slot, person) if self.too_close(*gap(times, slot, t), settings)]
        return clash or None
