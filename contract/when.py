"""Dates and times typed by a person, and the studio's clock.

A date is read only when written the contract's way, ISO 8601 (`2026-12-10`, `2026-12-10T12:00`): a
day-first or month-first date such as `10/12/2026` means different days to different people, so it is
refused with an example instead of guessed. The same parser serves every command line and page.
"""
from __future__ import annotations

import argparse
import re
from collections.abc import Callable
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pandas as pd

from contract.weeks import week_monday

CONTRACT_TIME_ZONE = "America/Los_Angeles"  # the studio's zone when no setting says otherwise
DATE_EXAMPLE = "2026-12-10"
DATETIME_EXAMPLE = "2026-12-10T12:00"
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2})?)?")


def parse_iso_date(text: str, what: str) -> date:
    """`text` as a calendar day written 2026-12-10; anything else is a ValueError naming `what`."""
    cleaned = text.strip() if isinstance(text, str) else ""
    try:
        if not _DATE.fullmatch(cleaned):
            raise ValueError
        return date.fromisoformat(cleaned)
    except ValueError:
        raise ValueError(f"{what} '{text}' is not a date written year-month-day like {DATE_EXAMPLE}") from None


def parse_iso_datetime(text: str, what: str) -> pd.Timestamp:
    """`text` as a local time of the studio written 2026-12-10T12:00 (seconds optional; a bare day is its
    midnight); anything else, an offset included, is a ValueError naming `what`."""
    cleaned = text.strip() if isinstance(text, str) else ""
    try:
        if not _DATETIME.fullmatch(cleaned):
            raise ValueError
        return pd.Timestamp(datetime.fromisoformat(cleaned))
    except ValueError:
        raise ValueError(f"{what} '{text}' is not a local date and time written like {DATETIME_EXAMPLE} "
                         f"(or a day like {DATE_EXAMPLE})") from None


def date_option(text: str) -> date:
    """An argparse type: argparse puts the option's name before the message and exits with code 2."""
    return _option(parse_iso_date, text)


def datetime_option(text: str) -> pd.Timestamp:
    """An argparse type for a local date and time, refused like `date_option`."""
    return _option(parse_iso_datetime, text)


def week_option(text: str) -> str:
    """An argparse type for an ISO week written like 2026-W48, refused like `date_option`."""
    try:
        week_monday(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None
    return text


def _option(parse: Callable[[str, str], date | pd.Timestamp], text: str) -> date | pd.Timestamp:
    try:
        return parse(text, "")
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err).lstrip()) from None


def studio_now(time_zone: str) -> pd.Timestamp:
    """The studio's wall clock to the second, without an offset like every time of the contract."""
    return pd.Timestamp(datetime.now(ZoneInfo(time_zone)).replace(tzinfo=None, microsecond=0))
