"""Show templates in the store, and a new studio that starts with no sample rows."""
from __future__ import annotations

import getpass

import pandas as pd
import pytest
from test_calendar import CHANGES_HEADER, TEMPLATES, cells
from test_store import import_text, postgres_url, sqlite_url, store_url, write_studio  # noqa: F401  (fixtures)

from contract import DataError
from scheduler.calendar import week_slots
from store import open_seeded, open_store
from store.cli import SAMPLE_STUDIO, main
from store.kinds import KINDS
from store.seed import SEED_USER


def test_show_templates_import_export_and_expand_from_the_store(store_url, tmp_path):  # noqa: F811
    store = open_store(store_url)
    report = import_text(store, "show_templates", TEMPLATES, "shows.csv")
    assert (report.rows_added, store.table_version("show_templates")) == (4, 1)
    assert import_text(store, "show_templates", TEMPLATES, "shows.csv").rows_unchanged == 4
    stored = store.tables(["show_templates"]).show_templates
    assert stored.loc[0, "weekdays"] == ("Mon", "Wed")
    pd.testing.assert_frame_equal(week_slots(stored, "2026-W50"), week_slots(cells(TEMPLATES), "2026-W50"))
    store.export_all(tmp_path / "out")
    exported = pd.read_csv(tmp_path / "out" / "show_templates.csv", dtype=str, keep_default_na=False)
    assert exported.iloc[0].tolist() == ["GlowLab Beauty", "Mon|Wed", "10:00", "12:00", "longtail", "skincare",
                                         "en", "Studio 1", "0", ""]
    store.engine.dispose()


def test_a_template_that_clashes_or_names_a_bad_day_is_refused_by_its_file_row_and_column(tmp_path):
    store = open_store(sqlite_url(tmp_path))
    clash = TEMPLATES + "ActiveFit Gear,Tue,21:00,23:00,core,fitness,,Studio 1,,\n"
    with pytest.raises(DataError) as err:
        import_text(store, "show_templates", clash, "shows.csv")
    assert str(err.value.problems[0]).startswith("shows.csv, row 6, column room: ActiveFit Gear Tue 21:00-23:00 "
                                                 "overlaps GlowLab Beauty Tue 19:00-22:00 (show_templates.csv row 3)")
    with pytest.raises(DataError, match="shows.csv, row 2, column weekdays: 'Mo' is not a weekday"):
        import_text(store, "show_templates", TEMPLATES.replace("Mon|Wed", "Mo|Wed"), "shows.csv")
    assert store.tables(["show_templates"]).show_templates.empty
    import_text(store, "show_templates", TEMPLATES.replace("Mon|Wed", "mon|WED"), "shows.csv")
    assert store.tables(["show_templates"]).show_templates.loc[0, "weekdays"] == ("Mon", "Wed")


def test_rolling_a_week_forward_twice_changes_nothing(tmp_path):
    store = open_store(sqlite_url(tmp_path))
    changes = cells(CHANGES_HEADER + "cancel,2026-W50-GLB-MON-1000,,,,,,,\n")
    for expected in ((4, 0), (0, 4)):
        week = week_slots(cells(TEMPLATES), "2026-W50", changes)
        week.to_csv(tmp_path / "slots.csv", index=False)
        report = store.import_file(tmp_path / "slots.csv", "slots", "slots.csv", "ana")
        assert (report.rows_added, report.rows_unchanged) == expected


def test_init_empty_starts_a_studio_the_app_never_seeds(tmp_path, capsys):
    url = sqlite_url(tmp_path)
    assert main(["--url", url, "init", "--empty", "--name", "Nova Live", "--user", "mai"]) == 0
    store = open_seeded(url, SAMPLE_STUDIO)  # as the app opens it
    tables = store.tables()
    assert all(getattr(tables, kind).empty for kind in KINDS)
    assert store.published_schedules().empty and store.import_history().empty
    assert store.studio_settings().studio_name == "Nova Live"
    assert main(["--url", url, "history"]) == 0
    assert "no imports yet" in capsys.readouterr().out
    (tmp_path / "hosts.csv").write_text("host_id,name,tier,categories,hourly_rate,max_hours_per_week\nh1,Ana,A,beauty,30,20\n")
    assert main(["--url", url, "import", str(tmp_path / "hosts.csv"), "--kind", "hosts"]) == 0
    assert store.import_history()["user"].tolist() == [getpass.getuser()]
    assert main(["--url", url, "init", "--empty"]) == 2
    assert "already holds a studio's rows" in capsys.readouterr().err


def test_a_read_only_command_leaves_an_empty_store_empty(tmp_path, capsys):
    url = sqlite_url(tmp_path)
    assert main(["--url", url, "history"]) == 0
    assert main(["--url", url, "export", "--out", str(tmp_path / "out")]) == 0
    store = open_store(url)
    assert store.is_empty() and store.published_schedules().empty
    assert pd.read_csv(tmp_path / "out" / "hosts.csv").empty


def test_a_studio_folder_is_seeded_under_the_person_who_ran_init(tmp_path, seeded_store_file):
    url = sqlite_url(tmp_path)
    assert main(["--url", url, "init", "--seed-dir", str(write_studio(tmp_path / "mine")), "--user", "mai"]) == 0
    assert set(open_store(url).import_history()["user"]) == {"mai"}
    sample = open_store(f"sqlite:///{seeded_store_file}").import_history()
    assert set(sample["user"]) == {SEED_USER}


def test_calendar_changes_are_kept_by_slot_exported_and_make_the_same_week(tmp_path):
    """The store keeps a week's changes as the Calendar page makes them; the export's calendar_changes.csv makes
    the same week with `python -m scheduler slots`, and the week made into the planned slots is undoable."""
    from scheduler import Settings
    from scheduler.calendar_edits import add_show, cancel_show, empty_changes
    from scheduler.cli import main as scheduler_main
    from store.calendar import make_week, planned_week, week_preview

    store = open_store(sqlite_url(tmp_path))
    import_text(store, "show_templates", TEMPLATES, "shows.csv")
    templates = store.tables(["show_templates"]).show_templates
    changes, _ = add_show(templates, empty_changes(), "2026-W50", {
        "channel": "ActiveFit Gear", "start": pd.Timestamp("2026-12-10 18:00"), "end": pd.Timestamp("2026-12-10 19:30"),
        "product_tier": "hero", "category": "fitness"})
    changes = cancel_show(templates, changes, "2026-W50", "2026-W50-GLB-MON-1000", "holiday")
    store.save_table("calendar_changes", changes, "ana", expected_version=0)
    kept = store.tables(["calendar_changes"]).calendar_changes
    made, differences = week_preview(store, "2026-W50", Settings())
    assert differences["what"].tolist() == ["added"] * 5 and (differences["host_id"] == "").all()
    assert make_week(store, "2026-W50", "ana", 0, Settings()) == 1
    planned = planned_week(store, "2026-W50").sort_values("start", ignore_index=True)
    pd.testing.assert_frame_equal(planned[made.columns.drop("note")], made.drop(columns="note"))
    assert week_preview(store, "2026-W50", Settings())[1].empty
    store.export_all(tmp_path / "out")
    assert scheduler_main(["slots", "--data", str(tmp_path / "out"), "--week", "2026-W50",
                           "--out", str(tmp_path / "w50.csv")]) == 0
    written = pd.read_csv(tmp_path / "w50.csv", dtype=str, keep_default_na=False)
    assert written["slot_id"].tolist() == made["slot_id"].tolist()
    assert len(kept) == 2 and import_text(store, "calendar_changes", (tmp_path / "out" / "calendar_changes.csv")
                                          .read_text(), "calendar_changes.csv").rows_unchanged == 2
    with pytest.raises(DataError, match="calendar_changes.csv, row 2, column slot_id: is empty; an added show kept in "
                                        "the store names the slot id it makes"):
        import_text(store, "calendar_changes", CHANGES_HEADER + "add,,ActiveFit Gear,2026-12-10T18:00:00,"
                    "2026-12-10T19:30:00,hero,fitness,,\n", "calendar_changes.csv")
    store.undo_import(int(store.import_history().query("kind == 'slots'")["id"].iloc[0]), "ana")
    assert planned_week(store, "2026-W50").empty
