"""My streams: a host's own published streams still to come, each with its run-of-show brief, what changed
since they last looked, and their calendar link."""
from __future__ import annotations

from datetime import datetime

import pandas as pd
import streamlit as st

from contract import DataError
from store.feeds import feed_path
from store.streams import in_words
from ui import auth, state
from ui import workflow_state as wf
from ui.components import mine, published
from ui.components.my_requests import drop_form, open_slots_section
from ui.theme import empty_state, plain
from workflows import render_html

user, host_id = auth.current_host()
store = state.store()
st.title("My streams")
st.caption(f"{plain(mine.my_name(host_id))} · times are {plain(state.studio_settings().time_zone)}")

# --- what changed ---------------------------------------------------------------------------------------------
st.subheader("What changed since you last looked")
last = store.users.last_looked(user.name)
changes = store.changes_since(host_id, last or datetime.min)
if last is None:
    st.caption("This is your first look: every stream below is new to you.")
elif changes:
    st.markdown("\n".join(f"- {plain(in_words(change))}" for change in changes))
else:
    st.caption(f"Nothing changed since {last:%a %d %b %H:%M}.")
if (last is None or changes) and st.button("Mark as seen", key="mark_seen"):
    store.users.looked(user.name, datetime.now())
    st.rerun()

# --- upcoming streams -----------------------------------------------------------------------------------------
st.subheader("Coming up")
coming = published.read_or_stop(lambda: mine.upcoming(host_id))
if not len(coming):
    empty_state("No stream coming up", "Once a week with a stream of yours is published, it appears here with its "
                                       "run-of-show. Open slots you can take are listed below.")
else:
    st.dataframe(coming[["start", "end", "channel", "category", "product_tier", "room", "role", "slot_id"]],
                 hide_index=True, width="stretch", key="my_upcoming", column_config={
                     "start": st.column_config.DatetimeColumn("starts", format="ddd DD MMM HH:mm"),
                     "end": st.column_config.DatetimeColumn("ends", format="HH:mm")})


def _brief(stream: pd.Series) -> None:
    """The stream's run-of-show: time blocks, then the products in order with talking points and claims."""
    show = next((s for s in wf.shows(stream["start"].date()) if s.slot_id == stream["slot_id"]), None)
    if show is None:
        st.caption("No run-of-show for this stream yet.")
        return
    names = show.products.set_index("sku")["name"] if len(show.products) else pd.Series(dtype="str")
    st.dataframe(pd.DataFrame([{"from": f"{b.start:%H:%M}", "to": f"{b.end:%H:%M}", "what": b.kind,
                                "products": ", ".join(str(names.get(s, s)) for s in b.skus)} for b in show.blocks]),
                 hide_index=True, width="stretch", key=f"my_blocks_{show.slot_id}")
    products = show.products[["name", "sku", "product_tier", "price", "talking_points", "claims"]].copy()
    for column in ("talking_points", "claims"):
        products[column] = products[column].map(lambda items: " · ".join(items))
    st.dataframe(products, hide_index=True, width="stretch", key=f"my_products_{show.slot_id}")
    st.download_button("Download this brief (HTML)", lambda: render_html([show], f"Run-of-show {show.slot_id}",
                                                                         wf.rules()),
                       file_name=f"run_of_show_{show.slot_id}.html", mime="text/html",
                       key=f"my_brief_{show.slot_id}")


for number, stream in coming.head(14).iterrows():
    label = f"{stream['start']:%a %d %b %H:%M}–{stream['end']:%H:%M} · {stream['channel']} ({stream['role']})"
    with st.expander(plain(label), expanded=number == 0):  # the next stream's brief is open
        try:
            _brief(stream)
        except (DataError, ValueError) as err:
            st.error(f"The run-of-show cannot be built:\n\n{plain(err)}")

if len(coming):
    drop_form(user, host_id, coming)
open_slots_section(user, host_id)

# --- calendar -------------------------------------------------------------------------------------------------
st.subheader("My calendar")
st.caption("Subscribe once in Google or Apple Calendar: moved, added and cancelled streams update there. The link "
           "is shown only when it is made; making a new one stops the old one.")
if made := st.session_state.pop("my_feed_path", None):
    st.code(made, language=None)
    st.caption("Put the app's address before this path, e.g. https://ops.studio.com" + plain(made))
if st.button("Make my calendar link", key="my_feed"):
    st.session_state["my_feed_path"] = feed_path(store.feeds.new_token(host_id, user.name))
    st.rerun()
