"""Warm-up: compute what the pages will ask for in a background thread, so a first visit reads a cache.

The scorecards take about a second each to compute on the sample studio; done while the person reads the
first page, switching pages then takes only the time to draw them. The work goes through the same cached
functions as the pages (Streamlit's caches are shared by every thread and session of the server, and a page
asking for a value being computed waits for it instead of computing it twice). It runs once per data version
and studio settings, so after an import the next page run warms the new data. Between its steps it waits
while a page is running (`page_running`) and while the browser draws what it sent: with two cores and one
interpreter lock, a click comes first.
"""
from __future__ import annotations

import ast
import gc
import importlib
import logging
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import streamlit as st
from streamlit import config

from contract.weeks import week_days
from metrics.settings import ScorecardSettings
from ui import services, state, week_state

THREAD_NAME = "dashboard-warm-up"
FIRST_PAGE = Path(__file__).resolve().parent / "pages" / "schedule.py"  # where the app opens for most people
_log = logging.getLogger(__name__)


STEP_WAIT_SECONDS = 30.0  # the longest the warm-up waits for pages to finish before it goes on anyway
DRAWING_SECONDS = 0.5  # after a page's script ends, the browser still receives and draws what it sent


class _PageGate:
    """Counts the page scripts running now; the warm-up waits for none, and for the browser to have drawn the last
    one, before each step."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running = 0
        self._idle = threading.Event()
        self._idle.set()
        self._ended = 0.0  # time.monotonic() when the last page ended

    @contextmanager
    def running(self) -> Iterator[None]:
        with self._lock:
            self._running += 1
            self._idle.clear()
        try:
            yield
        finally:
            with self._lock:
                self._running -= 1
                self._ended = time.monotonic()
                if not self._running:
                    self._idle.set()

    def wait_idle(self) -> None:
        deadline = time.monotonic() + STEP_WAIT_SECONDS
        while self._idle.wait(max(deadline - time.monotonic(), 0)):
            drawing = min(self._ended + DRAWING_SECONDS, deadline) - time.monotonic()
            if drawing <= 0:
                return
            time.sleep(drawing)


_pages = _PageGate()
page_running = _pages.running  # app.py runs every page inside it


class _QuietInWarmUp(logging.Filter):
    """Streamlit warns when a cached function runs outside a page script; in the warm-up that is the point."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.threadName != THREAD_NAME


logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").addFilter(_QuietInWarmUp())


def enabled() -> bool:
    """STUDIO_WARM_UP=on or off decides; unset, the warm-up runs under a real server but not in AppTest runs,
    where it would only compete with the tests for CPU."""
    chosen = os.environ.get("STUDIO_WARM_UP", "").lower()
    if chosen in {"on", "1", "true"}:
        return True
    if chosen in {"off", "0", "false"}:
        return False
    return not config.get_option("global.appTest")  # through the module: AppTest patches config.get_option


def start() -> None:
    """Warm the caches for the current data in the background (at most one thread per data version).

    Never raises: app.py calls it after every run, also one ending in a rerun or an error, which must stay
    the page's own.
    """
    if not enabled():
        return
    try:
        _thread_for(state.data_version(), state.scorecard_settings())
    except Exception:
        _log.warning("could not start warming the dashboard's caches", exc_info=True)


@st.cache_resource(show_spinner=False, max_entries=1)
def _thread_for(version: tuple, settings: ScorecardSettings) -> threading.Thread:
    thread = threading.Thread(target=warm, args=(version,), name=THREAD_NAME, daemon=True)
    thread.start()
    return thread


def warm_start() -> None:
    """At server start (app.py's lifespan), before anyone opens a page: in the background, import what the first
    page imports, read the store and build the week the Schedule page opens on, so the first visit reads caches."""
    if enabled():
        threading.Thread(target=_first_page, name=THREAD_NAME, daemon=True).start()


def _first_page() -> None:
    try:
        for module in _imports_of(FIRST_PAGE):
            try:
                importlib.import_module(module)
            except ImportError:  # `from package import name` where the name is no module
                pass
        weeks = services.slot_weeks(state.frames().slots)
        if weeks:
            week, store = weeks[-1], state.store()
            working = store.schedule(week, "draft") or store.schedule(week, "published")
            saved, key = (working[1] if working else None), week_state.schedule_key(working)
            if saved is not None:
                week_state.plan(week, key, saved)  # and so the week's studio
            week_state.calendar(week, key, saved, "channel")
    except Exception:  # the page computes it again and shows the problem
        _log.warning("warming the first page failed", exc_info=True)
    _hold_for_good()


def _hold_for_good() -> None:
    """Leave what the server holds from now on (modules, the store, the first week) out of every later garbage
    collection: a full one otherwise walks those millions of objects again, in the middle of someone's click."""
    gc.collect()
    gc.freeze()


def _imports_of(page: Path) -> list[str]:
    """The modules a page script imports at its top, and the names it imports from them, which may be modules
    too, read from its source (a page is run, never imported)."""
    found = []
    for node in ast.parse(page.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found += [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
    return found


def warm(version: tuple) -> None:
    """What the pages open on, one short step at a time, each after the pages running now have finished: a page
    opened meanwhile shares the interpreter with at most the rest of one step. Warming `version` of the data, it
    stops once the data has moved on (time off recorded, a publish): the next page run warms the new version."""
    try:
        for step in (_roster_week, _viewer_minutes, _day_forecast, _latest_day, _latest_day_figures, _latest_week,
                     _latest_week_figures, _latest_pay, _opening_run_of_show, _effects_over_time):
            _pages.wait_idle()
            if state.data_version() != version:
                return
            step()
    except Exception:  # the page that needs the value computes it again and shows the problem
        _log.warning("warming the dashboard's caches failed", exc_info=True)


def _roster_week() -> None:
    planned = services.slot_weeks(state.frames().slots)
    if planned:
        state.availability_week(planned[-1])


def _viewer_minutes() -> None:
    state.viewer_minutes()  # the largest table, which the daily scorecard's retention reads


def _latest_date() -> str | None:
    index = state.results_index()
    return None if index.empty else index.dates[-1]


def _day_forecast() -> None:
    if day := _latest_date():
        state.forecast_before_day(day)


def _latest_day() -> None:
    if day := _latest_date():
        state.daily(day)
        state.day_detail(day)


def _latest_day_figures() -> None:
    if day := _latest_date():
        state.daily_figures(day)


def _latest_week_label() -> str | None:
    index = state.results_index()
    return None if index.empty else index.weeks[-1]


def _latest_week() -> None:
    if week := _latest_week_label():
        state.weekly(week)


def _latest_week_figures() -> None:
    if week := _latest_week_label():
        state.weekly_figures(week)
        state.weekly_trend(week, state.weekly(week).headline()["metric"].iloc[0])  # the page opens on this KPI


def _latest_pay() -> None:
    from ui import workflow_state  # here, in the thread: the first page does not wait for the workflows library

    weeks = workflow_state.published_weeks()
    if weeks:
        workflow_state.timesheet_and_pay(*week_days(weeks[-1]), "scheduled")


def _effects_over_time() -> None:
    from ui.components import effect_chart  # here, in the thread: the roster opens without the forecast's refits

    effect_chart.effect_history()


def _opening_run_of_show() -> None:
    from ui import workflow_state

    days = workflow_state.published_days()
    if days:
        day = workflow_state.opening_day(days)
        workflow_state.shows(day)
        workflow_state.day_crew(day)
