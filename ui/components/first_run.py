"""A new studio's first run: the checklist from settings to a planned week, each step ticked from the store and
linked to its page, and how to start the studio's own store beside the sample."""
from __future__ import annotations

import streamlit as st

from contract.weeks import week_labels
from store import Store
from store.seed import holds_the_sample
from ui import state
from ui.theme import plain
from workflows.first_run import first_run_steps

OWN_STUDIO = """# a new, empty store (the sample stays in .store/studio.db)
STUDIO_DB_PATH=.store/mine.db python -m store init --empty --name "My Studio"
STUDIO_DB_PATH=.store/mine.db streamlit run app.py
# or a store filled from your own folder of contract files
STUDIO_DB_PATH=.store/mine.db python -m store init --seed-dir my_studio/"""


def planned_weeks(store: Store) -> set[str]:
    """Weeks with slots that have a saved plan, draft or published."""
    slots = state.frames().slots
    weeks = set(week_labels(slots["start"]).unique()) if len(slots) else set()
    published = set(store.published_schedules()["week"])
    return {w for w in weeks if w in published or store.schedule(w, "draft") is not None}


def first_run_checklist(store: Store) -> None:
    """The steps still to do, open while most are; once every step is done, only a way to start your own studio
    while the store holds the sample."""
    steps = first_run_steps(state.frames(), state.studio_settings().studio_name, planned_weeks(store))
    done = sum(step.done for step in steps)
    sample = holds_the_sample(store.import_history())
    if done == len(steps):
        if sample:
            st.page_link("ui/pages/settings.py", label="This is the sample studio: start your own studio",
                         icon=":material/restart_alt:")
        return
    with st.expander(f"First run: {done} of {len(steps)} steps done", expanded=done < 3):
        for number, step in enumerate(steps, start=1):
            mark = ":green[:material/check_circle:]" if step.done else ":material/radio_button_unchecked:"
            left, right = st.columns([3, 2])
            left.markdown(f"{mark} **{number}. {plain(step.title)}**  \n{plain(step.todo)}")
            right.page_link(step.page, label="Open" if not step.done else "Done, open again")
        if not sample:
            return
        st.markdown("**Start your own studio.** The app opens on the sample studio. Clear it in one undoable step "
                    "under Settings → Start your own studio, or give your studio a store of its own, empty or filled "
                    "from your files; imports there are recorded under your name:")
        st.page_link("ui/pages/settings.py", label="Start your own studio", icon=":material/restart_alt:")
        st.code(OWN_STUDIO, language="bash")
