"""The daily scorecard's streams set against what the forecast expected of their slot and host."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from metrics.settings import ScorecardSettings


def show(against: pd.DataFrame, settings: ScorecardSettings) -> None:
    """One row per stream: what it sold, what its slot sells with an average host, what its host was expected
    to sell there, and the sentence; an empty table says what would fill it."""
    st.subheader("Streams against the forecast")
    if against.empty:
        st.info("No forecast for this day: it needs the roster (hosts.csv) and streams from earlier days.")
        return
    st.caption("What each stream sold against what the forecast, learnt from the streams before this day, expected "
               "of its slot with an average host, and of its host there.")
    money = "dollar" if settings.currency == "$" else f"{settings.currency}%.0f"
    st.dataframe(
        against[["start", "channel", "name", "gmv", "slot_expected", "vs_slot_pct", "host_expected", "vs_host_pct",
                 "note"]],
        hide_index=True, width="stretch",
        column_config={"start": st.column_config.DatetimeColumn("start", format="HH:mm"), "name": "host",
                       "gmv": st.column_config.NumberColumn("GMV", format=money),
                       "slot_expected": st.column_config.NumberColumn("slot, average host", format=money),
                       "host_expected": st.column_config.NumberColumn("expected of the host", format=money),
                       "vs_slot_pct": st.column_config.NumberColumn("vs slot", format="%+.0f%%"),
                       "vs_host_pct": st.column_config.NumberColumn("vs host", format="%+.0f%%"),
                       "note": st.column_config.TextColumn("in words")},
    )
