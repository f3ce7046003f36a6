"""The sample studio's weekly availability template and the planned week's exceptions.

Most hosts keep a regular pattern: the shift they work most often, on the weekdays they work it, is their
template. The planned week then has the exceptions a live ops associate really meets: a whole day off, an
appointment that cuts a shift in two, a weekend away, and two hosts who offer an extra shift on a day off.
Time off never touches a slot locked to that host, so the sample week stays plannable.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from contract.schemas import WEEKDAYS

REGULAR_DAYS = 3  # a shift worked on at least this many days of the week is the host's pattern
DAY = pd.Timedelta(days=1)


def roster_template(rng: np.random.Generator, availability: pd.DataFrame, slots: pd.DataFrame,
                    week_start: np.datetime64 | str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(availability_template.csv, availability_exceptions.csv) frames from the generated dated windows
    and the slot calendar (for its locks); exceptions fall in the week starting `week_start`, each
    with its own host."""
    monday = pd.Timestamp(week_start).normalize()
    week = availability[(availability["start"] >= monday) & (availability["start"] < monday + 7 * DAY)]
    template = regular_shifts(week)
    locked = slots[slots["locked_host_id"].astype("str") != ""]
    regular = template["host_id"].unique()
    candidates = [str(regular[i]) for i in rng.permutation(len(regular))]
    makers = [
        lambda h: _day_off(template, h, monday, locked, rng),
        lambda h: _appointment(template, h, monday, locked, rng),
        lambda h: _weekend_away(h, monday, locked),
        lambda h: _extra_shift(template, week, h, monday, "covering for a colleague"),
        lambda h: _extra_shift(template, week, h, monday, "offered an extra shift"),
    ]
    exceptions = []
    for make in makers:  # each exception goes to the next host for whom it is possible
        while candidates:
            found = make(candidates.pop(0))
            if found is not None:
                exceptions.append(found)
                break
    if not exceptions:  # a roster too small or irregular for any exception
        return template, _exception("", pd.NaT, pd.NaT, "", "").iloc[:0]
    return template, pd.concat(exceptions, ignore_index=True).sort_values(["host_id", "start"], ignore_index=True)


def regular_shifts(windows: pd.DataFrame) -> pd.DataFrame:
    """Per host, its most frequent shift (start and end time of day) on every weekday it works it, when it
    works it on at least REGULAR_DAYS days; hosts without such a pattern keep only dated windows."""
    shifts = pd.DataFrame({
        "host_id": windows["host_id"].astype("str"),
        "weekday": pd.Series(np.asarray(WEEKDAYS)[windows["start"].dt.day_of_week], index=windows.index, dtype="str"),
        "start": windows["start"].dt.strftime("%H:%M"),
        "end": windows["end"].dt.strftime("%H:%M"),
    })
    counts = shifts.groupby(["host_id", "start", "end"], as_index=False).size()
    counts = counts.sort_values(["host_id", "size", "start"], ascending=[True, False, True])
    favourite = counts.drop_duplicates("host_id")
    favourite = favourite[favourite["size"] >= REGULAR_DAYS][["host_id", "start", "end"]]
    template = shifts.merge(favourite, on=["host_id", "start", "end"]).drop_duplicates()
    weekday_order = template["weekday"].map({d: i for i, d in enumerate(WEEKDAYS)})
    template = template.assign(order=weekday_order).sort_values(["host_id", "order"]).drop(columns="order")
    return template[["host_id", "weekday", "start", "end"]].reset_index(drop=True)


def _windows_on(template: pd.DataFrame, host: str, monday: pd.Timestamp) -> pd.DataFrame:
    """The host's template windows as dated windows of the week (an end at or before the start: next day)."""
    rows = template[template["host_id"] == host]
    day = monday + pd.to_timedelta(rows["weekday"].map({d: i for i, d in enumerate(WEEKDAYS)}), unit="D")
    start = day + pd.to_timedelta(rows["start"] + ":00")
    end = day + pd.to_timedelta(rows["end"] + ":00")
    end = end.where(end > start, end + DAY)
    return pd.DataFrame({"start": start, "end": end}).reset_index(drop=True)


def _free_of_locks(host: str, start: pd.Timestamp, end: pd.Timestamp, locked: pd.DataFrame) -> bool:
    mine = locked[locked["locked_host_id"] == host]
    return not ((mine["start"] < end) & (mine["end"] > start)).any()


def _exception(host: str, start: pd.Timestamp, end: pd.Timestamp, change: str, note: str) -> pd.DataFrame:
    return pd.DataFrame({"host_id": pd.Series([host], dtype="str"), "start": pd.Series([start], dtype="datetime64[ns]"),
                         "end": pd.Series([end], dtype="datetime64[ns]"), "change": pd.Series([change], dtype="str"),
                         "note": pd.Series([note], dtype="str")})


def _day_off(template: pd.DataFrame, host: str, monday: pd.Timestamp, locked: pd.DataFrame,
             rng: np.random.Generator) -> pd.DataFrame | None:
    """A whole calendar day off on one of the host's template days."""
    days = [w.normalize() for w in _windows_on(template, host, monday)["start"]]
    days = [d for d in days if _free_of_locks(host, d, d + DAY, locked)]
    if not days:
        return None
    day = days[rng.integers(len(days))]
    return _exception(host, day, day + DAY, "time off", "family event")


def _appointment(template: pd.DataFrame, host: str, monday: pd.Timestamp, locked: pd.DataFrame,
                 rng: np.random.Generator) -> pd.DataFrame | None:
    """Two hours off in the middle of one template shift, which cuts it in two."""
    shifts = _windows_on(template, host, monday)
    middle = [s + (e - s) / 2 for s, e in zip(shifts["start"], shifts["end"])]
    starts = [m.floor("h") - pd.Timedelta(hours=1) for m in middle]
    starts = [s for s in starts if _free_of_locks(host, s, s + pd.Timedelta(hours=2), locked)]
    if not starts:
        return None
    start = starts[rng.integers(len(starts))]
    return _exception(host, start, start + pd.Timedelta(hours=2), "time off", "doctor's appointment")


def _weekend_away(host: str, monday: pd.Timestamp, locked: pd.DataFrame) -> pd.DataFrame | None:
    """Saturday and Sunday off."""
    start, end = monday + 5 * DAY, monday + 7 * DAY
    if not _free_of_locks(host, start, end, locked):
        return None
    return _exception(host, start, end, "time off", "wedding out of town")


def _extra_shift(template: pd.DataFrame, week: pd.DataFrame, host: str, monday: pd.Timestamp,
                 note: str) -> pd.DataFrame | None:
    """The host's usual shift on the first day of the week with no window of theirs at all."""
    usual = template[template["host_id"] == host].iloc[0]
    busy = {s.normalize() for s in week.loc[week["host_id"] == host, "start"]}
    day = next((monday + d * DAY for d in range(7) if monday + d * DAY not in busy), None)
    if day is None:
        return None
    start = day + pd.to_timedelta(usual["start"] + ":00")
    end = day + pd.to_timedelta(usual["end"] + ":00")
    return _exception(host, start, end if end > start else end + DAY, "extra", note)
