"""The app's only door to data: one store per server, cached frames and scorecards, one place that clears caches.

Pages read through these functions and call `invalidate()` after they change anything, so every page
shows the same, current numbers.
"""
from __future__ import annotations

import io
import tempfile
import zipfile

import pandas as pd
import streamlit as st

from metrics import Results, average_curves, sku_velocity, with_keys
from metrics.daily import DailyScorecard, daily_scorecard, restrict
from metrics.settings import ScorecardSettings
from metrics.weekly import WeeklyScorecard, weekly_scorecard
from scheduler import Settings
from store import Store, open_store
from store.settings import StudioSettings


@st.cache_resource(show_spinner=False)
def store() -> Store:
    """Open (and on first run create and seed) the studio's store once per server process."""
    return open_store()


@st.cache_data(show_spinner="Loading the studio's data…")
def frames() -> dict:
    """Every contract table as the libraries expect it, read once until something changes."""
    return store().frames()


@st.cache_data(show_spinner=False)
def studio_settings() -> StudioSettings:
    return store().studio_settings()


def scheduler_settings() -> Settings:
    studio = studio_settings()
    return Settings(time_zone=studio.time_zone, currency=studio.currency)


def scorecard_settings() -> ScorecardSettings:
    studio = studio_settings()
    return ScorecardSettings(currency=studio.currency_symbol, studio_name=studio.studio_name)


def results() -> Results:
    tables = frames()
    return Results.from_frames(tables["sessions.csv"], tables["sku_sales.csv"], tables.get("viewer_minutes.csv"),
                               tables.get("targets.csv"))


@st.cache_data(show_spinner="Computing the weekly scorecard…")
def weekly(week: str) -> WeeklyScorecard:
    return weekly_scorecard(results(), week, scorecard_settings(), frames()["hosts.csv"])


def filtered(channels: tuple[str, ...] = (), hosts: tuple[str, ...] = (), tiers: tuple[str, ...] = ()) -> Results:
    """The results of the streams the filters keep (an empty filter keeps everything)."""
    everything = results()
    keyed = with_keys(everything.sessions, everything.sku_sales)
    keep = pd.Series(True, index=keyed.index)
    for column, chosen in (("channel", channels), ("host_id", hosts), ("product_tier", tiers)):
        if chosen:
            keep &= keyed[column].isin(chosen)
    return restrict(everything, keep)


@st.cache_data(show_spinner="Computing the daily scorecard…")
def daily(date: str, channels: tuple[str, ...] = (), hosts: tuple[str, ...] = (),
          tiers: tuple[str, ...] = ()) -> DailyScorecard:
    return daily_scorecard(filtered(channels, hosts, tiers), date, scorecard_settings(), frames()["hosts.csv"])


@st.cache_data(show_spinner="Computing retention and SKU velocity…")
def day_detail(date: str, channels: tuple[str, ...] = (), hosts: tuple[str, ...] = (),
               tiers: tuple[str, ...] = ()) -> tuple[pd.DataFrame | None, pd.DataFrame]:
    """The day's mean retention curve per host (None without viewer minutes) and its SKU velocity."""
    chosen = filtered(channels, hosts, tiers)
    day = restrict(chosen, with_keys(chosen.sessions)["date"] == date)
    curves = None
    if day.viewer_minutes is not None and len(day.viewer_minutes):
        curves = average_curves(day.viewer_minutes, day.sessions, by="host_id")
    return curves, sku_velocity(day.sessions, day.sku_sales, by=["date"])


@st.cache_data(show_spinner="Preparing the export…")
def export_zip() -> bytes:
    """Every table as the contract's CSV files, zipped (formula-like text neutralised)."""
    with tempfile.TemporaryDirectory() as folder:
        written = store().export_all(folder)
        bundle = io.BytesIO()
        with zipfile.ZipFile(bundle, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in written:
                archive.write(path, path.name)
    return bundle.getvalue()


def invalidate() -> None:
    """Call after an import, an undo or an edit: every cached table and computation is read again."""
    st.cache_data.clear()
