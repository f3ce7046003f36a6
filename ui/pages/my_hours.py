"""My hours & pay: a host's own scheduled hours and pay for each published week they streamed in, the status of
their invoices, and the lines of one week's timesheet (the payroll's figures, of this person only)."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from contract.weeks import week_days, week_labels
from ui import auth, state
from ui import workflow_state as wf
from ui.components import mine, published
from ui.components.invoices import my_invoices
from ui.theme import empty_state, kpi_tile, plain, tiles

user, host_id = auth.current_host()
currency = state.scorecard_settings().currency
st.title("My hours & pay")
st.caption(f"{plain(mine.my_name(host_id))} · scheduled hours × your hourly rate, plus commission on the net GMV of "
           "your streams")

streams = published.read_or_stop(lambda: mine.my_streams(host_id))
if not len(streams):
    empty_state("No published stream yet", "Once a week with a stream of yours is published, its hours and pay "
                                           "appear here.")
    st.stop()


def week_pay(week: str) -> tuple[pd.DataFrame, pd.Series | None]:
    """This person's timesheet lines and pay row of one published week."""
    start, end = week_days(week)
    sheet, paid = wf.timesheet_and_pay(start, end, "scheduled")
    mine_paid = paid.loc[paid["person_id"] == host_id]
    return (sheet.loc[sheet["person_id"] == host_id].reset_index(drop=True),
            mine_paid.iloc[0] if len(mine_paid) else None)


weeks = sorted(set(week_labels(streams["start"])), reverse=True)
rows = []
for week in weeks:
    _, paid = week_pay(week)
    if paid is not None:
        rows.append({"week": week, "hours": paid["scheduled_hours"], "hourly pay": paid["hourly_pay"],
                     "commission": paid["commission"], "total": paid["total"]})
per_week = pd.DataFrame(rows)
if len(per_week):
    latest = per_week.iloc[0]
    tiles([kpi_tile("latest week", str(latest["week"])),
           kpi_tile("hours", f"{latest['hours']:,.1f}"),
           kpi_tile("pay", f"{currency}{latest['total']:,.2f}", "hourly + commission"),
           kpi_tile(f"all {len(per_week)} week(s)", f"{currency}{per_week['total'].sum():,.2f}")], per_row=4)
    money = st.column_config.NumberColumn(format="dollar")
    st.dataframe(per_week, hide_index=True, width="stretch", key="my_pay_weeks", column_config={
        "hours": st.column_config.NumberColumn(format="%.1f"), "hourly pay": money, "commission": money,
        "total": money})

my_invoices(host_id)

st.subheader("One week's streams")
chosen = st.selectbox("Week", weeks, key="my_pay_week")
sheet, _ = week_pay(chosen)
st.dataframe(sheet[["scheduled_start", "scheduled_end", "channel", "role", "flag", "scheduled_h", "actual_h",
                    "net_gmv"]], hide_index=True, width="stretch", key="my_timesheet", column_config={
    "scheduled_start": st.column_config.DatetimeColumn("scheduled", format="ddd DD MMM HH:mm"),
    "scheduled_end": st.column_config.DatetimeColumn("to", format="HH:mm"),
    "scheduled_h": st.column_config.NumberColumn("sched. h", format="%.2f"),
    "actual_h": st.column_config.NumberColumn("on-air h", format="%.2f"),
    "net_gmv": st.column_config.NumberColumn("net GMV", format="dollar"),
    "flag": st.column_config.TextColumn("note")})
