"""A week's calendar edited: a one-off added, a show cancelled or changed, last week copied, each kept as
calendar_changes rows that `week_slots` makes the same week from; the week made into the planned slots."""
from __future__ import annotations

import pandas as pd
import pytest
from test_calendar import TEMPLATES, cells

from contract import DataError
from scheduler.calendar import week_slots
from scheduler.calendar_edits import (
    add_show,
    cancel_show,
    copy_last_week,
    empty_changes,
    logged_note,
    move_show,
    published_hosts_touched,
    replace_week,
    templates_from_week,
    week_differences,
)

T = pd.Timestamp
WEEK = "2026-W50"  # Monday 7 December 2026
ONE_OFF = {"channel": "ActiveFit Gear", "start": T("2026-12-10 18:00"), "end": T("2026-12-10 19:30"),
           "product_tier": "hero", "category": "fitness", "room": "Studio 3", "note": "launch"}


def times(slots: pd.DataFrame) -> dict[str, str]:
    return {s.slot_id: f"{s.start:%a %H:%M}-{s.end:%H:%M} {s.product_tier}" for s in slots.itertuples()}


def test_a_one_off_gets_its_readable_id_and_a_clash_names_both_shows():
    templates = cells(TEMPLATES)
    changes, slot_id = add_show(templates, empty_changes(), WEEK, ONE_OFF)
    assert slot_id == "2026-W50-AFG-THU-1800"
    assert changes[["change", "slot_id", "room", "note"]].values.tolist() == [
        ["add", "2026-W50-AFG-THU-1800", "Studio 3", "launch"]]
    assert times(week_slots(templates, WEEK, changes))[slot_id] == "Thu 18:00-19:30 hero"
    clash = ONE_OFF | {"start": T("2026-12-08 21:00"), "end": T("2026-12-08 22:00"), "room": "Studio 1"}
    with pytest.raises(DataError) as err:
        add_show(templates, changes, WEEK, clash)
    assert "2026-W50-AFG-TUE-2100 (ActiveFit Gear Tue 21:00-22:00) overlaps 2026-W50-GLB-TUE-1900 (GlowLab " \
           "Beauty Tue 19:00-22:00)" in err.value.problems[0].message
    with pytest.raises(DataError, match="is not in 2026-W50"):
        add_show(templates, changes, WEEK, ONE_OFF | {"start": T("2026-12-14 18:00"), "end": T("2026-12-14 19:00")})


def test_cancelling_and_changing_keep_one_change_per_slot():
    templates = cells(TEMPLATES)
    changes, one_off = add_show(templates, empty_changes(), WEEK, ONE_OFF)
    changes = move_show(templates, changes, WEEK, "2026-W50-GLB-TUE-1900",
                        {"start": T("2026-12-08 20:00"), "end": T("2026-12-08 23:00")})
    changes = move_show(templates, changes, WEEK, "2026-W50-GLB-TUE-1900", {"product_tier": "core"}, "quiet week")
    changes = move_show(templates, changes, WEEK, one_off, {"start": T("2026-12-10 17:00"), "end": T("2026-12-10 18:00")})
    changes = cancel_show(templates, changes, WEEK, "2026-W50-GLB-MON-1000", "holiday")
    assert changes[["change", "slot_id", "product_tier", "note"]].values.tolist() == [
        ["add", "2026-W50-AFG-THU-1800", "hero", "launch"],
        ["cancel", "2026-W50-GLB-MON-1000", "", "holiday"],
        ["move", "2026-W50-GLB-TUE-1900", "core", "quiet week"]]
    assert times(week_slots(templates, WEEK, changes)) == {
        "2026-W50-GLB-TUE-1900": "Tue 20:00-23:00 core", "2026-W50-HNL-TUE-2230": "Tue 22:30-00:30 core",
        "2026-W50-GLB-WED-1000": "Wed 10:00-12:00 longtail", "2026-W50-AFG-THU-1800": "Thu 17:00-18:00 hero",
        "2026-W50-HNL-SUN-2300": "Sun 23:00-01:00 core"}
    assert cancel_show(templates, changes, WEEK, one_off)["slot_id"].tolist() == [
        "2026-W50-GLB-MON-1000", "2026-W50-GLB-TUE-1900"]  # a one-off cancelled is gone
    with pytest.raises(DataError, match="'2026-W50-GLB-MON-1000' is not a show of 2026-W50"):
        move_show(templates, changes, WEEK, "2026-W50-GLB-MON-1000", {"product_tier": "hero"})


def test_copying_last_week_twice_gives_the_same_changes_and_that_week_again():
    templates = cells(TEMPLATES)
    changes, _ = add_show(templates, empty_changes(), WEEK, ONE_OFF)
    changes = move_show(templates, changes, WEEK, "2026-W50-GLB-TUE-1900",
                        {"start": T("2026-12-08 20:00"), "end": T("2026-12-08 23:00")})
    changes = cancel_show(templates, changes, WEEK, "2026-W50-GLB-MON-1000")
    last = week_slots(templates, WEEK, changes)
    copied = copy_last_week(templates, changes, "2026-W51", last)
    again = copy_last_week(templates, copied, "2026-W51", last)
    pd.testing.assert_frame_equal(copied, again)
    assert times(week_slots(templates, "2026-W51", copied)) == {
        "2026-W51-GLB-TUE-2000": "Tue 20:00-23:00 hero", "2026-W51-HNL-TUE-2230": "Tue 22:30-00:30 core",
        "2026-W51-GLB-WED-1000": "Wed 10:00-12:00 longtail", "2026-W51-AFG-THU-1800": "Thu 18:00-19:30 hero",
        "2026-W51-HNL-SUN-2300": "Sun 23:00-01:00 core"}
    assert len(copied[copied["slot_id"].str.startswith(WEEK)]) == 3  # last week's own changes are kept


def test_making_a_week_replaces_only_that_week_and_keeps_what_stays_put():
    templates = cells(TEMPLATES)
    kept = pd.concat([week_slots(templates, "2026-W49"), week_slots(templates, WEEK)], ignore_index=True)
    kept.loc[kept["slot_id"] == "2026-W50-GLB-WED-1000", ["expected_gmv", "locked_host_id"]] = [900.0, "H1"]
    kept.loc[kept["slot_id"] == "2026-W50-GLB-TUE-1900", ["expected_gmv", "locked_host_id"]] = [2000.0, "H2"]
    changes = move_show(templates, empty_changes(), WEEK, "2026-W50-GLB-TUE-1900",
                        {"start": T("2026-12-08 20:00"), "end": T("2026-12-08 23:00")})
    changes = cancel_show(templates, changes, WEEK, "2026-W50-GLB-MON-1000")
    made = week_slots(templates, WEEK, changes)
    every = replace_week(kept, WEEK, made).set_index("slot_id")
    assert len(every) == 5 + 4 and "2026-W49-GLB-MON-1000" in every.index
    assert every.loc["2026-W50-GLB-WED-1000", ["expected_gmv", "locked_host_id"]].tolist() == [900.0, "H1"]
    assert pd.isna(every.at["2026-W50-GLB-TUE-1900", "expected_gmv"])  # moved: its lock and forecast go
    assert every.at["2026-W50-GLB-TUE-1900", "locked_host_id"] == ""
    differences = week_differences(kept[kept["slot_id"].str.startswith(WEEK)], made)
    assert differences[["slot_id", "what"]].values.tolist() == [["2026-W50-GLB-MON-1000", "removed"],
                                                                ["2026-W50-GLB-TUE-1900", "moved"]]
    published = pd.DataFrame({"slot_id": ["2026-W50-GLB-TUE-1900", "2026-W50-GLB-MON-1000"], "host_id": ["H2", ""]})
    assert published_hosts_touched(differences, published)[["slot_id", "host_id"]].values.tolist() == [
        ["2026-W50-GLB-TUE-1900", "H2"]]
    assert logged_note("later start", "H2", "ana") == "later start (published host H2; confirmed by ana)"
    assert logged_note("", None, "ana") == ""


def test_templates_made_from_a_week_make_that_week_again():
    templates = cells(TEMPLATES)
    week = week_slots(templates, WEEK)
    again = templates_from_week(week, WEEK)
    assert again[["channel", "weekdays", "start", "end"]].values.tolist() == [
        ["GlowLab Beauty", "Mon|Wed", "10:00", "12:00"], ["GlowLab Beauty", "Tue", "19:00", "22:00"],
        ["HomeNest Living", "Tue", "22:30", "00:30"], ["HomeNest Living", "Sun", "23:00", "01:00"]]
    pd.testing.assert_frame_equal(week_slots(again, "2026-W51"), week_slots(templates, "2026-W51"))
