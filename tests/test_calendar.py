"""Show templates made into a week's slots: ids, midnight and week boundaries, clock changes, one-offs,
cancellations and moves, clashes, and the `python -m scheduler slots` command."""
from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest

from contract import SLOTS, DataError, parse_table, read_raw
from scheduler.calendar import channel_codes, copy_week, read_templates, week_slots
from scheduler.cli import main
from scheduler.settings import Settings

HEADER = "channel,weekdays,start,end,product_tier,category,language,room,assistants_needed,note\n"
TEMPLATES = HEADER + """GlowLab Beauty,Mon|Wed,10:00,12:00,longtail,skincare,,Studio 1,,
GlowLab Beauty,Tue,19:00,22:00,hero,beauty,en,Studio 1,1,prime time
HomeNest Living,Tue,22:30,00:30,core,kitchen,es,Studio 2,0,
HomeNest Living,Sun,23:00,01:00,core,home,,Studio 2,0,late show
"""
SAMPLE = Path(__file__).resolve().parents[1] / "sample_data" / "studio"
CHANGES_HEADER = "change,slot_id,channel,start,end,product_tier,category,room,note\n"


def cells(text: str) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)


def problems(err: pytest.ExceptionInfo) -> list[str]:
    return [str(p) for p in err.value.problems]


def by_id(slots: pd.DataFrame) -> dict[str, tuple[str, str]]:
    return {row.slot_id: (f"{row.start:%Y-%m-%dT%H:%M}", f"{row.end:%Y-%m-%dT%H:%M}") for row in slots.itertuples()}


def test_a_week_has_each_show_on_its_days_with_readable_ids():
    slots = week_slots(cells(TEMPLATES), "2026-W50")  # Monday 7 December 2026
    assert by_id(slots) == {
        "2026-W50-GLB-MON-1000": ("2026-12-07T10:00", "2026-12-07T12:00"),
        "2026-W50-GLB-TUE-1900": ("2026-12-08T19:00", "2026-12-08T22:00"),
        "2026-W50-HNL-TUE-2230": ("2026-12-08T22:30", "2026-12-09T00:30"),  # across midnight
        "2026-W50-GLB-WED-1000": ("2026-12-09T10:00", "2026-12-09T12:00"),
        "2026-W50-HNL-SUN-2300": ("2026-12-13T23:00", "2026-12-14T01:00"),  # ends in the next week
    }
    tuesday = slots.set_index("slot_id").loc["2026-W50-GLB-TUE-1900"]
    assert (tuesday["product_tier"], tuesday["assistants_needed"], tuesday["room"], tuesday["note"]) == \
        ("hero", 1, "Studio 1", "prime time")
    assert slots.set_index("slot_id").at["2026-W50-GLB-MON-1000", "language"] == "en"  # the default
    assert slots["expected_gmv"].isna().all() and (slots["locked_host_id"] == "").all()


def test_a_show_that_crosses_into_next_week_belongs_to_the_week_it_starts():
    following = week_slots(cells(TEMPLATES), "2026-W51")
    assert "2026-W50-HNL-SUN-2300" not in set(following["slot_id"])
    assert by_id(following)["2026-W51-HNL-SUN-2300"] == ("2026-12-20T23:00", "2026-12-21T01:00")


def test_times_stay_wall_clock_across_the_clock_change():
    """2027-03-14 (Sunday of 2027-W10) the clocks go forward at 02:00 in Los Angeles: 19:00 stays 19:00,
    and a show over the missing hour keeps its written times."""
    text = HEADER + "GlowLab Beauty,Sat|Sun,19:00,22:00,hero,beauty,,,,\nGlowLab Beauty,Sun,01:00,04:00,longtail,beauty,,,,\n"
    assert by_id(week_slots(cells(text), "2027-W10")) == {
        "2027-W10-GLB-SAT-1900": ("2027-03-13T19:00", "2027-03-13T22:00"),
        "2027-W10-GLB-SUN-0100": ("2027-03-14T01:00", "2027-03-14T04:00"),
        "2027-W10-GLB-SUN-1900": ("2027-03-14T19:00", "2027-03-14T22:00"),
    }
    monday = by_id(week_slots(cells(text.replace("Sat|Sun", "Mon")), "2027-W11"))
    assert monday["2027-W11-GLB-MON-1900"] == ("2027-03-15T19:00", "2027-03-15T22:00")


def test_a_room_clash_is_refused_naming_both_shows():
    text = TEMPLATES + "ActiveFit Gear,Tue,21:00,23:00,core,fitness,,Studio 1,,\n"
    with pytest.raises(DataError) as err:
        week_slots(cells(text), "2026-W50")
    assert problems(err) == [
        "show_templates.csv, row 6, column room: ActiveFit Gear Tue 21:00-23:00 overlaps GlowLab Beauty Tue "
        "19:00-22:00 (show_templates.csv row 3) in room 'Studio 1'; a room holds one stream at a time, with 30 min "
        "between two"]


def test_a_room_needs_the_changeover_and_the_setting_changes_it():
    text = TEMPLATES + "ActiveFit Gear,Tue,22:15,23:00,core,fitness,,Studio 1,,\n"
    with pytest.raises(DataError, match="row 6, column room: ActiveFit Gear Tue 22:15-23:00 starts too soon after"):
        week_slots(cells(text), "2026-W50")
    assert len(week_slots(cells(text), "2026-W50", settings=Settings(changeover_minutes=15))) == 6


def test_a_channel_live_twice_at_once_is_refused_across_the_week_boundary():
    """Sunday 23:00-01:00 and a Monday 00:30 show of the same channel overlap, a week apart in the file."""
    text = TEMPLATES + "HomeNest Living,Mon,00:30,02:00,core,home,,,,\n"
    with pytest.raises(DataError) as err:
        week_slots(cells(text), "2026-W50")
    assert problems(err) == [
        "show_templates.csv, row 6, column start: HomeNest Living Mon 00:30-02:00 overlaps HomeNest Living Sun "
        "23:00-01:00 (show_templates.csv row 5) on HomeNest Living; a channel is live once at a time"]


def test_bad_template_cells_are_named_by_row_and_column():
    text = HEADER + ("GlowLab Beauty,Mon|Funday,10:00,12:00,longtail,skincare,,,,\n"
                     "GlowLab Beauty,Tue,25:00,12:00,gold,skincare,,,,\n"
                     "GlowLab Beauty,,10:00,12:00,core,,,,-1,\n")
    with pytest.raises(DataError) as err:
        read_templates(cells(text))
    assert problems(err) == [
        "show_templates.csv, row 2, column weekdays: 'Funday' is not a weekday; write days like Mon|Wed|Fri",
        "show_templates.csv, row 3, column start: '25:00' is not a time of day like 09:30 (00:00 to 23:59)",
        "show_templates.csv, row 3, column product_tier: 'gold' is not one of hero, core, longtail",
        "show_templates.csv, row 4, column weekdays: is empty; a value is required",
        "show_templates.csv, row 4, column category: is empty; a value is required",
        "show_templates.csv, row 4, column assistants_needed: '-1' must be >= 0",
    ]
    with pytest.raises(DataError, match="row 2, column weekdays: 'Mon|mon' names a day twice"):
        read_templates(cells(HEADER + "GlowLab Beauty,Mon|mon,10:00,12:00,longtail,skincare,,,,\n"))


def test_a_week_written_otherwise_is_refused():
    with pytest.raises(ValueError, match="week '2026-50' is not an ISO week written like 2026-W48"):
        week_slots(cells(TEMPLATES), "2026-50")


def test_expanding_again_and_copying_last_week_give_the_same_slots():
    once = week_slots(cells(TEMPLATES), "2026-W50")
    pd.testing.assert_frame_equal(week_slots(cells(TEMPLATES), "2026-W50"), once)
    following = week_slots(cells(TEMPLATES), "2026-W51")
    pd.testing.assert_frame_equal(copy_week(once, "2026-W50", "2026-W51"), following)
    pd.testing.assert_frame_equal(copy_week(pd.concat([once, following]), "2026-W50", "2026-W51"), following)


def test_copying_the_samples_week_renames_its_slots():
    sample = parse_table(read_raw(SAMPLE / "slots.csv"), SLOTS)  # 2026-W49, ids like W49-GLB-MON-1000
    week = copy_week(sample, "2026-W49", "2026-W50")
    first = week.set_index("slot_id").loc["2026-W50-GLB-MON-1000"]
    assert (f"{first['start']:%Y-%m-%dT%H:%M}", first["room"]) == ("2026-12-07T10:00", "Studio 1")
    assert (sample["locked_host_id"] != "").any() and (week["locked_host_id"] == "").all()
    assert len(week) == len(sample) and week["slot_id"].is_unique and week["expected_gmv"].isna().all()


def test_a_one_off_a_cancellation_and_a_move():
    changes = CHANGES_HEADER + (
        "add,,ActiveFit Gear,2026-12-10T18:00:00,2026-12-10T19:30:00,hero,fitness,Studio 3,launch\n"
        "cancel,2026-W50-GLB-MON-1000,,,,,,,\n"
        "move,2026-W50-GLB-TUE-1900,,2026-12-08T20:00:00,2026-12-08T23:00:00,core,,,\n"
        "add,,ActiveFit Gear,2026-12-17T18:00:00,2026-12-17T19:00:00,core,fitness,,next week\n")
    slots = week_slots(cells(TEMPLATES), "2026-W50", cells(changes)).set_index("slot_id")
    assert "2026-W50-GLB-MON-1000" not in slots.index
    moved = slots.loc["2026-W50-GLB-TUE-1900"]
    assert (f"{moved['start']:%H:%M}", f"{moved['end']:%H:%M}", moved["product_tier"], moved["category"]) == \
        ("20:00", "23:00", "core", "beauty")
    added = slots.loc["2026-W50-AFG-THU-1800"]
    assert (added["room"], added["language"], added["note"]) == ("Studio 3", "en", "launch")
    assert len(slots) == 5  # 5 shows, one cancelled, one added; next week's one-off is not in this week


def test_a_one_off_where_a_cancelled_show_was_gets_its_own_id():
    changes = CHANGES_HEADER + ("cancel,2026-W50-GLB-MON-1000,,,,,,,\n"
                                "add,,GlowLab Beauty,2026-12-07T10:00:00,2026-12-07T11:00:00,core,beauty,,\n")
    slots = week_slots(cells(TEMPLATES), "2026-W50", cells(changes))
    assert "2026-W50-GLB-MON-1000-2" in set(slots["slot_id"]) and "2026-W50-GLB-MON-1000" not in set(slots["slot_id"])


def test_bad_changes_are_named_by_row_and_column():
    changes = CHANGES_HEADER + (
        "add,,ActiveFit Gear,2026-12-10T18:00:00,2026-12-10T19:30:00,,fitness,,\n"
        "cancel,2026-W50-GLB-FRI-1000,,,,,,,\n"
        "move,GLB-TUE,,,,core,,,\n"
        "move,2026-W50-GLB-TUE-1900,,2026-12-15T20:00:00,2026-12-15T21:00:00,,,,\n"
        "move,2026-W50-HNL-TUE-2230,,2026-12-08T23:00:00,,,,,\n")
    with pytest.raises(DataError) as err:
        week_slots(cells(TEMPLATES), "2026-W50", cells(changes))
    assert problems(err) == [
        "calendar_changes.csv, row 2, column product_tier: is empty; an added show needs it",
        "calendar_changes.csv, row 4, column slot_id: 'GLB-TUE' does not start with its week; slot ids look like "
        "2026-W50-GLB-TUE-1900",
        "calendar_changes.csv, row 6, column end: is empty; a move gives both start and end, or neither to keep "
        "the times",
    ]
    with pytest.raises(DataError) as err:
        week_slots(cells(TEMPLATES), "2026-W50", cells(CHANGES_HEADER + "\n".join(changes.splitlines()[2:3]) + "\n"
                                                     + "\n".join(changes.splitlines()[4:5]) + "\n"))
    assert problems(err) == [
        "calendar_changes.csv, row 2, column slot_id: '2026-W50-GLB-FRI-1000' is not a show of 2026-W50 (or an "
        "earlier change already cancelled it)",
        "calendar_changes.csv, row 3, column start: 2026-12-15T20:00 is not in 2026-W50, the week of "
        "2026-W50-GLB-TUE-1900; cancel it and add a show in the other week",
    ]


def test_a_one_off_that_clashes_names_the_show_it_clashes_with():
    changes = CHANGES_HEADER + "add,,ActiveFit Gear,2026-12-08T21:00:00,2026-12-08T22:00:00,core,fitness,Studio 1,\n"
    with pytest.raises(DataError) as err:
        week_slots(cells(TEMPLATES), "2026-W50", cells(changes))
    assert problems(err) == [
        "calendar_changes.csv, row 2, column room: 2026-W50-AFG-TUE-2100 (ActiveFit Gear Tue 21:00-22:00) overlaps "
        "2026-W50-GLB-TUE-1900 (GlowLab Beauty Tue 19:00-22:00) (show_templates.csv row 3) in room 'Studio 1'; "
        "a room holds one stream at a time, with 30 min between two"]


def test_channel_codes_are_initials_numbered_when_they_collide():
    assert channel_codes(["GlowLab Beauty", "HomeNest Living", "ActiveFit Gear", "Glow Lab Beauty", "shop"]) == {
        "ActiveFit Gear": "AFG", "Glow Lab Beauty": "GLB", "GlowLab Beauty": "GLB2", "HomeNest Living": "HNL",
        "shop": "SHO"}


def test_the_command_writes_the_weeks_slots_csv(tmp_path, capsys):
    (tmp_path / "show_templates.csv").write_text(TEMPLATES)
    (tmp_path / "calendar_changes.csv").write_text(CHANGES_HEADER + "cancel,2026-W50-GLB-MON-1000,,,,,,,\n")
    out = tmp_path / "slots.csv"
    assert main(["slots", "--data", str(tmp_path), "--week", "2026-W50", "--out", str(out)]) == 0
    written = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert written["slot_id"].tolist() == ["2026-W50-GLB-TUE-1900", "2026-W50-HNL-TUE-2230",
                                           "2026-W50-GLB-WED-1000", "2026-W50-HNL-SUN-2300"]
    assert written.iloc[0][["start", "end", "expected_gmv"]].tolist() == ["2026-12-08T19:00:00",
                                                                          "2026-12-08T22:00:00", ""]
    assert "4 slot(s) in 2026-W50" in capsys.readouterr().out
    with pytest.raises(SystemExit) as stop:
        main(["slots", "--data", str(tmp_path), "--week", "2026-50", "--out", str(tmp_path / "x.csv")])
    assert stop.value.code == 2
    assert "argument --week: week '2026-50' is not an ISO week written like 2026-W48" in capsys.readouterr().err
    assert not (tmp_path / "x.csv").exists()


def test_a_new_studio_plans_a_week_from_templates_alone(tmp_path):
    """No slots.csv and no availability.csv: the show templates make the week, the availability template staffs it."""
    (tmp_path / "hosts.csv").write_text("host_id,name,tier,categories,languages,hourly_rate,max_hours_per_week\n"
                                        "H1,Ana Ruiz,A,beauty,en,20,40\nH2,Bo Li,A,home|kitchen,en|es,20,40\n")
    (tmp_path / "availability_template.csv").write_text("host_id,weekday,start,end\nH1,Tue,18:00,23:00\n"
                                                        "H2,Tue,22:00,02:00\nH2,Sun,22:00,02:00\n")
    (tmp_path / "show_templates.csv").write_text(TEMPLATES.replace("Mon|Wed", "Sat"))
    (tmp_path / "calendar_changes.csv").write_text(CHANGES_HEADER + "cancel,2026-W50-GLB-SAT-1000,,,,,,,\n")
    assert main(["slots", "--data", str(tmp_path), "--week", "2026-W50", "--out", str(tmp_path / "slots.csv")]) == 0
    out = tmp_path / "assignments.csv"
    assert main(["solve", "--data", str(tmp_path), "--out", str(out), "--time-limit", "5"]) == 0
    plan = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert dict(zip(plan["slot_id"], plan["host_id"])) == {
        "2026-W50-GLB-TUE-1900": "H1", "2026-W50-HNL-TUE-2230": "H2", "2026-W50-HNL-SUN-2300": "H2"}
