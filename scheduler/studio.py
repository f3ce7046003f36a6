"""The studio to staff: roster, availability, slot calendar and (optionally) past sessions, checked together."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from contract import AVAILABILITY, SLOTS, DataError, Problem, check_references
from contract.people import person_label
from contract.weeks import week_labels
from forecast import Forecast, fit_forecast
from scheduler.settings import Settings

SECOND = np.timedelta64(1, "s")


def forecast_of(hosts: pd.DataFrame, sessions: pd.DataFrame | None, slots: pd.DataFrame | None,
                past_slots: pd.DataFrame | None = None) -> Forecast:
    """The forecast a studio of these frames learns: its sessions, described by the slots they filled."""
    known = [f for f in (past_slots, slots) if f is not None and len(f)]
    return fit_forecast(sessions, hosts, pd.concat(known, ignore_index=True) if known else None)


@dataclass(frozen=True)
class SlotTimes:
    """Slot times as integers, so rules compare numbers: seconds since the first slot's day, day and week."""

    start: np.ndarray  # int64 seconds
    end: np.ndarray
    minutes: np.ndarray  # live minutes per slot, rounded
    day: np.ndarray  # int day number of the start (the day a slot belongs to)
    week: np.ndarray  # ISO week label of the start, e.g. "2026-W49"


@dataclass(frozen=True)
class TimeLists:
    """SlotTimes as Python lists: a loop that reads one slot at a time reads lists several times faster."""

    start: list[int]
    end: list[int]
    minutes: list[int]
    day: list[int]
    week: list[str]


@dataclass(frozen=True, eq=False)
class Studio:
    """Validated contract frames; `hosts` holds hosts and production assistants (column `role`)."""

    hosts: pd.DataFrame
    availability: pd.DataFrame
    slots: pd.DataFrame
    sessions: pd.DataFrame | None = None
    past_slots: pd.DataFrame | None = None  # slots past sessions filled, which describe what those streams sold

    @classmethod
    def from_frames(cls, hosts: pd.DataFrame, availability: pd.DataFrame, slots: pd.DataFrame,
                    sessions: pd.DataFrame | None = None, settings: Settings | None = None,
                    past_slots: pd.DataFrame | None = None, forecast: Forecast | None = None) -> Studio:
        """Build from frames that contract.parse_table returned; checks the references between files and rooms,
        and gives every slot whose expected_gmv is empty the forecast's value (column `gmv_forecast` says which).
        `forecast` is one the caller has already fitted on these hosts, sessions and slots (`forecast_of`): a week
        built again with other locks or availability learns nothing new from its results."""
        settings = settings or Settings()
        known = hosts["host_id"].astype("str")
        check_references(availability, "host_id", known, AVAILABILITY, "hosts.csv")
        check_references(slots, "locked_host_id", known, SLOTS, "hosts.csv", allow_empty=True)
        studio = cls(hosts.reset_index(drop=True), availability.reset_index(drop=True),
                     slots.reset_index(drop=True), None if sessions is None else sessions.reset_index(drop=True),
                     past_slots)
        check_rooms(studio, settings)
        return (studio if forecast is None else studio._knowing(forecast)).with_expected_gmv(settings)

    @cached_property
    def forecast(self) -> Forecast:
        """Slot values and host effects learnt from the sessions (empty without results)."""
        return forecast_of(self.hosts, self.sessions, self.slots, self.past_slots)

    def _knowing(self, forecast: Forecast) -> Studio:
        """This studio with its forecast already fitted (the cached property is filled, not computed)."""
        self.__dict__["forecast"] = forecast
        return self

    def with_expected_gmv(self, settings: Settings) -> Studio:
        """This studio with empty expected_gmv cells forecast (or 0 where the setting is off or no result
        exists); `gmv_forecast` marks the slots whose value came from the forecast."""
        typed = self.slots["expected_gmv"] if "expected_gmv" in self.slots.columns else None
        empty = (np.ones(len(self.slots), dtype=bool) if typed is None else typed.isna().to_numpy())
        forecast = settings.forecast_expected_gmv and empty.any() and not self.forecast.empty
        values = (self.forecast.slot_values(self.slots)["expected_gmv"].to_numpy() if forecast
                  else np.zeros(len(self.slots)))
        known = np.zeros(len(self.slots)) if typed is None else typed.fillna(0.0).to_numpy(dtype=float)
        slots = self.slots.assign(expected_gmv=np.where(empty, values, known), gmv_forecast=empty & forecast)
        valued = Studio(self.hosts, self.availability, slots, self.sessions, self.past_slots)
        return valued._knowing(self.__dict__["forecast"]) if "forecast" in self.__dict__ else valued

    @cached_property
    def times(self) -> SlotTimes:
        return slot_times(self.slots)

    @cached_property
    def time_lists(self) -> TimeLists:
        times = self.times
        return TimeLists(times.start.tolist(), times.end.tolist(), times.minutes.tolist(), times.day.tolist(),
                         times.week.tolist())

    @cached_property
    def host_index(self) -> dict[str, int]:
        return {h: i for i, h in enumerate(self.hosts["host_id"])}

    @cached_property
    def is_assistant(self) -> np.ndarray:
        return (self.hosts["role"] == "assistant").to_numpy()

    def host_label(self, host_id: str) -> str:
        """'Ana Ruiz (H003)': how people recognise a host in a message."""
        row = self.host_index.get(host_id)
        return person_label(host_id, None if row is None else self.hosts.at[row, "name"])


def slot_times(slots: pd.DataFrame) -> SlotTimes:
    """Integer times of each slot; the epoch is midnight of the earliest slot's day."""
    start = slots["start"].to_numpy(dtype="datetime64[s]")
    end = slots["end"].to_numpy(dtype="datetime64[s]")
    epoch = start.min().astype("datetime64[D]") if len(start) else np.datetime64("2000-01-01", "D")
    start_s = ((start - epoch) // SECOND).astype(np.int64)
    end_s = ((end - epoch) // SECOND).astype(np.int64)
    minutes = np.rint((end_s - start_s) / 60).astype(np.int64)
    day = ((start.astype("datetime64[D]") - epoch) // np.timedelta64(1, "D")).astype(np.int64)
    week = week_labels(slots["start"]).to_numpy(dtype=object)
    return SlotTimes(start_s, end_s, minutes, day, week)


def check_rooms(studio: Studio, settings: Settings) -> None:
    """Two slots in one room must not overlap and must leave the changeover between them (a calendar error)."""
    slots = studio.slots
    times = studio.times
    problems = []
    rooms = slots["room"].str.strip()
    for room, rows in rooms[rooms != ""].groupby(rooms[rooms != ""]).groups.items():
        order = sorted(rows, key=lambda r: (times.start[r], times.end[r]))
        before = order[0]  # the slot so far that ends last
        for after in order[1:]:
            gap = times.start[after] - times.end[before]
            if gap < settings.changeover_seconds:
                what = ("overlaps" if gap < 0
                        else f"leaves less than the {settings.changeover_minutes} min changeover after")
                problems.append(Problem(
                    SLOTS.file, int(after) + 2, "room",
                    f"slot {slots.at[after, 'slot_id']} in room '{room}' {what} slot {slots.at[before, 'slot_id']} "
                    f"(row {int(before) + 2}); a room holds one stream at a time"))
            if times.end[after] > times.end[before]:
                before = after
    if problems:
        raise DataError(problems)
