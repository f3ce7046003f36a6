"""The week the scheduler will see, as HTML without Streamlit: one row per host, one column per day, and in each
day the host's windows as bars on a clock that runs from the week's earliest hour to its latest.

A window is what ui.services.availability_week gives: "available" (what the scheduler uses), or the exception that
shaped it, "time off" or "extra", drawn over the windows. A window running past midnight is drawn on both days.
Every text from data is escaped here.
"""
from __future__ import annotations

import html
import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from contract.people import person_label

COLOURS = {"available": "#1f9d55", "extra": "#2563eb", "time off": "#f87171"}  # in drawing order: exceptions on top
GRID_HOURS = 6  # a faint line every six hours


@dataclass(frozen=True)
class Bar:
    """One window's piece on one day: where it sits in the day's cell (percent of its width) and what it says."""

    day: date
    left: float
    width: float
    shown: str
    hover: str


@dataclass(frozen=True)
class HostRow:
    host_id: str
    label: str
    hours: float
    bars: list[Bar]


@dataclass(frozen=True)
class AvailabilityLayout:
    """The grid: its seven days, the day's clock (first and last hour), and a row per host who can stream."""

    days: list[date]
    first_hour: int
    last_hour: int
    rows: list[HostRow]


def availability_layout(frame: pd.DataFrame, names: Mapping[str, str], monday: date) -> AvailabilityLayout | None:
    """The week from `monday` of `frame` (host_id, start, end, shown, note, clipped to the week); None when nobody
    can stream in it. Hosts come in the order of their ids, each with the hours they can stream."""
    pieces = _by_day(frame)
    available = pieces[pieces["shown"] == "available"]
    if available.empty:
        return None
    hours = ((available["end"] - available["start"]).dt.total_seconds() / 3600).groupby(available["host_id"]).sum()
    pieces = pieces[pieces["host_id"].isin(hours.index)]
    from_midnight = (pieces["start"] - pieces["day"]).dt.total_seconds() / 3600
    to_end = (pieces["end"] - pieces["day"]).dt.total_seconds() / 3600
    first_hour = int(math.floor(from_midnight.min()))
    last_hour = max(int(math.ceil(to_end.max())), first_hour + 1)
    span = last_hour - first_hour
    order = {shown: rank for rank, shown in enumerate(COLOURS)}
    pieces = pieces.assign(left=(from_midnight - first_hour) / span * 100, width=(to_end - from_midnight) / span * 100,
                           rank=pieces["shown"].map(order).fillna(len(order)))
    rows = []
    for host_id, mine in pieces.sort_values(["host_id", "rank", "start"]).groupby("host_id", sort=True):
        label = person_label(host_id, names.get(host_id))
        rows.append(HostRow(host_id=host_id, label=label, hours=float(hours[host_id]), bars=[
            Bar(day=row.day.date(), left=round(row.left, 3), width=round(row.width, 3), shown=row.shown,
                hover=_hover(label, row)) for row in mine.itertuples(index=False)]))
    return AvailabilityLayout(days=[monday + timedelta(days=i) for i in range(7)], first_hour=first_hour,
                              last_hour=last_hour, rows=rows)


def _by_day(frame: pd.DataFrame) -> pd.DataFrame:
    """Each window cut at midnight into one piece per day it touches (`day`: that day's midnight); the piece keeps
    the whole window's start and end for its tooltip."""
    frame = frame.assign(whole_start=frame["start"], whole_end=frame["end"],
                         note=frame["note"].fillna("").astype("str"))
    pieces = []
    for offset in range(8):  # a window is clipped to the week: seven midnights at most inside it
        day = frame["start"].dt.normalize() + pd.Timedelta(days=offset)
        inside = frame[(day < frame["end"]) & (day + pd.Timedelta(days=1) > frame["start"])]
        if inside.empty:
            continue
        day = day[inside.index]
        pieces.append(inside.assign(day=day, start=inside["start"].where(inside["start"] > day, day),
                                    end=inside["end"].where(inside["end"] < day + pd.Timedelta(days=1),
                                                            day + pd.Timedelta(days=1))))
    if not pieces:
        return frame.assign(day=frame["start"])
    return pd.concat(pieces, ignore_index=True)


def _hover(label: str, row) -> str:
    same_day = row.whole_start.normalize() == (row.whole_end - pd.Timedelta(minutes=1)).normalize()
    end = f"{row.whole_end:%H:%M}" if same_day else f"{row.whole_end:%a %d %b %H:%M}"
    return "\n".join([label, f"{row.shown} {row.whole_start:%a %d %b %H:%M}–{end}", *([row.note] if row.note else [])])


def availability_html(layout: AvailabilityLayout) -> str:
    """The week as one HTML block (styles included), every text escaped; one line, so markdown leaves it alone."""
    grid = 100 * GRID_HOURS / (layout.last_hour - layout.first_hour)
    head = "".join(f'<div class="av-day">{day:%a %d %b}</div>' for day in layout.days)
    rows = "".join(_row_html(layout, row, grid) for row in layout.rows)
    return "".join([_CSS.replace("\n", " "), _legend(layout), '<div class="av">',
                    f'<div class="av-row av-head"><div></div>{head}</div>', rows, "</div>"])


def _legend(layout: AvailabilityLayout) -> str:
    keys = "".join(f'<i style="background:{colour}"></i>{html.escape(shown)}' for shown, colour in COLOURS.items())
    clock = f"each day from {layout.first_hour:02d}:00 to {layout.last_hour:02d}:00, a line every {GRID_HOURS} hours"
    return f'<div class="av-legend">{keys}<span>{html.escape(clock)}</span></div>'


def _row_html(layout: AvailabilityLayout, row: HostRow, grid: float) -> str:
    by_day: dict[date, list[Bar]] = {}
    for bar in row.bars:
        by_day.setdefault(bar.day, []).append(bar)
    cells = "".join(f'<div class="av-cell" style="background-size:{grid:g}% 100%">'
                    + "".join(_bar_html(bar) for bar in by_day.get(day, [])) + "</div>" for day in layout.days)
    return (f'<div class="av-row"><div class="av-who" title="{html.escape(row.label, quote=True)}">'
            f"<b>{html.escape(row.label)}</b> · {row.hours:.0f} h</div>{cells}</div>")


def _bar_html(bar: Bar) -> str:
    over = "" if bar.shown == "available" else " av-over"
    tooltip = html.escape(bar.hover, quote=True).replace("\n", "&#10;")
    return (f'<div class="av-bar{over}" style="left:{bar.left:g}%;width:{bar.width:g}%;'
            f'background:{COLOURS.get(bar.shown, "#64748b")}" title="{tooltip}"></div>')


_CSS = """<style>
.av {font-size: 11px; line-height: 13px; color: #0f172a;}
.av-row {display: grid; grid-template-columns: 11rem repeat(7, minmax(0, 1fr)); column-gap: 4px; margin-bottom: 3px;}
.av-head {position: sticky; top: 3.75rem; z-index: 2; background: #fff; border-bottom: 1px solid #e2e8f0;}
.av-day {font-weight: 600; font-size: 12px; padding: 4px 2px;}
.av-who {white-space: nowrap; overflow: hidden; text-overflow: ellipsis; color: #475569; padding: 3px 0;}
.av-who b {color: #0f172a; font-weight: 600;}
.av-cell {position: relative; height: 18px; border-radius: 4px; background-color: #f8fafc;
          background-image: linear-gradient(to right, #e2e8f0 1px, transparent 1px);}
.av-bar {position: absolute; top: 2px; bottom: 2px; border-radius: 3px; min-width: 2px;}
.av-bar.av-over {top: 5px; bottom: 5px; background-image: repeating-linear-gradient(135deg, transparent 0 4px,
          rgba(255, 255, 255, .35) 4px 8px);}
.av-legend {margin: 0 0 6px 0; font-size: 11px; color: #475569;}
.av-legend i {display: inline-block; width: .7rem; height: .7rem; border-radius: 2px; margin: 0 .3rem 0 .9rem;
          vertical-align: -1px;}
.av-legend i:first-child {margin-left: 0;}
.av-legend span {margin-left: 1.2rem;}
</style>"""
