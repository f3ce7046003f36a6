"""Highlight clips: the day's moments worth cutting into short videos, ranked, with the audience curve that
shows why, and the clip list for the content team."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from contract import DataError
from contract.files import neutralise_formulas
from metrics.charts import TEMPLATE, plot_text
from ui import state
from ui import workflow_state as wf
from ui.theme import empty_state, kpi_tile, plain, tiles

st.title("Highlight clips")
st.caption("A clip starts a little before viewers (or orders) jumped well above the stream's own recent level and "
           "ends a little after; the score adds up how far each jump stood out.")
days = wf.clip_days()
if not days:
    empty_state("No minute-by-minute viewer counts yet",
                "Clips are found in viewer_minutes.csv (concurrent viewers per minute of each stream). Import it on "
                "the Data page together with the sessions it belongs to.")
    st.stop()

top = st.columns([1.2, 3])
day = top[0].selectbox("Day", days, index=days.index(wf.latest_clip_day(days)),
                       format_func=lambda d: f"{d:%a %d %b %Y}", key="clips_day")
try:
    clips = wf.clips(day)
except (DataError, ValueError) as err:
    st.error(f"Clips cannot be found for this day:\n\n{plain(err)}")
    st.stop()

sessions = state.frames().sessions
streams = int(sessions["start"].dt.date.eq(day).sum())
tiles([
    kpi_tile("clips", str(len(clips)), f"{day:%a %d %b}"),
    kpi_tile("streams with a clip", f"{clips['session_id'].nunique()} / {streams}"),
    kpi_tile("best score", f"{clips['score'].max():.1f}" if len(clips) else "–"),
    kpi_tile("minutes to cut", f"{(clips['end_min'] - clips['start_min']).sum():,}"),
], per_row=4)

if clips.empty:
    latest = wf.latest_clip_day(days)
    elsewhere = f" The latest day with a clip is {latest:%a %d %b}." if len(wf.clips(latest)) else ""
    empty_state("No moment stood out on this day",
                "No stream's audience jumped far enough above its own recent level: that is normal on a quiet day."
                f"{elsewhere} Pick another day, or check that viewer_minutes.csv covers this day's streams.")
    st.stop()

st.subheader("Ranked clips")
table = clips.assign(clip_start=clips["clip_start"].dt.strftime("%H:%M"),
                     clip_end=clips["clip_end"].dt.strftime("%H:%M"))
st.dataframe(table[["rank", "channel", "host", "clip_start", "clip_end", "score", "why", "session_id"]],
             hide_index=True, width="stretch", key="clips_table", column_config={
                 "clip_start": st.column_config.TextColumn("from"),
                 "clip_end": st.column_config.TextColumn("to"),
                 "score": st.column_config.NumberColumn("score", format="%.1f"),
                 "why": st.column_config.TextColumn("why", width="large")})
st.download_button(f"Download the clip list for the content team (CSV, {len(clips)} clips)",
                   neutralise_formulas(clips).to_csv(index=False), file_name=f"clips_{day.isoformat()}.csv",
                   mime="text/csv", key="clips_download")

st.subheader("Audience curve")
labels = clips.drop_duplicates("session_id").set_index("session_id")


def _stream_label(session_id: str) -> str:
    best = labels.loc[session_id]
    return f"{best['channel']} · {best['host']} · clip #{best['rank']} at {best['clip_start']:%H:%M} ({session_id})"


session_id = st.selectbox("Stream", labels.index.tolist(), format_func=_stream_label, key="clips_session")
session, minutes = wf.session_minutes(session_id)
stamps = session["start"] + pd.to_timedelta(minutes["minute"], unit="min")
figure = go.Figure()
figure.add_scatter(x=stamps, y=minutes["concurrent_viewers"], mode="lines", name="concurrent viewers",
                   line={"width": 2})
for clip in clips.loc[clips["session_id"] == session_id].itertuples():
    figure.add_vrect(x0=clip.clip_start, x1=clip.clip_end, fillcolor="#f59e0b", opacity=0.22, line_width=0,
                     annotation_text=f"#{clip.rank}", annotation_position="top left")
figure.update_layout(template=TEMPLATE, height=380, title=plot_text(f"{session['channel']} · {session_id}"),
                     yaxis_title="concurrent viewers", xaxis={"tickformat": "%H:%M"}, showlegend=False)
st.plotly_chart(figure, width="stretch", key="clips_chart")
