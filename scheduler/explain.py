"""Why a slot is unstaffed, in words a live ops associate can act on.

Candidate hosts are narrowed rule by rule: the roster (role and tier), then category, language and availability;
the reason names the rule that removed the last candidates, and where a host of another tier would have passed
it, says that the tier table (a setting) is what keeps them out. Where candidates remain, each person rule says
whether a candidate may take the slot on top of what the plan gave them, and the reason groups the candidates
by what holds them back.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Set as AbstractSet

import numpy as np
import pandas as pd

from contract import PRODUCT_TIERS, TIERS
from scheduler.model import tier_weights
from scheduler.rules import PERSON_RULES, Eligibility, Held
from scheduler.rules.availability import AVAILABILITY
from scheduler.rules.offer import CATEGORY, LANGUAGE
from scheduler.rules.role import ROLE
from scheduler.rules.tier import TIER
from scheduler.settings import WHERE, Settings
from scheduler.studio import Studio

SHOWN = 5  # host ids listed per reason before "…"
ROSTER = (ROLE, TIER)  # who could ever take the slot
FUNNEL = (CATEGORY, LANGUAGE, AVAILABILITY)  # then what the slot asks, in the order its reasons read


def explain_unstaffed(studio: Studio, settings: Settings, elig: Eligibility, host_of: dict[int, int],
                      called_out: AbstractSet[tuple[int, int]] = frozenset()) -> dict[int, str]:
    """slot row -> reason, for every slot without a host in `host_of` (slot row -> person row)."""
    held = Held(studio, settings)
    for slot, person in host_of.items():
        held.place(slot, person)
    weights = tier_weights(studio, settings)
    return {s: _reason(studio, settings, elig, s, held, called_out, weights)
            for s in range(len(studio.slots)) if s not in host_of}


def _reason(studio: Studio, settings: Settings, elig: Eligibility, slot: int, held: Held, called_out,
            weights: np.ndarray) -> str:
    row = studio.slots.loc[slot]
    allowed = settings.tier_table.get(row["product_tier"], ())
    tiers = "" if set(allowed) >= set(TIERS) else f"tier-{'/'.join(allowed) or '(none)'} "
    candidates = np.logical_and.reduce([elig.allows(rule)[slot] for rule in ROSTER])
    other_tiers = elig.allows(ROLE)[slot] & ~elig.allows(TIER)[slot]  # hosts the tier table alone keeps out
    if not candidates.any():
        return f"no {tiers}host on the roster" + _tier_table_note(studio, row, allowed, other_tiers)
    for rule in FUNNEL:
        candidates = candidates & elig.allows(rule)[slot]
        other_tiers = other_tiers & elig.allows(rule)[slot]
        if not candidates.any():
            return rule.no_candidate(row, tiers) + _tier_table_note(studio, row, allowed, other_tiers)
    groups: dict[str, list[str]] = defaultdict(list)
    blockers: list[int] = []
    for person in np.flatnonzero(candidates).tolist():
        phrase, blocking = _held_back(settings, held, slot, person, called_out)
        groups[phrase].append(str(studio.hosts.at[person, "host_id"]))
        blockers += blocking
    return _sentence(slot, groups, blockers, weights)


def _tier_table_note(studio: Studio, row: pd.Series, allowed: tuple[str, ...], others: np.ndarray) -> str:
    """Where hosts of another tier pass every other pair rule: the tier table is what leaves the slot dark."""
    if not others.any():
        return ""
    people = np.flatnonzero(others)
    ids = [str(studio.hosts.at[p, "host_id"]) for p in people]
    tiers = "/".join(sorted(set(studio.hosts.loc[people, "tier"].astype("str"))))
    only = "/".join(allowed) or "no tier"
    return (f"; tier-{tiers} {'host' if len(ids) == 1 else 'hosts'} {_ids(ids)} could, but the tier table "
            f"({WHERE}) lets only {'tier ' if allowed else ''}{only} host {row['product_tier']} shows")


def idle_hosts(studio: Studio, settings: Settings, elig: Eligibility) -> pd.DataFrame:
    """host_id, name, reason: the hosts (not assistants) who could take no slot of the plan at all, with the
    pair rule that left them none, so a studio sees why a host it pays to keep is never scheduled."""
    rows = []
    tiers = studio.slots["product_tier"].astype("str")
    for person in np.flatnonzero(~studio.is_assistant).tolist():
        open_to = np.ones(len(studio.slots), dtype=bool)
        for rule in (TIER, *FUNNEL):
            left = open_to & elig.allows(rule)[:, person]
            if not left.any():
                host = studio.hosts.loc[person]
                rows.append((str(host["host_id"]), str(host["name"]),
                             _idle_reason(rule, host, settings, set(tiers[open_to]))))
                break
            open_to = left
    return pd.DataFrame(rows, columns=["host_id", "name", "reason"], dtype="str")


def _idle_reason(rule, host: pd.Series, settings: Settings, open_tiers: set[str]) -> str:
    """Why no slot of the plan was open to `host`: `rule` removed the last of the slots their tier allows
    (`open_tiers`: the product tiers of the slots still open to them before `rule`)."""
    if rule is TIER:
        takes = [t for t, allowed in settings.tier_table.items() if host["tier"] in allowed]
        return (f"tier {host['tier']}, and the plan has no {'/'.join(takes)} slot" if takes else
                f"tier {host['tier']}, and the tier table ({WHERE}) lets tier {host['tier']} host no show")
    slots = f"{'/'.join(t for t in PRODUCT_TIERS if t in open_tiers)} slot"
    if rule is CATEGORY:
        return f"sells {', '.join(host['categories'])}, and no {slots} sells that"
    if rule is LANGUAGE:
        return f"speaks {', '.join(host['languages'])}, and no {slots} in their categories is in that language"
    return f"not available during any {slots} they could host"


CALLED_OUT = "called out"
FREE = "free to take it: assign by hand or re-solve with a longer time limit"


def _held_back(settings: Settings, held: Held, slot: int, person: int, called_out) -> tuple[str, list[int]]:
    """What stops this person taking the slot on top of their plan (the first person rule that does), and the
    slots to blame."""
    if (slot, person) in called_out:
        return CALLED_OUT, []
    for rule in PERSON_RULES:
        blocking = rule.blockers(held, slot, person)
        if blocking is not None:
            return rule.held_back(settings), blocking
    return FREE, []


def _sentence(slot: int, groups: dict[str, list[str]], blockers: list[int], weights: np.ndarray) -> str:
    total = sum(len(ids) for ids in groups.values())
    parts = [f"{phrase} ({_ids(ids)})" for phrase, ids in groups.items()]
    if list(groups) == [FREE]:
        text = f"{_count(total)} could take it and {'is' if total == 1 else 'are'} {parts[0]}"
    elif len(parts) == 1:
        text = f"{_count(total)} could take it, but {'is' if total == 1 else 'all are'} {parts[0]}"
    else:
        text = f"{_count(total)} could take it, but " + "; ".join(
            f"{len(ids)} {'is' if len(ids) == 1 else 'are'} {p}" for ids, p in zip(groups.values(), parts))
    if blockers and FREE not in groups and all(weights[b] > weights[slot] for b in blockers):
        text += "; eligible hosts are left for higher-priority slots"
    return text


def _count(n: int) -> str:
    return "1 host" if n == 1 else f"{n} hosts"


def _ids(ids: list[str]) -> str:
    return ", ".join(ids[:SHOWN]) + (", …" if len(ids) > SHOWN else "")
