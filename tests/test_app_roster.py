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

    return open_store(f"sqlite:///{app_store}")


def show(app: AppTest, kind: str) -> AppTest:
    """Pick one of the roster's tables, as a person does with the control above them."""
    app.segmented_control(key="roster_table").set_value(kind).run()
    assert not app.exception
    return app


def edit(app: AppTest, kind: str, edited=None, added=None, deleted=None) -> AppTest:
    """Open the table, seed its editor's edit state (what a person typed), then run the page as Streamlit would."""
    if app.segmented_control(key="roster_table").value != kind:
        show(app, kind)
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
    frames = store.tables()
    assert [d.key for d in app.data_editor] == ["hosts_editor"]  # one table at a time, the hosts first
    control = app.segmented_control(key="roster_table")
    assert control.options == ["Hosts", "Weekly template", "Exceptions & time off", "Dated windows"]
    assert "Weekly template **104**" in app.caption[1].value and "unsaved" not in app.caption[1].value
    shown = {}
    for kind in ("hosts", TEMPLATE, EXCEPTIONS, "availability"):
        show(app, kind)
        assert [d.key for d in app.data_editor] == [f"{kind}_editor"]
        shown[kind] = app.data_editor[0].value
    assert len(shown[TEMPLATE]) == len(frames.availability_template) == 104
    assert shown[TEMPLATE].index[0] == 1  # rows numbered as the messages name them
    assert app.selectbox(key="roster_week").value == "2026-W49"
    assert not app.warning and not app.error
    store.engine.dispose()


def test_a_template_edit_is_saved_with_its_times_written_hh_mm(app_store):
    app = show(roster(), TEMPLATE)
    template = app.data_editor(key="availability_template_editor").value
    assert template.loc[1, ["host_id", "weekday", "end"]].tolist() == ["H001", "Mon", "23:30"]
    edit(app, TEMPLATE, edited={0: {"end": "22:00"}},
         added=[{"host_id": "H002", "weekday": "Mon", "start": "9:00", "end": "24:00"}])
    assert not app.warning
    app.button(key="save_availability_template").click().run()
    assert not app.exception
    assert "Weekly template saved." in [s.value for s in app.success]
    store = opened_store(app_store)
    saved = store.tables([TEMPLATE]).availability_template.set_index(["host_id", "weekday", "start"])
    assert saved.loc[("H001", "Mon", "14:00"), "end"] == "22:00"
    assert saved.loc[("H002", "Mon", "09:00"), "end"] == "24:00"
    assert len(saved) == 105
    assert store.import_history().loc[0, "file_name"] == "availability_template.csv edited in the app"
    assert not app.session_state[f"{TEMPLATE}_editor"]["added_rows"]  # the saved edits are not applied twice
    store.engine.dispose()


def test_a_bad_time_is_a_message_naming_row_and_column_and_nothing_is_saved(app_store):
    store = opened_store(app_store)
    before = store.tables([TEMPLATE]).availability_template
    app = edit(roster(), TEMPLATE, edited={2: {"start": "25:00"}, 4: {"weekday": "Funday"}})
    assert not app.exception
    text = warnings(app)
    assert "Row 3, start**: '25:00' is not a time of day like 09:30" in text
    assert "Row 5, weekday**: 'Funday' is not one of Mon, Tue, Wed, Thu, Fri, Sat, Sun" in text
    assert app.button(key="save_availability_template").disabled
    pd.testing.assert_frame_equal(store.tables([TEMPLATE]).availability_template, before)
    store.engine.dispose()


def test_time_off_added_in_the_app_is_cut_out_of_the_week(app_store):
    app = roster()
    edit(app, EXCEPTIONS, added=[{"host_id": "H001", "start": "2026-12-02T15:00:00", "end": "2026-12-02T18:00:00",
                                  "change": "time off", "note": "school play"}])
    assert not app.warning
    app.button(key="save_availability_exceptions").click().run()
    assert not app.exception and "Exceptions saved." in [s.value for s in app.success]
    store = opened_store(app_store)
    frames = store.tables()
    changes = frames.availability_exceptions
    assert changes.loc[changes["note"] == "school play", "start"].tolist() == [pd.Timestamp("2026-12-02T15:00")]
    week = availability_windows(frames.availability, frames.availability_template, changes,
                                "2026-11-30", "2026-12-06")
    wednesday = week[(week["host_id"] == "H001") & (week["start"].dt.day == 2)]
    assert wednesday[["start", "end"]].astype("str").values.tolist() == [
        ["2026-12-02 14:00:00", "2026-12-02 15:00:00"], ["2026-12-02 18:00:00", "2026-12-02 23:30:00"]]
    drawn = next(m.value for m in app.markdown if 'class="av"' in m.value)  # the week the scheduler will see
    assert "time off Wed 02 Dec 15:00–18:00&#10;school play" in drawn
    assert drawn.count('class="av-row"') == frames.hosts["host_id"].isin(week["host_id"]).sum()  # who can stream
    store.engine.dispose()


def test_unsaved_edits_stay_while_another_table_is_shown_until_saved_or_discarded(app_store):
    app = edit(roster(), TEMPLATE, edited={0: {"end": "22:00"}},
               added=[{"host_id": "H002", "weekday": "Tue", "start": "08:00", "end": "12:00"}])
    show(app, "hosts")
    assert [d.key for d in app.data_editor] == ["hosts_editor"]
    assert "unsaved edits: weekly template" in app.caption[1].value
    show(app, "hosts")  # a second run without the template's editor: Streamlit has now forgotten its edits
    assert f"{TEMPLATE}_editor" not in app.session_state
    show(app, TEMPLATE)
    template = app.data_editor(key=f"{TEMPLATE}_editor").value
    assert len(template) == 105 and template.iloc[0]["end"] == "22:00"
    edit(app, TEMPLATE, edited={1: {"end": "20:00"}})  # more edits on top of the kept ones
    app.button(key=f"save_{TEMPLATE}").click().run()
    assert not app.exception and "Weekly template saved." in [s.value for s in app.success]
    assert "unsaved" not in app.caption[1].value
    store = opened_store(app_store)
    saved = store.tables([TEMPLATE]).availability_template.set_index(["host_id", "weekday", "start"])
    assert len(saved) == 105 and saved.loc[("H001", "Mon", "14:00"), "end"] == "22:00"
    assert saved.loc[("H002", "Tue", "08:00"), "end"] == "12:00"
    assert (saved["end"] == "20:00").sum() == 1

    edit(app, EXCEPTIONS, deleted=[0])
    show(app, "availability")
    show(app, EXCEPTIONS)
    assert len(app.data_editor(key=f"{EXCEPTIONS}_editor").value) == 4
    app.button(key=f"discard_{EXCEPTIONS}").click().run()
    assert len(app.data_editor(key=f"{EXCEPTIONS}_editor").value) == 5 and "unsaved" not in app.caption[1].value
    assert len(store.tables([EXCEPTIONS]).availability_exceptions) == 5
    store.engine.dispose()


def test_an_exception_without_its_end_or_for_an_unknown_host_is_named(app_store):
    app = edit(roster(), EXCEPTIONS, added=[{"host_id": "H001", "start": "2026-12-02T15:00:00",
                                             "change": "extra"}])
    assert "Row 6, end**: is empty; a value is required" in warnings(app)
    assert app.button(key="save_availability_exceptions").disabled


def test_a_second_editor_is_told_instead_of_overwriting(app_store):
    app = show(roster(), TEMPLATE)  # opened before ben saves
    store = opened_store(app_store)
    template = store.tables([TEMPLATE]).availability_template
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
    assert len(store.tables(["availability"]).availability) == 153
    hosts = show(app, "hosts").data_editor(key="hosts_editor").value
    edit(app, "hosts", deleted=[0])  # H001 still has a weekly template
    assert hosts.loc[1, "host_id"] == "H001" and not app.warning
    app.button(key="save_hosts").click().run()
    assert not app.exception
    assert "cannot remove H001: still named in availability" in warnings(app)
    assert "H001" in set(store.tables(["hosts"]).hosts["host_id"])
    store.engine.dispose()


def test_a_bad_time_in_an_imported_template_is_refused_by_row_and_column_and_nothing_is_saved(app_store):
    from store import ImportRejected

    store = opened_store(app_store)
    before = store.tables([TEMPLATE]).availability_template
    with pytest.raises(ImportRejected) as refused:
        store.import_file(b"host_id,weekday,start,end\nH002,Wed,7:75,12:00\nH002,Thu,09:00,25:00\n",
                          TEMPLATE, "template.csv", "ana")
    assert str(refused.value).splitlines() == [
        "template.csv, row 2, column start: '7:75' is not a time of day like 09:30 (00:00 to 23:59)",
        "template.csv, row 3, column end: '25:00' is not a time of day like 09:30 (00:00 to 24:00)"]
    pd.testing.assert_frame_equal(store.tables([TEMPLATE]).availability_template, before)
