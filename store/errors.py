"""Errors the store raises besides contract.DataError."""


class VersionConflict(Exception):
    """Someone else saved the same thing since it was opened; nothing was written."""


class StoreUnavailable(OSError):
    """The database is busy, read-only, full or out of reach; the message names it. Nothing was written."""
