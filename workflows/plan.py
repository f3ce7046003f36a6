"""Who staffs each slot of a published plan, checked against slots.csv and hosts.csv."""
from __future__ import annotations

import pandas as pd

from contract.plan import StaffingPlan


def staffing(plan: StaffingPlan, slots: pd.DataFrame, hosts: pd.DataFrame) -> pd.DataFrame:
    """One row per person per slot they staff (slot_id, person_id, role) joined with the slot's columns.

    role is the position in the plan (host or assistant), not the person's usual role: an assistant
    who stands in as host is paid for hosting that slot.
    """
    plan.check(slots["slot_id"].unique(), hosts["host_id"].unique())
    staffed = plan.assignments.loc[plan.assignments["host_id"] != ""]
    rows = [pd.DataFrame({"slot_id": staffed["slot_id"], "person_id": staffed["host_id"], "role": "host"})]
    if plan.assistants is not None:
        rows.append(pd.DataFrame({"slot_id": plan.assistants["slot_id"],
                                  "person_id": plan.assistants["assistant_id"], "role": "assistant"}))
    staff = pd.concat(rows, ignore_index=True).drop_duplicates(["slot_id", "person_id"])
    staff = staff.astype({"slot_id": "str", "person_id": "str", "role": "str"})
    return staff.merge(slots, on="slot_id", how="left", validate="many_to_one")
