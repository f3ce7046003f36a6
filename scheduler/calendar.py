"""The week's livestream calendar: each channel's recurring shows (show_templates.csv) made into one ISO week's
slots.csv, with the week's one-off shows, cancellations and moves (calendar_changes.csv), and checked.

Slot ids are readable and stable: `2026-W50-GLB-TUE-1900` is the week, the channel's code (the initials of
its name), the weekday and the start the show has in the template. Expanding a week again gives the same
ids, so importing the week twice changes nothing; a moved show keeps its id, so a plan or a session that
names it still finds it.

Times are the studio's local wall-clock times, as the contract says: a show at 19:00 is at 19:00 on the day
the clocks change, and a show belongs to the day (and week) it starts on.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from contract import SLOTS, DataError, Problem, parse_table, read_raw
from contract.folder import find_file, table_path
from contract.schemas import CALENDAR_CHANGES, SHOW_TEMPLATES, WEEKDAYS
from contract.tables import DAY_MINUTES, time_minutes
from contract.weeks import week_label, week_labels, week_monday
from scheduler.settings import Settings

SLOT_COLUMNS = [c.name for c in SLOTS.columns]
ISO = "%Y-%m-%dT%H:%M:%S"  # how slots.csv writes a local time
_FIELDS = ["product_tier", "category", "language", "room", "assistants_needed"]  # what a move may change
_SLOT_WEEK = re.compile(r"^(\d{4}-W\d{2})-")
_CODE_LENGTH = 4
# Two weeks in a row hold every pair of shows a template can make clash, the Sunday-night one too.
_TEMPLATE_WEEKS = ("2024-W01", "2024-W02")


def channel_codes(channels: Iterable[str]) -> dict[str, str]:
    """Each channel's short code for slot ids: the initials of its words and the capitals inside them
    ('GlowLab Beauty' -> 'GLB'), at most four; a name with fewer than two gives its first three letters.
    Channels whose codes collide are numbered in name order ('GLB', 'GLB2')."""
    codes: dict[str, str] = {}
    taken: set[str] = set()
    for name in sorted(set(channels)):
        code = _initials(name)
        candidate, number = code, 2
        while candidate in taken:
            candidate, number = f"{code}{number}", number + 1
        codes[name] = candidate
        taken.add(candidate)
    return codes


def _initials(name: str) -> str:
    words = ["".join(ch for ch in word if ch.isalnum()) for word in name.split()]
    letters = [word[0] + "".join(b for a, b in zip(word, word[1:]) if a.islower() and b.isupper())
               for word in words if word]
    code = "".join(letters).upper()[:_CODE_LENGTH]
    return code if len(code) >= 2 else "".join(ch for ch in name if ch.isalnum()).upper()[:3] or "CH"


def read_templates(raw: pd.DataFrame, settings: Settings | None = None) -> pd.DataFrame:
    """Cells of show_templates.csv (a file, or the app's editor) -> the typed templates, weekdays written
    Mon..Sun. A DataError names every bad cell by row and column, and every two shows that would clash in
    a week (one channel live twice at once, or one room holding two streams), both by row."""
    typed = _typed_templates(raw)
    slots = pd.concat([_template_slots(typed, week) for week in _TEMPLATE_WEEKS], ignore_index=True)
    in_second = (slots["_week"] == _TEMPLATE_WEEKS[1]).to_numpy()
    _raise_sorted(clashes(slots, in_second, settings or Settings(), with_ids=False))
    return typed


def _typed_templates(raw: pd.DataFrame) -> pd.DataFrame:
    """parse_table of the templates, with each weekday checked (any case) and written Mon..Sun; every bad
    cell is reported at once, in row order."""
    raw = _list_cells(raw)
    problems = _weekday_problems(raw["weekdays"]) if "weekdays" in raw else []
    try:
        typed = parse_table(raw, SHOW_TEMPLATES)
    except DataError as err:
        _raise_sorted(err.problems + problems)
    _raise_sorted(problems)
    canonical = {day.casefold(): day for day in WEEKDAYS}
    days = [tuple(canonical[day.casefold()] for day in listed) for listed in typed["weekdays"]]
    return typed.assign(weekdays=pd.Series(days, index=typed.index, dtype=object))


def _weekday_problems(cells: pd.Series) -> list[Problem]:
    """A weekdays cell naming something other than Mon..Sun (any case), or a day twice."""
    known = {day.casefold() for day in WEEKDAYS}
    problems = []
    for row, cell in enumerate(cells.astype("str"), start=2):
        listed = [day.strip() for day in cell.split("|") if day.strip()]
        bad = [day for day in listed if day.casefold() not in known]
        if bad:
            problems.append(Problem(SHOW_TEMPLATES.file, row, "weekdays",
                                    f"'{'|'.join(bad)}' is not a weekday; write days like Mon|Wed|Fri"))
        elif len({day.casefold() for day in listed}) < len(listed):
            problems.append(Problem(SHOW_TEMPLATES.file, row, "weekdays", f"'{cell}' names a day twice"))
    return problems


def _list_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """Weekdays given as tuples (templates read back from the store) written as the file writes them."""
    listed = frame["weekdays"].map(lambda v: isinstance(v, (tuple, list))) if "weekdays" in frame else None
    if listed is None or not listed.any():
        return frame
    return frame.assign(weekdays=[("|".join(v) if isinstance(v, (tuple, list)) else v) for v in frame["weekdays"]])


def week_slots(templates: pd.DataFrame, week: str, changes: pd.DataFrame | None = None,
               settings: Settings | None = None) -> pd.DataFrame:
    """slots.csv for one ISO week (written like 2026-W50): the templates' shows on their weekdays, then the
    week's changes (one-offs added, shows cancelled or moved), checked against the contract, each channel's
    own overlap and the room rule (settings' changeover between two streams of one room).

    `templates`: cells of show_templates.csv; `changes`: cells of calendar_changes.csv (rows of other weeks
    are checked, not applied). expected_gmv is left empty, for the forecast to fill; no slot is locked.
    """
    settings = settings or Settings()
    week_monday(week)  # a week written any other way is refused before anything else
    typed = read_templates(templates, settings)
    edits = _typed_changes(changes)
    slots, problems = _calendar(typed, edits, week)
    before, _ = _calendar(typed, edits, previous_week(week))  # its own problems are reported with its own week
    context = pd.concat([slots, before], ignore_index=True)
    in_week = np.arange(len(context)) < len(slots)
    _raise_sorted(problems + clashes(context, in_week, settings))
    return as_slots(slots)


def folder_week(data_dir: Path | str, week: str, settings: Settings | None = None) -> pd.DataFrame:
    """`week_slots` of a studio folder's show_templates.csv and, where it has one, calendar_changes.csv."""
    data_dir = Path(data_dir)
    week_monday(week)
    changes = find_file(data_dir, CALENDAR_CHANGES.file)
    return week_slots(read_raw(table_path(data_dir, SHOW_TEMPLATES), SHOW_TEMPLATES), week,
                      read_raw(changes, CALENDAR_CHANGES) if changes else None, settings)


def copy_week(slots: pd.DataFrame, from_week: str, to_week: str, settings: Settings | None = None) -> pd.DataFrame:
    """The slots of `from_week` (typed slots.csv rows; its one-offs and moves included) on the same weekdays
    and times of `to_week`, with the ids that week's expansion gives them; expected_gmv left empty, no lock.
    Copying again gives the same slots. Checked as `week_slots` is."""
    settings = settings or Settings()
    shift = week_monday(to_week) - week_monday(from_week)
    weeks = week_labels(slots["start"])
    source = slots.assign(_source=[f"{SLOTS.file} row {row}" for row in range(2, len(slots) + 2)],
                          _file=SLOTS.file, _row=np.arange(2, len(slots) + 2), _week=weeks)
    chosen = source[(weeks == from_week).to_numpy()]
    moved = chosen.drop(columns="slot_id").assign(start=chosen["start"] + shift, end=chosen["end"] + shift,
                                                  _week=to_week, expected_gmv=np.nan, locked_host_id="")
    copied = _with_ids(moved.reset_index(drop=True), to_week, channel_codes(moved["channel"]))
    before = source[(weeks == previous_week(to_week)).to_numpy()]
    context = pd.concat([copied, before], ignore_index=True)
    _raise_sorted(_repeated_ids(copied) + clashes(context, np.arange(len(context)) < len(copied), settings))
    return as_slots(copied)


def as_slots(slots: pd.DataFrame) -> pd.DataFrame:
    """The contract's slots.csv columns (note after them), sorted by start and channel, checked by the
    contract's own reader; expected_gmv stays empty where it is."""
    ordered = slots.sort_values(["start", "channel", "slot_id"], ignore_index=True)
    out = ordered.reindex(columns=SLOT_COLUMNS).assign(
        expected_gmv=lambda o: o["expected_gmv"].astype("float64"),
        locked_host_id=lambda o: o["locked_host_id"].astype(object).fillna("").astype("str"),
        assistants_needed=lambda o: o["assistants_needed"].astype("int64"),
        note=ordered["note"].astype(object).fillna("").astype("str") if "note" in ordered else "")
    parse_table(out, SLOTS)
    return out


def previous_week(week: str) -> str:
    """The ISO week before `week` ('2026-W49' of '2026-W50')."""
    return week_label(week_monday(week) - timedelta(weeks=1))


def _template_slots(typed: pd.DataFrame, week: str) -> pd.DataFrame:
    """One slot per template row and weekday of `week`, with its id and where it came from."""
    monday = pd.Timestamp(week_monday(week))
    shows = typed.assign(_row=np.arange(2, len(typed) + 2)).explode("weekdays")
    shows = shows[shows["weekdays"].notna()]
    day = monday + pd.to_timedelta(shows["weekdays"].map(WEEKDAYS.index).astype("int64"), unit="D")
    first = shows["start"].map(time_minutes).astype("int64")
    last = shows["end"].map(time_minutes).astype("int64")
    last = last.where(last > first, last + DAY_MINUTES)  # at or before the start: it ends the next day
    slots = shows.assign(start=day + pd.to_timedelta(first, unit="m"), end=day + pd.to_timedelta(last, unit="m"),
                         _file=SHOW_TEMPLATES.file, _week=week).drop(columns="weekdays")
    slots["_source"] = [f"{SHOW_TEMPLATES.file} row {row}" for row in slots["_row"]]
    return _with_ids(slots.reset_index(drop=True), week, channel_codes(typed["channel"]))


def _with_ids(slots: pd.DataFrame, week: str, codes: dict[str, str]) -> pd.DataFrame:
    """Each slot's id from its week, channel code, weekday and start; a slot given an id keeps it."""
    made = [f"{week}-{codes[channel]}-{_day(start).upper()}-{start:%H%M}"
            for channel, start in zip(slots["channel"], slots["start"])]
    given = slots["slot_id"].fillna("").astype("str") if "slot_id" in slots else pd.Series("", index=slots.index)
    return slots.assign(slot_id=given.where(given != "", pd.Series(made, index=slots.index, dtype="str")))


def read_stored_changes(raw: pd.DataFrame) -> pd.DataFrame:
    """Cells of calendar_changes.csv as the store keeps them: checked as `week_slots` checks them, and each
    added show naming its slot id, so a change is kept by the slot it makes (the Calendar page and
    `add_show` give the id)."""
    typed = _typed_changes(raw)
    _raise_sorted([Problem(CALENDAR_CHANGES.file, int(row), "slot_id",
                           "is empty; an added show kept in the store names the slot id it makes, like "
                           "2026-W50-AFG-THU-1800")
                   for row, change, slot_id in zip(typed["at_row"], typed["change"], typed["slot_id"])
                   if change == "add" and slot_id == ""])
    return typed.drop(columns="at_row")


def _typed_changes(changes: pd.DataFrame | None) -> pd.DataFrame:
    """parse_table of calendar_changes.csv, with what each kind of change needs checked by row and column."""
    raw = changes if changes is not None else pd.DataFrame(columns=["change"])
    typed = parse_table(raw, CALENDAR_CHANGES)[[c.name for c in CALENDAR_CHANGES.columns]]
    problems = []
    for position, change in enumerate(typed.itertuples(index=False)):
        problems += _change_problems(change, position + 2)
    _raise_sorted(problems)
    return typed.assign(at_row=np.arange(2, len(typed) + 2))


def _change_problems(change, row: int) -> list[Problem]:
    file = CALENDAR_CHANGES.file
    problems = []
    if change.change == "add":
        for name in ("channel", "start", "end", "product_tier", "category"):
            if _blank(getattr(change, name)):
                problems.append(Problem(file, row, name, "is empty; an added show needs it"))
    else:
        if change.slot_id == "":
            problems.append(Problem(file, row, "slot_id", f"is empty; a {change.change} names the slot's id"))
        elif not _SLOT_WEEK.match(change.slot_id):
            problems.append(Problem(file, row, "slot_id", f"'{change.slot_id}' does not start with its week; "
                                                          "slot ids look like 2026-W50-GLB-TUE-1900"))
        if _blank(change.start) != _blank(change.end):
            problems.append(Problem(file, row, "end" if _blank(change.end) else "start",
                                    "is empty; a move gives both start and end, or neither to keep the times"))
    return problems


def _blank(value) -> bool:
    return value is None or value is pd.NaT or (not isinstance(value, str) and pd.isna(value)) or value == ""


def _calendar(templates: pd.DataFrame, changes: pd.DataFrame, week: str) -> tuple[pd.DataFrame, list[Problem]]:
    """The week's slots with the week's changes applied, and the problems of those changes."""
    slots = _template_slots(templates, week)
    codes = channel_codes([*templates["channel"], *changes["channel"][changes["change"] == "add"]])
    problems: list[Problem] = []
    dropped: set[str] = set()
    for change in changes.itertuples(index=False):
        if change.change == "add" and week_label(change.start) == week:
            slots = pd.concat([slots, _added(change, week, codes, slots)], ignore_index=True)
        elif change.change != "add" and week_of_slot(change.slot_id) == week:
            problems += _edit(slots, change, week, dropped)
    return slots[~slots["slot_id"].isin(dropped)].reset_index(drop=True), problems + _repeated_ids(slots)


def week_of_slot(slot_id: str) -> str:
    """The ISO week a slot id starts with ('2026-W50' of 2026-W50-GLB-TUE-1900), or ''."""
    found = _SLOT_WEEK.match(slot_id)
    return found[1] if found else ""


def _added(change, week: str, codes: dict[str, str], slots: pd.DataFrame) -> pd.DataFrame:
    """A one-off show as a slot; its id, when the row gives none, is numbered when another slot has it."""
    show = {name: getattr(change, name) for name in ["channel", "start", "end", "product_tier", "category", "note"]}
    show.update(language=change.language or "en", room=change.room,
                assistants_needed=0 if pd.isna(change.assistants_needed) else int(change.assistants_needed),
                slot_id=change.slot_id, _file=CALENDAR_CHANGES.file, _row=change.at_row, _week=week,
                _source=f"{CALENDAR_CHANGES.file} row {change.at_row}")
    added = _with_ids(pd.DataFrame([show]), week, codes)
    if change.slot_id == "":
        base, number, taken = added.at[0, "slot_id"], 2, set(slots["slot_id"])
        while added.at[0, "slot_id"] in taken:
            added.at[0, "slot_id"], number = f"{base}-{number}", number + 1
    return added


def _edit(slots: pd.DataFrame, change, week: str, dropped: set[str]) -> list[Problem]:
    """Cancel or move the slot a change names (in place); a problem when the week has no such slot, or a
    move would take it out of its week."""
    file, row = CALENDAR_CHANGES.file, change.at_row
    found = np.flatnonzero((slots["slot_id"] == change.slot_id).to_numpy())
    if not len(found) or change.slot_id in dropped:
        return [Problem(file, row, "slot_id", f"'{change.slot_id}' is not a show of {week} "
                                              "(or an earlier change already cancelled it)")]
    at = found[0]
    if change.change == "cancel":
        dropped.add(change.slot_id)
        return []
    if not _blank(change.start):
        if week_label(change.start) != week:
            return [Problem(file, row, "start", f"{change.start:%Y-%m-%dT%H:%M} is not in {week}, the week of "
                                                f"{change.slot_id}; cancel it and add a show in the other week")]
        slots.loc[at, ["start", "end"]] = [change.start, change.end]
    for name in _FIELDS:
        value = getattr(change, name)
        if not _blank(value):
            slots.loc[at, name] = int(value) if name == "assistants_needed" else value
    slots.loc[at, ["_file", "_row", "_source"]] = [file, row, f"{file} row {row}"]
    return []


def _repeated_ids(slots: pd.DataFrame) -> list[Problem]:
    repeated = slots["slot_id"].duplicated(keep="first").to_numpy()
    first = slots.drop_duplicates("slot_id").set_index("slot_id")["_source"]
    return [Problem(slots.at[i, "_file"], int(slots.at[i, "_row"]), "slot_id",
                    f"makes slot {slots.at[i, 'slot_id']} a second time ({first[slots.at[i, 'slot_id']]} makes "
                    "it too); give the one-off its own slot_id")
            for i in np.flatnonzero(repeated)]


def clashes(slots: pd.DataFrame, judged: np.ndarray, settings: Settings, with_ids: bool = True) -> list[Problem]:
    """Two slots of one channel that overlap, and two slots of one room closer than the changeover, where the
    later one is `judged`; each problem is placed at the later slot's row and names both slots."""
    problems = []
    rules = (("channel", 0, "a channel is live once at a time"),
             ("room", settings.changeover_seconds,
              f"a room holds one stream at a time, with {settings.changeover_minutes} min between two"))
    for column, gap, why in rules:
        for earlier, later in _close_pairs(slots, column, gap):
            if judged[later]:
                problems.append(_clash(slots, earlier, later, column, why, with_ids))
    return problems


def _close_pairs(slots: pd.DataFrame, column: str, gap: int) -> list[tuple[int, int]]:
    """(earlier, later) positions of slots with the same non-empty `column` where the later starts less than
    `gap` seconds after the earlier ends; the earlier is the one so far that ends last."""
    keys = slots[column].fillna("").astype("str").str.strip()
    start = slots["start"].to_numpy(dtype="datetime64[s]").astype(np.int64)
    end = slots["end"].to_numpy(dtype="datetime64[s]").astype(np.int64)
    pairs = []
    for rows in keys[keys != ""].groupby(keys[keys != ""]).indices.values():
        order = sorted(rows, key=lambda r: (start[r], end[r]))
        last = order[0]
        for row in order[1:]:
            if start[row] - end[last] < gap:
                pairs.append((int(last), int(row)))
            if end[row] > end[last]:
                last = row
    return pairs


def _clash(slots: pd.DataFrame, earlier: int, later: int, column: str, why: str, with_ids: bool) -> Problem:
    first, second = slots.loc[earlier], slots.loc[later]
    what = "overlaps" if second["start"] < first["end"] else "starts too soon after"
    where = f"in room '{second['room']}'" if column == "room" else f"on {second['channel']}"
    return Problem(second["_file"], int(second["_row"]), "start" if column == "channel" else column,
                   f"{_label(second, with_ids)} {what} {_label(first, with_ids)} ({first['_source']}) {where}; {why}")


def _label(slot: pd.Series, with_ids: bool) -> str:
    """'2026-W50-GLB-TUE-1900 (GlowLab Beauty Tue 19:00-22:00)', or without the id for a template's show."""
    show = f"{slot['channel']} {_day(slot['start'])} {slot['start']:%H:%M}-{slot['end']:%H:%M}"
    return f"{slot['slot_id']} ({show})" if with_ids else show


def _day(moment: pd.Timestamp) -> str:
    """'Tue': the contract's weekday names, whatever the machine's language."""
    return WEEKDAYS[moment.weekday()]


_COLUMN_ORDER = {name: place for place, name in enumerate(
    dict.fromkeys(c.name for c in SHOW_TEMPLATES.columns + CALENDAR_CHANGES.columns))}


def _raise_sorted(problems: list[Problem]) -> None:
    """One DataError of every problem, by file, row and the column's place in the file."""
    if problems:
        raise DataError(sorted(problems, key=lambda p: (p.file, p.row or 0, _COLUMN_ORDER.get(p.column or "", 99))))
