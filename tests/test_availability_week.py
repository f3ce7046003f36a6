"""The roster's week as HTML: one row per host who can stream, each day's windows placed on the week's clock (a
window past midnight on both days), time off and extras drawn over them, every name escaped."""
from __future__ import annotations

from datetime import date

import pandas as pd

from ui.availability_week import availability_html, availability_layout

MONDAY = date(2026, 11, 30)


def windows(*rows) -> pd.DataFrame:
    return pd.DataFrame([{"host_id": h, "start": pd.Timestamp(s), "end": pd.Timestamp(e), "shown": shown,
                          "note": note} for h, s, e, shown, note in rows])


def placed(layout) -> dict:
    return {row.host_id: [(bar.day.isoformat(), bar.shown, bar.left, bar.width) for bar in row.bars]
            for row in layout.rows}


def test_each_window_sits_on_the_days_clock_with_time_off_over_it():
    layout = availability_layout(windows(
        ("h1", "2026-11-30 09:00", "2026-11-30 17:00", "available", ""),
        ("h1", "2026-11-30 12:00", "2026-11-30 13:00", "time off", "dentist"),
        ("h2", "2026-12-01 10:00", "2026-12-01 15:00", "available", ""),
    ), {"h1": "Ana"}, MONDAY)
    assert (layout.first_hour, layout.last_hour) == (9, 17)  # the clock runs from the earliest hour to the latest
    assert placed(layout) == {"h1": [("2026-11-30", "available", 0, 100), ("2026-11-30", "time off", 37.5, 12.5)],
                              "h2": [("2026-12-01", "available", 12.5, 62.5)]}
    assert [(row.label, row.hours) for row in layout.rows] == [("Ana (h1)", 8.0), ("h2", 5.0)]
    assert layout.rows[0].bars[1].hover == "Ana (h1)\ntime off Mon 30 Nov 12:00–13:00\ndentist"
    assert layout.days[0] == MONDAY and len(layout.days) == 7


def test_a_window_past_midnight_is_drawn_on_both_days_and_named_whole():
    layout = availability_layout(windows(("h2", "2026-12-01 20:00", "2026-12-02 02:00", "available", "")), {}, MONDAY)
    assert (layout.first_hour, layout.last_hour) == (0, 24)
    assert placed(layout) == {"h2": [("2026-12-01", "available", 83.333, 16.667),
                                     ("2026-12-02", "available", 0, 8.333)]}
    assert layout.rows[0].hours == 6.0
    assert {bar.hover for bar in layout.rows[0].bars} == {"h2\navailable Tue 01 Dec 20:00–Wed 02 Dec 02:00"}


def test_nobody_who_can_stream_gives_no_week_and_time_off_alone_gives_no_row():
    only_off = windows(("h3", "2026-11-30 09:00", "2026-11-30 17:00", "time off", ""))
    assert availability_layout(only_off, {}, MONDAY) is None
    both = pd.concat([only_off, windows(("h1", "2026-11-30 09:00", "2026-11-30 10:00", "available", ""))])
    assert [row.host_id for row in availability_layout(both.reset_index(drop=True), {}, MONDAY).rows] == ["h1"]


def test_names_and_notes_from_data_are_escaped():
    layout = availability_layout(windows(
        ("h1", "2026-11-30 09:00", "2026-11-30 17:00", "available", ""),
        ("h1", "2026-11-30 12:00", "2026-11-30 13:00", "time off", '<img src=x onerror="alert(1)">'),
    ), {"h1": "<b>Ana</b>"}, MONDAY)
    page = availability_html(layout)
    assert "<img" not in page and "<b>Ana</b>" not in page
    assert "&lt;b&gt;Ana&lt;/b&gt; (h1)" in page and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in page
    assert page.count('class="av-bar') == 2 and page.count('class="av-row"') == 1
