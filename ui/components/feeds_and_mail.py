"""The admin's side of a published week reaching people: each person's calendar feed link, made (shown once)
or revoked, and the studio's SMTP server with the mail waiting in the outbox."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from store.feeds import feed_path
from store.outbox import MailSettings
from ui import state
from ui.auth import User
from ui.components.people import labeller
from ui.theme import plain

_MADE = "settings_feed_made"


def feeds(user: User, people: pd.DataFrame) -> None:
    st.subheader("Calendar feeds")
    st.caption("Each person's own calendar link, for Google or Apple Calendar. The link is shown only when it is "
               "made; a new one or a revoke stops the old one (it then answers 404).")
    feeds_of = state.store().feeds
    name = labeller(dict(zip(people["host_id"], people["name"])))
    live = feeds_of.live_links()
    if len(live):
        st.dataframe(live.assign(person=live["person_id"].map(name))[["person", "created_by", "created_at"]],
                     hide_index=True, width="stretch", key="feed_links")
    if made := st.session_state.pop(_MADE, None):
        st.success(plain(f"Feed link of {name(made[0])} (shown once; put the app's address before it):"))
        st.code(made[1], language=None)
    cols = st.columns([2, 1, 1])
    person = cols[0].selectbox("Person", people["host_id"].tolist(), format_func=name, key="feed_person")
    if cols[1].button("Make a new link", key="feed_make"):
        st.session_state[_MADE] = (person, feed_path(feeds_of.new_token(person, user.name)))
        st.rerun()
    if cols[2].button("Revoke", key="feed_revoke"):
        st.success(plain(f"{feeds_of.revoke(person, user.name)} link(s) of {name(person)} revoked."))


def mail(user: User) -> None:
    st.subheader("Mail")
    outbox = state.store().outbox
    saved = outbox.settings()
    with st.form("mail_settings"):
        cols = st.columns([2, 1, 2])
        host = cols[0].text_input("SMTP server", saved.host, key="smtp_host", placeholder="smtp.studio.com")
        port = cols[1].number_input("Port", 1, 65535, saved.port, key="smtp_port")
        sender = cols[2].text_input("From", saved.sender, key="smtp_sender", placeholder="schedule@studio.com")
        cols = st.columns([2, 2, 1])
        login = cols[0].text_input("User (empty: no login)", saved.user, key="smtp_user")
        password = cols[1].text_input("Password (empty: keep the saved one)", type="password", key="smtp_password")
        starttls = cols[2].checkbox("STARTTLS", saved.starttls, key="smtp_starttls")
        save = st.form_submit_button("Save mail settings", type="primary")
    if save:
        try:
            outbox.save_settings(MailSettings(host.strip(), int(port), sender.strip(), login.strip(),
                                              password or saved.password, starttls), user.name)
        except ValueError as err:
            st.error(plain(err))
        else:
            st.success("Mail settings saved.")
    waiting = outbox.messages()
    st.caption(f"{len(waiting)} message(s) waiting in the outbox; the running app tries every minute.")
    if len(waiting):
        st.dataframe(waiting[["person_id", "to_address", "subject", "attempts", "last_error"]], hide_index=True,
                     width="stretch", key="outbox_waiting")
        if st.button("Send now", key="send_mail", disabled=not outbox.settings().host):
            delivery = outbox.send()
            st.info(plain(f"Sent {delivery.sent}, {delivery.waiting} still waiting. " + " ".join(delivery.errors)))
