"""ISO week labels and days, the one way every library and page names a week (hand-checked on a calendar)."""
from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from contract.weeks import week_days, week_label, week_labels, week_monday, weeks_ending


def test_a_week_label_is_the_iso_year_and_week_of_the_moment():
    assert week_label(date(2026, 11, 30)) == "2026-W49"  # a Monday
    assert week_label(pd.Timestamp("2026-12-06 23:59")) == "2026-W49"  # its Sunday, late at night
    assert week_label(date(2027, 1, 1)) == "2026-W53"  # a Friday that belongs to the year before's last week
    assert week_label(date(2024, 12, 30)) == "2025-W01"  # a Monday that belongs to the next year's first week


def test_labels_column_wise_match_one_at_a_time():
    moments = pd.Series(pd.to_datetime(["2027-01-03 10:00", "2027-01-04 00:00", "2026-11-30 09:00"]))
    assert week_labels(moments).tolist() == ["2026-W53", "2027-W01", "2026-W49"]
    assert week_labels(pd.DatetimeIndex(moments)).tolist() == [week_label(m) for m in moments]


def test_a_weeks_days_run_monday_to_sunday():
    assert week_days("2026-W49") == (date(2026, 11, 30), date(2026, 12, 6))
    assert week_days("2026-W53") == (date(2026, 12, 28), date(2027, 1, 3))
    assert week_monday("2025-W01") == date(2024, 12, 30)


def test_weeks_ending_cross_the_year():
    assert weeks_ending("2027-W01", 3) == ["2026-W52", "2026-W53", "2027-W01"]
    assert weeks_ending("2026-W49", 1) == ["2026-W49"]


@pytest.mark.parametrize("bad", ["2026-48", "2026-W54", "2025-W53", "W48", "2026-w48", "", None])
def test_a_week_that_is_not_an_iso_week_is_a_clear_error(bad):
    with pytest.raises(ValueError, match="is not an ISO week written like 2026-W48"):
        week_monday(bad)
