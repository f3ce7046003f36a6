"""Greedy best-fit baseline: what a spreadsheet user does when staffing the week by hand.

Slots are taken in order of product tier (hero, core, longtail), then start time; each gets the first
host in hosts.csv order that breaks none of the data contract's seven hard rules given the slots
already staffed. Locked slots are placed first and always kept. The CP-SAT scheduler is measured
against this plan, so the baseline must be honest: it never breaks a rule either. The rules are the
scheduler's own computations (`scheduler.rules`), so "breaks a rule" means the same thing for both.
Hosts only: production assistants are not staffed by the baseline.
"""
from __future__ import annotations

from collections import defaultdict

import numpy as np
import pandas as pd

from scheduler import Settings, Studio
from scheduler.rules import conflict, eligibility, weekly_cap_minutes

TIER_ORDER = {"hero": 0, "core": 1, "longtail": 2}


def greedy_plan(hosts: pd.DataFrame, availability: pd.DataFrame, slots: pd.DataFrame,
                settings: Settings = Settings()) -> pd.DataFrame:
    """Staff slots greedily; returns `slot_id, host_id` for every slot, host_id empty where unstaffed.

    Frames are the contract reader's output (`contract.read_table` / `parse_table`).
    """
    studio = Studio.from_frames(hosts, availability, slots, settings=settings)
    return greedy_studio_plan(studio, settings)


def greedy_studio_plan(studio: Studio, settings: Settings = Settings()) -> pd.DataFrame:
    """`greedy_plan` for a studio already built (the benchmark builds it once for every solver)."""
    slots, times = studio.slots, studio.times
    host_ids = studio.hosts["host_id"].astype("str").tolist()
    ok = eligibility(studio, settings).host_ok
    max_streams = studio.hosts["max_streams_per_day"].to_numpy()
    week_cap = weekly_cap_minutes(studio.hosts)
    taken: dict[int, list[int]] = defaultdict(list)  # host column -> slots staffed so far
    day_load: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0, 0])  # (host, day) -> [streams, minutes]
    week_load: dict[tuple[int, object], int] = defaultdict(int)  # (host, week) -> minutes

    def fits(slot: int, host: int) -> bool:
        """Rules 4-7 for one more slot of a host, given what the host already carries."""
        streams, minutes = day_load[host, times.day[slot]]
        return (streams < max_streams[host]
                and minutes + times.minutes[slot] <= settings.max_daily_minutes
                and week_load[host, times.week[slot]] + times.minutes[slot] <= week_cap[host]
                and all(conflict(times, slot, other, settings) is None for other in taken[host]))

    def place(slot: int, host: int) -> None:
        taken[host].append(slot)
        day_load[host, times.day[slot]][0] += 1
        day_load[host, times.day[slot]][1] += times.minutes[slot]
        week_load[host, times.week[slot]] += times.minutes[slot]

    locked = slots["locked_host_id"].astype("str").to_numpy()
    chosen = locked.astype(object).copy()
    for slot in np.flatnonzero(locked != ""):
        place(slot, studio.host_index[locked[slot]])
    order = sorted(np.flatnonzero(locked == ""), key=lambda s: (TIER_ORDER[slots.at[s, "product_tier"]],
                                                               times.start[s], s))
    for slot in order:
        host = next((h for h in np.flatnonzero(ok[slot]) if fits(slot, h)), None)
        if host is not None:
            place(slot, host)
            chosen[slot] = host_ids[host]
    return pd.DataFrame({"slot_id": slots["slot_id"].astype("str"), "host_id": chosen.astype("str")})
