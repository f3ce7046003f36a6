"""The Schedule page's week as the libraries see it, computed once per data version and saved schedule: the week's
studio (its slots with the saved locks, the roster's availability), the saved plan's evaluation, the rules it
breaks now and its calendar.

Each run of the page (a click, a page switch) reads these instead of building the week again; a saved schedule
is named by its rows (hosts, locks, reasons, assistants), so a changed draft is never served an old plan, and a
draft published as it stands reads the plan it had as a draft. Both are shared objects that nobody changes (see
ui.cache.versioned's `figure`).
"""
from __future__ import annotations

import hashlib

import pandas as pd

from forecast import Forecast
from scheduler import Solution, Studio, Violation, evaluate
from store.schedules import assistants_of
from store.week import (
    CHECKED,
    BuiltWeek,
    Locks,
    locks_of,
    plan_conflicts,
    week_forecast,
    week_locks,
    week_slots,
    week_studio,
)
from ui import state
from ui.cache import DATA_TABLES, pinned, tables_version, versioned
from ui.components.week_calendar import tier_legend
from ui.components.week_calendar_layout import calendar_html, week_layout

ScheduleKey = str | None  # a digest of the saved schedule's rows, None before a plan


def schedule_key(saved: tuple[dict, pd.DataFrame] | None) -> ScheduleKey:
    if saved is None:
        return None
    return hashlib.sha256(pd.util.hash_pandas_object(saved[1], index=False).to_numpy().tobytes()
                          + ",".join(saved[1].columns).encode()).hexdigest()


def studio(week: str, saved: pd.DataFrame | None) -> Studio:
    """The week's studio with the locks of the saved rows over the slots' own: built again only when those change,
    so a plan keeping the slots' own locks, or a hand edit keeping the locks, reads the studio from before it."""
    return _studio(week, week_locks(_slots(week), saved), saved)


@versioned(figure=True, show_spinner=False, max_entries=8, tables=("slots",))
def _slots(week: str) -> pd.DataFrame:
    """The week's slots as slots.csv gives them (their own locks included), read again when the slots change."""
    return week_slots(state.frames(), week)


@versioned(figure=True, show_spinner=False, max_entries=8, tables=DATA_TABLES)
def _studio(week: str, locked: Locks, _saved: pd.DataFrame | None) -> Studio:
    """Cached under the (slot, host) pairs `locked`, the only part of the saved rows the studio reads."""
    return week_studio(state.frames(), week, _saved, state.scheduler_settings(), forecast(week))


def built_week(week: str, saved: pd.DataFrame) -> BuiltWeek:
    """`studio` with the table versions and settings it was built from, read in one go (the version pinned), so
    a publish checks in it while nothing has changed and builds the week afresh once something has."""
    version = state.data_version()
    with pinned(version):
        return BuiltWeek(studio(week, saved), versions=dict(tables_version(version, CHECKED)[1:]),
                         settings=state.scheduler_settings(), locks=locks_of(saved))


@versioned(figure=True, show_spinner=False, max_entries=8, tables=("hosts", "slots", "sessions"))
def forecast(week: str) -> Forecast:
    """The week's forecast, kept while only locks, availability or settings change (see store.week.week_forecast)."""
    return week_forecast(state.frames(), week)


@versioned(figure=True, show_spinner=False, max_entries=8, tables=DATA_TABLES)
def plan(week: str, key: ScheduleKey, _saved: pd.DataFrame) -> Solution:
    """The saved plan's summary and unstaffed slots with their reasons."""
    return evaluate(studio(week, _saved), _saved[["slot_id", "host_id"]], state.scheduler_settings(),
                    assistants=assistants_of(_saved))


@versioned(figure=True, show_spinner=False, max_entries=8, tables=DATA_TABLES)
def conflicts(week: str, key: ScheduleKey, _saved: pd.DataFrame, since: pd.Timestamp) -> list[Violation]:
    """The hard rules the saved plan breaks now, in slots starting at `since` or later (the page passes the
    minute it runs in, so a click a few seconds later reads the same answer)."""
    return plan_conflicts(studio(week, _saved), _saved, state.scheduler_settings(), since=since)


@versioned(figure=True, show_spinner=False, max_entries=8, tables=DATA_TABLES)
def calendar(week: str, key: ScheduleKey, _saved: pd.DataFrame | None, lanes: str) -> str:
    """The week's calendar as HTML under its key of colours, one lane per `lanes`."""
    slots = studio(week, _saved).slots
    return tier_legend(slots["product_tier"]) + calendar_html(week_layout(slots, _saved, state.host_names(), lanes))
