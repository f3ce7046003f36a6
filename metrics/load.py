"""Reading a studio's livestream results (the scorecard's input) and checking them across files.

Each file is found as `contract.folder` finds it (`<name>.parquet` first: big studios) and validated
by the data contract; then the checks that span rows or files run: references to sessions.csv,
duplicate (session_id, sku) and (session_id, minute) rows, and refunds above units sold.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

import contract
from contract import Column, DataError, Problem, Table
from contract.folder import find_file, read_folder
from metrics.formulas import METRICS
from metrics.groups import blocks_rising, positions_in

INVENTORY = Table("inventory.csv", (
    Column("sku", unique=True),
    Column("on_hand", "number", minimum=0),
))
# products.csv is not a contract file; only its optional stock column is read here.
PRODUCT_STOCK = Table("products.csv", (
    Column("sku", unique=True),
    Column("inventory", "number", allow_empty=True, minimum=0),
))
INVENTORY_COLUMNS = ("sku", "on_hand")  # what a loaded inventory holds, whichever file it came from
MAX_ROW_PROBLEMS = 20


# Text repeated on many rows, held as categoricals by a compact load (`load_results(compact=True)`).
COMPACT = {
    contract.SKU_SALES.file: ("session_id", "sku", "product_name", "product_tier"),
    contract.VIEWER_MINUTES.file: ("session_id",),
}


@dataclass(frozen=True)
class Results:
    """What happened on air: sessions and SKU sales, plus the optional files when the studio has them.

    sku_sales is None only in a load that asked for other files alone (`load_results(columns=...)`).
    """

    sessions: pd.DataFrame
    sku_sales: pd.DataFrame | None
    viewer_minutes: pd.DataFrame | None = None
    targets: pd.DataFrame | None = None
    inventory: pd.DataFrame | None = None  # sku, on_hand

    @classmethod
    def from_frames(cls, sessions: pd.DataFrame, sku_sales: pd.DataFrame | None,
                    viewer_minutes: pd.DataFrame | None = None, targets: pd.DataFrame | None = None,
                    inventory: pd.DataFrame | None = None) -> Results:
        """Results from frames each valid on its own (e.g. from the store), after the cross-file checks."""
        check_results(sessions, sku_sales, viewer_minutes, targets)
        return cls(sessions, sku_sales, viewer_minutes, targets, inventory)


def load_results(data_dir: Path | str, viewer_minutes: bool = True,
                 columns: Mapping[str, Iterable[str]] | None = None, compact: bool = False) -> Results:
    """Read and check a studio's results; `viewer_minutes=False` skips that (large) file.

    `columns` ({file: columns}, as `scorecard_columns`, `velocity_columns` and `curve_columns` give them)
    loads what one query needs of a big studio: only the files it names (sessions.csv always), and of
    them only those columns. Every cell read is checked, each file read must still have all its
    required columns, and the cross-file checks run between the files read; the rest is None.
    `compact` holds the text repeated on many rows (session and SKU ids in sku_sales and viewer_minutes,
    product names and tiers) as categoricals: the same values, a fraction of the memory and time.
    """
    data_dir = Path(data_dir)

    def asked(*tables: Table) -> list[Table]:
        return [table for table in tables if columns is None or table.file in columns]

    optional = asked(*([contract.VIEWER_MINUTES] if viewer_minutes else []), contract.TARGETS)
    tables = read_folder(data_dir, [contract.SESSIONS, *asked(contract.SKU_SALES)], optional, columns,
                         COMPACT if compact else None)
    return Results.from_frames(
        sessions=tables.sessions, sku_sales=tables.sku_sales, viewer_minutes=tables.viewer_minutes,
        targets=tables.targets, inventory=read_inventory(data_dir) if asked(INVENTORY) else None,
    )


def read_inventory(data_dir: Path) -> pd.DataFrame | None:
    """Stock on hand per SKU from inventory.csv, else from products.csv's `inventory` column, else None."""
    inventory = find_file(data_dir, INVENTORY.file)
    if inventory is not None:
        return contract.read_table(inventory, INVENTORY)[list(INVENTORY_COLUMNS)]
    products = find_file(data_dir, PRODUCT_STOCK.file)
    if products is None:
        return None
    raw = contract.read_raw(products)
    if "inventory" not in raw.columns:
        return None
    stock = contract.parse_table(raw, PRODUCT_STOCK).rename(columns={"inventory": "on_hand"})
    return stock.loc[stock["on_hand"].notna(), list(INVENTORY_COLUMNS)].reset_index(drop=True)


def check_results(sessions: pd.DataFrame, sku_sales: pd.DataFrame | None = None,
                  viewer_minutes: pd.DataFrame | None = None, targets: pd.DataFrame | None = None) -> None:
    """The checks no single file can make: references, duplicate rows, refunds above units sold,
    targets for metrics the scorecard does not have."""
    known = sessions["session_id"]
    if sku_sales is not None:
        codes = _check_known_sessions(sku_sales, contract.SKU_SALES.file, known)
        _raise_for_rows(
            contract.SKU_SALES.file, "units_refunded",
            (sku_sales["units_refunded"].to_numpy() > sku_sales["units_sold"].to_numpy()),
            lambda i: (f"{sku_sales['units_refunded'].iloc[i]} refunded is more than the "
                       f"{sku_sales['units_sold'].iloc[i]} units sold"))
        _check_unique_pairs(sku_sales, codes, "sku", contract.SKU_SALES.file)
    if viewer_minutes is not None:
        codes = _check_known_sessions(viewer_minutes, contract.VIEWER_MINUTES.file, known)
        _check_unique_pairs(viewer_minutes, codes, "minute", contract.VIEWER_MINUTES.file)
    if targets is not None:
        contract.check_references(targets, "metric", METRICS, contract.TARGETS, "the scorecard's metrics")


def _check_known_sessions(frame: pd.DataFrame, file: str, known: pd.Series) -> np.ndarray:
    """Every session_id in sessions.csv; returns the column as integer codes for the next checks."""
    codes = positions_in(known, frame["session_id"])
    _raise_for_rows(file, "session_id", codes < 0,
                    lambda i: f"'{frame['session_id'].iloc[i]}' is not in sessions.csv")
    return codes


def _check_unique_pairs(frame: pd.DataFrame, codes: np.ndarray, column: str, file: str) -> None:
    """Each (session_id, column) pair once: a repeated row would count twice in every sum."""
    values = frame[column]
    if isinstance(values.dtype, pd.CategoricalDtype):
        other = values.cat.codes.to_numpy().astype("int64")  # categories are distinct: codes identify values
    elif pd.api.types.is_integer_dtype(values):
        other = values.to_numpy(dtype="int64")
    else:
        other = pd.factorize(values)[0]
    if blocks_rising(codes, other):  # rows as exports come: no pair can repeat
        return
    pair = codes.astype("int64") * (int(other.max(initial=0)) + 1) + other
    ordered = np.sort(pair, kind="stable")  # rows come nearly in order: a merge sort's few runs are quick
    if not np.any(ordered[1:] == ordered[:-1]):
        return
    repeated = pd.Series(pair).duplicated().to_numpy()
    _raise_for_rows(file, column, repeated,
                    lambda i: (f"session '{frame['session_id'].iloc[i]}' already has a row for "
                               f"{column} '{values.iloc[i]}'; each pair appears once"))


def _raise_for_rows(file: str, column: str, mask: np.ndarray, message) -> None:
    """DataError naming each row (spreadsheet numbering) where `mask` holds; `message(position)` says why."""
    positions = np.flatnonzero(mask)
    if len(positions):
        shown = positions[:MAX_ROW_PROBLEMS]
        raise DataError([Problem(file, int(i) + 2, column, message(int(i))) for i in shown],
                        more=len(positions) - len(shown))

