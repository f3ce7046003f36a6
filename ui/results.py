"""What the scorecard pages share: their opening (title, empty state, the day or week picker) and the look of
their comparison tables."""
from __future__ import annotations

from typing import Literal

import pandas as pd
import streamlit as st

from metrics.settings import DECIMAL, MONEY, PERCENT, ScorecardSettings, label
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


def metric_columns(frame: pd.DataFrame, settings: ScorecardSettings, before: str) -> dict:
    """Column headings and number formats for a table of metrics beside their values `before` (the trailing
    days or the previous week): `m`, `m_trailing` or `m_prev`, `m_change` and `m_change_pct`."""
    money = "dollar" if settings.currency == "$" else f"{settings.currency}%.0f"
    config = {}
    for column in frame.columns:
        if not pd.api.types.is_numeric_dtype(frame[column]) or pd.api.types.is_bool_dtype(frame[column]):
            continue
        metric = column.removesuffix("_change_pct").removesuffix("_change").removesuffix("_trailing") \
            .removesuffix("_prev").removesuffix("_pct")
        if column.endswith("_change_pct"):
            config[column] = st.column_config.NumberColumn(f"{label(metric)} vs {before}", format="%+.1f%%")
        elif column.endswith("_pct"):
            config[column] = st.column_config.NumberColumn(label(metric), format="%.0f%%")
        else:
            heading = {"_trailing": f"{label(metric)}, {before}", "_prev": f"{label(metric)}, {before}",
                       "_change": f"{label(metric)} change"}.get(column[len(metric):], label(metric))
            number = money if metric in MONEY else "percent" if metric in PERCENT else "%.1f" if metric in DECIMAL \
                else "%.0f"
            config[column] = st.column_config.NumberColumn(heading, format=number)
    return config
