"""Starting your own studio in a store that holds the sample (or any studio): every row cleared in one step
that `Store.undo_import` reverts.

The clear is recorded in the import history like an import (kind `studio`), so it sits in the one list of
undoable steps. Its undo log keeps every row it removed: the contract tables' rows as an import logs them,
and the rows of the tables about people and weeks (stream changes, requests, open slots, approvals, feed
links, mail) whole. Published and draft schedules are not removed but marked superseded, as a later publish
would mark them, and the log keeps their status. Users stay, so whoever clears can still sign in; the
scheduling rules go back to the contract's defaults and the studio takes its new name, with the settings
history keeping the earlier values.

An undo puts back exactly what was there, so it is refused once the new studio has rows of its own (an
import not undone, a schedule saved, a request made): putting the sample back under them would mix two
studios.
"""
from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import datetime

import sqlalchemy as sa

from store import codec
from store import imports as imp
from store import settings as studio
from store.kinds import KINDS
from store.models import (
    DATA,
    decisions,
    feed_tokens,
    host_requests,
    import_undo,
    imports,
    invoices,
    open_slots,
    outbox,
    schedules,
    stream_changes,
    studio_settings,
)

STUDIO = "studio"  # the import history's kind of a clear
CLEARED_FILE = "every table cleared to start your own studio"
SCHEDULES = "schedules"
# Rows about people and weeks of the studio cleared: kept whole in the undo log, put back whole.
PEOPLE_TABLES = (stream_changes, host_requests, open_slots, decisions, feed_tokens, outbox, invoices)
SETTINGS_ROWS = "studio_settings"


def clear(conn: sa.Connection, name: str, user: str, at: datetime) -> int:
    """Remove every row of the studio (see the module docstring) in the caller's transaction; returns the
    clear's import id. The caller holds every table's write lock."""
    import_id = conn.execute(imports.insert().values(
        at=at, user=user, file_name=CLEARED_FILE, kind=STUDIO, content_hash=hashlib.sha256(b"").hexdigest(),
        rows_added=0, rows_updated=0, rows_deleted=0, rejected=0).returning(imports.c.id)).scalar_one()
    removed = sum(imp.log_and_delete_all(conn, kind, import_id) for kind in reversed(KINDS.values()))
    removed += _supersede_schedules(conn, import_id)
    for table in PEOPLE_TABLES:
        removed += _log_and_delete_table(conn, table, import_id)
    _log_whole(conn, SETTINGS_ROWS, [dict(row._mapping) for row in conn.execute(sa.select(studio_settings))],
               import_id)
    studio.save(conn, replace(studio.load(conn), studio_name=name), user)
    studio.clear_rules(conn, user)
    conn.execute(imports.update().where(imports.c.id == import_id).values(rows_deleted=removed))
    return import_id


def undo(conn: sa.Connection, import_id: int, user: str) -> None:
    """Put back what the clear `import_id` removed, in the caller's transaction; ValueError (nothing changed)
    when the studio has rows of its own since."""
    _refuse_when_used(conn, import_id)
    logged = conn.execute(sa.select(import_undo.c.kind, import_undo.c.row).where(import_undo.c.import_id == import_id)
                          .order_by(import_undo.c.id)).all()
    by_kind: dict[str, list[dict]] = {}
    for kind, row in logged:
        by_kind.setdefault(kind, []).append(row)
    for kind in KINDS.values():
        imp.restore_rows(conn, kind, by_kind.get(kind.name, []))
    for row in by_kind.get(SCHEDULES, []):
        conn.execute(schedules.update().where(schedules.c.id == row["id"]).values(status=row["status"]))
    for table in PEOPLE_TABLES:
        _restore_whole(conn, table, by_kind.get(table.name, []))
    studio.save(conn, studio.from_rows({row["key"]: row["value"] for row in by_kind.get(SETTINGS_ROWS, [])}), user)


def _supersede_schedules(conn: sa.Connection, import_id: int) -> int:
    """Mark every draft and published schedule superseded, logging each one's status."""
    live = [dict(row._mapping) for row in conn.execute(
        sa.select(schedules.c.id, schedules.c.week, schedules.c.status).where(schedules.c.status != "superseded"))]
    _log_whole(conn, SCHEDULES, live, import_id)
    if live:
        conn.execute(schedules.update().where(schedules.c.id.in_([row["id"] for row in live]))
                     .values(status="superseded"))
    return len(live)


def _log_and_delete_table(conn: sa.Connection, table: sa.Table, import_id: int) -> int:
    rows = [dict(row._mapping) for row in conn.execute(sa.select(table))]
    _log_whole(conn, table.name, rows, import_id)
    conn.execute(table.delete())
    return len(rows)


def _log_whole(conn: sa.Connection, kind: str, rows: list[dict], import_id: int) -> None:
    if rows:
        conn.execute(import_undo.insert(), [
            {"import_id": import_id, "kind": kind, "prev_import_id": None, "key": {}, "row": codec.json_row(row)}
            for row in rows])


def _restore_whole(conn: sa.Connection, table: sa.Table, rows: list[dict]) -> None:
    if not rows:
        return
    times = [c.name for c in table.c if isinstance(c.type, sa.DateTime)]
    conn.execute(table.insert(), [
        {**row, **{c: datetime.fromisoformat(row[c]) for c in times if row.get(c) is not None}} for row in rows])


def _refuse_when_used(conn: sa.Connection, import_id: int) -> None:
    """ValueError naming what the new studio made since the clear, if anything."""
    later = conn.execute(sa.select(imports.c.id).where(imports.c.id > import_id, imports.c.undone_at.is_(None),
                                                       imports.c.rejected == 0).order_by(imports.c.id)).scalars().all()
    if later:
        raise ValueError(f"cannot undo the clear (import {import_id}): your studio's own import(s) "
                         f"{', '.join(map(str, later))} came after it; undo those first")
    weeks = conn.execute(sa.select(schedules.c.week).where(schedules.c.status != "superseded")
                         .order_by(schedules.c.week)).scalars().all()
    if weeks:
        raise ValueError(f"cannot undo the clear (import {import_id}): {', '.join(dict.fromkeys(weeks))} "
                         "has a schedule saved since")
    used = [table.name.replace("_", " ") for table in PEOPLE_TABLES
            if conn.execute(sa.select(sa.literal(1)).select_from(table).limit(1)).first() is not None]
    if used:
        raise ValueError(f"cannot undo the clear (import {import_id}): the new studio has {', '.join(used)} "
                         "of its own since")


def rows_to_clear(conn: sa.Connection) -> dict[str, int]:
    """What a clear would remove now, per table (the schedules: those drafted or published), tables with
    rows only."""
    counts = {kind: conn.execute(sa.select(sa.func.count()).select_from(DATA[kind])).scalar_one() for kind in KINDS}
    counts[SCHEDULES] = conn.execute(sa.select(sa.func.count()).select_from(schedules)
                                     .where(schedules.c.status != "superseded")).scalar_one()
    counts |= {t.name: conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one() for t in PEOPLE_TABLES}
    return {name: int(n) for name, n in counts.items() if n}


WORDS = {SCHEDULES: "published or draft weeks", "stream_changes": "calendar feed entries",
         "host_requests": "requests from hosts", "open_slots": "open slots offered", "decisions": "approvals",
         "feed_tokens": "feed links", "outbox": "mails", "invoices": "invoices", "sku_sales": "SKU sales"}


def described(rows: dict[str, int]) -> str:
    """rows_to_clear in words: "hosts 28, slots 1,135, published or draft weeks 8, ..." ("nothing" for none)."""
    words = [f"{WORDS.get(name, name.replace('_', ' '))} {count:,}" for name, count in rows.items()]
    return ", ".join(words) or "nothing"


def standing_clear(conn: sa.Connection) -> int | None:
    """The newest import's id when it is a clear not undone: the step the app offers to undo."""
    newest = conn.execute(sa.select(imports.c.id, imports.c.kind, imports.c.undone_at)
                          .order_by(imports.c.id.desc()).limit(1)).first()
    return newest.id if newest is not None and newest.kind == STUDIO and newest.undone_at is None else None
