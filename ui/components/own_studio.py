"""Settings' "Start your own studio": clear the sample (or any studio) from this store in one step, with what
goes listed first and an Undo while the new studio has no rows of its own; or keep the sample and start a
store beside it."""
from __future__ import annotations

import streamlit as st

from store.own_studio import described
from ui import state
from ui.components.first_run import OWN_STUDIO
from ui.theme import plain


def own_studio_section(user_name: str, can_edit: bool) -> None:
    st.subheader("Start your own studio")
    store = state.store()
    standing = store.standing_clear()
    if standing is not None:
        _offer_undo(standing, user_name, can_edit)
        return
    rows = store.rows_to_clear()
    if not rows:
        st.caption("This store holds no studio rows yet: follow the first-run checklist on the Schedule page.")
        return
    st.caption("Clears every row of this store: its tables, its published and draft weeks, requests, feed links "
               "and mail. Users and sign-in stay, and the scheduling rules go back to the defaults. One step, "
               "undone here or under Data → Import history while your studio has no rows of its own.")
    st.markdown(f"**What goes:** {plain(described(rows))}")
    with st.form("own_studio"):
        name = st.text_input("Your studio's name", key="own_studio_name")
        sure = st.checkbox("Clear every row listed above", key="own_studio_sure")
        clear = st.form_submit_button("Clear and start my studio", disabled=not can_edit)
    if clear:
        if not sure:
            st.error("Tick “Clear every row listed above” first: nothing was cleared.")
        else:
            try:
                with st.spinner("Clearing the studio's rows…"):
                    store.start_own_studio(name.strip(), user_name)
            except ValueError as err:
                st.error(f"Nothing was cleared: {plain(err)}")
            else:
                state.invalidate()
                st.rerun()
    with st.expander("Or keep the sample and start a store of your own beside it"):
        st.code(OWN_STUDIO, language="bash")


def _offer_undo(step: int, user_name: str, can_edit: bool) -> None:
    st.success("Your studio starts empty: the first-run checklist on the Schedule page leads from settings to a "
               "planned week.")
    if st.button("Undo: put the cleared rows back", key="undo_own_studio", disabled=not can_edit):
        try:
            with st.spinner("Putting the rows back…"):
                state.store().undo_import(step, user_name)
        except ValueError as err:
            st.error(plain(err))
        else:
            state.invalidate()
            st.rerun()
