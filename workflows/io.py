"""Reading the workflows' files and keeping invoice decisions: the edge between files and the library."""
from __future__ import annotations

from dataclasses import asdict, replace
from pathlib import Path

import numpy as np
import pandas as pd

import contract
from contract import DataError, Problem
from contract.files import write_csv
from contract.folder import HISTORY, find_file, read_folder
from contract.plan import parse_products
from workflows.claims import Rule, default_rules, parse_rules
from workflows.invoices import Decision, decisions_frame, parse_invoices
from workflows.schemas import DECISIONS, ORDER_MINUTES


def read_table_as(path: Path | str, table: contract.Table) -> pd.DataFrame:
    """Read a file that may have any name with `table`'s schema; problems name the file as given."""
    path = Path(path)
    return contract.parse_table(contract.read_raw(path), replace(table, file=path.name))


def read_roster(data_dir: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """hosts.csv, and the slots of slots.csv with those of history/slots.csv (the past weeks) when present.

    A slot id in both files is an error naming the history file's row: each slot is one livestream.
    """
    roster = read_folder(data_dir, (contract.HOSTS, contract.SLOTS))
    assert roster.hosts is not None and roster.slots is not None, "read_folder reads required tables or raises"
    past = read_folder(data_dir / HISTORY, (), (contract.SLOTS,), within=HISTORY).slots
    if past is None:
        return roster.hosts, roster.slots
    repeated = np.flatnonzero(past["slot_id"].isin(roster.slots["slot_id"]).to_numpy())
    if len(repeated):
        raise DataError([Problem(f"{HISTORY}/{contract.SLOTS.file}", int(i) + 2, "slot_id",
                                 f"'{past['slot_id'].iloc[i]}' is also in slots.csv") for i in repeated[:20]],
                        more=max(len(repeated) - 20, 0))
    return roster.hosts, pd.concat([past, roster.slots], ignore_index=True)


def read_invoices(path: Path) -> pd.DataFrame:
    return parse_invoices(contract.read_raw(path), Path(path).name)


def read_products(path: Path) -> pd.DataFrame:
    return parse_products(contract.read_raw(path), Path(path).name)


def read_rules(path: Path | None) -> list[Rule]:
    """The studio's restricted claims, or the project's default list."""
    return default_rules() if path is None else parse_rules(contract.read_raw(path), Path(path).name)


def read_order_minutes(data_dir: Path, sessions: pd.DataFrame) -> pd.DataFrame | None:
    """order_minutes.csv when the studio has it, its session ids checked against sessions.csv."""
    path = find_file(data_dir, ORDER_MINUTES.file)
    if path is None:
        return None
    orders = contract.read_table(path, ORDER_MINUTES)
    contract.check_references(orders, "session_id", sessions["session_id"].unique(), ORDER_MINUTES, "sessions.csv")
    return orders


def read_decisions(path: Path) -> pd.DataFrame:
    """decisions.csv, or an empty table when no decision was taken yet."""
    return read_table_as(path, DECISIONS) if Path(path).exists() else decisions_frame([])


def append_decision(path: Path, decision: Decision) -> pd.DataFrame:
    """Add a decision to decisions.csv, rewriting it all at once so a crash never leaves half a file."""
    columns = [c.name for c in DECISIONS.columns]
    existing = read_decisions(path)[columns]
    row = pd.DataFrame([asdict(decision)], columns=columns)
    updated = pd.concat([existing, row], ignore_index=True)
    updated["at"] = pd.to_datetime(updated["at"]).dt.strftime("%Y-%m-%dT%H:%M:%S")
    write_csv(updated, path)
    return updated
