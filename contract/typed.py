"""The typed reading of a contract file, with Arrow: what `contract.tables.read_table` tries first.

It accepts a file only when it is sure that the text path would accept it and return the very same frame;
anything else raises _Unsure (one of TYPED_FAILURES), and the text path reads the file and names each bad
cell. So a big clean file is read fast, and messages and results never depend on the path taken.
"""
from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv
import pyarrow.parquet as pq

from contract.columns import _EXACT_INTEGER, Column, Table, _absent


class _Unsure(Exception):
    """The typed reading cannot vouch for a file: the text path reads it (and names any bad cell)."""


TYPED_FAILURES = (_Unsure, pa.ArrowException, OSError, ValueError, KeyError, csv.Error)
# The contract's local datetime, years 1900-2199 (well inside datetime64[ns]): Arrow and pandas read it alike.
_LOCAL_TIME = r"^(19|20|21)[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}$"
# A CSV cell that pandas (skipinitialspace, quotes) might read otherwise than Arrow.
_LOOSE_CELL = r'^[ \t]|[ \t]$|"|\x00'
_NUL = "\x00"  # the text path refuses a cell holding one, naming it
_CSV_TYPES = {"integer": pa.int64(), "number": pa.float64()}
_ENCODED = pa.dictionary(pa.int32(), pa.string())
_CSV_BLOCK = 4 << 20  # bytes parsed per task: the lowest peak memory and time on the benchmarks' year studio


def read_typed(path: Path, table: Table, wanted: set[str] | None, categories: set[str]) -> pd.DataFrame:
    """The frame `_parse(read_raw(path), table, wanted)` would return, from typed Arrow columns."""
    columns = {c.name: c for c in table.columns if wanted is None or c.name in wanted}
    parquet = path.suffix.lower() == ".parquet"
    if path.suffix.lower() in {".xlsx", ".xlsm"} or any(c.kind == "list" for c in columns.values()):
        raise _Unsure
    names = _parquet_names(path) if parquet else _csv_names(path)  # stripped name -> name in the file
    if any(c.required and c.name not in names for c in table.columns):
        raise _Unsure
    keep = [name for name in names if wanted is None or name in wanted]
    encoded = [n for n in keep if n in columns and (n in categories or columns[n].kind == "choice")]
    if parquet:  # the encoded columns straight from Parquet's own dictionaries, without hashing each cell
        data = pq.ParquetFile(path, read_dictionary=[names[n] for n in encoded]).read(
            columns=[names[n] for n in keep if n in columns], use_pandas_metadata=False)
        extras = _parquet_extras(path, {n: names[n] for n in keep if n not in columns})
    else:
        data = _read_csv(path, {n: names[n] for n in keep}, columns, set(encoded))
        extras = {n: _csv_extra(data.column(names[n])) for n in keep if n not in columns}
    out: dict[str, Any] = {name: extras[name] if name not in columns else
           _typed(data.column(names[name]), columns[name], name in categories, from_text=not parquet)
           for name in keep}
    rows = data.num_rows
    for column in columns.values():
        if column.name not in out:
            out[column.name] = _values(_absent(column, rows))
    if table.ordered and {"start", "end"} <= out.keys() and np.any(out["end"] <= out["start"]):
        raise _Unsure
    frame = pd.DataFrame(out, index=pd.RangeIndex(rows), copy=False)
    del data
    pa.default_memory_pool().release_unused()  # hand back what Arrow cached of the file: peak memory counts
    return frame


def _values(series: pd.Series) -> np.ndarray | pd.api.extensions.ExtensionArray:
    """A column's array, so that building the frame copies nothing."""
    return series.array if isinstance(series.dtype, pd.api.extensions.ExtensionDtype) else series.to_numpy()


def _unique_names(names: list[str]) -> dict[str, str]:
    """Stripped name -> name in the file; a repeated or empty name is for the text path to handle."""
    stripped = {name.strip(): name for name in names}
    if len(stripped) < len(names) or "" in stripped:
        raise _Unsure
    return stripped


def _parquet_names(path: Path) -> dict[str, str]:
    """Column names as pandas reads them: without the index columns pandas stored."""
    schema = pq.ParquetFile(path).schema_arrow
    index = {c for c in (schema.pandas_metadata or {}).get("index_columns", []) if isinstance(c, str)}
    return _unique_names([name for name in schema.names if name not in index])


def _parquet_extras(path: Path, names: dict[str, str]) -> dict[str, object]:
    """Extra columns exactly as pandas reads them (the text path keeps them as they are)."""
    if not names:
        return {}
    frame = pd.read_parquet(path, columns=list(names.values())).reset_index(drop=True)
    return {name: _values(frame[raw]) for name, raw in names.items()}


def _csv_names(path: Path) -> dict[str, str]:
    with open(path, "rb") as handle:
        header = handle.readline().decode("utf-8-sig").rstrip("\r\n")
    if not header or '"' in header:
        raise _Unsure
    return _unique_names(header.split(","))  # pandas would rename a repeated or empty name


def _read_csv(path: Path, names: dict[str, str], columns: dict[str, Column], encoded: set[str]) -> pa.Table:
    """The columns of `names` with Arrow's parallel reader: numbers typed while parsing, text as text
    (dictionary-encoded for the names in `encoded`); an empty number cell is null, an empty text cell ''."""
    if not names:
        raise _Unsure  # Arrow would read every column
    types = {}
    for name, raw in names.items():
        kind = columns[name].kind if name in columns else "text"
        types[raw] = _ENCODED if name in encoded else _CSV_TYPES.get(kind, pa.string())
    return pcsv.read_csv(path, read_options=pcsv.ReadOptions(block_size=_CSV_BLOCK),
                         parse_options=pcsv.ParseOptions(newlines_in_values=False),
                         convert_options=pcsv.ConvertOptions(column_types=types, include_columns=list(names.values()),
                                                             null_values=[""], strings_can_be_null=False))


def _csv_extra(array: pa.ChunkedArray) -> pd.api.extensions.ExtensionArray:
    if _any_match(array, _LOOSE_CELL):
        raise _Unsure
    return pd.array(array, dtype="str")


def _any_match(array: pa.ChunkedArray, pattern: str) -> bool:
    return bool(pc.any(pc.match_substring_regex(array, pattern)).as_py())


def _any_nul(array: pa.Array | pa.ChunkedArray) -> bool:
    return bool(pc.any(pc.match_substring(array, _NUL)).as_py())


def _has_quote(array: pa.Array | pa.ChunkedArray) -> bool:
    """A text cell of a CSV with a quote in it: pandas and Arrow may have unquoted it differently
    (a quoted cell after spaces, say); leading and trailing spaces alone are stripped by both paths."""
    return bool(pc.any(pc.match_substring(array, '"')).as_py())


def _typed(array: pa.ChunkedArray, column: Column, category: bool, from_text: bool):
    """One contract column checked on its typed values; raises _Unsure at the first doubt."""
    if column.kind in {"integer", "number"}:
        return _typed_number(array, column, from_text)
    if column.kind == "datetime":
        return _typed_datetime(array, column)
    if column.kind == "time":
        raise _Unsure  # a weekly template is a few hundred rows: the text path checks each time
    return _typed_text(array, column, category, from_text)


def _typed_number(array: pa.ChunkedArray, column: Column,
                  from_text: bool) -> np.ndarray | pd.api.extensions.ExtensionArray:
    """As `_as_number`: through float64 (like the text path), empty cells filled with the default."""
    integer = column.kind == "integer"
    wants_mask = integer and column.allow_empty and column.default is None  # the text path gives Int64
    if pa.types.is_integer(array.type) and not array.null_count:
        low, high = (pc.min_max(array)[k].as_py() for k in ("min", "max"))
        if low is not None and (max(abs(low), abs(high)) >= _EXACT_INTEGER or _outside(low, high, column)):
            raise _Unsure
        values = array.to_numpy()
        if integer:
            values = values.astype("int64", copy=False)
            return pd.array(values, dtype="Int64") if wants_mask else values
        return values.astype("float64")
    if not (pa.types.is_integer(array.type) or pa.types.is_floating(array.type)):
        raise _Unsure
    number = array.to_numpy().astype("float64", copy=False)  # nulls become NaN
    empty = np.isnan(number)
    given = number[~empty]
    if ((empty.any() and not column.allow_empty) or not np.isfinite(given).all()
            or (from_text and np.signbit(given[given == 0]).any())  # a written -0: pandas may drop its sign
            or (integer and ((np.mod(given, 1) != 0).any() or (np.abs(given) >= _EXACT_INTEGER).any()))
            or (len(given) and _outside(given.min(), given.max(), column))):
        raise _Unsure
    if column.default is not None:
        number = np.where(empty, column.default, number)
    if not integer:
        return number
    if wants_mask:
        return pd.array(pd.Series(number).round(), dtype="Int64")
    return np.nan_to_num(number, nan=0.0).round().astype("int64")


def _outside(low: float, high: float, column: Column) -> bool:
    """Whether values from `low` to `high` break the column's range."""
    if column.minimum is not None and (low <= column.minimum if column.above_minimum else low < column.minimum):
        return True
    return column.maximum is not None and high > column.maximum


def _typed_datetime(array: pa.ChunkedArray, column: Column) -> np.ndarray:
    if pa.types.is_timestamp(array.type) and array.type.tz is None:
        stamps = pc.cast(array, pa.timestamp("ns"))  # refuses (ArrowInvalid) what does not fit
    elif pa.types.is_string(array.type) or pa.types.is_large_string(array.type):
        if array.null_count or (len(array) and not pc.all(pc.match_substring_regex(array, _LOCAL_TIME)).as_py()):
            raise _Unsure
        stamps = pc.cast(array, pa.timestamp("ns"))  # refuses impossible dates such as 30 February
    else:
        raise _Unsure
    if stamps.null_count and not column.allow_empty:
        raise _Unsure
    return stamps.to_numpy().astype("datetime64[ns]", copy=False)


def _typed_text(array: pa.ChunkedArray, column: Column, category: bool, from_text: bool):
    """Text or choice cells stripped (as `str.strip`), empty ones filled with the default; as `str`, or as a
    categorical when `category`. Works on each distinct value once wherever the column is dictionary-encoded."""
    if array.null_count:
        raise _Unsure  # the text path turns a missing Parquet cell into 'nan' text or worse: leave it to it
    if pa.types.is_dictionary(array.type):
        codes, distinct = _one_dictionary(array, from_text)
    elif pa.types.is_string(array.type) or pa.types.is_large_string(array.type):
        if from_text and _has_quote(array):
            raise _Unsure
        if not category and column.kind == "text":
            return _plain_text(array, column)
        codes, distinct = _one_dictionary(pc.dictionary_encode(array), from_text)
    else:
        raise _Unsure
    if _any_nul(distinct):
        raise _Unsure
    names = _clean_names(pc.utf8_trim_whitespace(distinct), column)
    if column.unique or not names.equals(distinct):  # stripping or filling may have made two names one
        again = pc.dictionary_encode(names)
        if len(again.dictionary) < len(names):
            codes = again.indices.to_numpy()[codes]
            names = again.dictionary
    if column.unique and len(codes) and np.bincount(codes, minlength=len(names)).max() > 1:
        raise _Unsure
    if category:
        return _categorical(codes, names)
    return pd.array(names.take(pa.array(codes)), dtype="str")


def _categorical(codes: np.ndarray, names: pa.Array) -> pd.Categorical:
    """A categorical of an Arrow dictionary. Arrow's readers and encoders build dictionaries of distinct
    values (in a memo table), so pandas need not hash them all again to check; codes are still checked."""
    categories = pd.Index(pd.array(names, dtype="str"))
    trusted = getattr(pd.CategoricalDtype, "_from_fastpath", None)
    dtype = trusted(categories, False) if trusted else pd.CategoricalDtype(categories)
    return pd.Categorical.from_codes(codes, dtype=dtype)


def _plain_text(array: pa.ChunkedArray, column: Column) -> pd.api.extensions.ExtensionArray:
    if _any_nul(array):
        raise _Unsure
    text = pc.utf8_trim_whitespace(array)
    empty = pc.equal(text, "")
    if pc.any(empty).as_py():
        if not column.allow_empty or column.unique:
            raise _Unsure
        text = pc.if_else(empty, column.default if column.default is not None else "", text)
    if column.unique and not _distinct(text):
        raise _Unsure
    return pd.array(text, dtype="str")


def _distinct(text: pa.ChunkedArray) -> bool:
    """Whether no value repeats: at a glance when they come sorted; for ids all of one length (the
    usual case) as numbers, far quicker than hashing text; else by hashing them."""
    if len(text) < 2 or pc.all(pc.less(text[:-1], text[1:])).as_py():
        return True
    if _distinct_fixed_width(text.combine_chunks()):
        return True
    return len(pc.unique(text)) == len(text)


def _distinct_fixed_width(text: pa.Array) -> bool:
    """True when `text` holds values of one length whose bytes, read as numbers and mixed into one
    64-bit number each, all differ (then the values differ); False means only "not shown"."""
    lengths = pc.min_max(pc.binary_length(text))
    width = lengths["min"].as_py()
    if not width or width != lengths["max"].as_py():
        return False
    offsets = np.frombuffer(text.buffers()[1], dtype=np.int64 if pa.types.is_large_string(text.type) else np.int32)
    first, last = offsets[text.offset], offsets[text.offset + len(text)]
    cells = np.frombuffer(text.buffers()[2], dtype=np.uint8)[first:last].reshape(len(text), width)
    padded = np.zeros((len(text), -(-width // 8) * 8), dtype=np.uint8)
    padded[:, :width] = cells
    mixed = np.zeros(len(text), dtype=np.uint64)
    for word in padded.view(np.uint64).T:
        mixed = mixed * np.uint64(0x9E3779B97F4A7C15) + word  # wraps around: a hash, not a sum
    mixed.sort()
    return not np.any(mixed[1:] == mixed[:-1])


def _clean_names(names: pa.Array, column: Column) -> pa.Array:
    """Distinct stripped cells -> the values the text path gives them (choices in their canonical spelling)."""
    empty = pc.equal(names, "")
    if pc.any(empty).as_py():
        if not column.allow_empty or (column.kind == "choice" and column.default is None):
            raise _Unsure
    if column.kind == "choice":
        canonical = {c.casefold(): c for c in column.choices}
        mapped = [canonical.get(name.casefold(), None) if name else "" for name in names.to_pylist()]
        if None in mapped:
            raise _Unsure
        names = pa.array(mapped, pa.string())
    if pc.any(empty).as_py():
        names = pc.if_else(empty, column.default if column.default is not None else "", names)
    return names


def _one_dictionary(array: pa.ChunkedArray, from_text: bool) -> tuple[np.ndarray, pa.Array]:
    """The codes of a dictionary-encoded column into one dictionary of distinct values.

    Parquet repeats a column's dictionary in every batch; equal dictionaries are compared once per
    buffer, and unified (a hash of every entry) only when they really differ, as from the CSV reader.
    """
    if array.null_count:
        raise _Unsure
    if array.num_chunks == 0:
        return np.zeros(0, dtype="int32"), pa.array([], pa.string())
    chunks = array.chunks
    first = chunks[0].dictionary
    seen = {tuple(b.address for b in first.buffers() if b is not None)}
    for chunk in chunks[1:]:
        key = tuple(b.address for b in chunk.dictionary.buffers() if b is not None)
        if key not in seen and not chunk.dictionary.equals(first):
            chunks = array.unify_dictionaries().chunks
            first = chunks[0].dictionary
            break
        seen.add(key)
    if from_text and _has_quote(first):
        raise _Unsure
    codes = np.concatenate([chunk.indices.to_numpy() for chunk in chunks])
    return codes, first
