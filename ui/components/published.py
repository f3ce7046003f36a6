"""Reading the published schedules on a page: a schedule the roster no longer matches stops the page with why."""
from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import streamlit as st

from contract import DataError
from ui.theme import plain

T = TypeVar("T")


def read_or_stop(read: Callable[[], T]) -> T:
    """`read()`, or the page stops with the problem when the published schedules do not match the roster."""
    try:
        return read()
    except (DataError, ValueError) as err:
        st.error(f"The published schedules cannot be read against the roster:\n\n{plain(err)}")
        st.stop()
