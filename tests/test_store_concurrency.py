"""Two writers and a reader at once, on SQLite and (when configured) PostgreSQL: the second writer waits for
the first instead of failing, both imports land whole, and the reader only ever sees a table before or after
an import, never halfway."""
from __future__ import annotations

import threading

import pandas as pd
import pytest
from test_store import postgres_url, store, store_url, studio_dir  # noqa: F401  (fixtures)

from store import imports as imp
from store import open_store
from store.imports import ImportRejected

ROWS = 3000  # enough minutes that the first import is still writing when the others start


def minutes(viewers: int) -> bytes:
    return ("session_id,minute,concurrent_viewers\n"
            + "".join(f"x1,{m},{viewers}\n" for m in range(ROWS))).encode()


def test_two_writers_and_a_reader(store, store_url):  # noqa: F811
    store.import_file(minutes(1), "viewer_minutes", "vm.csv", "setup")
    other = open_store(store_url)
    reader = open_store(store_url)
    seen, errors = [], []
    writing = threading.Event()

    def write_minutes():
        try:
            writing.set()
            store.import_file(minutes(2), "viewer_minutes", "vm.csv", "ana")
        except Exception as err:  # noqa: BLE001  (the test reports any failure)
            errors.append(err)

    def write_targets():
        try:
            writing.wait()
            other.import_file(b"metric,target\ngmv,9000\n", "targets", "targets.csv", "ben")
        except Exception as err:  # noqa: BLE001
            errors.append(err)

    def read():
        try:
            writing.wait()
            for _ in range(15):
                frame = reader.tables(["viewer_minutes"]).viewer_minutes
                seen.append(frame.loc[frame["session_id"] == "x1", "concurrent_viewers"].value_counts().to_dict())
        except Exception as err:  # noqa: BLE001
            errors.append(err)

    threads = [threading.Thread(target=f) for f in (write_minutes, write_targets, read)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert all(counts in ({1: ROWS}, {2: ROWS}) for counts in seen), seen
    final = reader.tables(["viewer_minutes", "targets"])
    assert set(final.viewer_minutes.query("session_id == 'x1'")["concurrent_viewers"]) == {2}
    assert final.targets.set_index("metric").at["gmv", "target"] == 9000
    history = reader.import_history()
    assert set(history["user"]) >= {"ana", "ben"} and history["rejected"].eq(0).all()
    for opened in (other, reader):
        opened.engine.dispose()


def test_a_save_during_the_diff_is_seen_before_writing(store, store_url, monkeypatch):  # noqa: F811
    """The diff is read without the write lock, so another writer may save meanwhile; that save neither waits nor
    is overwritten: the import diffs again under the lock and refuses a host removed in between."""
    hosts = store.tables(["hosts"]).hosts
    newcomer = hosts.iloc[[0]].assign(host_id="H999", name="Newcomer")
    store.save_table("hosts", pd.concat([hosts, newcomer]), "setup", store.table_version("hosts"))
    other = open_store(store_url)
    diffs: list[str] = []
    real_find_changes = imp.find_changes

    def find_changes_while_someone_saves(*args, **kwargs):
        diffs.append(args[1].name)
        changes = real_find_changes(*args, **kwargs)
        if diffs == ["availability"]:  # after the first diff the roster drops H999, its save not blocked by it
            other.save_table("hosts", hosts, "ben", other.table_version("hosts"))
        return changes

    monkeypatch.setattr(imp, "find_changes", find_changes_while_someone_saves)
    window = b"host_id,start,end\nH999,2026-12-07T10:00:00,2026-12-07T14:00:00\n"
    with pytest.raises(ImportRejected) as refused:
        store.import_file(window, "availability", "availability.csv", "ana")
    assert diffs == ["availability", "hosts", "availability"]
    assert [(p.row, p.column) for p in refused.value.report.problems] == [(2, "host_id")]
    assert "H999" in refused.value.report.problems[0].message
    assert "H999" not in set(store.tables(["availability"]).availability["host_id"])
    other.engine.dispose()


def test_a_diff_with_nobody_saving_is_read_once(store, monkeypatch):  # noqa: F811
    diffs = []
    real_find_changes = imp.find_changes
    monkeypatch.setattr(imp, "find_changes", lambda *a, **k: diffs.append(1) or real_find_changes(*a, **k))
    report = store.import_file(b"metric,target\ngmv,9000\n", "targets", "targets.csv", "ana")
    assert diffs == [1] and report.rows_updated + report.rows_added == 1
