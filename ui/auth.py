"""Sign-in with roles: leadership reads, associates edit, an admin manages users, a host sees only their own.

Sign-in is on as soon as the store holds a user (or STUDIO_SIGN_IN=on); with no users the app runs in
local mode: one person on their own machine, with every right, and a banner that says so. Local mode is
only ever offered by a server that listens on this machine alone (127.0.0.1): one that other machines can
reach asks everyone to sign in, whatever STUDIO_SIGN_IN says.

A signed-in session keeps only the user's name; the role, and a host's host_id, are read from the store on
every run, so a demotion or a new link takes effect on the next click and a removed user is signed out.
"""
from __future__ import annotations

import ipaddress
import math
import os
import sys
from dataclasses import dataclass
from datetime import datetime

import streamlit as st

from store.users import HOST_ROLE, ROLES, SignIn  # noqa: F401 (ROLES: the Settings page offers them)
from ui import state
from ui.theme import plain

_SIGNED_IN = "signed_in_as"
_SIGNED_OUT_WHY = "signed_out_why"
ADD_FIRST_ADMIN = "python -m store add-user NAME --role admin --password-stdin"


@dataclass(frozen=True)
class User:
    name: str
    role: str
    local: bool = False
    host_id: str | None = None  # a host: the host or assistant of hosts.csv they are

    @property
    def is_host(self) -> bool:
        return self.role == HOST_ROLE

    @property
    def can_edit(self) -> bool:
        return self.role in {"associate", "admin"}

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


def only_this_machine(address: str | None) -> bool:
    """Whether a server listening on `address` answers this machine alone (unset: Streamlit listens on all)."""
    if not address:
        return False
    if address.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(address.strip()).is_loopback
    except ValueError:  # a host name other than localhost may resolve anywhere
        return False


def needs_sign_in(address: str | None, forced: str, has_users: bool) -> bool:
    """Sign-in is required off this machine, when STUDIO_SIGN_IN (`forced`) is on, or once a user exists."""
    if not only_this_machine(address):
        return True
    if forced.lower() in {"on", "1", "true"}:
        return True
    if forced.lower() in {"off", "0", "false"}:
        return False
    return has_users


def sign_in_required() -> bool:
    return needs_sign_in(st.get_option("server.address"), os.environ.get("STUDIO_SIGN_IN", ""),
                         bool(len(state.store().users.list_users())))


@st.cache_resource(show_spinner=False)
def announce_where_it_listens() -> None:
    """Say once, at start, when the server is reachable from other machines and so asks everyone to sign in."""
    address = st.get_option("server.address")
    if not only_this_machine(address):
        print(f"Livestream Ops listens on {address or 'every network address'}, not only on 127.0.0.1: sign-in "
              f"is required (local mode answers only on 127.0.0.1). Add the first admin with `{ADD_FIRST_ADMIN}`.",
              file=sys.stderr, flush=True)


def signed_in_user() -> User:
    """The person using this browser session; stops the page at the sign-in form until they sign in."""
    announce_where_it_listens()
    if not sign_in_required():
        st.session_state["current_user"] = User("local", "admin", local=True)
        return st.session_state["current_user"]
    name = st.session_state.get(_SIGNED_IN)
    if isinstance(name, str):
        account = state.store().users.account_of(name)
        if account is not None:
            st.session_state["current_user"] = User(name, account.role, host_id=account.host_id)
            return st.session_state["current_user"]
        st.session_state.pop(_SIGNED_IN)
        gone = "is disabled" if state.store().users.is_disabled(name) else "no longer exists"
        st.session_state[_SIGNED_OUT_WHY] = f"You were signed out: the user '{name}' {gone}."
    st.session_state.pop("current_user", None)
    _sign_in_form()
    st.stop()


def current_user() -> User:
    """The user app.py signed in for this run; a page opened without going through app.py gets nothing."""
    user = st.session_state.get("current_user")
    if not isinstance(user, User):
        st.error("Open the app through its front door (streamlit run app.py) and sign in.")
        st.stop()
    return user


def current_host() -> tuple[User, str]:
    """The signed-in host and their host_id, as the store holds it on this run; any other user is stopped here,
    so a host page never shows one person's data to another."""
    user = current_user()
    if not user.is_host or not user.host_id:
        st.error("This page shows a host their own streams, pay and requests: sign in as a host to open it.")
        st.stop()
    return user, user.host_id


def refusal(result: SignIn, now: datetime) -> str:
    """What a refused sign-in says: never whether the user exists, and how long to wait when it must."""
    if result.disabled:
        return "This user is disabled. Ask your admin to enable it again."
    if result.locked:
        return (f"Too many wrong passwords: this user name is locked until {result.next_try_at:%H:%M}. "
                "Ask your admin to reset your password to sign in sooner.")
    said = "That user name and password do not match." if result.checked else "Too soon after a wrong password."
    if result.next_try_at is None:
        return f"{said} Ask your admin to reset your password."
    return f"{said} Wait {math.ceil((result.next_try_at - now).total_seconds())} s before the next try."


def _sign_in_form() -> None:
    st.title("Livestream Ops")
    st.caption("Sign in to open the studio's schedule and scorecards.")
    if st.session_state.get(_SIGNED_OUT_WHY):
        st.warning(plain(st.session_state.pop(_SIGNED_OUT_WHY)))
    if not only_this_machine(st.get_option("server.address")):
        st.caption("This server can be reached from other machines, so everyone signs in (local mode is for "
                   "127.0.0.1 only).")
        if not len(state.store().users.list_users()):
            st.info(f"No user exists yet: add the first admin on the server with `{ADD_FIRST_ADMIN}`.")
    with st.form("sign_in", border=True):
        username = st.text_input("User name", key="sign_in_user")
        password = st.text_input("Password", type="password", key="sign_in_password")
        submitted = st.form_submit_button("Sign in", type="primary")
    if submitted:
        result = state.store().users.sign_in(username, password)
        if result.role:
            st.session_state[_SIGNED_IN] = username.strip()
            st.rerun()
        st.error(refusal(result, datetime.now()))


def sign_out() -> None:
    st.session_state.pop(_SIGNED_IN, None)
    st.rerun()
