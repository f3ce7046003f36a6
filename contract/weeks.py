"""ISO weeks as the contract names them ('2026-W49', Monday first): a week's label from a moment in it, and
its days from its label. One place, so the scheduler, the scorecards, the store and the pages agree."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pandas as pd

_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")


def week_label(moment: date | pd.Timestamp) -> str:
    """'2026-W48' for a day or a moment of that ISO week."""
    year, week, _ = moment.isocalendar()
    return f"{year}-W{week:02d}"


def week_labels(moments: pd.Series | pd.DatetimeIndex) -> pd.Series:
    """Each moment's ISO week label, computed column-wise (a Series in the same order as `moments`)."""
    iso = moments.isocalendar() if isinstance(moments, pd.DatetimeIndex) else moments.dt.isocalendar()
    return iso["year"].astype("str") + "-W" + iso["week"].astype("str").str.zfill(2)


def week_monday(week: str) -> date:
    """The Monday of an ISO week written like 2026-W48; anything else is a ValueError that says so."""
    found = _WEEK.match(week) if isinstance(week, str) else None
    try:
        if not found:
            raise ValueError
        return date.fromisocalendar(int(found[1]), int(found[2]), 1)
    except ValueError:
        raise ValueError(f"week '{week}' is not an ISO week written like 2026-W48") from None


def week_days(week: str) -> tuple[date, date]:
    """Monday and Sunday of an ISO week such as 2026-W48."""
    monday = week_monday(week)
    return monday, monday + timedelta(days=6)


def weeks_ending(week: str, count: int) -> list[str]:
    """The `count` ISO week labels ending with `week`, oldest first (2027-W01 is preceded by 2026-W53)."""
    monday = week_monday(week)
    return [week_label(monday - timedelta(weeks=back)) for back in range(count - 1, -1, -1)]
