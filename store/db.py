"""Where the store lives (SQLite file by default, PostgreSQL by URL) and bringing its schema to head."""
from __future__ import annotations

import os
from functools import partial
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from store.errors import StoreUnavailable

REPO = Path(__file__).resolve().parents[1]
BUSY_SECONDS = 60.0  # how long a writer waits for another one before it is told the store is busy
_REASONS = {  # words of SQLite's and PostgreSQL's errors -> what a person reads
    "database is locked": "is busy: another import or save did not finish in time; try again in a minute",
    "lock timeout": "is busy: another import or save did not finish in time; try again in a minute",
    "readonly database": "is read-only: check the permissions of the file and its folder",
    "read-only": "is read-only: check the permissions of the file and its folder",
    "disk is full": "cannot be written: the disk is full; free some space",
    "no space left": "cannot be written: the disk is full; free some space",
    "unable to open database file": "cannot be opened: check that its folder exists and may be written",
}
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


def make_engine(url: str, busy_seconds: float = BUSY_SECONDS) -> sa.Engine:
    """An engine whose SQLite connections use WAL and real transactions (BEGIN issued by SQLAlchemy).

    A writer that finds the store busy waits up to `busy_seconds` for the other one to finish; then, as
    when the database is read-only, full or cannot be opened, it gets StoreUnavailable naming the database.
    """
    if not url.startswith("sqlite"):
        engine = sa.create_engine(url, pool_pre_ping=True)
        sa.event.listen(engine, "connect", partial(_postgres_timeout, seconds=busy_seconds))
        sa.event.listen(engine, "handle_error", _unavailable)
        return engine
    _create_owner_only(url)
    engine = sa.create_engine(url, connect_args={"timeout": busy_seconds})
    sa.event.listen(engine, "handle_error", _unavailable)

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


def _postgres_timeout(dbapi_connection, _record, seconds: float) -> None:
    with dbapi_connection.cursor() as cursor:
        cursor.execute(f"SET lock_timeout = {int(seconds * 1000)}")
    dbapi_connection.commit()


def _unavailable(context: sa.engine.ExceptionContext) -> None:
    """Turn a database that is busy, read-only, full or out of reach into StoreUnavailable, naming it."""
    error = context.original_exception
    if context.is_pre_ping or not isinstance(context.sqlalchemy_exception, sa.exc.OperationalError):
        return
    engine = context.engine
    where = engine.url.database if engine is not None and engine.url.get_backend_name() == "sqlite" else (
        engine.url.render_as_string(hide_password=True) if engine is not None else "of the studio")
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    reason = next((why for clue, why in _REASONS.items() if clue in text.lower()), None)
    raise StoreUnavailable(f"the database {where} {reason or f'cannot be used ({text})'}; nothing was changed") \
        from error


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
