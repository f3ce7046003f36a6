"""Checking a plan someone edited by hand against every hard rule, without the solver.

The dashboard uses it to refuse a move and name the broken rule; `python -m scheduler check` prints it.
"""
from __future__ import annotations

import pandas as pd

from scheduler.rules import HARD_RULES, Checked, Violation, eligibility
from scheduler.settings import Settings
from scheduler.studio import Studio


def check_assignments(studio: Studio, assignments: pd.DataFrame, settings: Settings = Settings(),
                      assistants: pd.DataFrame | None = None) -> list[Violation]:
    """Every hard-rule violation of `assignments` (slot_id, host_id) and optionally `assistants` (slot_id,
    assistant_id): ids the studio does not know first, then rule by rule in HARD_RULES order."""
    slot_row = {s: i for i, s in enumerate(studio.slots["slot_id"])}
    found: list[Violation] = []
    hosts = _known_pairs(studio, assignments, "host_id", slot_row, found)
    helpers = None if assistants is None else _known_pairs(studio, assistants, "assistant_id", slot_row, found)
    checked = Checked(studio, settings, eligibility(studio, settings), hosts, helpers)
    for rule in HARD_RULES:
        found += rule.violations(checked)
    return found


def _known_pairs(studio: Studio, frame: pd.DataFrame, column: str, slot_row: dict[str, int],
                 found: list[Violation]) -> list[tuple[int, int]]:
    pairs = []
    for slot_id, host_id in zip(frame["slot_id"].astype("str"), frame[column].fillna("").astype("str")):
        if host_id.strip() == "":
            continue
        if slot_id not in slot_row or host_id not in studio.host_index:
            unknown = f"slot {slot_id}" if slot_id not in slot_row else f"host {host_id}"
            found.append(Violation(slot_id, host_id, "unknown id", f"{unknown} is not in the studio's files"))
            continue
        pairs.append((slot_row[slot_id], studio.host_index[host_id]))
    return pairs
