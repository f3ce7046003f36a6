"""When a host can stream: dated windows, a weekly template and exceptions, turned into one set of windows.

A studio may keep availability three ways at once: dated windows (availability.csv), a weekly template
(availability_template.csv: "Tuesdays 17:00-02:00") and exceptions (availability_exceptions.csv: time
off, or an extra window). The scheduler only sees dated windows, so the template is expanded on every day
of the period, extras are added, time off is cut out, and windows that overlap or touch are merged (a slot
must lie inside one window, so two touching windows count as one). Times are the studio's naive local
times: a day is 24 hours, so clock changes need no special case.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import numpy as np
import pandas as pd

from contract import HOSTS, DataError, Problem, Table, check_references, parse_table
from contract.folder import StudioTables
from contract.schemas import AVAILABILITY_TEMPLATE, WEEKDAYS
from contract.tables import DAY_MINUTES, time_minutes

DAY = pd.Timedelta(days=1)
COLUMNS = ["host_id", "start", "end"]


def read_checked(raw: pd.DataFrame, table: Table, host_ids: Iterable[str]) -> pd.DataFrame:
    """Cells of availability.csv, the template or the exceptions (read from a file or edited in the app) ->
    the typed frame (template times written HH:MM). One DataError lists every bad cell and unknown host
    together, so a person fixes them in one pass."""
    problems: list[Problem] = []
    typed = None
    try:
        typed = parse_table(raw, table)
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
    crosses midnight into first_day. Times must be checked (parse_table of AVAILABILITY_TEMPLATE)."""
    first = pd.Timestamp(first_day).normalize()
    days = pd.date_range(first - DAY, pd.Timestamp(last_day).normalize(), freq="D")
    calendar = pd.DataFrame({"day": days.astype("datetime64[ns]"),
                             "weekday": pd.Series(np.asarray(WEEKDAYS)[days.day_of_week], dtype="str")})
    rows = template[["host_id", "weekday", "start", "end"]].merge(calendar, on="weekday")
    start = pd.to_timedelta(rows["start"].map(time_minutes).astype("int64"), unit="m")
    end = pd.to_timedelta(rows["end"].map(time_minutes).astype("int64") % DAY_MINUTES, unit="m")  # 24:00 = 00:00
    end = end.where(end > start, end + DAY)  # at or before the start: it ends the next day
    found = _frame(rows["host_id"], rows["day"] + start, rows["day"] + end)
    return found[found["end"] > first].sort_values(COLUMNS, ignore_index=True)


def availability_windows(dated: pd.DataFrame, template: pd.DataFrame | None, exceptions: pd.DataFrame | None,
                         first_day: date | str | None, last_day: date | str | None) -> pd.DataFrame:
    """Dated windows + the template on the days of the period + extras - time off, merged where they overlap
    or touch: an availability.csv-shaped frame (host_id, start, end) sorted by host and start.

    Without a period (no first_day or last_day) the template adds nothing. Time off and extras apply wherever
    they fall.
    A template time that is not HH:MM is a DataError naming its row and column.
    """
    parts = [_frame(dated["host_id"], dated["start"], dated["end"])]
    if template is not None and len(template) and first_day is not None and last_day is not None:
        parts.append(expand_template(parse_table(template, AVAILABILITY_TEMPLATE), first_day, last_day))
    off = _frame(pd.Series(dtype="str"), pd.Series(dtype="datetime64[ns]"), pd.Series(dtype="datetime64[ns]"))
    if exceptions is not None and len(exceptions):
        extra = exceptions["change"] == "extra"
        parts.append(_frame(exceptions.loc[extra, "host_id"], exceptions.loc[extra, "start"],
                            exceptions.loc[extra, "end"]))
        off = _frame(exceptions.loc[~extra, "host_id"], exceptions.loc[~extra, "start"], exceptions.loc[~extra, "end"])
    return covered_minus(pd.concat(parts, ignore_index=True), off)


def windows_for_slots(tables: StudioTables, slots: pd.DataFrame) -> pd.DataFrame:
    """The availability the scheduler checks `slots` against, from a studio's tables.

    Without a template or exceptions this is availability.csv exactly as given; with them, the template is
    expanded over the days the slots start on.
    """
    dated, template, exceptions = tables.availability, tables.availability_template, tables.availability_exceptions
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


def without_availability(host_ids: Iterable[str], dated: pd.DataFrame, template: pd.DataFrame,
                         exceptions: pd.DataFrame) -> list[str]:
    """The hosts of `host_ids` with no dated window, no template shift and no extra window, in the order given:
    the optimiser can give them no slot in any week."""
    extras = exceptions.loc[exceptions["change"] == "extra", "host_id"]
    some_time = {*dated["host_id"], *template["host_id"], *extras}
    return [host_id for host_id in host_ids if host_id not in some_time]
