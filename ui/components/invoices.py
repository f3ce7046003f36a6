"""The studio's invoices to the people it pays (`store.invoices`): drafted from a period's pay and marked sent and
paid on the Payroll page; each host sees the status of their own on My hours & pay, and nobody else's."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from contract.files import neutralise_formulas
from store.invoices import NEXT, PAID, SENT
from ui import state
from ui.auth import User
from ui.theme import plain

_NOTICE = "invoices_notice"
_WHEN = "DD MMM YYYY HH:mm"
STATUS_COLOURS = {"draft": "#f1f5f9", SENT: "#fef3c7", PAID: "#dcfce7"}
PRESETS = {"USD": "dollar", "EUR": "euro", "JPY": "yen"}  # Streamlit's number formats with thousands separators


def _table(frame: pd.DataFrame, columns: list[str], key: str) -> None:
    settings = state.studio_settings()
    money = PRESETS.get(settings.currency, f"{settings.currency_symbol}%.2f")
    shown = frame[columns].style.apply(
        lambda row: [f"background-color: {STATUS_COLOURS.get(row['status'], '')}"] * len(row), axis=1)
    st.dataframe(shown, hide_index=True, width="stretch", key=key, column_config={
        "amount": st.column_config.NumberColumn("amount", format=money),
        "period_start": st.column_config.DateColumn("from", format="DD MMM YYYY"),
        "period_end": st.column_config.DateColumn("to", format="DD MMM YYYY"),
        "drafted_at": st.column_config.DatetimeColumn("drafted", format=_WHEN),
        "sent_at": st.column_config.DatetimeColumn("sent", format=_WHEN),
        "paid_at": st.column_config.DatetimeColumn("paid", format=_WHEN),
        "drafted_by": st.column_config.TextColumn("drafted by"), "sent_by": st.column_config.TextColumn("sent by"),
        "paid_by": st.column_config.TextColumn("paid by")})


def studio_invoices(user: User, paid: pd.DataFrame, start, end) -> None:
    """The period's invoices: draft them from the pay above, mark them sent or paid, download them."""
    store = state.store()
    st.subheader("Invoices the studio issues")
    st.caption("One invoice per person owed pay for these days, for the total above: a draft until you send it to the "
               "person, then paid. Drafting again gives a draft the new amount; a sent or paid invoice stays as the "
               "person received it. Each person sees the status of their own on My hours & pay.")
    if message := st.session_state.pop(_NOTICE, None):
        st.success(plain(message))
    if st.button("Draft invoices from this pay", key="invoices_draft", disabled=not user.can_edit):
        drafted = store.invoices.draft(paid, state.studio_settings().currency, user.name)
        _done(drafted.summary() + ".")
    found = store.invoices.of_period(start, end)
    if not len(found):
        st.caption("No invoice for these days yet.")
        return
    names = state.host_names()
    found = found.assign(name=found["person_id"].map(lambda p: names.get(p, p)))
    _table(found, ["number", "name", "amount", "currency", "status", "drafted_by", "drafted_at", "sent_by",
                   "sent_at", "paid_by", "paid_at"], "invoices_table")
    with st.form("invoices_mark", clear_on_submit=True):
        cols = st.columns([3, 1.2, 0.8])
        numbers = cols[0].multiselect("Invoices", found.loc[found["status"].isin(list(NEXT)), "number"].tolist(),
                                      key="invoices_numbers", placeholder="pick the invoices")
        status = cols[1].radio("Mark as", [SENT, PAID], horizontal=True, key="invoices_status")
        cols[2].write("")
        marked = cols[2].form_submit_button("Mark", type="primary", disabled=not user.can_edit, key="invoices_submit")
    if marked:
        try:
            done = store.invoices.mark(numbers, status, user.name)
        except ValueError as err:
            st.error(plain(err))
        else:
            _done(f"{done} invoice(s) marked {status} by {user.name}.")
    st.download_button("Download these invoices (CSV)", neutralise_formulas(found).to_csv(index=False),
                       file_name=f"invoices_{start}_{end}.csv", mime="text/csv", key="invoices_download")


def _done(message: str) -> None:
    st.session_state[_NOTICE] = message
    st.rerun()


def my_invoices(host_id: str) -> None:
    """The signed-in person's own invoices and where each stands; read by their host_id only."""
    st.subheader("My invoices")
    found = state.store().invoices.of_person(host_id)
    if not len(found):
        st.caption("No invoice yet: the studio drafts one per pay period and sends it to you.")
        return
    waiting = found.loc[found["status"] == SENT, "amount"].sum()
    if waiting:
        st.caption(f"{state.studio_settings().currency_symbol}{waiting:,.2f} sent to you and not paid yet.")
    _table(found, ["number", "period_start", "period_end", "amount", "currency", "status", "sent_at", "paid_at"],
           "my_invoices")
