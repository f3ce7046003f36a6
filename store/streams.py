"""Per person, every change to the streams their published weeks give them: the basis of their calendar
feed, of the mail they get and of "what changed since you last looked".

A person's stream is a slot of a published schedule they host or assist, with the slot's time and room
as slots.csv has them now. Each publish, and each change to slots.csv, compares that with what the log
last said and appends one row per difference: "added" (new to them, or back after a cancellation),
"moved" (its time, title or room changed) or "cancelled" (no longer theirs, or the slot is gone).
Plain dictionaries, not frames: this runs inside every publish, on a few thousand streams.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

import sqlalchemy as sa

from scheduler.ics import Stream, stream_summary
from store.models import DATA, schedule_assignments, schedule_assistants, schedules, stream_changes

Key = tuple[str, str]  # (person_id, slot_id)


class State(NamedTuple):
    """A person's stream as their calendar shows it."""

    start: datetime
    end: datetime
    summary: str
    location: str
    live: bool = True  # False: cancelled


@dataclass(frozen=True)
class Change:
    """One difference in a person's stream; `was` is the stream before it (None when it was new to them)."""

    person_id: str
    slot_id: str
    change: str  # "added", "moved" or "cancelled"
    now: State
    was: State | None


def wanted(conn: sa.Connection) -> dict[Key, State]:
    """The streams the published schedules give people now."""
    slots = DATA["slots"]
    published = sa.select(schedules.c.id).where(schedules.c.status == "published").scalar_subquery()
    hosts = sa.select(schedule_assignments.c.host_id.label("person_id"), schedule_assignments.c.slot_id).where(
        schedule_assignments.c.schedule_id.in_(published), schedule_assignments.c.host_id != "")
    helpers = sa.select(schedule_assistants.c.assistant_id, schedule_assistants.c.slot_id).where(
        schedule_assistants.c.schedule_id.in_(published))
    people = sa.union(hosts, helpers).subquery()
    rows = conn.execute(sa.select(people.c.person_id, people.c.slot_id, slots.c.start, slots.c.end, slots.c.channel,
                                  slots.c.category, slots.c.product_tier, slots.c.room)
                        .join(slots, slots.c.slot_id == people.c.slot_id)).all()
    return {(row.person_id, row.slot_id): State(row.start, row.end, stream_summary(row._mapping),
                                                (row.room or "").strip()) for row in rows}


def latest(conn: sa.Connection, person_id: str | None = None,
           until: datetime | None = None) -> dict[Key, tuple[State, int]]:
    """What the log last said of each stream (of one person, up to a moment), with its SEQUENCE: its
    changes less one."""
    log = stream_changes.c
    query = sa.select(log.person_id, log.slot_id, log.change, log.start, log.end, log.summary, log.location)
    if person_id is not None:
        query = query.where(log.person_id == person_id)
    if until is not None:
        query = query.where(log.at <= until)
    found: dict[Key, tuple[State, int]] = {}
    for row in conn.execute(query.order_by(log.id)):
        key = (row.person_id, row.slot_id)
        sequence = found[key][1] + 1 if key in found else 0
        found[key] = (State(row.start, row.end, row.summary, row.location, row.change != "cancelled"), sequence)
    return found


def net_changes(before: dict[Key, State], after: dict[Key, State]) -> list[Change]:
    """Each stream whose state differs, by person and start. A stream missing from `after` is gone:
    cancelled if it was live. One that moved and moved back, or came and went, is no change."""
    found = []
    for key in before.keys() | after.keys():
        was, now = before.get(key), after.get(key)
        was_live = was is not None and was.live
        if now is None:
            assert was is not None, "a key is in before or after"
            now = was._replace(live=False)
        if now.live and not was_live:
            found.append(Change(*key, "added", now, was))
        elif now.live and now != was:
            found.append(Change(*key, "moved", now, was))
        elif not now.live and was_live:
            found.append(Change(*key, "cancelled", now, was))
    return sorted(found, key=lambda c: (c.person_id, c.now.start, c.slot_id))


def _states(found: dict[Key, tuple[State, int]]) -> dict[Key, State]:
    return {key: state for key, (state, _) in found.items()}


def record(conn: sa.Connection, user: str, at: datetime) -> list[Change]:
    """Bring the log up to date with the published schedules and slots.csv as they are; returns what changed."""
    found = net_changes(_states(latest(conn)), wanted(conn))
    if found:
        conn.execute(stream_changes.insert(), [
            {"person_id": c.person_id, "slot_id": c.slot_id, "change": c.change, "start": c.now.start,
             "end": c.now.end, "summary": c.now.summary, "location": c.now.location, "user": user, "at": at}
            for c in found])
    return found


def changes_since(conn: sa.Connection, person_id: str, since: datetime) -> list[Change]:
    """What changed in a person's streams after `since`, e.g. since they last looked."""
    return net_changes(_states(latest(conn, person_id, until=since)), _states(latest(conn, person_id)))


def person_streams(conn: sa.Connection, person_id: str, ending_after: datetime) -> list[Stream]:
    """The person's calendar events, cancelled ones included, that end after `ending_after`, by start."""
    found = [(slot_id, state, sequence) for (_, slot_id), (state, sequence) in latest(conn, person_id).items()
             if state.end > ending_after]
    return [Stream(slot_id, state.summary, state.start, state.end, state.location, cancelled=not state.live,
                   sequence=sequence) for slot_id, state, sequence in sorted(found, key=lambda f: (f[1].start, f[0]))]


def _when(state: State) -> str:
    where = f" ({state.location})" if state.location else ""
    return f"{state.start:%a %d %b %Y %H:%M}-{state.end:%H:%M}{where}"


def in_words(change: Change) -> str:
    """One change as a person reads it: 'Moved: GlowLab live: beauty (hero), from ... to ...'."""
    if change.change == "moved" and change.was is not None:
        return f"Moved: {change.now.summary}, from {_when(change.was)} to {_when(change.now)}"
    return f"{change.change.capitalize()}: {change.now.summary}, {_when(change.now)}"
