"""The contract's columns and tables, and the problems a reader reports: what the text reader
(`contract.tables`) and the typed Arrow reader (`contract.typed`) both build on.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Literal, TypeAlias

import numpy as np
import pandas as pd

Kind = Literal["text", "number", "integer", "datetime", "list", "choice", "time"]
# A column's text, or a function that builds it when a message needs it.
Cells: TypeAlias = pd.Series | Callable[[], pd.Series]

MAX_PROBLEMS = 200  # enough to fix a file; a broken 25 M-row file must not build 25 M messages
_EXACT_INTEGER = 2 ** 53  # every whole number below this is exact as a float64


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file, located as precisely as the file allows."""

    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column is not None:
            where += f", column {self.column}"
        return f"{where}: {self.message}"


class DataError(ValueError):
    """Input that breaks the data contract; carries every problem found (up to MAX_PROBLEMS)."""

    def __init__(self, problems: Iterable[Problem], more: int = 0):
        self.problems = list(problems)
        self.more = more
        super().__init__(str(self))

    def __str__(self) -> str:
        lines = [str(p) for p in self.problems[:20]]
        hidden = len(self.problems) - len(lines) + self.more
        if hidden > 0:
            lines.append(f"... and {hidden} more problem(s)")
        return "\n".join(lines)


@dataclass(frozen=True)
class Column:
    """A column of a contract file: its type, whether it must exist, and the values it allows."""

    name: str
    kind: Kind = "text"
    required: bool = True  # the column must be in the file
    allow_empty: bool = False  # a cell may be empty (filled with `default`)
    default: Any = None  # value of an absent optional column or an empty cell
    minimum: float | None = None
    maximum: float | None = None
    above_minimum: bool = False  # the minimum itself is not allowed (strictly greater)
    choices: tuple[str, ...] = ()
    unique: bool = False


@dataclass(frozen=True)
class Table:
    """A contract file: its name and columns; `ordered` adds the check end > start."""

    file: str
    columns: tuple[Column, ...]
    ordered: bool = False

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


class _Collector:
    """Gathers problems, capped so a hopeless file stays cheap to report."""

    def __init__(self, file: str):
        self.file = file
        self.problems: list[Problem] = []
        self.more = 0

    def add(self, row: int | None, column: str | None, message: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(self.file, row, column, message))
        else:
            self.more += 1

    def add_rows(self, mask: pd.Series | np.ndarray, values: Cells, column: str, message: str) -> None:
        """Report each row where `mask` holds; `message` may use {value}. A callable `values` is only
        called when there is a row to report, so a clean typed column never becomes text."""
        positions = np.flatnonzero(np.asarray(mask))
        room = max(MAX_PROBLEMS - len(self.problems), 0)
        if len(positions) and room:
            cells = values() if callable(values) else values
            for pos in positions[:room]:
                self.add(int(pos) + 2, column, message.format(value=cells.iloc[pos]))
        self.more += max(len(positions) - room, 0)

    def raise_if_any(self) -> None:
        if self.problems:
            raise DataError(self.problems, self.more)


def _absent(column: Column, rows: int) -> pd.Series:
    """The values of a column the file lacks: its default, with the dtype a present column would have."""
    if column.kind == "list":
        return pd.Series([tuple(column.default or ())] * rows, dtype=object)
    if column.kind in {"number", "integer"} and column.default is not None:
        return pd.Series(np.full(rows, column.default), dtype="float64" if column.kind == "number" else "int64")
    if column.kind in {"number", "integer"}:  # same dtype as a present column whose cells are all empty
        return pd.Series(np.nan if column.kind == "number" else pd.NA, index=range(rows),
                         dtype="float64" if column.kind == "number" else "Int64")
    if column.kind == "datetime":
        return pd.Series(pd.NaT, index=range(rows), dtype="datetime64[ns]")
    return pd.Series([column.default] * rows, dtype="str" if isinstance(column.default, str) else object)
