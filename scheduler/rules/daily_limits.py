"""Rule 6: a person has at most max_streams_per_day streams, and at most Settings.max_daily_hours live hours,
starting on one day.

The two limits are two rules (each with its label and words) sharing one builder, which bounds a person's
day for both before the next day, so the model lists each day's bounds together.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from scheduler.cpsat import Linear, ScheduleModel, add_bounds
from scheduler.rules.base import Held, PersonRule, grouped, live_minutes
from scheduler.settings import Settings
from scheduler.studio import SlotTimes, Studio


def add_daily_limits(model: ScheduleModel, studio: Studio, settings: Settings) -> None:
    """Per person and start day, the streams bound then the live-hours bound, where the day could break them."""
    streams, times = max_streams(studio.hosts), studio.times
    for person, variables in model.by_person.items():
        for day_slots in grouped(variables, times.day):
            DAILY_STREAMS.bound(model, variables, day_slots, int(streams[person]))
            DAILY_HOURS.bound(model, variables, day_slots, times, settings.max_daily_minutes)


class DailyStreams(PersonRule):
    name = "daily_streams"
    label = "rule 6: streams per day"
    add_to = staticmethod(add_daily_limits)

    def bound(self, model: ScheduleModel, variables: dict[int, int], day_slots: list[int], streams: int) -> None:
        """At most `streams` of the day's slots (variables: slot -> variable of one person)."""
        if len(day_slots) > streams:
            add_bounds(model.cp, Linear.of([variables[s] for s in day_slots], [1] * len(day_slots)), high=streams)

    def breaches(self, studio: Studio, settings: Settings, person: int, slots: list[int]) -> list[list[int]]:
        streams = int(studio.hosts.at[person, "max_streams_per_day"])
        return [day for day in grouped(slots, studio.times.day) if len(day) > streams]

    def describe(self, studio: Studio, settings: Settings, person: int, group: list[int]) -> str:
        return f"{len(group)} streams start that day, more than {int(studio.hosts.at[person, 'max_streams_per_day'])}"

    def describe_locks(self, studio: Studio, settings: Settings, person: int, group: list[int]) -> str:
        names = ", ".join(studio.slots["slot_id"][s] for s in group)
        return (f"slots.csv, column locked_host_id: {studio.host_label(studio.hosts.at[person, 'host_id'])} is "
                f"locked to {len(group)} slots starting on one day ({names}), more than "
                f"{int(studio.hosts.at[person, 'max_streams_per_day'])}")

    def blockers(self, held: Held, slot: int, person: int) -> list[int] | None:
        same_day = held.days.get((person, held.times.day[slot]))
        if same_day is None:
            return None  # max_streams_per_day is at least 1
        return same_day if len(same_day) >= held.per_person(self, max_streams)[person] else None

    def held_back(self, settings: Settings) -> str:
        return "at their streams per day"


class DailyHours(PersonRule):
    name = "daily_hours"
    label = "rule 6: live hours per day"
    add_to = staticmethod(add_daily_limits)

    def bound(self, model: ScheduleModel, variables: dict[int, int], day_slots: list[int], times: SlotTimes,
              most: int) -> None:
        """At most `most` live minutes over the day's slots (variables: slot -> variable of one person)."""
        if times.minutes[day_slots].sum() > most:
            add_bounds(model.cp, live_minutes(variables, day_slots, times), high=most)

    def breaches(self, studio: Studio, settings: Settings, person: int, slots: list[int]) -> list[list[int]]:
        minutes = studio.times.minutes
        return [day for day in grouped(slots, studio.times.day) if minutes[day].sum() > settings.max_daily_minutes]

    def describe(self, studio: Studio, settings: Settings, person: int, group: list[int]) -> str:
        return (f"{studio.times.minutes[group].sum() / 60:g} live hours start that day, more than "
                f"{settings.max_daily_hours:g}")

    def describe_locks(self, studio: Studio, settings: Settings, person: int, group: list[int]) -> str:
        names = ", ".join(studio.slots["slot_id"][s] for s in group)
        return (f"slots.csv, column locked_host_id: {studio.host_label(studio.hosts.at[person, 'host_id'])} is "
                f"locked to slots {names} starting on one day, more than {settings.max_daily_hours:g} live hours")

    def alone(self, studio: Studio, settings: Settings, slot: int, person: int) -> str | None:
        minutes = int(studio.times.minutes[slot])
        if minutes <= settings.max_daily_minutes:
            return None
        return f"the slot lasts {minutes / 60:g} h, more than {settings.max_daily_hours:g} live hours in a day"

    def blockers(self, held: Held, slot: int, person: int) -> list[int] | None:
        key = (person, held.times.day[slot])
        if held.day_minutes.get(key, 0) + held.times.minutes[slot] > held.settings.max_daily_minutes:
            return held.days.get(key, [])
        return None

    def held_back(self, settings: Settings) -> str:
        return f"at the {settings.max_daily_hours:g} live hours per day"


def max_streams(hosts: pd.DataFrame) -> np.ndarray:
    return hosts["max_streams_per_day"].to_numpy()


DAILY_STREAMS = DailyStreams()
DAILY_HOURS = DailyHours()
