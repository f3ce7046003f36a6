"""The Roster page through Streamlit's AppTest: the weekly template, exceptions and dated windows edited in
place, checked as they are typed, saved to the store with the version check, and the week view built from them."""
from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from scheduler.availability import availability_windows
from tests.conftest import ROOT

TEMPLATE = "availability_template"
EXCEPTIONS = "availability_exceptions"


@pytest.fixture(autouse=True)
def no_warm_up(monkeypatch):
    monkeypatch.setenv("STUDIO_WARM_UP", "off")


def roster() -> AppTest:
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    app.switch_page("ui/pages/roster.py")  # straight to the roster: the schedule page need not run first
    app.run()
    assert not app.exception
    return app


def opened_store(app_store):
    from store import open_store

    return open_store(f"sqlite:///{app_store}", seed_dir=None)


def edit(app: AppTest, kind: str, edited=None, added=None, deleted=None) -> AppTest:
    """Seed the editor's edit state (what a person typed), then run the page as Streamlit would."""
    app.session_state[f"{kind}_editor"] = {"edited_rows": edited or {}, "added_rows": added or [],
                                          "deleted_rows": deleted or []}
    app.run()
    assert not app.exception
    return app


def warnings(app: AppTest) -> str:
    return "\n".join(w.value for w in app.warning)


def test_the_page_shows_each_table_and_the_planned_week(app_store):
    app = roster()
    store = opened_store(app_store)
    frames = store.frames()
    shown = {d.key: d.value for d in app.data_editor}
    assert list(shown) == ["hosts_editor", "availability_template_editor", "availability_exceptions_editor",
                           "availability_editor"]
    assert len(shown["availability_template_editor"]) == len(frames["availability_template.csv"]) == 104
    assert shown["availability_template_editor"].index[0] == 1  # rows numbered as the messages name them
    assert [t.label for t in app.tabs] == ["Hosts (28)", "Weekly template (104)", "Exceptions & time off (5)",
                                           "Dated windows (154)"]
    assert app.selectbox(key="roster_week").value == "2026-W49"
    assert not app.warning and not app.error
    store.engine.dispose()


def test_a_template_edit_is_saved_with_its_times_written_hh_mm(app_store):
    app = roster()
    template = app.data_editor(key="availability_template_editor").value
    assert template.loc[1, ["host_id", "weekday", "end"]].tolist() == ["H001", "Mon", "23:30"]
    edit(app, TEMPLATE, edited={0: {"end": "22:00"}},
         added=[{"host_id": "H002", "weekday": "Mon", "start": "9:00", "end": "24:00"}])
    assert not app.warning
    app.button(key="save_availability_template").click().run()
    assert not app.exception
    assert "Weekly template saved." in [s.value for s in app.success]
    store = opened_store(app_store)
    saved = store.frames([TEMPLATE])["availability_template.csv"].set_index(["host_id", "weekday", "start"])
    assert saved.loc[("H001", "Mon", "14:00"), "end"] == "22:00"
    assert saved.loc[("H002", "Mon", "09:00"), "end"] == "24:00"
    assert len(saved) == 105
    assert store.import_history().loc[0, "file_name"] == "availability_template.csv edited in the app"
    assert not app.session_state[f"{TEMPLATE}_editor"]["added_rows"]  # the saved edits are not applied twice
    store.engine.dispose()


def test_a_bad_time_is_a_message_naming_row_and_column_and_nothing_is_saved(app_store):
    store = opened_store(app_store)
    before = store.frames([TEMPLATE])["availability_template.csv"]
    app = edit(roster(), TEMPLATE, edited={2: {"start": "25:00"}, 4: {"weekday": "Funday"}})
    assert not app.exception
    text = warnings(app)
    assert "Row 3, start**: '25:00' is not a time of day like 09:30" in text
    assert "Row 5, weekday**: 'Funday' is not one of Mon, Tue, Wed, Thu, Fri, Sat, Sun" in text
    assert app.button(key="save_availability_template").disabled
    pd.testing.assert_frame_equal(store.frames([TEMPLATE])["availability_template.csv"], before)
    store.engine.dispose()


def test_time_off_added_in_the_app_is_cut_out_of_the_week(app_store):
    app = roster()
    edit(app, EXCEPTIONS, added=[{"host_id": "H001", "start": "2026-12-02T15:00:00", "end": "2026-12-02T18:00:00",
                                  "change": "time off", "note": "school play"}])
    assert not app.warning
    app.button(key="save_availability_exceptions").click().run()
    assert not app.exception and "Exceptions saved." in [s.value for s in app.success]
    store = opened_store(app_store)
    frames = store.frames()
    changes = frames["availability_exceptions.csv"]
    assert changes.loc[changes["note"] == "school play", "start"].tolist() == [pd.Timestamp("2026-12-02T15:00")]
    week = availability_windows(frames["availability.csv"], frames["availability_template.csv"], changes,
                                "2026-11-30", "2026-12-06")
    wednesday = week[(week["host_id"] == "H001") & (week["start"].dt.day == 2)]
    assert wednesday[["start", "end"]].astype("str").values.tolist() == [
        ["2026-12-02 14:00:00", "2026-12-02 15:00:00"], ["2026-12-02 18:00:00", "2026-12-02 23:30:00"]]
    store.engine.dispose()


def test_an_exception_without_its_end_or_for_an_unknown_host_is_named(app_store):
    app = edit(roster(), EXCEPTIONS, added=[{"host_id": "H001", "start": "2026-12-02T15:00:00",
                                             "change": "extra"}])
    assert "Row 6, end**: is empty; a value is required" in warnings(app)
    assert app.button(key="save_availability_exceptions").disabled


def test_a_second_editor_is_told_instead_of_overwriting(app_store):
    app = roster()
    store = opened_store(app_store)
    template = store.frames([TEMPLATE])["availability_template.csv"]
    store.save_table(TEMPLATE, template.iloc[1:], "ben", store.table_version(TEMPLATE))
    edit(app, TEMPLATE, edited={0: {"end": "21:00"}})
    app.button(key="save_availability_template").click().run()
    assert not app.exception
    assert any("were changed by ben" in e.value for e in app.error)
    app.button(key=f"reload_{TEMPLATE}").click().run()
    assert not app.error and len(app.data_editor(key="availability_template_editor").value) == 103
    store.engine.dispose()


def test_dated_windows_still_edit_and_a_removed_host_row_is_refused(app_store):
    app = roster()
    edit(app, "availability", deleted=[0])
    app.button(key="save_availability").click().run()
    assert "Dated windows saved." in [s.value for s in app.success]
    store = opened_store(app_store)
    assert len(store.frames(["availability"])["availability.csv"]) == 153
    hosts = app.data_editor(key="hosts_editor").value
    edit(app, "hosts", deleted=[0])  # H001 still has a weekly template
    assert hosts.loc[1, "host_id"] == "H001" and not app.warning
    app.button(key="save_hosts").click().run()
    assert not app.exception
    assert "cannot remove H001: still named in availability" in warnings(app)
    assert "H001" in set(store.frames(["hosts"])["hosts.csv"]["host_id"])
    store.engine.dispose()


def test_a_bad_time_in_an_imported_template_is_refused_by_row_and_column_and_nothing_is_saved(app_store):
    from store import ImportRejected

    store = opened_store(app_store)
    before = store.frames([TEMPLATE])["availability_template.csv"]
    with pytest.raises(ImportRejected) as refused:
        store.import_file(b"host_id,weekday,start,end\nH002,Wed,7:75,12:00\nH002,Thu,09:00,25:00\n",
                          TEMPLATE, "template.csv", "ana")
    assert str(refused.value).splitlines() == [
        "template.csv, row 2, column start: '7:75' is not a time of day like 09:30 (00:00 to 23:59)",
        "template.csv, row 3, column end: '25:00' is not a time of day like 09:30 (00:00 to 24:00)"]
    pd.testing.assert_frame_equal(store.frames([TEMPLATE])["availability_template.csv"], before)
