"""A host's side of requests: ask for time off, flag a stream they cannot make, claim an open slot, and see what
became of what they asked. Every form files a request for the signed-in host's own host_id only."""
from __future__ import annotations

from datetime import datetime, time, timedelta

import pandas as pd
import streamlit as st

from store.approvals import Decisions
from ui import state
from ui.auth import User
from ui.components import mine
from ui.theme import plain

_NOTICE = "my_requests_notice"
_ASKED = {"claim": "Claim of", "drop": "Can't make"}


def _done(message: str) -> None:
    st.session_state[_NOTICE] = message
    st.rerun()


def notice() -> None:
    if message := st.session_state.pop(_NOTICE, None):
        st.success(plain(message))


def time_off_form(user: User, host_id: str) -> None:
    """Ask for time off; it stays pending (and the scheduler does not see it) until an associate approves it."""
    first = mine.now().date() + timedelta(days=1)
    with st.form("time_off", clear_on_submit=True):
        cols = st.columns(4)
        start_day = cols[0].date_input("Away from (day)", value=first, key="time_off_from_day")
        start_at = cols[1].time_input("from (time)", value=time(0, 0), key="time_off_from_time")
        end_day = cols[2].date_input("back on (day)", value=first + timedelta(days=1), key="time_off_to_day")
        end_at = cols[3].time_input("at (time)", value=time(0, 0), key="time_off_to_time")
        why = st.text_input("Why (the associate sees it)", placeholder="e.g. dentist", key="time_off_note")
        asked = st.form_submit_button("Ask for time off", type="primary", key="time_off_ask")
    if asked:
        start, end = datetime.combine(start_day, start_at), datetime.combine(end_day, end_at)
        try:
            state.store().requests.ask_time_off(host_id, start, end, why, user.name)
        except ValueError as err:
            st.error(plain(err))
        else:
            _done(f"Time off from {start:%a %d %b %H:%M} to {end:%a %d %b %H:%M} asked for: it waits for an "
                  "associate's approval.")


def drop_form(user: User, host_id: str, coming: pd.DataFrame) -> None:
    """Flag one of the person's upcoming streams they cannot make."""
    st.markdown("**Can't make a stream?**")
    labels = {row.slot_id: f"{row.start:%a %d %b %H:%M} {row.channel} ({row.slot_id})" for row in coming.itertuples()}
    with st.form("drop_stream", clear_on_submit=True):
        cols = st.columns([2, 3, 1])
        slot_id = cols[0].selectbox("Stream", list(labels), format_func=labels.get, key="drop_slot")
        why = cols[1].text_input("Why", key="drop_note")
        cols[2].write("")
        flagged = cols[2].form_submit_button("Flag it", key="drop_ask")
    if flagged:
        try:
            state.store().requests.drop(slot_id, host_id, why, user.name)
        except ValueError as err:
            st.error(plain(err))
        else:
            _done(f"{labels[slot_id]} flagged: an associate finds someone to cover it; it stays yours until then.")


def open_slots_section(user: User, host_id: str) -> None:
    """The offered slots this person could take without breaking a hard rule, each with a claim button."""
    st.subheader("Open slots you can take")
    notice()
    slots = state.frames().slots.set_index("slot_id")
    takeable = Decisions(state.store()).open_slots_for(host_id, mine.now())
    if not takeable:
        st.caption("No open slot you could take right now.")
        return
    asked = set(state.store().requests.of_person(host_id).query("kind == 'claim' and status == 'pending'")["slot_id"])
    for slot_id in takeable:
        slot = slots.loc[slot_id]
        cols = st.columns([4, 1])
        cols[0].markdown(plain(f"{slot['start']:%a %d %b %H:%M}–{slot['end']:%H:%M} · {slot['channel']} · "
                               f"{slot['category']} ({slot['product_tier']})"))
        if slot_id in asked:
            cols[1].caption("claimed, waiting for approval")
        elif cols[1].button("Claim", key=f"claim_{slot_id}"):
            try:
                state.store().requests.claim(slot_id, host_id, "", user.name)
            except ValueError as err:
                st.error(plain(err))
            else:
                _done(f"You claimed {slot_id}: it is yours once an associate approves.")


def my_requests_table(host_id: str) -> None:
    """What the person asked for and what became of it, newest first."""
    asked = state.store().requests.of_person(host_id)
    if not len(asked):
        st.caption("You have not asked for anything yet.")
        return
    st.markdown("\n".join(f"- {plain(_line(row))}" for row in asked.itertuples()))


def _line(row) -> str:
    """'Time off Fri 04 Dec 09:00 – Fri 04 Dec 18:00 (dentist): approved by cara'."""
    what = (f"Time off {row.start:%a %d %b %H:%M} – {row.end:%a %d %b %H:%M}" if row.kind == "time off"
            else f"{_ASKED[row.kind]} {row.slot_id}")
    said = f" ({row.note})" if row.note else ""
    decided = f" by {row.decided_by}" if row.decided_by else ""
    decided += f": {row.decision_note}" if row.decision_note else ""
    return f"{what}{said}: {row.status}{decided}"
