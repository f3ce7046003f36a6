"""Plotly figures of the scorecards, shared by the HTML report and the dashboard.

Pure functions DataFrame -> go.Figure with one template and one palette, so every chart of the
product looks the same wherever it is shown.
"""
from __future__ import annotations

import html
import math

import pandas as pd
import plotly.graph_objects as go

from contract.people import person_label
from metrics.settings import MONEY, PERCENT, ScorecardSettings, label

INK = "#1f2937"
MUTED = "#6b7280"
GRID = "#e5e7eb"
PALETTE = ("#2563eb", "#0d9488", "#f59e0b", "#8b5cf6", "#ec4899", "#64748b", "#84cc16", "#06b6d4")
RAG = {"green": "#16a34a", "amber": "#f59e0b", "red": "#dc2626", "": "#94a3b8"}
TIER_COLOURS = {"hero": PALETTE[0], "core": PALETTE[1], "longtail": PALETTE[2]}
FONT = "Inter, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif"

TEMPLATE = go.layout.Template(layout=go.Layout(
    font={"family": FONT, "size": 13, "color": INK},
    title={"font": {"size": 16, "color": INK}, "x": 0, "xanchor": "left"},
    colorway=list(PALETTE),
    paper_bgcolor="white",
    plot_bgcolor="white",
    xaxis={"gridcolor": GRID, "linecolor": GRID, "zeroline": False, "automargin": True},
    yaxis={"gridcolor": GRID, "linecolor": GRID, "zeroline": False, "automargin": True},
    legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "xanchor": "left", "x": 0},
    margin={"l": 48, "r": 24, "t": 56, "b": 40},
    hoverlabel={"font": {"family": FONT}},
))


def _styled(figure: go.Figure, title: str, height: int = 340) -> go.Figure:
    return figure.update_layout(template=TEMPLATE, title=title, height=height)


def _tick_format(metric: str, settings: ScorecardSettings) -> dict:
    if metric in MONEY:
        return {"tickprefix": settings.currency, "tickformat": ",.0f"}
    if metric in PERCENT:
        return {"tickformat": ".1%"}
    return {"tickformat": "~s"}  # 800k, 15k: counts at a glance


def kpi_trend(trend: pd.DataFrame, metric: str, target: float | None = None,
              settings: ScorecardSettings = ScorecardSettings()) -> go.Figure:
    """One KPI week by week (trend: week + metric columns), with its target as a dashed line."""
    figure = go.Figure(go.Scatter(x=trend["week"], y=trend[metric], mode="lines+markers", name=label(metric),
                                  line={"width": 3, "color": PALETTE[0]}, marker={"size": 7}))
    if target is not None and math.isfinite(target):
        figure.add_hline(y=target, line={"dash": "dash", "color": RAG["amber"], "width": 2},
                         annotation_text=f"target {settings.value(metric, target)}",
                         annotation_position="top left", annotation_font_color=MUTED)
    figure.update_yaxes(rangemode="tozero", **_tick_format(metric, settings))
    figure.update_xaxes(type="category")
    return _styled(figure, f"{label(metric)}, last {len(trend)} weeks", height=280)


def host_ranking(hosts: pd.DataFrame, studio_gmv_per_hour: float | None = None,
                 settings: ScorecardSettings = ScorecardSettings()) -> go.Figure:
    """Ranked hosts, best on top: by effect with its 80 % interval where the scorecard has effects (1.0 is an
    average host in comparable slots), else by GMV per live hour against the studio's rate."""
    if "effect" in hosts.columns:
        return _effect_ranking(hosts[hosts["ranked"]].sort_values("effect", kind="stable"))
    ranked = hosts[hosts["ranked"]].sort_values("gmv_per_hour", kind="stable")
    figure = go.Figure(go.Bar(
        x=ranked["gmv_per_hour"], y=_person_names(ranked), orientation="h", marker_color=PALETTE[0],
        customdata=ranked["live_hours"],
        hovertemplate="%{y}<br>GMV per hour %{x:,.0f}<br>%{customdata:.1f} live hours<extra></extra>"))
    if studio_gmv_per_hour is not None and math.isfinite(studio_gmv_per_hour):
        figure.add_vline(x=studio_gmv_per_hour, line={"dash": "dash", "color": MUTED},
                         annotation_text=f"studio {settings.money(studio_gmv_per_hour)}",
                         annotation_font_color=MUTED)
    figure.update_xaxes(**_tick_format("gmv_per_hour", settings))
    return _styled(figure, "GMV per live hour by host", height=max(260, 28 * len(ranked) + 120))


def _effect_ranking(ranked: pd.DataFrame) -> go.Figure:
    figure = go.Figure(go.Scatter(
        x=ranked["effect"], y=_person_names(ranked), mode="markers", marker={"color": PALETTE[0], "size": 9},
        error_x={"type": "data", "symmetric": False, "array": ranked["effect_high"] - ranked["effect"],
                 "arrayminus": ranked["effect"] - ranked["effect_low"], "color": PALETTE[0]},
        customdata=ranked[["effect_low", "effect_high", "live_hours"]].to_numpy(),
        hovertemplate="%{y}<br>%{x:.2f}× an average host (80 %: %{customdata[0]:.2f}–%{customdata[1]:.2f})"
                      "<br>%{customdata[2]:.1f} live hours this week<extra></extra>"))
    figure.add_vline(x=1.0, line={"dash": "dash", "color": MUTED}, annotation_text="average host",
                     annotation_font_color=MUTED)
    figure.update_xaxes(ticksuffix="×")
    return _styled(figure, "What each host adds: GMV per live hour against an average host in comparable slots",
                   height=max(260, 28 * len(ranked) + 120))


def _person_names(hosts: pd.DataFrame) -> list[str]:
    return [plot_text(person_label(h, n)) for n, h in zip(hosts["name"], hosts["host_id"])]


def plot_text(text: object) -> str:
    """Text from data for a chart's labels, hover and ticks, shown as written: plotly draws links and some
    HTML tags found in its text, and shows the escaped characters as themselves."""
    return html.escape(str(text), quote=False)


def tier_mix(mix: pd.DataFrame, previous_week: str, week: str) -> go.Figure:
    """Share of GMV by product tier, this week against the week before (stacked to 100 %)."""
    figure = go.Figure()
    for row in mix.itertuples():
        shares = [row.gmv_share_pct_prev, row.gmv_share_pct]
        figure.add_bar(y=[previous_week, week], x=[0 if pd.isna(s) else s / 100 for s in shares],
                       name=row.product_tier, orientation="h",
                       marker_color=TIER_COLOURS.get(row.product_tier, PALETTE[5]),
                       texttemplate="%{x:.0%}", textposition="inside")
    figure.update_layout(barmode="stack")
    figure.update_xaxes(tickformat=".0%", range=[0, 1])
    return _styled(figure, "GMV share by product tier", height=240)


def retention_curves(curves: pd.DataFrame, key: str) -> go.Figure:
    """Mean share of peak viewers by minute on air, one line per group of `key` (average_curves output)."""
    figure = go.Figure()
    for group, curve in curves.groupby(key, sort=True):
        figure.add_scatter(x=curve["minute"], y=curve["share_of_peak"], mode="lines", name=plot_text(group),
                           line={"width": 2})
    figure.update_xaxes(title="minutes on air")
    figure.update_yaxes(tickformat=".0%", rangemode="tozero")
    return _styled(figure, "Audience retention (share of peak viewers)")
