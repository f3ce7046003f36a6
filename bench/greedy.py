"""Greedy best-fit baseline: what a spreadsheet user does when staffing the week by hand.

Slots are taken in order of product tier (hero, core, longtail), then start time; each gets the first
host in hosts.csv order that breaks none of the data contract's seven hard rules given the slots
already staffed. Locked slots are placed first and always kept. The CP-SAT scheduler is measured
against this plan, so the baseline must be honest: it never breaks a rule either. It is the scheduler's
own greedy (`scheduler.greedy.greedy_plan` with `best_fit=False`; the solver starts from the same
function with `best_fit=True`), so "breaks a rule" means the same thing for both.
Hosts only: production assistants are not staffed by the baseline.
"""
from __future__ import annotations

import pandas as pd

from scheduler import Settings, Studio
from scheduler.greedy import greedy_plan as scheduler_greedy


def greedy_plan(hosts: pd.DataFrame, availability: pd.DataFrame, slots: pd.DataFrame,
                settings: Settings = Settings()) -> pd.DataFrame:
    """Staff slots greedily; returns `slot_id, host_id` for every slot, host_id empty where unstaffed.

    Frames are the contract reader's output (`contract.read_table` / `parse_table`).
    """
    studio = Studio.from_frames(hosts, availability, slots, settings=settings)
    return greedy_studio_plan(studio, settings)


def greedy_studio_plan(studio: Studio, settings: Settings = Settings()) -> pd.DataFrame:
    """`greedy_plan` for a studio already built (the benchmark builds it once for every solver)."""
    host_of = scheduler_greedy(studio, settings, best_fit=False).hosts
    host_ids = studio.hosts["host_id"].to_numpy()
    chosen = [host_ids[host_of[s]] if s in host_of else "" for s in range(len(studio.slots))]
    return pd.DataFrame({"slot_id": studio.slots["slot_id"], "host_id": pd.Series(chosen, dtype="str")})
