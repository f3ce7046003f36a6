"""The Calendar page through Streamlit's AppTest: show templates made and checked as typed, a week made from
them with a one-off, a change and a cancellation (a published host asked about first, and named in the change
log), and the week's slots made for the Schedule page."""
from __future__ import annotations

from datetime import date, time

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT

WEEK = "2026-W50"


@pytest.fixture(autouse=True)
def no_warm_up(monkeypatch):
    monkeypatch.setenv("STUDIO_WARM_UP", "off")


@pytest.fixture(autouse=True)
def in_the_samples_week(monkeypatch):
    """The studio's clock on the Thursday of the sample's planned week, whatever day the tests run."""
    monkeypatch.setattr("contract.when.studio_now", lambda zone: pd.Timestamp("2026-12-03T09:00"))


def calendar() -> AppTest:
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    app.switch_page("ui/pages/calendar.py")
    app.run()
    assert not app.exception
    return app


def opened_store(app_store):
    from store import open_store

    return open_store(f"sqlite:///{app_store}")


def click(app: AppTest, key: str) -> AppTest:
    app.button(key=key).click().run()
    assert not app.exception
    return app


def submit(app: AppTest, label: str) -> AppTest:
    next(b for b in app.button if b.label == label).click().run()
    assert not app.exception
    return app


def said(app: AppTest) -> str:
    return "\n".join(e.value for e in [*app.success, *app.warning, *app.error, *app.info])


def test_templates_are_checked_as_typed_and_an_empty_one_can_be_downloaded(app_store):
    app = calendar()
    assert "No show templates yet" in "\n".join(m.value for m in app.markdown)
    app.session_state["show_templates_editor"] = {"edited_rows": {}, "deleted_rows": [], "added_rows": [
        {"channel": "GlowLab Beauty", "weekdays": "Tue|Thu", "start": "19:00", "end": "22:00", "product_tier": "hero",
         "category": "beauty", "room": "Studio 1"},
        {"channel": "HomeNest Living", "weekdays": "Tue", "start": "21:00", "end": "23:00", "product_tier": "core",
         "category": "home", "room": "Studio 1"},
        {"channel": "HomeNest Living", "weekdays": "Mo", "start": "25:00", "end": "23:00", "product_tier": "core",
         "category": "home"}]}
    app.run()
    warning = "\n".join(w.value for w in app.warning)
    assert "Row 3, weekdays" in warning and "'Mo' is not a weekday" in warning and "Row 3, start" in warning
    assert app.button(key="save_show_templates").disabled
    app.session_state["show_templates_editor"]["added_rows"].pop()
    app.run()
    warning = "\n".join(w.value for w in app.warning)
    assert "Row 2, room" in warning and "HomeNest Living Tue 21:00-23:00 overlaps GlowLab Beauty Tue 19:00-22:00" \
        in warning
    from ui.components.calendar_templates import empty_template_csv

    assert empty_template_csv() == (b"channel,weekdays,start,end,product_tier,category,language,room,"
                                    b"assistants_needed,note\n")


def test_a_week_made_from_templates_edited_and_made_into_the_schedules_slots(app_store):
    app = calendar()
    click(app, "make_templates")  # from the sample's 2026-W49
    assert "45 show templates made from the slots of 2026-W49" in said(app)
    assert app.selectbox(key="calendar_week").value == WEEK
    assert "127** shows" in "\n".join(c.value for c in app.caption)
    store = opened_store(app_store)
    app.selectbox(key="add_channel").set_value("GlowLab Beauty")
    app.date_input(key="add_day").set_value(date(2026, 12, 9))
    app.time_input(key="add_start").set_value(time(8, 0))
    app.time_input(key="add_end").set_value(time(9, 30))
    app.text_input(key="add_category").set_value("beauty")
    submit(app, "Add the show")
    assert "Added a one-off GlowLab Beauty show on Wed 09 Dec 08:00" in said(app)
    app.time_input(key="add_start").set_value(time(9, 0))  # into the 10:00 show's changeover in Studio 1
    app.time_input(key="add_end").set_value(time(9, 45))
    app.text_input(key="add_room").set_value("Studio 1")
    submit(app, "Add the show")
    assert "Not changed" in said(app) and "2026-W50-GLB-WED-0900 (GlowLab Beauty Wed 09:00-09:45) overlaps " \
        "2026-W50-GLB-WED-0800 (GlowLab Beauty Wed 08:00-09:30)" in said(app)
    click(app, "calendar_make")
    assert "2026-W50's 128 slots are ready on the Schedule page" in said(app)
    slots = store.tables(["slots"]).slots
    assert len(slots[slots["slot_id"].str.startswith(WEEK)]) == 128

    week = slots[slots["slot_id"].str.startswith(WEEK)]
    first = week.sort_values("slot_id")["slot_id"].iloc[0]
    host = store.tables(["hosts"]).hosts["host_id"].iloc[0]
    store.save_schedule(WEEK, pd.DataFrame({"slot_id": [first], "host_id": [host], "locked": [False], "reason": [""]}),
                        "ana", status="published")
    app.run()
    app.segmented_control(key="calendar_action").set_value("Cancel a show").run()
    app.selectbox(key="calendar_slot").set_value(first).run()
    app.text_input(key="cancel_note").set_value("studio closed")
    submit(app, "Cancel the show")
    assert "is published with" in said(app) and store.tables(["calendar_changes"]).calendar_changes["change"].tolist() \
        == ["add"]
    click(app, "calendar_confirm")
    changes = store.tables(["calendar_changes"]).calendar_changes.set_index("slot_id")
    assert changes.at[first, "note"] == f"studio closed (published host {host}; confirmed by local)"
    assert "1 of these slots have a published host" in said(app)
    assert app.button(key="calendar_make").disabled
    app.checkbox(key="calendar_make_sure").check().run()
    click(app, "calendar_make")
    assert first not in set(store.tables(["slots"]).slots["slot_id"])
