"""A new studio's first run: the steps from an empty store to a planned week, each ticked from what the studio's
tables already hold, so the checklist is never out of step with the data."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from contract.folder import StudioTables
from contract.weeks import week_labels

DEFAULT_NAME = "Sample Studio"  # the name a store has before the studio saves its own


@dataclass(frozen=True)
class Step:
    """One step: what it is, whether the studio has done it, the page that does it, and what to do there."""

    title: str
    done: bool
    page: str
    todo: str


def first_run_steps(tables: StudioTables, studio_name: str, planned_weeks: set[str]) -> list[Step]:
    """Settings -> channels and show templates -> hosts -> availability -> plan, in that order.

    `planned_weeks`: the weeks with a saved (draft or published) schedule."""
    hosts = _rows(tables.hosts)
    templates = _rows(tables.show_templates)
    slots = _rows(tables.slots)
    available = _rows(tables.availability) + _rows(tables.availability_template)
    slot_weeks = set(_weeks(tables.slots)) if slots else set()
    return [
        Step("Name the studio, its time zone and currency", studio_name != DEFAULT_NAME, "ui/pages/settings.py",
             "Every time in the files is read in the studio's time zone."),
        Step("Add each channel's recurring shows", templates > 0 or slots > 0, "ui/pages/calendar.py",
             "Show templates: channel, weekdays, times, product tier and category; then make next week's slots."),
        Step("Add the hosts", hosts > 0, "ui/pages/roster.py",
             "One row per host: tier, categories, languages, rates and weekly hours."),
        Step("Say when each host can stream", available > 0, "ui/pages/roster.py",
             "A weekly template of each host's usual shifts is enough; time off goes under exceptions."),
        Step("Plan a week", bool(slot_weeks & planned_weeks), "ui/pages/schedule.py",
             "Press Plan the week: the optimiser staffs every slot it can and says why any stays dark."),
    ]


def _rows(frame: pd.DataFrame | None) -> int:
    return 0 if frame is None else len(frame)


def _weeks(slots: pd.DataFrame | None) -> list[str]:
    return [] if slots is None or slots.empty else week_labels(slots["start"]).unique().tolist()
