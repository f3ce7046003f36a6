"""Mail to people about their streams, through the studio's SMTP server, with nothing lost while it is down.

Publishing a week, and every later change to a published week, queues one message per person whose
streams still to come changed, in the same transaction as the change; a person gets mail when hosts.csv
gives them an address (an `email` column, beyond the contract). Sending takes the queue in order and
marks each message sent once the server has accepted it; one it could not take stays queued with its
error and goes out on the next try.
"""
from __future__ import annotations

import smtplib
import ssl
from collections import Counter
from dataclasses import asdict, dataclass, fields
from datetime import datetime
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

import pandas as pd
import sqlalchemy as sa

from store.models import outbox, studio_settings
from store.streams import Change, in_words

SETTING_PREFIX = "smtp_"
TIMEOUT_SECONDS = 30
# Refusals of one message; any other error means the server or the connection failed, for the rest too.
ONE_MESSAGE = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError)
LIST_COLUMNS = ["id", "person_id", "to_address", "subject", "created_at", "attempts", "last_try_at", "last_error",
                "sent_at"]


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


@dataclass(frozen=True)
class MailSettings:
    """The studio's SMTP server; without a host, mail waits in the outbox until one is set."""

    host: str = ""
    port: int = 587
    sender: str = ""
    user: str = ""
    password: str = ""  # kept in the store as given: the server needs it, so it cannot be a hash
    starttls: bool = True

    def __post_init__(self) -> None:
        if not 1 <= self.port <= 65535:
            raise ValueError(f"SMTP port {self.port} is not a port number (1 to 65535)")
        if self.host and "@" not in self.sender:
            raise ValueError(f"the sender '{self.sender}' is not a mail address like schedule@studio.com")

    @classmethod
    def from_text(cls, saved: dict[str, str]) -> MailSettings:
        values: dict[str, str | int | bool] = {
            f.name: saved[SETTING_PREFIX + f.name] for f in fields(cls) if SETTING_PREFIX + f.name in saved}
        if "port" in values:
            values["port"] = int(values["port"])
        if "starttls" in values:
            values["starttls"] = values["starttls"] == "yes"
        return cls(**values)  # type: ignore[arg-type]  # each value now has its field's type

    def as_text(self) -> dict[str, str]:
        values = asdict(self) | {"port": str(self.port), "starttls": "yes" if self.starttls else "no"}
        return {SETTING_PREFIX + name: value for name, value in values.items()}


@dataclass(frozen=True)
class Delivery:
    """What one try of the queue did."""

    sent: int
    waiting: int
    errors: tuple[str, ...] = ()


@dataclass(frozen=True)
class LastLook:
    """When a person last saw their streams, and everything that changed since then: their last look in the app
    (`in_app`), or for someone who never looked there, the moment of the last mail that went out to them."""

    at: datetime
    changes: list[Change]
    in_app: bool = True


def message(studio_name: str, person_name: str, time_zone: str, changes: list[Change],
            last_look: LastLook | None = None) -> tuple[str, str]:
    """(subject, body) telling a person what changed in their streams, in words; with `last_look`, also
    everything that changed since they last looked, when that is more than this change."""
    counts = Counter(c.change for c in changes)
    summary = ", ".join(f"{counts[kind]} {kind}" for kind in ("added", "moved", "cancelled") if counts[kind])
    lines = [f"- {in_words(change)}" for change in changes]
    earlier = []
    if last_look is not None and len(last_look.changes) > len(changes):
        since = "you last looked" if last_look.in_app else "our last mail to you"
        earlier = ["", f"Everything that changed since {since} ({last_look.at:%a %d %b %H:%M}):", "",
                   *[f"- {in_words(change)}" for change in last_look.changes]]
    body = "\n".join([f"Hello {person_name},", "", f"Your livestreams at {studio_name} changed ({time_zone} time):",
                      "", *lines, *earlier, "", "Your calendar subscription shows the same changes.", ""])
    return f"{studio_name}: your livestreams changed ({summary})", body


def enqueue(conn: sa.Connection, changes: list[Change], hosts: pd.DataFrame, studio_name: str,
            time_zone: str, last_looks: dict[str, LastLook] | None = None, made_at: datetime | None = None) -> int:
    """Queue one message per person in `changes` whom hosts.csv gives an address, whether or not they sign in
    (with what changed since they last looked, from `last_looks`); returns how many. `made_at` (created_at) is
    the moment the changes were logged, to the microsecond, so the changes a message told of are exactly those
    logged up to it."""
    if "email" not in hosts.columns:
        return 0
    addresses = dict(zip(hosts["host_id"], hosts["email"].fillna("").astype("str").str.strip()))
    names = dict(zip(hosts["host_id"], hosts["name"].astype("str")))
    theirs: dict[str, list[Change]] = {}
    for change in changes:
        theirs.setdefault(change.person_id, []).append(change)
    rows = []
    for person_id, mine in sorted(theirs.items()):
        if addresses.get(person_id):
            subject, body = message(studio_name, names[person_id], time_zone, mine,
                                    (last_looks or {}).get(person_id))
            rows.append({"person_id": person_id, "to_address": addresses[person_id], "subject": subject,
                         "body": body, "created_at": made_at or datetime.now(), "attempts": 0})
    if rows:
        conn.execute(outbox.insert(), rows)
    return len(rows)


def last_mailed(conn: sa.Connection, people: set[str]) -> dict[str, datetime]:
    """For each of `people` who was sent mail: when the last message that went out to them was made."""
    return dict(conn.execute(sa.select(outbox.c.person_id, sa.func.max(outbox.c.created_at))
                             .where(outbox.c.person_id.in_(people), outbox.c.sent_at.is_not(None))
                             .group_by(outbox.c.person_id)).all())


def _email(settings: MailSettings, row) -> EmailMessage:
    mail = EmailMessage()
    mail["From"] = settings.sender
    mail["To"] = row.to_address
    mail["Subject"] = row.subject
    mail["Date"] = formatdate(localtime=True)
    mail["Message-ID"] = make_msgid(domain=settings.sender.rpartition("@")[2])
    mail.set_content(row.body)
    return mail


class Outbox:
    """The queue of mail and the studio's SMTP settings."""

    def __init__(self, engine: sa.Engine):
        self.engine = engine

    def settings(self) -> MailSettings:
        with self.engine.connect() as conn:
            saved = dict(conn.execute(sa.select(studio_settings.c.key, studio_settings.c.value)
                                      .where(studio_settings.c.key.startswith(SETTING_PREFIX))).all())
        return MailSettings.from_text(saved)

    def save_settings(self, settings: MailSettings, user: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(studio_settings.delete().where(studio_settings.c.key.startswith(SETTING_PREFIX)))
            rows = [{"key": key, "value": value, "changed_by": user, "changed_at": _now()}
                    for key, value in settings.as_text().items()]
            conn.execute(studio_settings.insert(), rows)

    def messages(self, include_sent: bool = False) -> pd.DataFrame:
        """The queue, oldest first (LIST_COLUMNS plus body); with include_sent also what went out."""
        query = sa.select(outbox).order_by(outbox.c.id)
        if not include_sent:
            query = query.where(outbox.c.sent_at.is_(None))
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        return pd.DataFrame(rows, columns=[c.name for c in outbox.c])

    def send(self) -> Delivery:
        """Try every queued message now; what the server did not take stays queued with its error."""
        settings = self.settings()
        if not settings.host:
            raise ValueError("mail is not set up: python -m store mail-settings --host HOST --sender ADDRESS")
        waiting = list(self.messages().itertuples())
        if not waiting:
            return Delivery(0, 0)
        sent, errors = 0, []
        try:
            with smtplib.SMTP(settings.host, settings.port, timeout=TIMEOUT_SECONDS) as smtp:
                if settings.starttls:
                    smtp.starttls(context=ssl.create_default_context())
                if settings.user:
                    smtp.login(settings.user, settings.password)
                while waiting:
                    row = waiting[0]
                    try:
                        smtp.send_message(_email(settings, row))
                    except ONE_MESSAGE as refused:
                        errors.append(self._failed([row.id], refused))
                    else:
                        self._tried([row.id], sent_at=_now(), last_error=None)
                        sent += 1
                    waiting.pop(0)
        except (OSError, smtplib.SMTPException) as failed:
            if waiting:
                errors.append(self._failed([row.id for row in waiting], failed))
        with self.engine.connect() as conn:
            left = conn.execute(sa.select(sa.func.count()).select_from(outbox)
                                .where(outbox.c.sent_at.is_(None))).scalar_one()
        return Delivery(sent, left, tuple(dict.fromkeys(errors)))

    def _failed(self, ids: list[int], error: Exception) -> str:
        text = f"{type(error).__name__}: {error}"
        self._tried(ids, sent_at=None, last_error=text)
        return text

    def _tried(self, ids: list[int], sent_at: datetime | None, last_error: str | None) -> None:
        with self.engine.begin() as conn:
            conn.execute(outbox.update().where(outbox.c.id.in_(ids)).values(
                attempts=outbox.c.attempts + 1, last_try_at=_now(), last_error=last_error, sent_at=sent_at))
