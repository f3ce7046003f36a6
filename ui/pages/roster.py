"""Roster: who can stream (tier, categories, languages, rates, caps) and when: a weekly template, exceptions
and time off, dated windows, and the week the scheduler will see from them."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pandas as pd
import streamlit as st

from contract import AVAILABILITY, HOSTS, DataError, Problem, parse_table
from contract.schemas import AVAILABILITY_EXCEPTIONS, AVAILABILITY_TEMPLATE, CHANGES, TIERS, WEEKDAYS
from contract.weeks import week_label
from scheduler.availability import read_checked
from store import ImportRejected, VersionConflict
from ui import auth, services, state
from ui.theme import empty_state, plain

LISTS = ("categories", "languages")
EDIT_PARTS = ("edited_rows", "added_rows", "deleted_rows")  # what st.data_editor keeps of a person's edits
DATETIME = "ddd D MMM YYYY, HH:mm"
TIME_HELP = "HH:MM, e.g. 09:00. An end at or before the start runs past midnight (17:00 to 02:00)."

user = auth.current_user()
store = state.store()
frames = state.frames()
hosts = frames["hosts.csv"]
host_ids = hosts["host_id"].astype("str").tolist()
names = dict(zip(hosts["host_id"], hosts["name"]))
st.title("Roster")
st.caption("Edit in place, then save: every cell is checked as you type and again before anything is stored, "
           "and if someone else saved the same table since you opened it you are told instead of overwriting them. "
           "Unsaved edits stay while you look at another table, until you save or discard them.")


def host_label(host_id: str) -> str:
    return f"{host_id} · {names[host_id]}" if host_id in names else str(host_id)


def numbered(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows numbered from 1, as the editor shows them and the messages name them."""
    return frame.set_axis(pd.RangeIndex(1, len(frame) + 1), axis=0)


def remember_version(kind: str) -> int:
    """The table's version when this person opened it; saving checks nobody saved in between."""
    key = f"opened_version_{kind}"
    if key not in st.session_state:
        st.session_state[key] = store.table_version(kind)
    return st.session_state[key]


def forget_edits(kind: str) -> None:
    for key in (f"opened_version_{kind}", f"{kind}_editor", f"{kind}_draft", f"{kind}_start", f"conflict_{kind}"):
        st.session_state.pop(key, None)


def has_draft(kind: str) -> bool:
    return f"{kind}_draft" in st.session_state


def editor_start(kind: str, saved: pd.DataFrame) -> pd.DataFrame:
    """The table an editor starts from: the saved one, or this person's unsaved edits when they come back to a
    table they left (one table is shown at a time, and Streamlit forgets an editor's edits once it is hidden)."""
    if f"{kind}_editor" not in st.session_state:  # the editor is new in this run: opened or opened again
        st.session_state.pop(f"{kind}_start", None)
        if has_draft(kind):
            st.session_state[f"{kind}_start"] = st.session_state[f"{kind}_draft"]
    return st.session_state.get(f"{kind}_start", saved)


def keep_draft(kind: str, edited: pd.DataFrame) -> None:
    """Remember the edited table while it has unsaved edits, so leaving it for another table loses nothing."""
    edits = st.session_state.get(f"{kind}_editor") or {}
    if f"{kind}_start" in st.session_state or any(edits.get(part) for part in EDIT_PARTS):
        st.session_state[f"{kind}_draft"] = edited


def where(problem: Problem, edited: pd.DataFrame) -> str:
    """'Row 3, start' as the editor numbers rows (a problem's row counts the header as row 1)."""
    parts = []
    if problem.row is not None and 0 <= problem.row - 2 < len(edited):
        parts.append(f"Row {edited.index[problem.row - 2]}")
    if problem.column:
        parts.append(problem.column)
    return ", ".join(parts) or "The table"


def show_problems(problems: list[Problem], edited: pd.DataFrame, title: str) -> None:
    lines = [f"- **{plain(where(p, edited))}**: {plain(p.message)}" for p in problems]
    st.warning(f"{title}\n\n" + "\n".join(lines))


def save(kind: str, checked: pd.DataFrame, edited: pd.DataFrame, label: str) -> None:
    try:
        store.save_table(kind, checked, user.name, expected_version=remember_version(kind))
    except VersionConflict as err:
        st.session_state[f"conflict_{kind}"] = str(err)
        return
    except ImportRejected as err:
        show_problems(err.report.problems, edited, "Not saved: fix these first.")
        return
    forget_edits(kind)
    state.invalidate()
    st.session_state["roster_notice"] = f"{label.capitalize()} saved."
    st.rerun()


def with_text(frame: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    """Cells the editor leaves empty (None) as empty text, the way a file gives them."""
    return frame.assign(**{c: frame[c].astype("object").where(frame[c].notna(), "").astype("str")
                           for c in columns if c in frame})


# How each table is checked: the contract's checks (template times included), plus each row's host in the roster.
CHECKS: dict[str, Callable[[pd.DataFrame, tuple[str, ...]], pd.DataFrame]] = {
    "hosts": lambda edited, _: parse_table(with_text(edited, ("categories", "languages", "role")), HOSTS),
    "availability_template": lambda edited, known: read_checked(with_text(edited, ("start", "end")),
                                                                AVAILABILITY_TEMPLATE, known),
    "availability_exceptions": lambda edited, known: read_checked(with_text(edited, ("note",)),
                                                                  AVAILABILITY_EXCEPTIONS, known),
    "availability": lambda edited, known: read_checked(edited, AVAILABILITY, known),
}


@st.cache_data(show_spinner=False, max_entries=32)
def check(kind: str, edited: pd.DataFrame, known: tuple[str, ...]) -> tuple[pd.DataFrame | None, list[Problem]]:
    """(the typed table, []) or (None, its problems); cached, as most runs show the table unchanged."""
    try:
        return CHECKS[kind](edited, known), []
    except DataError as err:
        return None, err.problems


def edit_table(kind: str, label: str, frame: pd.DataFrame, config: dict) -> None:
    """One table in an editor: problems named by row and column as you edit, saved with the version check."""
    remember_version(kind)
    edited = st.data_editor(editor_start(kind, numbered(frame)), num_rows="dynamic", width="stretch",
                            key=f"{kind}_editor", hide_index=False, disabled=not user.can_edit,
                            column_config={"_index": st.column_config.NumberColumn("row", width=48), **config})
    keep_draft(kind, edited)
    checked, problems = check(kind, edited, tuple(host_ids))
    if problems:
        show_problems(problems, edited, f"The {label} cannot be saved yet:")
    if user.can_edit:
        left, right = st.columns([1, 5])
        if left.button(f"Save {label}", type="primary", key=f"save_{kind}", disabled=bool(problems)):
            save(kind, checked, edited, label)
        if has_draft(kind) and right.button("Discard unsaved edits", key=f"discard_{kind}"):
            forget_edits(kind)
            st.rerun()
    if conflict := st.session_state.get(f"conflict_{kind}"):
        st.error(conflict)
        if st.button("Reload the saved table (your edits are dropped)", key=f"reload_{kind}"):
            forget_edits(kind)
            state.invalidate()
            st.rerun()


def editable_hosts(frame: pd.DataFrame) -> pd.DataFrame:
    """Lists as `a|b` text, the way the files write them, so a cell can be typed into."""
    return frame.assign(**{c: frame[c].map(lambda items: "|".join(items) if isinstance(items, tuple) else items)
                           for c in LISTS if c in frame})


def in_week_order(frame: pd.DataFrame) -> pd.DataFrame:
    order = frame["weekday"].map({d: i for i, d in enumerate(WEEKDAYS)})
    return frame.assign(_order=order).sort_values(["host_id", "_order", "start"]).drop(columns="_order")


def host_column(**more) -> st.column_config.SelectboxColumn:
    return st.column_config.SelectboxColumn("host", options=host_ids, format_func=host_label, required=True,
                                            width="medium", **more)


if notice := st.session_state.pop("roster_notice", None):
    st.success(notice)

template = frames["availability_template.csv"]
exceptions = frames["availability_exceptions.csv"]
windows = frames["availability.csv"]
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
    edit_table("hosts", "hosts", editable_hosts(hosts), {
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
    edit_table("availability_template", "weekly template", in_week_order(template), {
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
    edit_table("availability_exceptions", "exceptions", exceptions.sort_values(["host_id", "start"]), {
        "host_id": host_column(),
        "start": st.column_config.DatetimeColumn(format=DATETIME, required=True),
        "end": st.column_config.DatetimeColumn(format=DATETIME, required=True),
        "change": st.column_config.SelectboxColumn(options=list(CHANGES), required=True, default="time off"),
        "note": st.column_config.TextColumn(help="why, for whoever reads the roster next"),
    })

if shown == "availability":
    st.caption("Windows for particular dates (availability.csv), for hosts without a regular week or "
               "for weeks agreed one by one.")
    some_time = {*windows["host_id"], *template["host_id"], *exceptions.loc[exceptions["change"] == "extra", "host_id"]}
    never = [h for h in host_ids if h not in some_time]
    if never:
        st.info("No availability at all for " + ", ".join(f"{names[h]} ({h})" for h in never)
                + ": the optimiser cannot give them a slot until they have a template or a window.")
    edit_table("availability", "dated windows", windows.sort_values(["host_id", "start"]), {
        "host_id": host_column(),
        "start": st.column_config.DatetimeColumn(format=DATETIME, required=True),
        "end": st.column_config.DatetimeColumn(format=DATETIME, required=True),
    })

st.subheader("The week the scheduler will see")
weeks = services.slot_weeks(frames["slots.csv"])
if not weeks:
    weeks = [week_label(date.today()), week_label(date.today() + timedelta(days=7))]
left, right = st.columns([1, 3])
week = left.selectbox("Week", weeks, index=len(weeks) - 1, key="roster_week")
chosen = right.multiselect("Hosts", host_ids, format_func=host_label, key="roster_hosts",
                           placeholder="everyone")
figure = state.availability_figure(week, tuple(chosen))
if figure is None:
    empty_state(f"Nobody can stream in {week}", "Add a weekly template, dated windows or extra windows above.")
else:
    st.plotly_chart(figure, width="stretch", key="roster_week_chart")
