"""Reading a studio's files: the one place the scheduler touches the file system for input."""
from __future__ import annotations

from pathlib import Path

from contract import AVAILABILITY, HOSTS, SESSIONS, SLOTS, read_table
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
    """hosts, availability and slots (required) and sessions (optional, for host fit) from one folder."""
    data_dir = Path(data_dir)
    frames = {}
    for table in (HOSTS, AVAILABILITY, SLOTS):
        frames[table.file] = read_table(find_file(data_dir, table.file) or data_dir / table.file, table)
    sessions_path = find_file(data_dir, SESSIONS.file)
    sessions = read_table(sessions_path, SESSIONS) if sessions_path else None
    return Studio.from_frames(frames[HOSTS.file], frames[AVAILABILITY.file], frames[SLOTS.file], sessions, settings)
