"""TikTok Shop's LIVE performance export (`Creator-Live-Performance_<timestamp>.xlsx`) as contract sessions.

The export is one sheet `performance_detail`: row 1 the period (`2026-07-01 ~ 2026-09-17`), row 2 empty,
row 3 the header, then one row per LIVE room. Every cell is text, numbers included, so each column is
parsed by its own rule and a cell that fits none is refused with its sheet row and column header; nothing
is guessed. Accepted cell forms:

- Room ID: digits, kept as text (19-digit ids do not survive a float).
- Times: `2026-07-04 20:01:54` (or with `T`), the studio's local time.
- Durations: `0h19m`, `2h05m`, `45m`, `1h`, `1m 5s`, `65s`, `1h 2m 3s`, `00:01:05` (H:MM:SS), and a bare
  number as seconds (`65`, as the export writes a viewing duration). `01:05` is refused: it may be M:SS or H:MM.
- Money: a currency symbol before or after (`$6,830.01`, `6,830,000.01₫`); `,` groups thousands in threes
  and `.` marks decimals, so `1.234,56` or `1,23` is refused as ambiguous. One currency per file.
- Counts: `1,234` or `1234`. Rates: `4.38247%` -> 0.0438247 (may exceed 100 %).
- Empty cells: TikTok leaves a ratio empty when its denominator was 0; it stays empty (NaN), never 0.

The export has no unique-viewer column. Viewers follow from the two duration columns: total watch time is
views x (avg viewing duration per view) = viewers x (avg viewing duration), so
viewers = round(views x per_view / per_viewer), kept within 1..views (a viewer has at least one view).
When that cannot be computed (a duration empty or 0) a room with 0 views has 0 viewers and 0 watch seconds;
a room WITH views is left out of sessions.csv and listed for a person, because the contract requires viewers
and any stand-in (views, customers) would silently distort conversion and retention.
"""
from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO
from zipfile import BadZipFile

import numpy as np
import pandas as pd
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from contract import SESSIONS, DataError, Problem
from contract.columns import MAX_PROBLEMS, _Collector
from contract.tables import refuse_huge_workbook

SHEET = "performance_detail"
HEADER_ROW = 3  # rows as Excel shows them: 1 the period, 2 empty, 3 the header
FIRST_DATA_ROW = HEADER_ROW + 1


@dataclass(frozen=True)
class ExportColumn:
    """A column of the export: its exact header, our name for it, how to read it, whether it may be empty."""

    header: str
    name: str
    kind: str
    may_be_empty: bool = False


EXPORT_COLUMNS = (
    ExportColumn("Room ID", "room_id", "id"),
    ExportColumn("Room Title", "room_title", "text", may_be_empty=True),
    ExportColumn("Start Time", "start", "datetime"),
    ExportColumn("End Time", "end", "datetime"),
    ExportColumn("Duration", "duration_seconds", "duration"),
    ExportColumn("Attributed GMV", "gmv", "money"),
    ExportColumn("Attributed items sold", "items_sold", "count"),
    ExportColumn("Attributed orders", "orders", "count"),
    ExportColumn("Attributed SKU orders", "sku_orders", "count"),
    ExportColumn("Customers", "customers", "count"),
    ExportColumn("AOV", "aov", "money", may_be_empty=True),
    ExportColumn("Views", "views", "count"),
    ExportColumn("Impressions", "impressions", "count"),
    ExportColumn("Impressions Per Hour", "impressions_per_hour", "number", may_be_empty=True),
    ExportColumn("GMV per hour", "gmv_per_hour", "money", may_be_empty=True),
    ExportColumn("Show GPM", "show_gpm", "money", may_be_empty=True),
    ExportColumn("Watch GPM", "watch_gpm", "money", may_be_empty=True),
    ExportColumn("Avg. viewing duration per view", "avg_seconds_per_view", "duration", may_be_empty=True),
    ExportColumn("Avg. viewing duration", "avg_seconds_per_viewer", "duration", may_be_empty=True),
    ExportColumn("Tap through rate", "tap_through_rate", "percent", may_be_empty=True),
    ExportColumn("LIVE CTR", "live_ctr", "percent", may_be_empty=True),
    ExportColumn("Product Impressions", "product_impressions", "count"),
    ExportColumn("Product clicks", "product_clicks", "count"),
    ExportColumn("CTR", "ctr", "percent", may_be_empty=True),
    ExportColumn("CTOR", "ctor", "percent", may_be_empty=True),
    ExportColumn("CTOR (SKU orders)", "ctor_sku_orders", "percent", may_be_empty=True),
    ExportColumn("SKU order rate", "sku_order_rate", "percent", may_be_empty=True),
    ExportColumn("New followers", "new_followers", "count"),
    ExportColumn("Follow rate", "follow_rate", "percent", may_be_empty=True),
    ExportColumn("Comments", "comments", "count"),
    ExportColumn("Comment rate", "comment_rate", "percent", may_be_empty=True),
    ExportColumn("Shares", "shares", "count"),
    ExportColumn("Share rate", "share_rate", "percent", may_be_empty=True),
    ExportColumn("Likes", "likes", "count"),
    ExportColumn("Like rate", "like_rate", "percent", may_be_empty=True),
)
EXPECTED_HEADER = tuple(c.header for c in EXPORT_COLUMNS)

# Kept beside the contract's columns in sessions.csv: what a person needs to recognise and audit a room.
SESSION_EXTRAS = ("room_title", "customers", "items_sold", "impressions", "source_file")
UNMATCHED_COLUMNS = ("session_id", "room_title", "start", "end", "slot_id", "reason", "attributed", "in_sessions")

_NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_COUNT = re.compile(r"^(?:\d{1,3}(?:,\d{3})+|\d+)$")
_DECIMAL = re.compile(rf"^{_NUMBER}$")
_MONEY = re.compile(rf"^(?P<before>[^\d\s.,%-]*)\s*(?P<amount>{_NUMBER})\s*(?P<after>[^\d\s.,%-]*)$")
_PERCENT = re.compile(rf"^(?P<amount>{_NUMBER})\s*%$")
_UNITS = re.compile(r"^(?=\d)(?:(?P<h>\d+)\s*h)?\s*(?:(?P<m>\d+)\s*m(?:in)?)?\s*(?:(?P<s>\d+(?:\.\d+)?)\s*s)?$",
                    re.IGNORECASE)
_CLOCK = re.compile(r"^(?P<h>\d+):(?P<m>[0-5]\d):(?P<s>[0-5]\d(?:\.\d+)?)$")
_BARE_SECONDS = re.compile(r"^(?P<s>\d+(?:\.\d+)?)$")
_STAMP = re.compile(r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(?::\d{2})?$")
_PERIOD = re.compile(r"(\d{4}-\d{2}-\d{2})\s*~\s*(\d{4}-\d{2}-\d{2})")
_SCIENTIFIC = re.compile(r"^\d(?:\.\d+)?E\+\d+$", re.IGNORECASE)


@dataclass(frozen=True)
class TikTokExport:
    """One parsed export: its period (dates, inclusive), the rooms typed, and what a person should know."""

    period_start: pd.Timestamp
    period_end: pd.Timestamp
    rooms: pd.DataFrame  # one row per Room ID; columns `EXPORT_COLUMNS` names + sheet_row, source_file
    source_file: str = ""
    currency: str = ""  # the symbol on the money cells, e.g. "$"
    superseded: int = 0  # rows dropped because the same Room ID appears again with a later End Time

    @property
    def outside_period(self) -> pd.DataFrame:
        """Rooms that start outside the period the export claims: a sign of a wrong or edited file."""
        day = self.rooms["start"].dt.normalize()
        outside = (day < self.period_start) | (day > self.period_end)
        return self.rooms.loc[outside, ["sheet_row", "room_id", "room_title", "start"]]


def _add_cells(problems: _Collector, mask: np.ndarray, rows: pd.Series, text: pd.Series, column: str,
               message: str) -> None:
    """One problem per masked cell, at its sheet row (the contract's collector counts from row 2)."""
    for pos in np.flatnonzero(mask):
        problems.add(int(rows.iloc[pos]), column, message.format(value=text.iloc[pos]))


# --- reading the workbook -------------------------------------------------------------------------------

def read_tiktok_export(source: Path | str | bytes | BinaryIO, name: str | None = None) -> TikTokExport:
    """Read and type one export from a path, bytes or an uploaded file; raises DataError naming bad cells."""
    file = name or _source_name(source)
    problems = _Collector(file)
    rows = _sheet_rows(source, file)
    period_start, period_end = _period(rows, problems)
    _check_header(rows, problems)
    problems.raise_if_any()
    raw = _data_frame(rows[HEADER_ROW:], problems)
    rooms = _typed_rooms(raw, problems)
    problems.raise_if_any()
    rooms["source_file"] = file
    latest = rooms.sort_values(["end", "sheet_row"], kind="stable").drop_duplicates("room_id", keep="last")
    latest = latest.sort_values("sheet_row").reset_index(drop=True)
    return TikTokExport(period_start, period_end, latest, file, _currency(raw, problems),
                        superseded=len(rooms) - len(latest))


def _source_name(source: Path | str | bytes | BinaryIO) -> str:
    if isinstance(source, (str, Path)):
        return Path(source).name
    return Path(str(getattr(source, "name", "") or "uploaded export.xlsx")).name


def _sheet_rows(source: Path | str | bytes | BinaryIO, file: str) -> list[tuple[str, ...]]:
    """Every row of the sheet as stripped text; trailing empty cells dropped."""
    if isinstance(source, (str, Path)) and not Path(source).exists():
        raise DataError([Problem(file, None, None, f"file not found at {source}")])
    handle = io.BytesIO(source) if isinstance(source, (bytes, bytearray)) else source
    try:
        refuse_huge_workbook(handle, file)
        if not isinstance(handle, (str, Path)):
            handle.seek(0)
        book = load_workbook(handle, read_only=True, data_only=True)
    except (BadZipFile, InvalidFileException, KeyError, OSError) as err:
        if isinstance(err, FileNotFoundError):
            raise
        raise DataError([Problem(file, None, None, "is not an .xlsx workbook; upload the file TikTok Shop "
                                                   "downloads (Creator-Live-Performance_<timestamp>.xlsx)")]) from None
    try:
        if SHEET not in book.sheetnames:
            raise DataError([Problem(file, None, None, f"has no sheet '{SHEET}'; its sheets are: "
                                                       f"{', '.join(book.sheetnames)}")])
        rows = [tuple(_cell_text(v) for v in row) for row in book[SHEET].iter_rows(values_only=True)]
    finally:
        book.close()
    return [_trim(row) for row in rows]


def _cell_text(value: object) -> str:
    """The cell as the export shows it; a file re-saved by Excel may hold numbers or dates, kept readable."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat(sep=" ") if hasattr(value, "date") else value.isoformat()
    return str(value).strip()


def _trim(row: tuple[str, ...]) -> tuple[str, ...]:
    end = len(row)
    while end and row[end - 1] == "":
        end -= 1
    return row[:end]


def _period(rows: list[tuple[str, ...]], problems: _Collector) -> tuple[pd.Timestamp, pd.Timestamp]:
    first = " ".join(rows[0]) if rows else ""
    found = _PERIOD.search(first)
    dates = pd.to_datetime(found.groups(), format="%Y-%m-%d", errors="coerce") if found else None
    if found is None or dates is None or dates.isna().any():
        problems.add(1, None, f"row 1 should give the period like '2026-07-01 ~ 2026-09-17', found '{first}'")
        return pd.NaT, pd.NaT
    if dates[1] < dates[0]:
        problems.add(1, None, f"the period '{found.group(0)}' ends before it starts")
    return dates[0], dates[1]


def _check_header(rows: list[tuple[str, ...]], problems: _Collector) -> None:
    """Refuse any header but the expected one, saying how it differs; a changed export is never guessed."""
    found = rows[HEADER_ROW - 1] if len(rows) >= HEADER_ROW else ()
    if found == EXPECTED_HEADER:
        return
    elsewhere = [n for n, row in enumerate(rows[:10], start=1) if row == EXPECTED_HEADER]
    if elsewhere:
        problems.add(elsewhere[0], None, f"the header is on row {elsewhere[0]}; TikTok's export has it on row "
                                         f"{HEADER_ROW} (row 1 the period, row 2 empty)")
        return
    for message in header_differences(found):
        problems.add(HEADER_ROW, None, message)


def header_differences(found: tuple[str, ...]) -> list[str]:
    """What separates `found` from the expected header: renamed, missing, unexpected or moved columns."""
    expected = EXPECTED_HEADER
    missing = [h for h in expected if h not in found]
    unexpected = [h for h in found if h not in expected]
    messages = []
    for pos, (want, got) in enumerate(zip(expected, found), start=1):
        if want in missing and got in unexpected:
            messages.append(f"column {get_column_letter(pos)} is '{got}' where '{want}' is expected (renamed?)")
            missing.remove(want)
            unexpected.remove(got)
    if missing:
        messages.append(f"missing column(s): {', '.join(missing)}")
    if unexpected:
        messages.append(f"unexpected column(s): {', '.join(unexpected)}")
    duplicated = sorted({h for h in found if found.count(h) > 1})
    if duplicated:
        messages.append(f"column(s) appearing twice: {', '.join(duplicated)}")
    if not messages:
        moved = [f"'{h}' is column {get_column_letter(found.index(h) + 1)}, expected "
                 f"{get_column_letter(pos)}" for pos, h in enumerate(expected, start=1) if found.index(h) != pos - 1]
        messages.append("columns in a different order: " + "; ".join(moved))
    return messages


def _data_frame(rows: list[tuple[str, ...]], problems: _Collector) -> pd.DataFrame:
    """Text cells by header, with the sheet row of each; fully empty rows (trailing formatting) dropped."""
    width = len(EXPECTED_HEADER)
    for n, row in enumerate(rows):
        if len(row) > width:
            problems.add(FIRST_DATA_ROW + n, get_column_letter(width + 1),
                         f"has a value beyond the last column ('{row[width]}')")
    cells = [row[:width] + ("",) * (width - len(row)) for row in rows]
    frame = pd.DataFrame(cells, columns=list(EXPECTED_HEADER), dtype="str")
    frame.insert(0, "sheet_row", np.arange(FIRST_DATA_ROW, FIRST_DATA_ROW + len(frame)))
    blank = np.array([len(row) == 0 for row in rows], dtype=bool)
    return frame.loc[~blank].reset_index(drop=True)


# --- typing the cells -----------------------------------------------------------------------------------

def _typed_rooms(raw: pd.DataFrame, problems: _Collector) -> pd.DataFrame:
    rows = raw["sheet_row"]
    rooms = pd.DataFrame({"sheet_row": rows})
    for column in EXPORT_COLUMNS:
        text = raw[column.header]
        empty = (text == "").to_numpy()
        if not column.may_be_empty:
            _add_cells(problems, empty, rows, text, column.header, "is empty; a value is required")
        values, bad, expected = _PARSERS[column.kind](text)
        if column.kind == "id":
            shortened = text.str.fullmatch(_SCIENTIFIC).to_numpy()
            _add_cells(problems, shortened, rows, text, column.header,
                       "'{value}' is a number Excel shortened, the id's digits are lost; "
                       "use the file as TikTok Shop downloaded it")
            bad &= ~shortened
        _add_cells(problems, bad & ~empty, rows, text, column.header, f"'{{value}}' is not {expected}")
        rooms[column.name] = values
    if not problems.problems:
        backwards = (rooms["end"] <= rooms["start"]).to_numpy()
        _add_cells(problems, backwards, rows, raw["End Time"], "End Time", "'{value}' is not after the Start Time")
        for column in EXPORT_COLUMNS:
            if column.kind == "count":
                rooms[column.name] = rooms[column.name].astype("int64")
    return rooms


def _matched(text: pd.Series, pattern: re.Pattern) -> pd.DataFrame:
    return text.str.extract(pattern)


def _decimal(text: pd.Series) -> pd.Series:
    return pd.to_numeric(text.str.replace(",", "", regex=False), errors="coerce").astype("float64")


def _parse_id(text: pd.Series):
    return text, ~text.str.fullmatch(r"\d+").to_numpy(), "a Room ID (digits only)"


def _parse_text(text: pd.Series):
    return text, np.zeros(len(text), dtype=bool), "text"


def _parse_datetime(text: pd.Series):
    shaped = text.str.fullmatch(_STAMP)
    stamps = pd.to_datetime(text.where(shaped), format="ISO8601", errors="coerce").astype("datetime64[ns]")
    return stamps, stamps.isna().to_numpy(), "a date and time like 2026-07-04 20:01:54"


def _parse_count(text: pd.Series):
    ok = text.str.fullmatch(_COUNT)
    values = _decimal(text.where(ok, ""))
    return values, values.isna().to_numpy(), "a whole number like 1,234"


def _parse_number(text: pd.Series):
    values = _decimal(text.where(text.str.fullmatch(_DECIMAL), ""))
    return values, values.isna().to_numpy(), "a number like 1,234.5 (',' groups thousands, '.' marks decimals)"


def _parse_money(text: pd.Series):
    parts = _matched(text, _MONEY)
    both = (parts["before"].fillna("") != "") & (parts["after"].fillna("") != "")
    values = _decimal(parts["amount"].where(~both).fillna(""))
    return values, values.isna().to_numpy(), ("an amount like $6,830.01 or 6,830,000.01₫ "
                                              "(',' groups thousands in threes, '.' marks decimals)")


def _parse_percent(text: pd.Series):
    values = _decimal(_matched(text, _PERCENT)["amount"].fillna("")) / 100
    return values, values.isna().to_numpy(), "a rate like 4.38247%"


def _parse_duration(text: pd.Series):
    seconds = pd.Series(np.nan, index=text.index, dtype="float64")
    for parts in (_matched(text, _UNITS), _matched(text, _CLOCK), _matched(text, _BARE_SECONDS)):
        total = sum(pd.to_numeric(parts[unit], errors="coerce").fillna(0) * factor
                    for unit, factor in (("h", 3600), ("m", 60), ("s", 1)) if unit in parts)
        seconds = seconds.fillna(total.where(parts.notna().any(axis=1)))
    return seconds, seconds.isna().to_numpy(), "a duration like 0h19m, 1m 5s, 65s, 65 (seconds) or 00:01:05"


_PARSERS: dict[str, Callable[[pd.Series], tuple[pd.Series, np.ndarray, str]]] = {
    "id": _parse_id, "text": _parse_text, "datetime": _parse_datetime, "duration": _parse_duration,
    "money": _parse_money, "count": _parse_count, "number": _parse_number, "percent": _parse_percent,
}


def _currency(raw: pd.DataFrame, problems: _Collector) -> str:
    """The one currency symbol of the file's money cells; a mix would add up dollars and dong."""
    symbols: set[str] = set()
    for column in EXPORT_COLUMNS:
        if column.kind == "money":
            parts = _matched(raw[column.header], _MONEY)
            symbols |= set((parts["before"].fillna("") + parts["after"].fillna("")).dropna()) - {""}
    if len(symbols) > 1:
        problems.add(None, None, f"money cells carry more than one currency ({', '.join(sorted(symbols))}); "
                                 "the studio reports in one currency")
        problems.raise_if_any()
    return symbols.pop() if symbols else ""


# --- rooms as contract sessions -------------------------------------------------------------------------

def rooms_to_sessions(rooms: pd.DataFrame, channel: str, slots: pd.DataFrame | None = None,
                      assignments: pd.DataFrame | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rooms as sessions.csv rows (contract columns, then extras) and the rooms a person must look at.

    Each room gets the published slot of `channel` it overlaps most (ties: the earlier slot) and that slot's
    host from `assignments`. The second frame lists rooms without a host (no overlapping slot, or the slot is
    unstaffed; `attributed` False) and rooms whose viewers cannot be derived (`in_sessions` False: left out).
    """
    channel = channel.strip()
    if not channel:
        raise ValueError("the channel (shop) of the export is required")
    viewers, avg_watch, viewers_reason = derive_viewers(rooms)
    match = match_slots(rooms, channel, slots, assignments)
    sessions = pd.DataFrame({
        "session_id": rooms["room_id"].astype("str"),
        "channel": pd.Series(channel, index=rooms.index, dtype="str"),
        "host_id": match["host_id"],
        "slot_id": match["slot_id"],
        "start": rooms["start"],
        "end": rooms["end"],
        "viewers": viewers,
        "views": rooms["views"],
        "avg_watch_seconds": avg_watch,
        "peak_concurrent": pd.Series(pd.NA, index=rooms.index, dtype="Int64"),
        "product_impressions": rooms["product_impressions"],
        "product_clicks": rooms["product_clicks"],
        "orders": rooms["orders"],
        "gmv": rooms["gmv"],
        "new_followers": rooms["new_followers"].astype("Int64"),
        "likes": rooms["likes"].astype("Int64"),
        "comments": rooms["comments"].astype("Int64"),
        "shares": rooms["shares"].astype("Int64"),
    })
    for name in SESSION_EXTRAS:
        sessions[name] = rooms[name] if name in rooms else ""
    reasons = (match["reason"] + "; " + viewers_reason).str.strip("; ")
    known = viewers_reason == ""
    attention = pd.DataFrame({
        "session_id": sessions["session_id"], "room_title": rooms["room_title"], "start": rooms["start"],
        "end": rooms["end"], "slot_id": match["slot_id"], "reason": reasons,
        "attributed": match["host_id"] != "", "in_sessions": known,
    }, columns=list(UNMATCHED_COLUMNS))
    attention = attention.loc[attention["reason"].astype("str") != ""].reset_index(drop=True)
    sessions = sessions.loc[known].assign(viewers=lambda f: f["viewers"].astype("int64"))
    return sessions.reset_index(drop=True), attention


def derive_viewers(rooms: pd.DataFrame) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Unique viewers and watch seconds per viewer from the two average durations (see the module docstring).

    Returns viewers (float, NaN where unknown), avg_watch_seconds, and a reason where viewers are unknown.
    """
    views = rooms["views"].astype("float64")
    per_view = rooms["avg_seconds_per_view"]
    per_viewer = rooms["avg_seconds_per_viewer"]
    derivable = (per_view > 0) & (per_viewer > 0)
    viewers = (views * per_view / per_viewer).round().clip(lower=views.clip(upper=1), upper=views)
    viewers = viewers.where(derivable)
    no_views = views == 0
    viewers = viewers.mask(no_views, 0.0)
    avg_watch = per_viewer.mask(no_views & ~(per_viewer > 0), 0.0)
    unknown = viewers.isna()
    reason = pd.Series("", index=rooms.index, dtype="str").mask(
        unknown, "viewers cannot be derived: 'Avg. viewing duration per view' or 'Avg. viewing duration' is "
                 "empty or 0 while Views > 0; left out of sessions.csv")
    return viewers, avg_watch, reason


def match_slots(rooms: pd.DataFrame, channel: str, slots: pd.DataFrame | None,
                assignments: pd.DataFrame | None) -> pd.DataFrame:
    """Per room: the channel's slot it overlaps most, that slot's host, and why there is no host if none."""
    out = pd.DataFrame({"slot_id": "", "host_id": "", "reason": ""}, index=rooms.index, dtype="str")
    if slots is None:
        return out.assign(reason="no plan given to attribute a host")
    mine = slots.loc[slots["channel"] == channel].sort_values(["start", "slot_id"])
    if mine.empty or rooms.empty:
        return out.assign(reason=f"no published slot of channel '{channel}' overlaps")
    room_start = rooms["start"].to_numpy()[:, None]
    room_end = rooms["end"].to_numpy()[:, None]
    overlap = (np.minimum(room_end, mine["end"].to_numpy()[None, :])
               - np.maximum(room_start, mine["start"].to_numpy()[None, :]))
    best = overlap.argmax(axis=1)
    overlaps = overlap[np.arange(len(rooms)), best] > np.timedelta64(0, "s")
    slot_ids = pd.Series(mine["slot_id"].to_numpy()[best], index=rooms.index).where(overlaps, "")
    hosts = {} if assignments is None else dict(zip(assignments["slot_id"], assignments["host_id"]))
    host_ids = slot_ids.map(lambda s: hosts.get(s, "")).astype("str")
    reason = pd.Series("", index=rooms.index, dtype="str")
    reason = reason.mask(~overlaps, f"no published slot of channel '{channel}' overlaps")
    reason = reason.mask(overlaps & (host_ids == ""), "slot " + slot_ids + " has no host in assignments.csv")
    return pd.DataFrame({"slot_id": slot_ids, "host_id": host_ids, "reason": reason})


def merge_sessions(existing: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """Sessions of both frames; a session in both keeps the row of the later export.

    The later export is the one whose room ends later (a room downloaded while live ends at the download
    time); on equal ends the new import wins. A host a person attributed by hand is kept when the newer
    row has none, so re-importing does not undo their work. A Room ID filed under another channel is
    refused: the import's --channel is probably wrong.
    """
    _check_channels(existing, new)
    both = existing.merge(new[["session_id", "end", "host_id", "slot_id"]], on="session_id", how="inner",
                          suffixes=("", "_new"))
    keep_existing = set(both.loc[both["end"] > both["end_new"], "session_id"])
    hand_attributed = both.loc[(both["host_id_new"] == "") & (both["host_id"] != "")]
    new = new.loc[~new["session_id"].isin(keep_existing)].copy()
    carried = new["session_id"].map(dict(zip(hand_attributed["session_id"], hand_attributed["host_id"])))
    carried_slot = new["session_id"].map(dict(zip(hand_attributed["session_id"], hand_attributed["slot_id"])))
    has_carried = carried.notna()
    new.loc[has_carried, "host_id"] = carried[has_carried]
    new.loc[has_carried & (new["slot_id"] == ""), "slot_id"] = carried_slot[has_carried]
    kept = existing.loc[~existing["session_id"].isin(set(new["session_id"]))]
    merged = pd.concat([kept, new], ignore_index=True)
    contract_columns = [c.name for c in SESSIONS.columns]
    order = contract_columns + [c for c in merged.columns if c not in contract_columns]
    return merged[order].sort_values(["start", "session_id"], kind="stable").reset_index(drop=True)


def replaced_sessions(existing: pd.DataFrame, new: pd.DataFrame) -> tuple[int, int]:
    """(sessions of `existing` the new export replaces, sessions kept because the existing row is later)."""
    both = existing[["session_id", "end"]].merge(new[["session_id", "end"]], on="session_id",
                                                  suffixes=("", "_new"))
    kept = int((both["end"] > both["end_new"]).sum())
    return len(both) - kept, kept


def _check_channels(existing: pd.DataFrame, new: pd.DataFrame) -> None:
    both = existing.reset_index(drop=True).reset_index().merge(new[["session_id", "channel"]], on="session_id",
                                                                 suffixes=("", "_new"))
    clash = both.loc[both["channel"] != both["channel_new"]]
    if not clash.empty:
        raise DataError([Problem(SESSIONS.file, int(r["index"]) + 2, "channel",
                                 f"room {r['session_id']} is already filed under channel '{r['channel']}'; "
                                 f"this import says '{r['channel_new']}': check --channel")
                         for _, r in clash.head(MAX_PROBLEMS).iterrows()])
