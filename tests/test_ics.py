"""The .ics files meet RFC 5545: a VTIMEZONE for the studio's zone, TZID times, DTSTAMP in UTC, stable UIDs."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import icalendar
import pandas as pd
import pytest

from scheduler.ics import Stream, calendar, host_calendars
from scheduler.io import load_studio
from scheduler.settings import Settings
from tests.conftest import SAMPLE

MADE_AT = datetime(2026, 12, 3, 7, 30, tzinfo=timezone(timedelta(hours=-8)))  # 15:30 UTC


def _parse(content: bytes) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(content)


def test_a_calendar_carries_the_zone_the_stamp_in_utc_and_each_streams_state():
    streams = [Stream("W50-A", "GlowLab live: beauty (hero)", datetime(2026, 12, 8, 19), datetime(2026, 12, 8, 21),
                      "Studio 1"),
               Stream("W50-B", "GlowLab live: home (core)", datetime(2026, 12, 9, 10), datetime(2026, 12, 9, 12),
                      cancelled=True, sequence=2)]
    parsed = _parse(calendar("Livestreams: Ana", streams, "America/Los_Angeles", MADE_AT))
    assert [str(tz["tzid"]) for tz in parsed.walk("VTIMEZONE")] == ["America/Los_Angeles"]
    assert parsed.get_missing_tzids() == set()
    first, second = parsed.walk("VEVENT")
    assert first["dtstart"].params["TZID"] == "America/Los_Angeles"
    assert first.decoded("dtstart") == datetime(2026, 12, 8, 19, tzinfo=first.decoded("dtstart").tzinfo)
    assert first.decoded("dtstart").utcoffset() == timedelta(hours=-8)  # PST in December
    assert first["dtstamp"].to_ical() == b"20261203T153000Z"
    assert [str(e["uid"]) for e in (first, second)] == ["W50-A@livestream-scheduler", "W50-B@livestream-scheduler"]
    assert [str(e["status"]) for e in (first, second)] == ["CONFIRMED", "CANCELLED"]
    assert [int(e["sequence"]) for e in (first, second)] == [0, 2]
    assert str(first["location"]) == "Studio 1" and "location" not in second


def test_an_empty_calendar_still_names_its_zone():
    parsed = _parse(calendar("Livestreams: Ben", [], "Asia/Ho_Chi_Minh", MADE_AT))
    assert [str(tz["tzid"]) for tz in parsed.walk("VTIMEZONE")] == ["Asia/Ho_Chi_Minh"] and not parsed.walk("VEVENT")


def test_a_stamp_without_a_zone_is_refused():
    with pytest.raises(ValueError, match="UTC"):
        calendar("Livestreams: Ana", [], "America/Los_Angeles", datetime(2026, 12, 3, 15, 30))


def test_host_calendars_stamp_when_made_not_when_the_stream_starts():
    studio = load_studio(SAMPLE, Settings())
    slot_ids = studio.slots["slot_id"].astype("str").head(2).tolist()
    plan = pd.DataFrame({"slot_id": slot_ids, "host_id": ["H001", "H001"]})
    made_at = datetime(2026, 12, 3, 15, 30, tzinfo=UTC)
    parsed = _parse(host_calendars(studio, plan, Settings(), made_at)["H001"])
    events = parsed.walk("VEVENT")
    assert [str(e["uid"]) for e in events] == [f"{s}@livestream-scheduler" for s in slot_ids]
    assert {e["dtstamp"].to_ical() for e in events} == {b"20261203T153000Z"}
    assert {e["dtstart"].params["TZID"] for e in events} == {"America/Los_Angeles"}
    assert [str(tz["tzid"]) for tz in parsed.walk("VTIMEZONE")] == ["America/Los_Angeles"]
