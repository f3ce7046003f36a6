"""What the scorecard pages share: their opening (title, empty state, the day or week picker)."""
from __future__ import annotations

from typing import Literal

import streamlit as st

from ui import state
from ui.state import ResultsIndex
from ui.theme import empty_state

PICKERS = {"date": "Day", "week": "Week"}


def open_results_page(title: str, period: Literal["date", "week"], key: str, what_to_import: str,
                      widths: list[float]) -> tuple[str, ResultsIndex, list]:
    """The page's title, then a picker of the days or weeks with results, opening on the latest.

    A studio without results sees what to import instead, and the page stops there. Returns the day or
    week picked, what the results cover (for more filters) and the columns of `widths` beside the picker.
    """
    st.title(title)
    index = state.results_index()
    if index.empty:
        empty_state("No results yet", what_to_import)
        st.stop()
    row = st.columns(widths, vertical_alignment="bottom")
    options = index.dates if period == "date" else index.weeks
    chosen = row[0].selectbox(PICKERS[period], options, index=len(options) - 1, key=key)
    return chosen, index, row[1:]
