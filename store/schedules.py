"""Saved schedules per week: a draft the associate edits, the published one hosts see, and who changed what.

At most one draft and one published schedule exist per week; publishing a draft marks the schedule it
replaces "superseded". Every save names the version it started from, so two editors never overwrite
each other silently.
"""
from __future__ import annotations

from datetime import datetime

import pandas as pd
import sqlalchemy as sa

from store.errors import VersionConflict
from store.models import assignment_changes, schedule_assignments, schedules

STATUSES = ("draft", "published")
ASSIGNMENT_COLUMNS = ["slot_id", "host_id", "locked", "reason"]


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


def _current(conn: sa.Connection, week: str, status: str):
    return conn.execute(sa.select(schedules).where(schedules.c.week == week, schedules.c.status == status)).first()


def _conflict(what: str, row) -> VersionConflict:
    if row is None:
        return VersionConflict(f"{what} was published or removed since you opened it; reload and apply your "
                               "edit again")
    return VersionConflict(f"{what} was changed by {row.updated_by} at {row.updated_at:%Y-%m-%d %H:%M} since you "
                           "opened it; reload and apply your edit again")


def _assignments(conn: sa.Connection, schedule_id: int) -> pd.DataFrame:
    rows = conn.execute(sa.select(*[schedule_assignments.c[c] for c in ASSIGNMENT_COLUMNS])
                        .where(schedule_assignments.c.schedule_id == schedule_id)
                        .order_by(schedule_assignments.c.slot_id)).all()
    frame = pd.DataFrame(rows, columns=ASSIGNMENT_COLUMNS)
    return frame.astype({"slot_id": "str", "host_id": "str", "locked": bool, "reason": "str"})


def _clean(assignments: pd.DataFrame) -> pd.DataFrame:
    """slot_id, host_id ("" when unstaffed), locked, reason; one row per slot."""
    if "slot_id" not in assignments.columns or "host_id" not in assignments.columns:
        raise ValueError("assignments need the columns slot_id and host_id")
    frame = pd.DataFrame({
        "slot_id": assignments["slot_id"].astype("str"),
        "host_id": assignments["host_id"].fillna("").astype("str"),
        "locked": assignments["locked"].fillna(False).astype(bool) if "locked" in assignments else False,
        "reason": assignments["reason"].fillna("").astype("str") if "reason" in assignments else "",
    })
    repeated = frame["slot_id"][frame["slot_id"].duplicated()]
    if len(repeated):
        raise ValueError(f"slot {repeated.iloc[0]} is assigned more than once")
    return frame.reset_index(drop=True)


def save(conn: sa.Connection, week: str, assignments: pd.DataFrame, user: str,
         expected_version: int | None) -> tuple[int, int]:
    """Create or update the week's draft; returns (schedule id, new version)."""
    frame = _clean(assignments)
    now = _now()
    draft = _current(conn, week, "draft")
    what = f"the draft schedule for {week}"
    if draft is None and expected_version is not None:
        raise _conflict(what, None)
    if draft is not None:
        if expected_version is None:
            raise _conflict(what, draft)
        done = conn.execute(schedules.update().where(schedules.c.id == draft.id,
                                                     schedules.c.version == expected_version)
                            .values(version=schedules.c.version + 1, updated_by=user, updated_at=now))
        if done.rowcount == 0:
            raise _conflict(what, draft)
        schedule_id, version, before = draft.id, expected_version + 1, _assignments(conn, draft.id)
    else:
        published = _current(conn, week, "published")
        try:
            schedule_id = conn.execute(schedules.insert().values(
                week=week, status="draft", version=1, created_by=user, created_at=now, updated_by=user,
                updated_at=now).returning(schedules.c.id)).scalar_one()
        except sa.exc.IntegrityError:
            raise VersionConflict(f"someone else started {what} at the same time; reload it") from None
        version = 1
        before = _assignments(conn, published.id) if published is not None else None
    if before is not None:
        _log_changes(conn, schedule_id, before, frame, user, now)
    conn.execute(schedule_assignments.delete().where(schedule_assignments.c.schedule_id == schedule_id))
    if len(frame):
        conn.execute(schedule_assignments.insert(), frame.assign(schedule_id=schedule_id).to_dict("records"))
    return schedule_id, version


def _log_changes(conn: sa.Connection, schedule_id: int, before: pd.DataFrame, after: pd.DataFrame, user: str,
                 at: datetime) -> None:
    both = before[["slot_id", "host_id"]].merge(after[["slot_id", "host_id"]], on="slot_id", how="outer",
                                                suffixes=("_old", "_new")).fillna("")
    changed = both[both["host_id_old"] != both["host_id_new"]]
    if len(changed):
        conn.execute(assignment_changes.insert(), [
            {"schedule_id": schedule_id, "slot_id": r.slot_id, "old_host_id": r.host_id_old,
             "new_host_id": r.host_id_new, "user": user, "at": at} for r in changed.itertuples()])


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


def changes(conn: sa.Connection, schedule_id: int) -> pd.DataFrame:
    columns = ["slot_id", "old_host_id", "new_host_id", "user", "at"]
    rows = conn.execute(sa.select(*[assignment_changes.c[c] for c in columns])
                        .where(assignment_changes.c.schedule_id == schedule_id)
                        .order_by(assignment_changes.c.id)).all()
    return pd.DataFrame(rows, columns=columns)
