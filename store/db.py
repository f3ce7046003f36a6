"""Where the store lives (SQLite file by default, PostgreSQL by URL) and bringing its schema to head."""
from __future__ import annotations

import os
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config

REPO = Path(__file__).resolve().parents[1]
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def default_url() -> str:
    """`STUDIO_DATABASE_URL` if set, else the SQLite file at `STUDIO_DB_PATH` (default .store/studio.db)."""
    url = os.environ.get("STUDIO_DATABASE_URL")
    if url:
        return url
    path = Path(os.environ.get("STUDIO_DB_PATH") or REPO / ".store" / "studio.db")
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"


def _create_owner_only(url: str) -> None:
    """Create a new SQLite file readable by its owner alone (0600): it holds password hashes and pay.

    SQLite gives its -wal and -shm files the database file's mode, so they are owner-only too.
    """
    path = sa.engine.make_url(url).database
    if path and path != ":memory:" and not path.startswith("file:") and not os.path.exists(path):
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))


def make_engine(url: str) -> sa.Engine:
    """An engine whose SQLite connections use WAL and real transactions (BEGIN issued by SQLAlchemy)."""
    if not url.startswith("sqlite"):
        return sa.create_engine(url, pool_pre_ping=True)
    _create_owner_only(url)
    engine = sa.create_engine(url, connect_args={"timeout": 60})

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # let the "begin" hook below open transactions
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA cache_size=-131072")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(connection):
        connection.exec_driver_sql("BEGIN")

    return engine


def alembic_config(connection: sa.Connection) -> Config:
    """Alembic settings in code: no alembic.ini is needed anywhere."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def migrate(engine: sa.Engine, revision: str = "head") -> None:
    """Upgrade the schema to `revision`; migrations only add, so existing rows are kept."""
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), revision)


def current_revision(engine: sa.Engine) -> str | None:
    from alembic.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
