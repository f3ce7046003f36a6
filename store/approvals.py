"""Deciding what hosts ask for, with every hard rule checked again at the moment of the decision.

Who may take a slot is whoever the published week, with them put in it, breaks no hard rule more than it
already did, as the roster, availability and settings stand now (a slot that has started is history and
counts for nothing). An approved claim or drop changes only the slots it is about (`Store.edit_published`),
logged like every edit and mailed to the people it touches; an approved time off is kept as the time off the
scheduler sees (`Store.record_time_off`) and answered with the published slots it now breaks, which
`store.week.repair_week` re-plans with the fewest changes. Who could take over a dropped stream is
`scheduler.cover`'s ranking (expected GMV there, then pay; for an assistant's position, `cover_assistant`'s); a
host who covers by giving up a slot of their own leaves that slot open.

A lock on a dropped slot (slots.csv's locked_host_id, or the schedule's) passes to the replacement: the approved
cover is the associate's explicit choice of who hosts the slot, the same decision a lock records, so a later
re-plan keeps it rather than undoing what the people were told. Releasing it instead would leave slots.csv naming
the host who left, a conflict with the published week. The move of slots.csv's lock is in the import history
with the edit, so it can be undone like any change of slots.csv.
"""
from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import pandas as pd

from contract.folder import StudioTables
from contract.weeks import week_label
from scheduler import Settings, Studio, Violation
from scheduler.cover import cover, cover_assistant
from store.kinds import ROSTER_KINDS
from store.requests import APPROVED, CLAIM, DECLINED, DROP, PENDING, TIME_OFF, HostRequest
from store.schedules import Edits, assistants_of, joined_ids
from store.week import plan_conflicts, scheduler_settings, week_studio

if TYPE_CHECKING:
    from store.store import Store

Key = tuple[str, str, str]  # (slot_id, person, rule)


class RuleBroken(ValueError):
    """A change refused because it would break hard rules; `broken` names each (rule, slot, person)."""

    def __init__(self, what: str, broken: list[Violation]) -> None:
        self.broken = broken
        listed = "; ".join(f"{v.rule} (slot {v.slot_id}, {v.host_id}): {v.message}" for v in broken)
        super().__init__(f"{what} is refused: it would break {listed}")


def _keys(found: list[Violation]) -> set[Key]:
    return {(v.slot_id, v.host_id, v.rule) for v in found}


def added_conflicts(studio: Studio, before: pd.DataFrame, after: pd.DataFrame, settings: Settings,
                    now: pd.Timestamp) -> list[Violation]:
    """The hard rules `after` breaks from `now` on that `before` did not (a rule already broken elsewhere is
    the plan's, not the change's)."""
    known = _keys(plan_conflicts(studio, before, settings, since=now))
    return [v for v in plan_conflicts(studio, after, settings, since=now)
            if (v.slot_id, v.host_id, v.rule) not in known]


def with_host(rows: pd.DataFrame, slot_id: str, host_id: str) -> pd.DataFrame:
    """The week's rows with `host_id` hosting `slot_id`."""
    return rows.assign(host_id=rows["host_id"].where(rows["slot_id"] != slot_id, host_id))


def with_assistant(rows: pd.DataFrame, slot_id: str, leaving: str, joining: str) -> pd.DataFrame:
    """The week's rows with `joining` assisting `slot_id` in place of `leaving`."""
    def swapped(slot: str, ids: str) -> str:
        if slot != slot_id:
            return ids
        return joined_ids([joining if i == leaving else i for i in ids.split("|") if i])
    return rows.assign(assistant_ids=[swapped(s, i) for s, i in zip(rows["slot_id"], rows["assistant_ids"])])


class Decisions:
    """The associate's side of the requests of one store: each decision checks the rules as they are now."""

    def __init__(self, store: Store):
        self.store = store

    def _week(self, slot_id: str) -> tuple[StudioTables, str, pd.DataFrame, Settings]:
        tables = self.store.tables(ROSTER_KINDS)
        assert tables.slots is not None, "slots are a roster kind"
        start = tables.slots.loc[tables.slots["slot_id"] == slot_id, "start"]
        if not len(start):
            raise ValueError(f"slot {slot_id} is not in slots.csv any more")
        week = week_label(start.iloc[0])
        published = self.store.schedule(week, "published")
        if published is None:
            raise ValueError(f"{week} has no published schedule")
        return tables, week, published[1], scheduler_settings(self.store.studio_settings())

    def _pending(self, request_id: int, kind: str) -> HostRequest:
        request = self.store.requests.get(request_id)
        if request.kind != kind:
            raise ValueError(f"request {request_id} is a {request.kind}, not a {kind}")
        if request.status != PENDING:
            raise ValueError(f"request {request_id} is no longer pending: it was {request.status}")
        return request

    def open_slots_for(self, person_id: str, now: pd.Timestamp) -> list[str]:
        """The offered slots, still unstaffed and still ahead, that `person_id` could take."""
        found = []
        for slot_id in self.store.requests.offered():
            try:
                tables, week, rows, settings = self._week(slot_id)
            except ValueError:
                continue
            assert tables.slots is not None, "slots are a roster kind"
            slot = tables.slots.loc[tables.slots["slot_id"] == slot_id].iloc[0]
            unstaffed = (rows.loc[rows["slot_id"] == slot_id, "host_id"] == "").all()
            if unstaffed and slot["start"] >= now and not _refusals(tables, week, rows, slot_id, person_id,
                                                                    settings, now):
                found.append(slot_id)
        return found

    def approve_claim(self, request_id: int, user: str, now: pd.Timestamp, note: str = "") -> None:
        """Give the claimed slot to the person who claimed it, if it is still open and breaks no hard rule now;
        else RuleBroken naming the rule (or ValueError when the slot is taken). Other claims of it are
        declined."""
        request = self._pending(request_id, CLAIM)
        slot_id = str(request.slot_id)
        tables, week, rows, settings = self._week(slot_id)
        holder = rows.loc[rows["slot_id"] == slot_id, "host_id"]
        if len(holder) and holder.iloc[0]:
            raise ValueError(f"slot {slot_id} is hosted by {holder.iloc[0]} already")
        broken = _refusals(tables, week, rows, slot_id, request.person_id, settings, now)
        if broken:
            raise RuleBroken(f"{request.person_id} taking slot {slot_id}", broken)
        self.store.edit_published(week, {slot_id: {"host_id": request.person_id}}, user,
                                  decided=(request_id, APPROVED, note, None))
        self.store.requests.close_offer(slot_id, user)

    def replacements(self, request_id: int, now: pd.Timestamp) -> pd.DataFrame:
        """Who could take over the stream a pending drop is about without breaking a hard rule, best first, in
        `scheduler.cover`'s columns (rank, host_id, name, expected_gmv, pay, week_hours_after, gives_up_slot_id,
        ..., what_changes): for a host's stream `cover`'s ranking, for an assistant's `cover_assistant`'s."""
        request = self._pending(request_id, DROP)
        slot_id = str(request.slot_id)
        tables, week, rows, settings = self._week(slot_id)
        leaving = _leaving(rows, request)
        if leaving:
            return cover_assistant(week_studio(tables, week, rows, settings), rows[["slot_id", "host_id"]],
                                   assistants_of(rows), slot_id, leaving, settings)
        tables, rows = _unlocked(tables, rows, slot_id)
        ranked = cover(week_studio(tables, week, rows, settings), rows[["slot_id", "host_id"]], slot_id, settings)
        return ranked.loc[[self._keeps_the_rules(tables, week, rows, slot_id, candidate, settings, now)
                           for candidate in ranked.itertuples()]].reset_index(drop=True)

    @staticmethod
    def _keeps_the_rules(tables: StudioTables, week: str, rows: pd.DataFrame, slot_id: str, candidate,
                         settings: Settings, now: pd.Timestamp) -> bool:
        after = _covered(rows, slot_id, candidate.host_id, candidate.gives_up_slot_id)
        return not added_conflicts(week_studio(tables, week, rows, settings), rows, after, settings, now)

    def approve_drop(self, request_id: int, replacement_id: str, user: str, now: pd.Timestamp,
                     note: str = "") -> None:
        """`replacement_id` takes over the dropped stream (giving up the slot of theirs the cover ranking names,
        if any), if that breaks no hard rule now (else RuleBroken)."""
        request = self._pending(request_id, DROP)
        slot_id = str(request.slot_id)
        tables, week, rows, settings = self._week(slot_id)
        leaving = _leaving(rows, request)
        if leaving:
            after = with_assistant(rows, slot_id, leaving, replacement_id)
            edits: Edits = {slot_id: {"assistant_ids": str(after.loc[after["slot_id"] == slot_id,
                                                                      "assistant_ids"].iloc[0])}}
            locks: dict[str, str] = {}
        else:
            locks = _locks_moving(tables, rows, slot_id, replacement_id)
            tables, rows = _unlocked(tables, rows, slot_id)
            ranked = cover(week_studio(tables, week, rows, settings), rows[["slot_id", "host_id"]], slot_id, settings)
            chosen = ranked.loc[ranked["host_id"] == replacement_id, "gives_up_slot_id"]
            gives_up = str(chosen.iloc[0]) if len(chosen) else ""
            after = _covered(rows, slot_id, replacement_id, gives_up)
            edits = {slot_id: {"host_id": replacement_id, "locked": bool(locks) or _locked(rows, slot_id)}}
            if gives_up:
                edits[gives_up] = {"host_id": ""}
        broken = added_conflicts(week_studio(tables, week, rows, settings), rows, after, settings, now)
        if broken:
            raise RuleBroken(f"{replacement_id} taking over slot {slot_id}", broken)
        self.store.edit_published(week, edits, user, decided=(request_id, APPROVED, note, replacement_id),
                                  locks=locks)

    def approve_time_off(self, request_id: int, user: str, now: pd.Timestamp,
                         note: str = "") -> dict[str, list[Violation]]:
        """Keep the requested time off as the time off the scheduler sees; returns, per published week, the
        hard rules its slots from `now` on break with it (empty: nothing to repair)."""
        request = self._pending(request_id, TIME_OFF)
        assert request.start is not None and request.end is not None, "time off has both ends"
        start, end = pd.Timestamp(request.start), pd.Timestamp(request.end)
        self.store.requests.decide(request_id, APPROVED, user, note)
        self.store.record_time_off(request.person_id, start, end, request.note or "time off asked for", user)
        return self.time_off_conflicts(start, end, now)

    def time_off_conflicts(self, start: pd.Timestamp, end: pd.Timestamp,
                           now: pd.Timestamp) -> dict[str, list[Violation]]:
        """The hard rules the published weeks from `start` to `end` break from `now` on."""
        tables = self.store.tables(ROSTER_KINDS)
        settings = scheduler_settings(self.store.studio_settings())
        weeks = sorted({week_label(day) for day in pd.date_range(start.normalize(), end, freq="D")})
        found = {}
        for week in weeks:
            published = self.store.schedule(week, "published")
            if published is not None:
                broken = plan_conflicts(week_studio(tables, week, published[1], settings), published[1], settings,
                                        since=now)
                if broken:
                    found[week] = broken
        return found

    def decline(self, request_id: int, user: str, note: str = "") -> None:
        self.store.requests.decide(request_id, DECLINED, user, note)


def _leaving(rows: pd.DataFrame, request: HostRequest) -> str:
    """"" when the person hosts the dropped slot, their id when they assist it; ValueError when neither."""
    row = rows.loc[rows["slot_id"] == request.slot_id]
    if len(row) and row["host_id"].iloc[0] == request.person_id:
        return ""
    if len(row) and request.person_id in row["assistant_ids"].iloc[0].split("|"):
        return request.person_id
    raise ValueError(f"{request.person_id} no longer staffs slot {request.slot_id}")


def _covered(rows: pd.DataFrame, slot_id: str, host_id: str, gives_up: str) -> pd.DataFrame:
    """The rows with `host_id` on `slot_id` and, when they give one up, `gives_up` left open."""
    after = with_host(rows, slot_id, host_id)
    return with_host(after, gives_up, "") if gives_up else after


def _locks_moving(tables: StudioTables, rows: pd.DataFrame, slot_id: str, replacement_id: str) -> dict[str, str]:
    """{slot_id: replacement_id} when slots.csv locks the slot (to the host leaving it), else {}."""
    assert tables.slots is not None, "slots are a roster kind"
    locked = tables.slots.loc[tables.slots["slot_id"] == slot_id, "locked_host_id"].str.strip()
    return {slot_id: replacement_id} if len(locked) and locked.iloc[0] else {}


def _locked(rows: pd.DataFrame, slot_id: str) -> bool:
    return bool(rows.loc[rows["slot_id"] == slot_id, "locked"].any())


def _unlocked(tables: StudioTables, rows: pd.DataFrame, slot_id: str) -> tuple[StudioTables, pd.DataFrame]:
    """The slot without its lock: the host it was locked to is the one leaving it."""
    assert tables.slots is not None, "slots are a roster kind"
    slots = tables.slots.assign(locked_host_id=tables.slots["locked_host_id"].where(
        tables.slots["slot_id"] != slot_id, ""))
    return replace(tables, slots=slots), rows.assign(locked=rows["locked"] & (rows["slot_id"] != slot_id))


def _refusals(tables: StudioTables, week: str, rows: pd.DataFrame, slot_id: str, person_id: str,
              settings: Settings, now: pd.Timestamp) -> list[Violation]:
    return added_conflicts(week_studio(tables, week, rows, settings), rows, with_host(rows, slot_id, person_id),
                           settings, now)
