"""Text from data (host names, the studio's name) is shown as written on every page: never an image, a link
or HTML that the browser would fetch or draw."""
from __future__ import annotations

import json
from dataclasses import replace

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from ui.theme import plain

IMAGE = "![b](http://127.0.0.1:8999/x.png)"
TAG = "<img src=x onerror=alert(1)>"
STUDIO = "**Loud** [site](http://127.0.0.1:8999/s) ![i](http://127.0.0.1:8999/i.png)"
PAGES = ["schedule", "roster", "daily", "weekly", "payroll", "run_of_show", "clips", "data", "settings"]
RAW = ["![b](", "![i](", "<img", "[site](", "**Loud**"]


def inject_names(url: str) -> None:
    """Two hosts named like an attack (an image, an HTML tag) and a studio name written in markdown."""
    from store import open_store

    store = open_store(url)
    hosts = store.tables(["hosts"]).hosts
    hosts.loc[hosts.index[0], "name"] = IMAGE
    hosts.loc[hosts.index[1], "name"] = TAG
    store.save_table("hosts", hosts, "test", expected_version=store.table_version("hosts"))
    store.save_studio_settings(replace(store.studio_settings(), studio_name=STUDIO), "test")
    store.engine.dispose()


def _markdown(app: AppTest) -> list[str]:
    """Everything Streamlit draws as markdown on the page and in the sidebar."""
    return [e.value for kind in ("markdown", "caption", "info", "warning", "error", "success")
            for e in list(app.get(kind)) + list(app.sidebar.get(kind))]


def _charts(app: AppTest) -> list[str]:
    """Every plotly figure of the page, as plotly.js receives it (plotly draws some HTML, no markdown)."""
    return [json.dumps(json.loads(chart.proto.spec), ensure_ascii=False) for chart in app.get("plotly_chart")]


@pytest.fixture
def hostile_store(app_store):
    inject_names(f"sqlite:///{app_store}")
    return app_store


def test_no_page_draws_a_name_from_data_as_markdown_or_html(hostile_store):
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    app.run()
    seen = []
    for page in PAGES:
        if page != "schedule":
            app.switch_page(f"ui/pages/{page}.py")
            app.run()
        assert not app.exception, f"{page}: {app.exception}"
        bodies, charts = _markdown(app), _charts(app)
        assert f"**{plain(STUDIO)}**" in [m.value for m in app.sidebar.markdown], page
        for raw in RAW:  # markdown inside one HTML block (no blank line) is not parsed: only "<img" counts there
            drawn = [b for b in bodies if raw in b and (raw == "<img" or not b.startswith("<") or "\n\n" in b)]
            assert not drawn, f"{page} draws {raw!r}"
        assert not [c for c in charts if "<img" in c or "<a " in c], f"{page} charts draw a tag"
        seen += bodies + charts
    everything = "\n".join(seen)
    assert f"{plain(STUDIO)} · " in everything  # the weekly scorecard's caption
    assert "&lt;img src=x onerror=alert(1)&gt;" in everything and IMAGE in everything  # charts and run-of-show cards


def test_plain_escapes_what_markdown_would_draw():
    assert plain(IMAGE) == "\\!\\[b\\](http:\u2060//127.0.0.1:8999/x.png)"
    assert plain(TAG) == "\\<img src=x onerror=alert(1)\\>"
    assert plain("$5 a_b *c* `d` ~e~ #f |g| &amp;") == "\\$5 a\\_b \\*c\\* \\`d\\` \\~e\\~ \\#f \\|g\\| \\&amp;"
