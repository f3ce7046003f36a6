"""Weekly scorecard for leadership: targets with red/amber/green, change, trends, hosts, insights, exports."""
from __future__ import annotations

import streamlit as st

from metrics import charts
from metrics.export import weekly_html
from ui import state
from ui.results import metric_columns, open_results_page
from ui.theme import kpi_tile, plain, sentences, shares, show_html, sparkline, tiles
from ui.workflow_state import workbook_bytes

settings = state.scorecard_settings()
week, _, (caption,) = open_results_page(
    "Weekly scorecard", "week", "weekly_week", widths=[1, 3],
    what_to_import="Import sessions.csv and sku_sales.csv (or a TikTok Shop LIVE export) on the Data page; the "
                   "weekly scorecard appears as soon as a week has streams.")
card = state.weekly(week)
caption.caption(f"{plain(card.studio_name)} · {week} compared with {card.previous_week} · rates are ratios of the "
                "week's sums")


def _tile(row) -> str:
    value = settings.value(row.metric, row.actual)
    change = "" if row.change_pct != row.change_pct else f"{row.change_pct:+.1f} % vs {card.previous_week}"
    direction = (0 if row.change_pct != row.change_pct
                 else 1 if row.change_pct > 0 else -1 if row.change_pct < 0 else 0)
    target = ""
    if row.target == row.target:
        target = f"target {settings.value(row.metric, row.target)} · {row.status}"
    weeks = card.trend["week"].tolist()
    values = card.trend[row.metric].tolist()
    hover = " · ".join(f"{w}: {settings.value(row.metric, v)}" for w, v in zip(weeks, values))
    spark = sparkline(values, row.target if row.target == row.target else None, hover)
    return kpi_tile(row.label, value, change, direction, row.status or "none", target, spark)


headline = card.headline()
tiles([_tile(row) for row in headline.itertuples()], per_row=4)

st.subheader("What moved, and what to do")
if card.insights:
    sentences(card.insights)
else:
    st.info("Nothing stood out this week: no target missed, no host or slot time far from the studio's rate.")

st.subheader(f"Trend, last {len(card.trend)} weeks")
labels = dict(zip(headline["metric"], headline["label"]))
metric = st.pills("KPI", list(labels), format_func=labels.get, default=headline["metric"].iloc[0],
                  key="weekly_trend_metric", label_visibility="collapsed") or headline["metric"].iloc[0]
st.plotly_chart(state.weekly_trend(week, metric), width="stretch", key="weekly_trend")

st.subheader("Hosts")
figures = state.weekly_figures(week)
left, right = st.columns([3, 2])
left.plotly_chart(figures.hosts, width="stretch")
effects = [c for c in ("effect", "effect_low", "effect_high") if c in card.hosts.columns]
host_columns = ["name", "host_id", "tier", *effects, "live_hours", "gmv_per_hour", "conversion_rate", "gmv_change"]
number = {"effect": st.column_config.NumberColumn("effect", format="%.2f×",
                                                  help="GMV per live hour against an average host in comparable "
                                                       "slots (1.00× = average), learnt from every result so far"),
          "effect_low": st.column_config.NumberColumn("80 % low", format="%.2f×"),
          "effect_high": st.column_config.NumberColumn("80 % high", format="%.2f×"),
          "gmv_per_hour": st.column_config.NumberColumn("GMV / hour", format="dollar"),
          "live_hours": st.column_config.NumberColumn("live hours", format="%.1f"),
          "conversion_rate": st.column_config.NumberColumn("conversion", format="percent"),
          "gmv_change": st.column_config.NumberColumn("GMV change", format="dollar")}
right.markdown(f"**Best hosts** by what they add (at least {settings.min_host_hours:g} live hours)")
right.dataframe(card.best_hosts[host_columns], hide_index=True, width="stretch", column_config=number)
right.markdown("**Weakest hosts**")
right.dataframe(card.weakest_hosts[host_columns], hide_index=True, width="stretch", column_config=number)

st.subheader("Product tiers, channels and slot times")
left, right = st.columns(2)
if len(card.tier_mix):
    tiers = card.tier_mix["product_tier"].tolist()
    show_html(shares("GMV share by product tier",
                         [(card.previous_week, card.tier_mix["gmv_share_pct_prev"].tolist()),
                          (week, card.tier_mix["gmv_share_pct"].tolist())],
                         tiers, [charts.TIER_COLOURS.get(t, charts.PALETTE[5]) for t in tiers]), left)
left.dataframe(card.channels, hide_index=True, width="stretch",
               column_config=metric_columns(card.channels, settings, card.previous_week))
right.dataframe(card.slot_times.drop(columns="hour"), hide_index=True, width="stretch",
                column_config={"slot_time": "Slot time",
                               **metric_columns(card.slot_times, settings, card.previous_week)})
if figures.retention is not None:
    st.plotly_chart(figures.retention, width="stretch")

st.subheader("Export")
st.caption("Each file is prepared when you press its button.")
left, right = st.columns(2)
left.download_button("Download the report (HTML, prints on A4)", lambda: weekly_html(card, settings),
                     file_name=f"weekly_scorecard_{week}.html", mime="text/html", key="weekly_html", on_click="ignore")
right.download_button("Download every table (Excel)", lambda: workbook_bytes(card.tables()),
                      file_name=f"weekly_scorecard_{week}.xlsx", key="weekly_xlsx", on_click="ignore",
                      mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
