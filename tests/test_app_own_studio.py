"""Settings → Start your own studio through AppTest: what goes is listed, nothing goes without the tick, the
clear leaves an empty studio with its new name, and Undo puts the sample back."""
from __future__ import annotations

from test_app import all_text, open_page

from store import open_store


def _click(app, label: str):
    next(b for b in app.button if b.label == label).click().run()
    assert not app.exception, app.exception


def test_the_sample_is_cleared_and_put_back_from_the_settings_page(app_store):
    store = open_store(f"sqlite:///{app_store}")
    hosts = len(store.tables(["hosts"]).hosts)
    app = open_page("settings")
    assert "Start your own studio" in [h.value for h in app.subheader]
    assert f"hosts {hosts:,}" in all_text(app)
    app.text_input(key="own_studio_name").input("GlowLab Live")
    _click(app, "Clear and start my studio")
    assert [e.value for e in app.error] == ["Tick “Clear every row listed above” first: nothing was cleared."]
    assert len(store.tables(["hosts"]).hosts) == hosts

    app.checkbox(key="own_studio_sure").check()
    _click(app, "Clear and start my studio")
    assert len(store.tables(["hosts"]).hosts) == 0 and store.published_schedules().empty
    assert store.studio_settings().studio_name == "GlowLab Live"
    assert any(s.value.startswith("Your studio starts empty") for s in app.success)

    _click(app, "Undo: put the cleared rows back")
    assert len(store.tables(["hosts"]).hosts) == hosts and not store.published_schedules().empty
    assert "Undo: put the cleared rows back" not in [b.label for b in app.button]
    store.engine.dispose()


def test_every_page_of_a_cleared_studio_says_what_to_do(app_store):
    store = open_store(f"sqlite:///{app_store}")
    store.start_own_studio("Mine", "ana")
    store.engine.dispose()
    for page in ("schedule", "roster", "calendar", "daily", "weekly", "payroll", "data", "settings"):
        app = open_page(page)
        assert not app.exception, (page, app.exception)
    app = open_page("schedule")
    assert any(e.label.startswith("First run: 1 of 5 steps done") for e in app.expander)


def test_the_calendar_page_of_the_sample_points_to_starting_your_own(app_store):
    app = open_page("calendar")
    assert not app.exception, app.exception
    links = [e.proto.label for e in app.get("page_link")]
    assert "Start your own studio" in links  # the sample keeps its default name, so the checklist is open
