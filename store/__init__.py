"""The studio's data store: SQLite file by default, PostgreSQL by URL, versioned by Alembic migrations.

    from store import open_seeded, open_store
    store = open_store()                 # migrates to the newest schema
    store = open_seeded(None, folder)    # the same, and seeds an empty store from a studio folder
    store.tables().hosts                 # as contract.read_table returns it
    store.import_file("day.csv", "sessions", user="ana")
"""
from store.errors import BadStoredRow, StoreUnavailable, VersionConflict
from store.imports import ImportRejected, ImportReport
from store.seed import open_seeded
from store.store import Store, open_store

__all__ = ["BadStoredRow", "ImportRejected", "ImportReport", "Store", "StoreUnavailable", "VersionConflict",
           "open_seeded", "open_store"]
