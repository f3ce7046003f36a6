"""One store table in an editor: checked by row and column as it is typed, kept as a draft while another table
is shown, and saved only if nobody else saved the same table since it was opened."""
from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from contract import DataError, Problem
from store import ImportRejected, Store, VersionConflict
from ui import state
from ui.auth import User
from ui.theme import plain

EDIT_PARTS = ("edited_rows", "added_rows", "deleted_rows")  # what st.data_editor keeps of a person's edits
Check = Callable[[pd.DataFrame], pd.DataFrame]  # the typed table, or a DataError naming rows and columns


def has_draft(kind: str) -> bool:
    """Whether this person has unsaved edits of the table."""
    return f"{kind}_draft" in st.session_state


def edit_table(kind: str, label: str, frame: pd.DataFrame, config: dict, check: Check, *, store: Store, user: User,
               depends_on: tuple = (), notice_key: str = "notice") -> None:
    """The table `kind` of the store in an editor, with its problems said under it and a Save button.

    `check` reads the edited table as the store will keep it; `depends_on` is what else it reads (the roster's
    host ids, say), which keys its cache. A save leaves its notice in `st.session_state[notice_key]`.
    """
    _remember_version(kind, store)
    edited = st.data_editor(_editor_start(kind, _numbered(frame)), num_rows="dynamic", width="stretch",
                            key=f"{kind}_editor", hide_index=False, disabled=not user.can_edit,
                            column_config={"_index": st.column_config.NumberColumn("row", width=48), **config})
    _keep_draft(kind, edited)
    checked, problems = _checked(kind, edited, depends_on, check)
    if problems:
        _show_problems(problems, edited, f"The {label} cannot be saved yet:")
    if user.can_edit:
        left, right = st.columns([1, 5])
        if left.button(f"Save {label}", type="primary", key=f"save_{kind}", disabled=bool(problems)):
            _save(kind, checked, edited, label, store, user, notice_key)
        if has_draft(kind) and right.button("Discard unsaved edits", key=f"discard_{kind}"):
            _forget_edits(kind)
            st.rerun()
    if conflict := st.session_state.get(f"conflict_{kind}"):
        st.error(plain(conflict))
        if st.button("Reload the saved table (your edits are dropped)", key=f"reload_{kind}"):
            _forget_edits(kind)
            state.invalidate()
            st.rerun()


def _numbered(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows numbered from 1, as the editor shows them and the messages name them."""
    return frame.set_axis(pd.RangeIndex(1, len(frame) + 1), axis=0)


def _remember_version(kind: str, store: Store) -> int:
    """The table's version when this person opened it; saving checks nobody saved in between."""
    key = f"opened_version_{kind}"
    if key not in st.session_state:
        st.session_state[key] = store.table_version(kind)
    return st.session_state[key]


def _forget_edits(kind: str) -> None:
    for key in (f"opened_version_{kind}", f"{kind}_editor", f"{kind}_draft", f"{kind}_start", f"conflict_{kind}"):
        st.session_state.pop(key, None)


def _editor_start(kind: str, saved: pd.DataFrame) -> pd.DataFrame:
    """The table an editor starts from: the saved one, or this person's unsaved edits when they come back to a
    table they left (Streamlit forgets an editor's edits once it is hidden)."""
    if f"{kind}_editor" not in st.session_state:  # the editor is new in this run: opened or opened again
        st.session_state.pop(f"{kind}_start", None)
        if has_draft(kind):
            st.session_state[f"{kind}_start"] = st.session_state[f"{kind}_draft"]
    return st.session_state.get(f"{kind}_start", saved)


def _keep_draft(kind: str, edited: pd.DataFrame) -> None:
    """Remember the edited table while it has unsaved edits, so leaving it for another table loses nothing."""
    edits = st.session_state.get(f"{kind}_editor") or {}
    if f"{kind}_start" in st.session_state or any(edits.get(part) for part in EDIT_PARTS):
        st.session_state[f"{kind}_draft"] = edited


@st.cache_data(show_spinner=False, max_entries=32)
def _checked(kind: str, edited: pd.DataFrame, depends_on: tuple,
             _check: Check) -> tuple[pd.DataFrame | None, list[Problem]]:
    """(the typed table, []) or (None, its problems); cached, as most runs show the table unchanged."""
    try:
        return _check(edited), []
    except DataError as err:
        return None, err.problems


def _where(problem: Problem, edited: pd.DataFrame) -> str:
    """'Row 3, start' as the editor numbers rows (a problem's row counts the header as row 1)."""
    parts = []
    if problem.row is not None and 0 <= problem.row - 2 < len(edited):
        parts.append(f"Row {edited.index[problem.row - 2]}")
    if problem.column:
        parts.append(problem.column)
    return ", ".join(parts) or "The table"


def _show_problems(problems: list[Problem], edited: pd.DataFrame, title: str) -> None:
    lines = [f"- **{plain(_where(p, edited))}**: {plain(p.message)}" for p in problems]
    st.warning(f"{title}\n\n" + "\n".join(lines))


def _save(kind: str, checked: pd.DataFrame, edited: pd.DataFrame, label: str, store: Store, user: User,
          notice_key: str) -> None:
    try:
        store.save_table(kind, checked, user.name, expected_version=_remember_version(kind, store))
    except VersionConflict as err:
        st.session_state[f"conflict_{kind}"] = str(err)
        return
    except ImportRejected as err:
        _show_problems(err.report.problems, edited, "Not saved: fix these first.")
        return
    _forget_edits(kind)
    state.invalidate()
    st.session_state[notice_key] = f"{label.capitalize()} saved."
    st.rerun()
