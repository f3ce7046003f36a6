"""Daily scorecard: yesterday's streams against the trailing week, by host, with funnel, retention and SKUs."""
from __future__ import annotations

import streamlit as st

from metrics import charts
from ui import state
from ui.components import against_forecast
from ui.components.people import labeller
from ui.results import metric_columns, open_results_page
from ui.theme import empty_state, funnel_html, kpi_tile, plain, sentences, show_html, tiles

TILES = ["gmv", "gmv_per_hour", "conversion_rate", "retention_rate", "viewers", "orders", "ctr", "units_per_hour"]

settings = state.scorecard_settings()
date, index, (channel_column, host_column, tier_column) = open_results_page(
    "Daily scorecard", "date", "daily_date", widths=[1, 2, 2, 1.4],
    what_to_import="Import yesterday's sessions.csv and sku_sales.csv, or a TikTok Shop LIVE export, on the Data "
                   "page; the scorecard compares each day with the week before it.")
names = state.host_names()
channels = channel_column.multiselect("Channels", index.channels, key="daily_channels", placeholder="all channels")
hosts = host_column.multiselect("Hosts", index.hosts, key="daily_hosts",
                                format_func=labeller(names), placeholder="all hosts")
tiers = tier_column.multiselect("Product tiers", ["hero", "core", "longtail"], key="daily_tiers",
                                placeholder="all tiers")
filters = (tuple(channels), tuple(hosts), tuple(tiers))
card = state.daily(date, *filters)
if card.empty:
    empty_state(f"No streams on {date} for this selection", card.message or "Pick another day or clear a filter.")
    st.stop()
st.caption(plain(card.message))

kpis = card.kpis.set_index("metric")


def _tile(metric: str) -> str:
    row = kpis.loc[metric]
    change = row["change_pct"]
    known = change == change
    delta = f"{change:+.1f} % vs trailing {card.trailing_days}-day average" if known else "no trailing days"
    direction = (1 if change > 0 else -1 if change < 0 else 0) if known else 0
    return kpi_tile(row["label"], settings.value(metric, row["today"]), delta, direction)


tiles([_tile(m) for m in TILES], per_row=4)

st.subheader("Anomalies")
if card.anomalies.empty:
    st.success("Every stream and host-day was within its usual range.")
else:
    sentences(card.anomalies["sentence"].tolist())

figures = state.daily_figures(date, *filters)
left, right = st.columns([3, 2])
left.plotly_chart(figures.hosts, width="stretch")
steps = [(row.stage, f"{row.count:,.0f}", f"trailing {card.trailing_days}-day average {row.trailing_avg:,.0f}")
         for row in card.funnel.itertuples()]
rates = [f"{rate * 100:.1f} % of the step above" for rate in card.funnel["rate_from_previous"].iloc[1:]]
show_html(funnel_html("Funnel", steps, rates, list(charts.PALETTE[:len(steps)])), right)

st.subheader("Retention")
if figures.retention is None:
    st.info("No viewer_minutes.csv for this day: import per-minute viewers on the Data page to see retention curves.")
else:
    st.plotly_chart(figures.retention, width="stretch")

against_forecast.show(card.against_forecast, settings)

st.subheader("Channels and hosts against the trailing week")
left, right = st.columns(2)
left.dataframe(card.channels, hide_index=True, width="stretch",
               column_config=metric_columns(card.channels, settings, "trailing"))
right.dataframe(card.hosts, hide_index=True, width="stretch",
                column_config=metric_columns(card.hosts, settings, "trailing"))

st.subheader("SKU velocity")
_, velocity = state.day_detail(date, *filters)
st.dataframe(velocity.sort_values("units_per_hour", ascending=False), hide_index=True, width="stretch",
             column_config={"units_per_hour": st.column_config.NumberColumn("units / live hour", format="%.1f"),
                            "gmv": st.column_config.NumberColumn("GMV", format="dollar"),
                            "live_hours": st.column_config.NumberColumn(format="%.1f")})
