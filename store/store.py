"""The studio's data store: one object the app and the command line read and write through."""
from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
import sqlalchemy as sa

from contract import DataError
from contract.files import atomic_folder, write_csv
from contract.folder import StudioTables
from contract.plan import ASSIGNMENTS, ASSISTANTS, StaffingPlan, write_plan
from scheduler.settings import SETTINGS_FILE
from store import codec, own_studio, streams
from store import imports as imp
from store import schedules as sched
from store import settings as studio
from store.db import default_url, make_engine, migrate
from store.errors import BadCell, BadStoredRow, TablesChanged, VersionConflict
from store.feeds import Feeds
from store.imports import ImportRejected, ImportReport
from store.invoices import Invoices
from store.kinds import KINDS, Kind, children_of, kind_of
from store.models import DATA, decisions, import_undo, imports, table_versions, users
from store.models import studio_settings as settings_rows
from store.outbox import LastLook, Outbox, enqueue, last_mailed
from store.requests import Requests
from store.users import Users

SETTINGS = "settings"  # the studio's settings count a version beside the tables', so a check can be held to them


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


class Store:
    """Tables of the data contract plus import history, schedules, users and approvals."""

    def __init__(self, engine: sa.Engine):
        self.engine = engine
        self.users = Users(engine)
        self.feeds = Feeds(engine)
        self.outbox = Outbox(engine)
        self.requests = Requests(engine)
        self.invoices = Invoices(engine)

    # --- reading -------------------------------------------------------------------------------------
    def tables(self, kinds: Iterable[str] | None = None) -> StudioTables:
        """The tables of `kinds` (all when None), each the frame contract.read_table would return for the
        exported file; the others None."""
        wanted = [kind_of(k) for k in (kinds or KINDS)]
        with self.engine.connect() as conn:
            return StudioTables(**{k.name: self._frame(conn, k) for k in wanted})

    @staticmethod
    def _frame(conn: sa.Connection, kind: Kind, where: sa.ColumnElement | None = None) -> pd.DataFrame:
        rows = imp.load_rows(conn, kind, where=where)
        extras = [codec.parse_extra(v) for v in rows["extra"]]
        try:
            return codec.join_extras(codec.from_db(rows, kind), extras)
        except DataError as err:
            raise _bad_stored_rows(conn, kind, rows, err) from None

    def scorecard_tables(self, date_from: date | str, date_to: date | str) -> StudioTables:
        """sessions and sku_sales of the sessions that start on days date_from..date_to (inclusive)."""
        start = pd.Timestamp(date_from).to_pydatetime()
        end = (pd.Timestamp(date_to) + timedelta(days=1)).to_pydatetime()
        sessions = DATA["sessions"]
        in_period = sa.and_(sessions.c.start >= start, sessions.c.start < end)
        ids = sa.select(sessions.c.session_id).where(in_period)
        with self.engine.connect() as conn:
            return StudioTables(sessions=self._frame(conn, KINDS["sessions"], in_period),
                                sku_sales=self._frame(conn, KINDS["sku_sales"],
                                                      DATA["sku_sales"].c.session_id.in_(ids)))

    def table_version(self, kind: str) -> int:
        with self.engine.connect() as conn:
            return conn.execute(sa.select(table_versions.c.version)
                                .where(table_versions.c.kind == kind_of(kind).name)).scalar_one()

    # --- imports ---------------------------------------------------------------------------------------
    def preview_import(self, source: Path | str | bytes, kind: str, file_name: str | None = None) -> ImportReport:
        """What importing would do (rows to add, update, reject, with problems); writes nothing."""
        spec = kind_of(kind)
        data = imp.read_source(source, file_name)
        typed, report = imp.parse(data, spec)
        if typed is None:
            return report
        with self.engine.connect() as conn:
            return imp.find_changes(conn, spec, typed, data, report).report

    def import_file(self, source: Path | str | bytes, kind: str, file_name: str | None = None,
                    user: str = "unknown") -> ImportReport:
        """Validate, then upsert by key in one transaction.

        Any problem: nothing is written, the attempt is kept in the history, and ImportRejected (a
        contract.DataError carrying the report) is raised.
        """
        spec = kind_of(kind)
        return self._apply(spec, imp.read_source(source, file_name), user)

    def save_table(self, kind: str, frame: pd.DataFrame, user: str, expected_version: int) -> int:
        """Replace a table with an edited frame (roster edits) if nobody saved it since `expected_version`.

        Recorded in the history like an import, so it can be undone. Returns the new version.
        """
        spec = kind_of(kind)
        self._apply(spec, imp.frame_source(frame, spec, f"{spec.file} edited in the app"), user,
                    expected_version=expected_version, replace_all=True)
        return self.table_version(kind)

    def _apply(self, spec: Kind, data: imp.Source, user: str, expected_version: int | None = None,
               replace_all: bool = False) -> ImportReport:
        typed, parsed = imp.parse(data, spec)
        if typed is not None:
            watched = _watched_kinds(spec)
            with self.engine.connect() as conn:  # the diff is read outside the write lock, which stays short
                seen = _versions(conn, watched)  # before the rows: a save after this bumps what is compared
                report = copy.deepcopy(parsed)
                changes = imp.find_changes(conn, spec, typed, data, report, replace_all=replace_all)
            try:
                if not report.ok:
                    raise ImportRejected(report)
                with self.engine.begin() as conn:
                    _claim(conn, spec.name, user, expected_version)  # first: holds the table's write lock
                    if expected_version is not None:  # _claim counted this save
                        seen[spec.name] += 1
                    if _versions(conn, watched) != seen:  # someone saved meanwhile: diff again under the lock
                        report = copy.deepcopy(parsed)
                        changes = imp.find_changes(conn, spec, typed, data, report, replace_all=replace_all)
                    if not report.ok:
                        raise ImportRejected(report)  # rolls the transaction back
                    report.import_id = imp.write(conn, spec, changes, user, _now())
                    changed = report.rows_added or report.rows_updated or report.rows_deleted
                    if changed and expected_version is None:  # a save_table counted itself in _claim
                        _bump(conn, spec.name, user)
                    if changed and spec.name == "slots":
                        self._streams_changed(conn, user)
                return report
            except ImportRejected:
                pass
        else:
            report = parsed
        with self.engine.begin() as conn:
            report.import_id = imp.record_rejected(conn, report, user, _now())
        raise ImportRejected(report)

    def record_time_off(self, host_id: str, start: pd.Timestamp, end: pd.Timestamp, reason: str,
                        user: str) -> ImportReport:
        """Time off from `start` to `end` (a call-out) kept in availability_exceptions with its reason and who
        recorded it, so every later plan, hand edit and check of those days sees it. Recorded in the history
        like an import, so it can be undone; a host the roster does not know is refused like a bad row."""
        if pd.Timestamp(end) <= pd.Timestamp(start):
            raise ValueError(f"the time off ends ({end:%Y-%m-%d %H:%M}) before it starts ({start:%Y-%m-%d %H:%M})")
        spec = kind_of("availability_exceptions")
        row = pd.DataFrame({"host_id": [host_id], "start": [pd.Timestamp(start)], "end": [pd.Timestamp(end)],
                            "change": ["time off"], "note": [reason.strip()], "recorded_by": [user]})
        return self._apply(spec, imp.frame_source(row, spec, f"time off of {host_id} recorded in the app"), user)

    def import_history(self) -> pd.DataFrame:
        """Every import, newest first: when, who, which file, its sha256, rows added/updated/rejected, undone."""
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(imports).order_by(imports.c.id.desc())).all()
        return pd.DataFrame(rows, columns=[c.name for c in imports.c])

    def undo_import(self, import_id: int, user: str) -> None:
        """Restore the rows an import touched to exactly what they were before it.

        Refused (ValueError, nothing changed) when a later import changed the same rows and is not undone.
        """
        with self.engine.begin() as conn:
            row = _check_undoable(conn.execute(sa.select(imports).where(imports.c.id == import_id)).first(), import_id)
            if row.kind == own_studio.STUDIO:
                self._undo_clear(conn, import_id, user)
                return
            spec = KINDS[row.kind]
            _claim(conn, spec.name, user, None)
            later = conn.execute(
                sa.select(import_undo.c.import_id).distinct().join(imports, imports.c.id == import_undo.c.import_id)
                .where(import_undo.c.prev_import_id == import_id, imports.c.undone_at.is_(None))
                .order_by(import_undo.c.import_id)).scalars().all()
            if later:
                raise ValueError(f"cannot undo import {import_id}: import(s) {', '.join(map(str, later))} changed "
                                 f"the same {spec.name} rows later; undo {later[-1]} first")
            table = DATA[spec.name]
            logged = conn.execute(sa.select(import_undo.c.row).where(import_undo.c.import_id == import_id)
                                  .order_by(import_undo.c.id)).scalars().all()
            first_key = table.c[spec.keys[0]]
            restored = {r[spec.keys[0]] for r in logged}
            added = [k for k in conn.execute(sa.select(first_key).where(table.c.import_id == import_id)
                                             .distinct()).scalars() if k not in restored]
            for child, ref in children_of(spec.name):
                used = imp.still_used(conn, child, ref.column, added)
                if used:
                    raise ValueError(f"cannot undo import {import_id}: {child.file} still names "
                                     f"{', '.join(map(str, used))}, which it added; remove those rows first")
            conn.execute(table.delete().where(table.c.import_id == import_id))
            try:
                with conn.begin_nested():
                    imp.restore_rows(conn, spec, logged)
            except sa.exc.IntegrityError:
                raise ValueError(f"cannot undo import {import_id}: rows it replaced or removed were added "
                                 "again by a later import; undo that import first") from None
            conn.execute(imports.update().where(imports.c.id == import_id).values(undone_at=_now(), undone_by=user))
            _bump(conn, spec.name, user)
            if spec.name == "slots":
                self._streams_changed(conn, user)

    def start_own_studio(self, name: str, user: str) -> int:
        """Clear every row of the studio (the sample's, or any) in one step, named `name` from now on; returns
        the step's import id, which undo_import reverts while the new studio has no rows of its own (see
        `store.own_studio`)."""
        with self.engine.begin() as conn:
            for kind in (*KINDS, SETTINGS):
                _claim(conn, kind, user, None)
            import_id = own_studio.clear(conn, name, user, _now())
            for kind in (*KINDS, SETTINGS):
                _bump(conn, kind, user)
        return import_id

    def rows_to_clear(self) -> dict[str, int]:
        """What start_own_studio would remove now: rows per table that has any."""
        with self.engine.connect() as conn:
            return own_studio.rows_to_clear(conn)

    def standing_clear(self) -> int | None:
        """The import id of a start_own_studio step that is the newest import and not undone, else None."""
        with self.engine.connect() as conn:
            return own_studio.standing_clear(conn)

    def _undo_clear(self, conn: sa.Connection, import_id: int, user: str) -> None:
        for kind in (*KINDS, SETTINGS):
            _claim(conn, kind, user, None)
        own_studio.undo(conn, import_id, user)
        conn.execute(imports.update().where(imports.c.id == import_id).values(undone_at=_now(), undone_by=user))
        for kind in (*KINDS, SETTINGS):
            _bump(conn, kind, user)

    # --- schedules -------------------------------------------------------------------------------------
    def save_schedule(self, week: str, assignments: pd.DataFrame, user: str, expected_version: int | None = None,
                      status: str = "draft", unchanged: Mapping[str, int] | None = None) -> tuple[int, int]:
        """Save the week's draft (expected_version None: start a new draft); status "published" also
        publishes it. Returns (schedule id, version).

        `assignments`: one row per slot with slot_id, host_id, optionally locked, reason and assistant_ids
        ("|"-joined; `schedules.with_assistants` builds it from a long frame). Without assistant_ids the
        slots keep the assistants of the schedule being edited. Hosts and assistants share the version.
        `unchanged`: table versions (`table_versions`) the caller checked the plan against; if any moved,
        TablesChanged and nothing is saved.
        """
        return self.save_schedules({week: assignments}, user, expected_version, status, unchanged)[week]

    def save_schedules(self, plans: Mapping[str, pd.DataFrame], user: str, expected_version: int | None = None,
                       status: str = "draft", unchanged: Mapping[str, int] | None = None) -> dict[str, tuple[int, int]]:
        """`save_schedule` of several weeks in one transaction: every week is saved, or none."""
        if status not in sched.STATUSES:
            raise ValueError(f"status '{status}' is not one of {', '.join(sched.STATUSES)}")
        saved = {}
        with self.engine.begin() as conn:
            if unchanged is not None:
                _hold_versions(conn, unchanged)
            for week, assignments in plans.items():
                schedule_id, version = sched.save(conn, week, assignments, user, expected_version)
                if status == "published":
                    version = sched.publish(conn, schedule_id, user, version)
                saved[week] = (schedule_id, version)
            if status == "published":
                self._streams_changed(conn, user)
        return saved

    def edit_published(self, week: str, edits: sched.Edits, user: str,
                       decided: tuple[int, str, str, str | None] | None = None,
                       locks: Mapping[str, str] | None = None) -> int:
        """A few slots of a published week changed in place (see `schedules.edit_published`), the people's
        streams logged and mailed, and with `decided` (request id, status, note, replacement) the request that
        asked for it decided, all in one transaction. `locks` (slot_id -> host_id) moves slots.csv's lock of
        those slots to that host, recorded in the history like an import. Returns the new published schedule's
        id."""
        with self.engine.begin() as conn:
            if locks:
                _claim(conn, "slots", user, None)  # first, as every import of slots.csv takes it
            schedule_id = sched.edit_published(conn, week, edits, user)
            if decided is not None:
                request_id, status, note, replacement = decided
                self.requests.decide(request_id, status, user, note, replacement, conn=conn)
            if locks:
                self._move_locks(conn, locks, user, f"slots.csv: lock moved with an edit of published {week}")
            self._streams_changed(conn, user)
            return schedule_id

    def _move_locks(self, conn: sa.Connection, locks: Mapping[str, str], user: str, file_name: str) -> None:
        """slots.csv's locked_host_id of each slot set to its new host, in the caller's transaction."""
        spec = KINDS["slots"]
        rows = self._frame(conn, spec, DATA["slots"].c.slot_id.in_(list(locks)))
        rows = rows.assign(locked_host_id=rows["slot_id"].map(locks).astype("str"))
        data = imp.frame_source(rows, spec, file_name)
        typed, report = imp.parse(data, spec)
        if typed is not None:
            changes = imp.find_changes(conn, spec, typed, data, report)
        if typed is None or not report.ok:
            raise ImportRejected(report)
        imp.write(conn, spec, changes, user, _now())
        _bump(conn, spec.name, user)

    def publish_schedule(self, schedule_id: int, user: str, expected_version: int,
                         unchanged: Mapping[str, int] | None = None) -> int:
        """Publish a draft, hosts and assistants together; returns the new version. `unchanged` as in
        `save_schedule`."""
        with self.engine.begin() as conn:
            if unchanged is not None:
                _hold_versions(conn, unchanged)
            version = sched.publish(conn, schedule_id, user, expected_version)
            self._streams_changed(conn, user)
            return version

    def table_versions(self, kinds: Iterable[str]) -> dict[str, int]:
        """Each table's version: it grows with every change, so a decision made on the tables can be held to them."""
        with self.engine.connect() as conn:
            return _versions(conn, tuple(kinds))

    def schedule(self, week: str, status: str | None = "published") -> tuple[dict, pd.DataFrame] | None:
        """(meta, assignments) of the week's schedule with that status, or None.

        assignments: slot_id, host_id, locked, reason, assistant_ids (see `save_schedule`), hosts and
        assistants read in one transaction.
        """
        with self.engine.connect() as conn:
            return sched.load(conn, week, status)

    def published_schedules(self) -> pd.DataFrame:
        """Every week's published schedule: week, then the columns `schedule` gives."""
        with self.engine.connect() as conn:
            return sched.published(conn)

    def assignment_changes(self, schedule_id: int) -> pd.DataFrame:
        """Who changed which slot's host or assistants in a schedule: slot_id, role, before, after, user, at."""
        with self.engine.connect() as conn:
            return sched.changes(conn, schedule_id)

    def _streams_changed(self, conn: sa.Connection, user: str) -> None:
        """Log what the published weeks now give each person, and queue mail about changes to streams still to
        end, in the transaction that changed them (see `store.streams` and `store.outbox`)."""
        at = datetime.now()  # to the microsecond: "since" is exact
        changes = streams.record(conn, user, at)
        if not changes:
            return
        settings = studio.load(conn)
        local_now = datetime.now(ZoneInfo(settings.time_zone)).replace(tzinfo=None)
        upcoming = [change for change in changes if change.now.end > local_now]
        if upcoming:  # a stream that is over is news to nobody (seeding past weeks mails no one)
            enqueue(conn, upcoming, self._frame(conn, KINDS["hosts"]), settings.studio_name, settings.time_zone,
                    self._last_looks(conn, {change.person_id for change in upcoming}), made_at=at)

    @staticmethod
    def _last_looks(conn: sa.Connection, people: set[str]) -> dict[str, LastLook]:
        """For each of `people`, when they last saw their streams and what changed since then: their last look
        in the app (any user who is them), else, for someone who never looked there (no user, or one who never
        opened their streams), the last mail that went out to them."""
        looked = dict(conn.execute(sa.select(users.c.host_id, sa.func.max(users.c.last_looked_at))
                                   .where(users.c.host_id.in_(people), users.c.last_looked_at.is_not(None))
                                   .group_by(users.c.host_id)).all())
        mailed = last_mailed(conn, people - set(looked))
        return {person: LastLook(at, streams.changes_since(conn, person, at), in_app=person in looked)
                for person, at in (looked | mailed).items()}

    def changes_since(self, person_id: str, since: datetime) -> list[streams.Change]:
        """What changed in a person's streams after `since` (`streams.in_words` says each one)."""
        with self.engine.connect() as conn:
            return streams.changes_since(conn, person_id, since)

    # --- approvals -------------------------------------------------------------------------------------
    def record_decision(self, kind: str, subject_id: str, status: str, comment: str, user: str) -> int:
        """Record an approval decision (kind e.g. "invoice" or "run_of_show"); returns its id."""
        with self.engine.begin() as conn:
            return conn.execute(decisions.insert().values(
                kind=kind, subject_id=str(subject_id), status=status, comment=comment or "", user=user,
                at=_now()).returning(decisions.c.id)).scalar_one()

    def decisions(self, kind: str | None = None) -> pd.DataFrame:
        """Decisions in the order they were made (of one kind, or all)."""
        query = sa.select(decisions).order_by(decisions.c.id)
        if kind is not None:
            query = query.where(decisions.c.kind == kind)
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        return pd.DataFrame(rows, columns=[c.name for c in decisions.c])

    # --- the studio's settings ------------------------------------------------------------------------
    def studio_settings(self) -> studio.StudioSettings:
        with self.engine.connect() as conn:
            return studio.load(conn)

    def save_studio_settings(self, settings: studio.StudioSettings, user: str) -> None:
        with self.engine.begin() as conn:
            _claim(conn, SETTINGS, user, None)
            studio.save(conn, settings, user)
            _bump(conn, SETTINGS, user)

    def import_rules(self, path: Path | str, user: str, preview: bool = False) -> dict[str, tuple[str, str]]:
        """Save the scheduling rules of a settings.csv (a bad key or value: DataError naming file, row and
        column, nothing saved); returns key -> (before, after) of each rule that changes. `preview` saves
        nothing."""
        current = self.studio_settings()
        new = studio.with_rules_from(current, Path(path))
        changes = studio.rule_changes(current, new)
        if changes and not preview:
            self.save_studio_settings(new, user)
        return changes

    def settings_history(self) -> pd.DataFrame:
        """Every change of a studio setting, newest first (key, before, after, changed_by, changed_at)."""
        with self.engine.connect() as conn:
            return studio.history(conn)

    # --- export ----------------------------------------------------------------------------------------
    def export_all(self, out_dir: Path | str) -> list[Path]:
        """Every table back as its contract CSV file, plus the published schedules as assignments.csv and
        assistants.csv and the scheduling rules a studio saved as settings.csv (formula-like text neutralised).
        Seeding an empty store from the folder rebuilds the tables, its rules, and publishes those schedules
        again. The set is written in a folder beside `out_dir` and moved in when complete: an export that
        fails (a full disk) leaves no partial set."""
        out = Path(out_dir)
        with atomic_folder(out) as staging:
            for kind in KINDS.values():
                with self.engine.connect() as conn:
                    frame = self._frame(conn, kind)
                for column in kind.table.columns:
                    if column.kind == "list":
                        frame[column.name] = frame[column.name].map("|".join)
                write_csv(frame, staging / kind.file)
            written = [kind.file for kind in KINDS.values()] + [p.name for p in self._export_published(staging)]
            rules = studio.rules_file(self.studio_settings())
            if rules is not None:
                write_csv(rules, staging / SETTINGS_FILE)
                written.append(SETTINGS_FILE)
        return [out / name for name in written]

    def _export_published(self, out: Path) -> list[Path]:
        """Every week's published schedule as assignments.csv (week, slot_id, host_id, reason, locked) and
        assistants.csv (week, slot_id, assistant_id): the files `python -m workflows --plan/--assistants` read."""
        plans = self.published_schedules()
        long = sched.assistants_of(plans)
        helpers = long.assign(week=long["slot_id"].map(plans.set_index("slot_id")["week"]))
        published = StaffingPlan(plans[["week", "slot_id", "host_id", "reason", "locked"]],
                                 helpers[["week", "slot_id", "assistant_id"]])
        return write_plan(published, out / ASSIGNMENTS.file, out / ASSISTANTS.file)

    def is_empty(self) -> bool:
        """Nothing was ever imported and no studio settings were saved: a store a new studio started empty
        (`python -m store init --empty` saves its settings) is never seeded with the sample."""
        with self.engine.connect() as conn:
            return all(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one() == 0
                       for table in (imports, settings_rows))


def _bad_stored_rows(conn: sa.Connection, kind: Kind, rows: pd.DataFrame, err: DataError) -> BadStoredRow:
    """The contract's problems with stored rows, each placed by the row's key and the import that brought it.

    The reader numbers rows as file lines (header first); here they are rows of the table as read."""
    brought = {int(i) for i in rows["import_id"].dropna()}
    files = dict(conn.execute(sa.select(imports.c.id, imports.c.file_name).where(imports.c.id.in_(brought))).all()) \
        if brought else {}
    cells = []
    for problem in err.problems:
        if problem.row is None:
            cells.append(BadCell(kind.name, "(every row)", problem.column, problem.message, None, None))
            continue
        row = rows.iloc[problem.row - 2]
        import_id = None if pd.isna(row["import_id"]) else int(row["import_id"])
        cells.append(BadCell(kind.name, ", ".join(str(row[k]) for k in kind.keys), problem.column, problem.message,
                             import_id, files.get(import_id)))
    return BadStoredRow(cells, err.more)


def _check_undoable(row: sa.Row | None, import_id: int) -> sa.Row:
    """The import's row, when it can be undone."""
    if row is None:
        raise ValueError(f"there is no import {import_id}")
    if row.undone_at is not None:
        raise ValueError(f"import {import_id} was already undone by {row.undone_by} at {row.undone_at:%Y-%m-%d %H:%M}")
    if row.rejected:
        raise ValueError(f"import {import_id} was rejected; it changed nothing")
    return row


def _claim(conn: sa.Connection, kind: str, user: str, expected_version: int | None) -> None:
    """Take the table's write lock; with `expected_version`, also check nobody saved since and count a save."""
    versions = table_versions
    query = versions.update().where(versions.c.kind == kind)
    if expected_version is None:
        conn.execute(query.values(version=versions.c.version))
        return
    done = conn.execute(query.where(versions.c.version == expected_version)
                        .values(version=versions.c.version + 1, changed_by=user, changed_at=_now()))
    if done.rowcount == 0:
        row = conn.execute(sa.select(versions).where(versions.c.kind == kind)).one()
        raise VersionConflict(f"{kind} were changed by {row.changed_by} at {row.changed_at:%Y-%m-%d %H:%M} since "
                              "you opened them; reload and apply your edit again")


def _watched_kinds(spec: Kind) -> tuple[str, ...]:
    """The tables an import's diff reads: its own, the ones it refers to, and the ones that refer to it."""
    return tuple(sorted({spec.name, *(ref.parent for ref in spec.references),
                         *(child.name for child, _ in children_of(spec.name))}))


def _hold_versions(conn: sa.Connection, seen: Mapping[str, int]) -> None:
    """Hold the tables' write locks for this transaction, then TablesChanged if any moved past `seen`: a write
    after this waits for the transaction, and one before it is seen."""
    kinds = tuple(seen)
    conn.execute(table_versions.update().where(table_versions.c.kind.in_(kinds)).values(version=table_versions.c.version))
    now = _versions(conn, kinds)
    moved = sorted(k for k in kinds if now.get(k) != seen[k])
    if moved:
        raise TablesChanged(moved)


def _versions(conn: sa.Connection, kinds: tuple[str, ...]) -> dict[str, int]:
    return dict(conn.execute(sa.select(table_versions.c.kind, table_versions.c.version)
                             .where(table_versions.c.kind.in_(kinds))).all())


def _bump(conn: sa.Connection, kind: str, user: str) -> None:
    conn.execute(table_versions.update().where(table_versions.c.kind == kind)
                 .values(version=table_versions.c.version + 1, changed_by=user, changed_at=_now()))


def _ensure_versions(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        known = set(conn.execute(sa.select(table_versions.c.kind)).scalars())
        missing = [{"kind": k, "version": 0} for k in (*KINDS, SETTINGS) if k not in known]
        if missing:
            conn.execute(table_versions.insert(), missing)


def open_store(url: str | None = None) -> Store:
    """Open (and create) the store: migrate to the newest schema. `store.seed` fills an empty one."""
    engine = make_engine(url or default_url())
    migrate(engine)
    try:
        _ensure_versions(engine)
    except sa.exc.IntegrityError:  # another process opened the new store at the same moment
        pass
    return Store(engine)
