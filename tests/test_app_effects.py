"""The Roster page's chart of each host's effect over time (AppTest): the most streamed hosts drawn at first, each
with its weekly effect and interval as the forecast judged them at each week's end."""
from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from forecast.over_time import effects_over_time
from store import open_store
from tests.conftest import ROOT


@pytest.fixture(autouse=True)
def no_warm_up(monkeypatch):
    monkeypatch.setenv("STUDIO_WARM_UP", "off")


def effect_traces(app: AppTest) -> list[dict]:
    charts = [json.loads(chart.proto.spec) for chart in app.get("plotly_chart")]
    figure = next(c for c in charts if c["layout"].get("yaxis", {}).get("title", {}).get("text") == "effect (×)")
    return [trace for trace in figure["data"] if trace.get("mode") == "lines+markers"]


def test_the_roster_draws_each_picked_hosts_effect_week_by_week(app_store):
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    app.switch_page("ui/pages/roster.py")
    app.run()
    assert not app.exception, app.exception
    assert app.get("plotly_chart") == [] or not any(  # off until asked for: the refits take seconds
        "effect (×)" in chart.proto.spec for chart in app.get("plotly_chart"))
    app.toggle(key="effect_over_time").set_value(True).run()
    tables = open_store(f"sqlite:///{app_store}").tables()
    history = effects_over_time(tables.sessions, tables.hosts, tables.slots)
    latest = history.loc[history["week"] == history["week"].max()].sort_values("sessions", ascending=False)
    picker = app.multiselect(key="effect_hosts")
    assert picker.value == latest["host_id"][:5].tolist()
    assert len(effect_traces(app)) == 5

    host_id = latest["host_id"].iloc[-1]
    picker.set_value([host_id]).run()
    assert not app.exception
    (trace,) = effect_traces(app)
    mine = history.loc[history["host_id"] == host_id]
    assert trace["x"] == mine["week"].tolist()
    assert trace["y"] == pytest.approx(mine["effect"].tolist())
    assert trace["name"].endswith(f"({host_id})")
