"""Hand edits of a week's plan (scheduler.edits) and the roster's hosts without availability, on literal rows."""
from __future__ import annotations

import pandas as pd
import pytest

from scheduler.availability import without_availability
from scheduler.check import Violation
from scheduler.edits import EditRefused, apply_edit, new_problems, week_has_streams


def rows(*slots: tuple[str, str, bool, str, str]) -> pd.DataFrame:
    return pd.DataFrame(slots, columns=["slot_id", "host_id", "locked", "assistant_ids", "reason"])


SAVED = rows(("S1", "H1", False, "P1", ""), ("S2", "", False, "", "no host for beauty is available"))


def nobody_breaks_a_rule(frame: pd.DataFrame) -> list[Violation]:
    return []


def h9_is_over_their_cap(frame: pd.DataFrame) -> list[Violation]:
    """H9 breaks the weekly cap wherever they are given a slot."""
    return [Violation(slot, "H9", "weekly cap", f"{slot}: H9 over 40 h")
            for slot in frame.loc[frame["host_id"] == "H9", "slot_id"]]


def test_a_slot_locked_without_a_host_is_refused():
    changed = rows(("S1", "", True, "", ""), ("S2", "", False, "", ""))
    with pytest.raises(EditRefused, match="Slot S1 is locked without a host") as refused:
        apply_edit(SAVED, changed, nobody_breaks_a_rule)
    assert refused.value.problems == []


def test_a_slot_left_without_a_host_releases_its_assistants_and_keeps_no_reason_it_never_had():
    changed = rows(("S1", "", False, "P1", ""), ("S2", "", False, "", ""))
    edit = apply_edit(SAVED, changed, nobody_breaks_a_rule)
    assert edit.released == 1
    assert edit.rows["assistant_ids"].tolist() == ["", ""]
    assert edit.rows["reason"].tolist() == ["", "no host for beauty is available"]


def test_a_staffed_slot_keeps_its_assistants_and_loses_its_dark_reason():
    changed = rows(("S1", "H1", True, "P1", ""), ("S2", "H2", False, "", "no host for beauty is available"))
    edit = apply_edit(SAVED, changed, nobody_breaks_a_rule)
    assert edit.released == 0
    assert edit.rows["assistant_ids"].tolist() == ["P1", ""]
    assert edit.rows["reason"].tolist() == ["", ""]
    assert edit.rows["locked"].tolist() == [True, False]


def test_an_edit_that_breaks_a_hard_rule_is_refused_naming_it():
    changed = rows(("S1", "H1", False, "P1", ""), ("S2", "H9", False, "", ""))
    with pytest.raises(EditRefused, match="breaks a hard rule") as refused:
        apply_edit(SAVED, changed, h9_is_over_their_cap)
    assert [(p.slot_id, p.host_id, p.rule) for p in refused.value.problems] == [("S2", "H9", "weekly cap")]


def test_a_rule_the_saved_plan_already_broke_does_not_block_an_unrelated_edit():
    saved = rows(("S1", "H9", False, "", ""), ("S2", "", False, "", "dark"))
    changed = rows(("S1", "H9", True, "", ""), ("S2", "H2", False, "", ""))
    assert new_problems(saved, changed, h9_is_over_their_cap) == []
    assert apply_edit(saved, changed, h9_is_over_their_cap).rows["host_id"].tolist() == ["H9", "H2"]


SESSIONS = pd.DataFrame({"start": pd.to_datetime(["2026-11-29 23:30", "2026-12-07 00:00"])})


def test_a_week_with_a_stream_on_record_has_streams():
    assert week_has_streams(SESSIONS, "2026-W48")  # Sunday 29 Nov 23:30 is the last half hour of W48


def test_a_week_without_a_stream_has_none():
    assert not week_has_streams(SESSIONS, "2026-W49")  # Mon 30 Nov to Sun 6 Dec; 7 Dec 00:00 is W50
    assert week_has_streams(SESSIONS, "2026-W50")


def test_hosts_without_a_window_a_shift_or_an_extra_have_no_availability():
    dated = pd.DataFrame({"host_id": ["H1"]})
    template = pd.DataFrame({"host_id": ["H2"]})
    exceptions = pd.DataFrame({"host_id": ["H3", "H4"], "change": ["extra", "time off"]})
    assert without_availability(["H5", "H1", "H2", "H3", "H4"], dated, template, exceptions) == ["H5", "H4"]
