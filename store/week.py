"""A week of the store as the scheduler sees it, and publishing that looks at the present.

A week's rows are as the store keeps them (slot_id, host_id, locked, assistant_ids, reason). A plan is
checked again when it is published, against the roster, the availability (time off recorded since the plan
was made included) and the settings of that moment: a plan that breaks a hard rule then is refused with
every conflict, and `repair_week` offers the re-plan that changes as few assignments as possible.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

import pandas as pd

from contract.folder import StudioTables
from contract.weeks import week_labels
from forecast import Forecast
from scheduler import Settings, Solution, Studio, Violation, check_assignments
from scheduler.availability import windows_for_slots
from scheduler.replan import repair
from scheduler.stages import Progress
from scheduler.studio import forecast_of
from store.errors import TablesChanged
from store.kinds import ROSTER_KINDS
from store.schedules import assistants_of, with_assistants
from store.settings import StudioSettings
from store.store import SETTINGS

if TYPE_CHECKING:
    from store.store import Store

T = TypeVar("T")
CHECK_TRIES = 3


class PublishRefused(ValueError):
    """A plan that is not published because it breaks hard rules as the studio stands now; `conflicts` names
    each (rule, slot, person)."""

    def __init__(self, week: str, conflicts: list[Violation]) -> None:
        self.week, self.conflicts = week, conflicts
        listed = "\n".join(f"- {v.rule}: slot {v.slot_id}, {v.host_id or '-'}: {v.message}" for v in conflicts)
        super().__init__(f"{week} is not published: its plan breaks {len(conflicts)} hard rule(s) as the roster, "
                         f"availability and settings stand now:\n{listed}\nRepair it with the fewest changes "
                         "(the Schedule page offers it, and python -m store publish --repair) or edit it, then publish "
                         "again.")


Locks = tuple[tuple[str, str], ...]  # (slot_id, host_id) of each locked slot, in slot order
CHECKED = (*ROSTER_KINDS, SETTINGS)  # what a publish checks a plan against: the roster tables and the settings


@dataclass(frozen=True)
class BuiltWeek:
    """A week's studio as a caller keeps it, with what it was built from: the versions of the `CHECKED` tables (as
    `Store.table_versions` gives them), the scheduler's settings and the saved rows' locks.
    A publish check that finds all four unchanged checks in it instead of reading the tables and building the week
    again; a difference in any of them builds it afresh."""

    studio: Studio
    versions: Mapping[str, int]
    settings: Settings
    locks: Locks


def locks_of(rows: pd.DataFrame | None) -> Locks:
    """The saved rows' locked slots and their hosts: the only part of the rows a week's studio reads."""
    if rows is None:
        return ()
    held = rows.loc[rows["locked"] & (rows["host_id"] != ""), ["slot_id", "host_id"]]
    return tuple(sorted(held.itertuples(index=False, name=None)))


def week_locks(slots: pd.DataFrame, saved: pd.DataFrame | None) -> Locks:
    """Each locked slot of the week and its host as the week's studio holds them: the saved rows' locks over the
    slots' own (locked_host_id of slots.csv). A plan that keeps the slots' own locks leaves them as they were."""
    locked = dict(locks_of(saved))
    hosts = ((s, locked.get(s, own)) for s, own in zip(slots["slot_id"], slots["locked_host_id"]))
    return tuple(sorted((s, h) for s, h in hosts if h))


def scheduler_settings(studio: StudioSettings) -> Settings:
    """The scheduler's settings with the studio's own time zone, currency and scheduling rules."""
    return studio.scheduling()


def week_studio(tables: StudioTables, week: str, saved: pd.DataFrame | None, settings: Settings,
                forecast: Forecast | None = None) -> Studio:
    """The week's slots with the saved schedule's locks applied, ready for the scheduler; `forecast` is the week's
    (`week_forecast`) when the caller keeps it, else it is fitted here."""
    assert tables.hosts is not None, "a week is planned from the roster's tables"
    slots = week_slots(tables, week)
    if saved is not None and len(saved):
        locked = dict(week_locks(slots, saved))
        slots = slots.assign(locked_host_id=pd.Series([locked.get(s, "") for s in slots["slot_id"]],
                                                      index=slots.index, dtype="str"))
    return Studio.from_frames(tables.hosts, windows_for_slots(tables, slots), slots, tables.sessions, settings,
                              forecast=forecast)


def week_slots(tables: StudioTables, week: str) -> pd.DataFrame:
    """The slots that start in `week` (by the calendar's own week labels)."""
    assert tables.slots is not None, "a week is planned from the roster's tables"
    return tables.slots[week_labels(tables.slots["start"]) == week].reset_index(drop=True)


def week_forecast(tables: StudioTables, week: str) -> Forecast:
    """What the week's studio learns from the results: it reads the hosts, slots and sessions only, so time off
    or a lock leaves it as it is."""
    assert tables.hosts is not None, "a week is planned from the roster's tables"
    return forecast_of(tables.hosts, tables.sessions, week_slots(tables, week))


def plan_conflicts(studio: Studio, rows: pd.DataFrame, settings: Settings,
                   since: pd.Timestamp | None = None) -> list[Violation]:
    """Every hard rule the rows (hosts and assistants) break in `studio`; with `since`, only those of slots that
    start at or after it: a slot that has started is what happened, not a plan to keep."""
    staffed = rows.loc[rows["host_id"] != "", ["slot_id", "host_id"]]
    found = check_assignments(studio, staffed, settings, assistants=assistants_of(rows))
    if since is None:
        return found
    ahead = set(studio.slots.loc[studio.slots["start"] >= pd.Timestamp(since), "slot_id"])
    return [v for v in found if v.slot_id in ahead]


def week_conflicts(tables: StudioTables, week: str, rows: pd.DataFrame, settings: Settings,
                   since: pd.Timestamp | None = None) -> list[Violation]:
    """`plan_conflicts` of the week's rows in the studio as `tables` hold it."""
    return plan_conflicts(week_studio(tables, week, rows, settings), rows, settings, since)


def check_publishable(store: Store, plans: Mapping[str, pd.DataFrame], now: pd.Timestamp,
                      built: Mapping[str, BuiltWeek] | None = None) -> dict[str, int]:
    """PublishRefused for the first week whose rows break a hard rule, in a slot that starts at or after `now`,
    with the store's roster, availability and settings as they are; nothing is written. A week of `built` is
    checked in its studio when that was built from these very versions, settings and locks. Returns the versions
    of the tables checked, for the publish to hold them to."""
    checked = store.table_versions(CHECKED)  # first: a change after this moves a version
    settings = scheduler_settings(store.studio_settings())
    tables: StudioTables | None = None
    for week, rows in plans.items():
        kept = (built or {}).get(week)
        if kept is not None and (dict(kept.versions), kept.settings, kept.locks) == (checked, settings,
                                                                                     locks_of(rows)):
            found = plan_conflicts(kept.studio, rows, settings, since=now)
        else:
            tables = tables or store.tables(ROSTER_KINDS)
            found = week_conflicts(tables, week, rows, settings, since=now)
        if found:
            raise PublishRefused(week, found)
    return checked


def publish_checked(store: Store, plans: Mapping[str, pd.DataFrame], user: str, now: pd.Timestamp) -> list[str]:
    """Publish each week's rows (a plan made elsewhere), all in one transaction, if every week keeps every hard
    rule now; returns the weeks. A refused week (PublishRefused) leaves every week as it was."""
    _checked_then(lambda: check_publishable(store, plans, now),
                  lambda checked: store.save_schedules(plans, user, status="published", unchanged=checked))
    return list(plans)


def publish_week(store: Store, week: str, user: str, expected_version: int, now: pd.Timestamp,
                 built: BuiltWeek | None = None) -> int:
    """Publish the week's draft if it keeps every hard rule from `now` on (else PublishRefused); returns the new
    version. `built` is the caller's studio of the week, checked in when nothing it was built from has changed."""
    draft = store.schedule(week, "draft")
    if draft is None:
        raise ValueError(f"{week} has no draft to publish")
    return _checked_then(lambda: check_publishable(store, {week: draft[1]}, now, {week: built} if built else None),
                         lambda checked: store.publish_schedule(draft[0]["id"], user, expected_version, checked))


def _checked_then(check: Callable[[], dict[str, int]], write: Callable[[dict[str, int]], T]) -> T:
    """Write what `check` passed, holding the tables it read to the versions it saw; when someone changed one
    in between (time off recorded during the check), check again."""
    for _ in range(CHECK_TRIES - 1):
        try:
            return write(check())
        except TablesChanged:
            continue
    return write(check())  # still changing: the last try's TablesChanged reaches the caller


def repaired_plans(store: Store, plans: Mapping[str, pd.DataFrame], now: pd.Timestamp,
                   time_limit: float = 10.0) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    """Each week's rows, re-planned with the fewest changes where they break a hard rule now (`repair_week`),
    and every host that moved (slot_id, old_host_id, new_host_id)."""
    tables = store.tables(ROSTER_KINDS)
    settings = scheduler_settings(store.studio_settings())
    repaired, moved = {}, []
    for week, rows in plans.items():
        if week_conflicts(tables, week, rows, settings, since=now):
            plan, rows = repair_week(tables, week, rows, settings, now, time_limit)
            moved.append(plan.moved)
        repaired[week] = rows
    columns = ["slot_id", "old_host_id", "new_host_id"]
    return repaired, pd.concat(moved, ignore_index=True) if moved else pd.DataFrame(columns=columns, dtype="str")


def with_locks(plan_assignments: pd.DataFrame, studio: Studio) -> pd.DataFrame:
    """The plan's rows with a `locked` flag: a slot is locked where slots.csv or the schedule fixed its host."""
    locked = studio.slots.set_index("slot_id")["locked_host_id"].astype("str")
    frame = plan_assignments.copy()
    frame["locked"] = frame["slot_id"].map(locked).fillna("").ne("")
    return frame


def plan_rows(plan: Solution, studio: Studio) -> pd.DataFrame:
    """A solved plan as the rows the store saves: hosts with locks, and each slot's assistants."""
    return with_assistants(with_locks(plan.assignments, studio), plan.assistants)


def repair_week(tables: StudioTables, week: str, rows: pd.DataFrame, settings: Settings, now: pd.Timestamp,
                time_limit: float = 10.0, progress: Progress | None = None) -> tuple[Solution, pd.DataFrame]:
    """The week's rows re-planned to keep every hard rule now, changing as few hosts and assistants as possible,
    and the rows to save; slots that started before `now` keep theirs. A lock the present breaks (its host is
    away now) is released: keeping it is what cannot be done."""
    broken = {(v.slot_id, v.host_id) for v in week_conflicts(tables, week, rows, settings, since=now)}
    held = [(slot, host) not in broken for slot, host in zip(rows["slot_id"], rows["host_id"])]
    rows = rows.assign(locked=rows["locked"] & pd.Series(held, index=rows.index))
    studio = week_studio(tables, week, rows, settings)
    plan = repair(studio, rows[["slot_id", "host_id"]], now, settings, time_limit=time_limit, progress=progress,
                  previous_assistants=assistants_of(rows))
    return plan, plan_rows(plan, studio)
