"""Hand edits of a week's plan: which are refused and why, what saving one changes, and whether the optimiser
may plan the week again.

A week's rows are as the store keeps them: slot_id, host_id ("" for a dark slot), locked, assistant_ids (the
slot's production assistants, "|"-joined) and reason (why a dark slot stays dark).
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pandas as pd

from contract.weeks import week_monday
from scheduler.check import Violation

BrokenRules = Callable[[pd.DataFrame], list[Violation]]  # every hard rule a week's rows break


class EditRefused(ValueError):
    """An edit that is not saved: the message says why, `problems` name each hard rule it would break."""

    def __init__(self, message: str, problems: Sequence[Violation] = ()) -> None:
        super().__init__(message)
        self.problems = list(problems)


@dataclass(frozen=True)
class Edit:
    """An edit that may be saved: the week's rows as they will be kept, and how many dark slots lost their
    assistants."""

    rows: pd.DataFrame
    released: int


def apply_edit(saved: pd.DataFrame, changed: pd.DataFrame, broken_rules: BrokenRules) -> Edit:
    """The rows to save for a hand edit of `saved` into `changed`, or EditRefused.

    A slot cannot be locked without a host. Assistants of a slot left without a host are released: they
    assist a host. Only the rules the edit breaks refuse it: a rule the saved plan already broke (availability
    changed since, say) does not block an unrelated edit. A dark slot keeps the reason it was dark for; a
    staffed one has none. A LockError from `broken_rules` (a lock the week cannot keep) passes through.
    """
    locked_dark = changed[changed["locked"] & (changed["host_id"] == "")]
    if len(locked_dark):
        raise EditRefused(f"Slot {locked_dark['slot_id'].iloc[0]} is locked without a host; pick a host or "
                          "unlock it.")
    dark = changed["host_id"] == ""
    released = int((dark & (changed["assistant_ids"] != "")).sum())
    changed = changed.assign(assistant_ids=changed["assistant_ids"].where(~dark, ""))
    problems = new_problems(saved, changed, broken_rules)
    if problems:
        raise EditRefused("Not saved: the change breaks a hard rule.", problems)
    reasons = saved.set_index("slot_id")["reason"]
    return Edit(changed.assign(reason=changed["slot_id"].map(reasons).fillna("").where(dark, "")), released)


def new_problems(saved: pd.DataFrame, changed: pd.DataFrame, broken_rules: BrokenRules) -> list[Violation]:
    """The hard rules `changed` breaks that `saved` did not (the same rule, slot and person)."""
    before = {(v.slot_id, v.host_id, v.rule) for v in broken_rules(saved)}
    return [v for v in broken_rules(changed) if (v.slot_id, v.host_id, v.rule) not in before]


def week_has_streams(sessions: pd.DataFrame, week: str) -> bool:
    """Whether streams of `week` are on record. The optimiser does not plan such a week again, since payroll
    and run-of-show count its published plan; a hand edit or a call-out re-plan still may change it."""
    monday = pd.Timestamp(week_monday(week))
    return bool(sessions["start"].between(monday, monday + pd.Timedelta(days=7), inclusive="left").any())
