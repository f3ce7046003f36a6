"""Saved schedules per week: a draft the associate edits, the published one hosts see, and who changed what.

A schedule holds, per slot, its host (schedule_assignments) and its production assistants
(schedule_assistants); both are saved, versioned and published together. At most one draft and one
published schedule exist per week; publishing a draft marks the schedule it replaces "superseded".
Every save names the version it started from, so two editors never overwrite each other silently.

In memory a schedule is one row per slot: slot_id, host_id ("" when unstaffed), locked, reason and
assistant_ids (the slot's assistants joined with "|", the contract's list separator; "" for none).
"""
from __future__ import annotations

from datetime import datetime

import pandas as pd
import sqlalchemy as sa

from store.errors import VersionConflict
from store.models import assignment_changes, schedule_assignments, schedule_assistants, schedules

STATUSES = ("draft", "published")
HOST_COLUMNS = ["slot_id", "host_id", "locked", "reason"]
ASSIGNMENT_COLUMNS = [*HOST_COLUMNS, "assistant_ids"]
CHANGE_COLUMNS = ["slot_id", "role", "before", "after", "user", "at"]
Edits = dict[str, dict[str, str | bool]]  # slot_id -> the new values of some of its columns


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


# --- the assistant_ids column -----------------------------------------------------------------------------
def joined_ids(ids) -> str:
    """A slot's assistants as one cell: sorted, "|"-joined, blanks dropped ("P02|P01 " -> "P01|P02")."""
    if ids is None or (isinstance(ids, float) and pd.isna(ids)):
        return ""
    items = ids.split("|") if isinstance(ids, str) else list(ids)
    return "|".join(sorted({str(i).strip() for i in items if str(i).strip()}))


def with_assistants(assignments: pd.DataFrame, assistants: pd.DataFrame | None) -> pd.DataFrame:
    """The assignments with an assistant_ids column from a long (slot_id, assistant_id) frame, e.g.
    StaffingPlan.assistants."""
    long = assistants if assistants is not None else pd.DataFrame({"slot_id": [], "assistant_id": []})
    per_slot = long.groupby(long["slot_id"].astype("str"))["assistant_id"].agg(joined_ids).to_dict()
    ids = [per_slot.get(slot, "") for slot in assignments["slot_id"].astype("str")]
    return assignments.assign(assistant_ids=pd.Series(ids, index=assignments.index, dtype="str"))


def assistants_of(assignments: pd.DataFrame) -> pd.DataFrame:
    """The long (slot_id, assistant_id) frame of an assignments frame's assistant_ids column."""
    ids = assignments["assistant_ids"].map(joined_ids).str.split("|")
    long = pd.DataFrame({"slot_id": assignments["slot_id"].astype("str"), "assistant_id": ids}).explode("assistant_id")
    long = long.loc[long["assistant_id"].fillna("") != ""]
    return long.astype({"slot_id": "str", "assistant_id": "str"}).reset_index(drop=True)


# --- reading and writing ------------------------------------------------------------------------------------
def _current(conn: sa.Connection, week: str, status: str):
    return conn.execute(sa.select(schedules).where(schedules.c.week == week, schedules.c.status == status)).first()


def _conflict(what: str, row) -> VersionConflict:
    if row is None:
        return VersionConflict(f"{what} was published or removed since you opened it; reload and apply your "
                               "edit again")
    return VersionConflict(f"{what} was changed by {row.updated_by} at {row.updated_at:%Y-%m-%d %H:%M} since you "
                           "opened it; reload and apply your edit again")


def _assignments(conn: sa.Connection, schedule_id: int) -> pd.DataFrame:
    """The schedule's rows, hosts and assistants, one row per slot ordered by slot_id."""
    rows = conn.execute(sa.select(*[schedule_assignments.c[c] for c in HOST_COLUMNS])
                        .where(schedule_assignments.c.schedule_id == schedule_id)
                        .order_by(schedule_assignments.c.slot_id)).all()
    frame = pd.DataFrame(rows, columns=HOST_COLUMNS)
    frame = frame.astype({"slot_id": "str", "host_id": "str", "locked": bool, "reason": "str"})
    helpers = conn.execute(sa.select(schedule_assistants.c.slot_id, schedule_assistants.c.assistant_id)
                           .where(schedule_assistants.c.schedule_id == schedule_id)).all()
    return with_assistants(frame, pd.DataFrame(helpers, columns=["slot_id", "assistant_id"]))


def _clean(assignments: pd.DataFrame, before: pd.DataFrame | None) -> pd.DataFrame:
    """One row per slot with every column of ASSIGNMENT_COLUMNS.

    Without an assistant_ids column the slots keep the assistants they had in `before` (the schedule being
    edited), so an edit of hosts alone never drops assistants.
    """
    if "slot_id" not in assignments.columns or "host_id" not in assignments.columns:
        raise ValueError("assignments need the columns slot_id and host_id")
    frame = pd.DataFrame({
        "slot_id": assignments["slot_id"].astype("str"),
        "host_id": assignments["host_id"].fillna("").astype("str"),
        "locked": assignments["locked"].fillna(False).astype(bool) if "locked" in assignments else False,
        "reason": assignments["reason"].fillna("").astype("str") if "reason" in assignments else "",
    }).reset_index(drop=True)
    repeated = frame["slot_id"][frame["slot_id"].duplicated()]
    if len(repeated):
        raise ValueError(f"slot {repeated.iloc[0]} is assigned more than once")
    if "assistant_ids" in assignments:
        frame["assistant_ids"] = [joined_ids(ids) for ids in assignments["assistant_ids"]]
    else:
        kept = dict(zip(before["slot_id"], before["assistant_ids"])) if before is not None else {}
        frame["assistant_ids"] = pd.Series([kept.get(s, "") for s in frame["slot_id"]], dtype="str")
    return frame


def save(conn: sa.Connection, week: str, assignments: pd.DataFrame, user: str,
         expected_version: int | None) -> tuple[int, int]:
    """Create or update the week's draft (hosts and assistants); returns (schedule id, new version)."""
    now = _now()
    draft = _current(conn, week, "draft")
    what = f"the draft schedule for {week}"
    if draft is None and expected_version is not None:
        raise _conflict(what, None)
    if draft is not None:
        if expected_version is None:
            raise _conflict(what, draft)
        before = _assignments(conn, draft.id)
        frame = _clean(assignments, before)
        done = conn.execute(schedules.update().where(schedules.c.id == draft.id,
                                                     schedules.c.version == expected_version)
                            .values(version=schedules.c.version + 1, updated_by=user, updated_at=now))
        if done.rowcount == 0:
            raise _conflict(what, draft)
        schedule_id, version = draft.id, expected_version + 1
    else:
        published = _current(conn, week, "published")
        before = _assignments(conn, published.id) if published is not None else None
        frame = _clean(assignments, before)
        try:
            schedule_id = conn.execute(schedules.insert().values(
                week=week, status="draft", version=1, created_by=user, created_at=now, updated_by=user,
                updated_at=now).returning(schedules.c.id)).scalar_one()
        except sa.exc.IntegrityError:
            raise VersionConflict(f"someone else started {what} at the same time; reload it") from None
        version = 1
    if before is not None:
        _log_changes(conn, schedule_id, before, frame, user, now)
    _write_rows(conn, schedule_id, frame)
    return schedule_id, version


def _log_changes(conn: sa.Connection, schedule_id: int, before: pd.DataFrame, after: pd.DataFrame, user: str,
                 at: datetime) -> None:
    """One row per slot whose host changed, and one per slot whose set of assistants changed."""
    both = before.merge(after, on="slot_id", how="outer", suffixes=("_old", "_new"))
    rows = []
    for column, role in (("host_id", "host"), ("assistant_ids", "assistants")):
        old, new = both[f"{column}_old"].fillna(""), both[f"{column}_new"].fillna("")
        for slot_id, was, now in zip(both["slot_id"], old, new):
            if was != now:
                rows.append({"schedule_id": schedule_id, "slot_id": slot_id, "role": role, "before": was,
                             "after": now, "user": user, "at": at})
    if rows:
        conn.execute(assignment_changes.insert(), rows)


def publish(conn: sa.Connection, schedule_id: int, user: str, expected_version: int) -> int:
    """Publish a draft (the week's previous published schedule becomes "superseded"); returns the new version."""
    row = conn.execute(sa.select(schedules).where(schedules.c.id == schedule_id)).first()
    if row is None:
        raise ValueError(f"no schedule {schedule_id}")
    what = f"the draft schedule for {row.week}"
    if row.status != "draft" or row.version != expected_version:
        raise _conflict(what, row)
    now = _now()
    conn.execute(schedules.update().where(schedules.c.week == row.week, schedules.c.status == "published")
                 .values(status="superseded"))
    done = conn.execute(schedules.update().where(schedules.c.id == schedule_id,
                                                 schedules.c.version == expected_version,
                                                 schedules.c.status == "draft")
                        .values(status="published", version=schedules.c.version + 1, updated_by=user,
                                updated_at=now, published_by=user, published_at=now))
    if done.rowcount == 0:
        raise _conflict(what, row)
    return expected_version + 1


def edit_published(conn: sa.Connection, week: str, edits: Edits, user: str) -> int:
    """Change a few slots of the week's published schedule in place of a re-plan (an approved claim or drop):
    `edits` maps a slot_id to its new host_id, assistant_ids and/or locked. The published schedule is replaced by a
    copy with those slots changed (its version one more), each change logged; a draft of the week that still
    had the old values there gets the same change, so publishing it later does not undo it. Returns the new
    published schedule's id."""
    old = _current(conn, week, "published")
    if old is None:
        raise ValueError(f"{week} has no published schedule")
    before = _assignments(conn, old.id)
    after = _edited(before, edits)
    now = _now()
    conn.execute(schedules.update().where(schedules.c.id == old.id).values(status="superseded"))
    new_id = conn.execute(schedules.insert().values(
        week=week, status="published", version=old.version + 1, created_by=old.created_by, created_at=old.created_at,
        updated_by=user, updated_at=now, published_by=user, published_at=now).returning(schedules.c.id)).scalar_one()
    _write_rows(conn, new_id, after)
    _log_changes(conn, new_id, before, after, user, now)
    draft = _current(conn, week, "draft")
    if draft is not None:
        drafted = _assignments(conn, draft.id)
        kept = {slot: {column: value for column, value in change.items()
                       if _cell(drafted, slot, column) == _cell(before, slot, column)}
                for slot, change in edits.items()}
        changed = _edited(drafted, kept)
        _write_rows(conn, draft.id, changed)
        _log_changes(conn, draft.id, drafted, changed, user, now)
        conn.execute(schedules.update().where(schedules.c.id == draft.id)
                     .values(version=schedules.c.version + 1, updated_by=user, updated_at=now))
    return new_id


def _cell(frame: pd.DataFrame, slot_id: str, column: str) -> str | None:
    found = frame.loc[frame["slot_id"] == slot_id, column]
    return str(found.iloc[0]) if len(found) else None


def _edited(frame: pd.DataFrame, edits: Edits) -> pd.DataFrame:
    changed = frame.copy()
    for slot_id, change in edits.items():
        where = changed["slot_id"] == slot_id
        if not where.any():
            raise ValueError(f"slot {slot_id} is not in the schedule")
        for column, value in change.items():
            changed.loc[where, column] = joined_ids(str(value)) if column == "assistant_ids" else value
    return changed


def _write_rows(conn: sa.Connection, schedule_id: int, frame: pd.DataFrame) -> None:
    for table in (schedule_assignments, schedule_assistants):
        conn.execute(table.delete().where(table.c.schedule_id == schedule_id))
    if len(frame):
        conn.execute(schedule_assignments.insert(),
                     frame[HOST_COLUMNS].assign(schedule_id=schedule_id).to_dict("records"))
    helpers = assistants_of(frame)
    if len(helpers):
        conn.execute(schedule_assistants.insert(), helpers.assign(schedule_id=schedule_id).to_dict("records"))


def load(conn: sa.Connection, week: str, status: str | None) -> tuple[dict, pd.DataFrame] | None:
    """The week's schedule with that status; with status None the draft if there is one, else the published."""
    if status is not None and status not in STATUSES:
        raise ValueError(f"status '{status}' is not one of {', '.join(STATUSES)}")
    row = None
    for wanted in ([status] if status else ["draft", "published"]):
        row = row or _current(conn, week, wanted)
    if row is None:
        return None
    return dict(row._mapping), _assignments(conn, row.id)


def published(conn: sa.Connection) -> pd.DataFrame:
    """Every week's published schedule as one frame: week, then ASSIGNMENT_COLUMNS, ordered by week and slot."""
    rows = conn.execute(sa.select(schedules.c.id, schedules.c.week).where(schedules.c.status == "published")
                        .order_by(schedules.c.week)).all()
    frames = [_assignments(conn, row.id).assign(week=row.week) for row in rows]
    if not frames:
        columns = ["week", *ASSIGNMENT_COLUMNS]
        return pd.DataFrame({c: pd.Series(dtype=bool if c == "locked" else "str") for c in columns})
    return pd.concat(frames, ignore_index=True)[["week", *ASSIGNMENT_COLUMNS]]


def changes(conn: sa.Connection, schedule_id: int) -> pd.DataFrame:
    """Who changed what, oldest first: slot_id, role ("host" or "assistants"), before, after, user, at."""
    rows = conn.execute(sa.select(*[assignment_changes.c[c] for c in CHANGE_COLUMNS])
                        .where(assignment_changes.c.schedule_id == schedule_id)
                        .order_by(assignment_changes.c.id)).all()
    return pd.DataFrame(rows, columns=CHANGE_COLUMNS).astype({c: "str" for c in CHANGE_COLUMNS if c != "at"})
