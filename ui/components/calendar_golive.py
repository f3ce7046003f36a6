"""The Calendar page's suggested go-live times: per channel, what an average host sells per live hour at each
weekday and hour (forecast.golive, from the forecast's slot value), with the week's shows drawn on it, and the
shows that would sell clearly more at another free hour of their day, in words."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from forecast import Forecast, fit_forecast
from forecast.golive import WEEKDAYS, in_words, live_hour_values, money_in, suggestions, support
from ui import state
from ui.cache import versioned
from ui.theme import empty_state, plain


@versioned(figure=True, show_spinner="Learning what each hour sells…", max_entries=2)
def _learned() -> tuple[Forecast, pd.DataFrame, dict[str, int]]:
    frames = state.frames()
    model = fit_forecast(frames.sessions, frames.hosts, frames.slots)
    cells, per_channel = support(frames.sessions, frames.slots, frames.hosts)
    return model, cells, per_channel


def go_live(shows: pd.DataFrame, currency: str) -> None:
    """The heatmap of one channel picked, and the suggestions for its shows of the week."""
    model, cells, per_channel = _learned()
    if model.empty:
        empty_state("No results to learn from yet",
                    "Once sessions.csv of past streams is imported (Data page), this shows what each weekday and "
                    "hour sells per live hour, and which shows would sell more at another hour.")
        return
    channels = sorted(set(shows["channel"]) | set(per_channel))
    channel = st.selectbox("Channel", channels, key="golive_channel")
    mine = shows[shows["channel"] == channel]
    tier, category = _usual(mine if len(mine) else None, channel)
    grid = live_hour_values(model, cells, per_channel.get(channel, 0), channel, tier, category)
    if grid["expected_gmv"].isna().all():
        st.info(f"{plain(channel)} has too few past streams for a forecast of its hours yet.")
    else:
        st.caption(f"Expected GMV of one live hour with an average host, for a {plain(tier)} {plain(category)} show "
                   "starting at that hour; blank where the studio has streamed too rarely to tell. Boxes are this "
                   "week's shows.")
        st.plotly_chart(_heatmap(grid, mine, currency), width="stretch", key="golive_heatmap")
    found = suggestions(model, mine, cells, per_channel)
    money = money_in(currency)
    better = found[found["better_start"].notna()]
    if len(better):
        for row in better.itertuples(index=False):
            st.markdown("- " + plain(in_words(row, channel, money)))
    elif len(found):
        st.caption(f"None of {plain(channel)}'s {len(found)} shows with history behind their time would sell "
                   "clearly more at another free hour of its day.")


def _usual(shows: pd.DataFrame | None, channel: str) -> tuple[str, str]:
    """The tier and category the channel streams most: this week's shows, else its past streams."""
    if shows is None:
        sessions = state.frames().sessions
        shows = sessions[sessions["channel"] == channel] if sessions is not None else pd.DataFrame()
    if shows.empty or "product_tier" not in shows:
        return "core", ""
    pair = shows.groupby(["product_tier", "category"]).size().idxmax()
    return str(pair[0]), str(pair[1])


def _heatmap(grid: pd.DataFrame, shows: pd.DataFrame, currency: str) -> go.Figure:
    table = grid.pivot(index="weekday", columns="hour", values="expected_gmv").reindex(range(7))
    figure = go.Figure(go.Heatmap(z=table.to_numpy(), x=list(range(24)), y=list(WEEKDAYS), colorscale="Blues",
                                  hovertemplate=f"%{{y}} %{{x}}:00: {currency}%{{z:,.0f}} per live hour"
                                                "<extra></extra>", colorbar={"title": f"{currency}/live h"}))
    for show in shows.itertuples(index=False):
        start = show.start.hour + show.start.minute / 60 - 0.5
        hours = (show.end - show.start).total_seconds() / 3600
        day = show.start.weekday()
        figure.add_shape(type="rect", x0=start, x1=min(start + hours, 23.5), y0=day - 0.4, y1=day + 0.4,
                         line={"color": "#b91c1c", "width": 2})
    figure.update_layout(height=340, margin={"l": 10, "r": 10, "t": 10, "b": 30},
                         yaxis={"autorange": "reversed"}, xaxis={"dtick": 1, "title": "start hour"})
    return figure
