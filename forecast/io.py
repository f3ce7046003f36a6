"""Reading what the forecast learns from: the one place the forecast touches the file system for input."""
from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

import contract

HISTORY = "history"


@dataclass(frozen=True)
class History:
    """The roster, the results and the slots the results name (planned and past), as the contract reads them."""

    hosts: pd.DataFrame
    sessions: pd.DataFrame | None
    slots: pd.DataFrame  # the week to plan (slots.csv), possibly empty
    past_slots: pd.DataFrame | None  # history/slots.csv

    @property
    def known_slots(self) -> pd.DataFrame:
        """Every slot a session may name: past ones first, so a planned slot with the same id wins."""
        frames = [f for f in (self.past_slots, self.slots) if f is not None and not f.empty]
        return pd.concat(frames, ignore_index=True) if frames else self.slots


def read_past_slots(data_dir: Path | str) -> pd.DataFrame | None:
    """history/slots.csv where the folder has it: the slots past sessions filled."""
    past_path = Path(data_dir) / HISTORY / contract.SLOTS.file
    if not past_path.exists():
        return None
    past_table = replace(contract.SLOTS, file=f"{HISTORY}/{contract.SLOTS.file}")
    return contract.parse_table(contract.read_raw(past_path), past_table)


def read_known_slots(data_dir: Path | str) -> pd.DataFrame | None:
    """slots.csv and history/slots.csv where the folder has them (past first), for describing past streams."""
    data_dir = Path(data_dir)
    past = read_past_slots(data_dir)
    frames = [] if past is None else [past]
    if (data_dir / contract.SLOTS.file).exists():
        frames.append(contract.read_table(data_dir / contract.SLOTS.file, contract.SLOTS))
    return pd.concat(frames, ignore_index=True) if frames else None


def read_history(data_dir: Path | str) -> History:
    """hosts.csv and slots.csv (required), sessions.csv and history/slots.csv where the folder has them."""
    data_dir = Path(data_dir)
    hosts = contract.read_table(data_dir / contract.HOSTS.file, contract.HOSTS)
    slots = contract.read_table(data_dir / contract.SLOTS.file, contract.SLOTS)
    sessions_path = data_dir / contract.SESSIONS.file
    sessions = contract.read_table(sessions_path, contract.SESSIONS) if sessions_path.exists() else None
    past_path = data_dir / HISTORY / contract.SLOTS.file
    past_table = replace(contract.SLOTS, file=f"{HISTORY}/{contract.SLOTS.file}")
    past = contract.parse_table(contract.read_raw(past_path), past_table) if past_path.exists() else None
    return History(hosts, sessions, slots, past)
