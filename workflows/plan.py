"""A published plan: who hosts and who assists each slot, checked against slots.csv and hosts.csv."""
from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

import contract
from workflows.schemas import ASSIGNMENTS, ASSISTANTS

STAFF_COLUMNS = ("slot_id", "person_id", "role")


@dataclass(frozen=True)
class Plan:
    """assignments.csv (slot_id, host_id, reason) and the optional assistants file (slot_id, assistant_id).

    The file names are kept so that a broken reference names the file the person actually gave.
    """

    assignments: pd.DataFrame
    assistants: pd.DataFrame | None = None
    assignments_file: str = ASSIGNMENTS.file
    assistants_file: str = ASSISTANTS.file

    @classmethod
    def from_frames(cls, assignments: pd.DataFrame, assistants: pd.DataFrame | None = None) -> "Plan":
        """A plan from text frames (validated here), e.g. literal frames in a test or the store's tables."""
        return cls(contract.parse_table(assignments, ASSIGNMENTS),
                   None if assistants is None else contract.parse_table(assistants, ASSISTANTS))


def staffing(plan: Plan, slots: pd.DataFrame, hosts: pd.DataFrame) -> pd.DataFrame:
    """One row per person per slot they staff (slot_id, person_id, role) joined with the slot's columns.

    role is the position in the plan (host or assistant), not the person's usual role: an assistant
    who stands in as host is paid for hosting that slot.
    """
    assignments_table = replace(ASSIGNMENTS, file=plan.assignments_file)
    slot_ids = slots["slot_id"].unique()
    people = hosts["host_id"].unique()
    contract.check_references(plan.assignments, "slot_id", slot_ids, assignments_table, "slots.csv")
    contract.check_references(plan.assignments, "host_id", people, assignments_table, "hosts.csv", allow_empty=True)
    staffed = plan.assignments.loc[plan.assignments["host_id"] != ""]
    rows = [pd.DataFrame({"slot_id": staffed["slot_id"], "person_id": staffed["host_id"], "role": "host"})]
    if plan.assistants is not None:
        assistants_table = replace(ASSISTANTS, file=plan.assistants_file)
        contract.check_references(plan.assistants, "slot_id", slot_ids, assistants_table, "slots.csv")
        contract.check_references(plan.assistants, "assistant_id", people, assistants_table, "hosts.csv")
        rows.append(pd.DataFrame({"slot_id": plan.assistants["slot_id"],
                                  "person_id": plan.assistants["assistant_id"], "role": "assistant"}))
    staff = pd.concat(rows, ignore_index=True).drop_duplicates(["slot_id", "person_id"])
    staff = staff.astype({"slot_id": "str", "person_id": "str", "role": "str"})
    return staff.merge(slots, on="slot_id", how="left", validate="many_to_one")
