"""Why a slot is unstaffed, in words a live ops associate can act on.

Candidate hosts are checked rule by rule (tier, category, language, availability); the reason names the rule that
removed the last candidates. Where candidates remain, each is checked against the slots the plan gave them
(rules 4-7), and the reason groups them by what holds them back.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Set as AbstractSet

import numpy as np

from contract import TIERS
from scheduler.model import tier_weights
from scheduler.rules import Eligibility, conflict, weekly_cap_minutes, when
from scheduler.settings import Settings
from scheduler.studio import Studio

SHOWN = 5  # host ids listed per reason before "…"


def explain_unstaffed(studio: Studio, settings: Settings, elig: Eligibility, host_of: dict[int, int],
                      called_out: AbstractSet[tuple[int, int]] = frozenset()) -> dict[int, str]:
    """slot row -> reason, for every slot without a host in `host_of` (slot row -> person row)."""
    slots_of: dict[int, list[int]] = defaultdict(list)
    for slot, person in host_of.items():
        slots_of[person].append(slot)
    weights = tier_weights(studio, settings)
    return {s: _reason(studio, settings, elig, s, slots_of, called_out, weights)
            for s in range(len(studio.slots)) if s not in host_of}


def _reason(studio: Studio, settings: Settings, elig: Eligibility, slot: int, slots_of: dict[int, list[int]],
            called_out, weights: np.ndarray) -> str:
    row = studio.slots.loc[slot]
    allowed = settings.tier_table.get(row["product_tier"], ())
    tiers = "" if set(allowed) >= set(TIERS) else f"tier-{'/'.join(allowed) or '(none)'} "
    candidates = elig.role[slot] & elig.tier[slot]
    steps = [
        (elig.category[slot], f"no {tiers}host sells {row['category']}"),
        (elig.language[slot], f"no {tiers}host sells {row['category']} in {row['language']}"),
        (elig.availability[slot], f"no {tiers}host for {row['category']} is available {when(row)}"),
    ]
    if not candidates.any():
        return f"no {tiers}host on the roster"
    for passes, message in steps:
        candidates = candidates & passes
        if not candidates.any():
            return message
    groups: dict[str, list[str]] = defaultdict(list)
    blockers: list[int] = []
    for person in np.flatnonzero(candidates):
        rule, blocking = _held_back(studio, settings, slot, int(person), slots_of.get(int(person), []), called_out)
        groups[rule].append(str(studio.hosts.at[int(person), "host_id"]))
        blockers += blocking
    return _sentence(settings, slot, groups, blockers, weights)


def _held_back(studio: Studio, settings: Settings, slot: int, person: int, taken: list[int],
               called_out) -> tuple[str, list[int]]:
    """The first of rules 4-7 that stops this person taking the slot on top of their plan, and the slots to blame."""
    if (slot, person) in called_out:
        return "called_out", []
    times = studio.times
    for rule in ("changeover", "rest"):
        clash = [t for t in taken if conflict(times, slot, t, settings) == rule]
        if clash:
            return rule, clash
    same_day = [t for t in taken if times.day[t] == times.day[slot]]
    if len(same_day) >= int(studio.hosts.at[person, "max_streams_per_day"]):
        return "daily_streams", same_day
    if times.minutes[same_day].sum() + times.minutes[slot] > settings.max_daily_minutes:
        return "daily_hours", same_day
    same_week = [t for t in taken if times.week[t] == times.week[slot]]
    if times.minutes[same_week].sum() + times.minutes[slot] > weekly_cap_minutes(studio.hosts)[person]:
        return "weekly_cap", same_week
    return "free", []


_PHRASES = {
    "called_out": "called out",
    "changeover": "streaming an overlapping slot or one within the {changeover} min changeover",
    "rest": "short of the {rest} h rest between days",
    "daily_streams": "at their streams per day",
    "daily_hours": "at the {daily} live hours per day",
    "weekly_cap": "at their weekly cap",
    "free": "free to take it: assign by hand or re-solve with a longer time limit",
}


def _sentence(settings: Settings, slot: int, groups: dict[str, list[str]], blockers: list[int],
              weights: np.ndarray) -> str:
    numbers = {"changeover": settings.changeover_minutes, "rest": f"{settings.overnight_rest_hours:g}",
               "daily": f"{settings.max_daily_hours:g}"}
    total = sum(len(ids) for ids in groups.values())
    parts = [f"{_PHRASES[rule].format(**numbers)} ({_ids(ids)})" for rule, ids in groups.items()]
    if list(groups) == ["free"]:
        text = f"{_count(total)} could take it and {'is' if total == 1 else 'are'} {parts[0]}"
    elif len(parts) == 1:
        text = f"{_count(total)} could take it, but {'is' if total == 1 else 'all are'} {parts[0]}"
    else:
        text = f"{_count(total)} could take it, but " + "; ".join(
            f"{len(ids)} {'is' if len(ids) == 1 else 'are'} {p}" for ids, p in zip(groups.values(), parts))
    if blockers and "free" not in groups and all(weights[b] > weights[slot] for b in blockers):
        text += "; eligible hosts are left for higher-priority slots"
    return text


def _count(n: int) -> str:
    return "1 host" if n == 1 else f"{n} hosts"


def _ids(ids: list[str]) -> str:
    return ", ".join(ids[:SHOWN]) + (", …" if len(ids) > SHOWN else "")
