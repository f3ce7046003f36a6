"""Rule 7: a person's live hours in an ISO week are at most their max_hours_per_week."""
from __future__ import annotations

import numpy as np
import pandas as pd

from scheduler.cpsat import ScheduleModel, add_bounds
from scheduler.rules.base import Held, PersonRule, grouped, live_minutes
from scheduler.settings import Settings
from scheduler.studio import Studio


class WeeklyCap(PersonRule):
    name = "weekly_cap"
    label = "rule 7: weekly cap"

    def add_to(self, model: ScheduleModel, studio: Studio, settings: Settings) -> None:
        times = studio.times
        cap = weekly_cap_minutes(studio.hosts)
        for person, slots in model.by_person.items():
            for week_slots in grouped(slots, times.week):
                if times.minutes[week_slots].sum() > cap[person]:
                    add_bounds(model.cp, live_minutes(slots, week_slots, times), high=int(cap[person]))

    def breaches(self, studio: Studio, settings: Settings, person: int, slots: list[int]) -> list[list[int]]:
        cap, minutes = weekly_cap_minutes(studio.hosts)[person], studio.times.minutes
        return [week for week in grouped(slots, studio.times.week) if minutes[week].sum() > cap]

    def describe(self, studio: Studio, settings: Settings, person: int, group: list[int]) -> str:
        cap, times = weekly_cap_minutes(studio.hosts)[person], studio.times
        return (f"{times.minutes[group].sum() / 60:g} live hours in {times.week[group[-1]]}, more than the "
                f"cap of {cap / 60:g}")

    def describe_locks(self, studio: Studio, settings: Settings, person: int, group: list[int]) -> str:
        cap, times, ids = weekly_cap_minutes(studio.hosts)[person], studio.times, studio.slots["slot_id"]
        return (f"slots.csv, column locked_host_id: {studio.host_label(studio.hosts.at[person, 'host_id'])} is "
                f"locked to {times.minutes[group].sum() / 60:g} h in {times.week[group[-1]]} "
                f"({', '.join(ids[s] for s in group)}), more than the weekly cap of {cap / 60:g} h")

    def alone(self, studio: Studio, settings: Settings, slot: int, person: int) -> str | None:
        minutes = int(studio.times.minutes[slot])
        if minutes <= weekly_cap_minutes(studio.hosts)[person]:
            return None
        return (f"the slot lasts {minutes / 60:g} h, more than the host's "
                f"{studio.hosts.at[person, 'max_hours_per_week']:g} h weekly cap")

    def blockers(self, held: Held, slot: int, person: int) -> list[int] | None:
        key = (person, held.times.week[slot])
        cap = held.per_person(self, weekly_cap_minutes)
        if held.week_minutes.get(key, 0) + held.times.minutes[slot] > cap[person]:
            return held.weeks.get(key, [])
        return None

    def held_back(self, settings: Settings) -> str:
        return "at their weekly cap"


def weekly_cap_minutes(hosts: pd.DataFrame) -> np.ndarray:
    return np.floor(hosts["max_hours_per_week"].to_numpy(dtype=float) * 60 + 1e-6).astype(np.int64)


def weekly_min_minutes(hosts: pd.DataFrame) -> np.ndarray:
    """The promised minimum, beside the cap: the objective's shortfall stage and the plan summary read it."""
    return np.ceil(hosts["min_hours_per_week"].to_numpy(dtype=float) * 60 - 1e-6).astype(np.int64)


WEEKLY_CAP = WeeklyCap()
