"""Publishing looks at the present: time off recorded after a plan was made refuses the plan, names each
conflict, and the repair changes only what the time off breaks."""
from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest
from test_store import sqlite_url, write_studio

from store import open_store, week
from store.cli import main
from store.kinds import ROSTER_KINDS
from store.seed import open_seeded
from store.week import (
    CHECKED,
    BuiltWeek,
    PublishRefused,
    locks_of,
    plan_conflicts,
    publish_week,
    repair_week,
    scheduler_settings,
    week_conflicts,
    week_studio,
)

WEEK = "2026-W49"
BEFORE = pd.Timestamp("2026-11-29T12:00")  # the Sunday before the week
# h1 hosts both Monday slots (10-12 hero, locked in slots.csv; 14-16 core); h2 (tier B) is free all afternoon.
PLAN = pd.DataFrame({"slot_id": ["s1", "s2"], "host_id": ["h1", "h1"], "locked": [True, False],
                     "assistant_ids": ["", ""], "reason": ["", ""]})


@pytest.fixture
def store(tmp_path):
    found = open_seeded(sqlite_url(tmp_path), write_studio(tmp_path / "studio"))
    yield found
    found.engine.dispose()


def call_out_h1_in_the_afternoon(store) -> None:
    store.record_time_off("h1", pd.Timestamp("2026-11-30T13:00"), pd.Timestamp("2026-11-30T17:00"), "called out: flu",
                          "ana")


def test_time_off_is_kept_with_its_reason_and_who_recorded_it_and_can_be_undone(store):
    report = store.record_time_off("h1", pd.Timestamp("2026-11-30T13:00"), pd.Timestamp("2026-11-30T17:00"),
                                   " called out: flu ", "ana")
    kept = store.tables(["availability_exceptions"]).availability_exceptions
    assert kept[["host_id", "change", "note", "recorded_by"]].values.tolist() == [["h1", "time off", "called out: flu",
                                                                                 "ana"]]
    assert (kept.at[0, "start"], kept.at[0, "end"]) == (pd.Timestamp("2026-11-30T13:00"), pd.Timestamp("2026-11-30T17:00"))
    history = store.import_history().iloc[0]
    assert (history["user"], history["file_name"]) == ("ana", "time off of h1 recorded in the app")
    store.undo_import(report.import_id, "ana")
    assert store.tables(["availability_exceptions"]).availability_exceptions.empty


def test_time_off_that_ends_before_it_starts_or_names_nobody_on_the_roster_is_refused(store):
    with pytest.raises(ValueError, match=r"the time off ends \(2026-11-30 12:00\) before it starts \(2026-11-30 13:00\)"):
        store.record_time_off("h1", pd.Timestamp("2026-11-30T13:00"), pd.Timestamp("2026-11-30T12:00"), "", "ana")
    with pytest.raises(ValueError, match="'h9' is not in hosts.csv"):
        store.record_time_off("h9", pd.Timestamp("2026-11-30T13:00"), pd.Timestamp("2026-11-30T17:00"), "", "ana")


def test_a_draft_that_time_off_breaks_is_refused_at_publish_with_each_conflict(store):
    schedule_id, version = store.save_schedule(WEEK, PLAN, "ana")
    call_out_h1_in_the_afternoon(store)  # after the plan was made
    with pytest.raises(PublishRefused) as refused:
        publish_week(store, WEEK, "ana", version, BEFORE)
    assert [(v.rule, v.slot_id, v.host_id) for v in refused.value.conflicts] == [("rule 1: availability", "s2", "h1")]
    assert "slot s2, h1:" in str(refused.value) and "Repair it with the fewest changes" in str(refused.value)
    assert store.schedule(WEEK, "published") is None  # nothing went out

    tables = store.tables(ROSTER_KINDS)
    settings = scheduler_settings(store.studio_settings())
    repaired, rows = repair_week(tables, WEEK, PLAN, settings, now=BEFORE, time_limit=5)
    assert repaired.moved.to_dict("records") == [{"slot_id": "s2", "old_host_id": "h1", "new_host_id": "h2"}]
    assert rows[["slot_id", "host_id", "locked"]].values.tolist() == [["s1", "h1", True], ["s2", "h2", False]]
    assert week_conflicts(tables, WEEK, rows, settings) == []
    _, version = store.save_schedule(WEEK, rows, "ana", expected_version=version)
    assert publish_week(store, WEEK, "ana", version, BEFORE) == version + 1


def built_now(store, rows: pd.DataFrame) -> BuiltWeek:
    """The week's studio as a page keeps it, with the versions and settings it was built from."""
    settings = scheduler_settings(store.studio_settings())
    return BuiltWeek(week_studio(store.tables(ROSTER_KINDS), WEEK, rows, settings),
                     store.table_versions(CHECKED), settings, locks_of(rows))


def test_a_publish_checks_in_the_callers_week_while_nothing_it_was_built_from_has_changed(store, monkeypatch):
    _, version = store.save_schedule(WEEK, PLAN, "ana")
    built = built_now(store, PLAN)
    read = []
    tables = store.tables
    monkeypatch.setattr(store, "tables", lambda kinds=None: read.append(kinds) or tables(kinds))
    assert publish_week(store, WEEK, "ana", version, BEFORE, built) == version + 1
    assert read == []  # the roster was not read again, nor the week built again


def test_time_off_recorded_after_the_callers_week_was_built_is_still_refused_at_publish(store):
    _, version = store.save_schedule(WEEK, PLAN, "ana")
    built = built_now(store, PLAN)  # the page's week, from before the call-out
    call_out_h1_in_the_afternoon(store)
    with pytest.raises(PublishRefused) as refused:
        publish_week(store, WEEK, "ana", version, BEFORE, built)
    assert [(v.rule, v.slot_id, v.host_id) for v in refused.value.conflicts] == [("rule 1: availability", "s2", "h1")]
    assert store.schedule(WEEK, "published") is None


def test_a_callers_week_of_other_locks_or_settings_is_built_afresh_at_publish(store):
    _, version = store.save_schedule(WEEK, PLAN, "ana")
    blind = built_now(store, PLAN).studio  # built before the call-out: it sees no conflict
    call_out_h1_in_the_afternoon(store)
    current = replace(built_now(store, PLAN), studio=blind)  # this moment's versions, that earlier studio
    assert plan_conflicts(blind, PLAN, current.settings, since=BEFORE) == []
    for other in (replace(current, locks=()), replace(current, settings=replace(current.settings, max_daily_hours=12))):
        with pytest.raises(PublishRefused):
            publish_week(store, WEEK, "ana", version, BEFORE, other)


def test_a_conflict_in_a_slot_that_has_started_does_not_hold_publishing_back(store):
    _, version = store.save_schedule(WEEK, PLAN, "ana")
    call_out_h1_in_the_afternoon(store)
    # Monday 15:00: s2 (14-16) is on air; what it broke is what happened.
    assert publish_week(store, WEEK, "ana", version, pd.Timestamp("2026-11-30T15:00")) == version + 1


def test_store_publish_refuses_a_plan_that_breaks_a_rule_now_listing_the_conflicts(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("store.cli.studio_now", lambda zone: BEFORE)
    url = sqlite_url(tmp_path)
    call_out_h1_in_the_afternoon(open_seeded(url, write_studio(tmp_path / "studio")))
    (tmp_path / "assignments.csv").write_text("slot_id,host_id,reason\ns1,h1,\ns2,h1,\n")
    assert main(["--url", url, "publish", str(tmp_path / "assignments.csv"), "--user", "ana"]) == 2
    err = capsys.readouterr().err
    assert "2026-W49 is not published: its plan breaks 1 hard rule(s)" in err
    assert "- rule 1: availability: slot s2, h1: " in err
    assert open_store(url).schedule(WEEK, "published") is None


def test_time_off_recorded_while_the_publish_checks_is_seen_before_anything_goes_out(store, monkeypatch):
    """The check and the publish hold the same tables: a call-out that lands between them sends the plan back
    to the check, which refuses it, instead of publishing what the check passed a moment before."""
    _, version = store.save_schedule(WEEK, PLAN, "ana")
    other = open_store(str(store.engine.url))
    checks = []
    real_week_conflicts = week.week_conflicts

    def check_while_someone_calls_out(*args, **kwargs):
        found = real_week_conflicts(*args, **kwargs)
        checks.append(len(found))
        if len(checks) == 1:
            call_out_h1_in_the_afternoon(other)
        return found

    monkeypatch.setattr(week, "week_conflicts", check_while_someone_calls_out)
    with pytest.raises(PublishRefused) as refused:
        publish_week(store, WEEK, "ana", version, BEFORE)
    assert checks == [0, 1]
    assert [(v.slot_id, v.host_id) for v in refused.value.conflicts] == [("s2", "h1")]
    assert store.schedule(WEEK, "published") is None
    other.engine.dispose()


def test_store_publish_repair_publishes_the_fewest_changes_and_prints_them(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("store.cli.studio_now", lambda zone: BEFORE)
    url = sqlite_url(tmp_path)
    call_out_h1_in_the_afternoon(open_seeded(url, write_studio(tmp_path / "studio")))
    (tmp_path / "assignments.csv").write_text("slot_id,host_id,reason\ns1,h1,\ns2,h1,\n")
    assert main(["--url", url, "publish", str(tmp_path / "assignments.csv"), "--repair", "--time-limit", "5",
                 "--user", "ana"]) == 0
    out = capsys.readouterr().out
    assert "repaired s2: h1 -> h2" in out and "published 2026-W49" in out
    _, published = open_store(url).schedule(WEEK, "published")
    assert published[["slot_id", "host_id"]].values.tolist() == [["s1", "h1"], ["s2", "h2"]]


def test_a_rule_changed_while_the_publish_checks_is_seen_before_anything_goes_out(store, monkeypatch):
    _, version = store.save_schedule(WEEK, PLAN, "ana")  # h1: 2 + 2 live hours on Monday
    other = open_store(str(store.engine.url))
    checks = []
    real_week_conflicts = week.week_conflicts

    def check_while_someone_shortens_the_day(*args, **kwargs):
        found = real_week_conflicts(*args, **kwargs)
        checks.append(len(found))
        if len(checks) == 1:
            other.save_studio_settings(replace(other.studio_settings(), rules=(("max_daily_hours", "3"),)), "lea")
        return found

    monkeypatch.setattr(week, "week_conflicts", check_while_someone_shortens_the_day)
    with pytest.raises(PublishRefused) as refused:
        publish_week(store, WEEK, "ana", version, BEFORE)
    assert checks == [0, 1] and refused.value.conflicts[0].host_id == "h1"
    assert store.schedule(WEEK, "published") is None
    other.engine.dispose()
