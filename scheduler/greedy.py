"""A greedy plan that never breaks a hard rule: the solver's starting point, and the benchmark's baseline.

Slots are staffed one at a time in priority order (tier weight first); each gets a person the pair rules allow
and, given what that person already holds, every person rule allows (scheduler.rules.may_take). Locks are placed
first, then (in a re-plan) the previous plan's assignments that still hold, then every open slot, then assistant
positions on staffed slots.

Two ways to pick, both deterministic:
- `best_fit=True` (the solver's start): among tier-equal slots the one with the fewest eligible hosts goes first,
  and it gets the eligible host with the highest expected GMV x fit (then the one with the fewest eligible
  slots, who is hardest to use elsewhere); then `better_hosts` moves slots to better-fitting hosts where the
  rules allow. CP-SAT starts from this plan, so a solve cut short returns at least this plan.
- `best_fit=False`: what a spreadsheet user does: slots by tier then start time, the first eligible host in
  hosts.csv order.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

import numpy as np

from scheduler.cpsat import Pair
from scheduler.fit import fit_matrix
from scheduler.locks import locked_pairs
from scheduler.model import tier_weights
from scheduler.rules import Eligibility, Held, assistant_ok, eligibility, may_take
from scheduler.settings import Settings
from scheduler.studio import Studio


@dataclass
class GreedyPlan:
    """Host per staffed slot (slot row -> person row) and assistant positions (slot row, person row)."""

    hosts: dict[int, int] = field(default_factory=dict)
    assistants: list[Pair] = field(default_factory=list)

    @property
    def pairs(self) -> set[Pair]:
        return set(self.hosts.items()) | set(self.assistants)


def greedy_plan(studio: Studio, settings: Settings = Settings(), locks: dict[int, int] | None = None, *,
                best_fit: bool = True, keep: AbstractSet[Pair] = frozenset(),
                forbidden: AbstractSet[Pair] = frozenset(), fixed_assistants: AbstractSet[Pair] = frozenset(),
                elig: Eligibility | None = None, fit: np.ndarray | None = None) -> GreedyPlan:
    """Staff the studio greedily without breaking a hard rule.

    locks: slot row -> person row, placed first (default slots.csv's locked_host_id; validated elsewhere);
    keep: pairs of an earlier plan, kept where they still break no rule; forbidden: pairs never to use;
    fixed_assistants: assistant positions that must stay."""
    elig = eligibility(studio, settings) if elig is None else elig
    locks = locked_pairs(studio) if locks is None else locks
    held = Held(studio, settings)
    plan = GreedyPlan()
    for slot, person in sorted(locks.items()):
        held.place(slot, person)
        plan.hosts[slot] = person
    for pair in sorted(fixed_assistants):
        held.place(*pair)
        plan.assistants.append(pair)
    host_ok = elig.host_ok.copy()
    helper_ok = assistant_ok(studio, elig)
    for slot, person in forbidden:
        host_ok[slot, person] = helper_ok[slot, person] = False
    order = _slot_order(studio, settings, host_ok, best_fit)
    rank = {slot: i for i, slot in enumerate(order)}
    for slot, person in sorted((pair for pair in keep if host_ok[pair]), key=lambda pair: (rank[pair[0]], pair)):
        if slot not in plan.hosts and may_take(held, slot, person):
            held.place(slot, person)
            plan.hosts[slot] = person
    candidates = _host_order(studio, settings, host_ok, best_fit, fit)
    for slot in order:
        if slot in plan.hosts:
            continue
        chosen = next((p for p in candidates(slot) if may_take(held, slot, p)), None)
        if chosen is not None:
            held.place(slot, chosen)
            plan.hosts[slot] = chosen
    _staff_assistants(studio, plan, held, helper_ok, order, keep)
    if best_fit and not keep:
        plan = better_hosts(studio, settings, plan, expected_value(studio, settings, fit), host_ok, set(locks))
    return plan


def better_hosts(studio: Studio, settings: Settings, plan: GreedyPlan, value: np.ndarray, host_ok: np.ndarray,
                 locked: set[int]) -> GreedyPlan:
    """Move each staffed slot (most valuable first) to the eligible host who adds the most expected GMV x fit,
    where the rules allow. The same slots stay staffed and assistants stay, so coverage is unchanged; locked
    slots never move. A few passes, as one move can free a host for another."""
    held = Held(studio, settings)
    for pair in plan.pairs:
        held.place(*pair)
    hosts = dict(plan.hosts)
    movable = sorted((s for s in hosts if s not in locked), key=lambda s: (-value[s].max(), s))
    for _ in range(3):
        moved = False
        for slot in movable:
            current = hosts[slot]
            held.remove(slot, current)
            better = np.flatnonzero(host_ok[slot] & (value[slot] > value[slot, current]))
            for person in better[np.lexsort((better, -value[slot, better]))].tolist():
                if may_take(held, slot, person):
                    current, moved = person, True
                    break
            held.place(slot, current)
            hosts[slot] = current
        if not moved:
            break
    return GreedyPlan(hosts, list(plan.assistants))


def expected_value(studio: Studio, settings: Settings, fit: np.ndarray | None = None) -> np.ndarray:
    """Expected GMV x fit of every (slot, person): what the GMV stage maximises."""
    fit = fit_matrix(studio, settings) if fit is None else fit
    return studio.slots["expected_gmv"].to_numpy(dtype=float)[:, None] * fit


def _slot_order(studio: Studio, settings: Settings, host_ok: np.ndarray, best_fit: bool) -> list[int]:
    weights, start = tier_weights(studio, settings), studio.times.start
    if best_fit:
        scarcity = host_ok.sum(axis=1)
        return sorted(range(len(studio.slots)), key=lambda s: (-weights[s], scarcity[s], start[s], s))
    return sorted(range(len(studio.slots)), key=lambda s: (-weights[s], start[s], s))


def _host_order(studio: Studio, settings: Settings, host_ok: np.ndarray, best_fit: bool, fit: np.ndarray | None):
    """A function giving, for a slot, its eligible hosts in the order they are tried."""
    if not best_fit:
        return lambda slot: np.flatnonzero(host_ok[slot]).tolist()
    value = expected_value(studio, settings, fit)
    flexibility = host_ok.sum(axis=0)

    def ordered(slot: int) -> list[int]:
        hosts = np.flatnonzero(host_ok[slot])
        return hosts[np.lexsort((hosts, flexibility[hosts], -np.round(value[slot, hosts], 2)))].tolist()
    return ordered


def _staff_assistants(studio: Studio, plan: GreedyPlan, held: Held, helper_ok: np.ndarray, order: list[int],
                      keep: AbstractSet[Pair]) -> None:
    """Fill assistant positions of staffed slots: an earlier plan's assistants first, then in hosts.csv order."""
    needed = studio.slots["assistants_needed"].to_numpy()
    count: defaultdict[int, int] = defaultdict(int)
    for slot, _ in plan.assistants:
        count[slot] += 1
    kept = defaultdict(list)
    for slot, person in sorted(keep):
        kept[slot].append(person)
    placed = set(plan.assistants)
    staffed = [slot for slot in order if slot in plan.hosts and needed[slot] > 0]
    for candidates in (lambda slot: kept[slot], lambda slot: np.flatnonzero(helper_ok[slot]).tolist()):
        for slot in staffed:
            for person in candidates(slot):
                if (count[slot] < needed[slot] and helper_ok[slot, person] and (slot, person) not in placed
                        and may_take(held, slot, person)):
                    held.place(slot, person)
                    plan.assistants.append((slot, person))
                    placed.add((slot, person))
                    count[slot] += 1
