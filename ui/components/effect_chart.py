"""Each host's effect over time, with its 80 % interval: the forecast refitted at every week's end
(forecast.over_time), fitted once per data version and drawn for the hosts picked."""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from contract.people import person_label
from forecast.over_time import effects_over_time
from metrics.charts import plot_text
from ui import state
from ui.cache import versioned
from ui.components.people import labeller
from ui.theme import empty_state

SHOWN = 5  # hosts drawn before anyone is picked: the most streamed
PALETTE = ("#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#4b5563", "#ca8a04")


@versioned(show_spinner="Fitting each week's host effects…", max_entries=2, tables=("hosts", "slots", "sessions"))
def effect_history() -> pd.DataFrame:
    """Every roster host's effect at the end of each of the last 12 weeks with streams."""
    tables = state.frames()
    return effects_over_time(tables.sessions, tables.hosts, tables.slots)


def host_effects_over_time(names: Mapping[str, str]) -> None:
    """The section: a host picker and the chart."""
    st.subheader("What each host adds, week by week")
    if not st.toggle("Show each host's effect week by week", key="effect_over_time",
                     help="the forecast is fitted again at each of the last 12 week ends: a few seconds the first "
                          "time after an import"):
        st.caption("Each host's effect (GMV per live hour against an average host in the same slots) at each of "
                   "the last 12 week ends, with its 80 % interval.")
        return
    history = effect_history()
    if history.empty:
        empty_state("No results yet", "Import sessions.csv on the Data page: each host's effect is learnt from what "
                                      "they sold against what others sold in comparable slots.")
        return
    latest = history.loc[history["week"] == history["week"].max()].sort_values("sessions", ascending=False)
    picked = st.multiselect("Hosts", sorted(history["host_id"].unique()), default=latest["host_id"][:SHOWN].tolist(),
                            format_func=labeller(names), key="effect_hosts", placeholder="pick hosts")
    if not picked:
        st.caption("Pick hosts to draw their effect.")
        return
    st.plotly_chart(effect_figure(history, picked, names), width="stretch", key="effect_chart")
    st.caption("1.0 is an average host in the same slots; 1.2 sells 20 % more. Each week's point is the forecast "
               "fitted on the streams up to that week's end, with its 80 % interval (shaded), which narrows as "
               "the host's record grows.")


def effect_figure(history: pd.DataFrame, hosts: Sequence[str], names: Mapping[str, str]) -> go.Figure:
    """One line per host with its interval as a band, the weeks along the bottom and 1.0 marked."""
    figure = go.Figure()
    for number, host_id in enumerate(hosts):
        mine = history.loc[history["host_id"] == host_id]
        colour = PALETTE[number % len(PALETTE)]
        label = plot_text(person_label(host_id, names.get(host_id)))
        weeks = mine["week"].tolist()
        figure.add_trace(go.Scatter(x=weeks + weeks[::-1], y=mine["high"].tolist() + mine["low"].tolist()[::-1],
                                    fill="toself", fillcolor=colour, opacity=0.15, line={"width": 0},
                                    hoverinfo="skip", showlegend=False, legendgroup=host_id))
        figure.add_trace(go.Scatter(
            x=weeks, y=mine["effect"].tolist(), mode="lines+markers", name=label, line={"color": colour},
            legendgroup=host_id, customdata=mine[["low", "high", "sessions"]].to_numpy(),
            hovertemplate=f"{label}<br>%{{x}}: %{{y:.2f}}× (80 %: %{{customdata[0]:.2f}}–%{{customdata[1]:.2f}}×)"
                          "<br>%{customdata[2]} streams so far<extra></extra>"))
    figure.add_hline(y=1.0, line={"dash": "dot", "color": "#6b7280"})
    figure.update_layout(height=380, margin={"l": 10, "r": 10, "t": 10, "b": 10}, yaxis_title="effect (×)",
                         xaxis={"type": "category"}, legend={"orientation": "h"})
    return figure
