"""The app's only door to data: one store per server, cached frames and scorecards, one place that clears caches.

Pages read through these functions and call `invalidate()` after they change anything, so every page
shows the same, current numbers. Computations on the data tables are cached under the store's table
versions (`data_version()`): a result is always labelled with the data it came from, so a computation
that finishes after an import (the warm-up thread's, another session's) can never show old numbers as new,
and an import made by another process (the CLI, a second server) is picked up within a second.
"""
from __future__ import annotations

import io
import tempfile
import threading
import time
import zipfile
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from contract.weeks import week_monday
from metrics import Results, average_curves, sku_velocity, with_keys
from metrics.daily import DailyScorecard, daily_scorecard, restrict
from metrics.settings import ScorecardSettings
from metrics.weekly import WeeklyScorecard, weekly_scorecard
from scheduler import Settings
from store import Store, open_store
from store.kinds import KINDS
from store.settings import StudioSettings
from ui import charts, services

VERSION_CHECK_SECONDS = 1.0  # how stale another process's import may look; our own edits are seen at once


@st.cache_resource(show_spinner=False)
def store() -> Store:
    """Open (and on first run create and seed) the studio's store once per server process."""
    return open_store()


class _VersionMemo:
    """The store's table versions, read at most once a second: pages ask for them on every cached call."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._read_at = -VERSION_CHECK_SECONDS
        self._read_from: Store | None = None
        self._version: tuple = ()

    def get(self) -> tuple:
        current = store()
        with self._lock:
            if current is not self._read_from or time.monotonic() - self._read_at >= VERSION_CHECK_SECONDS:
                address = current.engine.url.render_as_string(hide_password=True)
                self._version = (address, *(current.table_version(kind) for kind in KINDS))
                self._read_at, self._read_from = time.monotonic(), current
            return self._version

    def forget(self) -> None:
        with self._lock:
            self._read_from = None


_versions = _VersionMemo()


def data_version() -> tuple:
    """The store's address and every data table's version: it changes with each import, undo or edit, whoever
    made it, and a result computed on one store is never served for another."""
    return _versions.get()


LAZY_KINDS = ("viewer_minutes",)  # nine rows in ten of the store, read by three pages only


class Tables(dict):
    """The contract tables by file name, as `Store.frames` gives them, except that the LAZY_KINDS are read
    from the store only when a page first asks for them: the pages that never do open without waiting."""

    def __init__(self, version: tuple, eager: dict[str, pd.DataFrame]):
        super().__init__(eager)
        self._version = version
        self._lazy = {KINDS[kind].file: kind for kind in LAZY_KINDS}

    def __missing__(self, file: str) -> pd.DataFrame:
        if file not in self._lazy:
            raise KeyError(file)
        self[file] = frame = _lazy_frame(self._lazy[file], self._version)
        return frame

    def __contains__(self, file: object) -> bool:
        return super().__contains__(file) or file in self._lazy

    def get(self, file: str, default=None):
        return self[file] if file in self else default


@st.cache_data(show_spinner="Loading the studio's data…", max_entries=2)
def _eager_frames(version: tuple) -> dict[str, pd.DataFrame]:
    return store().frames([kind for kind in KINDS if kind not in LAZY_KINDS])


@st.cache_data(show_spinner="Loading viewer minutes…", max_entries=4)
def _lazy_frame(kind: str, version: tuple) -> pd.DataFrame:
    return store().frames([kind])[KINDS[kind].file]


def _frames(version: tuple) -> Tables:
    return Tables(version, _eager_frames(version))


def frames() -> dict:
    """Every contract table as the libraries expect it, read once per data version (see `Tables`)."""
    return _frames(data_version())


@st.cache_data(show_spinner=False)
def studio_settings() -> StudioSettings:
    return store().studio_settings()


def scheduler_settings() -> Settings:
    studio = studio_settings()
    return Settings(time_zone=studio.time_zone, currency=studio.currency)


def scorecard_settings() -> ScorecardSettings:
    studio = studio_settings()
    return ScorecardSettings(currency=studio.currency_symbol, studio_name=studio.studio_name)


def _results(version: tuple) -> Results:
    tables = _frames(version)
    return Results.from_frames(tables["sessions.csv"], tables["sku_sales.csv"], tables.get("viewer_minutes.csv"),
                               tables.get("targets.csv"))


def results() -> Results:
    return _results(data_version())


Filters = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]  # channels, hosts, product tiers


@dataclass(frozen=True)
class ResultsIndex:
    """What the imported results cover, for the scorecards' pickers (oldest first)."""

    dates: list[str]
    weeks: list[str]
    channels: list[str]
    hosts: list[str]

    @property
    def empty(self) -> bool:
        return not self.dates


@st.cache_data(show_spinner=False, max_entries=2)
def _results_index(version: tuple) -> ResultsIndex:
    keyed = with_keys(_frames(version)["sessions.csv"], keys=["date", "week", "channel", "host_id"])
    return ResultsIndex(sorted(keyed["date"].unique().tolist()), sorted(keyed["week"].unique().tolist()),
                        sorted(keyed["channel"].unique().tolist()),
                        sorted(h for h in keyed["host_id"].unique().tolist() if h))


def results_index() -> ResultsIndex:
    return _results_index(data_version())


def host_names() -> dict[str, str]:
    """Host id -> name, for labels."""
    return _host_names(data_version())


def _host_names(version: tuple) -> dict[str, str]:
    hosts = _frames(version)["hosts.csv"]
    return dict(zip(hosts["host_id"], hosts["name"]))


@st.cache_data(show_spinner="Computing the weekly scorecard…", max_entries=16)
def _weekly(week: str, version: tuple, settings: ScorecardSettings) -> WeeklyScorecard:
    return weekly_scorecard(_results(version), week, settings, _frames(version)["hosts.csv"])


def weekly(week: str) -> WeeklyScorecard:
    return _weekly(week, data_version(), scorecard_settings())


def _filtered(filters: Filters, version: tuple) -> Results:
    everything = _results(version)
    channels, hosts, tiers = filters
    if not (channels or hosts or tiers):
        return everything
    keyed = with_keys(everything.sessions, everything.sku_sales, keys=["channel", "host_id", "product_tier"])
    keep = pd.Series(True, index=keyed.index)
    for column, chosen in (("channel", channels), ("host_id", hosts), ("product_tier", tiers)):
        if chosen:
            keep &= keyed[column].isin(chosen)
    return restrict(everything, keep)


@st.cache_data(show_spinner="Computing the daily scorecard…", max_entries=32)
def _daily(date: str, filters: Filters, version: tuple, settings: ScorecardSettings) -> DailyScorecard:
    return daily_scorecard(_filtered(filters, version), date, settings, _frames(version)["hosts.csv"])


def daily(date: str, channels: tuple[str, ...] = (), hosts: tuple[str, ...] = (),
          tiers: tuple[str, ...] = ()) -> DailyScorecard:
    return _daily(date, (channels, hosts, tiers), data_version(), scorecard_settings())


@st.cache_data(show_spinner="Computing retention and SKU velocity…", max_entries=32)
def _day_detail(date: str, filters: Filters, version: tuple) -> tuple[pd.DataFrame | None, pd.DataFrame]:
    chosen = _filtered(filters, version)
    day = restrict(chosen, with_keys(chosen.sessions, keys=["date"])["date"] == date)
    curves = None
    if day.viewer_minutes is not None and len(day.viewer_minutes):
        curves = average_curves(day.viewer_minutes, day.sessions, by="host_id")
    return curves, sku_velocity(day.sessions, day.sku_sales, by=["date"])


def day_detail(date: str, channels: tuple[str, ...] = (), hosts: tuple[str, ...] = (),
               tiers: tuple[str, ...] = ()) -> tuple[pd.DataFrame | None, pd.DataFrame]:
    """The day's mean retention curve per host (None without viewer minutes) and its SKU velocity."""
    return _day_detail(date, (channels, hosts, tiers), data_version())


@st.cache_resource(show_spinner=False, max_entries=16)
def _weekly_figures(week: str, version: tuple, settings: ScorecardSettings) -> charts.WeeklyFigures:
    return charts.weekly_figures(_weekly(week, version, settings), settings)


def weekly_figures(week: str) -> charts.WeeklyFigures:
    """The weekly scorecard's charts, built once per week and data version (plotly figures take a while)."""
    return _weekly_figures(week, data_version(), scorecard_settings())


@st.cache_resource(show_spinner=False, max_entries=64)
def _weekly_trend(week: str, metric: str, version: tuple, settings: ScorecardSettings) -> go.Figure:
    return charts.weekly_trend(_weekly(week, version, settings), metric, settings)


def weekly_trend(week: str, metric: str) -> go.Figure:
    """One KPI's trend up to the week, with its target (shared: draw it, never change it)."""
    return _weekly_trend(week, metric, data_version(), scorecard_settings())


@st.cache_resource(show_spinner=False, max_entries=32)
def _daily_figures(date: str, filters: Filters, version: tuple,
                   settings: ScorecardSettings) -> charts.DailyFigures:
    names = _host_names(version)
    curves, _ = _day_detail(date, filters, version)
    return charts.daily_figures(_daily(date, filters, version, settings), curves, names, settings)


def daily_figures(date: str, channels: tuple[str, ...] = (), hosts: tuple[str, ...] = (),
                  tiers: tuple[str, ...] = ()) -> charts.DailyFigures:
    """The daily scorecard's charts for the day and filters, built once per data version."""
    return _daily_figures(date, (channels, hosts, tiers), data_version(), scorecard_settings())


@st.cache_resource(show_spinner=False, max_entries=16)
def _availability_figure(week: str, chosen: tuple[str, ...], version: tuple) -> go.Figure | None:
    week_frame = services.availability_week(_frames(version), week)
    if chosen:
        week_frame = week_frame[week_frame["host_id"].isin(chosen)]
    return charts.availability_week(week_frame, _host_names(version), week_monday(week))


def availability_figure(week: str, chosen: tuple[str, ...] = ()) -> go.Figure | None:
    """The Roster page's week: each chosen host's (everyone's when none) availability, once per data version."""
    return _availability_figure(week, chosen, data_version())


def export_zip(source: Store | None = None) -> bytes:
    """Every table as the contract's CSV files, zipped (formula-like text neutralised).

    Built when someone asks for it (a download button's callable, run outside the page script), never on render.
    """
    with tempfile.TemporaryDirectory() as folder:
        written = (source or store()).export_all(folder)
        bundle = io.BytesIO()
        with zipfile.ZipFile(bundle, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in written:
                archive.write(path, path.name)
    return bundle.getvalue()


def invalidate() -> None:
    """Call after an import, an undo or an edit: every cached table and computation is read again."""
    _versions.forget()
    st.cache_data.clear()
