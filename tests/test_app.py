"""Every dashboard page through Streamlit's AppTest: it renders, its numbers are the libraries', errors are messages."""
from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from metrics import load_results
from metrics.settings import ScorecardSettings
from metrics.weekly import weekly_scorecard
from tests.conftest import ROOT, SAMPLE

PAGES = ["schedule", "roster", "daily", "weekly", "payroll", "run_of_show", "clips", "data", "settings"]


def open_page(name: str) -> AppTest:
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    app.run()
    if name != "schedule":
        app.switch_page(f"ui/pages/{name}.py")
        app.run()
    return app


def all_text(app: AppTest) -> str:
    parts = [m.value for m in app.markdown] + [m.value for m in app.caption] + [t.value for t in app.title]
    parts += [m.value for m in app.success] + [m.value for m in app.info] + [m.value for m in app.error]
    return "\n".join(parts)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_without_an_exception(app_store, page):
    app = open_page(page)
    assert not app.exception, f"{page}: {app.exception}"
    assert not app.error, f"{page}: {[e.value for e in app.error]}"


def test_weekly_tiles_show_the_library_figures(app_store):
    app = open_page("weekly")
    week = app.selectbox(key="weekly_week").value
    settings = ScorecardSettings(currency="$", studio_name="x")
    card = weekly_scorecard(load_results(SAMPLE), week, settings)
    gmv = card.kpis.set_index("metric").at["gmv", "actual"]
    assert settings.money(gmv) in all_text(app)
    assert any(b.label.startswith("Download the report") for b in app.get("download_button"))


def test_daily_filters_change_the_numbers(app_store):
    app = open_page("daily")
    everything = all_text(app)
    channels = app.multiselect(key="daily_channels")
    channels.set_value([channels.options[0]]).run()
    assert not app.exception
    assert all_text(app) != everything


def test_planning_the_week_saves_a_draft_that_breaks_no_rule(app_store):
    from scheduler import check_assignments
    from store import open_store
    from store.week import week_studio

    app = open_page("schedule")
    app.slider(key="time_budget").set_value(5)
    app.button(key="plan_week").click().run()
    assert not app.exception
    assert any("Planned" in s.value for s in app.success)
    store = open_store(f"sqlite:///{app_store}")
    week = app.selectbox(key="schedule_week").value
    meta, saved = store.schedule(week, "draft")
    frames = store.tables()
    studio = week_studio(frames, week, saved, __import__("scheduler").Settings())
    assert check_assignments(studio, saved[saved["host_id"] != ""]) == []
    assert "Plan summary" in [s.value for s in app.subheader]


def test_a_bad_upload_lists_every_rejected_row_and_changes_nothing(app_store, tmp_path):
    from store import open_store

    before = open_store(f"sqlite:///{app_store}").tables(["targets"]).targets
    app = open_page("data")
    bad = b"metric,target\ngmv,lots\nconversion_rate,0.03\ngmv,5\n"
    app.file_uploader(key="contract_upload").upload("targets.csv", bad, "text/csv").run()
    assert not app.exception
    assert any("cannot be imported" in e.value for e in app.error)
    problems = [d.value for d in app.dataframe if "why" in d.value.columns][0]
    assert set(problems["row"]) == {2, 4}
    after = open_store(f"sqlite:///{app_store}").tables(["targets"]).targets
    pd.testing.assert_frame_equal(before, after)


def test_a_weekly_template_upload_is_recognised_and_imported(app_store):
    from store import open_store

    app = open_page("data")
    template = b"host_id,weekday,start,end\nH001,Tue,09:00,13:00\n"
    app.file_uploader(key="contract_upload").upload("availability_template.csv", template, "text/csv").run()
    assert app.selectbox(key="contract_kind").value == "availability_template"
    assert "availability_exceptions" in app.selectbox(key="contract_kind").options
    app.button(key="import_contract").click().run()
    assert not app.exception and not app.error
    saved = open_store(f"sqlite:///{app_store}").tables(["availability_template"]).availability_template
    assert ((saved["host_id"] == "H001") & (saved["weekday"] == "Tue") & (saved["start"] == "09:00")).any()


def signed_in_app(app_store, monkeypatch, username: str, role: str, password: str = "s3cret-pass") -> AppTest:
    from store import open_store

    open_store(f"sqlite:///{app_store}").users.add_user(username, role, password)
    monkeypatch.setenv("STUDIO_SIGN_IN", "on")
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    app.run()
    return app


def test_nothing_opens_without_sign_in_and_a_wrong_password_is_refused(app_store, monkeypatch):
    app = signed_in_app(app_store, monkeypatch, "ana", "associate")
    assert [b.label for b in app.button] == ["Sign in"] and app.get("download_button") == []
    assert app.title[0].value == "Livestream Ops" and len(app.subheader) == 0 and not app.dataframe
    app.text_input(key="sign_in_user").set_value("ana")
    app.text_input(key="sign_in_password").set_value("wrong")
    app.button[0].click().run()
    assert any("do not match" in e.value for e in app.error)
    assert not app.exception


def test_leadership_reads_but_cannot_plan(app_store, monkeypatch):
    app = signed_in_app(app_store, monkeypatch, "lee", "leadership")
    app.text_input(key="sign_in_user").set_value("lee")
    app.text_input(key="sign_in_password").set_value("s3cret-pass")
    app.button[0].click().run()
    assert not app.exception
    assert app.title[0].value == "Weekly scorecard"
    app.switch_page("ui/pages/schedule.py")
    app.run()
    assert app.button(key="plan_week").disabled


def test_the_warm_up_computes_the_scorecards_before_their_pages_open(app_store, monkeypatch):
    import threading

    import ui.services
    import ui.state
    import ui.workflow_state
    from ui import warmup

    monkeypatch.setenv("STUDIO_WARM_UP", "on")
    open_page("schedule")
    for thread in [t for t in threading.enumerate() if t.name == warmup.THREAD_NAME]:
        thread.join(timeout=120)

    def not_again(*args, **kwargs):
        raise AssertionError("computed on the page: the warm-up should have done it")

    monkeypatch.setattr(ui.state, "weekly_scorecard", not_again)
    monkeypatch.setattr(ui.state, "daily_scorecard", not_again)
    monkeypatch.setattr(ui.workflow_state, "timesheet", not_again)
    monkeypatch.setattr(ui.workflow_state, "run_of_show", not_again)
    monkeypatch.setattr(ui.services, "availability_windows", not_again)
    for page in ("weekly", "daily"):
        app = open_page(page)
        assert not app.exception, f"{page}: {app.exception}"
        assert len(app.get("plotly_chart")) >= 2
    for page in ("payroll", "run_of_show", "roster"):  # the week's pay, the day's shows, the roster's week
        app = open_page(page)
        assert not app.exception and not app.error, f"{page}: {app.exception or app.error}"


def test_the_warm_up_waits_between_steps_while_a_page_runs():
    import threading

    from ui.warmup import _PageGate

    gate, resumed = _PageGate(), threading.Event()
    waiter = threading.Thread(target=lambda: (gate.wait_idle(), resumed.set()))
    with gate.running(), gate.running():  # two sessions' pages
        waiter.start()
        assert not resumed.wait(0.3)
    assert resumed.wait(5)
    waiter.join()


def test_the_warm_up_lets_the_browser_draw_the_page_that_just_ended():
    import time

    from ui.warmup import DRAWING_SECONDS, _PageGate

    gate = _PageGate()
    begin = time.monotonic()
    gate.wait_idle()
    assert time.monotonic() - begin < DRAWING_SECONDS / 2  # no page yet: no wait
    with gate.running():
        pass
    ended = time.monotonic()
    gate.wait_idle()
    assert time.monotonic() - ended >= DRAWING_SECONDS


def test_no_page_leaves_a_bare_value_for_streamlit_magic_to_draw():
    """Magic is off (.streamlit/config.toml): a value left as a statement of its own would silently not show."""
    import ast
    import tomllib

    assert tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())["runner"]["magicEnabled"] is False
    for script in [ROOT / "app.py", *sorted((ROOT / "ui" / "pages").glob("*.py"))]:
        tree = ast.parse(script.read_text(encoding="utf-8"))
        bare = [node.lineno for node in ast.walk(tree) if isinstance(node, ast.Expr)
                and not isinstance(node.value, (ast.Call, ast.Await))
                and not (isinstance(node.value, ast.Constant) and isinstance(node.value.value, str))]
        assert bare == [], f"{script.name}: a bare value on line(s) {bare}"


def test_a_warm_up_stops_once_the_data_it_warms_has_changed(monkeypatch):
    from ui import state, warmup

    steps = ("_roster_week", "_viewer_minutes", "_day_forecast", "_latest_day", "_latest_day_figures", "_latest_week",
             "_latest_week_figures", "_latest_pay", "_opening_run_of_show", "_effects_over_time")
    ran = []
    for name in steps:
        monkeypatch.setattr(warmup, name, lambda name=name: ran.append(name))
    versions = iter([("v1",), ("v1",), ("v2",)])  # time off is recorded while the second step runs
    monkeypatch.setattr(state, "data_version", lambda: next(versions))
    warmup.warm(("v1",))
    assert ran == ["_roster_week", "_viewer_minutes"]


def test_the_start_up_warm_up_leaves_what_it_built_out_of_later_garbage_collections(app_store):
    import gc

    from ui import warmup

    gc.unfreeze()
    try:
        warmup._first_page()
        assert gc.get_freeze_count() > 100_000  # the modules, the store and the week it built
    finally:
        gc.unfreeze()


def test_no_download_is_built_while_a_page_renders(app_store, monkeypatch):
    from metrics import export
    from store import Store

    def refuse(*args, **kwargs):
        raise AssertionError("a download was built on render")

    monkeypatch.setattr(Store, "export_all", refuse)
    monkeypatch.setattr(export, "weekly_html", refuse)
    for page in ("data", "weekly"):
        app = open_page(page)
        assert not app.exception, f"{page}: {app.exception}"
        assert app.get("download_button")


def test_the_export_zip_holds_every_contract_file(app_store):
    import io
    import zipfile

    from store import open_store
    from ui.state import export_zip

    names = zipfile.ZipFile(io.BytesIO(export_zip(open_store(f"sqlite:///{app_store}")))).namelist()
    assert {"hosts.csv", "sessions.csv", "sku_sales.csv", "slots.csv", "targets.csv"} <= set(names)


def test_an_import_by_another_process_shows_without_a_restart(app_store, monkeypatch):
    import ui.cache
    from store import open_store

    monkeypatch.setattr(ui.cache, "VERSION_CHECK_SECONDS", 0.0)
    app = open_page("weekly")
    week = app.selectbox(key="weekly_week").value
    before = all_text(app)
    targets = open_store(f"sqlite:///{app_store}").tables(["targets"]).targets
    raised = targets.assign(target=targets["target"].where(targets["metric"] != "gmv", 999_999.0))
    open_store(f"sqlite:///{app_store}").import_file(raised.to_csv(index=False).encode(), "targets", "targets.csv")
    app.run()
    assert not app.exception
    assert app.selectbox(key="weekly_week").value == week
    assert "target $999,999" in all_text(app) and "target $999,999" not in before


def test_the_scorecards_tell_a_studio_without_results_what_to_import(tmp_path, monkeypatch):
    import streamlit as st

    from store import open_store

    path = tmp_path / "new.db"
    open_store(f"sqlite:///{path}").import_file(SAMPLE / "hosts.csv", "hosts", "hosts.csv")
    monkeypatch.setenv("STUDIO_DB_PATH", str(path))
    monkeypatch.setenv("STUDIO_SIGN_IN", "off")
    st.cache_resource.clear()
    st.cache_data.clear()
    try:
        for page in ("daily", "weekly"):
            app = open_page(page)
            assert not app.exception, f"{page}: {app.exception}"
            assert "No results yet" in all_text(app) and "Data page" in all_text(app)
            assert not app.get("plotly_chart") and not app.selectbox
    finally:
        st.cache_resource.clear()
        st.cache_data.clear()
