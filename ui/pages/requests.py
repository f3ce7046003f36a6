"""Requests from hosts: time off, claims of open slots and streams a host cannot make, each approved or declined
by an associate with the hard rules checked again; approved time off that breaks published slots is shown with
the repair that changes the fewest assignments; unstaffed slots of published weeks are offered here."""
from __future__ import annotations

import streamlit as st

from ui import auth, state
from ui.components import requests_inbox as inbox

user = auth.current_user()
st.title("Requests from hosts")
if not user.can_edit:
    st.info("Only an associate or an admin decides requests.")
    st.stop()
inbox.notice()
inbox.repairs(user)
pending = state.store().requests.pending()
inbox.time_off(user, pending)
inbox.claims(user, pending)
inbox.drops(user, pending)
inbox.offers(user)
