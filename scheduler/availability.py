"""When a host can stream: dated windows, a weekly template and exceptions, turned into one set of windows.

A studio may keep availability three ways at once: dated windows (availability.csv), a weekly template
(availability_template.csv: "Tuesdays 17:00-02:00") and exceptions (availability_exceptions.csv: time
off, or an extra window). The scheduler only sees dated windows, so the template is expanded on every day
of the period, extras are added, time off is cut out, and windows that overlap or touch are merged (a slot
must lie inside one window, so two touching windows count as one). Times are the studio's naive local
times: a day is 24 hours, so clock changes need no special case.
"""
from __future__ import annotations

import re
from datetime import date
from typing import Iterable, Mapping

import numpy as np
import pandas as pd

from contract import HOSTS, DataError, Problem, Table, check_references, parse_table
from contract.schemas import AVAILABILITY_EXCEPTIONS, AVAILABILITY_TEMPLATE, WEEKDAYS

DAY = pd.Timedelta(days=1)
_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::00)?$")
COLUMNS = ["host_id", "start", "end"]


def time_minutes(text: str, end: bool = False) -> int | None:
    """Minutes after midnight of an 'HH:MM' time (also 'H:MM' and 'HH:MM:00'); None when it is not one.

    An end may be written 24:00 (midnight at the end of the day), which is the same as an end of 00:00.
    """
    found = _TIME.match(str(text).strip())
    if not found:
        return None
    hours, minutes = int(found.group(1)), int(found.group(2))
    if end and (hours, minutes) == (24, 0):
        return 0
    return hours * 60 + minutes if hours < 24 and minutes < 60 else None


def check_template(template: pd.DataFrame, file: str = AVAILABILITY_TEMPLATE.file) -> pd.DataFrame:
    """A template frame (from contract.parse_table) with its times written HH:MM; DataError names each bad
    time by file, row and column (rows as a spreadsheet numbers them, header = row 1)."""
    problems, out = [], template.copy()
    for column in ("start", "end"):
        minutes = [time_minutes(value, end=column == "end") for value in template[column].astype("str")]
        for row, (value, found) in enumerate(zip(template[column], minutes)):
            if found is None:
                problems.append(Problem(file, row + 2, column,
                                        f"'{value}' is not a time of day like 09:30 (00:00 to 23:59)"))
        out[column] = pd.Series([None if m is None else f"{m // 60:02d}:{m % 60:02d}" for m in minutes],
                                index=template.index, dtype="str")
    if problems:
        raise DataError(sorted(problems, key=lambda p: p.row))
    return out


def read_checked(raw: pd.DataFrame, table: Table, host_ids: Iterable[str]) -> pd.DataFrame:
    """Cells of availability.csv, the template or the exceptions (read from a file or edited in the app) ->
    the typed frame (template times written HH:MM). One DataError lists every bad cell, unknown host and bad
    time together, so a person fixes them in one pass."""
    problems: list[Problem] = []
    typed = None
    try:
        typed = parse_table(raw, table)
    except DataError as err:
        problems += err.problems
    if table.file == AVAILABILITY_TEMPLATE.file and {"start", "end"} <= set(raw.columns):
        try:
            times = check_template(raw.reset_index(drop=True), table.file)
            if typed is not None:
                typed = typed.assign(start=times["start"], end=times["end"])
        except DataError as err:
            problems += err.problems
    if "host_id" in raw.columns:  # also when other cells are bad, so every problem shows at once
        named = pd.DataFrame({"host_id": raw["host_id"].astype("str").str.strip().to_numpy()})
        try:
            check_references(named, "host_id", host_ids, table, HOSTS.file, allow_empty=True)  # empty: said above
        except DataError as err:
            problems += err.problems
    if problems:
        raise DataError(sorted(problems, key=lambda p: (p.row or 0, p.column or "")))
    return typed


def expand_template(template: pd.DataFrame, first_day: date | str, last_day: date | str) -> pd.DataFrame:
    """The template's windows on every day from first_day to last_day, and the window of the day before that
    crosses midnight into first_day. Times must be checked (check_template)."""
    first = pd.Timestamp(first_day).normalize()
    days = pd.date_range(first - DAY, pd.Timestamp(last_day).normalize(), freq="D")
    calendar = pd.DataFrame({"day": days.astype("datetime64[ns]"),
                             "weekday": pd.Series(np.asarray(WEEKDAYS)[days.day_of_week], dtype="str")})
    rows = template[["host_id", "weekday", "start", "end"]].merge(calendar, on="weekday")
    start = pd.to_timedelta(rows["start"].map(time_minutes).astype("int64"), unit="m")
    end = pd.to_timedelta(rows["end"].map(lambda t: time_minutes(t, end=True)).astype("int64"), unit="m")
    end = end.where(end > start, end + DAY)  # at or before the start: it ends the next day
    found = _frame(rows["host_id"], rows["day"] + start, rows["day"] + end)
    return found[found["end"] > first].sort_values(COLUMNS, ignore_index=True)


def availability_windows(dated: pd.DataFrame, template: pd.DataFrame | None, exceptions: pd.DataFrame | None,
                         first_day: date | str | None, last_day: date | str | None) -> pd.DataFrame:
    """Dated windows + the template on the days of the period + extras - time off, merged where they overlap
    or touch: an availability.csv-shaped frame (host_id, start, end) sorted by host and start.

    Without a period (first_day None) the template adds nothing. Time off and extras apply wherever they fall.
    A template time that is not HH:MM is a DataError naming its row and column.
    """
    parts = [_frame(dated["host_id"], dated["start"], dated["end"])]
    if template is not None and len(template) and first_day is not None:
        parts.append(expand_template(check_template(template), first_day, last_day))
    off = _frame(pd.Series(dtype="str"), pd.Series(dtype="datetime64[ns]"), pd.Series(dtype="datetime64[ns]"))
    if exceptions is not None and len(exceptions):
        extra = exceptions["change"] == "extra"
        parts.append(_frame(exceptions.loc[extra, "host_id"], exceptions.loc[extra, "start"],
                            exceptions.loc[extra, "end"]))
        off = _frame(exceptions.loc[~extra, "host_id"], exceptions.loc[~extra, "start"], exceptions.loc[~extra, "end"])
    return covered_minus(pd.concat(parts, ignore_index=True), off)


def windows_for_slots(frames: Mapping[str, pd.DataFrame], slots: pd.DataFrame) -> pd.DataFrame:
    """The availability the scheduler checks `slots` against, from a studio's frames keyed by file name.

    Without a template or exceptions this is availability.csv exactly as given; with them, the template is
    expanded over the days the slots start on.
    """
    dated = frames["availability.csv"]
    template = frames.get(AVAILABILITY_TEMPLATE.file)
    exceptions = frames.get(AVAILABILITY_EXCEPTIONS.file)
    if (template is None or template.empty) and (exceptions is None or exceptions.empty):
        return dated
    days = slots["start"].dt.normalize()
    first, last = (days.min(), days.max()) if len(slots) else (None, None)
    return availability_windows(dated, template, exceptions, first, last)


def covered_minus(add: pd.DataFrame, remove: pd.DataFrame) -> pd.DataFrame:
    """Per host, the time inside some window of `add` and inside no window of `remove`, as merged windows.

    One sweep over the start and end points: between two consecutive points of a host the number of `add`
    and `remove` windows open is constant, so each such piece is either kept whole or dropped whole.
    """
    points = pd.concat([
        _points(add, 1, 0), _points(add, -1, 0), _points(remove, 0, 1), _points(remove, 0, -1),
    ], ignore_index=True)
    if points.empty:
        return _frame(add["host_id"].iloc[:0], add["start"].iloc[:0], add["end"].iloc[:0])
    points = points.groupby(["host_id", "at"], sort=True, as_index=False)[["open", "off"]].sum()
    level = points.groupby("host_id")[["open", "off"]].cumsum()
    following = points.groupby("host_id")["at"].shift(-1)
    keep = ((level["open"] > 0) & (level["off"] == 0) & following.notna()).to_numpy()
    pieces = _frame(points.loc[keep, "host_id"], points.loc[keep, "at"], following[keep]).reset_index(drop=True)
    new_window = (pieces["host_id"] != pieces["host_id"].shift()) | (pieces["start"] != pieces["end"].shift())
    merged = pieces.groupby(new_window.cumsum()).agg(host_id=("host_id", "first"), start=("start", "min"),
                                                     end=("end", "max"))
    return _frame(merged["host_id"], merged["start"], merged["end"])


def _points(windows: pd.DataFrame, open_: int, off: int) -> pd.DataFrame:
    """The start (open_ or off is +1) or end (-1) points of windows, as sweep events."""
    at = windows["start"] if open_ + off > 0 else windows["end"]
    return pd.DataFrame({"host_id": windows["host_id"].to_numpy(), "at": at.to_numpy(),
                         "open": open_, "off": off})


def _frame(host_id: pd.Series, start: pd.Series, end: pd.Series) -> pd.DataFrame:
    return pd.DataFrame({"host_id": pd.Series(np.asarray(host_id, dtype=object), dtype="str"),
                         "start": pd.Series(np.asarray(start, dtype="datetime64[ns]")),
                         "end": pd.Series(np.asarray(end, dtype="datetime64[ns]"))})
