"""A stored row that breaks the contract, or a database that cannot be used, gives every page a message, not a
traceback; the bad row is named and the import that brought it can be undone from the page."""
from __future__ import annotations

import sqlite3

import pytest

from store import BadStoredRow, open_store
from tests.conftest import SAMPLE
from tests.test_app import PAGES, open_page

NEW = "S-20990105-GLB-1000"


def _import_then_spoil(path) -> int:
    """Import one new session, then write a viewers count no reader accepts straight into its stored row."""
    header, first = (SAMPLE / "sessions.csv").read_text().splitlines()[:2]
    store = open_store(f"sqlite:///{path}")
    report = store.import_file(f"{header}\n{first.replace('S-20261005-GLB-1000', NEW)}\n".encode(), "sessions",
                               "late_sessions.csv", user="ana")
    store.engine.dispose()
    with sqlite3.connect(path) as db:
        db.execute("UPDATE sessions SET viewers = -9223372036854775808 WHERE session_id = ?", (NEW,))
    return report.import_id


def test_reading_a_bad_stored_row_names_its_table_key_column_and_import(app_store):
    import_id = _import_then_spoil(app_store)
    with pytest.raises(BadStoredRow) as caught:
        open_store(f"sqlite:///{app_store}").tables(["sessions"])
    assert caught.value.import_ids == [import_id]
    assert str(caught.value).startswith(f"sessions row {NEW}, column viewers: ")
    assert f"(it came in with import {import_id}, late_sessions.csv)" in str(caught.value)


def test_text_in_a_number_column_is_named_like_any_bad_cell(app_store):
    with sqlite3.connect(app_store) as db:
        db.execute("UPDATE sessions SET orders = 'lots' WHERE session_id = 'S-20261005-GLB-1000'")
    with pytest.raises(BadStoredRow, match="sessions row S-20261005-GLB-1000, column orders: 'lots' is not a "):
        open_store(f"sqlite:///{app_store}").tables(["sessions"])


@pytest.mark.parametrize("page", PAGES)
def test_every_page_names_the_bad_row_and_offers_the_undo(app_store, page):
    import_id = _import_then_spoil(app_store)
    app = open_page(page)
    assert not app.exception, f"{page}: {app.exception}"
    assert any(f"sessions row {NEW}, column viewers" in e.value for e in app.error), page
    assert app.button(key=f"undo_bad_import_{import_id}").label == f"Undo import {import_id}"


def test_the_undo_on_the_data_page_puts_the_store_right(app_store):
    import_id = _import_then_spoil(app_store)
    app = open_page("data")
    assert app.tabs, "the Data page renders in full beside the message"
    app.button(key=f"undo_bad_import_{import_id}").click().run()
    assert not app.exception
    assert not [e.value for e in app.error]
    sessions = open_store(f"sqlite:///{app_store}").tables(["sessions"]).sessions
    assert NEW not in set(sessions["session_id"])


def test_a_read_only_database_gives_a_message_not_a_traceback(app_store, monkeypatch):
    monkeypatch.delenv("STUDIO_DB_PATH")
    monkeypatch.setenv("STUDIO_DATABASE_URL", f"sqlite:///file:{app_store}?mode=ro&uri=true")
    app = open_page("settings")
    assert not app.exception, app.exception
    app.text_input(key="studio_name").set_value("Renamed studio")
    next(b for b in app.button if b.label == "Save settings").click().run()
    assert not app.exception, app.exception
    assert any("cannot be read or saved just now" in e.value and "read-only" in e.value for e in app.error), \
        [e.value for e in app.error]

