"""Plotly figures for the pages: the planning charts, and each scorecard page's set of figures (built from
metrics.charts, the scorecard charts the HTML report shares), made once per data version and then cached.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from contract.people import person_label
from metrics import charts as scorecard_charts
from metrics.daily import DailyScorecard
from metrics.settings import ScorecardSettings
from metrics.weekly import WeeklyScorecard

AVAILABILITY_COLOURS = {"available": "#1f9d55", "extra": "#2563eb", "time off": "#f87171"}  # extras over windows


def availability_week(frame: pd.DataFrame, names: dict[str, str], monday: date) -> go.Figure | None:
    """One row per host with the hours they can stream in the week from `monday` (`frame` as
    services.availability_week gives it), exceptions drawn over their windows; None when nobody can stream."""
    available = frame[frame["shown"] == "available"]
    if available.empty:
        return None
    hours = ((available["end"] - available["start"]).dt.total_seconds() / 3600).groupby(available["host_id"]).sum()
    frame = frame[frame["host_id"].isin(hours.index)].sort_values(["host_id", "start"])
    frame = frame.assign(host=frame["host_id"].map(
        lambda h: scorecard_charts.plot_text(f"{person_label(h, names.get(h))} · {hours[h]:.0f} h")))
    figure = go.Figure()
    for shown, colour in AVAILABILITY_COLOURS.items():  # a bar per window: start as base, length in milliseconds
        group = frame[frame["shown"] == shown]
        if len(group):
            figure.add_bar(y=group["host"], base=group["start"], orientation="h", name=shown, marker_color=colour,
                           x=(group["end"] - group["start"]).dt.total_seconds() * 1000,
                           customdata=pd.DataFrame({"when": _when(group["start"], group["end"]),
                                                    "note": group["note"].fillna("").astype("str")}),
                           hovertemplate=f"%{{y}}<br>{shown} %{{customdata[0]}}<br>%{{customdata[1]}}<extra></extra>")
    start = pd.Timestamp(monday)
    figure.update_yaxes(autorange="reversed", title=None, categoryorder="array",
                        categoryarray=list(dict.fromkeys(frame["host"])))
    figure.update_xaxes(type="date", title=None, range=[start, start + pd.Timedelta(days=7)], dtick=24 * 3600 * 1000,
                        tickformat="%a %d %b", ticklabelmode="period", showgrid=True)
    figure.update_layout(height=max(140 + 26 * frame["host"].nunique(), 260), margin=dict(l=10, r=10, t=30, b=10),
                         legend_title_text="", legend=dict(orientation="h", y=1.06, x=0), plot_bgcolor="#fff",
                         bargap=0.35, barmode="overlay")
    return figure


def _when(start: pd.Series, end: pd.Series) -> pd.Series:
    """'Mon 30 Nov 09:00–17:00'; the end's day is named when the window runs past midnight."""
    same_day = start.dt.normalize() == (end - pd.Timedelta(minutes=1)).dt.normalize()
    return (start.dt.strftime("%a %d %b %H:%M") + "–"
            + end.dt.strftime("%H:%M").where(same_day, end.dt.strftime("%a %d %b %H:%M")))


def host_rates(hosts: pd.DataFrame, currency: str) -> go.Figure:
    """GMV per live hour by host on the day (bars), with each host's trailing average as a marker."""
    named = hosts["name"].where(hosts["name"] != "", hosts["host_id"])
    frame = hosts.assign(label=named.map(scorecard_charts.plot_text)).sort_values("gmv_per_hour")
    figure = go.Figure(go.Bar(
        x=frame["gmv_per_hour"], y=frame["label"], orientation="h", name="GMV per live hour",
        marker_color=scorecard_charts.PALETTE[0], customdata=frame[["live_hours", "gmv"]],
        hovertemplate="%{y}<br>GMV per hour %{x:,.0f}<br>%{customdata[0]:.1f} live hours, GMV %{customdata[1]:,.0f}"
                      "<extra></extra>"))
    figure.add_scatter(x=frame["gmv_per_hour_trailing"], y=frame["label"], mode="markers", name="trailing average",
                       marker=dict(symbol="line-ns-open", size=14, line_width=3, color="#f59e0b"))
    return figure.update_layout(template=scorecard_charts.TEMPLATE, title="GMV per live hour by host",
                                height=max(280, 34 * len(frame) + 110), legend=dict(orientation="h", y=-0.12, x=0),
                                yaxis_title=None, xaxis_title=None, xaxis_tickprefix=currency,
                                xaxis_tickformat=",.0f")


@dataclass(frozen=True)
class DailyFigures:
    """The daily scorecard's charts. Cached figures are shared by every session: draw them, never change them."""

    hosts: go.Figure
    retention: go.Figure | None  # None without viewer minutes for the day


def daily_figures(card: DailyScorecard, curves: pd.DataFrame | None, names: dict[str, str],
                  settings: ScorecardSettings) -> DailyFigures:
    retention = None
    if curves is not None:
        labelled = curves.assign(host_id=curves["host_id"].map(lambda h: names.get(h, h or "unattributed")))
        retention = scorecard_charts.retention_curves(labelled, "host_id").update_layout(
            height=440, legend=dict(orientation="h", yanchor="top", y=-0.2, x=0))  # one line per host: below
    return DailyFigures(host_rates(card.hosts, settings.currency), retention)


@dataclass(frozen=True)
class WeeklyFigures:
    """The weekly scorecard's charts beside its KPI trend (shared like DailyFigures)."""

    hosts: go.Figure
    retention: go.Figure | None


def weekly_figures(card: WeeklyScorecard, settings: ScorecardSettings) -> WeeklyFigures:
    studio_rate = float(card.kpis.set_index("metric").at["gmv_per_hour", "actual"])
    return WeeklyFigures(
        hosts=scorecard_charts.host_ranking(card.hosts, studio_rate, settings),
        retention=(scorecard_charts.retention_curves(card.retention, "channel")
                   if card.retention is not None and len(card.retention) else None))


def weekly_trend(card: WeeklyScorecard, metric: str, settings: ScorecardSettings) -> go.Figure:
    """One KPI over the trend weeks, with its target."""
    target = card.kpis.set_index("metric").at[metric, "target"]
    return scorecard_charts.kpi_trend(card.trend, metric, target if target == target else None, settings)
