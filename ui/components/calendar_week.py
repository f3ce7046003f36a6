"""The Calendar page's week: the templates made into an ISO week's shows, a one-off added, a show cancelled or
changed, last week copied, each edit checked (the contract, the room rule, each channel's overlap) before it is
kept; a show with a published host asks first and the change log says so; and the week's slots made for the
Schedule page. The decisions are scheduler.calendar_edits' and store.calendar's; this module draws them."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta

import pandas as pd
import streamlit as st

from contract import DataError
from contract.schemas import PRODUCT_TIERS, WEEKDAYS
from contract.weeks import week_label, week_monday
from scheduler import Settings
from scheduler.calendar import week_slots
from scheduler.calendar_edits import (
    add_show,
    cancel_show,
    copy_last_week,
    last_week_slots,
    logged_note,
    move_show,
    week_of_changes,
)
from store import ImportRejected, Store, VersionConflict
from store.calendar import make_week, week_preview
from ui import state
from ui.auth import User
from ui.components.people import labeller
from ui.theme import empty_state, plain

KIND = "calendar_changes"
PENDING = "calendar_pending"  # an edit of a show with a published host, waiting to be confirmed
SHOWN = ["slot_id", "channel", "day", "start", "end", "product_tier", "category", "language", "room",
         "assistants_needed", "from"]


def week_choices(today: date, planned: list[str]) -> tuple[list[str], int]:
    """Weeks to pick from (two back to eight ahead of today, and every week with slots), and the one to open
    on: the week after the latest one planned, or next week."""
    around = [week_label(today + timedelta(weeks=n)) for n in range(-2, 9)]
    weeks = sorted(set(around) | set(planned))
    latest = max([*planned, week_label(today)])
    following = week_label(week_monday(latest) + timedelta(weeks=1))
    weeks = sorted(set(weeks) | {following})
    return weeks, weeks.index(following)


def week_calendar(store: Store, user: User, templates: pd.DataFrame, changes: pd.DataFrame, slots: pd.DataFrame,
                  settings: Settings, names: dict[str, str], today: date) -> pd.DataFrame:
    """The week picked, its shows, its edits and the making of its slots; returns the week's shows (none when the
    calendar cannot make the week)."""
    weeks, default = week_choices(today, sorted(set(week_label(d) for d in slots["start"])) if len(slots) else [])
    week = st.selectbox("ISO week", weeks, index=default, key="calendar_week")
    try:
        made = week_slots(templates, week, changes, settings)
    except DataError as err:
        st.error("The calendar cannot make this week as it stands:\n\n"
                 + "\n".join(f"- {plain(p.message)}" for p in err.problems))
        return slots.iloc[0:0]
    mine = changes[(week_of_changes(changes) == week).to_numpy()]
    if made.empty and templates.empty:
        empty_state("No shows in this week yet",
                    "Add show templates above (each channel's recurring shows), add a one-off show below, or copy "
                    "last week; then make the week's slots for the Schedule page.")
    else:
        _draw(made, mine)
    edit = _Editor(store, user, templates, changes, week, settings, names)
    if user.can_edit:
        edit.pending()
        _edits(edit, made, templates, slots, changes)
    _make(store, user, week, settings, names)
    _log(store, mine)
    return made


def _draw(made: pd.DataFrame, mine: pd.DataFrame) -> None:
    origin = dict(zip(mine["slot_id"], mine["change"].map({"add": "one-off", "move": "changed"})))
    shown = made.assign(day=made["start"].map(lambda t: WEEKDAYS[t.weekday()] + t.strftime(" %d %b")),
                        **{"from": [origin.get(s, "template") for s in made["slot_id"]]})
    shown = shown.assign(start=shown["start"].dt.strftime("%H:%M"), end=shown["end"].dt.strftime("%H:%M"))
    cancelled = mine.loc[mine["change"] == "cancel", "slot_id"].tolist()
    st.caption(f"**{len(made)}** shows" + (f" · cancelled: {plain(', '.join(cancelled))}" if cancelled else ""))
    st.dataframe(shown[SHOWN], hide_index=True, width="stretch", key="calendar_slots")


class _Editor:
    """Keeps one edit of the week: checked by the calendar, confirmed first when the show has a published host."""

    def __init__(self, store: Store, user: User, templates: pd.DataFrame, changes: pd.DataFrame, week: str,
                 settings: Settings, names: dict[str, str]):
        self.store, self.user, self.templates, self.changes = store, user, templates, changes
        self.week, self.settings, self.names = week, settings, names
        published = store.schedule(week, "published")
        rows = published[1] if published else pd.DataFrame({"slot_id": [], "host_id": []})
        self.published = dict(zip(rows["slot_id"], rows["host_id"].where(rows["host_id"] != "")))

    def change(self, slot_id: str, what: str, edits: dict, note: str) -> None:
        """Cancel (`what` 'cancel') or change the show, or ask first when it has a published host."""
        host = self.published.get(slot_id)
        if host:
            st.session_state[PENDING] = {"week": self.week, "slot_id": slot_id, "what": what, "host": host,
                                         "edits": edits, "note": note}
            st.rerun()
        self.keep(lambda: self._changed(slot_id, what, edits, note), f"{what.capitalize()}: {slot_id}.")

    def _changed(self, slot_id: str, what: str, edits: dict, note: str) -> pd.DataFrame:
        if what == "cancel":
            return cancel_show(self.templates, self.changes, self.week, slot_id, note, self.settings)
        return move_show(self.templates, self.changes, self.week, slot_id, edits, note, self.settings)

    def pending(self) -> None:
        """The edit waiting for a confirmation, with the published host it touches."""
        waiting = st.session_state.get(PENDING)
        if not waiting or waiting["week"] != self.week:
            return
        who = labeller(self.names)(waiting["host"])
        st.warning(f"**{plain(waiting['slot_id'])}** is published with **{plain(who)}** as host. If you "
                   f"{plain(waiting['what'])} it, making the week's slots tells them (mail and calendar feed), and "
                   "the change log keeps who confirmed it.")
        left, right = st.columns([1, 4])
        if left.button(f"Yes, {waiting['what']} it", type="primary", key="calendar_confirm"):
            note = logged_note(waiting["note"], waiting["host"], self.user.name)
            st.session_state.pop(PENDING)
            self.keep(lambda: self._changed(waiting["slot_id"], waiting["what"], waiting["edits"], note),
                      f"{waiting['what'].capitalize()}: {waiting['slot_id']} (published host {who} to be told).")
        if right.button("Keep it as it is", key="calendar_keep"):
            st.session_state.pop(PENDING)
            st.rerun()

    def keep(self, make: Callable[[], pd.DataFrame], notice: str) -> None:
        """Check the edit and store the changes as a new version; problems are said, nothing is kept."""
        try:
            changed = make()
            self.store.save_table(KIND, changed, self.user.name, expected_version=self.store.table_version(KIND))
        except (DataError, ImportRejected) as err:
            problems = err.report.problems if isinstance(err, ImportRejected) else err.problems
            st.error("Not changed:\n\n" + "\n".join(f"- {plain(p.message)}" for p in problems))
            return
        except VersionConflict as err:
            st.error(plain(err))
            return
        state.invalidate()
        st.session_state["calendar_notice"] = notice + " Make the week's slots when the week is ready."
        st.rerun()


def _edits(edit: _Editor, made: pd.DataFrame, templates: pd.DataFrame, slots: pd.DataFrame,
           changes: pd.DataFrame) -> None:
    action = st.segmented_control("Change the week", ["Add a one-off", "Cancel a show", "Change a show",
                                                      "Copy last week"], default="Add a one-off", required=True,
                                  key="calendar_action")
    channels = sorted(set(templates["channel"]) | set(made["channel"]) | set(slots["channel"]))
    monday = week_monday(edit.week)
    if action == "Add a one-off":
        _add_form(edit, channels, monday)
    elif action == "Copy last week":
        st.caption("Makes this week the shows of the week before (its one-offs and changes included), at the same "
                   "weekdays and times. This week's own changes are replaced.")
        if st.button("Copy last week", key="calendar_copy", type="primary"):
            edit.keep(lambda: copy_last_week(templates, changes, edit.week,
                                             last_week_slots(slots, templates, changes, edit.week, edit.settings),
                                             edit.settings), f"{edit.week} is now a copy of the week before.")
    elif made.empty:
        st.info("The week has no shows to cancel or change yet.")
    else:
        labels = {s.slot_id: f"{s.slot_id} · {s.channel} {WEEKDAYS[s.start.weekday()]} {s.start:%H:%M}-{s.end:%H:%M}"
                  for s in made.itertuples()}
        slot_id = st.selectbox("Show", list(labels), format_func=labels.get, key="calendar_slot")
        show = made.set_index("slot_id").loc[slot_id]
        if action == "Cancel a show":
            _cancel_form(edit, slot_id)
        else:
            _move_form(edit, slot_id, show, monday)


def _times(day: date, start: time, end: time) -> tuple[datetime, datetime]:
    """A show's start and end; an end at or before the start is the next day."""
    first = datetime.combine(day, start)
    last = datetime.combine(day, end)
    return first, last if last > first else last + timedelta(days=1)


def _add_form(edit: _Editor, channels: list[str], monday: date) -> None:
    with st.form("calendar_add", clear_on_submit=False):
        top = st.columns(4)
        channel = top[0].selectbox("Channel", channels, accept_new_options=True, key="add_channel")
        day = top[1].date_input("Day", monday, min_value=monday, max_value=monday + timedelta(days=6), key="add_day")
        start = top[2].time_input("Start", time(19, 0), step=timedelta(minutes=15), key="add_start")
        end = top[3].time_input("End", time(21, 0), step=timedelta(minutes=15), key="add_end")
        more = st.columns(5)
        tier = more[0].selectbox("Product tier", list(PRODUCT_TIERS), key="add_tier")
        category = more[1].text_input("Category", key="add_category")
        language = more[2].text_input("Language", "en", key="add_language")
        room = more[3].text_input("Room", key="add_room")
        assistants = more[4].number_input("Assistants", 0, 10, 0, key="add_assistants")
        note = st.text_input("Note", key="add_note")
        added = st.form_submit_button("Add the show", type="primary")
    if added:
        first, last = _times(day, start, end)
        show = {"channel": (channel or "").strip(), "start": first, "end": last, "product_tier": tier,
                "category": category.strip(), "language": language.strip(), "room": room.strip(),
                "assistants_needed": assistants, "note": note.strip()}
        edit.keep(lambda: add_show(edit.templates, edit.changes, edit.week, show, edit.settings)[0],
                  f"Added a one-off {show['channel']} show on {first:%a %d %b %H:%M}.")


def _cancel_form(edit: _Editor, slot_id: str) -> None:
    with st.form("calendar_cancel"):
        note = st.text_input("Why (kept in the change log)", key="cancel_note")
        cancelled = st.form_submit_button("Cancel the show", type="primary")
    if cancelled:
        edit.change(slot_id, "cancel", {}, note.strip())


def _move_form(edit: _Editor, slot_id: str, show: pd.Series, monday: date) -> None:
    with st.form(f"calendar_move_{slot_id}"):
        top = st.columns(3)
        day = top[0].date_input("Day", show["start"].date(), min_value=monday, max_value=monday + timedelta(days=6))
        start = top[1].time_input("Start", show["start"].time(), step=timedelta(minutes=15))
        end = top[2].time_input("End", show["end"].time(), step=timedelta(minutes=15))
        more = st.columns(3)
        tiers = list(PRODUCT_TIERS)
        tier = more[0].selectbox("Product tier", tiers, index=tiers.index(show["product_tier"]))
        category = more[1].text_input("Category", show["category"])
        room = more[2].text_input("Room", show["room"] or "")
        note = st.text_input("Why (kept in the change log)")
        moved = st.form_submit_button("Change the show", type="primary")
    if moved:
        first, last = _times(day, start, end)
        edits = {"start": first, "end": last, "product_tier": tier, "category": category.strip(), "room": room.strip()}
        edit.change(slot_id, "change", edits, note.strip())


def _make(store: Store, user: User, week: str, settings: Settings, names: dict[str, str]) -> None:
    """What making the week changes in the slots the Schedule page plans from, and the button that makes it."""
    st.subheader("The week's slots for the Schedule page")
    try:
        made, differences = week_preview(store, week, settings)
    except DataError:
        return  # said above, with the week's calendar
    if made.empty and differences.empty:
        st.caption("Nothing to make yet: the week has no shows.")
        return
    if differences.empty:
        st.success(f"The Schedule page has {len(made)} slots of {week}, as the calendar makes them.")
        st.page_link("ui/pages/schedule.py", label=f"Plan {week} on the Schedule page",
                     icon=":material/calendar_month:")
        return
    counts = differences["what"].value_counts()
    st.markdown(" · ".join(f"**{n}** {what}" for what, n in counts.items()) + " compared with the slots the "
                "Schedule page has now.")
    touched = differences[differences["host_id"] != ""]
    if len(touched):
        who = labeller(names)
        st.warning(f"{len(touched)} of these slots have a published host, who is told once the week is made: "
                   + plain(", ".join(f"{s} ({who(h)})" for s, h in zip(touched["slot_id"], touched["host_id"]))))
    with st.expander("What changes"):
        st.dataframe(differences, hide_index=True, width="stretch", key="calendar_differences")
    if not user.can_edit:
        return
    sure = st.checkbox("Yes, change the published streams", key="calendar_make_sure") if len(touched) else True
    if st.button(f"Make {week}'s slots", type="primary", key="calendar_make", disabled=not sure):
        try:
            make_week(store, week, user.name, store.table_version("slots"), settings)
        except (DataError, VersionConflict) as err:
            st.error(plain(err))
            return
        state.invalidate()
        st.session_state["calendar_notice"] = (f"{week}'s {len(made)} slots are ready on the Schedule page: "
                                               "open it and press Plan the week.")
        st.rerun()


def _log(store: Store, mine: pd.DataFrame) -> None:
    """The week's changes as kept, and who changed the calendar when."""
    if mine.empty:
        return
    with st.expander(f"Change log ({len(mine)} change(s) of this week)"):
        shown = mine.assign(start=mine["start"].dt.strftime("%a %d %b %H:%M").fillna(""),
                            end=mine["end"].dt.strftime("%a %d %b %H:%M").fillna(""))
        st.dataframe(shown[["change", "slot_id", "channel", "start", "end", "product_tier", "category", "note"]],
                     hide_index=True, width="stretch", key="calendar_changes_log")
        history = store.import_history()
        history = history[history["kind"] == KIND].head(10)
        st.dataframe(history[["at", "user", "rows_added", "rows_updated", "rows_deleted"]], hide_index=True,
                     width="stretch", key="calendar_history")
