"""Filling an empty store from a studio folder.

A studio folder holds the contract files (hosts.csv, slots.csv, sessions.csv, ...) and optionally the
published plans of its weeks: assignments.csv (slot_id, host_id, reason; `locked` optional) and
assistants.csv (slot_id, assistant_id), the files `python -m scheduler solve --assistants-out` writes and
`python -m workflows` reads. Past weeks may sit in a `history/` sub-folder with the same layout, so that
the folder's own slots.csv holds only the weeks still to plan (the scheduler's CLI plans every slot it is
given) while the store keeps every week.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd

import contract
from contract.folder import HISTORY, find_file
from contract.plan import ASSIGNMENTS, ASSISTANTS, StaffingPlan, read_plan
from contract.weeks import week_label
from store import schedules as sched
from store.errors import VersionConflict
from store.imports import ImportReport
from store.kinds import KINDS
from store.own_studio import STUDIO
from store.settings import with_rules_file
from store.store import Store, open_store

SEED_USER = "sample studio"
TRUE = ("true", "1", "yes")


def open_seeded(url: str | None, folder: Path | str, user: str = SEED_USER) -> Store:
    """Open the store (see `open_store`) and, when it holds nothing yet, seed it from `folder` if it exists,
    recorded under `user`."""
    store = open_store(url)
    if Path(folder).is_dir() and store.is_empty():
        seed(store, Path(folder), user)
    return store


def holds_the_sample(history: pd.DataFrame) -> bool:
    """Whether an import history (Store.import_history) still has the sample's rows in the store: one of its
    seeding imports is not undone, and no clear to start a studio of one's own came after it."""
    kept = history["undone_at"].isna() & (history["rejected"] == 0)
    seeded = history.loc[kept & (history["user"] == SEED_USER), "id"]
    cleared = history.loc[kept & (history["kind"] == STUDIO), "id"]
    return bool(len(seeded)) and not (len(cleared) and cleared.max() > seeded.max())


def folders(root: Path) -> list[Path]:
    """The studio folder, then its history/ sub-folder when it has one."""
    return [root] + ([root / HISTORY] if (root / HISTORY).is_dir() else [])


def seed(store: Store, root: Path, user: str) -> list[ImportReport]:
    """Save the folder's settings.csv (the scheduling rules, if it has one), import every contract file of the
    folder and of its history/ (parents first), then publish the plans."""
    rules = with_rules_file(store.studio_settings(), root)
    if rules is not None:
        store.save_studio_settings(rules, user)
    reports = []
    for folder in folders(root):
        for kind in KINDS.values():
            found = find_file(folder, kind.file)
            if found is not None:
                reports.append(store.import_file(found, kind.name, _label(root, found), user))
    for folder in folders(root):
        publish_plans(store, root, folder, user)
    return reports


def _label(root: Path, path: Path) -> str:
    """How a file is named in messages and the import history: relative to the studio folder."""
    return path.relative_to(root).as_posix()


def schedule_of(plan: StaffingPlan, slots: pd.DataFrame, hosts: pd.DataFrame) -> pd.DataFrame:
    """A plan as one schedule frame (slot_id, host_id, reason, locked, assistant_ids), every reference checked
    against the store's slots and hosts; a problem names the plan's file, row and column."""
    plan.check(slots["slot_id"], hosts["host_id"])
    if plan.assistants is not None:  # a week is saved from its assignments: an assistant needs their slot's row
        contract.check_references(plan.assistants, "slot_id", plan.assignments["slot_id"],
                                  replace(ASSISTANTS, file=plan.assistants_file), plan.assignments_file)
    rows = plan.assignments
    locked = rows["locked"].astype("str").str.strip().str.lower().isin(TRUE) if "locked" in rows else False
    return sched.with_assistants(rows[["slot_id", "host_id", "reason"]].assign(locked=locked), plan.assistants)


def plan_weeks(store: Store, assignments: Path, assistants: Path | None,
               names: tuple[str, str] | None = None) -> dict[str, pd.DataFrame]:
    """A plan's hosts and assistants as one schedule per ISO week of its slots, checked against the store's
    slots and hosts. A week with a draft someone is editing is refused (VersionConflict)."""
    tables = store.tables(["hosts", "slots"])
    slots = tables.slots
    assert slots is not None, "the store gives every kind it is asked for"
    plan = schedule_of(read_plan(assignments, assistants, names), slots, tables.hosts)
    weeks = plan["slot_id"].map(slots.set_index("slot_id")["start"]).map(week_label)
    for week in sorted(weeks.unique()):
        found = store.schedule(week, "draft")
        if found is not None:
            raise VersionConflict(f"{week} has a draft schedule (last saved by {found[0]['updated_by']} at "
                                  f"{found[0]['updated_at']:%Y-%m-%d %H:%M}); publish or replace it in the app first")
    return {str(week): rows for week, rows in plan.groupby(weeks, sort=True)}


def publish_plan(store: Store, assignments: Path, assistants: Path | None, user: str,
                 names: tuple[str, str] | None = None) -> list[str]:
    """Save and publish a plan's weeks as they are (a past week's plan is what happened); returns the weeks.
    Nothing is written when a week is refused (see plan_weeks)."""
    weeks = plan_weeks(store, assignments, assistants, names)
    store.save_schedules(weeks, user, status="published")
    return list(weeks)


def publish_plans(store: Store, root: Path, folder: Path, user: str) -> list[str]:
    """Publish the folder's assignments.csv and assistants.csv when it has them (see publish_plan)."""
    found = find_file(folder, ASSIGNMENTS.file)
    if found is None:
        return []
    helpers = find_file(folder, ASSISTANTS.file)
    names = (_label(root, found), _label(root, helpers) if helpers else "")
    return publish_plan(store, found, helpers, user, names)

