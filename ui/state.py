"""The app's only door to data: one store per server, cached frames and scorecards, one place that clears caches.

Pages read through these functions and call `invalidate()` after they change anything, so every page
shows the same, current numbers. Computations are cached under the store's table versions (see ui.cache).
"""
from __future__ import annotations

import hashlib
import io
import tempfile
import zipfile
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from contract.folder import StudioTables
from contract.weeks import week_monday
from forecast import Forecast
from metrics import Results, average_curves, sku_velocity, with_keys
from metrics.daily import DailyScorecard, daily_scorecard, restrict
from metrics.effects import forecast_before
from metrics.settings import ScorecardSettings
from metrics.weekly import WeeklyScorecard, weekly_scorecard
from scheduler import Settings
from store import ImportReport, Store
from store.kinds import KINDS
from store.week import scheduler_settings as settings_for_studio
from ui import charts, services
from ui.availability_week import availability_html, availability_layout
from ui.cache import (
    DATA_TABLES,
    data_version,  # the warm-up labels its work with it, through the same door
    invalidate,  # noqa: F401 (the pages clear caches through their one door to data)
    schedules_published,  # noqa: F401 (the Schedule page says so after publishing)
    store,
    studio_settings,
    tables_changed,  # noqa: F401 (the Schedule page says so after recording time off)
    tables_version,
    versioned,
)

LAZY_KINDS = ("viewer_minutes",)  # nine rows in ten of the store, read by three pages only


# What the scorecards read: they are kept when another table changes (time off recorded, a roster edit).
RESULT_TABLES = ("hosts", "slots", "sessions", "sku_sales", "viewer_minutes", "targets")


@versioned(show_spinner="Loading the studio's data…", max_entries=2, tables=DATA_TABLES)
def _eager_frames() -> StudioTables:
    return StudioTables(**{kind: _table(kind) for kind in KINDS if kind not in LAZY_KINDS})


def _table(kind: str) -> pd.DataFrame:
    """One table of the data version being read, from the store only when that table changed since."""
    return _read_table(tables_version(data_version(), (kind,)), kind)


@st.cache_data(show_spinner=False, max_entries=4 * len(KINDS))
def _read_table(version: tuple, kind: str) -> pd.DataFrame:
    """Cached under the store's address and the table's own version (`version`)."""
    return getattr(store().tables([kind]), kind)


@versioned(show_spinner="Loading viewer minutes…", max_entries=4, tables=LAZY_KINDS)
def _viewer_minutes() -> pd.DataFrame:
    return store().tables(LAZY_KINDS).viewer_minutes


def frames() -> StudioTables:
    """Every contract table as the libraries expect it but viewer_minutes (None here: see `viewer_minutes`),
    read once per data version."""
    return _eager_frames()


def viewer_minutes() -> pd.DataFrame:
    """viewer_minutes, read from the store only when a page first asks for it: the pages that never do open
    without waiting."""
    return _viewer_minutes()


def scheduler_settings() -> Settings:
    return settings_for_studio(studio_settings())


def scorecard_settings() -> ScorecardSettings:
    studio = studio_settings()
    return ScorecardSettings(currency=studio.currency_symbol, studio_name=studio.studio_name)


def results() -> Results:
    tables = frames()
    return Results.from_frames(tables.sessions, tables.sku_sales, viewer_minutes(), tables.targets)


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


@versioned(show_spinner=False, max_entries=2, tables=RESULT_TABLES)
def results_index() -> ResultsIndex:
    keyed = with_keys(frames().sessions, keys=["date", "week", "channel", "host_id"])
    return ResultsIndex(sorted(keyed["date"].unique().tolist()), sorted(keyed["week"].unique().tolist()),
                        sorted(keyed["channel"].unique().tolist()),
                        sorted(h for h in keyed["host_id"].unique().tolist() if h))


def host_names() -> dict[str, str]:
    """Host id -> name, for labels."""
    hosts = frames().hosts
    return dict(zip(hosts["host_id"], hosts["name"]))


@versioned(show_spinner="Computing the weekly scorecard…", max_entries=16, tables=RESULT_TABLES)
def weekly(week: str) -> WeeklyScorecard:
    return weekly_scorecard(results(), week, scorecard_settings(), frames().hosts)


def _filtered(filters: Filters) -> Results:
    """The results of the streams the filters keep (an empty filter keeps everything)."""
    everything = results()
    channels, hosts, tiers = filters
    if not (channels or hosts or tiers):
        return everything
    keyed = with_keys(everything.sessions, everything.sku_sales, keys=["channel", "host_id", "product_tier"])
    keep = pd.Series(True, index=keyed.index)
    for column, chosen in (("channel", channels), ("host_id", hosts), ("product_tier", tiers)):
        if chosen:
            keep &= keyed[column].isin(chosen)
    return restrict(everything, keep)


@versioned(show_spinner="Learning what each slot and host usually sell…", max_entries=8, tables=RESULT_TABLES)
def forecast_before_day(date: str) -> Forecast | None:
    """The forecast learnt from every stream before `date`: the same for every filter of that day."""
    tables = frames()
    return forecast_before(tables.sessions, tables.hosts, pd.Timestamp(date), tables.slots)


@versioned(show_spinner="Computing the daily scorecard…", max_entries=32, tables=RESULT_TABLES)
def _daily(date: str, filters: Filters) -> DailyScorecard:
    tables = frames()
    return daily_scorecard(_filtered(filters), date, scorecard_settings(), tables.hosts,
                           model=forecast_before_day(date), slots=tables.slots)


def daily(date: str, channels: tuple[str, ...] = (), hosts: tuple[str, ...] = (),
          tiers: tuple[str, ...] = ()) -> DailyScorecard:
    return _daily(date, (channels, hosts, tiers))


@versioned(show_spinner="Computing retention and SKU velocity…", max_entries=32, tables=RESULT_TABLES)
def _day_detail(date: str, filters: Filters) -> tuple[pd.DataFrame | None, pd.DataFrame]:
    chosen = _filtered(filters)
    day = restrict(chosen, with_keys(chosen.sessions, keys=["date"])["date"] == date)
    curves = None
    if day.viewer_minutes is not None and len(day.viewer_minutes):
        curves = average_curves(day.viewer_minutes, day.sessions, by="host_id")
    return curves, sku_velocity(day.sessions, day.sku_sales, by=["date"])


def day_detail(date: str, channels: tuple[str, ...] = (), hosts: tuple[str, ...] = (),
               tiers: tuple[str, ...] = ()) -> tuple[pd.DataFrame | None, pd.DataFrame]:
    """The day's mean retention curve per host (None without viewer minutes) and its SKU velocity."""
    return _day_detail(date, (channels, hosts, tiers))


@versioned(figure=True, show_spinner=False, max_entries=16, tables=RESULT_TABLES)
def weekly_figures(week: str) -> charts.WeeklyFigures:
    """The weekly scorecard's charts, built once per week and data version (plotly figures take a while)."""
    return charts.weekly_figures(weekly(week), scorecard_settings())


@versioned(figure=True, show_spinner=False, max_entries=64, tables=RESULT_TABLES)
def weekly_trend(week: str, metric: str) -> go.Figure:
    """One KPI's trend up to the week, with its target (shared: draw it, never change it)."""
    return charts.weekly_trend(weekly(week), metric, scorecard_settings())


@versioned(figure=True, show_spinner=False, max_entries=32, tables=RESULT_TABLES)
def _daily_figures(date: str, filters: Filters) -> charts.DailyFigures:
    curves, _ = _day_detail(date, filters)
    return charts.daily_figures(_daily(date, filters), curves, host_names(), scorecard_settings())


def daily_figures(date: str, channels: tuple[str, ...] = (), hosts: tuple[str, ...] = (),
                  tiers: tuple[str, ...] = ()) -> charts.DailyFigures:
    """The daily scorecard's charts for the day and filters, built once per data version."""
    return _daily_figures(date, (channels, hosts, tiers))


@versioned(figure=True, show_spinner=False, max_entries=16, tables=DATA_TABLES)
def availability_week(week: str, chosen: tuple[str, ...] = ()) -> str | None:
    """The Roster page's week as HTML: each chosen host's (everyone's when none) availability, once per data
    version; None when none of them can stream in it."""
    week_frame = services.availability_week(frames(), week)
    if chosen:
        week_frame = week_frame[week_frame["host_id"].isin(chosen)]
    layout = availability_layout(week_frame, host_names(), week_monday(week))
    return None if layout is None else availability_html(layout)


@versioned(show_spinner="Checking the file…", max_entries=8)
def _import_preview(content_hash: str, kind: str, file_name: str, _content: bytes) -> ImportReport:
    return store().preview_import(_content, kind, file_name)


def import_preview(content: bytes, kind: str, file_name: str) -> ImportReport:
    """What importing an upload would do, worked out once per file (its content hash), kind and data version:
    the Data page's reruns read it back instead of parsing the file again."""
    return _import_preview(hashlib.sha256(content).hexdigest(), kind, file_name, content)


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
