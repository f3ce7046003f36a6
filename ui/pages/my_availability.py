"""My availability & time off: a host's own usual week (the weekly template's rows of theirs), which they edit,
their time-off requests, pending until an associate approves them, and what became of everything they asked."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from contract import DataError
from contract.schemas import AVAILABILITY_TEMPLATE, WEEKDAYS
from contract.weeks import week_label
from scheduler.availability import read_checked
from store import VersionConflict
from ui import auth, state
from ui.components import mine
from ui.components.my_requests import my_requests_table, notice, time_off_form
from ui.theme import plain, show_html

TIME_HELP = "HH:MM, e.g. 09:00. An end at or before the start runs past midnight (17:00 to 02:00)."

user, host_id = auth.current_host()
store = state.store()
st.title("My availability & time off")
st.caption(plain(mine.my_name(host_id)))
notice()

# --- my usual week --------------------------------------------------------------------------------------------
st.subheader("My usual week")
st.caption("One row per shift you can usually stream, repeated every week. The scheduler plans from it; time off "
           "you ask for below counts once an associate approves it.")
template = state.frames().availability_template
version = store.table_version("availability_template")
order = {day: i for i, day in enumerate(WEEKDAYS)}
mine_rows = template.loc[template["host_id"] == host_id, ["weekday", "start", "end"]]
mine_rows = mine_rows.assign(_order=mine_rows["weekday"].map(order)).sort_values(["_order", "start"]).drop(
    columns="_order").reset_index(drop=True)
edited = st.data_editor(mine_rows, num_rows="dynamic", hide_index=True, width="stretch", key="my_template",
                        column_config={
                            "weekday": st.column_config.SelectboxColumn(options=list(WEEKDAYS), required=True),
                            "start": st.column_config.TextColumn(help=TIME_HELP, required=True),
                            "end": st.column_config.TextColumn(help=TIME_HELP, required=True)})


def _save(rows: pd.DataFrame) -> None:
    """My rows checked as the roster checks them, then saved with everyone else's rows as they are."""
    rows = rows.dropna(how="all").fillna("").astype("str").assign(host_id=host_id)
    checked = read_checked(rows[["host_id", "weekday", "start", "end"]], AVAILABILITY_TEMPLATE, [host_id])
    others = template.loc[template["host_id"] != host_id]
    store.save_table("availability_template", pd.concat([others, checked], ignore_index=True), user.name, version)


if st.button("Save my usual week", type="primary", key="my_template_save"):
    try:
        _save(edited)
    except (DataError, VersionConflict, ValueError) as err:  # a rejected save is a DataError too
        st.error(f"Not saved:\n\n{plain(err)}")
    else:
        state.invalidate()
        st.session_state["my_requests_notice"] = "Your usual week is saved."
        st.rerun()

week = week_label(mine.now())
drawn = state.availability_week(week, (host_id,))
if drawn is not None:
    st.caption(f"This week ({week}) as the scheduler sees it: your usual week and dated windows, less approved "
               "time off.")
    show_html(drawn)

# --- time off -------------------------------------------------------------------------------------------------
st.subheader("Ask for time off")
time_off_form(user, host_id)

st.subheader("What I asked for")
my_requests_table(host_id)
