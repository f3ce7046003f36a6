"""What every hard rule is made of, and the views of a plan the rules read.

A rule is an object with its label (the words a person reads when it bites) and its part in each use:
- a `PairRule` decides per (slot, person) whether the person may take the host position at all; the model
  creates no variable for a pair it refuses, so it needs no constraint;
- a `PersonRule` limits what one person streams together; it adds its constraints to the CP-SAT model, finds
  the groups of a person's slots that break it, and says whether a person may take one more slot given what
  they already hold (`Held`);
- any other `HardRule` (one host per slot, assistants, locks) adds constraints and finds its own violations.
"""
from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from scheduler.cpsat import Linear, Pair, ScheduleModel
from scheduler.settings import Settings
from scheduler.studio import SlotTimes, Studio

if TYPE_CHECKING:
    from scheduler.rules import Eligibility


@dataclass(frozen=True)
class Violation:
    """One broken rule: the slot and host concerned, the rule's label and a sentence for a person."""

    slot_id: str
    host_id: str
    rule: str
    message: str


def violation(studio: Studio, slot: int, person: int, text: str, label: str) -> Violation:
    """'S1 with H003 (Ana Ruiz): <text> (<label>)', about that slot and person."""
    slot_id, host_id = str(studio.slots.at[slot, "slot_id"]), str(studio.hosts.at[person, "host_id"])
    return Violation(slot_id, host_id, label, f"{slot_id} with {studio.host_label(host_id)}: {text} ({label})")


@dataclass
class Checked:
    """A plan under check: host and assistant positions as (slot row, person row), in the plan's order."""

    studio: Studio
    settings: Settings
    elig: Eligibility
    hosts: list[Pair]
    assistants: list[Pair] | None  # None: the plan says nothing about assistants

    @cached_property
    def first_refusals(self) -> dict[Pair, PairRule]:
        """The first pair rule refusing each host position that one refuses."""
        refusals = {pair: self.elig.first_refusal(*pair) for pair in set(self.hosts)}
        return {pair: rule for pair, rule in refusals.items() if rule is not None}

    @cached_property
    def by_person(self) -> dict[int, list[int]]:
        """Each person's slots (host and assistant positions) in start order."""
        slots: dict[int, list[int]] = defaultdict(list)
        for slot, person in [*self.hosts, *(self.assistants or [])]:
            slots[person].append(slot)
        start = self.studio.times.start
        return {person: sorted(mine, key=lambda s: start[s]) for person, mine in slots.items()}


class Held:
    """What each person holds so far: enough to say whether they may take one more slot.

    A person's slots are kept sorted by start, so only the neighbours within a rest period (plus the longest
    slot) are looked at for clashes; per day and ISO week the slots and live minutes are kept as they change.
    That keeps the question cheap on a month of slots."""

    def __init__(self, studio: Studio, settings: Settings):
        self.studio, self.settings, self.times = studio, settings, studio.time_lists
        times = studio.times
        longest = int((times.end - times.start).max()) if len(times.start) else 0
        self.reach = max(settings.rest_seconds, settings.changeover_seconds) + longest
        self.taken: dict[int, list[tuple[int, int]]] = defaultdict(list)  # person -> sorted (start, slot)
        self.days: dict[tuple[int, int], list[int]] = defaultdict(list)  # (person, day) -> slots
        self.day_minutes: dict[tuple[int, int], int] = defaultdict(int)
        self.weeks: dict[tuple[int, str], list[int]] = defaultdict(list)  # (person, ISO week) -> slots
        self.week_minutes: dict[tuple[int, str], int] = defaultdict(int)
        self._memo: dict[object, list] = {}
        self._near: tuple[Pair, list[int]] | None = None  # the last answer of near(), asked once per rule

    def near(self, slot: int, person: int) -> list[int]:
        """The person's slots starting within reach of `slot`: every slot that could clash with it."""
        if self._near is not None and self._near[0] == (slot, person):
            return self._near[1]
        taken, times = self.taken[person], self.times
        low = bisect.bisect_left(taken, (times.start[slot] - self.reach, -1))
        high = bisect.bisect_right(taken, (times.end[slot] + self.reach, len(times.start)))
        found = [other for _, other in taken[low:high]]
        self._near = ((slot, person), found)
        return found

    def per_person(self, key: object, compute: Callable[[pd.DataFrame], np.ndarray]) -> list:
        """A rule's figure per person row (say the weekly cap), computed from hosts.csv once per Held."""
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = compute(self.studio.hosts).tolist()
        return found

    def place(self, slot: int, person: int) -> None:
        times, self._near = self.times, None
        bisect.insort(self.taken[person], (times.start[slot], slot))
        self.days[(person, times.day[slot])].append(slot)
        self.day_minutes[(person, times.day[slot])] += times.minutes[slot]
        self.weeks[(person, times.week[slot])].append(slot)
        self.week_minutes[(person, times.week[slot])] += times.minutes[slot]

    def remove(self, slot: int, person: int) -> None:
        times, self._near = self.times, None
        self.taken[person].remove((times.start[slot], slot))
        self.days[(person, times.day[slot])].remove(slot)
        self.day_minutes[(person, times.day[slot])] -= times.minutes[slot]
        self.weeks[(person, times.week[slot])].remove(slot)
        self.week_minutes[(person, times.week[slot])] -= times.minutes[slot]


class HardRule:
    """A hard rule: its label, its constraints in the CP-SAT model and the violations it finds in a plan."""

    name: str  # a key for code, e.g. "daily_streams"
    label: str  # what a person reads when the rule bites, e.g. "rule 6: streams per day"

    def add_to(self, model: ScheduleModel, studio: Studio, settings: Settings) -> None:
        """Add the rule's constraints to the model (a pair rule needs none: refused pairs have no variable)."""

    def violations(self, checked: Checked) -> list[Violation]:
        """Every place the plan under check breaks this rule."""
        return []


class PairRule(HardRule):
    """A rule about one (slot, person) pair alone: tier, category, availability..."""

    def allowed(self, studio: Studio, settings: Settings) -> np.ndarray:
        """Slots x people (hosts.csv order): True where the person may take the slot's host position."""
        raise NotImplementedError

    def refusal(self, studio: Studio, settings: Settings, slot: int, person: int) -> str:
        """Why the person may not take the slot, in words (without the label)."""
        raise NotImplementedError

    def violations(self, checked: Checked) -> list[Violation]:
        """Host positions this rule is the first to refuse (a pair breaking several rules is reported once)."""
        studio, settings = checked.studio, checked.settings
        return [violation(studio, slot, person, self.refusal(studio, settings, slot, person), self.label)
                for slot, person in checked.hosts if checked.first_refusals.get((slot, person)) is self]


class PersonRule(HardRule):
    """A rule about the slots one person streams together: changeover, rest, daily and weekly limits."""

    def breaches(self, studio: Studio, settings: Settings, person: int, slots: list[int]) -> list[list[int]]:
        """Groups of the person's slots (in the order given) that together break the rule."""
        raise NotImplementedError

    def describe(self, studio: Studio, settings: Settings, person: int, group: list[int]) -> str:
        """A breach as a check reports it, about the group's last slot (without the label)."""
        raise NotImplementedError

    def describe_locks(self, studio: Studio, settings: Settings, person: int, group: list[int]) -> str:
        """A breach by locked slots, naming them as slots.csv holds them (without the label)."""
        raise NotImplementedError

    def alone(self, studio: Studio, settings: Settings, slot: int, person: int) -> str | None:
        """Why the slot on its own is too much for the person under this rule (without the label), if it is."""
        return None

    def blockers(self, held: Held, slot: int, person: int) -> list[int] | None:
        """None when the person may take the slot on top of what they hold; else the held slots in the way
        (empty when the slot alone is too much)."""
        raise NotImplementedError

    def held_back(self, settings: Settings) -> str:
        """How a person this rule holds back is described among a slot's candidates."""
        raise NotImplementedError

    def violations(self, checked: Checked) -> list[Violation]:
        studio, settings = checked.studio, checked.settings
        return [violation(studio, group[-1], person, self.describe(studio, settings, person, group), self.label)
                for person, slots in checked.by_person.items()
                for group in self.breaches(studio, settings, person, slots)]


def when(slot: pd.Series) -> str:
    """'Mon 30 Nov 19:00–21:00': a slot's time the way a person reads a calendar."""
    start, end = slot["start"], slot["end"]
    end_text = end.strftime("%H:%M") if end.normalize() == start.normalize() else end.strftime("%a %d %b %H:%M")
    return f"{start.strftime('%a %d %b %H:%M')}–{end_text}"


def grouped(slots: Iterable[int], key: np.ndarray) -> list[list[int]]:
    """Slots grouped by a key per slot row (day or ISO week), groups in order of first appearance."""
    groups: dict = defaultdict(list)
    for slot in slots:
        groups[key[slot]].append(slot)
    return list(groups.values())


def list_match(values: pd.Series, lists: pd.Series) -> np.ndarray:
    """values[i] (case-insensitive) is in lists[j]: one row per distinct value, then indexed per slot."""
    wanted = np.array([str(v).casefold() for v in values], dtype=object)
    distinct, per_row = np.unique(wanted, return_inverse=True) if len(wanted) else (wanted, wanted.astype(int))
    offered = [{str(x).casefold() for x in items} for items in lists]
    table = np.array([[w in o for o in offered] for w in distinct], dtype=bool).reshape(len(distinct), len(offered))
    return table[per_row]


def live_minutes(variables: dict[int, int], chosen: list[int], times: SlotTimes) -> Linear:
    """A person's live minutes over the chosen slots, as a sum of their variables (slot -> variable)."""
    return Linear.of([variables[s] for s in chosen], times.minutes[chosen] if chosen else [])
