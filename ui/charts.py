"""Plotly figures for the pages: each scorecard page's set of figures (built from metrics.charts, the scorecard
charts the HTML report shares), made once per data version and then cached.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from metrics import charts as scorecard_charts
from metrics.daily import DailyScorecard
from metrics.settings import ScorecardSettings
from metrics.weekly import WeeklyScorecard


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
