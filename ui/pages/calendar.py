"""Calendar: each channel's recurring shows (the show templates), and one ISO week's shows made from them with
its one-offs, cancellations and changes, made into the slots the Schedule page plans."""
from __future__ import annotations

import streamlit as st

from contract.when import studio_now
from ui import auth, state
from ui.components.calendar_golive import go_live
from ui.components.calendar_templates import show_templates
from ui.components.calendar_week import week_calendar
from ui.components.first_run import first_run_checklist
from ui.theme import plain

user = auth.current_user()
store = state.store()
frames = state.frames()
settings = state.scheduler_settings()
st.title("Calendar")
st.caption("The livestream calendar: the shows each channel runs every week, and the weeks made from them. "
           "Every edit is checked against the file rules, the room rule and each channel's own overlap before "
           "it is kept.")
first_run_checklist(store)
if notice := st.session_state.pop("calendar_notice", None):
    st.success(plain(notice))

st.subheader("Show templates")
show_templates(store, user, frames.show_templates, frames.slots, settings)
st.subheader("Week's calendar")
shows = week_calendar(store, user, frames.show_templates, frames.calendar_changes, frames.slots, settings,
                      state.host_names(), studio_now(settings.time_zone).date())
st.subheader("Suggested go-live times")
go_live(shows, state.studio_settings().currency_symbol)
