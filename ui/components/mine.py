"""What a host's own pages read: always one person's rows, picked by the host_id the store gives the signed-in
user on this run, so no widget, table or download of a host page can hold another person's data."""
from __future__ import annotations

import pandas as pd

from contract.when import studio_now
from ui import state
from ui import workflow_state as wf


def now() -> pd.Timestamp:
    """The studio's wall clock."""
    return studio_now(state.studio_settings().time_zone)


def my_streams(host_id: str) -> pd.DataFrame:
    """The published slots the person hosts or assists, by start: the slot's columns plus `role`."""
    plan = wf.staffing_plan()
    hosting = set(plan.assignments.loc[plan.assignments["host_id"] == host_id, "slot_id"])
    helpers = plan.assistants
    assisting = set() if helpers is None else set(helpers.loc[helpers["assistant_id"] == host_id, "slot_id"])
    slots = state.frames().slots
    mine = slots.loc[slots["slot_id"].isin(hosting | assisting)].sort_values(["start", "slot_id"])
    role = ["host" if slot in hosting else "assistant" for slot in mine["slot_id"]]
    return mine.assign(role=pd.Series(role, index=mine.index, dtype="str")).reset_index(drop=True)


def upcoming(host_id: str) -> pd.DataFrame:
    """The person's published streams that have not ended."""
    mine = my_streams(host_id)
    return mine.loc[mine["end"] > now()].reset_index(drop=True)


def my_name(host_id: str) -> str:
    return state.host_names().get(host_id, host_id)
