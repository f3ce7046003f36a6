"""Reading a studio's files: the one place the scheduler touches the file system for input."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd

from contract import AVAILABILITY, HOSTS, SESSIONS, SLOTS, Table, check_references, parse_table, read_raw
from contract.folder import StudioTables, find_file, read_folder
from contract.schemas import AVAILABILITY_EXCEPTIONS, AVAILABILITY_TEMPLATE
from forecast.io import read_past_slots
from scheduler.availability import read_checked, windows_for_slots
from scheduler.settings import Settings
from scheduler.studio import Studio


def load_studio(data_dir: Path | str, settings: Settings | None = None) -> Studio:
    """hosts, availability and slots (required, but availability.csv may be left out when the weekly template
    holds all the availability); sessions (for host fit), the weekly availability template and its exceptions
    (optional: expanded over the days the slots span) from one folder."""
    data_dir = Path(data_dir)
    template_only = find_file(data_dir, AVAILABILITY_TEMPLATE.file) is not None  # it may hold all the availability
    tables = read_folder(data_dir, (HOSTS, SLOTS) if template_only else (HOSTS, AVAILABILITY, SLOTS),
                         (AVAILABILITY,) if template_only else ())
    if tables.availability is None:
        no_windows = pd.DataFrame(columns=[c.name for c in AVAILABILITY.columns])
        tables = replace(tables, availability=parse_table(no_windows, AVAILABILITY))
    assert tables.hosts is not None and tables.slots is not None, "read_folder reads required tables or raises"
    host_ids = tables.hosts["host_id"]
    # checked here, by availability.csv's own rows, because the windows the scheduler gets may be merged ones
    check_references(tables.availability, "host_id", host_ids, AVAILABILITY, HOSTS.file)
    tables = read_availability_changes(data_dir, host_ids, tables)
    sessions = read_folder(data_dir, (), (SESSIONS,)).sessions
    return Studio.from_frames(tables.hosts, windows_for_slots(tables, tables.slots), tables.slots, sessions,
                              settings, past_slots=read_past_slots(data_dir) if sessions is not None else None)


def read_availability_changes(data_dir: Path, host_ids: pd.Series, tables: StudioTables) -> StudioTables:
    """`tables` with availability_template.csv and availability_exceptions.csv where the folder has them,
    checked (cells, hosts of hosts.csv, the template's times)."""
    template, exceptions = (_read_changes(data_dir, table, host_ids)
                            for table in (AVAILABILITY_TEMPLATE, AVAILABILITY_EXCEPTIONS))
    return replace(tables, availability_template=template, availability_exceptions=exceptions)


def _read_changes(data_dir: Path, table: Table, host_ids: pd.Series) -> pd.DataFrame | None:
    path = find_file(data_dir, table.file)
    return None if path is None else read_checked(read_raw(path), table, host_ids)
