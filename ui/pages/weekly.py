"""Weekly scorecard for leadership: targets with red/amber/green, change, trends, hosts, insights, exports."""
from __future__ import annotations

import tempfile
from pathlib import Path

import streamlit as st

from contract.files import write_excel
from metrics import charts, with_keys
from metrics.export import weekly_html
from ui import state
from ui.theme import empty_state, kpi_tile, sentences, tiles

settings = state.scorecard_settings()
frames = state.frames()
sessions = frames["sessions.csv"]

st.title("Weekly scorecard")
if sessions.empty:
    empty_state("No results yet", "Import sessions.csv and sku_sales.csv (or a TikTok Shop LIVE export) on the Data "
                "page; the weekly scorecard appears as soon as a week has streams.")
    st.stop()

weeks = sorted(with_keys(sessions)["week"].unique().tolist())
week = st.selectbox("Week", weeks, index=len(weeks) - 1, key="weekly_week")
card = state.weekly(week)
st.caption(f"{card.studio_name} · {week} compared with {card.previous_week} · rates are ratios of the week's sums")


def _tile(row) -> str:
    value = settings.value(row.metric, row.actual)
    change = "" if row.change_pct != row.change_pct else f"{row.change_pct:+.1f} % vs {card.previous_week}"
    direction = 0 if row.change_pct != row.change_pct else (1 if row.change_pct > 0 else -1 if row.change_pct < 0 else 0)
    target = ""
    if row.target == row.target:
        target = f"target {settings.value(row.metric, row.target)} · {row.status}"
    return kpi_tile(row.label, value, change, direction, row.status or "none", target)


tiles([_tile(row) for row in card.headline().itertuples()], per_row=4)

st.subheader("What moved, and what to do")
if card.insights:
    sentences(card.insights)
else:
    st.info("Nothing stood out this week: no target missed, no host or slot time far from the studio's rate.")

st.subheader(f"Trend, last {len(card.trend)} weeks")
headline = card.headline().head(6)
columns = st.columns(2)
for index, row in enumerate(headline.itertuples()):
    target = row.target if row.target == row.target else None
    columns[index % 2].plotly_chart(charts.kpi_trend(card.trend, row.metric, target, settings),
                                    use_container_width=True, key=f"trend_{row.metric}")

st.subheader("Hosts")
studio_rate = float(card.kpis.set_index("metric").at["gmv_per_hour", "actual"])
left, right = st.columns([3, 2])
left.plotly_chart(charts.host_ranking(card.hosts, studio_rate, settings), use_container_width=True)
host_columns = ["name", "host_id", "tier", "live_hours", "gmv_per_hour", "conversion_rate", "gmv_change"]
number = {"gmv_per_hour": st.column_config.NumberColumn("GMV / hour", format="dollar"),
          "live_hours": st.column_config.NumberColumn("live hours", format="%.1f"),
          "conversion_rate": st.column_config.NumberColumn("conversion", format="percent"),
          "gmv_change": st.column_config.NumberColumn("GMV change", format="dollar")}
right.markdown(f"**Best hosts** (at least {settings.min_host_hours:g} live hours)")
right.dataframe(card.best_hosts[host_columns], hide_index=True, use_container_width=True, column_config=number)
right.markdown("**Weakest hosts**")
right.dataframe(card.weakest_hosts[host_columns], hide_index=True, use_container_width=True, column_config=number)

st.subheader("Product tiers, channels and slot times")
left, right = st.columns(2)
if len(card.tier_mix):
    left.plotly_chart(charts.tier_mix(card.tier_mix, card.previous_week, card.week), use_container_width=True)
left.dataframe(card.channels, hide_index=True, use_container_width=True)
right.dataframe(card.slot_times, hide_index=True, use_container_width=True)
if card.retention is not None and len(card.retention):
    st.plotly_chart(charts.retention_curves(card.retention, "channel"), use_container_width=True)

st.subheader("Export")
left, right = st.columns(2)
left.download_button("Download the report (HTML, prints on A4)", weekly_html(card, settings),
                     file_name=f"weekly_scorecard_{week}.html", mime="text/html", key="weekly_html")
with tempfile.TemporaryDirectory() as folder:
    workbook = Path(folder) / "weekly.xlsx"
    write_excel(card.tables(), workbook)
    right.download_button("Download every table (Excel)", workbook.read_bytes(),
                          file_name=f"weekly_scorecard_{week}.xlsx", key="weekly_xlsx",
                          mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
