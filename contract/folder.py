"""A studio folder: its contract files, found in whichever format they were exported, read into one bundle.

Every reader of a studio (the scheduler, the scorecards, the workflows, the store's seeding) finds files here,
so `hosts.csv` exported as hosts.xlsx or hosts.parquet is read the same way everywhere.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from contract.schemas import (
    AVAILABILITY,
    AVAILABILITY_EXCEPTIONS,
    AVAILABILITY_TEMPLATE,
    HOSTS,
    SESSIONS,
    SHOW_TEMPLATES,
    SKU_SALES,
    SLOTS,
    TARGETS,
    VIEWER_MINUTES,
)
from contract.tables import Table, read_table

# Parquet first: a big studio exports it for speed, and a CSV beside it is then the older, slower copy.
EXTENSIONS = (".parquet", ".csv", ".xlsx")
HISTORY = "history"  # a studio folder keeps its past weeks in this sub-folder, laid out as the folder itself


@dataclass(frozen=True)
class StudioTables:
    """A studio's tables, one attribute per file, each typed as `contract.read_table` returns it.

    None where the studio has no such file or the load did not ask for it. products.csv is not a contract
    file; the store keeps it as the product catalogue.
    """

    hosts: pd.DataFrame | None = None
    availability: pd.DataFrame | None = None
    availability_template: pd.DataFrame | None = None
    availability_exceptions: pd.DataFrame | None = None
    slots: pd.DataFrame | None = None
    show_templates: pd.DataFrame | None = None
    calendar_changes: pd.DataFrame | None = None
    products: pd.DataFrame | None = None
    sessions: pd.DataFrame | None = None
    sku_sales: pd.DataFrame | None = None
    viewer_minutes: pd.DataFrame | None = None
    targets: pd.DataFrame | None = None


# The contract's files by the attribute that holds them.
TABLES: dict[str, Table] = {
    "hosts": HOSTS, "availability": AVAILABILITY, "availability_template": AVAILABILITY_TEMPLATE,
    "availability_exceptions": AVAILABILITY_EXCEPTIONS, "slots": SLOTS, "show_templates": SHOW_TEMPLATES,
    "sessions": SESSIONS,
    "sku_sales": SKU_SALES, "viewer_minutes": VIEWER_MINUTES, "targets": TARGETS,
}


def find_file(folder: Path, name: str) -> Path | None:
    """The file `name` ("hosts.csv") names in `folder`, as .parquet, .csv or .xlsx; None when there is none."""
    stem = Path(name).stem
    return next((folder / f"{stem}{e}" for e in EXTENSIONS if (folder / f"{stem}{e}").exists()), None)


def table_path(folder: Path, table: Table) -> Path:
    """Where `table` is read from: the file found, else the contract's name, which reads as "file not found"."""
    return find_file(folder, table.file) or folder / table.file


def read_folder(folder: Path | str, required: Iterable[Table], optional: Iterable[Table] = (),
                columns: Mapping[str, Iterable[str]] | None = None,
                categories: Mapping[str, Iterable[str]] | None = None, within: str = "") -> StudioTables:
    """The `required` tables (a missing one is a DataError) and the `optional` ones the folder has.

    `columns` and `categories` ({file: columns}) pass on to `contract.read_table` per file. `within` names
    the sub-folder in messages ("history" gives "history/slots.csv, row 3, ...").
    """
    folder = Path(folder)
    columns, categories = columns or {}, categories or {}

    def read(table: Table, path: Path) -> pd.DataFrame:
        named = replace(table, file=f"{within}/{table.file}") if within else table
        return read_table(path, named, columns.get(table.file), categories.get(table.file, ()))

    found = {name: read(table, table_path(folder, table)) for name, table in _named(required)}
    for name, table in _named(optional):
        path = find_file(folder, table.file)
        if path is not None:
            found[name] = read(table, path)
    return StudioTables(**found)


def _named(tables: Iterable[Table]) -> Iterable[tuple[str, Table]]:
    by_file = {table.file: name for name, table in TABLES.items()}
    return ((by_file[table.file], table) for table in tables)
