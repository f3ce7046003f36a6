"""Writing output files safely: all or nothing, and never a spreadsheet formula smuggled in a text cell."""
from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_UNSAFE_IN_NAME = re.compile(r"[^A-Za-z0-9._-]+")
_LONGEST_STEM = 64
# Names Windows refuses for a file whatever the extension: a zip unpacked there must not fail on a host "CON".
_WINDOWS_DEVICES = {"CON", "PRN", "AUX", "NUL", *(f"COM{n}" for n in range(10)), *(f"LPT{n}" for n in range(10))}


def safe_file_stem(identifier: str) -> str:
    """A file name stem for an id from data that stays inside its folder on any system.

    An id of letters, digits, dots, dashes and underscores is kept as it is. Any other id (a slash, `..`, a
    leading dot, a space, a Windows device name, more than 64 characters, nothing at all) has its unsafe
    characters replaced and a short hash of the original appended, so two distinct ids still make two files.
    """
    cleaned = _UNSAFE_IN_NAME.sub("_", identifier).lstrip(".")[:_LONGEST_STEM]
    if cleaned and cleaned == identifier and cleaned.split(".")[0].upper() not in _WINDOWS_DEVICES:
        return cleaned
    digest = hashlib.sha256(identifier.encode("utf-8", "surrogatepass")).hexdigest()[:10]
    return f"{cleaned or 'id'}-{digest}"


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Prefix text cells and column names that a spreadsheet would run as a formula with an apostrophe
    (CSV injection): a header is a cell like any other to the spreadsheet that opens the file."""
    out = frame.copy()
    out.columns = [_neutral_name(name) for name in out.columns]
    for name in out.columns:
        column = out[name]
        if pd.api.types.is_string_dtype(column) or column.dtype == object:
            text = column.astype("str")
            risky = column.notna() & text.str.startswith(_FORMULA_START)
            if risky.any():
                out[name] = column.where(~risky, "'" + text)
    return out


def _neutral_name(name: object) -> object:
    return "'" + name if isinstance(name, str) and name.startswith(_FORMULA_START) else name


@contextmanager
def atomic_path(path: Path | str) -> Iterator[Path]:
    """Yield a temporary path beside `path`; it replaces `path` only if the block finishes."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=target.suffix, dir=target.parent)
    os.close(handle)
    try:
        yield Path(temp)
        os.chmod(temp, _mode_for(target))
        os.replace(temp, target)
    finally:
        if os.path.exists(temp):
            os.remove(temp)


@contextmanager
def atomic_folder(path: Path | str) -> Iterator[Path]:
    """Yield an empty folder beside `path` to write a set of files into; they move into `path` (created if
    missing) only if the block finishes, so a block that fails (on a full disk, say) leaves no partial set.
    Moving a file within one file system is a rename, which needs no space."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        yield staging
        if target.exists():
            for item in staging.iterdir():
                os.replace(item, target / item.name)
        else:
            os.chmod(staging, 0o777 & ~_umask())
            os.replace(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _mode_for(target: Path) -> int:
    """Keep an existing file's permissions; a new file gets the usual 0666 less the umask (mkstemp makes 0600)."""
    if target.exists():
        return target.stat().st_mode & 0o777
    return 0o666 & ~_umask()


def write_csv(frame: pd.DataFrame, path: Path | str) -> None:
    """Write a CSV all at once, with formula-like text neutralised."""
    with atomic_path(path) as temp:
        neutralise_formulas(frame).to_csv(temp, index=False)


def write_excel(sheets: dict[str, pd.DataFrame], path: Path | str) -> None:
    """Write one sheet per table (names cut to Excel's 31 characters), all at once, formulas neutralised."""
    with atomic_path(path) as temp:
        with pd.ExcelWriter(temp, engine="openpyxl") as writer:
            for name, frame in sheets.items():
                neutralise_formulas(frame).to_excel(writer, sheet_name=name[:31], index=False)
