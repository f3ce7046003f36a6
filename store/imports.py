"""Importing a file into the store: validate everything first, then write in one transaction, undoably.

An import upserts by the kind's key. Rows it adds carry its import id; the previous version of every row
it replaces or deletes goes to the undo log, so undoing it restores exactly what was there before.
"""
from __future__ import annotations

import hashlib
import json
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd
import sqlalchemy as sa

from contract import DataError, Problem, parse_table, read_raw
from contract.columns import MAX_PROBLEMS
from store import codec
from store.kinds import KINDS, Kind, children_of
from store.models import DATA, import_undo, imports

CHUNK = 50_000  # rows per INSERT batch
IN_CHUNK = 900  # values per IN (...) list, under every database's parameter limit


@dataclass
class ImportReport:
    """What an import adds, updates and rejects; `problems` name file, row and column."""

    kind: str
    file_name: str
    content_hash: str
    rows_in_file: int = 0
    rows_added: int = 0
    rows_updated: int = 0
    rows_unchanged: int = 0
    rows_deleted: int = 0
    problems: list[Problem] = field(default_factory=list)
    more_problems: int = 0
    added: pd.DataFrame | None = None  # the rows that would be added
    updated: pd.DataFrame | None = None  # the new versions of rows that would change
    import_id: int | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def rejected(self) -> int:
        """Rows with a problem; every row when a problem concerns the whole file."""
        rows = {p.row for p in self.problems}
        if None in rows:
            return self.rows_in_file
        return min(len(rows) + self.more_problems, self.rows_in_file)

    def summary(self) -> str:
        if not self.ok:
            return f"{self.file_name}: rejected, nothing imported\n{DataError(self.problems, self.more_problems)}"
        text = (f"{self.file_name} ({self.kind}): {self.rows_added} added, {self.rows_updated} updated, "
                f"{self.rows_unchanged} unchanged")
        if self.rows_deleted:
            text += f", {self.rows_deleted} removed"
        return text + (f" (import {self.import_id})" if self.import_id is not None else "")


class ImportRejected(DataError):
    """An import with problems: nothing was written; `report` says what was wrong."""

    def __init__(self, report: ImportReport):
        self.report = report
        super().__init__(report.problems, report.more_problems)


@dataclass
class Source:
    """A file read as text cells, before validation."""

    raw: pd.DataFrame
    file_name: str
    content_hash: str


def read_source(source: Path | str | bytes, file_name: str | None = None) -> Source:
    """Read a CSV or Excel (first sheet) file given as a path or as the bytes of an upload."""
    if isinstance(source, (bytes, bytearray)):
        if not file_name:
            raise ValueError("an upload needs its file name (to tell CSV from Excel)")
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / Path(file_name).name
            path.write_bytes(source)
            return Source(read_raw(path), path.name, hashlib.sha256(source).hexdigest())
    path = Path(source)
    raw = read_raw(path)  # raises DataError naming the file when it is missing or unreadable
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return Source(raw, file_name or path.name, digest.hexdigest())


def frame_source(frame: pd.DataFrame, kind: Kind, file_name: str) -> Source:
    """A frame edited in the app (as Store.frames returns it) as if it had been read from a file."""
    raw = frame.copy()
    for column in kind.table.columns:
        if column.kind == "list" and column.name in raw.columns:
            raw[column.name] = ["|".join(v) if isinstance(v, (tuple, list)) else v for v in raw[column.name]]
    digest = hashlib.sha256(raw.to_csv(index=False).encode()).hexdigest()
    return Source(raw.reset_index(drop=True), file_name, digest)


@dataclass
class ImportChanges:
    """A validated import, ready to write: the typed rows and how they differ from the store."""

    report: ImportReport
    added: pd.DataFrame
    added_extras: list | None
    updated: pd.DataFrame
    updated_extras: list | None
    previous: list[dict]  # database rows (with import_id and extra) that the import replaces or deletes
    deleted_keys: pd.DataFrame


def parse(source: Source, kind: Kind) -> tuple[pd.DataFrame | None, ImportReport]:
    """Type and check the file on its own (no database needed)."""
    report = ImportReport(kind.name, source.file_name, source.content_hash, rows_in_file=len(source.raw))
    table = replace(kind.table, file=source.file_name)
    try:
        cells = codec.restore_formulas(source.raw)
        typed = kind.read(cells) if kind.read is not None else parse_table(cells, table)
    except DataError as err:
        report.problems = [replace(p, file=source.file_name) for p in err.problems]
        report.more_problems = err.more
        return None, report
    if len(kind.keys) > 1:
        repeated = typed.duplicated(list(kind.keys), keep="first").to_numpy()
        for pos in np.flatnonzero(repeated)[:MAX_PROBLEMS]:
            values = ", ".join(str(typed.at[pos, k]) for k in kind.keys)
            report.problems.append(Problem(source.file_name, int(pos) + 2, ", ".join(kind.keys),
                                           f"({values}) appears more than once; it must be unique"))
        report.more_problems += max(int(repeated.sum()) - MAX_PROBLEMS, 0)
    return typed, report


def find_changes(conn: sa.Connection, kind: Kind, typed: pd.DataFrame, source: Source, report: ImportReport,
                 replace_all: bool = False) -> ImportChanges:
    """Check references against the store and sort rows into added, updated and unchanged.

    `replace_all` (roster edits): rows of the store missing from the frame are deleted.
    """
    _check_references(conn, kind, typed, source.file_name, report)
    contract, extras = codec.split_extras(typed, kind)
    present = set(source.raw.columns)
    table = DATA[kind.name]
    whole = replace_all or _is_empty(conn, table)
    existing = load_rows(conn, kind) if whole else load_rows(conn, kind, contract[kind.keys[0]].unique().tolist())
    old = codec.from_db(existing, kind) if len(existing) else contract.iloc[:0]
    old_extras = [codec.parse_extra(v) for v in existing["extra"]] if len(existing) else []

    pairs = contract[list(kind.keys)].assign(_new=np.arange(len(contract))).merge(
        old[list(kind.keys)].assign(_old=np.arange(len(old))), on=list(kind.keys), how="left")
    matched = pairs["_old"].notna().to_numpy()
    new_pos, old_pos = pairs["_new"].to_numpy()[matched], pairs["_old"].to_numpy()[matched].astype(int)

    candidate = contract.iloc[new_pos].reset_index(drop=True)
    before = old.iloc[old_pos].reset_index(drop=True)
    for column in kind.columns:  # a file without an optional column keeps what the store has
        if column not in present:
            candidate[column] = before[column]
    same = np.ones(len(candidate), dtype=bool)
    for column in kind.columns:
        same &= _equal(candidate[column], before[column])
    merged_extras = _merged_extras(extras, old_extras, new_pos, old_pos)
    if merged_extras is not None:
        same &= np.fromiter((m == (old_extras[j] or {}) for m, j in zip(merged_extras, old_pos)), bool, len(old_pos))

    changed = ~same
    kept_old = set(old_pos.tolist())
    gone = np.array([j not in kept_old for j in range(len(old))], dtype=bool) if replace_all \
        else np.zeros(len(old), dtype=bool)
    if gone.any():
        _check_removal(conn, kind, old.loc[gone, kind.keys[0]].tolist(), source.file_name, report)
    replaced = np.concatenate([old_pos[changed], np.flatnonzero(gone)]).astype(int)
    previous = _previous_rows(existing.iloc[replaced], old.iloc[replaced], [old_extras[j] for j in replaced], kind)

    added_rows = contract.iloc[~matched].reset_index(drop=True)
    updated_rows = candidate[changed].reset_index(drop=True)
    report.rows_added, report.rows_updated = len(added_rows), len(updated_rows)
    report.rows_unchanged, report.rows_deleted = int(same.sum()), int(gone.sum())
    added_extras = [extras[i] for i in np.flatnonzero(~matched)] if extras else None
    updated_extras = None if merged_extras is None else [m for m, c in zip(merged_extras, changed) if c]
    report.added = codec.join_extras(added_rows, added_extras)
    report.updated = codec.join_extras(updated_rows, updated_extras)
    return ImportChanges(report, added_rows, added_extras, updated_rows, updated_extras or None, previous,
                old.loc[gone, list(kind.keys)].reset_index(drop=True))


def _merged_extras(extras: list | None, old_extras: list, new_pos: np.ndarray,
                   old_pos: np.ndarray) -> list[dict] | None:
    """Per matched row, the stored extra columns updated by the file's; None when neither has any."""
    if extras is None and not any(old_extras):
        return None
    new = extras or [None] * (int(new_pos.max()) + 1 if len(new_pos) else 0)
    return [{**(old_extras[j] or {}), **(new[i] or {})} for i, j in zip(new_pos.tolist(), old_pos.tolist())]


def _equal(a: pd.Series, b: pd.Series) -> np.ndarray:
    """Cell by cell equality where two empty cells are equal."""
    if a.dtype == object or b.dtype == object:
        return np.fromiter((x == y or (_empty(x) and _empty(y)) for x, y in zip(a, b)), bool, len(a))
    both_empty = (a.isna() & b.isna()).to_numpy()
    same = (a == b)
    return np.asarray(same.fillna(False) if same.dtype != bool else same, dtype=bool) | both_empty


def _empty(value) -> bool:
    return not isinstance(value, (tuple, list)) and pd.isna(value)


def _previous_rows(records: pd.DataFrame, typed: pd.DataFrame, extras: list, kind: Kind) -> list[dict]:
    values = codec.to_db(typed.reset_index(drop=True), kind)
    rows = [dict(zip(values, row)) for row in zip(*values.values())] if values else []
    for row, extra, import_id in zip(rows, extras, records["import_id"].tolist()):
        row["extra"] = extra
        row["import_id"] = None if pd.isna(import_id) else int(import_id)
    return rows


def _check_references(conn: sa.Connection, kind: Kind, typed: pd.DataFrame, file_name: str,
                      report: ImportReport) -> None:
    for ref in kind.references:
        parent = KINDS[ref.parent]
        column = DATA[parent.name].c[parent.keys[0]]
        text = typed[ref.column]
        named = text.unique().tolist()  # look up only the keys the file names, not the whole parent table
        known = {key for s in range(0, len(named), IN_CHUNK)
                 for key in conn.execute(sa.select(column).where(column.in_(named[s:s + IN_CHUNK]))).scalars()}
        unknown = ~text.isin(known).to_numpy()
        if ref.allow_empty:
            unknown &= (text != "").to_numpy()
        positions = np.flatnonzero(unknown)
        room = max(MAX_PROBLEMS - len(report.problems), 0)
        for pos in positions[:room]:
            report.problems.append(Problem(file_name, int(pos) + 2, ref.column,
                                           f"'{text.iloc[pos]}' is not in {parent.file}"))
        report.more_problems += max(len(positions) - room, 0)


def _check_removal(conn: sa.Connection, kind: Kind, keys: list, file_name: str, report: ImportReport) -> None:
    """Refuse to remove rows that other tables still point at (a host with availability windows)."""
    for child, ref in children_of(kind.name):
        used = still_used(conn, child, ref.column, keys)
        if used:
            report.problems.append(Problem(file_name, None, kind.keys[0],
                                           f"cannot remove {', '.join(map(str, used))}: still named in "
                                           f"{child.file} (column {ref.column})"))


def still_used(conn: sa.Connection, child: Kind, column: str, keys: list, limit: int = 5) -> list:
    """Up to `limit` of `keys` that rows of `child` still name in `column`."""
    found: list = []
    col = DATA[child.name].c[column]
    for start in range(0, len(keys), IN_CHUNK):
        query = sa.select(col).where(col.in_(keys[start:start + IN_CHUNK])).distinct().limit(limit - len(found))
        found += list(conn.execute(query).scalars())
        if len(found) >= limit:
            break
    return found


def _is_empty(conn: sa.Connection, table: sa.Table) -> bool:
    return conn.execute(sa.select(sa.literal(1)).select_from(table).limit(1)).first() is None


def _select(table: sa.Table) -> sa.Select:
    """All columns; datetimes and JSON come back raw (parsed in bulk by codec, faster than row by row)."""
    return sa.select(*[sa.type_coerce(c, sa.Text).label(c.name) if isinstance(c.type, (sa.DateTime, sa.JSON))
                       else c for c in table.c])


def load_rows(conn: sa.Connection, kind: Kind, first_keys: list | None = None,
              where: sa.ColumnElement | None = None) -> pd.DataFrame:
    """Database rows of `kind` (all, or those whose first key column is in `first_keys`)."""
    table = DATA[kind.name]
    query = _select(table)
    if where is not None:
        query = query.where(where)
    if first_keys is None:
        chunks = [conn.execute(query.order_by(*[table.c[k] for k in kind.keys]))]
    else:
        column = table.c[kind.keys[0]]
        chunks = [conn.execute(query.where(column.in_(first_keys[s:s + IN_CHUNK])))
                  for s in range(0, len(first_keys), IN_CHUNK)]
    rows = [row for result in chunks for row in result.all()]
    names = [c.name for c in table.c]
    columns = list(zip(*rows)) if rows else [()] * len(names)  # column by column: far quicker than row objects
    return pd.DataFrame({name: list(values) for name, values in zip(names, columns)}, columns=names)


def write(conn: sa.Connection, kind: Kind, changes: ImportChanges, user: str, at: datetime) -> int:
    """Record the import, then replace, delete and add rows; the caller's transaction makes it all-or-nothing."""
    report = changes.report
    import_id = conn.execute(imports.insert().values(
        at=at, user=user, file_name=report.file_name, kind=kind.name, content_hash=report.content_hash,
        rows_added=report.rows_added, rows_updated=report.rows_updated, rows_deleted=report.rows_deleted,
        rejected=0).returning(imports.c.id)).scalar_one()
    if changes.previous:
        _log_previous(conn, kind, changes.previous, import_id)
        delete_keys(conn, kind, [{k: row[k] for k in kind.keys} for row in changes.previous])
    insert_rows(conn, kind, changes.updated, changes.updated_extras, import_id)
    insert_rows(conn, kind, changes.added, changes.added_extras, import_id)
    return import_id


def _log_previous(conn: sa.Connection, kind: Kind, previous: list[dict], import_id: int) -> None:
    """The undo log of the rows an import replaces: on SQLite as one executemany of JSON text, which is
    what SQLAlchemy's JSON type writes, without its per-row processing."""
    if conn.dialect.name != "sqlite":
        logged = [codec.json_row(row) for row in previous]
        conn.execute(import_undo.insert(), [
            {"import_id": import_id, "kind": kind.name, "prev_import_id": row["import_id"],
             "key": {k: row[k] for k in kind.keys}, "row": row} for row in logged])
        return
    quote = conn.dialect.identifier_preparer.quote
    sql = (f"INSERT INTO {quote(import_undo.name)} (import_id, kind, prev_import_id, {quote('key')}, {quote('row')}) "
           "VALUES (?, ?, ?, ?, ?)")
    encode = json.JSONEncoder(default=codec.iso_time).encode  # datetimes as ISO text, like codec.json_row
    conn.exec_driver_sql(sql, [(import_id, kind.name, row["import_id"], encode({k: row[k] for k in kind.keys}),
                                encode(row)) for row in previous])


def log_and_delete_all(conn: sa.Connection, kind: Kind, import_id: int) -> int:
    """Remove every row of `kind`, each logged for undo under `import_id` as an import logs what it replaces;
    returns how many."""
    existing = load_rows(conn, kind)
    if not len(existing):
        return 0
    extras = [codec.parse_extra(v) for v in existing["extra"]]
    _log_previous(conn, kind, _previous_rows(existing, codec.from_db(existing, kind), extras, kind), import_id)
    conn.execute(DATA[kind.name].delete())
    return len(existing)


def record_rejected(conn: sa.Connection, report: ImportReport, user: str, at: datetime) -> int:
    """A rejected import is kept in the history too (it changed nothing)."""
    return conn.execute(imports.insert().values(
        at=at, user=user, file_name=report.file_name, kind=report.kind, content_hash=report.content_hash,
        rows_added=0, rows_updated=0, rows_deleted=0, rejected=max(report.rejected, 1)
    ).returning(imports.c.id)).scalar_one()


def delete_keys(conn: sa.Connection, kind: Kind, keys: list[dict]) -> None:
    """Delete rows by key; on SQLite one executemany of plain tuples, without SQLAlchemy's per-row binding."""
    table = DATA[kind.name]
    if conn.dialect.name == "sqlite":
        quote = conn.dialect.identifier_preparer.quote
        where = " AND ".join(f"{quote(k)} = ?" for k in kind.keys)
        conn.exec_driver_sql(f"DELETE FROM {quote(table.name)} WHERE {where}",
                             [tuple(codec.sqlite_param(key[k]) for k in kind.keys) for key in keys])
        return
    condition = sa.and_(*[table.c[k] == sa.bindparam(f"key_{k}") for k in kind.keys])
    conn.execute(table.delete().where(condition), [{f"key_{k}": v for k, v in key.items()} for key in keys])


def insert_rows(conn: sa.Connection, kind: Kind, contract: pd.DataFrame, extras: list | None,
                import_id: int | None) -> None:
    """Bulk insert: executemany of plain tuples on SQLite, COPY on PostgreSQL."""
    if contract.empty:
        return
    table = DATA[kind.name]
    columns = [*kind.columns, "extra", "import_id"]
    quote = conn.dialect.identifier_preparer.quote
    names = ", ".join(quote(c) for c in columns)
    chunks = (_db_rows(conn, kind, contract.iloc[s:s + CHUNK], extras[s:s + CHUNK] if extras else None, import_id)
              for s in range(0, len(contract), CHUNK))
    if conn.dialect.name == "postgresql":
        driver = conn.connection.driver_connection
        assert driver is not None  # a connection in use holds its driver's connection
        with driver.cursor() as cursor:
            with cursor.copy(f"COPY {quote(table.name)} ({names}) FROM STDIN") as copy:
                for rows in chunks:
                    for row in rows:
                        copy.write_row(row)
    elif conn.dialect.name == "sqlite":
        sql = f"INSERT INTO {quote(table.name)} ({names}) VALUES ({', '.join('?' * len(columns))})"
        for rows in chunks:
            conn.exec_driver_sql(sql, rows)
    else:
        for rows in chunks:
            conn.execute(table.insert(), [dict(zip(columns, row)) for row in rows])


def _db_rows(conn: sa.Connection, kind: Kind, contract: pd.DataFrame, extras: list | None,
             import_id: int | None) -> list[tuple]:
    """One chunk as tuples of plain values (SQLite gets datetimes as the text SQLAlchemy itself writes)."""
    values = codec.to_db(contract, kind, datetime_text=conn.dialect.name == "sqlite")
    extra = [json.dumps(e) if e else None for e in extras] if extras else [None] * len(contract)
    return list(zip(*values.values(), extra, [import_id] * len(contract)))


def restore_rows(conn: sa.Connection, kind: Kind, rows: Sequence[dict]) -> None:
    """Put back rows from the undo log, with the import id they had."""
    if rows:
        conn.execute(DATA[kind.name].insert(), [codec.unjson_row(r, kind) for r in rows])
