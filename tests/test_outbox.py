"""The outbox against a real SMTP server (aiosmtpd) on 127.0.0.1: mail waits while it is down and goes out
on the next try; and the store commands that show, send and set it up."""
from __future__ import annotations

import socket
from email import message_from_bytes

import pytest
from aiosmtpd.controller import Controller

from store.cli import main
from store.outbox import MailSettings
from tests.notify_studio import notify_store, publish


class Inbox:
    """An SMTP server's handler that keeps what it is given."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.envelopes.append(envelope)
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def store(tmp_path):
    store = notify_store(tmp_path)
    publish(store)
    yield store
    store.engine.dispose()


def test_mail_waits_while_the_server_is_down_and_goes_out_on_the_next_try(store):
    port = _free_port()
    store.outbox.save_settings(MailSettings("127.0.0.1", port, "schedule@studio.test", starttls=False), "root")
    down = store.outbox.send()
    assert (down.sent, down.waiting) == (0, 2) and "Connection refused" in down.errors[0]
    waiting = store.outbox.messages()
    assert waiting["attempts"].tolist() == [1, 1] and waiting["last_error"].str.contains("refused").all()

    inbox = Inbox()
    server = Controller(inbox, hostname="127.0.0.1", port=port)
    server.start()
    try:
        up = store.outbox.send()
    finally:
        server.stop()
    assert (up.sent, up.waiting, up.errors) == (2, 0, ())
    assert [e.rcpt_tos for e in inbox.envelopes] == [["ana@example.com"], ["ben@example.com"]]
    first = message_from_bytes(inbox.envelopes[0].original_content)
    assert first["From"] == "schedule@studio.test" and first["Subject"].endswith("(2 added)")
    assert "Added: GlowLab live: beauty (hero), Mon 07 Jan 2030 10:00-12:00 (Studio 1)" in first.get_payload()
    assert store.outbox.messages().empty
    sent = store.outbox.messages(include_sent=True)
    assert sent["attempts"].tolist() == [2, 2] and sent["sent_at"].notna().all() and sent["last_error"].isna().all()


def test_the_studio_settings_and_the_mail_settings_keep_each_other(store):
    from store.settings import StudioSettings

    store.outbox.save_settings(MailSettings("smtp.studio.test", 2525, "a@studio.test", "robot", "s3cret"), "root")
    store.save_studio_settings(StudioSettings("GlowLab Live", "Asia/Ho_Chi_Minh", "VND"), "root")
    assert store.outbox.settings() == MailSettings("smtp.studio.test", 2525, "a@studio.test", "robot", "s3cret")
    assert store.studio_settings().studio_name == "GlowLab Live"


def test_bad_mail_settings_are_refused_by_name():
    with pytest.raises(ValueError, match="port 0"):
        MailSettings("smtp.studio.test", 0, "a@studio.test")
    with pytest.raises(ValueError, match="sender 'studio'"):
        MailSettings("smtp.studio.test", 587, "studio")


def test_the_commands_list_send_and_set_up_mail(store, capsys):
    url = store.engine.url.render_as_string(hide_password=False)
    assert main(["--url", url, "send-mail"]) == 2
    assert "mail is not set up" in capsys.readouterr().err
    port = _free_port()
    assert main(["--url", url, "mail-settings", "--host", "127.0.0.1", "--port", str(port), "--sender",
                 "schedule@studio.test", "--no-starttls"]) == 0
    assert capsys.readouterr().out.strip() == (f"SMTP 127.0.0.1:{port}, from schedule@studio.test, user (none), "
                                               "password not set, STARTTLS off")
    assert main(["--url", url, "send-mail"]) == 1
    captured = capsys.readouterr()
    assert captured.out.strip() == "sent 0, 2 still waiting" and "Connection refused" in captured.err
    assert main(["--url", url, "outbox"]) == 0
    listing = capsys.readouterr().out
    assert "ana@example.com" in listing and "ben@example.com" in listing and "refused" in listing

    server = Controller(Inbox(), hostname="127.0.0.1", port=port)
    server.start()
    try:
        assert main(["--url", url, "send-mail"]) == 0
    finally:
        server.stop()
    assert capsys.readouterr().out.strip() == "sent 2, 0 still waiting"
    assert main(["--url", url, "outbox"]) == 0
    assert capsys.readouterr().out.strip() == "no mail waiting"


def test_the_feed_token_command_prints_the_path_once_and_revokes(store, capsys):
    url = store.engine.url.render_as_string(hide_password=False)
    assert main(["--url", url, "feed-token", "h1"]) == 0
    path = capsys.readouterr().out.strip()
    assert path.startswith("/feed/") and path.endswith(".ics")
    assert store.feeds.person_of(path.removeprefix("/feed/").removesuffix(".ics")) == "h1"
    assert main(["--url", url, "feed-token", "h1", "--revoke"]) == 0
    assert capsys.readouterr().out.strip() == "revoked 1 calendar feed link(s) of h1"
    assert store.feeds.person_of(path.removeprefix("/feed/").removesuffix(".ics")) is None
    assert main(["--url", url, "feed-token", "nobody"]) == 2
    assert "no host or assistant 'nobody'" in capsys.readouterr().err


def test_the_apps_background_try_sends_the_waiting_mail(store, monkeypatch):
    from ui import routes

    port = _free_port()
    store.outbox.save_settings(MailSettings("127.0.0.1", port, "schedule@studio.test", starttls=False), "root")
    monkeypatch.setattr(routes, "_store", lambda: store)
    routes._send_waiting_mail()  # the server is down: logged, nothing lost
    assert len(store.outbox.messages()) == 2
    inbox = Inbox()
    server = Controller(inbox, hostname="127.0.0.1", port=port)
    server.start()
    try:
        routes._send_waiting_mail()
    finally:
        server.stop()
    assert len(inbox.envelopes) == 2 and store.outbox.messages().empty


def test_someone_who_never_signs_in_is_told_everything_since_the_last_mail_that_reached_them(store):
    from tests.notify_studio import HOSTS, PLAN

    store.import_file(HOSTS.replace("assistant,\n", "assistant,pia@example.com\n").encode(), "hosts", "hosts.csv")
    port = _free_port()
    store.outbox.save_settings(MailSettings("127.0.0.1", port, "schedule@studio.test", starttls=False), "root")
    server = Controller(Inbox(), hostname="127.0.0.1", port=port)
    server.start()
    try:
        assert store.outbox.send().sent == 2  # the first publish, to Ana and Ben; nobody has a user
    finally:
        server.stop()
    publish(store, PLAN.assign(host_id=["h1", "h1", "h1"]))  # Ben loses s2 (the server is down: it waits)
    publish(store, PLAN.assign(host_id=["h1", "h1", "h2"], assistant_ids=["p1", "", "p1"]))  # Ben gains s3
    waiting = store.outbox.messages()
    to_ben = waiting.loc[waiting["person_id"] == "h2", "body"].tolist()
    assert len(to_ben) == 2 and "since" not in to_ben[0]
    since = to_ben[1][to_ben[1].index("Everything that changed since our last mail to you"):]
    assert since.splitlines()[2:4] == ["- Cancelled: GlowLab live: beauty (core), Mon 07 Jan 2030 14:00-16:00",
                                       "- Added: GlowLab live: beauty (core), Tue 08 Jan 2030 10:00-12:00 (Studio 2)"]
    to_pia = waiting.loc[waiting["person_id"] == "p1"]  # an assistant with an address, never mailed before
    assert to_pia["to_address"].tolist() == ["pia@example.com"]
    assert "since" not in to_pia["body"].iloc[0]
