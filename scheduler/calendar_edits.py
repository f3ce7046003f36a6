"""Editing one week's calendar: a one-off show added, a show cancelled or moved, last week copied, each kept as
rows of calendar_changes.csv on top of the show templates, and the week's slots made from them.

Every edit returns the whole changes table, already checked by `scheduler.calendar.week_slots` (the contract,
each channel's own overlap and the room rule, both shows named), so what the app keeps is what `python -m
scheduler slots` makes from the same files. A slot has at most one change: moving a show twice keeps the last
times, cancelling a one-off removes it, and moving a one-off changes the show that adds it.
"""
from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from contract import DataError, Problem
from contract.schemas import CALENDAR_CHANGES, SHOW_TEMPLATES, WEEKDAYS
from contract.weeks import week_label, week_labels
from scheduler.calendar import copy_week, previous_week, week_of_slot, week_slots
from scheduler.settings import Settings

CHANGE_COLUMNS = [c.name for c in CALENDAR_CHANGES.columns]
# What a move may change besides the times; empty (or NaN) keeps the show's.
SHOW_FIELDS = ("product_tier", "category", "language", "room", "assistants_needed")
_COMPARED = ("start", "end", *SHOW_FIELDS)  # what makes two slots with one id the same show


def empty_changes() -> pd.DataFrame:
    """A calendar_changes table with no rows, typed as the store reads it."""
    return pd.DataFrame({name: pd.Series(dtype=_dtype(name)) for name in CHANGE_COLUMNS})


def _dtype(name: str) -> str:
    return {"start": "datetime64[us]", "end": "datetime64[us]", "assistants_needed": "float64"}.get(name, "str")


def add_show(templates: pd.DataFrame, changes: pd.DataFrame, week: str, show: Mapping,
             settings: Settings | None = None) -> tuple[pd.DataFrame, str]:
    """The changes with a one-off show added to `week` (show: channel, start, end, product_tier, category and
    optionally language, room, assistants_needed, note), and the slot id it gets. A DataError names the show
    it clashes with, or the cell that is wrong."""
    start = pd.Timestamp(show["start"])
    if week_label(start) != week:
        raise DataError([Problem(CALENDAR_CHANGES.file, None, "start",
                                 f"{start:%Y-%m-%d %H:%M} is not in {week}; add the show in its own week")])
    before = set(week_slots(templates, week, changes, settings)["slot_id"])
    row = {**{name: show.get(name) for name in CHANGE_COLUMNS}, "change": "add", "slot_id": ""}
    made = week_slots(templates, week, _with_row(changes, row), settings)
    slot_id = next(s for s in made["slot_id"] if s not in before)
    return _checked(templates, _with_row(changes, {**row, "slot_id": slot_id}), week, settings), slot_id


def cancel_show(templates: pd.DataFrame, changes: pd.DataFrame, week: str, slot_id: str, note: str = "",
                settings: Settings | None = None) -> pd.DataFrame:
    """The changes with the show `slot_id` of `week` cancelled: a one-off is taken out, a template's show is
    kept as a cancel (with `note`, say why)."""
    _known(templates, changes, week, slot_id, settings)
    others = changes[changes["slot_id"] != slot_id]
    if _added(changes, slot_id):
        return _checked(templates, others, week, settings)
    row = {name: None for name in CHANGE_COLUMNS} | {"change": "cancel", "slot_id": slot_id, "note": note}
    return _checked(templates, _with_row(others, row), week, settings)


def move_show(templates: pd.DataFrame, changes: pd.DataFrame, week: str, slot_id: str, edits: Mapping,
              note: str = "", settings: Settings | None = None) -> pd.DataFrame:
    """The changes with the show `slot_id` of `week` given new times (edits' start and end, both or neither)
    and/or another tier, category, language, room or assistants; the slot keeps its id. A DataError says
    what the new times clash with."""
    _known(templates, changes, week, slot_id, settings)
    wanted = {name: edits.get(name) for name in ("start", "end", *SHOW_FIELDS) if not _blank(edits.get(name))}
    if "start" in wanted and week_label(pd.Timestamp(wanted["start"])) != week:
        raise DataError([Problem(CALENDAR_CHANGES.file, None, "start",
                                 f"{pd.Timestamp(wanted['start']):%Y-%m-%d %H:%M} is not in {week}, the week of "
                                 f"{slot_id}; cancel it and add a show in the other week")])
    if _added(changes, slot_id):
        row = changes.loc[changes["slot_id"] == slot_id].iloc[0].to_dict() | wanted | _note(note)
    else:
        earlier = changes.loc[changes["slot_id"] == slot_id]
        kept = earlier.iloc[0].to_dict() if len(earlier) else {}
        row = ({name: None for name in CHANGE_COLUMNS} | {k: v for k, v in kept.items() if not _blank(v)}
               | {"change": "move", "slot_id": slot_id} | wanted | _note(note))
        template_show = _known(templates, changes[changes["slot_id"] != slot_id], week, slot_id, settings)
        row = _without_unchanged(row, template_show)
    return _checked(templates, _with_row(changes[changes["slot_id"] != slot_id], row), week, settings)


def copy_last_week(templates: pd.DataFrame, changes: pd.DataFrame, week: str, last_week: pd.DataFrame,
                   settings: Settings | None = None) -> pd.DataFrame:
    """The changes that make `week` the same shows as `last_week` (typed slots of the week before, its one-offs
    and moves included) at the same weekdays and times: the week's own earlier changes are replaced by the
    template shows it lacks (cancelled), those it has elsewhere or otherwise (moved) and the others (added).
    Copying again gives the same changes."""
    copied = copy_week(last_week, previous_week(week), week, settings)
    expanded = week_slots(templates, week, None, settings).set_index("slot_id")
    rows = []
    for slot in copied.itertuples(index=False):
        if slot.slot_id not in expanded.index:
            rows.append({name: getattr(slot, name, None) for name in CHANGE_COLUMNS} | {"change": "add"})
            continue
        moved = _without_unchanged({name: getattr(slot, name) for name in _COMPARED}, expanded.loc[slot.slot_id])
        if any(not _blank(moved.get(name)) for name in _COMPARED):
            rows.append({name: None for name in CHANGE_COLUMNS} | moved | {"change": "move", "slot_id": slot.slot_id})
    gone = sorted(set(expanded.index) - set(copied["slot_id"]))
    rows += [{name: None for name in CHANGE_COLUMNS} | {"change": "cancel", "slot_id": s, "note": "copied last week"}
             for s in gone]
    kept = changes[week_of_changes(changes) != week]
    return _checked(templates, _with_row(kept, *rows), week, settings)


def week_of_changes(changes: pd.DataFrame) -> pd.Series:
    """The ISO week each change belongs to: its slot id's, or an added show's start."""
    return pd.Series([week_of_slot(s) for s in changes["slot_id"].astype("str")], index=changes.index, dtype="str")


def last_week_slots(slots: pd.DataFrame, templates: pd.DataFrame, changes: pd.DataFrame, week: str,
                    settings: Settings | None = None) -> pd.DataFrame:
    """What the week before `week` streamed or will: its slots as kept for planning (slots.csv) when it has
    any, else its calendar (templates and changes)."""
    before = previous_week(week)
    kept = slots[(week_labels(slots["start"]) == before).to_numpy()] if len(slots) else slots
    return kept if len(kept) else week_slots(templates, before, changes, settings)


def replace_week(slots: pd.DataFrame, week: str, made: pd.DataFrame) -> pd.DataFrame:
    """Every week's slots (typed slots.csv rows) with `week`'s replaced by `made`: a slot made again at the same
    times keeps its expected GMV and its locked host; the other weeks stay as they are."""
    in_week = (week_labels(slots["start"]) == week).to_numpy() if len(slots) else np.zeros(0, dtype=bool)
    old = slots[in_week].set_index("slot_id")
    same = [s in old.index and old.at[s, "start"] == a and old.at[s, "end"] == b
            for s, a, b in zip(made["slot_id"], made["start"], made["end"])]
    keep = pd.Series(same, index=made.index)
    gmv = made["slot_id"].map(old["expected_gmv"]) if len(old) else made["expected_gmv"]
    lock = made["slot_id"].map(old["locked_host_id"]) if len(old) else made["locked_host_id"]
    made = made.assign(expected_gmv=made["expected_gmv"].where(~keep | made["expected_gmv"].notna(), gmv),
                       locked_host_id=made["locked_host_id"].where(~keep | (made["locked_host_id"] != ""),
                                                                   lock.fillna("")).astype("str"))
    unused = [c for c in made.columns if c not in slots.columns and (made[c].astype("str") == "").all()]
    made = made.drop(columns=unused)  # a note column that every slot leaves empty is not added to the others
    others = slots[~in_week].reindex(columns=made.columns)
    merged = pd.concat([others, made], ignore_index=True) if len(others) else made.reset_index(drop=True)
    return merged.sort_values(["start", "channel", "slot_id"], ignore_index=True)


def week_differences(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """What making a week changes in its slots: slot_id, what ('added', 'removed', 'moved' (other times) or
    'changed' (another tier, category, language, room or assistants)), before and after in words."""
    old, new = before.set_index("slot_id"), after.set_index("slot_id")
    rows = [{"slot_id": s, "what": "removed", "before": _show(old.loc[s]), "after": ""}
            for s in old.index if s not in new.index]
    rows += [{"slot_id": s, "what": "added", "before": "", "after": _show(new.loc[s])}
             for s in new.index if s not in old.index]
    for s in old.index.intersection(new.index):
        a, b = old.loc[s], new.loc[s]
        if (a["start"], a["end"]) != (b["start"], b["end"]):
            rows.append({"slot_id": s, "what": "moved", "before": _show(a), "after": _show(b)})
        elif any(_differs(a[name], b[name]) for name in SHOW_FIELDS):
            rows.append({"slot_id": s, "what": "changed", "before": _show(a), "after": _show(b)})
    return pd.DataFrame(rows, columns=["slot_id", "what", "before", "after"])


def published_hosts_touched(differences: pd.DataFrame, published: pd.DataFrame | None) -> pd.DataFrame:
    """The differences whose slot has a host in the week's published schedule (slot_id, host_id rows), with
    that host_id: the changes that must be confirmed, as the people on them have their streams already."""
    if published is None or not len(differences):
        return differences.assign(host_id=pd.Series(dtype="str"))
    hosts = published.loc[published["host_id"] != ""].set_index("slot_id")["host_id"]
    touched = differences.assign(host_id=differences["slot_id"].map(hosts))
    return touched[touched["host_id"].notna()].astype({"host_id": "str"}).reset_index(drop=True)


def logged_note(note: str, published_host: str | None, user: str) -> str:
    """A change's note with the published host it moved or cancelled, so the change log keeps who was told."""
    said = note.strip()
    if not published_host:
        return said
    told = f"published host {published_host}; confirmed by {user}"
    return f"{said} ({told})" if said else told


def _show(slot: pd.Series) -> str:
    return (f"{slot['channel']} {slot['start']:%a %d %b %H:%M}-{slot['end']:%H:%M}, {slot['product_tier']} "
            f"{slot['category']}" + (f", {slot['room']}" if slot.get("room") else ""))


def _differs(a, b) -> bool:
    return not (_blank(a) and _blank(b)) and str(a) != str(b)


def _known(templates: pd.DataFrame, changes: pd.DataFrame, week: str, slot_id: str,
           settings: Settings | None) -> pd.Series:
    """The show `slot_id` as the week has it now; a DataError when the week has no such show."""
    slots = week_slots(templates, week, changes, settings).set_index("slot_id")
    if slot_id not in slots.index:
        raise DataError([Problem(CALENDAR_CHANGES.file, None, "slot_id", f"'{slot_id}' is not a show of {week}")])
    return slots.loc[slot_id]


def _added(changes: pd.DataFrame, slot_id: str) -> bool:
    return bool(((changes["slot_id"] == slot_id) & (changes["change"] == "add")).any())


def _without_unchanged(row: dict, current: pd.Series) -> dict:
    """A move's cells that differ from the show as it is (the others empty), times given both or neither."""
    out = {k: (None if k in SHOW_FIELDS and not _differs(v, current[k]) else v) for k, v in row.items()}
    if not _blank(out.get("start")) and pd.Timestamp(out["start"]) == current["start"] and \
            pd.Timestamp(out["end"]) == current["end"]:
        out["start"] = out["end"] = None
    return out


def _note(note: str) -> dict:
    return {"note": note} if note else {}


def _blank(value) -> bool:
    return value is None or value is pd.NaT or (not isinstance(value, str) and pd.isna(value)) or value == ""


def _with_row(changes: pd.DataFrame, *rows: dict) -> pd.DataFrame:
    """The changes with `rows` after them, typed as the store reads them."""
    added = pd.DataFrame([{name: row.get(name) for name in CHANGE_COLUMNS} for row in rows], columns=CHANGE_COLUMNS)
    return _typed(pd.concat([_typed(changes), _typed(added)], ignore_index=True))


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.reindex(columns=CHANGE_COLUMNS)
    text = {name: out[name].astype(object).where(out[name].notna(), "").astype("str")
            for name in CHANGE_COLUMNS if _dtype(name) == "str"}
    return out.assign(**text, start=pd.to_datetime(out["start"]).astype("datetime64[us]"),
                      end=pd.to_datetime(out["end"]).astype("datetime64[us]"),
                      assistants_needed=pd.to_numeric(out["assistants_needed"]).astype("float64"))


def _checked(templates: pd.DataFrame, changes: pd.DataFrame, week: str, settings: Settings | None) -> pd.DataFrame:
    """The changes, once the week they make is checked (a DataError otherwise), in slot id order as stored."""
    week_slots(templates, week, changes, settings)
    return changes.sort_values("slot_id", ignore_index=True)



def templates_from_week(slots: pd.DataFrame, week: str) -> pd.DataFrame:
    """Show templates that make `week` again (typed slots): one row per channel, times, tier, category, language,
    room and assistants, on the weekdays the week has that show; a studio that wrote slots.csv by hand starts
    its templates from a week it liked."""
    chosen = slots[(week_labels(slots["start"]) == week).to_numpy()] if len(slots) else slots
    shows = chosen.assign(weekday=chosen["start"].dt.day_of_week, start=chosen["start"].dt.strftime("%H:%M"),
                          end=chosen["end"].dt.strftime("%H:%M"),
                          room=chosen["room"].astype(object).fillna("").astype("str"),
                          note=chosen["note"].astype(object).fillna("").astype("str") if "note" in chosen else "")
    keys = ["channel", "start", "end", "product_tier", "category", "language", "room", "assistants_needed"]
    grouped = shows.groupby(keys, sort=False, dropna=False).agg(
        weekdays=("weekday", lambda days: "|".join(WEEKDAYS[d] for d in sorted(set(days)))),
        note=("note", "first")).reset_index()
    columns = [c.name for c in SHOW_TEMPLATES.columns]
    return grouped.reindex(columns=columns).sort_values(["channel", "start", "weekdays"], ignore_index=True)
