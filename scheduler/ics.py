"""One iCalendar file per host, so each host can subscribe to their own streams."""
from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pandas as pd

from contract.files import atomic_path, safe_file_stem
from scheduler.settings import Settings
from scheduler.studio import Studio


def host_calendars(studio: Studio, assignments: pd.DataFrame, settings: Settings) -> dict[str, bytes]:
    """host_id -> .ics bytes with one event per assigned slot, times in the studio's time zone."""
    zone = ZoneInfo(settings.time_zone)
    slots = studio.slots.set_index(studio.slots["slot_id"].astype("str"))
    staffed = assignments[assignments["host_id"].fillna("").astype("str") != ""]
    calendars = {}
    for host_id, rows in staffed.groupby(staffed["host_id"].astype("str"), sort=True):
        calendar = icalendar.Calendar()
        calendar.add("prodid", "-//livestream scheduler//EN")
        calendar.add("version", "2.0")
        calendar.add("x-wr-calname", f"Livestreams: {studio.host_label(host_id)}")
        for slot_id in rows["slot_id"].astype("str"):
            calendar.add_component(_event(slots.loc[slot_id], slot_id, zone))
        calendars[host_id] = calendar.to_ical()
    return calendars


def _event(slot: pd.Series, slot_id: str, zone: ZoneInfo) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", f"{slot_id}@livestream-scheduler")  # stable: re-importing updates the event, never duplicates
    event.add("summary", f"{slot['channel']} live: {slot['category']} ({slot['product_tier']})")
    event.add("dtstart", slot["start"].to_pydatetime().replace(tzinfo=zone))
    event.add("dtend", slot["end"].to_pydatetime().replace(tzinfo=zone))
    event.add("dtstamp", slot["start"].to_pydatetime().replace(tzinfo=zone))  # fixed, so files are reproducible
    if str(slot["room"]).strip():
        event.add("location", str(slot["room"]))
    return event


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
