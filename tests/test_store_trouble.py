"""A database that is busy, read-only or full, and a disk that fills during an export: a message naming the
database, exit code 2 on the command line, and nothing half-written."""
from __future__ import annotations

import errno
import sqlite3

import pytest
import sqlalchemy as sa
from test_store import sqlite_url, write_studio

import store.store as store_module
from store import open_seeded
from store.cli import main as store_main
from store.db import make_engine
from store.errors import StoreUnavailable
from store.store import Store

TARGETS = b"metric,target\ngmv,7000\n"


@pytest.fixture
def db(tmp_path):
    """A seeded SQLite store file."""
    opened = open_seeded(sqlite_url(tmp_path), write_studio(tmp_path / "studio"))
    opened.engine.dispose()
    return tmp_path / "studio.db"


def targets(db) -> list:
    with sqlite3.connect(db) as conn:
        return conn.execute("select metric, target from targets order by metric").fetchall()


def test_a_second_writer_waits_then_is_told_the_store_is_busy(db):
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another import holding the write lock
    busy = Store(make_engine(f"sqlite:///{db}", busy_seconds=0.2))
    with pytest.raises(StoreUnavailable) as err:
        busy.import_file(TARGETS, "targets", "targets.csv", "ana")
    assert str(err.value) == (f"the database {db} is busy: another import or save did not finish in time; "
                              "try again in a minute; nothing was changed")
    holder.execute("ROLLBACK")
    holder.close()
    busy.import_file(TARGETS, "targets", "targets.csv", "ana")  # control: once free, the same import goes in
    assert ("gmv", 7000.0) in targets(db)
    busy.engine.dispose()


def test_a_read_only_database_is_named_and_the_command_exits_2(db, capsys):
    before = targets(db)
    read_only = f"sqlite:///file:{db}?mode=ro&uri=true"
    (db.parent / "targets.csv").write_bytes(TARGETS)
    assert store_main(["--url", read_only, "import", str(db.parent / "targets.csv"), "--kind", "targets"]) == 2
    err = capsys.readouterr().err
    assert err == (f"error: the database file:{db} is read-only: check the permissions of the file and its "
                   "folder; nothing was changed\n")
    assert targets(db) == before


def test_a_full_database_is_named(db):
    engine = make_engine(f"sqlite:///{db}")

    @sa.event.listens_for(engine, "connect")
    def _no_room(dbapi_connection, _record):
        pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")

    rows = "metric,target\n" + "".join(f"metric_{i},{i}\n" for i in range(20_000))
    with pytest.raises(StoreUnavailable, match=rf"^the database {db} cannot be written: the disk is full"):
        Store(engine).import_file(rows.encode(), "targets", "targets.csv", "ana")
    engine.dispose()
    assert len(targets(db)) == 2


def test_an_export_that_fills_the_disk_leaves_no_partial_set(db, tmp_path, monkeypatch):
    out = tmp_path / "export"
    out.mkdir()
    (out / "notes.txt").write_text("kept")
    written = []

    def fill_the_disk(frame, path):
        if len(written) == 3:
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        written.append(path)
        real_write_csv(frame, path)

    real_write_csv = store_module.write_csv
    monkeypatch.setattr(store_module, "write_csv", fill_the_disk)
    store = Store(make_engine(f"sqlite:///{db}"))
    with pytest.raises(OSError, match="No space left"):
        store.export_all(out)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []  # no staging folder left
    assert [p.name for p in out.iterdir()] == ["notes.txt"]
    monkeypatch.undo()
    paths = store.export_all(out)  # control: the same export completes and lands beside what was there
    assert sorted(p.name for p in out.iterdir()) == sorted([p.name for p in paths] + ["notes.txt"])
    assert all(p.parent == out and p.exists() for p in paths)
    store.engine.dispose()


def test_an_export_into_a_new_folder_creates_it_whole(db, tmp_path):
    store = Store(make_engine(f"sqlite:///{db}"))
    paths = store.export_all(tmp_path / "new" / "export")
    assert {p.name for p in paths} == {p.name for p in (tmp_path / "new" / "export").iterdir()}
    assert "hosts.csv" in {p.name for p in paths} and "assignments.csv" in {p.name for p in paths}
    store.engine.dispose()

