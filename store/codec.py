"""Converting between a contract frame (as `contract.parse_table` returns it) and the store's rows.

Contract columns are stored as typed SQL columns (lists joined with `|`); columns a file adds beyond the
contract are kept per row as a JSON object in `extra`, so exporting returns them exactly.
"""
from __future__ import annotations

import json
import re
from collections.abc import Sequence
from datetime import datetime

import numpy as np
import pandas as pd

from contract import DataError, Problem, parse_table
from contract.columns import MAX_PROBLEMS
from store.kinds import Kind

_NEUTRALISED = re.compile(r"^'[=+\-@\t\r]")


def restore_formulas(raw: pd.DataFrame) -> pd.DataFrame:
    """Undo `contract.files.neutralise_formulas` ('=x -> =x, in cells and column names) so an exported file
    imports as it was stored."""
    names = [name[1:] if isinstance(name, str) and _NEUTRALISED.match(name) else name for name in raw.columns]
    out = raw if names == list(raw.columns) else raw.set_axis(names, axis=1)
    for name in out.columns:
        column = out[name]
        if not (pd.api.types.is_string_dtype(column) or column.dtype == object):
            continue
        text = column.astype("str")
        marked = text.str.match(_NEUTRALISED).fillna(False).to_numpy(dtype=bool)
        if marked.any():
            out = out.copy() if out is raw else out
            out[name] = column.where(~marked, text.str.slice(1))
    return out


def split_extras(frame: pd.DataFrame, kind: Kind) -> tuple[pd.DataFrame, list[dict] | None]:
    """The contract columns, and per row a dict of the other columns (None when the file has none)."""
    extra_names = [c for c in frame.columns if c not in kind.columns]
    contract = frame[list(kind.columns)].reset_index(drop=True)
    if not extra_names:
        return contract, None
    text = frame[extra_names].astype("str").where(frame[extra_names].notna(), "")
    return contract, text.to_dict(orient="records")


def join_extras(contract: pd.DataFrame, extras: Sequence[dict | None] | None) -> pd.DataFrame:
    """The frame with each extra column after the contract columns ("" where a row lacks it)."""
    if extras is None or not any(extras):
        return contract
    wide = pd.DataFrame.from_records([e or {} for e in extras], index=contract.index)
    wide = wide.fillna("").astype("str")
    return pd.concat([contract, wide], axis=1)


SQLITE_TIME = "%Y-%m-%d %H:%M:%S.%f"  # how SQLAlchemy writes a datetime to SQLite


def sqlite_param(value):
    """A value as SQLAlchemy binds it on SQLite (datetimes as its text), for raw bulk statements."""
    return value.strftime(SQLITE_TIME) if isinstance(value, datetime) else value


def iso_time(value):
    """JSON's fallback for datetimes: ISO text, as `json_row` writes them."""
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def to_db(contract: pd.DataFrame, kind: Kind, datetime_text: bool = False) -> dict[str, list]:
    """Column -> list of plain Python values ready for the database (None for empty optional cells).

    `datetime_text` gives datetimes as the text SQLAlchemy writes to SQLite (for raw bulk inserts).
    """
    out: dict[str, list] = {}
    for column in kind.table.columns:
        values = contract[column.name]
        if column.kind == "list":
            out[column.name] = ["|".join(v) for v in values.tolist()]
        elif column.kind == "datetime" and datetime_text:
            text = values.dt.strftime(SQLITE_TIME)
            out[column.name] = text.where(values.notna(), None).tolist()
        elif column.kind == "datetime":
            stamps = values.dt.to_pydatetime()
            out[column.name] = [None if pd.isna(v) else v for v in stamps]
        elif column.kind in ("number", "integer"):
            numbers = values.astype("float64") if column.kind == "number" else values
            missing = values.isna().to_numpy()
            plain = numbers.to_numpy(dtype="float64" if column.kind == "number" else "int64",
                                     na_value=0).tolist()
            out[column.name] = [None if m else v for v, m in zip(plain, missing)] if missing.any() else plain
        else:
            out[column.name] = values.astype("str").tolist()
    return out


def from_db(records: pd.DataFrame, kind: Kind) -> pd.DataFrame:
    """Rows read from the database (contract columns only) -> the contract frame parse_table would give."""
    raw = {}
    unreadable: list[Problem] = []
    for column in kind.table.columns:
        values = records[column.name]
        if column.kind == "datetime":
            read = pd.to_datetime(values, format="ISO8601", errors="coerce").astype("datetime64[ns]")
        elif column.kind in ("number", "integer"):
            read = pd.to_numeric(values, errors="coerce").astype("float64")
        else:
            raw[column.name] = values.where(values.notna(), "").astype("str")
            continue
        lost = np.flatnonzero((read.isna() & values.notna()).to_numpy())
        unreadable += [Problem(kind.file, int(pos) + 2, column.name, f"'{values.iloc[pos]}' is not a {column.kind}")
                       for pos in lost[:MAX_PROBLEMS]]
        raw[column.name] = read
    if unreadable:  # another tool wrote text where the store keeps numbers or times
        raise DataError(unreadable)
    return parse_table(pd.DataFrame(raw, index=records.index), kind.table)


def parse_extra(value) -> dict | None:
    """`extra` as read back: SQLite gives JSON text, PostgreSQL a dict."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    return json.loads(value) if isinstance(value, str) else value


def json_row(row: dict) -> dict:
    """A database row as JSON (datetimes as ISO text) for the undo log."""
    return {k: v.isoformat() if isinstance(v, datetime) else v for k, v in row.items()}


def unjson_row(row: dict, kind: Kind) -> dict:
    """The inverse of json_row for the columns of `kind`."""
    out = dict(row)
    for column in kind.table.columns:
        if column.kind == "datetime" and out.get(column.name) is not None:
            out[column.name] = datetime.fromisoformat(out[column.name])
    return out
