"""Availability from dated windows, a weekly template and exceptions: hand-checked cases and a property test
against a quarter-hour oracle."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contract import AVAILABILITY, DataError, parse_table
from contract.folder import StudioTables
from contract.schemas import AVAILABILITY_EXCEPTIONS, AVAILABILITY_TEMPLATE, WEEKDAYS
from contract.tables import time_minutes
from scheduler.availability import availability_windows, covered_minus, expand_template, read_checked, windows_for_slots

MONDAY, SUNDAY = "2026-11-30", "2026-12-06"  # the planned week 2026-W49


def template(*rows: tuple[str, str, str, str]) -> pd.DataFrame:
    frame = pd.DataFrame(rows or None, columns=["host_id", "weekday", "start", "end"], dtype="str")
    return parse_table(frame, AVAILABILITY_TEMPLATE)


def exceptions(*rows: tuple[str, str, str, str]) -> pd.DataFrame:
    frame = pd.DataFrame(rows or None, columns=["host_id", "start", "end", "change"], dtype="str")
    return parse_table(frame, AVAILABILITY_EXCEPTIONS)


def windows(*rows: tuple[str, str, str]) -> pd.DataFrame:
    return parse_table(pd.DataFrame(rows or None, columns=["host_id", "start", "end"], dtype="str"), AVAILABILITY)


def week(dated=(), weekly=(), changes=()) -> list[tuple[str, str, str]]:
    """The availability of W49 as (host, start, end) text, to compare with hand-written expectations."""
    found = availability_windows(windows(*dated), template(*weekly), exceptions(*changes), MONDAY, SUNDAY)
    return [(h, f"{s:%a %d %H:%M}", f"{e:%a %d %H:%M}") for h, s, e in found.itertuples(index=False)]


def test_a_template_window_across_midnight_ends_the_next_day():
    assert week(weekly=[("H1", "Tue", "22:00", "02:00")]) == [("H1", "Tue 01 22:00", "Wed 02 02:00")]


def test_sundays_window_across_midnight_counts_on_the_first_monday_and_after_the_last_sunday():
    assert week(weekly=[("H1", "Sun", "23:00", "01:30")]) == [
        ("H1", "Sun 29 23:00", "Mon 30 01:30"), ("H1", "Sun 06 23:00", "Mon 07 01:30")]


def test_an_end_equal_to_the_start_is_a_whole_day_and_24_00_is_midnight():
    assert week(weekly=[("H1", "Wed", "06:00", "06:00"), ("H2", "Thu", "18:00", "24:00")]) == [
        ("H1", "Wed 02 06:00", "Thu 03 06:00"), ("H2", "Thu 03 18:00", "Fri 04 00:00")]


def test_time_off_cuts_a_window_in_two():
    assert week(weekly=[("H1", "Mon", "09:00", "17:00")],
                changes=[("H1", "2026-11-30T12:00", "2026-11-30T13:30", "time off")]) == [
        ("H1", "Mon 30 09:00", "Mon 30 12:00"), ("H1", "Mon 30 13:30", "Mon 30 17:00")]


def test_a_whole_day_off_removes_that_day_only():
    weekdays = [("H1", day, "09:00", "17:00") for day in ("Tue", "Wed", "Thu")]
    assert week(weekly=weekdays, changes=[("H1", "2026-12-02T00:00", "2026-12-03T00:00", "time off")]) == [
        ("H1", "Tue 01 09:00", "Tue 01 17:00"), ("H1", "Thu 03 09:00", "Thu 03 17:00")]


def test_time_off_also_removes_dated_windows_and_leaves_other_hosts_alone():
    assert week(dated=[("H1", "2026-12-05T10:00", "2026-12-05T18:00"), ("H2", "2026-12-05T10:00", "2026-12-05T18:00")],
                changes=[("H1", "2026-12-05T08:00", "2026-12-05T12:00", "time off")]) == [
        ("H1", "Sat 05 12:00", "Sat 05 18:00"), ("H2", "Sat 05 10:00", "Sat 05 18:00")]


def test_an_extra_window_on_a_day_without_template():
    assert week(weekly=[("H1", "Mon", "09:00", "17:00")],
                changes=[("H1", "2026-12-05T10:00", "2026-12-05T14:00", "extra")]) == [
        ("H1", "Mon 30 09:00", "Mon 30 17:00"), ("H1", "Sat 05 10:00", "Sat 05 14:00")]


def test_dated_template_and_extra_windows_that_overlap_or_touch_become_one():
    assert week(dated=[("H1", "2026-11-30T17:00", "2026-11-30T20:00")],
                weekly=[("H1", "Mon", "09:00", "17:00")],
                changes=[("H1", "2026-11-30T19:00", "2026-11-30T23:00", "extra")]) == [
        ("H1", "Mon 30 09:00", "Mon 30 23:00")]


def test_time_off_wins_over_an_extra_at_the_same_time():
    assert week(changes=[("H1", "2026-12-01T10:00", "2026-12-01T16:00", "extra"),
                         ("H1", "2026-12-01T12:00", "2026-12-01T20:00", "time off")]) == [
        ("H1", "Tue 01 10:00", "Tue 01 12:00")]


def test_the_day_clocks_go_back_is_24_hours_like_any_other():
    # US clocks go back on Sunday 2026-11-01; the studio's times are naive local times, so nothing shifts.
    found = availability_windows(windows(), template(("H1", "Sun", "00:00", "06:00")), None,
                                 "2026-10-26", "2026-11-01")
    assert list(found.itertuples(index=False)) == [
        ("H1", pd.Timestamp("2026-11-01T00:00"), pd.Timestamp("2026-11-01T06:00"))]


def test_without_a_period_the_template_adds_nothing():
    found = availability_windows(windows(("H1", "2026-12-01T10:00", "2026-12-01T12:00")),
                                 template(("H1", "Tue", "09:00", "17:00")), None, None, None)
    assert found.values.tolist() == [["H1", pd.Timestamp("2026-12-01T10:00"), pd.Timestamp("2026-12-01T12:00")]]


def test_a_studio_without_template_or_exceptions_keeps_its_windows_exactly():
    dated = windows(("H1", "2026-12-01T10:00", "2026-12-01T12:00"), ("H1", "2026-12-01T12:00", "2026-12-01T14:00"))
    slots = pd.DataFrame({"start": pd.to_datetime(["2026-12-01T10:00"])})
    assert windows_for_slots(StudioTables(availability=dated), slots) is dated
    empty = StudioTables(availability=dated, availability_template=template(), availability_exceptions=exceptions())
    assert windows_for_slots(empty, slots) is dated


def test_windows_for_slots_expands_over_the_days_the_slots_start_on():
    tables = StudioTables(availability=windows(), availability_template=template(("H1", "Wed", "09:00", "17:00")))
    slots = pd.DataFrame({"start": pd.to_datetime(["2026-12-01T19:00", "2026-12-03T10:00"])})
    found = windows_for_slots(tables, slots)
    assert found["start"].dt.strftime("%a %d").tolist() == ["Wed 02"]


def test_result_has_the_availability_columns_and_types():
    found = availability_windows(windows(), template(("H1", "Mon", "09:00", "10:00")), None, MONDAY, SUNDAY)
    assert list(found.columns) == ["host_id", "start", "end"]
    assert found["host_id"].dtype == "str" and found["start"].dtype == "datetime64[ns]"
    empty = covered_minus(windows(), windows())
    assert empty.empty and list(empty.dtypes.astype("str")) == ["str", "datetime64[ns]", "datetime64[ns]"]


@pytest.mark.parametrize("text, minutes", [
    ("09:30", 570), ("9:30", 570), ("09:30:00", 570), (" 09:30 ", 570), ("00:00", 0), ("23:59", 1439),
    ("24:00", 1440), ("24:01", None), ("25:00", None), ("09:60", None), ("9h30", None), ("", None),
    ("09:30:15", None),
])
def test_time_of_day(text, minutes):
    assert time_minutes(text) == minutes


def test_bad_template_times_are_named_by_file_row_and_column():
    frame = pd.DataFrame({"host_id": ["H1", "H2", "H3", "H4"], "weekday": ["Mon", "tue", "Wed", "Thu"],
                          "start": ["9:00", "25:00", "10:00", "24:00"], "end": ["17:00", "18:00", "noon", "24:00"]},
                         dtype="str")
    with pytest.raises(DataError) as err:
        parse_table(frame, AVAILABILITY_TEMPLATE)
    assert str(err.value).splitlines() == [
        "availability_template.csv, row 3, column start: '25:00' is not a time of day like 09:30 (00:00 to 23:59)",
        "availability_template.csv, row 5, column start: '24:00' is not a time of day like 09:30 (00:00 to 23:59)",
        "availability_template.csv, row 4, column end: 'noon' is not a time of day like 09:30 (00:00 to 24:00)"]


def test_template_times_are_written_hh_mm_and_24_00_ends_at_midnight():
    parsed = template(("H1", "Mon", "9:00", "24:00"), ("H1", "Tue", "22:00:00", "2:00"))
    assert parsed[["start", "end"]].values.tolist() == [["09:00", "24:00"], ["22:00", "02:00"]]
    found = expand_template(parsed, MONDAY, SUNDAY)
    assert found[["start", "end"]].astype("str").values.tolist() == [
        ["2026-11-30 09:00:00", "2026-12-01 00:00:00"], ["2026-12-01 22:00:00", "2026-12-02 02:00:00"]]


def test_every_problem_of_an_edited_template_is_listed_at_once():
    edited = pd.DataFrame({"host_id": ["H9", "H1", "H1"], "weekday": ["Mon", "Funday", "Tue"],
                           "start": ["09:00", "7:61", "10:00"], "end": ["17:00", "12:00", "14:00"]}, dtype="str")
    with pytest.raises(DataError) as err:
        read_checked(edited, AVAILABILITY_TEMPLATE, ["H1"])
    assert [(p.row, p.column) for p in err.value.problems] == [(2, "host_id"), (3, "start"), (3, "weekday")]
    fixed = read_checked(edited.iloc[[2]], AVAILABILITY_TEMPLATE, ["H1"])
    assert fixed.values.tolist() == [["H1", "Tue", "10:00", "14:00"]]


def test_expand_template_on_each_day_of_a_fortnight():
    found = expand_template(template(("H1", "Fri", "10:00", "12:00")), "2026-11-30", "2026-12-13")
    assert found["start"].astype("str").tolist() == ["2026-12-04 10:00:00", "2026-12-11 10:00:00"]


# --- property: the result is exactly (dated + template + extras) - time off, at quarter-hour resolution ------
QUARTER = 15
DAYS = 7
ORIGIN = pd.Timestamp(MONDAY) - pd.Timedelta(days=1)  # the Sunday before: its template may reach into Monday
SPAN = (DAYS + 4) * 24 * 60 // QUARTER  # quarter hours from ORIGIN to past the last window's end
HOSTS = ("H1", "H2")

quarters = st.integers(0, 24 * 60 // QUARTER - 1)
template_rows = st.tuples(st.sampled_from(HOSTS), st.sampled_from(WEEKDAYS), quarters, quarters)
dated_rows = st.tuples(st.sampled_from(HOSTS), st.integers(0, (DAYS + 1) * 96), st.integers(1, 48))
exception_rows = st.tuples(st.sampled_from(HOSTS), st.integers(0, (DAYS + 1) * 96), st.integers(1, 200),
                           st.sampled_from(("time off", "extra")))


def _at(quarter: int) -> str:
    return f"{ORIGIN + pd.Timedelta(minutes=QUARTER * quarter):%Y-%m-%dT%H:%M}"


def _hhmm(quarter: int) -> str:
    return f"{quarter * QUARTER // 60:02d}:{quarter * QUARTER % 60:02d}"


def _oracle(dated, weekly, changes) -> dict[str, np.ndarray]:
    """Quarter hours each host is available, marked one by one from the rules in plain words."""
    can = {h: np.zeros(SPAN, dtype=bool) for h in HOSTS}
    off = {h: np.zeros(SPAN, dtype=bool) for h in HOSTS}
    for host, start, length in dated:
        can[host][start:start + length] = True
    for host, weekday, start, end in weekly:
        for day in range(DAYS + 1):  # day 0 is the Sunday before: only a window that reaches into Monday
            stop = end if end > start else end + 96
            if WEEKDAYS[(day - 1) % 7] == weekday and (day > 0 or stop > 96):
                can[host][day * 96 + start:day * 96 + stop] = True
    for host, start, length, change in changes:
        (can if change == "extra" else off)[host][start:start + length] = True
    return {h: can[h] & ~off[h] for h in HOSTS}


def _marked(found: pd.DataFrame) -> dict[str, np.ndarray]:
    marks = {h: np.zeros(SPAN, dtype=bool) for h in HOSTS}
    step = pd.Timedelta(minutes=QUARTER)
    for host, start, end in found.itertuples(index=False):
        marks[host][(start - ORIGIN) // step:(end - ORIGIN) // step] = True
    return marks


@settings(max_examples=60, deadline=None)
@given(st.lists(dated_rows, max_size=4), st.lists(template_rows, max_size=6), st.lists(exception_rows, max_size=5))
def test_availability_is_exactly_the_windows_minus_time_off(dated, weekly, changes):
    found = availability_windows(
        windows(*[(h, _at(s), _at(s + n)) for h, s, n in dated]),
        template(*[(h, d, _hhmm(s), _hhmm(e)) for h, d, s, e in weekly]),
        exceptions(*[(h, _at(s), _at(s + n), c) for h, s, n, c in changes]), MONDAY, SUNDAY)
    expected, marks = _oracle(dated, weekly, changes), _marked(found)
    for host in HOSTS:
        assert (marks[host] == expected[host]).all(), host
    time_off = [(h, s, s + n) for h, s, n, c in changes if c == "time off"]
    for host, start, end in found.itertuples(index=False):  # never inside time off, even by a minute
        assert not any(h == host and _at(s) < f"{end:%Y-%m-%dT%H:%M}" and f"{start:%Y-%m-%dT%H:%M}" < _at(e)
                       for h, s, e in time_off)
    for _host, rows in found.groupby("host_id"):  # merged: sorted, and a gap between consecutive windows
        assert (rows["start"] < rows["end"]).all()
        assert (rows["start"].iloc[1:].to_numpy() > rows["end"].iloc[:-1].to_numpy()).all()
