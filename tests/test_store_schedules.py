"""Schedules with their production assistants: saved, versioned, published, logged and exported together."""
from __future__ import annotations

import pandas as pd
import pytest
from test_store import postgres_url, sqlite_url, store, store_url, studio_dir, write_studio  # noqa: F401

from contract import DataError
from store import VersionConflict, open_seeded, open_store
from store.schedules import assistants_of, with_assistants
from tests.conftest import SAMPLE

PLAN = pd.DataFrame({"slot_id": ["s1", "s2"], "host_id": ["h1", "h2"], "locked": [True, False],
                     "reason": ["", ""], "assistant_ids": ["h2", ""]})


def test_assistants_column_from_and_to_the_long_frame():
    long = pd.DataFrame({"slot_id": ["s2", "s1", "s2"], "assistant_id": ["p2", "p1", "p1"]})
    joined = with_assistants(pd.DataFrame({"slot_id": ["s1", "s2", "s3"], "host_id": ["h1", "h2", ""]}), long)
    assert joined["assistant_ids"].tolist() == ["p1", "p1|p2", ""]
    assert assistants_of(joined).values.tolist() == [["s1", "p1"], ["s2", "p1"], ["s2", "p2"]]


def test_assistants_round_trip_through_draft_publish_and_host_edits(store):
    schedule_id, version = store.save_schedule("2026-W49", PLAN, "ana")
    meta, draft = store.schedule("2026-W49", "draft")
    pd.testing.assert_frame_equal(draft, PLAN)

    hosts_only = PLAN.drop(columns="assistant_ids").assign(host_id=["h1", ""])  # no assistant_ids: kept as they were
    _, version = store.save_schedule("2026-W49", hosts_only, "ben", expected_version=version)
    assert store.publish_schedule(schedule_id, "lea", version) == 3
    meta, published = store.schedule("2026-W49")
    assert meta["status"] == "published"
    assert published[["slot_id", "host_id", "assistant_ids"]].values.tolist() == [["s1", "h1", "h2"], ["s2", "", ""]]
    assert store.published_schedules()[["week", "slot_id", "assistant_ids"]].values.tolist() == [
        ["2026-W49", "s1", "h2"], ["2026-W49", "s2", ""]]


def test_an_assistant_edit_from_an_old_version_conflicts_and_changes_nothing(store_url, studio_dir):
    ana, ben = open_seeded(store_url, studio_dir), open_seeded(store_url, studio_dir)
    _, version = ana.save_schedule("2026-W49", PLAN, "ana")
    ben_meta, ben_rows = ben.schedule("2026-W49", "draft")
    ana.save_schedule("2026-W49", PLAN.assign(assistant_ids=["h2", "h1"]), "ana", expected_version=version)
    with pytest.raises(VersionConflict, match="changed by ana at .* since you opened it"):
        ben.save_schedule("2026-W49", ben_rows.assign(assistant_ids=["", ""]), "ben",
                          expected_version=ben_meta["version"])
    assert ben.schedule("2026-W49", "draft")[1]["assistant_ids"].tolist() == ["h2", "h1"]
    for opened in (ana, ben):
        opened.engine.dispose()


def test_assistant_changes_are_logged_with_who_and_what(store):
    store.save_schedule("2026-W49", PLAN, "ana", status="published")
    second_id, version = store.save_schedule("2026-W49", PLAN.assign(assistant_ids=["h1|h2", ""]), "ben")
    store.save_schedule("2026-W49", PLAN.assign(host_id=["h1", ""], assistant_ids=["h1|h2", "h1"]), "lea",
                        expected_version=version)
    changes = store.assignment_changes(second_id)
    assert changes[["slot_id", "role", "before", "after", "user"]].values.tolist() == [
        ["s1", "assistants", "h2", "h1|h2", "ben"],
        ["s2", "host", "h2", "", "lea"],
        ["s2", "assistants", "", "h1", "lea"]]


def test_export_writes_published_plans_and_a_fresh_store_publishes_them_again(store, tmp_path):
    store.save_schedule("2026-W49", PLAN, "ana", status="published")
    store.save_schedule("2026-W49", PLAN.assign(assistant_ids=["", "h1"]), "ana")  # a draft is not exported
    out = tmp_path / "export"
    store.export_all(out)
    assert (out / "assistants.csv").read_text().splitlines() == ["week,slot_id,assistant_id", "2026-W49,s1,h2"]
    (tmp_path / "other").mkdir()
    rebuilt = open_seeded(sqlite_url(tmp_path / "other"), out)
    meta, published = rebuilt.schedule("2026-W49")
    assert meta["published_by"] == "sample studio"
    pd.testing.assert_frame_equal(published, PLAN)
    assert rebuilt.schedule("2026-W49", "draft") is None
    rebuilt.engine.dispose()


def test_history_folder_is_imported_and_its_plans_published_per_week(tmp_path):
    folder = write_studio(tmp_path / "studio")
    write_studio(folder / "history", {
        "slots.csv": "slot_id,channel,start,end,product_tier,category\n"
                     "p1,shop1,2026-11-16T10:00:00,2026-11-16T12:00:00,core,beauty\n"
                     "p2,shop1,2026-11-23T10:00:00,2026-11-23T12:00:00,core,beauty\n",
        "assignments.csv": "slot_id,host_id,reason\np1,h2,\np2,,no host is available\n",
        "assistants.csv": "slot_id,assistant_id\np1,h1\n",
    })
    seeded = open_seeded(sqlite_url(tmp_path), folder)
    assert set(seeded.tables(["slots"]).slots["slot_id"]) == {"s1", "s2", "p1", "p2"}
    week47 = seeded.schedule("2026-W47")[1]
    assert week47[["slot_id", "host_id", "assistant_ids"]].values.tolist() == [["p1", "h2", "h1"]]
    assert seeded.schedule("2026-W48")[1][["host_id", "reason"]].values.tolist() == [["", "no host is available"]]
    assert seeded.schedule("2026-W49") is None
    assert "history/slots.csv" in seeded.import_history()["file_name"].tolist()
    seeded.engine.dispose()


def test_a_bad_history_plan_names_file_row_and_column(tmp_path):
    folder = write_studio(tmp_path / "studio")
    write_studio(folder / "history", {"assignments.csv": "slot_id,host_id\ns1,h1\ns2,h9\n",
                                      "assistants.csv": "slot_id,assistant_id\ns1,h2\n"})
    with pytest.raises(DataError, match=r"history/assignments.csv, row 3, column host_id: 'h9' is not in hosts.csv"):
        open_seeded(sqlite_url(tmp_path), folder)


def test_the_sample_seed_publishes_every_past_week_with_hosts_and_assistants(seeded_store_file):
    seeded = open_store(f"sqlite:///{seeded_store_file}")
    published = seeded.published_schedules()
    assert sorted(published["week"].unique()) == [f"2026-W{w}" for w in range(41, 49)]
    assert seeded.schedule("2026-W49") is None and seeded.schedule("2026-W49", "draft") is None
    past = pd.read_csv(SAMPLE / "history" / "slots.csv", dtype=str, keep_default_na=False)
    assert sorted(published["slot_id"]) == sorted(past["slot_id"])
    helpers = pd.read_csv(SAMPLE / "history" / "assistants.csv", dtype=str)
    assert sorted(map(tuple, assistants_of(published).values.tolist())) == sorted(map(tuple, helpers.values.tolist()))
    sessions = seeded.tables(["sessions"]).sessions
    on_air = published.merge(sessions[["slot_id", "host_id"]], on="slot_id", suffixes=("", "_on_air"))
    assert (on_air["host_id"] == on_air["host_id_on_air"]).mean() > 0.95  # the plan is who streamed, but for a few
    meta, _ = seeded.schedule("2026-W48")
    assert (meta["status"], meta["published_by"]) == ("published", "sample studio")
    seeded.engine.dispose()
