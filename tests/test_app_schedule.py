"""The Schedule page with production assistants (AppTest): planning saves them, a hand edit that breaks a rule is
refused naming it, a good edit is saved and logged, publishing publishes them."""
from __future__ import annotations

import time

import pandas as pd
from streamlit.testing.v1 import AppTest

from store import open_store
from tests.conftest import ROOT
from ui.cache import VERSION_CHECK_SECONDS


def planned_page(app_store) -> AppTest:
    """The schedule page after planning the coming week (a short time budget)."""
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    app.run()
    assert app.selectbox(key="schedule_week").value == "2026-W49"
    app.slider(key="time_budget").set_value(3)
    app.button(key="plan_week").click().run()
    assert not app.exception, app.exception
    assert any("Planned" in s.value for s in app.success)
    return app


def draft(app_store):
    store = open_store(f"sqlite:///{app_store}")
    found = store.schedule("2026-W49", "draft")
    return store, found


def test_planning_saves_assistants_and_an_edit_breaking_a_rule_is_refused_naming_it(app_store):
    app = planned_page(app_store)
    store, (meta, saved) = draft(app_store)
    helped = saved.loc[saved["assistant_ids"] != ""]
    assert len(helped), "the plan staffs the sample's assistant positions"
    shown = next(d.value for d in app.dataframe if "assistants" in d.value.columns)
    assert (shown["assistants"] != "").sum() == len(helped)

    slot_id, current = helped["slot_id"].iloc[0], helped["assistant_ids"].iloc[0]
    hosts = store.tables(["hosts"]).hosts
    assistants = hosts.loc[hosts["role"] == "assistant", "host_id"].tolist()
    app.selectbox(key="crew_slot_id").set_value(slot_id).run()
    crew = app.multiselect(key=f"crew_2026-W49_{slot_id}")
    assert crew.value == current.split("|") and len(crew.options) == len(assistants)
    extra = next(a for a in assistants if a not in crew.value)
    crew.set_value([*crew.value, extra]).run()
    app.button(key="save_crew").click().run()
    assert not app.exception
    refused = [e.value for e in app.error if e.value.startswith("Not saved: the change breaks a hard rule")]
    assert refused and "**assistants**" in refused[0] and "needs 1 assistant(s)" in refused[0], refused
    assert draft(app_store)[1][1]["assistant_ids"].tolist() == saved["assistant_ids"].tolist()  # nothing saved


def test_an_assistant_removed_by_hand_is_saved_logged_and_published(app_store):
    app = planned_page(app_store)
    _, (meta, saved) = draft(app_store)
    slot_id = saved.loc[saved["assistant_ids"] != "", "slot_id"].iloc[0]
    removed = saved.set_index("slot_id").at[slot_id, "assistant_ids"]
    app.selectbox(key="crew_slot_id").set_value(slot_id).run()
    app.multiselect(key=f"crew_2026-W49_{slot_id}").set_value([]).run()
    app.button(key="save_crew").click().run()
    assert not app.exception and not app.error, [e.value for e in app.error]
    store, (after_meta, after) = draft(app_store)
    assert after_meta["version"] == meta["version"] + 1
    assert after.set_index("slot_id").at[slot_id, "assistant_ids"] == ""
    changes = store.assignment_changes(after_meta["id"])
    assert changes[["slot_id", "role", "before", "after", "user"]].values.tolist() == [
        [slot_id, "assistants", removed, "", "local"]]

    app.button(key="publish").click().run()
    assert not app.exception
    meta, published = store.schedule("2026-W49", "published")
    assert published["assistant_ids"].tolist() == after["assistant_ids"].tolist()
    labels = [b.label for b in app.get("download_button")]
    assert "Download assistants.csv" in labels and any(label.endswith("calendars (.ics, zip)") for label in labels)


def test_a_past_week_shows_its_published_plan_and_cannot_be_planned_again(app_store):
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    app.run()
    app.selectbox(key="schedule_week").set_value("2026-W48").run()
    assert not app.exception, app.exception
    assert app.button(key="plan_week").disabled
    assert any("Streams of this week are on record" in i.value for i in app.info)
    shown = next(d.value for d in app.dataframe if "assistants" in d.value.columns)
    assert (shown["assistants"] != "").any() and (shown["host"] != "").all()
    hosts = open_store(f"sqlite:///{app_store}").tables(["hosts"]).hosts
    assert set(shown["host"]) <= {f"{name} ({host})" for host, name in zip(hosts["host_id"], hosts["name"])}


def test_opening_a_slot_shows_it_and_fills_the_move_form_in_with_its_host_and_lock(app_store):
    app = planned_page(app_store)
    _, (_, saved) = draft(app_store)
    staffed = saved.loc[saved["host_id"] != ""].iloc[3]
    app.selectbox(key="move_slot_id").set_value(staffed["slot_id"]).run()
    assert app.selectbox(key="move_host").value == staffed["host_id"]
    assert app.checkbox(key="move_lock").value == bool(staffed["locked"])
    assert any("Host: **" in m.value for m in app.markdown)
    app.checkbox(key="move_lock").check()
    next(b for b in app.button if b.label == "Move").click().run()
    assert not app.exception and not app.error, [e.value for e in app.error]
    _, (_, after) = draft(app_store)
    assert after.set_index("slot_id").loc[staffed["slot_id"], ["host_id", "locked"]].tolist() == [
        staffed["host_id"], True]
    assert any("locked." in s.value for s in app.success)


def open_call_out(app: AppTest) -> None:
    """Open the call-out section, as a click on it does: its form is drawn only when it is open."""
    if not app.session_state["call_out_open"]:
        app.session_state["call_out_open"] = True
        app.run()


def call_out_form(app: AppTest, host: str, start: pd.Timestamp, end: pd.Timestamp, reason: str) -> None:
    open_call_out(app)
    app.selectbox(key="call_out_person").set_value(host)
    app.date_input(key="call_out_from_day").set_value(start.date())
    app.time_input(key="call_out_from_time").set_value(start.time())
    app.date_input(key="call_out_to_day").set_value(end.date())
    app.time_input(key="call_out_to_time").set_value(end.time())
    app.text_input(key="call_out_reason").set_value(reason)
    next(b for b in app.button if b.label == "Record the time off and re-plan").click().run()
    assert not app.exception, app.exception


def test_a_call_out_is_kept_as_time_off_so_later_plans_and_hand_edits_respect_it(app_store):
    app = planned_page(app_store)
    store, (_, saved) = draft(app_store)
    starts = store.tables(["slots"]).slots.set_index("slot_id")["start"]
    staffed = saved.loc[saved["host_id"] != ""].assign(day=lambda f: f["slot_id"].map(starts).dt.normalize())
    days = staffed.groupby("host_id")["day"].nunique()
    host = days[days >= 2].index[0]  # a host with slots on two days or more: out on the first of them only
    mine = staffed.loc[staffed["host_id"] == host].sort_values("day")
    first = mine["day"].iloc[0]
    lost, kept = mine.loc[mine["day"] == first, "slot_id"].tolist(), mine.loc[mine["day"] > first, "slot_id"].tolist()

    call_out_form(app, host, first, first + pd.Timedelta(days=1), "flu")
    off = store.tables(["availability_exceptions"]).availability_exceptions
    off = off.loc[off["host_id"] == host]
    assert off[["start", "end", "change", "note", "recorded_by"]].values.tolist() == [
        [first, first + pd.Timedelta(days=1), "time off", "called out: flu", "local"]]
    _, (_, after) = draft(app_store)
    hosts = after.set_index("slot_id")["host_id"]
    assert all(hosts[s] != host for s in lost) and all(hosts[s] == host for s in kept)  # back the next day
    assert not any(host in reason and "free to take it" in reason for reason in after["reason"])
    assert any("kept as time off" in s.value for s in app.success)

    app.selectbox(key="move_slot_id").set_value(lost[0]).run()  # opening a slot fills the form in
    app.selectbox(key="move_host").set_value(host)
    next(b for b in app.button if b.label == "Move").click().run()
    refused = [e.value for e in app.error if e.value.startswith("Not saved: the change breaks a hard rule")]
    assert refused and "availability" in refused[0], [e.value for e in app.error]

    app.button(key="plan_week").click().run()
    assert not app.exception
    _, (_, again) = draft(app_store)
    assert all(again.set_index("slot_id").at[s, "host_id"] != host for s in lost)


def off_after_planning(app_store, monkeypatch, reason: str):
    """The planned page, after the host of the draft's first staffed slot was given time off over that slot (the
    studio's clock before the week): (app, store, saved draft rows, that slot, that host)."""
    monkeypatch.setattr("contract.when.studio_now", lambda zone: pd.Timestamp("2026-11-29T12:00"))  # before W49
    app = planned_page(app_store)
    store, (_, saved) = draft(app_store)
    starts = store.tables(["slots"]).slots.set_index("slot_id")["start"]
    slot_id, host = saved.loc[saved["host_id"] != "", ["slot_id", "host_id"]].iloc[0]
    start = starts[slot_id]
    store.record_time_off(host, start - pd.Timedelta(hours=1), start + pd.Timedelta(hours=1), reason, "ana")
    time.sleep(VERSION_CHECK_SECONDS)  # recorded by another store, as by another process: seen within this time
    app.run()
    return app, store, saved, slot_id, host


def test_time_off_recorded_after_planning_is_shown_blocks_publish_and_is_repaired(app_store, monkeypatch):
    app, store, saved, slot_id, host = off_after_planning(app_store, monkeypatch, "called out: dentist")
    assert not app.exception, app.exception
    assert any("breaks 1 hard rule(s) as the roster" in e.value for e in app.error), [e.value for e in app.error]
    conflicts = next(d.value for d in app.dataframe if {"rule", "slot", "person", "why"} <= set(d.value.columns))
    assert conflicts["slot"].tolist() == [slot_id] and conflicts["person"].str.endswith(f"({host})").all()
    assert conflicts["rule"].str.contains("availability").all()
    assert app.button(key="publish").disabled

    app.button(key="repair_week").click().run()
    assert not app.exception, app.exception
    assert any(s.value.startswith("Repaired: ") for s in app.success)
    _, (_, after) = draft(app_store)
    changed = after.set_index("slot_id")["host_id"].ne(saved.set_index("slot_id")["host_id"])
    assert changed[slot_id] and after.set_index("slot_id").at[slot_id, "host_id"] != host
    assert not app.button(key="publish").disabled
    app.button(key="publish").click().run()
    assert not app.exception
    assert store.schedule("2026-W49", "published") is not None


def test_planning_a_move_a_call_out_and_a_publish_each_draw_the_page_once(app_store, monkeypatch):
    import ui.warmup

    runs = []
    running = ui.warmup.page_running

    def counted():
        runs.append(1)
        return running()

    monkeypatch.setattr(ui.warmup, "page_running", counted)
    app = planned_page(app_store)
    assert len(runs) == 2  # the page, then the click
    next(b for b in app.button if b.label == "Move").click().run()
    assert any(" now goes to " in s.value for s in app.success) and len(runs) == 3
    open_call_out(app)
    assert len(runs) == 4  # opening the call-out section draws its form
    host = app.selectbox(key="call_out_person").options[0]
    start = pd.Timestamp(app.date_input(key="call_out_from_day").value)
    call_out_form(app, host, start, start + pd.Timedelta(days=1), "flu")
    assert any("Re-planned in " in s.value for s in app.success) and len(runs) == 5
    app.button(key="publish").click().run()
    assert any("published with its assistants" in s.value for s in app.success) and len(runs) == 6
    assert any("Status**  \nPublished · version" in m.value for m in app.markdown)


def test_a_move_a_call_out_and_a_publish_learn_nothing_again_from_the_results(app_store, monkeypatch):
    """Locks, time off and a publish leave hosts, slots and sessions as they are: the week's forecast is kept."""
    import scheduler.studio
    import ui.week_state

    fits, builds = [], []
    fit, build = scheduler.studio.fit_forecast, ui.week_state.week_studio
    monkeypatch.setattr(scheduler.studio, "fit_forecast", lambda *args, **kwargs: fits.append(1) or fit(*args, **kwargs))
    monkeypatch.setattr(ui.week_state, "week_studio", lambda *args, **kwargs: builds.append(1) or build(*args, **kwargs))
    app = planned_page(app_store)
    assert fits == [1]  # the week's, once
    assert len(builds) == 1  # the plan keeps the locks of slots.csv: the week it was planned in is the page's
    next(b for b in app.button if b.label == "Move").click().run()
    open_call_out(app)
    host = app.selectbox(key="call_out_person").options[0]
    start = pd.Timestamp(app.date_input(key="call_out_from_day").value)
    call_out_form(app, host, start, start + pd.Timedelta(days=1), "flu")
    built = len(builds)
    app.button(key="publish").click().run()
    assert any("published with its assistants" in s.value for s in app.success)
    assert fits == [1]
    assert len(builds) == built  # a publish changes no table the week is built from: the page reads it as it was
