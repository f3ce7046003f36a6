"""The Schedule page's forecast and cover section (AppTest): every slot shows its forecast; after a call-out the
slot left uncovered comes first, its candidates are ranked as scheduler.cover ranks them, and giving it to one is
a hand edit, saved and logged."""
from __future__ import annotations

import pandas as pd
from streamlit.testing.v1 import AppTest
from test_app_schedule import draft, off_after_planning, open_call_out, planned_page

from scheduler.cover import cover
from store.week import scheduler_settings, week_studio


def shown(app: AppTest, column: str) -> pd.DataFrame:
    return next(d.value for d in app.dataframe if column in d.value.columns)


def test_every_slot_shows_its_forecast_with_an_average_host_and_with_its_host(app_store):
    app = planned_page(app_store)
    store, (_, saved) = draft(app_store)
    assert not any("forecast (average host)" in d.value.columns for d in app.dataframe)  # drawn once opened
    app.session_state["slot_forecasts_open"] = True
    app.run()
    table = shown(app, "forecast (average host)")
    assert len(table) == len(saved)
    assert (table["forecast (average host)"] > 0).all() and (table["low"] < table["high"]).all()
    staffed = table["host"] != "(dark)"
    assert table.loc[staffed, "with its host"].gt(0).all() and table.loc[~staffed, "with its host"].isna().all()


def test_a_called_out_slot_is_offered_first_and_given_to_a_ranked_candidate(app_store, monkeypatch):
    app, store, saved, slot_id, host = off_after_planning(app_store, monkeypatch, "called out: flu")
    assert not app.exception, app.exception
    assert next(b for b in app.selectbox if b.label == "Who could cover this slot").value == slot_id

    settings = scheduler_settings(store.studio_settings())
    studio = week_studio(store.tables(), "2026-W49", saved, settings)
    expected = cover(studio, saved[["slot_id", "host_id"]], slot_id, settings)
    candidates = shown(app, "expected GMV there")
    assert candidates["rank"].tolist() == expected["rank"].tolist() and len(candidates) > 0
    assert candidates["host"].tolist() == (expected["name"] + " (" + expected["host_id"] + ")").tolist()
    assert host not in "".join(candidates["host"])

    best = expected.iloc[0]
    app.selectbox(key=f"cover_pick_{slot_id}").set_value(best["host_id"])
    next(b for b in app.button if b.label == "Give the slot").click().run()
    assert not app.exception and not app.error, [e.value for e in app.error]
    _, (after_meta, after) = draft(app_store)
    hosts = after.set_index("slot_id")["host_id"]
    assert hosts[slot_id] == best["host_id"]
    if best["gives_up_slot_id"]:
        assert hosts[best["gives_up_slot_id"]] == ""
    changes = store.assignment_changes(after_meta["id"])
    assert [slot_id, host, best["host_id"]] in changes[["slot_id", "before", "after"]].values.tolist()
    assert any(s.value.startswith(f"Slot {slot_id} now goes to") for s in app.success)


def test_a_call_out_can_be_recorded_without_a_re_plan_to_pick_the_cover_by_hand(app_store):
    app = planned_page(app_store)
    store, (meta, saved) = draft(app_store)
    starts = store.tables(["slots"]).slots.set_index("slot_id")["start"]
    slot_id, host = saved.loc[saved["host_id"] != "", ["slot_id", "host_id"]].iloc[0]
    day = starts[slot_id].normalize()
    open_call_out(app)
    app.selectbox(key="call_out_person").set_value(host)
    app.date_input(key="call_out_from_day").set_value(day.date())
    app.date_input(key="call_out_to_day").set_value((day + pd.Timedelta(days=1)).date())
    next(b for b in app.button if b.label.startswith("Record the time off, then pick who covers")).click().run()
    assert not app.exception, app.exception
    off = store.tables(["availability_exceptions"]).availability_exceptions
    mine = off.loc[off["host_id"] == host]
    assert list(zip(mine["start"], mine["end"])) == [(day, day + pd.Timedelta(days=1))]
    assert draft(app_store)[1][0]["version"] == meta["version"]  # nothing re-planned
    assert any("pick who covers" in s.value for s in app.success)
