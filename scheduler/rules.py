"""The contract's hard rules as plain computations over slots and hosts, shared by model, checks and explanations.

Rules 1-3 decide which (slot, person) pairs exist at all; rules 4-5 are conflicts between two slots;
rules 6-7 are sums per day and per ISO week.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from scheduler.settings import Settings
from scheduler.studio import Studio

LABELS = {
    "availability": "rule 1: availability",
    "tier": "rule 2: tier",
    "category": "rule 3: category",
    "language": "rule 3: language",
    "role": "role",
    "changeover": "rule 4: no overlap and changeover",
    "rest": "rule 5: overnight rest",
    "daily_streams": "rule 6: streams per day",
    "daily_hours": "rule 6: live hours per day",
    "weekly_cap": "rule 7: weekly cap",
}


@dataclass(frozen=True)
class Eligibility:
    """Boolean matrices (slots x people in hosts.csv order), one per rule 1-3 and role; `ok` combines them."""

    availability: np.ndarray
    tier: np.ndarray
    category: np.ndarray
    language: np.ndarray
    role: np.ndarray  # hosts for the host position; assistants only for slots that need assistants

    @property
    def host_ok(self) -> np.ndarray:
        return self.availability & self.tier & self.category & self.language & self.role

    def first_broken(self, slot: int, person: int) -> str | None:
        """The first of rules 1-3 (or role) a pair breaks, in the order a person checks them."""
        for rule in ("role", "availability", "tier", "category", "language"):
            if not getattr(self, rule)[slot, person]:
                return rule
        return None


def eligibility(studio: Studio, settings: Settings) -> Eligibility:
    """Which host may take which slot under rules 1-3 (names compared case-insensitively).

    Each rule is a small table over the distinct values (slot tiers x host tiers, ...) indexed by row, so a
    roster of hundreds of hosts and a month of slots costs no Python loop over slot-host pairs."""
    slots, hosts = studio.slots, studio.hosts
    host_tiers = hosts["tier"].astype("str").to_numpy(dtype=object)
    product_tiers, per_slot = np.unique(slots["product_tier"].astype("str").to_numpy(dtype=object),
                                        return_inverse=True)
    allowed = np.array([np.isin(host_tiers, list(settings.tier_table.get(t, ()))) for t in product_tiers],
                       dtype=bool).reshape(len(product_tiers), len(hosts))
    category = _list_match(slots["category"], hosts["categories"])
    language = _list_match(slots["language"], hosts["languages"])
    role = np.broadcast_to(~studio.is_assistant, (len(slots), len(hosts))).copy()
    return Eligibility(available(studio), allowed[per_slot], category, language, role)


def assistant_ok(studio: Studio, elig: Eligibility) -> np.ndarray:
    """Assistants obey rule 1 only among rules 1-3, and only slots that need assistants have positions."""
    needs = studio.slots["assistants_needed"].to_numpy() > 0
    return elig.availability & studio.is_assistant[None, :] & needs[:, None]


def _list_match(values: pd.Series, lists: pd.Series) -> np.ndarray:
    """values[i] (case-insensitive) is in lists[j]: one row per distinct value, then indexed per slot."""
    wanted = np.array([str(v).casefold() for v in values], dtype=object)
    distinct, per_row = np.unique(wanted, return_inverse=True) if len(wanted) else (wanted, wanted.astype(int))
    offered = [{str(x).casefold() for x in items} for items in lists]
    table = np.array([[w in o for o in offered] for w in distinct], dtype=bool).reshape(len(distinct), len(offered))
    return table[per_row]


def available(studio: Studio) -> np.ndarray:
    """Rule 1: the slot lies entirely inside one availability window of the person."""
    slots, windows = studio.slots, studio.availability
    start = slots["start"].to_numpy(dtype="datetime64[s]")
    end = slots["end"].to_numpy(dtype="datetime64[s]")
    result = np.zeros((len(slots), len(studio.hosts)), dtype=bool)
    columns = windows["host_id"].astype("str").map(studio.host_index).to_numpy()
    w_start = windows["start"].to_numpy(dtype="datetime64[s]")
    w_end = windows["end"].to_numpy(dtype="datetime64[s]")
    for col in np.unique(columns):
        mine = columns == col
        inside = (w_start[mine, None] <= start[None, :]) & (end[None, :] <= w_end[mine, None])
        result[:, col] = inside.any(axis=0)
    return result


def changeover_cliques(start: np.ndarray, end: np.ndarray, changeover: int) -> list[np.ndarray]:
    """Rule 4 as maximal cliques: slots whose [start, end + changeover) intervals share a moment.

    Two slots conflict under rule 4 exactly when these stretched intervals overlap, and on an interval graph
    the maximal cliques (found by one sweep) cover every conflicting pair with far fewer constraints.
    """
    stretched_end = end + changeover
    events = sorted([(int(s), 1, i) for i, s in enumerate(start)]
                    + [(int(e), 0, i) for i, e in enumerate(stretched_end)])
    active: set[int] = set()
    cliques: list[np.ndarray] = []
    grew = False
    for _, is_start, slot in events:  # ends sort before starts at the same moment: touching is no conflict
        if is_start:
            active.add(slot)
            grew = True
        else:
            if grew and len(active) > 1:
                cliques.append(np.array(sorted(active)))
            grew = False
            active.discard(slot)
    return cliques


def rest_pairs(times, settings: Settings) -> list[tuple[int, int]]:
    """Rule 5: (earlier, later) slots starting on different days with less than the rest between them.

    Pairs already in conflict under rule 4 are left out; the sweep only looks ahead one rest period.
    """
    order = np.argsort(times.start, kind="stable")
    starts = times.start[order]
    pairs = []
    for i in order:
        reach = np.searchsorted(starts, times.end[i] + settings.rest_seconds, side="left")
        first = np.searchsorted(starts, times.end[i] + settings.changeover_seconds, side="left")
        for j in order[first:reach]:
            if times.day[j] > times.day[i]:
                pairs.append((int(i), int(j)))
    return pairs


def conflict(times, a: int, b: int, settings: Settings) -> str | None:
    """Which of rules 4-5 forbids one person streaming both slots a and b, if any."""
    first, second = (a, b) if (times.start[a], times.end[a]) <= (times.start[b], times.end[b]) else (b, a)
    gap = times.start[second] - times.end[first]
    if gap < settings.changeover_seconds:
        return "changeover"
    if times.day[second] != times.day[first] and gap < settings.rest_seconds:
        return "rest"
    return None


def weekly_cap_minutes(hosts: pd.DataFrame) -> np.ndarray:
    return np.floor(hosts["max_hours_per_week"].to_numpy(dtype=float) * 60 + 1e-6).astype(np.int64)


def weekly_min_minutes(hosts: pd.DataFrame) -> np.ndarray:
    return np.ceil(hosts["min_hours_per_week"].to_numpy(dtype=float) * 60 - 1e-6).astype(np.int64)


def when(slot: pd.Series) -> str:
    """'Mon 30 Nov 19:00–21:00': a slot's time the way a person reads a calendar."""
    start, end = slot["start"], slot["end"]
    end_text = end.strftime("%H:%M") if end.normalize() == start.normalize() else end.strftime("%a %d %b %H:%M")
    return f"{start.strftime('%a %d %b %H:%M')}–{end_text}"


def pair_problem(studio: Studio, settings: Settings, elig: Eligibility, slot: int, person: int) -> str | None:
    """Why a person may not take a slot under rules 1-3 (or role), in words, with the rule's label."""
    rule = elig.first_broken(slot, person)
    if rule is None:
        return None
    row, host = studio.slots.loc[slot], studio.hosts.loc[person]
    if rule == "role":
        text = "the person is a production assistant, not a host"
    elif rule == "availability":
        text = f"the host is not available {when(row)}"
    elif rule == "tier":
        needed = "/".join(settings.tier_table.get(row["product_tier"], ())) or "none"
        text = f"the host is tier {host['tier']} and a {row['product_tier']} slot needs tier {needed}"
    elif rule == "category":
        text = f"the host does not sell {row['category']} (sells {', '.join(host['categories'])})"
    else:
        text = f"the host does not speak {row['language']} (speaks {', '.join(host['languages'])})"
    return f"{text} ({LABELS[rule]})"
