"""Reading a studio's files: the one place the scheduler touches the file system for input."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from contract import AVAILABILITY, HOSTS, SESSIONS, SLOTS, check_references, read_raw, read_table
from contract.schemas import AVAILABILITY_EXCEPTIONS, AVAILABILITY_TEMPLATE
from scheduler.availability import read_checked, windows_for_slots
from scheduler.settings import Settings
from scheduler.studio import Studio

EXTENSIONS = (".csv", ".xlsx", ".parquet")


def find_file(data_dir: Path, name: str) -> Path | None:
    """`hosts.csv` may also be exported as hosts.xlsx or hosts.parquet."""
    stem = Path(name).stem
    for extension in EXTENSIONS:
        candidate = data_dir / f"{stem}{extension}"
        if candidate.exists():
            return candidate
    return None


def load_studio(data_dir: Path | str, settings: Settings | None = None) -> Studio:
    """hosts, availability and slots (required); sessions (for host fit), the weekly availability template and
    its exceptions (optional: expanded over the days the slots span) from one folder."""
    data_dir = Path(data_dir)
    frames = {}
    for table in (HOSTS, AVAILABILITY, SLOTS):
        frames[table.file] = read_table(find_file(data_dir, table.file) or data_dir / table.file, table)
    host_ids = frames[HOSTS.file]["host_id"]
    # checked here, by availability.csv's own rows, because the windows the scheduler gets may be merged ones
    check_references(frames[AVAILABILITY.file], "host_id", host_ids, AVAILABILITY, HOSTS.file)
    frames.update(read_availability_changes(data_dir, host_ids))
    availability = windows_for_slots(frames, frames[SLOTS.file])
    sessions_path = find_file(data_dir, SESSIONS.file)
    sessions = read_table(sessions_path, SESSIONS) if sessions_path else None
    return Studio.from_frames(frames[HOSTS.file], availability, frames[SLOTS.file], sessions, settings)


def read_availability_changes(data_dir: Path, host_ids: pd.Series) -> dict[str, pd.DataFrame]:
    """availability_template.csv and availability_exceptions.csv where the folder has them, checked (cells,
    hosts of hosts.csv, the template's times)."""
    found = {}
    for table in (AVAILABILITY_TEMPLATE, AVAILABILITY_EXCEPTIONS):
        path = find_file(data_dir, table.file)
        if path is not None:
            found[table.file] = read_checked(read_raw(path), table, host_ids)
    return found
