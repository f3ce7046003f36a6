"""Data: import the contract's files or a TikTok Shop LIVE export, preview first, see every rejected row, undo."""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from contract import DataError
from metrics.tiktok import read_tiktok_export, rooms_to_sessions
from store import ImportRejected
from store.kinds import KINDS as STORE_KINDS
from ui import auth, services, state
from ui.components.problems import problems_table
from ui.theme import empty_state, plain

# Every kind the store keeps, the daily results first: they are what an associate uploads most.
DAILY = ["sessions", "sku_sales", "viewer_minutes"]
KINDS = [*DAILY, *(kind for kind in STORE_KINDS if kind not in DAILY)]

user = auth.current_user()
store = state.store()
st.title("Data")
st.caption("Every import is checked first and written in one go: a file with a problem changes nothing. "
           "Re-importing the same or an overlapping export updates rows by key and never double-counts.")


def _guess_kind(file_name: str) -> str:
    stem = Path(file_name).stem.lower()
    return next((kind for kind in sorted(KINDS, key=len, reverse=True) if kind in stem), "sessions")


def _show_report(report) -> None:
    cols = st.columns(4)
    cols[0].metric("rows in file", report.rows_in_file)
    cols[1].metric("to add", report.rows_added)
    cols[2].metric("to update", report.rows_updated)
    cols[3].metric("rejected", report.rejected)
    if report.problems:
        st.error(f"{plain(report.file_name)} cannot be imported as it is: fix the rows below and upload it again. "
                 "Nothing has been changed.")
        problems_table(report.problems, report.more_problems)


contract_tab, tiktok_tab, history_tab = st.tabs(["Contract files", "TikTok Shop LIVE export", "Import history"])

with contract_tab:
    if not user.can_edit:
        st.info("Imports are for associates and admins.")
    else:
        upload = st.file_uploader("A contract file: CSV or Excel", type=["csv", "xlsx"], key="contract_upload")
        if upload is None:
            empty_state("Drop a file to import", ", ".join(f"{kind}.csv" for kind in KINDS)
                        + ", as the data contract describes them.")
        else:
            kind = st.selectbox("What the file holds", KINDS, index=KINDS.index(_guess_kind(upload.name)),
                                key="contract_kind")
            content = upload.getvalue()
            try:
                preview = state.import_preview(content, kind, upload.name)
            except DataError as err:
                st.error(f"{plain(upload.name)} cannot be read:\n\n{plain(err)}")
                preview = None
            if preview is not None:
                st.markdown(f"**Preview of {plain(upload.name)}**")
                _show_report(preview)
                if preview.ok and preview.added is not None and len(preview.added):
                    st.dataframe(preview.added.head(20), hide_index=True, width="stretch")
                if st.button("Import", type="primary", disabled=not preview.ok, key="import_contract"):
                    try:
                        report = store.import_file(content, kind, upload.name, user.name)
                        state.invalidate()
                        st.success(report.summary())
                    except ImportRejected as err:
                        _show_report(err.report)

with tiktok_tab:
    if not user.can_edit:
        st.info("Imports are for associates and admins.")
    else:
        st.markdown("Upload `Creator-Live-Performance_<timestamp>.xlsx` as downloaded from TikTok Shop. Each LIVE "
                    "room is matched to the published slot of its channel it overlaps most, which gives its host.")
        frames = state.frames()
        known_channels = sorted(frames.slots["channel"].unique().tolist() +
                                [c for c in frames.sessions["channel"].unique()
                                 if c not in set(frames.slots["channel"])])
        channel = st.selectbox("Channel (the shop this export belongs to)", known_channels, key="tiktok_channel")
        export = st.file_uploader("TikTok Shop LIVE performance export (.xlsx)", type=["xlsx"], key="tiktok_upload")
        if export is not None:
            try:
                parsed = read_tiktok_export(export.getvalue(), export.name)
                plan = services.published_plan(store, frames)
                sessions, attention = rooms_to_sessions(parsed.rooms, channel, frames.slots, plan.assignments)
            except DataError as err:
                st.error(f"{plain(export.name)} cannot be imported:\n\n{plain(err)}")
            else:
                st.markdown(f"**{len(parsed.rooms)} LIVE rooms** from {parsed.period_start:%d %b %Y} to "
                            f"{parsed.period_end:%d %b %Y}; {int(sessions['host_id'].ne('').sum())} matched to a host.")
                if len(attention):
                    st.warning(f"{len(attention)} room(s) need a person: no published slot or no host matched.")
                    st.dataframe(attention, hide_index=True, width="stretch")
                st.dataframe(sessions, hide_index=True, width="stretch")
                if st.button("Import these sessions", type="primary", key="import_tiktok"):
                    try:
                        report = store.import_file(sessions.to_csv(index=False).encode(), "sessions",
                                                   f"{Path(export.name).stem}.csv", user.name)
                        state.invalidate()
                        st.success(report.summary())
                    except ImportRejected as err:
                        _show_report(err.report)

with history_tab:
    history = store.import_history()
    if history.empty:
        empty_state("No imports yet", "Imports you make appear here, with who made them and a way to undo them.")
    else:
        st.dataframe(history, hide_index=True, width="stretch")
        if user.can_edit:
            changed = history[["rows_added", "rows_updated", "rows_deleted"]].sum(axis=1).gt(0)
            undoable = history[history["undone_at"].isna() & changed]
            cols = st.columns([2, 1])
            choice = cols[0].selectbox("Undo an import", undoable["id"].tolist(), key="undo_choice",
                                       format_func=lambda i: f"#{i} {history.set_index('id').at[i, 'file_name']}")
            if choice is not None and cols[1].button("Undo", key="undo_import"):
                try:
                    store.undo_import(int(choice), user.name)
                    state.invalidate()
                    st.success(f"Import #{choice} undone: its rows are back to what they were before.")
                except ValueError as err:
                    st.error(plain(err))
    st.download_button("Download every table as the contract's CSV files (zip)", lambda: state.export_zip(store),
                       file_name="studio_export.zip", mime="application/zip", key="export_all", on_click="ignore",
                       help="The zip is prepared when you press the button: it holds the tables as they are then.")
