"""The table of a file's problems (file, row, column, why): how the Data and Payroll pages show a refused upload."""
from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from contract import Problem


def problems_table(problems: Sequence[Problem], more: int = 0, key: str | None = None) -> None:
    """One row per problem, as the reader named it; `more` says how many of the same kinds were left out."""
    st.dataframe(pd.DataFrame([{"file": p.file, "row": p.row, "column": p.column, "why": p.message}
                               for p in problems]), hide_index=True, width="stretch", key=key)
    if more:
        st.caption(f"… and {more} more problem(s) of the same kinds.")
