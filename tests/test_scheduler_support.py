"""Tiny studios for the scheduler tests, and a checker of the contract's hard rules written from the contract
alone (it does not call scheduler code), plus the tests that prove this checker catches each rule."""
from __future__ import annotations

from itertools import product

import pandas as pd
import pytest
from hypothesis import strategies as st

from contract import AVAILABILITY, HOSTS, SESSIONS, SLOTS, parse_table
from scheduler import Settings, Studio

WEEK_START = pd.Timestamp("2026-11-30")  # Monday of 2026-W49
DAYS = {"Mon": 0, "Tue": 1, "Wed": 2, "Thu": 3, "Fri": 4, "Sat": 5, "Sun": 6, "Mon2": 7, "Tue2": 8, "Wed2": 9}
NEXT_DAY = dict(zip(DAYS, list(DAYS)[1:]))  # "Mon2" etc. are days of the following ISO week, 2026-W50
TIERS_FOR = {"hero": {"A"}, "core": {"A", "B"}, "longtail": {"A", "B", "C"}}
WEIGHT = {"hero": 100, "core": 10, "longtail": 1}


def at(when: str) -> str:
    """'Tue 19:30' -> '2026-12-01T19:30:00' (week 2026-W49; 'Mon2' is Monday of W50); an ISO time passes through."""
    if " " not in when:
        return when
    day, clock = when.split()
    hours, minutes = clock.split(":")
    return (WEEK_START + pd.Timedelta(days=DAYS[day], hours=int(hours), minutes=int(minutes))).isoformat()


def host(host_id: str, **fields) -> dict:
    row = {"host_id": host_id, "name": f"Name {host_id}", "tier": "A", "categories": "beauty", "hourly_rate": "20",
           "max_hours_per_week": "40"}
    row.update({k: str(v) for k, v in fields.items()})
    return row


def slot(slot_id: str, start: str, end: str, **fields) -> dict:
    row = {"slot_id": slot_id, "channel": "shop", "start": at(start), "end": at(end), "product_tier": "longtail",
           "category": "beauty"}
    row.update({k: str(v) for k, v in fields.items()})
    return row


def text_frame(rows: list[dict], columns: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=sorted({k for r in rows for k in r}) or columns).fillna("")
    return frame.astype("str") if len(frame) else pd.DataFrame({c: pd.Series(dtype="str") for c in columns})


def make_studio(hosts: list[dict], slots: list[dict], availability: list[tuple[str, str, str]] | None = None,
                sessions: list[dict] | None = None, settings: Settings | None = None) -> Studio:
    """A studio from literal rows; by default every host is available the whole week."""
    if availability is None:
        availability = [(h["host_id"], "Mon 00:00", "Sun 23:59") for h in hosts]
    windows = pd.DataFrame([{"host_id": h, "start": at(s), "end": at(e)} for h, s, e in availability],
                           columns=["host_id", "start", "end"]).astype("str")
    return Studio.from_frames(
        parse_table(text_frame(hosts, ["host_id"]), HOSTS),
        parse_table(windows, AVAILABILITY),
        parse_table(text_frame(slots, [c.name for c in SLOTS.columns if c.required]), SLOTS),
        None if sessions is None else parse_table(pd.DataFrame(sessions).astype("str"), SESSIONS),
        settings)


def session(session_id: str, host_id: str, start: str, hours: float, gmv: float, **fields) -> dict:
    begin = pd.Timestamp(at(start)) - pd.Timedelta(days=7)  # the week before the planned one
    row = {"session_id": session_id, "channel": "shop", "host_id": host_id, "start": begin.isoformat(),
           "end": (begin + pd.Timedelta(hours=hours)).isoformat(), "viewers": "100", "views": "200",
           "avg_watch_seconds": "60", "product_impressions": "10", "product_clicks": "5", "orders": "1",
           "gmv": str(gmv)}
    row.update({k: str(v) for k, v in fields.items()})
    return row


def hosted(assignments: pd.DataFrame) -> dict[str, str]:
    """slot_id -> host_id of the staffed slots of an assignments table."""
    staffed = assignments[assignments["host_id"] != ""]
    return dict(zip(staffed["slot_id"], staffed["host_id"]))


@st.composite
def tiny_studios(draw, max_slots: int = 5, max_hosts: int = 3, max_assistants: int = 0,
                 days: tuple[str, ...] = ("Mon", "Tue")):
    """A random small studio: hosts of every tier, slots on `days` (crossing midnight too), a few windows each.

    With max_assistants, production assistants and slots that need them; `days` may span two ISO weeks."""
    hosts = [host(f"H{i}", tier=draw(st.sampled_from("ABC")),
                  categories=draw(st.sampled_from(["beauty", "home", "beauty|home"])),
                  languages=draw(st.sampled_from(["en", "en|es"])),
                  max_hours_per_week=draw(st.sampled_from([2, 3, 4, 6, 40])),
                  max_streams_per_day=draw(st.integers(1, 3)))
             for i in range(draw(st.integers(1, max_hosts)))]
    if max_assistants:
        hosts += [host(f"A{i}", role="assistant", tier="C", categories="none",
                       max_hours_per_week=draw(st.sampled_from([2, 4, 40])), max_streams_per_day=draw(st.integers(1, 2)))
                  for i in range(draw(st.integers(1, max_assistants)))]
    slots = []
    for i in range(draw(st.integers(1, max_slots))):
        day, hour = draw(st.sampled_from(days)), draw(st.integers(0, 21))
        minute = draw(st.sampled_from([0, 15, 30]))
        length = draw(st.sampled_from([60, 90, 120, 180, 240]))
        end_minutes = hour * 60 + minute + length
        end_day = day if end_minutes < 24 * 60 else NEXT_DAY[day]
        extra = {"assistants_needed": draw(st.integers(0, 2))} if max_assistants else {}
        slots.append(slot(f"S{i}", f"{day} {hour:02d}:{minute:02d}",
                          f"{end_day} {end_minutes // 60 % 24:02d}:{end_minutes % 60:02d}",
                          product_tier=draw(st.sampled_from(["hero", "core", "longtail"])),
                          category=draw(st.sampled_from(["beauty", "Home"])),
                          language=draw(st.sampled_from(["en", "en", "es"])),
                          expected_gmv=draw(st.integers(0, 1000)), **extra))
    availability = []
    last = NEXT_DAY[days[-1]]
    for h in hosts:
        for _ in range(draw(st.integers(0, 2))):
            day, hour = draw(st.sampled_from(days)), draw(st.integers(0, 12))
            availability.append((h["host_id"], f"{day} {hour:02d}:00", f"{last} {draw(st.integers(0, 23)):02d}:00"))
    whole = [(h["host_id"], f"{days[0]} 00:00", f"{last} 23:59") for h in hosts]
    return make_studio(hosts, slots, availability=availability or whole)


# --- An independent checker, straight from the contract's wording -------------------------------------------

def broken_rules(studio: Studio, host_of: dict[str, str], settings: Settings = Settings(),
                 assistants: list[tuple[str, str]] = ()) -> list[str]:
    """Every hard rule the assignment (slot_id -> host_id) breaks, as 'rule N: slot host' strings."""
    slots = {r.slot_id: r for r in studio.slots.itertuples()}
    people = {r.host_id: r for r in studio.hosts.itertuples()}
    windows = studio.availability
    broken = []
    for slot_id, host_id in host_of.items():
        s, h = slots[slot_id], people[host_id]
        mine = windows[windows["host_id"] == host_id]
        if not ((mine["start"] <= s.start) & (mine["end"] >= s.end)).any():
            broken.append(f"rule 1: {slot_id} {host_id}")
        if h.tier not in settings.tier_table[s.product_tier] or h.role != "host":
            broken.append(f"rule 2: {slot_id} {host_id}")
        if s.category.lower() not in [c.lower() for c in h.categories] or \
                s.language.lower() not in [x.lower() for x in h.languages]:
            broken.append(f"rule 3: {slot_id} {host_id}")
    for slot_id, person in assistants:
        if slot_id not in host_of:
            broken.append(f"assistant on unstaffed slot: {slot_id} {person}")
    per_person: dict[str, list] = {}
    for slot_id, person in [*host_of.items(), *assistants]:
        per_person.setdefault(person, []).append(slots[slot_id])
    for person, mine in per_person.items():
        broken += _person_rules(person, sorted(mine, key=lambda r: r.start), people[person], settings)
    return broken


def _person_rules(person: str, mine: list, who, settings: Settings) -> list[str]:
    broken = []
    changeover = pd.Timedelta(minutes=settings.changeover_minutes)
    rest = pd.Timedelta(hours=settings.overnight_rest_hours)
    for i, first in enumerate(mine):
        for second in mine[i + 1:]:
            gap = second.start - first.end
            if gap < changeover:
                broken.append(f"rule 4: {first.slot_id}+{second.slot_id} {person}")
            elif first.start.date() != second.start.date() and gap < rest:
                broken.append(f"rule 5: {first.slot_id}+{second.slot_id} {person}")
    days: dict = {}
    for s in mine:
        days.setdefault(s.start.date(), []).append(s)
    for day, day_slots in days.items():
        hours = sum((s.end - s.start).total_seconds() for s in day_slots) / 3600
        if len(day_slots) > who.max_streams_per_day or hours > settings.max_daily_hours + 1e-9:
            broken.append(f"rule 6: {day} {person}")
    weeks: dict = {}
    for s in mine:
        weeks.setdefault(tuple(s.start.isocalendar())[:2], []).append(s)
    for week, week_slots in weeks.items():
        if sum((s.end - s.start).total_seconds() for s in week_slots) / 3600 > who.max_hours_per_week + 1e-9:
            broken.append(f"rule 7: {week} {person}")
    return broken


def best_coverage(studio: Studio, settings: Settings = Settings()) -> int:
    """Brute force: the largest tier-weighted coverage over every assignment that breaks no rule (tiny studios)."""
    slot_ids = list(studio.slots["slot_id"])
    weight = dict(zip(slot_ids, studio.slots["product_tier"].map(settings.tier_weights)))
    hosts = list(studio.hosts.loc[studio.hosts["role"] == "host", "host_id"])
    choices = [[""] + [h for h in hosts if not broken_rules(studio, {s: h}, settings)] for s in slot_ids]
    best = 0
    for combo in product(*choices):
        host_of = {s: h for s, h in zip(slot_ids, combo) if h}
        total = sum(weight[s] for s in host_of)
        if total > best and not broken_rules(studio, host_of, settings):
            best = total
    return best


# --- The checker itself must catch each rule ----------------------------------------------------------------

@pytest.mark.parametrize("host_fields, slots, expected", [
    ({}, [slot("S1", "Mon 10:00", "Mon 12:00")], []),
    ({"tier": "B"}, [slot("S1", "Mon 10:00", "Mon 12:00", product_tier="hero")], ["rule 2"]),
    ({"categories": "home"}, [slot("S1", "Mon 10:00", "Mon 12:00")], ["rule 3"]),
    ({}, [slot("S1", "Mon 10:00", "Mon 12:00"), slot("S2", "Mon 12:10", "Mon 13:00")], ["rule 4"]),
    ({}, [slot("S1", "Mon 20:00", "Mon 22:00"), slot("S2", "Tue 06:00", "Tue 08:00")], ["rule 5"]),
    ({"max_streams_per_day": 1}, [slot("S1", "Mon 08:00", "Mon 09:00"), slot("S2", "Mon 18:00", "Mon 19:00")],
     ["rule 6"]),
    ({"max_hours_per_week": 3}, [slot("S1", "Mon 08:00", "Mon 10:00"), slot("S2", "Tue 08:00", "Tue 10:00")],
     ["rule 7"]),
])
def test_independent_checker_catches_each_rule(host_fields, slots, expected):
    studio = make_studio([host("H1", **host_fields)], slots)
    found = broken_rules(studio, {s["slot_id"]: "H1" for s in slots})
    assert [f.split(":")[0] for f in found] == expected


def test_independent_checker_catches_availability():
    studio = make_studio([host("H1")], [slot("S1", "Mon 10:00", "Mon 12:00")],
                         availability=[("H1", "Mon 10:30", "Mon 14:00")])
    assert broken_rules(studio, {"S1": "H1"}) == ["rule 1: S1 H1"]
