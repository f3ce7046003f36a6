"""Warm-up: compute what the pages will ask for in a background thread, so a first visit reads a cache.

The scorecards take about a second each to compute on the sample studio; done while the person reads the
first page, switching pages then takes only the time to draw them. The work goes through the same cached
functions as the pages (Streamlit's caches are shared by every thread and session of the server, and a page
asking for a value being computed waits for it instead of computing it twice). It runs once per data version
and studio settings, so after an import the next page run warms the new data.
"""
from __future__ import annotations

import logging
import os
import threading

import streamlit as st
from streamlit import config

from metrics.settings import ScorecardSettings
from ui import services, state

THREAD_NAME = "dashboard-warm-up"
_log = logging.getLogger(__name__)


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
    thread = threading.Thread(target=warm, name=THREAD_NAME, daemon=True)
    thread.start()
    return thread


def warm() -> None:
    """What the pages open on: the Roster page's week, the latest day and week's scorecards, the latest
    published week's pay and the run-of-show's opening day."""
    try:
        from ui import workflow_state  # here, in the thread: the first page does not wait for the workflows library

        planned = services.slot_weeks(state.frames()["slots.csv"])
        if planned:
            state.availability_figure(planned[-1])  # the Roster page's week
        index = state.results_index()
        if not index.empty:
            state.daily_figures(index.dates[-1])  # and so the day's scorecard, retention and SKU velocity
            week = index.weeks[-1]
            state.weekly_figures(week)  # and so the week's scorecard
            state.weekly_trend(week, state.weekly(week).headline()["metric"].iloc[0])  # the page opens on this KPI
        weeks = workflow_state.published_weeks()
        if weeks:
            workflow_state.timesheet_and_pay(*services.week_days(weeks[-1]), "scheduled")
        days = workflow_state.published_days()
        if days:
            day = workflow_state.opening_day(days)
            workflow_state.shows(day)
            workflow_state.day_crew(day)
    except Exception:  # the page that needs the value computes it again and shows the problem
        _log.warning("warming the dashboard's caches failed", exc_info=True)
