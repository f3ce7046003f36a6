"""Which pages each role sees, grouped the way the studio works: plan, results, studio, admin."""
from __future__ import annotations

import streamlit as st

from ui import auth, state
from ui.auth import User
from ui.components.browser_warmup import load_element_code
from ui.theme import plain

_PLAN = [("calendar", "Calendar", ":material/event_repeat:"),
         ("schedule", "Schedule", ":material/calendar_month:"),
         ("roster", "Roster", ":material/groups:")]
_RESULTS = [("daily", "Daily scorecard", ":material/today:"),
            ("weekly", "Weekly scorecard", ":material/insights:")]
_STUDIO = [("payroll", "Hours, pay & invoices", ":material/payments:"),
           ("run_of_show", "Run-of-show", ":material/checklist:"),
           ("clips", "Highlight clips", ":material/movie:")]
_ADMIN = [("data", "Data", ":material/upload_file:"),
          ("settings", "Settings & users", ":material/settings:")]

_MINE = [("my_streams", "My streams", ":material/live_tv:"),
         ("my_hours", "My hours & pay", ":material/payments:"),
         ("my_availability", "My availability & time off", ":material/event_available:")]
_REQUESTS = [("requests", "Requests from hosts", ":material/inbox:")]

LEADERSHIP_PAGES = {"weekly", "daily", "schedule"}


def _pages(name: str, title: str, icon: str, default: bool) -> list[st.Page]:
    """The page at /name; the default page at the root, and at /name too, hidden from the menu, so that a
    bookmark of it opens it (Streamlit serves the default page at the root only)."""
    if not default:
        return [st.Page(f"ui/pages/{name}.py", title=title, icon=icon, url_path=name)]
    return [st.Page(f"ui/pages/{name}.py", title=title, icon=icon, url_path="", default=True),
            st.Page(f"ui/pages/{name}.py", title=title, icon=icon, url_path=name, visibility="hidden")]


def pages_for(user: User) -> st.navigation:
    """Leadership opens on the weekly scorecard and reads only; associates and admins open on the schedule; a
    host gets their own pages and nothing else."""
    if user.is_host:
        first, allowed, groups = "my_streams", (lambda name: True), {"Mine": _MINE}
    else:
        first = "weekly" if user.role == "leadership" else "schedule"
        allowed = (lambda name: name in LEADERSHIP_PAGES) if user.role == "leadership" else (lambda name: True)
        groups = {"Plan": _PLAN + _REQUESTS, "Results": _RESULTS, "Studio": _STUDIO, "Data & admin": _ADMIN}
    sections = {
        label: [page for name, title, icon in entries if allowed(name)
                for page in _pages(name, title, icon, default=name == first)]
        for label, entries in groups.items()
    }
    _sidebar(user)
    return st.navigation({label: pages for label, pages in sections.items() if pages})


def _sidebar(user: User) -> None:
    with st.sidebar:
        st.markdown(f"**{plain(state.studio_settings().studio_name)}**")
        if user.local:
            st.caption("Local mode: no sign-in, full rights. Add a user in Settings to turn sign-in on.")
        else:
            st.caption(f"Signed in as **{plain(user.name)}** ({user.role})")
            if st.button("Sign out", key="sign_out"):
                auth.sign_out()
        load_element_code()
