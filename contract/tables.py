"""Reading the data contract's files so that every bad value is named by file, row and column.

Rows are numbered as a spreadsheet shows them: the header is row 1, the first data row is row 2.
All checks are vectorised, so a file of millions of rows is validated in seconds.
"""
from __future__ import annotations

import csv
import re
import warnings
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from contract.columns import _EXACT_INTEGER, Column, DataError, Problem, Table, _absent, _Collector
from contract.typed import TYPED_FAILURES, read_typed

_OFFSET = re.compile(r"(?:Z|[+-]\d\d:?\d\d)$")
_DAY_OR_MONTH_FIRST = re.compile(r"^\s*\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b")  # 23.11.2026, 11/23/26: never guessed
_TIME_OF_DAY = re.compile(r"^(\d{1,2}):(\d{2})(?::00)?$")  # 09:30, 9:30 or 09:30:00 (as Excel writes a time)
DAY_MINUTES = 24 * 60
# A plain decimal of at most 15 characters (so at most 15 digits): Arrow and pd.to_numeric both read it exactly.
_PLAIN_NUMBER = r"^[+-]?[0-9]+(\.[0-9]+)?$"
_PLAIN_LENGTH = 15
# A workbook is XML in a zip: 100 MB of it takes openpyxl about a minute; a CSV of the same rows is far quicker.
MAX_WORKBOOK_BYTES = 100_000_000
_REPEATED_HEADER = "appears more than once in the header; give each column its own name"
# Excel's European export separates cells with semicolons and writes 1.234,5 for 1234.5: read_raw marks such a
# frame with this attribute, and its number columns are read with a decimal comma.
DECIMAL_COMMA = "decimal_comma"
_COMMA_NUMBER = re.compile(r"^[+-]?(?:[0-9]+|[0-9]{1,3}(?:\.[0-9]{3})+),[0-9]+$")
_GROUPED_THOUSANDS = re.compile(r"^[+-]?[0-9]{1,3}(?:\.[0-9]{3})+$")
_OTHER_SEPARATORS = (("\t", "tab"), ("|", "pipe"), (" ", "space"))


def read_raw(path: Path | str, table: Table | None = None) -> pd.DataFrame:
    """Read a CSV, Excel sheet or Parquet file as text cells, turning parser failures into Problems.

    The header is checked before the body is read: a repeated column name is refused (a reader would
    rename it), and so, when `table` is given, is a missing required column. An Excel workbook is also
    refused before parsing when it is not one or holds more than MAX_WORKBOOK_BYTES once unpacked.
    """
    path = Path(path)
    name = path.name
    if not path.exists():
        raise DataError([Problem(name, None, None, f"file not found at {path}")])
    if path.suffix.lower() == ".parquet":
        try:
            _check_header(name, pq.read_schema(path).names, table)
            return pd.read_parquet(path)
        except (pa.ArrowException, OSError):
            raise DataError([Problem(name, None, None, "is not a readable Parquet file")]) from None
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        return _read_excel(path, table)
    delimiter = ","
    try:
        delimiter = csv_delimiter(path)
        _check_header(name, _csv_header(path, delimiter), table)
        with warnings.catch_warnings():
            warnings.simplefilter("error", pd.errors.ParserWarning)
            raw = pd.read_csv(path, dtype=str, keep_default_na=False, skipinitialspace=True, index_col=False,
                              encoding="utf-8-sig", sep=delimiter)
    except pd.errors.EmptyDataError:
        raise DataError([Problem(name, None, None, "the file is empty; it needs a header row")]) from None
    except (pd.errors.ParserError, pd.errors.ParserWarning, csv.Error) as err:
        raise DataError([_parser_problem(path, str(err), delimiter)]) from None
    except UnicodeDecodeError:
        raise DataError([Problem(name, None, None, "is not UTF-8 text; save it as CSV UTF-8")]) from None
    raw.attrs[DECIMAL_COMMA] = delimiter == ";"
    return raw


def csv_delimiter(path: Path) -> str:
    """`;` when the header splits into more cells at semicolons than at commas (Excel's European export),
    else `,`; a file that is not UTF-8 text raises UnicodeDecodeError, an empty one EmptyDataError."""
    with open(path, newline="", encoding="utf-8-sig") as handle:
        line = next((text for text in handle if text.strip()), "")  # blank lines are skipped, as pandas does
    if not line:
        raise pd.errors.EmptyDataError
    cells = {mark: len(next(csv.reader([line], delimiter=mark), [])) for mark in ",;"}
    return ";" if cells[";"] > cells[","] else ","


def _csv_header(path: Path, delimiter: str) -> list[str]:
    """The first row of a CSV as written (raises EmptyDataError for an empty file, as pandas does)."""
    with open(path, newline="", encoding="utf-8-sig") as handle:
        header = next((row for row in csv.reader(handle, delimiter=delimiter) if row), None)  # as pandas: no blank
    if header is None:
        raise pd.errors.EmptyDataError
    return header


def _check_header(file: str, header: Iterable[object], table: Table | None) -> None:
    """Refuse a repeated column name, and a required column of `table` the header lacks."""
    found = _Collector(table.file if table else file)
    names = [str(n).strip() for n in header]
    for name in _repeated(names):
        found.add(1, name, _REPEATED_HEADER)
    missing = [c.name for c in table.columns if c.required and c.name not in names] if table else []
    if missing:
        found.add(None, ", ".join(missing), _missing_message(names))
    found.raise_if_any()


def _missing_message(names: Iterable[object]) -> str:
    header = [str(n) for n in names]
    return (f"required column(s) missing; the file has: {', '.join(header) or 'no columns'}"
            f"{_looks_separated(header)}")


def _looks_separated(header: list[str]) -> str:
    """What a one-cell header looks like when neither commas nor semicolons split it, for the message."""
    if len(header) != 1:
        return ""
    for mark, name in _OTHER_SEPARATORS:
        if mark in header[0].strip():
            return f" (it looks {name}-separated; save it as CSV, with commas or semicolons between cells)"
    return ""


def refuse_huge_workbook(source: Path | str | BinaryIO, name: str) -> None:
    """A DataError naming the file when its XML unpacks to more than MAX_WORKBOOK_BYTES, told from the zip's
    directory before any XML is parsed (a small zip can unpack to gigabytes). A file that is no zip raises
    zipfile.BadZipFile, for the caller to say what it expected."""
    with zipfile.ZipFile(source) as archive:
        unpacked = sum(member.file_size for member in archive.infolist())
    if unpacked > MAX_WORKBOOK_BYTES:
        raise DataError([Problem(name, None, None, f"holds {unpacked / 1e6:,.0f} MB of spreadsheet data once "
                                                   f"unpacked, more than the {MAX_WORKBOOK_BYTES / 1e6:,.0f} MB a "
                                                   "workbook may hold; save it as CSV instead")])


def _read_excel(path: Path, table: Table | None) -> pd.DataFrame:
    """The first sheet as text cells, once the file is known to be a workbook of a size worth parsing."""
    name = path.name
    not_a_workbook = Problem(name, None, None, "is not an Excel workbook (.xlsx); save it from Excel, or as CSV")
    try:
        refuse_huge_workbook(path, name)
    except (zipfile.BadZipFile, OSError):
        raise DataError([not_a_workbook]) from None
    from openpyxl.utils.exceptions import InvalidFileException  # here: a CSV-only command never loads openpyxl

    try:
        header = pd.read_excel(path, header=None, nrows=1, dtype=str, keep_default_na=False)
        _check_header(name, header.iloc[0].tolist() if len(header) else [], table)
        return pd.read_excel(path, dtype=str, keep_default_na=False)
    except (KeyError, ValueError, zipfile.BadZipFile, InvalidFileException) as err:
        if isinstance(err, DataError):
            raise
        raise DataError([not_a_workbook]) from None


def _parser_problem(path: Path, message: str, delimiter: str) -> Problem:
    """Find the first row whose cell count differs from the header, so a person can go straight to it; the
    message says which separator the file looks to use."""
    mark = "semicolon" if delimiter == ";" else "comma"
    with open(path, newline="", encoding="utf-8-sig") as handle:
        rows = csv.reader(handle, delimiter=delimiter)
        header = next(rows, [])
        seen = _looks_separated(header) or (" (the file looks semicolon-separated)" if delimiter == ";" else "")
        for line, cells in enumerate(rows, start=2):
            if cells and len(cells) != len(header):
                return Problem(path.name, line, None, f"has {len(cells)} cells but the header has {len(header)}"
                                                      f"{seen}; check for an unquoted {mark} or a missing value")
    return Problem(path.name, None, None, f"is not a readable CSV file ({message.strip()})")


def read_table(path: Path | str, table: Table, columns: Iterable[str] | None = None,
               categories: Iterable[str] = ()) -> pd.DataFrame:
    """Read and validate one contract file; raises DataError naming every bad cell.

    `columns`: read and check only these columns, for a reader that needs a few columns of a big file
    (every required column must still be in the file; a contract column it lacks gets its default).
    `categories`: text columns to return as pandas categoricals, each distinct value stored once: far
    smaller and faster for a value repeated on many rows (session_id in sku_sales, say).

    Parquet and CSV files are read with Arrow and checked on typed columns; a file in which anything is
    wrong or unusual (a number written `1e3`, a quoted cell with leading spaces) is read again as text,
    which is what names each bad cell, so messages and results do not depend on the path taken.
    """
    path = Path(path)
    wanted = None if columns is None else set(columns)
    categories = set(categories)
    try:
        return read_typed(path, table, wanted, categories)
    except TYPED_FAILURES:
        pass
    out = _parse(read_raw(path, table), table, wanted)
    for column in table.columns:
        if column.name in categories and column.kind in {"text", "choice"} and column.name in out.columns:
            out[column.name] = out[column.name].astype("category")
    return out


def parse_table(raw: pd.DataFrame, table: Table) -> pd.DataFrame:
    """Validate text cells against `table` and return typed columns; extra columns are kept as they are."""
    return _parse(raw, table, None)


def _parse(raw: pd.DataFrame, table: Table, wanted: set[str] | None) -> pd.DataFrame:
    """`parse_table` of the columns in `wanted` only (all when None); required columns must all exist."""
    found = _Collector(table.file)
    raw = raw.rename(columns=lambda c: str(c).strip())
    for name in _repeated(raw.columns):
        found.add(1, name, _REPEATED_HEADER)
    found.raise_if_any()
    missing = [c.name for c in table.columns if c.required and c.name not in raw.columns]
    if missing:
        found.add(None, ", ".join(missing), _missing_message(raw.columns))
        found.raise_if_any()
    if wanted is not None:
        raw = raw.loc[:, raw.columns.isin(wanted)]
        table = _subset(table, wanted)
    _check_nul(raw, found)
    out = raw.copy()
    decimal_comma = bool(raw.attrs.get(DECIMAL_COMMA))
    for column in table.columns:
        if column.name in raw.columns:
            values = raw[column.name]
            if decimal_comma and column.kind in {"number", "integer"}:
                values = _decimal_points(values, column.name, found)
            out[column.name] = _convert(values, column, found)
        else:
            out[column.name] = _absent(column, len(raw))
    if table.ordered and not found.problems:
        bad = (out["end"] <= out["start"]).to_numpy()
        found.add_rows(bad, lambda: out["start"].astype(str), "end", "end is not after start ({value})")
    found.raise_if_any()
    return out.reset_index(drop=True)


def _decimal_points(values: pd.Series, column: str, found: _Collector) -> pd.Series:
    """A semicolon file's number column with a decimal comma (`1,5`, `1.234,5`) as the contract writes it (`1.5`,
    `1234.5`). `1.234` is 1234 to a European spreadsheet and 1.234 to everyone else, so it is refused, never
    guessed; any other cell stays as written, for the number check to judge."""
    if not (pd.api.types.is_string_dtype(values) or values.dtype == object):
        return values
    text = values.astype("str").str.strip()
    grouped = text.str.match(_GROUPED_THOUSANDS).fillna(False).to_numpy(dtype=bool)
    found.add_rows(grouped, text, column, "'{value}' could be a thousands separator or a decimal point in a "
                                          "semicolon-separated file: write it without the dot (1234), or with a "
                                          "decimal comma (1,234)")
    comma = text.str.match(_COMMA_NUMBER).fillna(False).to_numpy(dtype=bool)
    if not comma.any():
        return values
    return values.where(~comma, text.str.replace(".", "", regex=False).str.replace(",", ".", regex=False))


def _repeated(names: Iterable[object]) -> list[str]:
    """Column names (stripped) that the header holds more than once, each named once."""
    seen: set[str] = set()
    repeated: list[str] = []
    for name in (str(n).strip() for n in names):
        if name in seen and name not in repeated:
            repeated.append(name)
        seen.add(name)
    return repeated


def _check_nul(raw: pd.DataFrame, found: _Collector) -> None:
    """A NUL character (byte 0) in a text cell: never text a person typed, and no database keeps it."""
    for name in raw.columns:
        column = raw[name]
        if pd.api.types.is_string_dtype(column) or column.dtype == object:
            text = column.astype("str")
            found.add_rows(text.str.contains("\x00", regex=False).to_numpy(dtype=bool), text, str(name),
                           "holds a NUL character (byte 0); the file is damaged or not text")


def _convert(values: pd.Series, column: Column, found: _Collector) -> pd.Series:
    if pd.api.types.is_numeric_dtype(values) or pd.api.types.is_datetime64_any_dtype(values):
        return _convert_typed(values, column, found)
    text = _category_text(values) if _has_text_categories(values) else values.astype("str").str.strip()
    empty = (text == "").to_numpy()
    if empty.any() and not column.allow_empty:
        found.add_rows(empty, text, column.name, "is empty; a value is required")
    result = _CONVERTERS[column.kind](values, text, empty, column, found)
    if column.unique:
        dup = text.duplicated(keep="first").to_numpy() & ~empty
        found.add_rows(dup, text, column.name, "'{value}' appears more than once; it must be unique")
    return result


def _convert_typed(values: pd.Series, column: Column, found: _Collector) -> pd.Series:
    """A Parquet number or datetime column: checked on its values; its text (what messages quote, and
    what a text column keeps) is built only when needed, since that is most of the cost of a large file."""
    made: list[pd.Series] = []

    def text() -> pd.Series:
        if not made:
            made.append(values.astype("str").where(values.notna(), ""))
        return made[0]

    empty = values.isna().to_numpy()  # exactly the cells whose text is ""
    if empty.any() and not column.allow_empty:
        found.add_rows(empty, text, column.name, "is empty; a value is required")
    typed = column.kind in {"number", "integer"} and pd.api.types.is_numeric_dtype(values) or (
        column.kind == "datetime" and pd.api.types.is_datetime64_any_dtype(values))
    result = _CONVERTERS[column.kind](values, text if typed else text(), empty, column, found)
    if column.unique:
        injective = pd.api.types.is_integer_dtype(values) or pd.api.types.is_datetime64_any_dtype(values)
        dup = (values if injective else text()).duplicated(keep="first").to_numpy() & ~empty
        found.add_rows(dup, text, column.name, "'{value}' appears more than once; it must be unique")
    return result


def _has_text_categories(values: pd.Series) -> bool:
    return isinstance(values.dtype, pd.CategoricalDtype) and pd.api.types.is_string_dtype(values.cat.categories)


def _category_text(values: pd.Series) -> pd.Series:
    """`values.astype("str").str.strip()` for a categorical column, stripping each category once."""
    names = pd.Series(values.cat.categories, dtype="str").str.strip().array
    return pd.Series(names.take(values.cat.codes.to_numpy(), allow_fill=True), index=values.index, dtype="str")


def _as_text(values, text, empty, column, found) -> pd.Series:
    return text.where(~empty, column.default if column.default is not None else "")


def _as_choice(values, text, empty, column, found) -> pd.Series:
    canonical = {c.casefold(): c for c in column.choices}
    mapped = text.str.casefold().map(canonical)
    bad = mapped.isna().to_numpy() & ~empty
    found.add_rows(bad, text, column.name, f"'{{value}}' is not one of {', '.join(column.choices)}")
    filled = mapped.where(~empty, column.default)
    return filled.astype("str") if column.default is not None or not empty.any() else filled


def _as_list(values, text, empty, column, found) -> pd.Series:
    default = tuple(column.default or ())
    items = [
        default if is_empty else tuple(part.strip() for part in cell.split("|") if part.strip())
        for cell, is_empty in zip(text.tolist(), empty)
    ]
    return pd.Series(items, index=text.index, dtype=object)


def _as_number(values, text, empty, column, found, integer: bool = False) -> pd.Series:
    if pd.api.types.is_numeric_dtype(values):
        number = values.astype("float64")
    else:
        number = _plain_numbers(text, empty)
        if number is None:
            number = pd.to_numeric(text.where(~empty), errors="coerce").astype("float64")
    bad = ~np.isfinite(number.to_numpy()) & ~empty  # nan, inf and 1e400 (read as inf) alike
    kind = "a whole number" if integer else "a number"
    found.add_rows(bad, text, column.name, f"'{{value}}' is not {kind}")
    ok = ~bad & ~empty
    if integer:
        fraction = ok & (np.mod(number.where(ok, 0).to_numpy(), 1) != 0)
        found.add_rows(fraction, text, column.name, f"'{{value}}' is not {kind}")
        huge = ok & (np.abs(number.where(ok, 0).to_numpy()) >= _EXACT_INTEGER)
        found.add_rows(huge, text, column.name,
                       f"'{{value}}' is too large; a whole number here is at most {_EXACT_INTEGER - 1:,}")
        bad |= huge
    _check_range(number, ok, text, column, found)
    number = number.where(~pd.Series(bad, index=number.index))  # a refused cell never reaches a conversion
    if column.default is not None:
        number = number.where(~pd.Series(empty, index=number.index), column.default)
    if integer:
        if column.allow_empty and column.default is None:
            return number.round().astype("Int64")
        return number.fillna(0).round().astype("int64")
    return number


def _plain_numbers(text: pd.Series, empty: np.ndarray) -> pd.Series | None:
    """The numbers of a text column read by Arrow (far faster than pd.to_numeric), or None unless every
    non-empty cell is one Arrow and pd.to_numeric read to the same float: an integer below 2**53, or a
    plain decimal of at most 15 characters (both correctly rounded). A zero written with a minus sign
    also gives None, as pd.to_numeric keeps or drops that sign depending on the other cells."""
    cells = pa.array(text).filter(pa.array(~empty))
    try:
        read = pc.cast(cells, pa.int64()).to_numpy(zero_copy_only=False)
        if len(read) and np.abs(read).max() >= _EXACT_INTEGER:
            return None
        read = read.astype("float64")
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        plain = pc.and_(pc.match_substring_regex(cells, _PLAIN_NUMBER),
                        pc.less_equal(pc.utf8_length(cells), _PLAIN_LENGTH))
        if not pc.all(plain).as_py() or cells.null_count:
            return None
        read = pc.cast(cells, pa.float64()).to_numpy(zero_copy_only=False)
    zeros = np.flatnonzero(read == 0)
    if len(zeros) and pc.any(pc.starts_with(cells.take(pa.array(zeros)), "-")).as_py():
        return None
    number = np.full(len(text), np.nan)
    number[~empty] = read
    return pd.Series(number, index=text.index)


def _as_integer(values, text, empty, column, found) -> pd.Series:
    return _as_number(values, text, empty, column, found, integer=True)


def _check_range(number: pd.Series, ok: np.ndarray, text: pd.Series, column: Column, found: _Collector) -> None:
    if column.minimum is not None:
        low = number.to_numpy() <= column.minimum if column.above_minimum else number.to_numpy() < column.minimum
        sign = ">" if column.above_minimum else ">="
        found.add_rows(ok & low, text, column.name, f"'{{value}}' must be {sign} {column.minimum:g}")
    if column.maximum is not None:
        high = number.to_numpy() > column.maximum
        found.add_rows(ok & high, text, column.name, f"'{{value}}' must be <= {column.maximum:g}")


def _as_datetime(values, text, empty, column, found) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(values):
        stamps = values
    else:
        offset = text.str.contains(_OFFSET).to_numpy() & ~empty
        found.add_rows(offset, text, column.name,
                       "'{value}' has a time-zone offset; write the studio's local time without one")
        parseable = text.where(~empty & ~offset)
        stamps = pd.to_datetime(parseable, format="ISO8601", errors="coerce")
        bad = stamps.isna().to_numpy() & ~empty & ~offset
        two_ways = bad & text.str.match(_DAY_OR_MONTH_FIRST).fillna(False).to_numpy(dtype=bool)
        found.add_rows(two_ways, text, column.name, "'{value}' puts the day or the month first, which reads two "
                       "ways; write the year first, like 2026-11-23T19:00:00")
        found.add_rows(bad & ~two_ways, text, column.name, "'{value}' is not a date and time like 2026-11-23T19:00:00")
    outside = ((stamps < pd.Timestamp.min) | (stamps > pd.Timestamp.max)).to_numpy()  # beyond datetime64[ns]
    found.add_rows(outside, text, column.name, "'{value}' is not a date between the years 1678 and 2261")
    return stamps.where(~outside).astype("datetime64[ns]")


def clock(minutes: int) -> str:
    """Minutes after midnight as HH:MM (1440 is 24:00, the midnight that ends a day)."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def time_minutes(text: str) -> int | None:
    """Minutes after midnight of a time of day as the contract writes it (09:30, 9:30, 09:30:00, up to
    24:00); None when the text is not one."""
    found = _TIME_OF_DAY.match(str(text).strip())
    if not found:
        return None
    hours, minutes = int(found.group(1)), int(found.group(2))
    total = hours * 60 + minutes
    return total if minutes < 60 and total <= DAY_MINUTES else None


def _as_time(values, text, empty, column, found) -> pd.Series:
    """A time of day written HH:MM; `column.maximum` (in minutes) says whether 24:00 is allowed."""
    latest = int(column.maximum) if column.maximum is not None else DAY_MINUTES - 1
    minutes = [None if is_empty else time_minutes(cell) for cell, is_empty in zip(text.tolist(), empty)]
    bad = np.array([m is None or m > latest for m in minutes], dtype=bool) & ~empty
    found.add_rows(bad, text, column.name,
                   f"'{{value}}' is not a time of day like 09:30 ({clock(0)} to {clock(latest)})")
    written = [column.default if m is None else clock(m) for m in minutes]
    return pd.Series(written, index=text.index, dtype="str" if column.default is not None or not empty.any()
                     else object)


_CONVERTERS = {
    "text": _as_text,
    "choice": _as_choice,
    "list": _as_list,
    "number": _as_number,
    "integer": _as_integer,
    "datetime": _as_datetime,
    "time": _as_time,
}


def check_references(frame: pd.DataFrame, column: str, known: Iterable[str], table: Table,
                     other_file: str, allow_empty: bool = False) -> None:
    """Raise DataError for each row whose `column` names something missing from `other_file`."""
    found = _Collector(table.file)
    text = frame[column].astype("str")
    codes, distinct = pd.factorize(text, use_na_sentinel=False)  # each distinct value is looked up once
    unknown = ~distinct.isin(set(known))
    if allow_empty:
        unknown &= distinct != ""
    found.add_rows(unknown[codes], text, column, f"'{{value}}' is not in {other_file}")
    found.raise_if_any()



def _subset(table: Table, wanted: set[str]) -> Table:
    """`table` restricted to the columns in `wanted`; end > start is checked when both are there."""
    return Table(table.file, tuple(c for c in table.columns if c.name in wanted),
                 ordered=table.ordered and {"start", "end"} <= wanted)
