"""Errors the store raises besides contract.DataError."""


class VersionConflict(Exception):
    """Someone else saved the same thing since it was opened; nothing was written."""
