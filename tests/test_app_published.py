"""A page reading the published schedules stops with the problem when they no longer match the roster."""
from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _page() -> None:
    import streamlit as st

    from ui.components.published import read_or_stop

    def unreadable():
        raise ValueError("assignments.csv, row 2, column host_id: 'H9' is not in hosts.csv")

    st.write(read_or_stop(lambda: "read"))
    read_or_stop(unreadable)
    st.write("not reached")


def test_a_schedule_the_roster_does_not_match_stops_the_page_with_why():
    app = AppTest.from_function(_page).run()
    assert not app.exception
    assert [m.value for m in app.markdown] == ["read"]
    assert [e.value for e in app.error] == ["The published schedules cannot be read against the roster:\n\n"
                                            "assignments.csv, row 2, column host\\_id: 'H9' is not in hosts.csv"]  # markdown escaped
