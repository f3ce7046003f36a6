"""A new studio's first run: the checklist ticked from the store, on the Calendar page of an empty store, and a
new empty studio planned end to end (init --empty, show templates, the week's slots, hosts, availability
template, solve)."""
from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest
from test_calendar import TEMPLATES
from test_store import import_text, sqlite_url

from contract.folder import StudioTables
from scheduler import Settings, solve
from store import open_store
from store.calendar import make_week
from store.cli import main as store_main
from store.week import plan_rows, week_studio
from tests.conftest import ROOT
from workflows.first_run import first_run_steps

HOSTS = ("host_id,name,tier,categories,languages,hourly_rate,max_hours_per_week\n"
         "H1,Ana Ruiz,A,beauty|skincare,en,20,40\nH2,Bo Li,A,home|kitchen,en|es,20,40\n")
AVAILABILITY = "host_id,weekday,start,end\nH1,Tue,18:00,23:00\nH1,Mon,09:00,13:00\nH2,Tue,22:00,02:00\nH2,Sun,22:00,02:00\n"


def test_each_step_is_ticked_from_what_the_tables_hold():
    empty = StudioTables(**{name: pd.DataFrame({"start": pd.Series(dtype="datetime64[us]")})
                            for name in ("hosts", "availability", "availability_template", "slots", "show_templates")})
    steps = first_run_steps(empty, "Sample Studio", set())
    assert [s.done for s in steps] == [False] * 5
    assert [s.page for s in steps] == ["ui/pages/settings.py", "ui/pages/calendar.py", "ui/pages/roster.py",
                                       "ui/pages/roster.py", "ui/pages/schedule.py"]
    slots = pd.DataFrame({"start": [pd.Timestamp("2026-12-08 19:00")]})
    filled = StudioTables(hosts=pd.DataFrame({"host_id": ["H1"]}), availability=empty.availability,
                          availability_template=pd.DataFrame({"host_id": ["H1"]}), slots=slots,
                          show_templates=empty.show_templates)
    assert [s.done for s in first_run_steps(filled, "Nova Live", {"2026-W49"})] == [True, True, True, True, False]
    assert first_run_steps(filled, "Nova Live", {"2026-W50"})[-1].done


def test_a_new_empty_studio_is_planned_end_to_end(tmp_path):
    url = sqlite_url(tmp_path)
    assert store_main(["--url", url, "init", "--empty", "--name", "Nova Live", "--user", "mai"]) == 0
    store = open_store(url)
    import_text(store, "show_templates", TEMPLATES.replace("Mon|Wed", "Mon"), "show_templates.csv")
    assert make_week(store, "2026-W50", "mai", 0, Settings()) == 1
    import_text(store, "hosts", HOSTS, "hosts.csv")
    import_text(store, "availability_template", AVAILABILITY, "availability_template.csv")
    tables = store.tables()
    studio = week_studio(tables, "2026-W50", None, Settings())
    plan = solve(studio, Settings(), time_limit=5)
    rows = plan_rows(plan, studio)
    store.save_schedule("2026-W50", rows, "mai", status="published")
    assert dict(zip(rows["slot_id"], rows["host_id"])) == {
        "2026-W50-GLB-MON-1000": "H1", "2026-W50-GLB-TUE-1900": "H1", "2026-W50-HNL-TUE-2230": "H2",
        "2026-W50-HNL-SUN-2300": "H2"}
    steps = first_run_steps(store.tables(), store.studio_settings().studio_name,
                            set(store.published_schedules()["week"]))
    assert all(step.done for step in steps)


@pytest.fixture
def empty_app_store(tmp_path, monkeypatch):
    import streamlit as st

    path = tmp_path / "studio.db"
    assert store_main(["--url", f"sqlite:///{path}", "init", "--empty", "--name", "Nova Live"]) == 0
    monkeypatch.setenv("STUDIO_DB_PATH", str(path))
    monkeypatch.delenv("STUDIO_DATABASE_URL", raising=False)
    monkeypatch.setenv("STUDIO_SIGN_IN", "off")
    monkeypatch.setenv("STUDIO_WARM_UP", "off")
    st.cache_resource.clear()
    st.cache_data.clear()
    yield path
    st.cache_resource.clear()
    st.cache_data.clear()


def test_the_calendar_page_of_an_empty_store_shows_the_checklist_and_what_to_do(empty_app_store):
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    app.switch_page("ui/pages/calendar.py")
    app.run()
    assert not app.exception
    assert app.expander[0].label == "First run: 1 of 5 steps done"
    text = "\n".join(m.value for m in app.markdown)
    assert "1. Name the studio, its time zone and currency" in text
    assert "Start your own studio." not in text  # a store started empty holds no sample to clear
    assert "No show templates yet" in text and "No shows in this week yet" in text
    assert "No results to learn from yet" in text
    assert not app.code
    app.switch_page("ui/pages/schedule.py")
    app.run()
    assert not app.exception and app.expander[0].label == "First run: 1 of 5 steps done"
