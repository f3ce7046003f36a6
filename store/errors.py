"""Errors the store raises besides contract.DataError."""
from __future__ import annotations

from dataclasses import dataclass

from contract import DataError, Problem


class VersionConflict(Exception):
    """Someone else saved the same thing since it was opened; nothing was written."""


class TablesChanged(VersionConflict):
    """Tables a decision was checked against changed before it was written; nothing was written."""

    def __init__(self, kinds: list[str]) -> None:
        self.kinds = kinds
        super().__init__(f"{', '.join(kinds)} changed meanwhile; check again")


class StoreUnavailable(OSError):
    """The database is busy, read-only, full or out of reach; the message names it. Nothing was written."""


@dataclass(frozen=True)
class BadCell:
    """One stored cell that breaks the data contract, located by its row's key rather than a file line."""

    kind: str
    key: str  # the row's key values, "S-1" or "S-1, SKU-9"
    column: str | None
    message: str
    import_id: int | None  # the import that brought the row; None when another tool wrote it
    file_name: str | None  # that import's file

    def __str__(self) -> str:
        where = f"{self.kind} row {self.key}" + (f", column {self.column}" if self.column else "")
        came = (f" (it came in with import {self.import_id}, {self.file_name})" if self.import_id is not None
                else " (no import recorded it: it was written to the database by another tool)")
        return f"{where}: {self.message}{came}"


class BadStoredRow(DataError):
    """Rows stored before a check was added, or written by another tool, no longer pass the data contract.

    Reading refuses them rather than hand the pages numbers the contract forbids; `cells` say where they are
    and which imports brought them, so undoing those imports puts the store right.
    """

    def __init__(self, cells: list[BadCell], more: int = 0):
        self.cells = cells
        super().__init__([Problem(f"the store's {c.kind} table", None, None, str(c)) for c in cells], more)

    @property
    def import_ids(self) -> list[int]:
        """The imports whose undo removes the bad rows, oldest first."""
        return sorted({c.import_id for c in self.cells if c.import_id is not None})

    def __str__(self) -> str:
        lines = [str(c) for c in self.cells]
        if self.more:
            lines.append(f"... and {self.more} more problem(s)")
        return "\n".join(lines)
