"""Two writers and a reader at once, on SQLite and (when configured) PostgreSQL: the second writer waits for
the first instead of failing, both imports land whole, and the reader only ever sees a table before or after
an import, never halfway."""
from __future__ import annotations

import threading

from test_store import postgres_url, store, store_url, studio_dir  # noqa: F401  (fixtures)

from store import open_store

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
