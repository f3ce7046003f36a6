"""The studio's data store: SQLite file by default, PostgreSQL by URL, versioned by Alembic migrations.

    from store import open_store
    store = open_store()                 # migrates, seeds from sample_data/studio when empty
    store.frames()["hosts.csv"]          # as contract.read_table returns it
    store.import_file("day.csv", "sessions", user="ana")
"""
from store.errors import VersionConflict
from store.imports import ImportRejected, ImportReport
from store.store import Store, open_store

__all__ = ["ImportRejected", "ImportReport", "Store", "VersionConflict", "open_store"]
