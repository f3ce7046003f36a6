"""Sign-in with roles: leadership reads, associates edit, an admin manages users.

Sign-in is on as soon as the store holds a user (or STUDIO_SIGN_IN=on); with no users the app runs in
local mode: one person on their own machine, with every right, and a banner that says so.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

import streamlit as st

from ui import state

ROLES = ("leadership", "associate", "admin")


@dataclass(frozen=True)
class User:
    name: str
    role: str
    local: bool = False

    @property
    def can_edit(self) -> bool:
        return self.role in {"associate", "admin"}

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


def sign_in_required() -> bool:
    forced = os.environ.get("STUDIO_SIGN_IN", "").lower()
    if forced in {"on", "1", "true"}:
        return True
    if forced in {"off", "0", "false"}:
        return False
    return bool(len(state.store().users.list_users()))


def signed_in_user() -> User:
    """The person using this browser session; stops the page at the sign-in form until they sign in."""
    if not sign_in_required():
        st.session_state["current_user"] = User("local", "admin", local=True)
        return st.session_state["current_user"]
    user = st.session_state.get("user")
    if isinstance(user, User):
        st.session_state["current_user"] = user
        return user
    _sign_in_form()
    st.stop()


def current_user() -> User:
    """The user app.py signed in for this run; a page opened without going through app.py gets nothing."""
    user = st.session_state.get("current_user")
    if not isinstance(user, User):
        st.error("Open the app through its front door (streamlit run app.py) and sign in.")
        st.stop()
    return user


def _sign_in_form() -> None:
    st.title("Livestream Ops")
    st.caption("Sign in to open the studio's schedule and scorecards.")
    with st.form("sign_in", border=True):
        username = st.text_input("User name", key="sign_in_user")
        password = st.text_input("Password", type="password", key="sign_in_password")
        submitted = st.form_submit_button("Sign in", type="primary")
    if submitted:
        role = state.store().users.verify(username.strip(), password)
        if role:
            st.session_state["user"] = User(username.strip(), role)
            st.rerun()
        st.error("That user name and password do not match. Ask your admin to reset your password.")


def sign_out() -> None:
    st.session_state.pop("user", None)
    st.rerun()
