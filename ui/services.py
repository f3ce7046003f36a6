"""Glue between the store and the libraries for the pages: which week, which studio, which saved plan.

Nothing here renders; pages call these functions and show what comes back.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Callable

import pandas as pd

from scheduler import CallOut, Plan, Settings, Studio, replan, solve
from scheduler.availability import windows_for_slots


def iso_week(stamps: pd.Series) -> pd.Series:
    """ISO week labels like 2026-W49 (Monday first), as the contract names weeks."""
    calendar = stamps.dt.isocalendar()
    return calendar["year"].astype("str") + "-W" + calendar["week"].astype("int").map("{:02d}".format)


def slot_weeks(slots: pd.DataFrame) -> list[str]:
    return sorted(iso_week(slots["start"]).unique().tolist()) if len(slots) else []


def week_studio(frames: dict[str, pd.DataFrame], week: str, saved: pd.DataFrame | None,
                settings: Settings) -> Studio:
    """The week's slots with the saved schedule's locks applied, ready for the scheduler."""
    slots = frames["slots.csv"]
    slots = slots[iso_week(slots["start"]) == week].reset_index(drop=True)
    if saved is not None and len(saved):
        locked = saved[saved["locked"] & (saved["host_id"] != "")].set_index("slot_id")["host_id"]
        slots = slots.assign(locked_host_id=slots["slot_id"].map(locked).fillna(slots["locked_host_id"]))
    return Studio.from_frames(frames["hosts.csv"], windows_for_slots(frames, slots), slots,
                              frames.get("sessions.csv"), settings)


def published_plan(store, frames: dict[str, pd.DataFrame]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The slots of every published week and their assignments, to attribute imported streams to hosts."""
    slots = frames["slots.csv"]
    published = [store.schedule(week, "published") for week in slot_weeks(slots)]
    rows = [assignments for found in published if found for assignments in [found[1]]]
    assignments = (pd.concat(rows, ignore_index=True) if rows
                   else pd.DataFrame({"slot_id": pd.Series(dtype="str"), "host_id": pd.Series(dtype="str")}))
    return slots, assignments[["slot_id", "host_id"]]


def with_locks(plan_assignments: pd.DataFrame, studio: Studio) -> pd.DataFrame:
    """The plan's rows with a `locked` flag: a slot is locked where slots.csv or the schedule fixed its host."""
    locked = studio.slots.set_index("slot_id")["locked_host_id"].astype("str")
    frame = plan_assignments.copy()
    frame["locked"] = frame["slot_id"].map(locked).fillna("").ne("")
    return frame


@dataclass
class SolveWatch:
    """Progress of a solve running in a worker thread, read by the page to draw a progress bar."""

    time_limit: float
    started: float = field(default_factory=time.monotonic)
    objective: float | None = None
    result: Plan | None = None
    error: BaseException | None = None

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def on_progress(self, seconds: float, objective: float, bound: float) -> None:
        self.objective = objective


def run_in_background(work: Callable[[SolveWatch], Plan], time_limit: float,
                      tick: Callable[[SolveWatch], None]) -> Plan:
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


def plan_week(studio: Studio, settings: Settings, time_limit: float, tick: Callable[[SolveWatch], None]) -> Plan:
    return run_in_background(lambda w: solve(studio, settings, time_limit=time_limit, progress=w.on_progress),
                             time_limit, tick)


def replan_week(studio: Studio, previous: pd.DataFrame, call_out: CallOut, settings: Settings, time_limit: float,
                tick: Callable[[SolveWatch], None]) -> Plan:
    return run_in_background(
        lambda w: replan(studio, previous, call_out, settings, time_limit=time_limit, progress=w.on_progress),
        time_limit, tick)
