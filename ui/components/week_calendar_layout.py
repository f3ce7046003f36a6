"""Where each slot of a week sits in the Schedule page's calendar, and the calendar as HTML, without Streamlit.

Days are columns and each channel, room or host is a lane (a row). In a channel or room lane the blocks sit on a
clock that runs from the week's earliest show to its latest, so a long show looks long and a gap looks like a gap;
a host's lane lists that host's shows of the day in order instead, which keeps a roster of twenty-five readable.
A slot running past midnight stays on the day it starts. Each block carries its slot id (`data-slot`), by which a
click on it opens the slot (ui.components.week_calendar). Every text from data is escaped here.
"""
from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

LANES = {"channel": "channel", "room": "room", "host": "host"}  # what a lane is -> the slots' column naming it
TIER_COLOURS = {"hero": "#7c3aed", "core": "#2563eb", "longtail": "#94a3b8"}
UNSTAFFED_COLOUR = "#dc2626"
OTHER_TIER_COLOUR = "#64748b"
DARK_TEXT_TIERS = {"longtail"}  # light blocks take dark text
UNSTAFFED_LANE = "unstaffed"
LOCK_ICON = ('<svg class="wk-lock" viewBox="0 0 10 12" aria-label="locked">'
             '<rect x="1" y="5" width="8" height="7" rx="1" fill="currentColor"/>'
             '<path d="M3 5V3.5a2 2 0 0 1 4 0V5" fill="none" stroke="currentColor" stroke-width="1.4"/>'
             "</svg>")  # drawn, not an emoji: every browser has it
LINE_PX = 13  # one line of block text
MIN_HOUR_PX, MAX_HOUR_PX = 18, 48


@dataclass(frozen=True)
class Block:
    """One slot as drawn: its lane and day, where it sits on the day's clock (percent of the lane's height) and
    beside which overlapping blocks (`column` of `columns`), and what it says."""

    slot_id: str
    lane: str
    day: date
    top: float
    height: float
    column: int
    columns: int
    time: str
    label: str
    colour: str
    dark_text: bool
    locked: bool
    unstaffed: bool
    hover: str


@dataclass(frozen=True)
class WeekLayout:
    """The calendar's grid: its days, lanes in order, the clock's first and last hour (the last may pass 24),
    the pixels per hour, and every block; `timeline` False lists a lane's blocks of a day in order. A `planned`
    week's blocks open their slot when clicked; before a plan there is nothing to open."""

    days: list[date]
    lanes: list[str]
    first_hour: int
    last_hour: int
    hour_px: int
    blocks: list[Block]
    timeline: bool
    planned: bool

    @property
    def lane_px(self) -> int:
        return (self.last_hour - self.first_hour) * self.hour_px

    def hour_labels(self) -> list[tuple[int, str]]:
        """(pixels from the top, "HH") for each whole hour of the clock but the last."""
        return [((hour - self.first_hour) * self.hour_px, f"{hour % 24:02d}")
                for hour in range(self.first_hour, self.last_hour)]


def week_layout(slots: pd.DataFrame, saved: pd.DataFrame | None, names: dict[str, str], lanes: str) -> WeekLayout:
    """The week of `slots` (slot_id, channel, start, end, product_tier, category, language, expected_gmv and room
    for room lanes) staffed as `saved` says (slot_id, host_id and optionally locked, assistant_ids, reason; None
    before a plan), with one lane per `lanes` ("channel", "room" or "host")."""
    frame = _staffed(slots, saved)
    starts, ends = frame["start"], frame["end"]
    day_of = starts.dt.normalize()
    from_midnight = (starts - day_of).dt.total_seconds() / 3600
    to_end = (ends - day_of).dt.total_seconds() / 3600
    first_hour = math.floor(from_midnight.min()) if len(frame) else 0
    last_hour = max(math.ceil(to_end.max()) if len(frame) else 24, first_hour + 1)
    shortest = float((to_end - from_midnight).min()) if len(frame) else 1.0
    hour_px = min(max(math.ceil((2 * LINE_PX + 2) / max(shortest, 1e-9)), MIN_HOUR_PX), MAX_HOUR_PX)
    span = last_hour - first_hour
    lane_of = _lane_names(frame, names, lanes)
    monday = (day_of.min() - pd.Timedelta(days=int(day_of.min().weekday()))).date() if len(frame) else None
    days = [monday + timedelta(days=i) for i in range(7)] if monday else []
    top = (from_midnight - first_hour) / span * 100
    height = (to_end - from_midnight) / span * 100
    places = _side_by_side(pd.DataFrame({"lane": lane_of, "day": day_of, "start": starts, "end": ends}))
    dark = [saved is not None and not h for h in frame["host_id"]]
    blocks = [Block(slot_id=row.slot_id, lane=lane, day=day.date(), top=round(t, 3), height=round(h, 3),
                    column=column, columns=columns, time=f"{row.start:%H:%M}–{row.end:%H:%M}",
                    label=_label(row, names, lanes, unstaffed), colour=_colour(row, unstaffed),
                    dark_text=not unstaffed and row.product_tier in DARK_TEXT_TIERS,
                    locked=bool(row.locked and row.host_id), unstaffed=unstaffed, hover=_hover(row, names, unstaffed))
              for row, lane, day, t, h, (column, columns), unstaffed
              in zip(frame.itertuples(index=False), lane_of, day_of, top, height, places, dark)]
    return WeekLayout(days=days, lanes=_lane_order(lane_of, lanes), first_hour=first_hour, last_hour=last_hour,
                      hour_px=hour_px, blocks=blocks, timeline=lanes != "host", planned=saved is not None)


def _staffed(slots: pd.DataFrame, saved: pd.DataFrame | None) -> pd.DataFrame:
    """The slots in time order with host_id, locked, assistant_ids and reason ("" and False where unknown)."""
    kept = [c for c in ("slot_id", "host_id", "locked", "assistant_ids", "reason") if saved is not None and c in saved]
    frame = slots.merge(saved[kept], on="slot_id", how="left") if kept else slots.copy()
    for column in ("host_id", "assistant_ids", "reason", "room"):
        values = frame[column] if column in frame else pd.Series("", index=frame.index)
        frame[column] = values.astype("object").where(values.notna(), "").astype("str")
    locked = frame["locked"] if "locked" in frame else pd.Series(False, index=frame.index)
    frame["locked"] = locked.astype("object").where(locked.notna(), False).astype(bool)
    return frame.sort_values("start", kind="stable").reset_index(drop=True)  # ties keep the slots' own order


def _lane_names(frame: pd.DataFrame, names: dict[str, str], lanes: str) -> list[str]:
    if lanes == "host":
        return [(names.get(h) or h) if h else UNSTAFFED_LANE for h in frame["host_id"]]
    return frame[LANES[lanes]].fillna("").astype("str").tolist()


def _lane_order(lane_of: list[str], lanes: str) -> list[str]:
    """By name, numbers in a name counted as numbers (Studio 2 before Studio 10); in host lanes the unstaffed last."""
    seen = sorted(set(lane_of), key=lambda lane: [int(part) if part.isdigit() else part.lower()
                                                  for part in re.split(r"(\d+)", lane)])
    if lanes != "host":
        return seen
    return [lane for lane in seen if lane != UNSTAFFED_LANE] + [lane for lane in seen if lane == UNSTAFFED_LANE]


def _side_by_side(frame: pd.DataFrame) -> list[tuple[int, int]]:
    """(column, columns) per slot: slots of one lane and day that overlap share its width, each in a column of
    its own; a run of slots that overlap one another takes as many columns as it needs at once."""
    places: list[tuple[int, int]] = [(0, 1)] * len(frame)
    for _, group in frame.groupby(["lane", "day"], sort=False):
        run: list[int] = []
        run_end = None
        column_ends: list[pd.Timestamp] = []
        for index, start, end in zip(group.index, group["start"], group["end"]):
            if run_end is not None and start >= run_end:
                _close(run, column_ends, places)
                run, column_ends = [], []
            column = next((i for i, free_at in enumerate(column_ends) if free_at <= start), len(column_ends))
            if column == len(column_ends):
                column_ends.append(end)
            else:
                column_ends[column] = end
            places[index] = (column, 0)
            run.append(index)
            run_end = end if run_end is None or end > run_end else run_end
        _close(run, column_ends, places)
    return places


def _close(run: list[int], column_ends: list, places: list[tuple[int, int]]) -> None:
    for index in run:
        places[index] = (places[index][0], len(column_ends))


def _label(row, names: dict[str, str], lanes: str, unstaffed: bool) -> str:
    """What the block says under its time: the host's name (the channel in a host's own lane), "unstaffed" when
    the plan leaves it dark, "not planned yet" before there is a plan."""
    if lanes == "host":
        return str(row.channel)
    if row.host_id:
        return names.get(row.host_id) or row.host_id
    return "unstaffed" if unstaffed else "not planned yet"


def tier_colour(tier: str) -> str:
    return TIER_COLOURS.get(tier, OTHER_TIER_COLOUR)


def _colour(row, unstaffed: bool) -> str:
    return UNSTAFFED_COLOUR if unstaffed else tier_colour(row.product_tier)


def _hover(row, names: dict[str, str], unstaffed: bool) -> str:
    """The block's tooltip, line by line: why an unstaffed slot stays dark first."""
    when = f"{row.start:%a %d %b %H:%M}–{row.end:%H:%M}"
    crew = ", ".join(names.get(i) or i for i in row.assistant_ids.split("|") if i) or "none"
    if row.host_id:
        host = f"host {names.get(row.host_id) or row.host_id} ({row.host_id})" + (", locked" if row.locked else "")
        first = []
    else:
        host = "host: nobody"
        first = [f"Unstaffed: {row.reason}" if row.reason else "Unstaffed"] if unstaffed else []
    where = f"{when} · {row.channel}" + (f" · {row.room}" if row.room else "")
    return "\n".join([*first, where, host, f"assistants {crew}",
                      f"{row.product_tier} · {row.category} · {row.language} · expected GMV {row.expected_gmv:,.0f}",
                      f"slot {row.slot_id}"])


def calendar_html(layout: WeekLayout) -> str:
    """The week as one HTML block (styles included), every text escaped; one line, so markdown leaves it alone."""
    if not layout.blocks:
        return '<div class="wk-empty">No slots this week.</div>'
    by_cell: dict[tuple[str, date], list[Block]] = {}
    for block in layout.blocks:
        by_cell.setdefault((block.lane, block.day), []).append(block)
    lane_html = _timeline_lane if layout.timeline else _list_lane
    head = "".join(f'<div class="wk-day">{day:%a %d %b}</div>' for day in layout.days)
    return "".join([_CSS.replace("\n", " "), f'<div class="wk{"" if layout.timeline else " wk-by-host"}">',
                    f'<div class="wk-row wk-head"><div></div>{head}</div>',
                    *(lane_html(layout, lane, [by_cell.get((lane, day), []) for day in layout.days])
                      for lane in layout.lanes),
                    "</div>"])


def _count(days: list[list[Block]]) -> str:
    """"43 slots, 11 unstaffed": what a lane holds."""
    mine = [block for blocks in days for block in blocks]
    dark = sum(block.unstaffed for block in mine)
    return f"{len(mine)} slot{'s' if len(mine) != 1 else ''}" + (f", {dark} unstaffed" if dark else "")


def _timeline_lane(layout: WeekLayout, lane: str, days: list[list[Block]]) -> str:
    """The lane's name over its row: the clock's hours, then each day with its blocks where they fall."""
    ticks = "".join(f'<span style="top:{px}px">{label}</span>' for px, label in layout.hour_labels())
    cell = f'<div class="wk-cell" style="height:{layout.lane_px}px;background-size:100% {layout.hour_px}px">'
    cells = "".join(cell + "".join(_block_html(block, True, layout.planned) for block in blocks) + "</div>"
                    for blocks in days)
    return (f'<div class="wk-lane"><b>{html.escape(lane)}</b> · {_count(days)}</div><div class="wk-row">'
            f'<div class="wk-hours" style="height:{layout.lane_px}px">{ticks}</div>{cells}</div>')


def _list_lane(layout: WeekLayout, lane: str, days: list[list[Block]]) -> str:
    """The lane's name beside each day's blocks, listed in time order."""
    cells = "".join('<div class="wk-cell wk-list">'
                    + "".join(_block_html(block, False, layout.planned) for block in blocks) + "</div>"
                    for blocks in days)
    return (f'<div class="wk-row"><div class="wk-who"><b>{html.escape(lane)}</b><br>{_count(days)}</div>'
            f"{cells}</div>")


def _block_html(block: Block, timeline: bool, opens: bool) -> str:
    classes = "wk-slot" + (" wk-dark" if block.dark_text else "") + (" wk-unstaffed" if block.unstaffed else "")
    style = f"background:{block.colour};"
    if timeline:
        width = 100 / block.columns
        style += (f"top:{block.top:g}%;height:{block.height:g}%;"
                  f"left:calc({block.column * width:g}% + 2px);width:calc({width:g}% - 4px);")
    lock = f" {LOCK_ICON}" if block.locked else ""
    tooltip = html.escape(block.hover, quote=True).replace("\n", "&#10;")
    slot = html.escape(block.slot_id, quote=True)  # ui.components.week_calendar opens the slot clicked by it
    click = f' data-slot="{slot}" role="button" tabindex="0"' if opens else ""
    return (f'<div class="{classes}" style="{style}" title="{tooltip}"{click}>'
            f'<span class="wk-time">{html.escape(block.time)}{lock}</span> '
            f'<span class="wk-name">{html.escape(block.label)}</span></div>')


_CSS = """<style>
.wk {font-size: 11px; line-height: 13px; color: #0f172a;}
.wk-row {display: grid; grid-template-columns: 2.2rem repeat(7, minmax(0, 1fr)); column-gap: 4px;}
.wk-head {position: sticky; top: 3.75rem; z-index: 2; background: #fff; border-bottom: 1px solid #e2e8f0;}
.wk-day {font-weight: 600; font-size: 12px; padding: 4px 2px;}
.wk-lane {margin: 10px 0 3px 2.2rem; font-size: 12px; color: #334155;}
.wk-hours {position: relative; color: #64748b; font-size: 10px;}
.wk-hours span {position: absolute; right: 3px; transform: translateY(-1px);}
.wk-cell {position: relative; border-radius: 6px; background-color: #f8fafc;
          background-image: linear-gradient(to bottom, #e2e8f0 1px, transparent 1px);}
.wk-by-host .wk-row {grid-template-columns: 9rem repeat(7, minmax(0, 1fr)); margin-bottom: 3px;}
.wk-who {font-size: 11px; color: #475569; padding: 2px 0;}
.wk-who b {color: #0f172a;}
.wk-lock {width: 9px; height: 11px; vertical-align: -1px;}
.wk-list {display: flex; flex-direction: column; gap: 2px; padding: 2px; min-height: 20px;}
.wk-slot {position: absolute; box-sizing: border-box; overflow: hidden; border-radius: 4px; padding: 1px 4px;
          color: #fff; cursor: default;}
.wk-slot[data-slot] {cursor: pointer;}
.wk-slot[data-slot]:hover, .wk-slot[data-slot]:focus-visible {outline: 2px solid #0f172a; outline-offset: -1px;}
.wk-list .wk-slot {position: static;}
.wk-slot.wk-dark {color: #0f172a;}
.wk-slot.wk-unstaffed {background-image: repeating-linear-gradient(135deg, transparent 0 6px,
          rgba(255, 255, 255, .18) 6px 12px);}
.wk-time {font-weight: 600; white-space: nowrap;}
.wk-name {white-space: nowrap;}
.wk-empty {color: #64748b;}
</style>"""
