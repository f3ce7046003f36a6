"""Schema migrations: from an empty database, and from the previous revision without losing rows."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

import bcrypt
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from test_store import postgres_url, store_url  # noqa: F401  (fixtures)

from store import db, open_store
from store.db import alembic_config, current_revision, make_engine, migrate
from store.models import metadata

VERSIONS = Path(db.__file__).parent / "migrations" / "versions"
HEAD = f"{len(list(VERSIONS.glob('0*.py'))):04d}"  # the revisions are numbered 0001, 0002, ... in one line


def test_the_revisions_form_one_line_ending_at_the_newest_file():
    with make_engine("sqlite://").connect() as conn:
        script = ScriptDirectory.from_config(alembic_config(conn))
    assert script.get_heads() == [HEAD]
    assert [r.revision for r in script.walk_revisions()] == [f"{n:04d}" for n in range(int(HEAD), 0, -1)]


def test_empty_database_migrates_to_head_matching_the_models(store_url):
    store = open_store(store_url)
    assert current_revision(store.engine) == HEAD
    with store.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), metadata) == []
    assert store.tables(["hosts"]).hosts.empty
    store.engine.dispose()


def test_upgrade_from_the_previous_revision_keeps_the_data(store_url):
    engine = make_engine(store_url)
    migrate(engine, "0001")
    assert current_revision(engine) == "0001"
    with engine.begin() as conn:
        assert "users" not in sa.inspect(conn).get_table_names()
        conn.execute(sa.text(
            "INSERT INTO hosts (host_id, name, tier, categories, languages, hourly_rate, commission_rate, "
            "max_hours_per_week, min_hours_per_week, max_streams_per_day, role, extra, import_id) VALUES "
            "('h7', 'Cleo', 'C', 'fashion', 'en', 18.5, 0, 12, 0, 2, 'host', NULL, NULL)"))
        conn.execute(sa.text(
            "INSERT INTO imports (at, \"user\", file_name, kind, content_hash, rows_added, rows_updated, "
            "rows_deleted, rejected) VALUES (:at, 'ana', 'hosts.csv', 'hosts', 'abc', 1, 0, 0, 0)"),
            {"at": datetime(2026, 11, 20, 9, 30)})
    engine.dispose()

    store = open_store(store_url)
    assert current_revision(store.engine) == HEAD
    hosts = store.tables(["hosts"]).hosts
    assert hosts.loc[0, ["host_id", "name", "hourly_rate"]].tolist() == ["h7", "Cleo", 18.5]
    assert hosts.loc[0, "categories"] == ("fashion",)
    assert store.import_history()[["file_name", "user"]].values.tolist() == [["hosts.csv", "ana"]]
    store.users.add_user("ana", "associate", "correct horse")
    assert store.users.sign_in("ana", "correct horse").role == "associate"
    store.engine.dispose()


def test_upgrade_to_0006_gives_marked_assistant_changes_their_role(store_url):
    engine = make_engine(store_url)
    migrate(engine, "0005")
    at = datetime(2026, 11, 20, 9, 30)
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO schedules (id, week, status, version, created_by, created_at, "
                             "updated_by, updated_at) VALUES (1, '2026-W48', 'draft', 1, 'ana', :at, 'ana', :at)"),
                     {"at": at})
        conn.execute(sa.text("INSERT INTO assignment_changes (schedule_id, slot_id, old_host_id, new_host_id, "
                             "\"user\", at) VALUES (1, 'S1', 'H1', 'H2', 'ana', :at), "
                             "(1, 'S1', 'assistants:P01|P02', 'assistants:', 'ana', :at)"), {"at": at})
    engine.dispose()

    store = open_store(store_url)
    assert current_revision(store.engine) == HEAD
    changes = store.assignment_changes(1)
    assert changes[["slot_id", "role", "before", "after", "user"]].values.tolist() == [
        ["S1", "host", "H1", "H2", "ana"], ["S1", "assistants", "P01|P02", "", "ana"]]
    store.engine.dispose()


def test_upgrade_to_0010_keeps_time_off_recorded_before_with_nobody_named(store_url):
    engine = make_engine(store_url)
    migrate(engine, "0009")
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO hosts (host_id, name, tier, categories, hourly_rate, max_hours_per_week) "
                             "VALUES ('h7', 'Cleo', 'C', 'fashion', 18.5, 12)"))
        conn.execute(sa.text("INSERT INTO availability_exceptions (host_id, start, \"end\", change, note) VALUES "
                             "('h7', :start, :end, 'time off', 'dentist')"),
                     {"start": datetime(2026, 12, 1, 9), "end": datetime(2026, 12, 1, 12)})
    engine.dispose()

    store = open_store(store_url)
    assert current_revision(store.engine) == HEAD
    kept = store.tables(["availability_exceptions"]).availability_exceptions
    assert kept[["host_id", "change", "note", "recorded_by"]].values.tolist() == [["h7", "time off", "dentist", ""]]
    store.engine.dispose()


def test_upgrade_to_0011_keeps_users_able_to_sign_in(store_url):
    engine = make_engine(store_url)
    migrate(engine, "0010")
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO users (username, role, password_hash, created_at) VALUES "
                             "('ana', 'associate', :hash, :at)"),
                     {"hash": bcrypt.hashpw(b"correct horse", bcrypt.gensalt(4)).decode(), "at": datetime(2026, 12, 1)})
    engine.dispose()
    store = open_store(store_url)
    assert current_revision(store.engine) == HEAD
    assert store.users.sign_in("ana", "correct horse").role == "associate" and not store.users.is_disabled("ana")
    store.engine.dispose()


def test_upgrade_to_0012_adds_an_empty_calendar_changes_table_and_keeps_the_templates(store_url):
    engine = make_engine(store_url)
    migrate(engine, "0011")
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO show_templates (channel, weekdays, start, \"end\", product_tier, category, "
                             "language, room, assistants_needed, note) VALUES ('GlowLab Beauty', 'Tue', '19:00', "
                             "'22:00', 'hero', 'beauty', 'en', 'Studio 1', 1, '')"))
    engine.dispose()

    store = open_store(store_url)
    assert current_revision(store.engine) == HEAD
    tables = store.tables(["show_templates", "calendar_changes"])
    assert tables.show_templates[["channel", "weekdays"]].values.tolist() == [["GlowLab Beauty", ("Tue",)]]
    assert tables.calendar_changes.empty and store.table_version("calendar_changes") == 0
    store.engine.dispose()
