"""The Schedule page's week calendar without Streamlit: where each block sits, what it says, what it is coloured,
which hours the clock covers, and that names from data are escaped."""
from __future__ import annotations

import re
from datetime import date

import pandas as pd

from ui.components.week_calendar_hours import hours_html, hours_rows
from ui.components.week_calendar_layout import TIER_COLOURS, UNSTAFFED_COLOUR, calendar_html, week_layout

NAMES = {"H1": "Ana Ruiz", "H2": "Ben <b>Lo</b>", "P1": "Pat"}


def week() -> pd.DataFrame:
    """Two channels on Monday 30 Nov 2026, one show past midnight, one on Wednesday."""
    rows = [("s1", "Glow", "2026-11-30 10:00", "2026-11-30 12:00", "hero", "Studio 1"),
            ("s2", "Glow", "2026-11-30 22:30", "2026-12-01 00:30", "longtail", "Studio 1"),
            ("s3", "Home", "2026-11-30 10:00", "2026-11-30 11:30", "core", "Studio 2"),
            ("s4", "Home", "2026-12-02 18:00", "2026-12-02 20:00", "core", "Studio 1")]
    frame = pd.DataFrame(rows, columns=["slot_id", "channel", "start", "end", "product_tier", "room"])
    return frame.assign(start=pd.to_datetime(frame["start"]), end=pd.to_datetime(frame["end"]), category="beauty",
                        language="en", expected_gmv=1500.0)


def plan() -> pd.DataFrame:
    return pd.DataFrame({"slot_id": ["s1", "s2", "s3", "s4"], "host_id": ["H1", "H2", "", "H1"],
                         "locked": [True, False, False, False], "assistant_ids": ["P1", "", "", ""],
                         "reason": ["", "", "nobody free <script>", ""]})


def test_the_clock_runs_from_the_earliest_show_to_the_latest_and_a_late_show_stays_on_its_day():
    layout = week_layout(week(), plan(), NAMES, "channel")
    assert (layout.first_hour, layout.last_hour) == (10, 25)  # 10:00 to 00:30 the next day, rounded out
    assert layout.days == [date(2026, 11, 30)] + [date(2026, 12, day) for day in range(1, 7)]
    assert layout.lanes == ["Glow", "Home"]
    blocks = {b.slot_id: b for b in layout.blocks}
    assert blocks["s2"].day == date(2026, 11, 30)
    assert (blocks["s1"].top, blocks["s1"].height) == (0, round(2 / 15 * 100, 3))  # 2 of the clock's 15 hours
    assert (blocks["s2"].top, blocks["s2"].height) == (round(12.5 / 15 * 100, 3), round(2 / 15 * 100, 3))
    assert layout.hour_px == 19  # the 1.5 h show gets two lines of 13 px and its padding: 28 px / 1.5 h, rounded up
    assert layout.hour_labels()[:2] == [(0, "10"), (19, "11")] and layout.hour_labels()[-1] == (14 * 19, "00")


def test_a_block_says_its_time_and_host_name_in_its_tier_colour_and_an_unstaffed_one_is_red_with_its_reason():
    blocks = {b.slot_id: b for b in week_layout(week(), plan(), NAMES, "channel").blocks}
    assert (blocks["s1"].time, blocks["s1"].label, blocks["s1"].locked) == ("10:00–12:00", "Ana Ruiz", True)
    assert blocks["s1"].colour == TIER_COLOURS["hero"] and not blocks["s1"].dark_text
    assert blocks["s2"].colour == TIER_COLOURS["longtail"] and blocks["s2"].dark_text and not blocks["s2"].locked
    assert (blocks["s3"].label, blocks["s3"].colour, blocks["s3"].unstaffed) == ("unstaffed", UNSTAFFED_COLOUR, True)
    assert blocks["s3"].hover.splitlines()[0] == "Unstaffed: nobody free <script>"
    assert blocks["s1"].hover.splitlines() == ["Mon 30 Nov 10:00–12:00 · Glow · Studio 1", "host Ana Ruiz (H1), locked",
                                               "assistants Pat", "hero · beauty · en · expected GMV 1,500", "slot s1"]


def test_before_a_plan_the_slots_show_in_their_tier_colour_as_not_planned_yet():
    blocks = week_layout(week(), None, NAMES, "channel").blocks
    assert {b.label for b in blocks} == {"not planned yet"} and not any(b.unstaffed for b in blocks)
    assert blocks[0].colour == TIER_COLOURS["hero"]


def test_room_lanes_and_host_lanes_with_overlapping_unstaffed_slots_side_by_side():
    rooms = week_layout(week(), plan(), NAMES, "room")
    assert rooms.lanes == ["Studio 1", "Studio 2"] and rooms.timeline
    tenth = week().assign(room=["Studio 10", "Studio 10", "Studio 9", "studio 2"])
    assert week_layout(tenth, plan(), NAMES, "room").lanes == ["studio 2", "Studio 9", "Studio 10"]
    extra = week().iloc[[0]].assign(slot_id="s5", start=pd.Timestamp("2026-11-30 11:30"),
                                    end=pd.Timestamp("2026-11-30 12:30"))
    dark = pd.concat([plan(), pd.DataFrame({"slot_id": ["s5"], "host_id": [""]})]).assign(
        host_id=lambda f: f["host_id"].where(f["slot_id"] != "s1", ""))
    hosts = week_layout(pd.concat([week(), extra], ignore_index=True), dark, NAMES, "host")
    assert hosts.lanes == ["Ana Ruiz", "Ben <b>Lo</b>", "unstaffed"] and not hosts.timeline
    places = {b.slot_id: (b.column, b.columns) for b in hosts.blocks if b.lane == "unstaffed"}
    assert places == {"s1": (0, 2), "s3": (1, 2), "s5": (1, 2)}  # s5 starts after s3 ends, in its column
    assert {b.slot_id: b.label for b in hosts.blocks if b.lane == "Ana Ruiz"} == {"s4": "Home"}


def test_the_html_escapes_names_and_reasons_and_marks_locks():
    markup = calendar_html(week_layout(week(), plan(), NAMES, "channel"))
    assert "<b>Lo</b>" not in markup and "Ben &lt;b&gt;Lo&lt;/b&gt;" in markup
    assert "<script>" not in markup and "nobody free &lt;script&gt;" in markup
    assert markup.count('aria-label="locked"') == 1  # s1
    assert "\n" not in markup and "&#10;" in markup  # one line for markdown; the tooltip keeps its lines
    assert calendar_html(week_layout(week().iloc[0:0], None, NAMES, "channel")).endswith("No slots this week.</div>")


def test_each_block_names_its_slot_for_a_click_to_open_it():
    odd = week().assign(slot_id=["s1", 's"2<', "s3", "s4"])
    for lanes in ("channel", "host"):
        markup = calendar_html(week_layout(odd, plan().assign(slot_id=odd["slot_id"]), NAMES, lanes))
        named = re.findall(r'data-slot="([^"]*)" role="button" tabindex="0"', markup)
        assert sorted(named) == ["s&quot;2&lt;", "s1", "s3", "s4"], lanes  # one per block, escaped
    assert 'data-slot="' not in calendar_html(week_layout(odd, None, NAMES, "channel"))  # before a plan: none to open


def test_hours_bars_share_one_scale_and_a_person_short_of_the_minimum_is_marked():
    hours = pd.DataFrame({"host_id": ["H1", "H2"], "name": ["Ana Ruiz", "Ben <b>Lo</b>"], "hours": [20.0, 4.0],
                          "min": [10.0, 8.0], "max": [40.0, 25.0]})
    rows = hours_rows(hours)
    assert [(r["label"], r["bar"], r["min"], r["max"], r["short"]) for r in rows] == [
        ("Ben <b>Lo</b> (H2)", 10.0, 20.0, 62.5, True), ("Ana Ruiz (H1)", 50.0, 25.0, 100.0, False)]
    assert "<b>Lo</b>" not in hours_html(hours)


def test_the_legend_keys_the_weeks_tiers_in_the_calendars_colours_with_the_studios_own_after_the_usual():
    from ui.components.week_calendar import tier_legend
    from ui.components.week_calendar_layout import OTHER_TIER_COLOUR

    markup = tier_legend(["core", "<b>vip</b>", "hero", "core"])
    keys = re.findall(r'<i style="background:(#[0-9a-f]{6})"></i>([^<]*)', markup)
    assert keys == [(TIER_COLOURS["hero"], "hero"), (TIER_COLOURS["core"], "core"),
                    (OTHER_TIER_COLOUR, "&lt;b&gt;vip&lt;/b&gt;"), (UNSTAFFED_COLOUR, "unstaffed")]
    assert "longtail" not in markup and markup.count('aria-label="locked"') == 1 and "\n" not in markup
