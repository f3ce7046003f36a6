"""Dates and times typed by a person: ISO 8601 or refused with an example, never guessed."""
from datetime import date

import pandas as pd
import pytest

from contract.when import parse_iso_date, parse_iso_datetime, studio_now


def test_iso_dates_and_times_are_read():
    assert parse_iso_date("2026-12-10", "--from") == date(2026, 12, 10)
    assert parse_iso_date(" 2026-12-10 ", "--from") == date(2026, 12, 10)
    assert parse_iso_datetime("2026-12-10T12:00", "--from") == pd.Timestamp(2026, 12, 10, 12, 0)
    assert parse_iso_datetime("2026-12-10 12:00:30", "--from") == pd.Timestamp(2026, 12, 10, 12, 0, 30)
    assert parse_iso_datetime("2026-12-10", "--from") == pd.Timestamp(2026, 12, 10)  # a day is its midnight


@pytest.mark.parametrize("text", ["10/12/2026", "12/10/2026", "10-12-2026", "2026/12/10", "10 Dec 2026", "20261210",
                                  "2026-02-30", "2026-W50-4", "", "  "])
def test_anything_but_a_year_month_day_date_is_refused_with_an_example(text):
    with pytest.raises(ValueError, match=rf"^--to '{text}' is not a date written year-month-day like 2026-12-10$"):
        parse_iso_date(text, "--to")


@pytest.mark.parametrize("text", ["10/12/2026 12:00", "2026-12-10T12:00+01:00", "2026-12-10T12:00Z", "2026-12-10T25:00",
                                  "2026-12-10T12", "12:00", "tomorrow"])
def test_a_time_that_is_not_local_iso_is_refused_with_an_example(text):
    with pytest.raises(ValueError, match=r"is not a local date and time written like 2026-12-10T12:00"):
        parse_iso_datetime(text, "--from")


def test_the_studio_clock_has_no_offset_and_follows_the_zone():
    tokyo, los_angeles = studio_now("Asia/Tokyo"), studio_now("America/Los_Angeles")
    assert tokyo.tzinfo is None and tokyo.microsecond == 0
    assert round((tokyo - los_angeles) / pd.Timedelta(hours=1)) in (16, 17)  # 17 h when Los Angeles keeps summer time
