"""Locked assignments: a person fixed them, so a lock that breaks a hard rule is an error that says which."""
from __future__ import annotations

from collections import defaultdict
from itertools import combinations

from scheduler.rules import LABELS, Eligibility, conflict, pair_problem, weekly_cap_minutes
from scheduler.settings import Settings
from scheduler.studio import Studio


class LockError(ValueError):
    """A locked_host_id that cannot be kept without breaking a hard rule."""


def locked_pairs(studio: Studio) -> dict[int, int]:
    """slot row -> person row for every non-empty locked_host_id."""
    locked = studio.slots["locked_host_id"].astype("str").str.strip()
    return {int(s): studio.host_index[h] for s, h in locked[locked != ""].items()}


def validate_locks(studio: Studio, settings: Settings, elig: Eligibility, locks: dict[int, int]) -> None:
    """Raise LockError naming slot, host and rule for every lock (or pair of locks) that breaks a hard rule."""
    messages = [m for m in (_single(studio, settings, elig, s, p) for s, p in locks.items()) if m]
    by_person: dict[int, list[int]] = defaultdict(list)
    for slot, person in locks.items():
        by_person[person].append(slot)
    for person, slots in by_person.items():
        messages += _together(studio, settings, person, sorted(slots))
    if messages:
        raise LockError("\n".join(messages))


def _where(studio: Studio, slot: int, person: int) -> str:
    return (f"slots.csv row {slot + 2}, column locked_host_id: slot {studio.slots.at[slot, 'slot_id']} is locked to "
            f"{studio.host_label(studio.hosts.at[person, 'host_id'])}")


def _single(studio: Studio, settings: Settings, elig: Eligibility, slot: int, person: int) -> str | None:
    problem = pair_problem(studio, settings, elig, slot, person)
    if problem is None:
        minutes = int(studio.times.minutes[slot])
        if minutes > settings.max_daily_minutes:
            problem = (f"the slot lasts {minutes / 60:g} h, more than {settings.max_daily_hours:g} live hours "
                       f"in a day ({LABELS['daily_hours']})")
        elif minutes > weekly_cap_minutes(studio.hosts)[person]:
            problem = (f"the slot lasts {minutes / 60:g} h, more than the host's "
                       f"{studio.hosts.at[person, 'max_hours_per_week']:g} h weekly cap ({LABELS['weekly_cap']})")
    return None if problem is None else f"{_where(studio, slot, person)} but {problem}"


def _together(studio: Studio, settings: Settings, person: int, slots: list[int]) -> list[str]:
    """Locks of one person that clash with each other: rules 4-5 pairwise, rules 6-7 as sums."""
    times, ids = studio.times, studio.slots["slot_id"]
    label = studio.host_label(studio.hosts.at[person, "host_id"])
    messages = []
    for a, b in combinations(slots, 2):
        rule = conflict(times, a, b, settings)
        if rule:
            messages.append(f"slots.csv rows {a + 2} and {b + 2}, column locked_host_id: slots {ids[a]} and {ids[b]} "
                            f"are both locked to {label} ({LABELS[rule]})")
    by_day, by_week = defaultdict(list), defaultdict(list)
    for s in slots:
        by_day[int(times.day[s])].append(s)
        by_week[times.week[s]].append(s)
    streams = int(studio.hosts.at[person, "max_streams_per_day"])
    cap = weekly_cap_minutes(studio.hosts)[person]
    for day_slots in by_day.values():
        names = ", ".join(ids[s] for s in day_slots)
        if len(day_slots) > streams:
            messages.append(f"slots.csv, column locked_host_id: {label} is locked to {len(day_slots)} slots starting "
                            f"on one day ({names}), more than {streams} ({LABELS['daily_streams']})")
        if len(day_slots) > 1 and times.minutes[day_slots].sum() > settings.max_daily_minutes:
            messages.append(f"slots.csv, column locked_host_id: {label} is locked to slots {names} starting on one "
                            f"day, more than {settings.max_daily_hours:g} live hours ({LABELS['daily_hours']})")
    for week, week_slots in by_week.items():
        if len(week_slots) > 1 and times.minutes[week_slots].sum() > cap:
            messages.append(f"slots.csv, column locked_host_id: {label} is locked to "
                            f"{times.minutes[week_slots].sum() / 60:g} h in {week} "
                            f"({', '.join(ids[s] for s in week_slots)}), more than the weekly cap of "
                            f"{cap / 60:g} h ({LABELS['weekly_cap']})")
    return messages
