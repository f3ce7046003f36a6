"""Daily scorecard: yesterday's streams against the trailing week, by host, with funnel, retention and SKUs."""
from __future__ import annotations

import plotly.express as px
import streamlit as st

from metrics import charts, with_keys
from ui import state
from ui.theme import empty_state, kpi_tile, sentences, tiles

TILES = ["gmv", "gmv_per_hour", "conversion_rate", "retention_rate", "viewers", "orders", "ctr", "units_per_hour"]

settings = state.scorecard_settings()
frames = state.frames()
sessions = frames["sessions.csv"]

st.title("Daily scorecard")
if sessions.empty:
    empty_state("No results yet", "Import yesterday's sessions.csv and sku_sales.csv, or a TikTok Shop LIVE export, "
                "on the Data page; the scorecard compares each day with the week before it.")
    st.stop()

keyed = with_keys(sessions)
dates = sorted(keyed["date"].unique().tolist())
names = dict(zip(frames["hosts.csv"]["host_id"], frames["hosts.csv"]["name"]))
top = st.columns([1, 2, 2, 1.4])
date = top[0].selectbox("Day", dates, index=len(dates) - 1, key="daily_date")
channels = top[1].multiselect("Channels", sorted(keyed["channel"].unique()), key="daily_channels",
                              placeholder="all channels")
hosts = top[2].multiselect("Hosts", sorted(h for h in keyed["host_id"].unique() if h), key="daily_hosts",
                           format_func=lambda h: f"{names.get(h, h)} ({h})", placeholder="all hosts")
tiers = top[3].multiselect("Product tiers", ["hero", "core", "longtail"], key="daily_tiers",
                           placeholder="all tiers")
filters = (tuple(channels), tuple(hosts), tuple(tiers))
card = state.daily(date, *filters)
if card.empty:
    empty_state(f"No streams on {date} for this selection", card.message or "Pick another day or clear a filter.")
    st.stop()
st.caption(card.message)

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

left, right = st.columns([3, 2])
by_host = card.hosts.assign(label=card.hosts["name"].where(card.hosts["name"] != "", card.hosts["host_id"]))
by_host = by_host.sort_values("gmv_per_hour")
figure = px.bar(by_host, x="gmv_per_hour", y="label", orientation="h", title="GMV per live hour by host",
                hover_data={"live_hours": ":.1f", "gmv": ":$,.0f", "label": False})
figure.add_scatter(x=by_host["gmv_per_hour_trailing"], y=by_host["label"], mode="markers", name="trailing average",
                   marker=dict(symbol="line-ns-open", size=14, line_width=3, color="#f59e0b"))
figure.update_layout(template=charts.TEMPLATE, height=max(280, 34 * len(by_host) + 110), yaxis_title=None,
                     legend=dict(orientation="h", y=-0.12, x=0),
                     xaxis_title=None, xaxis_tickprefix=settings.currency)
left.plotly_chart(figure, use_container_width=True)
right.plotly_chart(charts.funnel(card.funnel), use_container_width=True)

curves, velocity = state.day_detail(date, *filters)
st.subheader("Retention")
if curves is None:
    st.info("No viewer_minutes.csv for this day: import per-minute viewers on the Data page to see retention curves.")
else:
    labelled = curves.assign(host_id=curves["host_id"].map(lambda h: names.get(h, h or "unattributed")))
    st.plotly_chart(charts.retention_curves(labelled, "host_id"), use_container_width=True)

st.subheader("Channels and hosts against the trailing week")
left, right = st.columns(2)
left.dataframe(card.channels.round(3), hide_index=True, use_container_width=True)
right.dataframe(card.hosts.round(3), hide_index=True, use_container_width=True)

st.subheader("SKU velocity")
st.dataframe(velocity.sort_values("units_per_hour", ascending=False), hide_index=True, use_container_width=True,
             column_config={"units_per_hour": st.column_config.NumberColumn("units / live hour", format="%.1f"),
                            "gmv": st.column_config.NumberColumn("GMV", format="dollar"),
                            "live_hours": st.column_config.NumberColumn(format="%.1f")})
