"""The week's calendar in the store: the show templates and calendar changes made into the week's slots, where
the Schedule page and `python -m scheduler solve` plan from (the store's slots, exported as slots.csv).

Making a week replaces that week's slots only, recorded in the history like an edit of the slots (undoable),
so the people on a published week hear about a moved or cancelled stream the way they do after any change of
the slots (see `store.streams`).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from contract.weeks import week_labels
from scheduler import Settings
from scheduler.calendar import week_slots
from scheduler.calendar_edits import published_hosts_touched, replace_week, week_differences

if TYPE_CHECKING:
    from store.store import Store

CALENDAR_KINDS = ("show_templates", "calendar_changes", "slots")


def _in_week(slots: pd.DataFrame | None, week: str) -> pd.DataFrame:
    assert slots is not None, "the store reads every table it is asked for"
    return slots[(week_labels(slots["start"]) == week).to_numpy()].reset_index(drop=True) if len(slots) else slots


def planned_week(store: Store, week: str) -> pd.DataFrame:
    """The week's slots as the store keeps them for planning."""
    return _in_week(store.tables(["slots"]).slots, week)


def week_preview(store: Store, week: str, settings: Settings) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(the week's slots as the calendar makes them, what making them changes in the slots kept for planning,
    with the published host of each changed slot in `host_id` where it has one). A DataError when the
    calendar does not make a valid week."""
    tables = store.tables(CALENDAR_KINDS)
    assert tables.show_templates is not None
    made = week_slots(tables.show_templates, week, tables.calendar_changes, settings)
    published = store.schedule(week, "published")
    differences = week_differences(_in_week(tables.slots, week), made)
    touched = published_hosts_touched(differences, published[1] if published else None)
    return made, differences.merge(touched[["slot_id", "host_id"]], on="slot_id", how="left").fillna({"host_id": ""})


def make_week(store: Store, week: str, user: str, expected_version: int, settings: Settings) -> int:
    """Replace the week's slots kept for planning by the calendar's (a slot made again at the same times keeps
    its expected GMV and its lock), if nobody changed the slots since `expected_version`; returns the slots'
    new version. A DataError when the calendar does not make a valid week."""
    made, _ = week_preview(store, week, settings)
    slots = store.tables(["slots"]).slots
    assert slots is not None
    every = replace_week(slots, week, made)
    return store.save_table("slots", every, user, expected_version)
