"""Glue between the store and the libraries for the pages: which week, which studio, which saved plan.

Nothing here renders; pages call these functions and show what comes back.
"""
from __future__ import annotations

import io
import threading
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pandas as pd

from contract.folder import StudioTables
from contract.plan import StaffingPlan
from contract.weeks import week_days, week_labels
from scheduler import CallOut, Settings, Solution, Studio, replan, solve
from scheduler.availability import availability_windows
from scheduler.ics import calendar_file_name, host_calendars
from store.schedules import assistants_of


def slot_weeks(slots: pd.DataFrame) -> list[str]:
    return sorted(week_labels(slots["start"]).unique().tolist()) if len(slots) else []


def availability_week(frames: StudioTables, week: str) -> pd.DataFrame:
    """The windows the scheduler will see in `week` (shown "available") and the exceptions that shaped them
    (shown "time off" or "extra"), clipped to the week: host_id, start, end, shown, note."""
    monday, sunday = week_days(week)
    changes = frames.availability_exceptions
    found = availability_windows(frames.availability, frames.availability_template, changes,
                                 monday, sunday)
    both = pd.concat([found.assign(shown="available", note=""),
                      changes[["host_id", "start", "end", "note"]].assign(shown=changes["change"])], ignore_index=True)
    start, end = pd.Timestamp(monday), pd.Timestamp(sunday) + pd.Timedelta(days=1)
    both = both[(both["end"] > start) & (both["start"] < end)]
    return both.assign(start=both["start"].clip(lower=start), end=both["end"].clip(upper=end))


def published_plan(store, frames: StudioTables) -> StaffingPlan:
    """Every published week's hosts and assistants, for the slots still in slots.csv."""
    published = store.published_schedules()
    published = published.loc[published["slot_id"].isin(frames.slots["slot_id"])].reset_index(drop=True)
    return StaffingPlan.from_frames(published[["slot_id", "host_id"]].astype("str"),
                                    assistants_of(published).astype("str"))


def staff_calendars(studio: Studio, rows: pd.DataFrame, settings: Settings) -> dict[str, bytes]:
    """person_id -> .ics of every slot the person hosts or assists in the saved rows."""
    helpers = assistants_of(rows).rename(columns={"assistant_id": "host_id"})
    return host_calendars(studio, pd.concat([rows[["slot_id", "host_id"]], helpers], ignore_index=True), settings,
                          made_at=datetime.now(UTC))


def calendars_zip(calendars: dict[str, bytes]) -> bytes:
    """One zip of <person_id>.ics files, their names sanitised so that unzipping never writes outside the folder."""
    bundle = io.BytesIO()
    with zipfile.ZipFile(bundle, "w") as archive:
        for person_id, content in calendars.items():
            archive.writestr(calendar_file_name(person_id), content)
    return bundle.getvalue()


@dataclass
class SolveWatch:
    """Progress of a solve running in a worker thread, read by the page to draw a progress bar."""

    time_limit: float
    started: float = field(default_factory=time.monotonic)
    objective: float | None = None
    result: Solution | None = None
    error: BaseException | None = None

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def on_progress(self, seconds: float, objective: float, bound: float) -> None:
        self.objective = objective


def run_in_background(work: Callable[[SolveWatch], Solution], time_limit: float,
                      tick: Callable[[SolveWatch], None]) -> Solution:
    """Run a solve in a thread and call `tick` a few times a second until it ends (Streamlit draws from
    the script thread only, so the solver's callback just records and the page polls)."""
    watch = SolveWatch(time_limit)

    def target() -> None:
        try:
            watch.result = work(watch)
        except BaseException as err:  # re-raised in the script thread below
            watch.error = err

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    while thread.is_alive():
        tick(watch)
        thread.join(0.25)
    if watch.error is not None:
        raise watch.error
    return watch.result


def plan_week(studio: Studio, settings: Settings, time_limit: float, tick: Callable[[SolveWatch], None]) -> Solution:
    return run_in_background(lambda w: solve(studio, settings, time_limit=time_limit, progress=w.on_progress),
                             time_limit, tick)


def replan_week(studio: Studio, previous: pd.DataFrame, call_out: CallOut, settings: Settings, time_limit: float,
                tick: Callable[[SolveWatch], None]) -> Solution:
    """Re-plan a call-out from saved rows (hosts and assistant_ids): the previous assistants are kept where
    they still fit, like the hosts."""
    return run_in_background(
        lambda w: replan(studio, previous[["slot_id", "host_id", "reason"]], call_out, settings, time_limit=time_limit,
                         progress=w.on_progress, previous_assistants=assistants_of(previous)),
        time_limit, tick)
