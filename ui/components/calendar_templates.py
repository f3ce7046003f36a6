"""The Calendar page's show templates: each channel's recurring shows in an editor, checked by row and column as
typed (the calendar's own checks: weekdays, times, a channel live twice, a room holding two streams), saved as
a new version like the roster, with an empty template to download."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from contract.schemas import PRODUCT_TIERS, SHOW_TEMPLATES
from scheduler import Settings
from scheduler.calendar import read_templates
from scheduler.calendar_edits import templates_from_week
from store import Store, VersionConflict
from ui import services, state
from ui.auth import User
from ui.components.draft_table import edit_table
from ui.theme import empty_state, plain

KIND = "show_templates"
TIME_HELP = "HH:MM, e.g. 19:00. An end at or before the start runs past midnight (22:30 to 00:30)."


def empty_template_csv() -> bytes:
    """show_templates.csv with its header only, for a studio to fill in a spreadsheet."""
    return (",".join(c.name for c in SHOW_TEMPLATES.columns) + "\n").encode()


def editable(templates: pd.DataFrame) -> pd.DataFrame:
    """Weekdays as `Mon|Wed` text, as the file writes them, so a cell can be typed into."""
    days = templates["weekdays"].map(lambda listed: "|".join(listed) if isinstance(listed, tuple) else listed)
    return templates.assign(weekdays=days.astype("str"))


def _cell(value) -> str:
    """A cell as a file gives it: empty for a cell left empty, 1 for the editor's 1.0."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def _checked(edited: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    return read_templates(edited.map(_cell).astype("str"), settings)


def show_templates(store: Store, user: User, templates: pd.DataFrame, slots: pd.DataFrame,
                   settings: Settings) -> None:
    """The templates' editor, its problems, Save, and the empty template as a download."""
    st.caption("One row per recurring show: the channel, the weekdays it runs (Mon|Wed|Fri), its times, the "
               "product tier and category, and where it streams. Every week is made from these; one-off "
               "changes of a particular week go in the week's calendar below.")
    if templates.empty:
        empty_state("No show templates yet",
                    "Add a row per recurring show below, or download the empty template, fill it in a spreadsheet "
                    "and import it on the Data page (kind show_templates). Then pick a week under Week's calendar.")
        _from_a_week(store, user, slots)
    edit_table(KIND, "show templates", editable(templates), {
        "channel": st.column_config.TextColumn(required=True, help="the shop's channel, e.g. GlowLab Beauty"),
        "weekdays": st.column_config.TextColumn(required=True, help="separate with |, e.g. Mon|Wed|Fri"),
        "start": st.column_config.TextColumn(required=True, help=TIME_HELP),
        "end": st.column_config.TextColumn(required=True, help=TIME_HELP),
        "product_tier": st.column_config.SelectboxColumn(options=list(PRODUCT_TIERS), required=True),
        "assistants_needed": st.column_config.NumberColumn(min_value=0, step=1),
    }, lambda edited: _checked(edited, settings), store=store, user=user,
        depends_on=(settings.changeover_minutes,), notice_key="calendar_notice")
    st.download_button("Download an empty template (show_templates.csv)", empty_template_csv(),
                       file_name=SHOW_TEMPLATES.file, mime="text/csv", key="empty_show_templates")


def _from_a_week(store: Store, user: User, slots: pd.DataFrame) -> None:
    """A studio whose slots.csv was written by hand starts its templates from one of those weeks."""
    weeks = services.slot_weeks(slots)
    if not weeks or not user.can_edit:
        return
    left, right = st.columns([1, 2])
    week = left.selectbox("Start the templates from the slots of", weeks, index=len(weeks) - 1,
                          key="templates_from_week")
    right.write("")
    if right.button(f"Make templates from {week}", key="make_templates"):
        made = templates_from_week(slots, week)
        try:
            store.save_table(KIND, made, user.name, expected_version=store.table_version(KIND))
        except VersionConflict as err:
            st.error(plain(err))
            return
        state.invalidate()
        st.session_state["calendar_notice"] = f"{len(made)} show templates made from the slots of {week}."
        st.rerun()
