"""Hours, pay & invoices: the published schedule against what went on air, pay per person, invoices reconciled
and approved, and the payment approval sheet."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from contract import DataError
from contract.files import neutralise_formulas
from contract.people import person_label
from contract.weeks import week_days, week_labels
from metrics.charts import TEMPLATE, plot_text
from ui import auth, state
from ui import workflow_state as wf
from ui.components import published
from ui.components.invoices import studio_invoices
from ui.components.problems import problems_table
from ui.theme import empty_state, kpi_tile, plain, tiles
from workflows import Period, approval_sheet, decide, reconcile, with_decisions
from workflows.invoices import invoice_counts
from workflows.payroll import UPCOMING, needs_a_look

FLAG_COLOURS = {"no-show": "#fee2e2", "late start": "#fef3c7", "early end": "#fef3c7", "on air": "#e0f2fe",
                UPCOMING: "#f1f5f9"}
STATUS_COLOURS = {"matched": "#dcfce7", "over-billed": "#fee2e2", "under-billed": "#fef3c7", "missing": "#fef3c7",
                  "duplicate": "#fee2e2", "unknown person": "#fee2e2", "no pay": "#f1f5f9"}

user = auth.current_user()
store = state.store()
currency = state.scorecard_settings().currency
frames = state.frames()


def money(amount: float) -> str:
    return f"{currency}{amount:,.2f}"


def row_colour(colours: dict[str, str], text: str) -> str:
    """The background of the first key found in `text` (a flag or a status), else none."""
    found = next((colour for key, colour in colours.items() if key in text), "")
    return f"background-color: {found}" if found else ""


def coloured(frame: pd.DataFrame, column: str, colours: dict[str, str]):
    return frame.style.apply(lambda row: [row_colour(colours, str(row[column]))] * len(row), axis=1)


st.title("Hours, pay & invoices")
weeks = published.read_or_stop(wf.published_weeks)
if not weeks:
    empty_state("No published schedule yet",
                "Timesheets, pay and invoices follow the published schedule. Publish the week on the Schedule page "
                "first; the hours each person was scheduled for are then checked against the streams imported on "
                "the Data page.")
    st.stop()

# --- period -------------------------------------------------------------------------------------------------
top = st.columns([1.1, 1.6, 1.1])
mode = top[0].radio("Period", ["A published week", "Dates"], horizontal=True, key="payroll_mode")
if mode == "A published week":
    week = top[1].selectbox("Week", weeks, index=len(weeks) - 1, key="payroll_week")
    chosen = week_days(week)
else:
    chosen = top[1].date_input("From, to (both included)", value=week_days(weeks[-1]),
                               key="payroll_dates")
    if not isinstance(chosen, (tuple, list)) or len(chosen) != 2:
        st.info("Pick the last day of the period too.")
        st.stop()
basis = top[2].radio("Pay hours", ["scheduled", "actual"], horizontal=True, key="payroll_basis",
                     help="scheduled: the slot's hours; actual: the hours the stream was on air")
start, end = chosen[0], chosen[1]
try:
    period = Period(start, end)
except ValueError as err:
    st.error(f"Pick a period that ends after it starts: {plain(err)}")
    st.stop()

slots = frames.slots
in_period = slots.loc[period.contains(slots["start"])]
unpublished = sorted(set(week_labels(in_period["start"])) - set(weeks)) if len(in_period) else []
if unpublished:
    st.warning(f"{plain(', '.join(unpublished))} has slots in this period but no published schedule; those slots "
               "are not counted. Publish the week on the Schedule page first.")
if not period.contains(wf.published_slots()["start"]).any():
    empty_state(f"No published schedule from {start:%d %b} to {end:%d %b %Y}",
                "Publish the week on the Schedule page first; then its timesheet and pay appear here.")
    st.stop()

try:
    sheet, paid = wf.timesheet_and_pay(start, end, basis)
except (DataError, ValueError) as err:
    st.error(f"The timesheet cannot be built:\n\n{plain(err)}")
    st.stop()

# --- timesheet ----------------------------------------------------------------------------------------------
flags = sheet["flag"]
upcoming = int((flags == UPCOMING).sum())
tiles([
    kpi_tile("scheduled lines", f"{len(sheet)}", f"{sheet['person_id'].nunique()} people"),
    kpi_tile("no-shows", str(int(flags.str.contains("no-show").sum())), f"{upcoming} upcoming" if upcoming else "",
             status="red" if flags.str.contains("no-show").any() else "green"),
    kpi_tile("late starts", str(int(flags.str.contains("late start").sum())),
             status="amber" if flags.str.contains("late start").any() else "green"),
    kpi_tile("early ends", str(int(flags.str.contains("early end").sum())),
             status="amber" if flags.str.contains("early end").any() else "green"),
    kpi_tile("hours scheduled / on air", f"{sheet['scheduled_h'].sum():,.1f} / {sheet['actual_h'].sum():,.1f}"),
    kpi_tile("total pay", money(paid["total"].sum()), f"{basis} hours + commission"),
    kpi_tile("hourly pay", money(paid["hourly_pay"].sum())),
    kpi_tile("commission", money(paid["commission"].sum()), "on net GMV (refunds taken off)"),
], per_row=4)

st.subheader("Timesheet")
st.caption("One line per person per published slot. Red: nobody went on air; amber: started late or ended early "
           "(more than 5 minutes); blue: a different host was on air than the schedule says; grey: upcoming, the "
           "slot has not started yet.")
only_flagged = st.toggle("Only the lines that need a look", key="payroll_only_flagged")
shown = sheet.loc[needs_a_look(sheet)] if only_flagged else sheet
columns = ["name", "flag", "scheduled_start", "scheduled_end", "actual_start", "actual_end", "late_min", "early_min",
           "scheduled_h", "actual_h", "net_gmv", "channel", "slot_id", "role"]
st.dataframe(coloured(shown[columns], "flag", FLAG_COLOURS), hide_index=True, width="stretch",
             key="timesheet_table", column_config={
                 "scheduled_start": st.column_config.DatetimeColumn("scheduled", format="ddd DD MMM HH:mm"),
                 "scheduled_end": st.column_config.DatetimeColumn("to", format="HH:mm"),
                 "actual_start": st.column_config.DatetimeColumn("on air", format="HH:mm"),
                 "actual_end": st.column_config.DatetimeColumn("off air", format="HH:mm"),
                 "scheduled_h": st.column_config.NumberColumn("sched. h", format="%.2f"),
                 "actual_h": st.column_config.NumberColumn("on-air h", format="%.2f"),
                 "late_min": st.column_config.NumberColumn("late (min)", format="%.0f"),
                 "early_min": st.column_config.NumberColumn("early (min)", format="%.0f"),
                 "net_gmv": st.column_config.NumberColumn("net GMV", format="dollar"),
                 "flag": st.column_config.TextColumn("needs a look", width="medium")})

# --- pay ----------------------------------------------------------------------------------------------------
st.subheader("Pay per person")
st.caption(f"Hourly rate × {basis} hours, plus the commission rate × the net GMV of the slots the person staffed.")
left, right = st.columns([1, 1.25])
ordered = paid.sort_values("total")
labels = [plot_text(person_label(i, n)) for i, n in zip(ordered["person_id"], ordered["name"])]
figure = go.Figure()
figure.add_bar(y=labels, x=ordered["hourly_pay"], orientation="h", name=f"hourly ({basis} hours)")
figure.add_bar(y=labels, x=ordered["commission"], orientation="h", name="commission")
figure.update_layout(template=TEMPLATE, barmode="stack", height=160 + 22 * len(ordered),
                     xaxis={"tickprefix": currency, "tickformat": ",.0f"}, margin={"t": 30},
                     legend={"traceorder": "normal"})
left.plotly_chart(figure, width="stretch", key="pay_chart")
pay_columns = ["name", f"{basis}_hours", "hourly_rate", "hourly_pay", "commission", "total", "role"]
right.dataframe(paid[pay_columns].sort_values("total", ascending=False), hide_index=True, width="stretch",
                key="pay_table", height=min(40 + 35 * len(paid), 620), column_config={
                    f"{basis}_hours": st.column_config.NumberColumn(f"{basis} h", format="%.1f"),
                    "hourly_rate": st.column_config.NumberColumn("rate", format="dollar"),
                    "hourly_pay": st.column_config.NumberColumn("hourly", format="dollar"),
                    "commission": st.column_config.NumberColumn("commission", format="dollar"),
                    "total": st.column_config.NumberColumn("total", format="dollar")})
st.download_button("Download pay per person (CSV)", neutralise_formulas(paid).to_csv(index=False),
                   file_name=f"pay_{start}_{end}.csv", mime="text/csv", key="download_pay")

# --- invoices -----------------------------------------------------------------------------------------------
studio_invoices(user, paid, start, end)
st.subheader("Invoices")
st.caption(f"Each invoice is matched to the pay computed above for the same person and the same days "
           f"({start} to {end}); a difference of up to {currency}1 counts as matched.")
upload = st.file_uploader("The period's invoices (CSV or Excel)", type=["csv", "xlsx"], key="invoices_upload")
if upload is None:
    empty_state("Upload the period's invoices",
                "A file with the columns invoice_id, person_id, period_start, period_end and amount, one row per "
                "invoice. Each is checked against the pay computed above; you then approve or reject it.")
    st.stop()
try:
    invoices = wf.read_invoices(upload.name, upload.getvalue())
except DataError as err:
    st.error(f"{plain(upload.name)} cannot be reconciled as it is: fix the rows below and upload it again.")
    problems_table(err.problems, err.more, key="invoice_problems")
    st.stop()

decisions = store.decisions("invoice")
result = with_decisions(reconcile(invoices, paid, frames.hosts, file=upload.name), decisions)
counts = invoice_counts(result)
tiles([
    kpi_tile("invoices", str(counts.invoices), f"{money(counts.billed)} billed"),
    kpi_tile("matched", str(counts.matched), status="green"),
    kpi_tile("to query", str(counts.to_query), status="green" if counts.all_matched else "red"),
    kpi_tile("owed without an invoice", str(counts.missing), money(counts.owed_without_invoice),
             status="amber" if counts.missing else "green"),
], per_row=4)
shown_columns = ["invoice_id", "name", "invoiced", "owed", "difference", "status", "decision", "decided_by",
                 "decided_at", "note", "decision_comment", "person_id", "period_start", "period_end"]
st.dataframe(coloured(result[shown_columns], "status", STATUS_COLOURS), hide_index=True, width="stretch",
             key="reconciliation_table", column_config={
                 "invoiced": st.column_config.NumberColumn("invoiced", format="dollar"),
                 "owed": st.column_config.NumberColumn("owed", format="dollar"),
                 "difference": st.column_config.NumberColumn("difference", format="dollar"),
                 "note": st.column_config.TextColumn("note", width="large"),
                 "decided_at": st.column_config.DatetimeColumn("decided at", format="DD MMM HH:mm")})

if notice := st.session_state.pop("payroll_notice", None):
    st.success(plain(notice))
billed = result.loc[result["invoice_id"] != "", "invoice_id"].tolist()
if billed:
    with st.form("invoice_decision", clear_on_submit=True):
        cols = st.columns([1.2, 1, 2.4, 0.9])
        invoice_id = cols[0].selectbox("Invoice", billed, key="decision_invoice")
        verdict = cols[1].radio("Decision", ["approved", "rejected"], key="decision_status",
                                format_func=lambda s: "approve" if s == "approved" else "reject")
        comment = cols[2].text_input("Comment (needed to reject)", key="decision_comment")
        cols[3].write("")
        record = cols[3].form_submit_button("Record", type="primary", disabled=not user.can_edit, key="decision_record")
    if record:
        try:
            made = decide(invoice_id, verdict, comment, user.name)
        except ValueError as err:
            st.error(plain(err))
        else:
            store.record_decision(made.kind, made.subject_id, made.status, made.comment, made.user)
            state.invalidate()
            st.session_state["payroll_notice"] = f"Invoice {made.subject_id} {made.status} by {made.user}."
            st.rerun()

history = decisions.loc[decisions["subject_id"].isin(billed), ["subject_id", "status", "comment", "user", "at"]]
if len(history):
    st.markdown("**Decisions on these invoices** (newest first)")
    st.dataframe(history.iloc[::-1].rename(columns={"subject_id": "invoice", "user": "who", "at": "when"}),
                 hide_index=True, width="stretch", key="decision_history")
else:
    st.caption(plain("No decision on these invoices yet."))

sheets = approval_sheet(result.drop(columns=["decision", "decided_by", "decided_at", "decision_comment"]), paid, sheet,
                        decisions.loc[decisions["subject_id"].isin(billed),
                                      ["kind", "subject_id", "status", "comment", "user", "at"]])
st.download_button("Download the payment approval sheet (Excel)", lambda: wf.workbook_bytes(sheets),
                   file_name=f"payment_approval_{start}_{end}.xlsx", key="download_approval",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
