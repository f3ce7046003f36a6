"""Settings and users: the studio's name, time zone, currency and scheduling rules; who may sign in, with which
role (a host linked to the person of hosts.csv they are); each person's calendar feed link and the studio's mail
server."""
from __future__ import annotations

import streamlit as st

from store.settings import CURRENCIES, StudioSettings, time_zones
from ui import auth, state
from ui.components import feeds_and_mail
from ui.components.own_studio import own_studio_section
from ui.components.people import labeller
from ui.components.rule_settings import rule_settings_section
from ui.theme import plain

user = auth.current_user()
store = state.store()
st.title("Settings & users")

current = state.studio_settings()
with st.form("studio_settings"):
    st.subheader("Studio")
    name = st.text_input("Studio name", current.studio_name, key="studio_name")
    zones = sorted(time_zones())
    zone = st.selectbox("Time zone (all times in the files are this zone's local time)", zones,
                        index=zones.index(current.time_zone), key="studio_zone")
    currency = st.selectbox("Currency", list(CURRENCIES), index=list(CURRENCIES).index(current.currency),
                            key="studio_currency")
    saved = st.form_submit_button("Save settings", type="primary", disabled=not user.can_edit)
if saved:
    try:
        store.save_studio_settings(StudioSettings(name.strip(), zone, currency), user.name)
        state.invalidate()
        st.success("Settings saved.")
        st.rerun()
    except ValueError as err:
        st.error(plain(err))

rule_settings_section(current, user.name, user.can_edit)
own_studio_section(user.name, user.can_edit)

st.subheader("Users")
users = store.users.list_users()
if user.local:
    st.info("Local mode: nobody signs in and whoever opens the app has every right. That suits one person on "
            "their own machine. Add an admin below to turn sign-in on for everyone.")
if not user.is_admin:
    st.caption("Only an admin manages users.")
    st.stop()
if len(users):
    st.dataframe(users, hide_index=True, width="stretch")
people = state.frames().hosts
person = labeller(dict(zip(people["host_id"], people["name"])), nobody="nobody (not a host)")
person_ids = ["", *people["host_id"]]
with st.form("add_user", clear_on_submit=True):
    cols = st.columns(4)
    username = cols[0].text_input("User name", key="new_user_name")
    role = cols[1].selectbox("Role", auth.ROLES, index=2 if not len(users) else 1, key="new_user_role",
                             help="leadership reads; associates edit; admins also manage users; a host sees only "
                                  "their own streams, pay and requests")
    linked = cols[2].selectbox("Is (for a host)", person_ids, format_func=person, key="new_user_host",
                               help="the host or assistant of the roster this user is")
    password = cols[3].text_input("Password (at least 8 characters)", type="password", key="new_user_password")
    added = st.form_submit_button("Add user")
if added:
    try:
        if len(password) < 8:
            raise ValueError("a password needs at least 8 characters")
        store.users.add_user(username.strip(), role, password, linked or None)
        st.success(f"{plain(username)} can now sign in as {role}." +
                   (" Sign-in is now on: sign in with this user." if user.local else ""))
        if user.local:
            st.session_state.pop("current_user", None)
            st.rerun()
    except ValueError as err:
        st.error(plain(err))
if len(users):
    cols = st.columns([2, 2, 2, 1])
    who = cols[0].selectbox("User", users["username"].tolist(), key="manage_user")
    new_role = cols[1].selectbox("New role", auth.ROLES, key="manage_role")
    new_link = cols[2].selectbox("Is (for a host)", person_ids, format_func=person, key="manage_host")
    if cols[3].button("Change role", key="change_role"):
        try:
            store.users.set_role(who, new_role, new_link or None)
            st.success(f"{plain(who)} is now {new_role}.")
        except ValueError as err:
            st.error(plain(err))
    disabled = bool(users.set_index("username")["disabled_at"].notna().get(who, False))
    if st.button(f"{'Enable' if disabled else 'Disable'} {plain(who)}", key="disable_user",
                 help="a disabled user is signed out at their next click and cannot sign in; their history stays"):
        try:
            store.users.set_disabled(who, not disabled, user.name)
            st.rerun()  # the table above shows the change
        except ValueError as err:
            st.error(plain(err))
    if st.button(f"Remove {plain(who)}", key="remove_user"):
        try:
            store.users.remove_user(who)
            st.success(f"{plain(who)} removed.")
        except ValueError as err:
            st.error(plain(err))

feeds_and_mail.feeds(user, people)
feeds_and_mail.mail(user)
