"""Roster: who can stream (tier, categories, languages, rates, caps) and when: a weekly template, exceptions
and time off, dated windows, and the week the scheduler will see from them."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pandas as pd
import streamlit as st

from contract import AVAILABILITY, HOSTS, parse_table
from contract.schemas import AVAILABILITY_EXCEPTIONS, AVAILABILITY_TEMPLATE, CHANGES, TIERS, WEEKDAYS
from contract.weeks import week_label
from scheduler.availability import read_checked, without_availability
from ui import auth, services, state
from ui.components.draft_table import edit_table, has_draft
from ui.components.effect_chart import host_effects_over_time
from ui.components.people import labeller
from ui.theme import empty_state, plain, show_html

LISTS = ("categories", "languages")
DATETIME = "ddd D MMM YYYY, HH:mm"
TIME_HELP = "HH:MM, e.g. 09:00. An end at or before the start runs past midnight (17:00 to 02:00)."

user = auth.current_user()
store = state.store()
frames = state.frames()
hosts = frames.hosts
host_ids = hosts["host_id"].tolist()
names = dict(zip(hosts["host_id"], hosts["name"]))
st.title("Roster")
st.caption("Edit in place, then save: every cell is checked as you type and again before anything is stored, "
           "and if someone else saved the same table since you opened it you are told instead of overwriting them. "
           "Unsaved edits stay while you look at another table, until you save or discard them.")


def with_text(frame: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    """Cells the editor leaves empty (None) as empty text, the way a file gives them."""
    return frame.assign(**{c: frame[c].astype("object").where(frame[c].notna(), "").astype("str")
                           for c in columns if c in frame})


# How each table is checked: the contract's checks (template times included), plus each row's host in the roster.
CHECKS: dict[str, Callable[[pd.DataFrame], pd.DataFrame]] = {
    "hosts": lambda edited: parse_table(with_text(edited, ("categories", "languages", "role")), HOSTS),
    "availability_template": lambda edited: read_checked(with_text(edited, ("start", "end")),
                                                         AVAILABILITY_TEMPLATE, host_ids),
    "availability_exceptions": lambda edited: read_checked(with_text(edited, ("note",)), AVAILABILITY_EXCEPTIONS,
                                                           host_ids),
    "availability": lambda edited: read_checked(edited, AVAILABILITY, host_ids),
}


def edit(kind: str, label: str, frame: pd.DataFrame, config: dict) -> None:
    edit_table(kind, label, frame, config, CHECKS[kind], store=store, user=user, depends_on=tuple(host_ids),
               notice_key="roster_notice")


def editable_hosts(frame: pd.DataFrame) -> pd.DataFrame:
    """Lists as `a|b` text, the way the files write them, so a cell can be typed into."""
    return frame.assign(**{c: frame[c].map(lambda items: "|".join(items) if isinstance(items, tuple) else items)
                           for c in LISTS if c in frame})


def in_week_order(frame: pd.DataFrame) -> pd.DataFrame:
    order = frame["weekday"].map({d: i for i, d in enumerate(WEEKDAYS)})
    return frame.assign(_order=order).sort_values(["host_id", "_order", "start"]).drop(columns="_order")


def host_column(**more) -> st.column_config.SelectboxColumn:
    return st.column_config.SelectboxColumn("host", options=host_ids, format_func=labeller(names), required=True,
                                            width="medium", **more)


if notice := st.session_state.pop("roster_notice", None):
    st.success(plain(notice))

template = frames.availability_template
exceptions = frames.availability_exceptions
windows = frames.availability
TABLES = {"hosts": ("Hosts", hosts), "availability_template": ("Weekly template", template),
          "availability_exceptions": ("Exceptions & time off", exceptions), "availability": ("Dated windows", windows)}


# One table at a time: drawing the four editors at once made the page slow to open, and drafts keep edits.
# The labels stay fixed (the control remembers the label picked), so counts and unsaved edits are said below it.
shown = st.segmented_control("Table", list(TABLES), format_func=lambda kind: TABLES[kind][0], default="hosts",
                             required=True, key="roster_table", label_visibility="collapsed")
unsaved = [TABLES[kind][0].lower() for kind in TABLES if has_draft(kind)]
st.caption(" · ".join(f"{title} **{len(frame)}**" for title, frame in TABLES.values())
           + (f" · :orange[unsaved edits: {', '.join(unsaved)}]" if unsaved else ""))

if shown == "hosts":
    if hosts.empty:
        empty_state("No hosts yet", "Add a row per host below (tier, categories, rates, weekly cap), or import "
                                    "hosts.csv on the Data page.")
    else:
        tiers = hosts["tier"].value_counts().reindex(list(TIERS), fill_value=0)
        st.markdown(" · ".join(f"**{count}** tier {tier}" for tier, count in tiers.items())
                    + f" · **{int((hosts['role'] == 'assistant').sum())}** assistants")
    edit("hosts", "hosts", editable_hosts(hosts), {
        "tier": st.column_config.SelectboxColumn(options=list(TIERS), required=True),
        "role": st.column_config.SelectboxColumn(options=["host", "assistant"]),
        "hourly_rate": st.column_config.NumberColumn(format="dollar", min_value=0),
        "commission_rate": st.column_config.NumberColumn(format="percent", min_value=0, max_value=1),
        "categories": st.column_config.TextColumn(help="separate with |, e.g. beauty|skincare"),
        "languages": st.column_config.TextColumn(help="separate with |, e.g. en|es"),
    })

if shown == "availability_template":
    st.caption("Each host's usual week, repeated every week: one row per shift. The scheduler uses it together "
               "with the dated windows, minus time off.")
    if template.empty:
        empty_state("No weekly template yet", "Add a row per host and weekday with the usual shift, e.g. "
                                              "Mon 14:00 to 23:30. Use Exceptions & time off for one-off changes.")
    edit("availability_template", "weekly template", in_week_order(template), {
        "host_id": host_column(),
        "weekday": st.column_config.SelectboxColumn(options=list(WEEKDAYS), required=True),
        "start": st.column_config.TextColumn(help=TIME_HELP, required=True),
        "end": st.column_config.TextColumn(help=TIME_HELP, required=True),
    })

if shown == "availability_exceptions":
    st.caption("Time off wins over everything else; an extra window adds time on top of the template.")
    if exceptions.empty:
        empty_state("No exceptions", "Add time off (a holiday, an appointment) or an extra window a host offers "
                                     "for a particular day; the week view below shows the effect.")
    edit("availability_exceptions", "exceptions", exceptions.sort_values(["host_id", "start"]), {
        "host_id": host_column(),
        "start": st.column_config.DatetimeColumn(format=DATETIME, required=True),
        "end": st.column_config.DatetimeColumn(format=DATETIME, required=True),
        "change": st.column_config.SelectboxColumn(options=list(CHANGES), required=True, default="time off"),
        "note": st.column_config.TextColumn(help="why, for whoever reads the roster next"),
    })

if shown == "availability":
    st.caption("Windows for particular dates (availability.csv), for hosts without a regular week or "
               "for weeks agreed one by one.")
    never = without_availability(host_ids, windows, template, exceptions)
    if never:
        st.info("No availability at all for " + plain(", ".join(map(labeller(names), never)))
                + ": the optimiser cannot give them a slot until they have a template or a window.")
    edit("availability", "dated windows", windows.sort_values(["host_id", "start"]), {
        "host_id": host_column(),
        "start": st.column_config.DatetimeColumn(format=DATETIME, required=True),
        "end": st.column_config.DatetimeColumn(format=DATETIME, required=True),
    })

st.subheader("The week the scheduler will see")
weeks = services.slot_weeks(frames.slots)
if not weeks:
    weeks = [week_label(date.today()), week_label(date.today() + timedelta(days=7))]
left, right = st.columns([1, 3])
week = left.selectbox("Week", weeks, index=len(weeks) - 1, key="roster_week")
chosen = right.multiselect("Hosts", host_ids, format_func=labeller(names), key="roster_hosts",
                           placeholder="everyone")
drawn = state.availability_week(week, tuple(chosen))
if drawn is None:
    empty_state(f"Nobody can stream in {week}", "Add a weekly template, dated windows or extra windows above.")
else:
    show_html(drawn)

host_effects_over_time(names)
