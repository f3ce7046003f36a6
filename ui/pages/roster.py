"""Roster: hosts and assistants (tier, categories, languages, rates, caps) and when they can stream."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from store import ImportRejected, VersionConflict
from ui import auth, state
from ui.theme import empty_state

LISTS = ("categories", "languages")

user = auth.current_user()
store = state.store()
frames = state.frames()
st.title("Roster")
st.caption("Edit in place, then save: every row is checked against the data contract before anything is stored, "
           "and if someone else saved the roster since you opened it you are told instead of overwriting them.")


def editable(frame: pd.DataFrame) -> pd.DataFrame:
    """Lists as `a|b` text, the way the files write them, so a cell can be typed into."""
    out = frame.copy()
    for column in LISTS:
        if column in out:
            out[column] = out[column].map(lambda items: "|".join(items) if isinstance(items, tuple) else items)
    return out


def remember_version(kind: str) -> int:
    """The table's version when this person opened it; saving checks nobody saved in between."""
    key = f"opened_version_{kind}"
    if key not in st.session_state:
        st.session_state[key] = store.table_version(kind)
    return st.session_state[key]


def save(kind: str, edited: pd.DataFrame) -> None:
    try:
        store.save_table(kind, edited, user.name, expected_version=remember_version(kind))
    except VersionConflict as err:
        st.error(str(err))
        if st.button("Reload the latest roster", key=f"reload_{kind}"):
            st.session_state.pop(f"opened_version_{kind}", None)
            state.invalidate()
            st.rerun()
        return
    except ImportRejected as err:
        st.error("Not saved: fix these cells first.")
        st.dataframe(pd.DataFrame([{"row": p.row, "column": p.column, "why": p.message}
                                   for p in err.report.problems]), hide_index=True, use_container_width=True)
        return
    st.session_state.pop(f"opened_version_{kind}", None)
    state.invalidate()
    st.session_state["roster_notice"] = f"{kind.capitalize()} saved."
    st.rerun()


if notice := st.session_state.pop("roster_notice", None):
    st.success(notice)

hosts = frames["hosts.csv"]
hosts_tab, availability_tab = st.tabs([f"Hosts and assistants ({len(hosts)})", "Availability"])
with hosts_tab:
    remember_version("hosts")
    if hosts.empty:
        empty_state("No hosts yet", "Add rows below or import hosts.csv on the Data page.")
    tiers = hosts["tier"].value_counts().reindex(["A", "B", "C"], fill_value=0)
    st.markdown(" · ".join(f"**{count}** tier {tier}" for tier, count in tiers.items())
                + f" · **{int((hosts['role'] == 'assistant').sum())}** assistants")
    edited_hosts = st.data_editor(
        editable(hosts), num_rows="dynamic", hide_index=True, use_container_width=True, key="hosts_editor",
        disabled=not user.can_edit,
        column_config={
            "tier": st.column_config.SelectboxColumn(options=["A", "B", "C"], required=True),
            "role": st.column_config.SelectboxColumn(options=["host", "assistant"]),
            "hourly_rate": st.column_config.NumberColumn(format="dollar", min_value=0),
            "commission_rate": st.column_config.NumberColumn(format="percent", min_value=0, max_value=1),
            "categories": st.column_config.TextColumn(help="separate with |, e.g. beauty|skincare"),
            "languages": st.column_config.TextColumn(help="separate with |, e.g. en|es"),
        })
    if user.can_edit and st.button("Save hosts", type="primary", key="save_hosts"):
        save("hosts", edited_hosts)

with availability_tab:
    remember_version("availability")
    availability = frames["availability.csv"]
    names = dict(zip(hosts["host_id"], hosts["name"]))
    never = sorted(set(hosts["host_id"]) - set(availability["host_id"]))
    if never:
        st.warning("No availability at all for: " + ", ".join(f"{names.get(h, h)} ({h})" for h in never) +
                   ". The optimiser cannot give them a slot until you add windows.")
    who = st.selectbox("Host", ["everyone"] + hosts["host_id"].tolist(), key="availability_host",
                       format_func=lambda h: h if h == "everyone" else f"{names.get(h, h)} ({h})")
    shown = availability if who == "everyone" else availability[availability["host_id"] == who]
    edited_windows = st.data_editor(
        shown.sort_values(["host_id", "start"]), num_rows="dynamic", hide_index=True, use_container_width=True,
        key=f"availability_editor_{who}", disabled=not user.can_edit,
        column_config={"host_id": st.column_config.SelectboxColumn(options=hosts["host_id"].tolist(), required=True),
                       "start": st.column_config.DatetimeColumn(format="ddd D MMM YYYY, HH:mm", required=True),
                       "end": st.column_config.DatetimeColumn(format="ddd D MMM YYYY, HH:mm", required=True)})
    if user.can_edit and st.button("Save availability", type="primary", key="save_availability"):
        others = availability if who == "everyone" else availability[availability["host_id"] != who]
        combined = edited_windows if who == "everyone" else pd.concat([others, edited_windows], ignore_index=True)
        save("availability", combined)
