"""The Schedule page's week: the slots as a table whose row opens that slot, the open slot's details, and the hours
per person (week_calendar_hours); the calendar above them is HTML from week_calendar_layout (see ui.week_state).

A slot opens from the calendar (a click on its block), a table row or the slot picker; the page's move and lock
form then reads it from the session. The calendar itself is HTML: a small script-only component listens for clicks
on its blocks (each names its slot in `data-slot`) and hands the slot to the server, since no native widget can
be drawn as a calendar.
"""
from __future__ import annotations

import html
from collections.abc import Iterable, Mapping

import pandas as pd
import streamlit as st
from streamlit.components.v2 import component

from contract.people import person_label
from ui.components.week_calendar_hours import hours_html
from ui.components.week_calendar_layout import LOCK_ICON, TIER_COLOURS, UNSTAFFED_COLOUR, tier_colour
from ui.theme import plain, show_html

SLOT_KEY, HOST_KEY, LOCK_KEY = "move_slot_id", "move_host", "move_lock"  # the move form's widgets
OPEN_SLOT_ANCHOR = "open-slot"  # the element the page scrolls to when a block is clicked: the open slot's form

# One listener on the page for the calendar's blocks (a click, or Enter or Space on a focused block): it sends the
# block's slot id as the trigger value `opened`, then scrolls to the open slot's form. Removed when unmounted.
_CLICKS_JS = """
export default function(component) {
  const { setTriggerValue } = component;
  const open = event => {
    const block = event.target.closest && event.target.closest('.wk [data-slot]');
    if (!block || (event.type === 'keydown' && event.key !== 'Enter' && event.key !== ' ')) return;
    event.preventDefault();
    setTriggerValue('opened', block.dataset.slot);
    const form = document.getElementById('ANCHOR');
    if (form) form.scrollIntoView({behavior: 'smooth', block: 'start'});
  };
  document.addEventListener('click', open);
  document.addEventListener('keydown', open);
  return () => {
    document.removeEventListener('click', open);
    document.removeEventListener('keydown', open);
  };
}
""".replace("ANCHOR", OPEN_SLOT_ANCHOR)
_calendar_clicks = component("studio_calendar_clicks", js=_CLICKS_JS)


def lane_kinds(slots: pd.DataFrame) -> list[str]:
    """What a lane of the calendar can be: channels, rooms when the slots name any, hosts."""
    has_rooms = "room" in slots and slots["room"].fillna("").astype("str").ne("").any()
    return ["channel", *(["room"] if has_rooms else []), "host"]


def tier_legend(tiers: Iterable[str]) -> str:
    """The calendar's key as one line of HTML: the colour of each tier the week's slots have (the usual tiers in
    their order, then the studio's own), unstaffed, and the lock mark."""
    present = set(tiers)
    named = [tier for tier in TIER_COLOURS if tier in present] + sorted(present - set(TIER_COLOURS))
    keys = [(tier, tier_colour(tier)) for tier in named] + [("unstaffed", UNSTAFFED_COLOUR)]
    swatches = "".join(f'<i style="background:{colour}"></i>{html.escape(name)}' for name, colour in keys)
    return (f'{_LEGEND_CSS}<div class="wk-legend"><b>Tier</b>{swatches}<span>{LOCK_ICON} locked: the optimiser '
            "keeps its host on a re-plan</span></div>")


_LEGEND_CSS = ("<style>.wk-legend {margin: 0 0 6px 2.2rem; font-size: 11px; color: #475569;} "
               ".wk-legend i {display: inline-block; width: .7rem; height: .7rem; border-radius: 2px; "
               "margin: 0 .3rem 0 .9rem; vertical-align: -1px;} .wk-legend span {margin-left: 1.2rem;} "
               ".wk-legend .wk-lock {width: 9px; height: 11px; vertical-align: -1px;}</style>")


def show_hours(hours: pd.DataFrame) -> None:
    show_html(hours_html(hours))


def slot_rows(slots: pd.DataFrame, saved: pd.DataFrame, names: Mapping[str, str]) -> pd.DataFrame:
    """The week's slots in time order as people read them: day, time, channel, host and assistants by name."""
    rows = slots.merge(saved[["slot_id", "host_id", "locked", "assistant_ids", "reason"]], on="slot_id", how="left")
    rows = rows.sort_values("start", kind="stable").reset_index(drop=True)
    host_ids = rows["host_id"].fillna("").astype("str")
    crew = rows["assistant_ids"].fillna("").astype("str")
    return pd.DataFrame({
        "slot_id": rows["slot_id"], "day": rows["start"].dt.strftime("%a %d %b"),
        "time": rows["start"].dt.strftime("%H:%M") + "–" + rows["end"].dt.strftime("%H:%M"),
        "channel": rows["channel"], "product_tier": rows["product_tier"], "category": rows["category"],
        "language": rows["language"],
        "host": host_ids.map(lambda h: person_label(h, names.get(h)) if h else ""),
        "assistants": crew.map(lambda ids: ", ".join(names.get(i) or i for i in ids.split("|") if i)),
        "locked": rows["locked"].astype("object").where(rows["locked"].notna(), False).astype(bool),
        "reason": rows["reason"].fillna("").astype("str")})


def open_slot(slot_id: str, saved: pd.DataFrame) -> None:
    """Open `slot_id` in the move form, filled in with its host and lock as saved."""
    row = saved.loc[saved["slot_id"] == slot_id]
    st.session_state[SLOT_KEY] = slot_id
    st.session_state[HOST_KEY] = str(row["host_id"].iloc[0]) if len(row) else ""
    st.session_state[LOCK_KEY] = bool(row["locked"].iloc[0]) if len(row) else True


def open_clicked_slot(slot_ids: list[str], saved: pd.DataFrame) -> None:
    """Listen for clicks on the calendar drawn above; a block clicked in the run before opens its slot (one of
    `slot_ids`) in the move form. Call it before the move form is drawn."""
    clicked = _calendar_clicks(key="calendar_clicks", on_opened_change=lambda: None, height=0).opened
    if clicked in slot_ids:
        open_slot(clicked, saved)


def opened_slot(slot_ids: list[str], saved: pd.DataFrame) -> str:
    """The slot open now: the one picked before when it is of this week, else the week's first."""
    if st.session_state.get(SLOT_KEY) not in slot_ids:
        open_slot(slot_ids[0], saved)
    return st.session_state[SLOT_KEY]


def slot_table(rows: pd.DataFrame, saved: pd.DataFrame, key: str) -> None:
    """The slots as a table; clicking a row opens that slot in the move form."""
    ids = rows["slot_id"].tolist()

    def picked() -> None:
        chosen = st.session_state[key].selection.rows
        if chosen:
            open_slot(ids[chosen[0]], saved)

    st.dataframe(rows, hide_index=True, width="stretch", key=key, on_select=picked, selection_mode="single-row",
                 column_config={"slot_id": st.column_config.TextColumn("slot"),
                                "product_tier": st.column_config.TextColumn("tier"),
                                "locked": st.column_config.CheckboxColumn("locked", help="The optimiser keeps a "
                                                                          "locked host on re-plans"),
                                "reason": st.column_config.TextColumn("why it stays dark", width="large")})


def slot_picker(rows: pd.DataFrame, saved: pd.DataFrame) -> str:
    """The slot picker over the move form; picking fills the form in with the slot's host and lock."""
    label = dict(zip(rows["slot_id"], rows["day"] + " " + rows["time"] + " · " + rows["channel"] + " · "
                     + rows["host"].where(rows["host"] != "", "unstaffed")))
    return st.selectbox("Slot", rows["slot_id"].tolist(), key=SLOT_KEY, format_func=lambda s: label[s],
                        on_change=lambda: open_slot(st.session_state[SLOT_KEY], saved))


def slot_details(row: pd.Series) -> None:
    """What the open slot is: when, where, who, and why it stays dark when it does."""
    crew = row["assistants"] or "no assistant"
    lines = [f"**{plain(row['day'])} {plain(row['time'])}** · {plain(row['channel'])} · {plain(row['product_tier'])}"
             f" · {plain(row['category'])} · {plain(row['language'])}",
             f"Host: **{plain(row['host'] or 'nobody')}**" + (" (locked)" if row["locked"] else "")
             + f" · assistants: {plain(crew)}"]
    if row["reason"]:
        lines.append(f"Why it stays dark: {plain(row['reason'])}")
    st.markdown("  \n".join(lines))
