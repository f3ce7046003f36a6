"""What a page shows instead of a traceback when the store cannot give it its data: the reason, and for rows
that break the contract a button that undoes the import that brought them."""
from __future__ import annotations

from collections.abc import Callable

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from store import BadStoredRow, StoreUnavailable
from ui import auth, state

_SHOWN = "store_trouble_shown"  # one message per run, however many places meet the same rows


def bad_rows(err: BadStoredRow) -> None:
    """The bad rows named, and one "Undo import N" button per import that brought them."""
    if st.session_state.get(_SHOWN):
        return
    st.session_state[_SHOWN] = True
    st.error("Some stored rows break the data contract, so this page cannot show its figures:\n\n"
             + "\n".join(f"- {line}" for line in str(err).splitlines()), icon=":material/error:")
    user = auth.current_user()
    if not err.import_ids:
        st.info("No import of this app brought these rows: correct them with the tool that wrote them.")
    elif not user.can_edit:
        st.info("An associate or an admin can undo the import that brought them on any page.")
    for import_id in err.import_ids:
        if st.button(f"Undo import {import_id}", key=f"undo_bad_import_{import_id}", type="primary"):
            try:
                state.store().undo_import(import_id, user.name)
            except (ValueError, StoreUnavailable) as refused:
                st.error(str(refused))
            else:
                state.invalidate()
                st.rerun()


def unavailable(err: StoreUnavailable) -> None:
    st.error(f"The studio's data cannot be read or saved just now: {err}. Try again in a moment; if it "
             "persists, ask whoever runs the server to check the database.", icon=":material/database:")


def run_page(open_pages: Callable[[], StreamlitPage]) -> None:
    """Sign in, then run the chosen page; bad stored rows or an unusable database end it with a message
    instead of a traceback.

    Bad rows are looked for before the page starts, so a page that reads no table (the Data page, where the
    import history is) still says what is wrong and offers the undo, then renders in full."""
    st.session_state[_SHOWN] = False
    try:
        page = open_pages()
        try:
            state.frames()
        except BadStoredRow as err:
            bad_rows(err)
        page.run()
    except BadStoredRow as err:
        bad_rows(err)
    except StoreUnavailable as err:
        unavailable(err)
