"""iCalendar files of people's streams (RFC 5545), so each host or assistant can subscribe to their own.

Every file carries a VTIMEZONE for the studio's zone (calendar apps need it to place TZID times) and a
DTSTAMP for when the file was made, in UTC. A stream's UID is its slot id, so a calendar that imports the
file again updates the event instead of adding a second one; a stream that moved keeps its UID with a
higher SEQUENCE, and a cancelled one stays with STATUS:CANCELLED, so subscribed calendars drop it.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pandas as pd

from contract.files import atomic_path, safe_file_stem
from scheduler.settings import Settings
from scheduler.studio import Studio

PRODUCT_ID = "-//livestream scheduler//EN"
UID_DOMAIN = "livestream-scheduler"


@dataclass(frozen=True)
class Stream:
    """One event of a person's calendar; start and end are the studio's local times, without a zone."""

    slot_id: str
    summary: str
    start: datetime
    end: datetime
    location: str = ""
    cancelled: bool = False
    sequence: int = 0


def stream_summary(slot: pd.Series) -> str:
    """How a stream reads in a calendar: 'GlowLab live: beauty (hero)'."""
    return f"{slot['channel']} live: {slot['category']} ({slot['product_tier']})"


def slot_stream(slot: pd.Series, slot_id: str) -> Stream:
    """The calendar event of one row of slots.csv."""
    return Stream(slot_id, stream_summary(slot), slot["start"].to_pydatetime(), slot["end"].to_pydatetime(),
                  str(slot["room"]).strip())


def calendar(title: str, streams: list[Stream], time_zone: str, made_at: datetime) -> bytes:
    """The .ics bytes of `streams`, with the zone's VTIMEZONE and `made_at` (aware) as every DTSTAMP."""
    if made_at.tzinfo is None:
        raise ValueError("made_at needs a time zone: DTSTAMP is written in UTC")
    zone = ZoneInfo(time_zone)
    stamp = made_at.astimezone(UTC)
    result = icalendar.Calendar()
    result.add("prodid", PRODUCT_ID)
    result.add("version", "2.0")
    result.add("x-wr-calname", title)
    result.add("x-wr-timezone", time_zone)
    result.add_component(_time_zone(zone, time_zone, streams, stamp))
    for stream in streams:
        result.add_component(_event(stream, zone, stamp))
    return result.to_ical()


def _time_zone(zone: ZoneInfo, name: str, streams: list[Stream], stamp: datetime) -> icalendar.Timezone:
    """The zone's rules over the years the streams span (whole years, so a small file still covers them)."""
    years = [s.start.year for s in streams] + [s.end.year for s in streams] or [stamp.year]
    return icalendar.Timezone.from_tzinfo(zone, tzid=name, first_date=date(min(years), 1, 1),
                                          last_date=date(max(years) + 1, 1, 1))


def _event(stream: Stream, zone: ZoneInfo, stamp: datetime) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", f"{stream.slot_id}@{UID_DOMAIN}")
    event.add("dtstamp", stamp)
    event.add("sequence", stream.sequence)
    event.add("summary", stream.summary)
    event.add("dtstart", stream.start.replace(tzinfo=zone))
    event.add("dtend", stream.end.replace(tzinfo=zone))
    event.add("status", "CANCELLED" if stream.cancelled else "CONFIRMED")
    if stream.location:
        event.add("location", stream.location)
    return event


def host_calendars(studio: Studio, assignments: pd.DataFrame, settings: Settings,
                   made_at: datetime) -> dict[str, bytes]:
    """host_id -> .ics bytes with one event per assigned slot, times in the studio's time zone."""
    slots = studio.slots.set_index(studio.slots["slot_id"].astype("str"))
    staffed = assignments[assignments["host_id"].fillna("").astype("str") != ""]
    calendars = {}
    for host_id, rows in staffed.groupby(staffed["host_id"].astype("str"), sort=True):
        streams = [slot_stream(slots.loc[slot_id], slot_id) for slot_id in rows["slot_id"].astype("str")]
        calendars[host_id] = calendar(f"Livestreams: {studio.host_label(host_id)}", streams, settings.time_zone,
                                      made_at)
    return calendars


def calendar_file_name(person_id: str) -> str:
    """The .ics file name for a person: their id when it is a safe file name, else a sanitised one."""
    return f"{safe_file_stem(person_id)}.ics"


def write_calendars(calendars: dict[str, bytes], out_dir: Path | str) -> list[Path]:
    """Write one .ics file per host into `out_dir` (never outside it), each all-or-nothing."""
    paths = []
    for host_id, content in calendars.items():
        path = Path(out_dir) / calendar_file_name(host_id)
        with atomic_path(path) as temp:
            temp.write_bytes(content)
        paths.append(path)
    return paths
