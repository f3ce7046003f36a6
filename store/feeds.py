"""Each person's calendar feed: an iCalendar URL with a secret of their own that calendar apps poll.

The secret is made once, shown once and kept only as its sha256, so the store's contents never open a
feed; an admin revokes it (or makes a new one, which revokes the old) and the old URL answers 404.
The feed holds the person's streams of every published week that ended less than RECENT ago or is still
to come, cancelled ones included, so subscribed calendars drop them.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pandas as pd
import sqlalchemy as sa

from scheduler.ics import calendar
from store import settings as studio
from store.models import DATA, feed_tokens
from store.streams import person_streams

FEED_PATH = "/feed/{token}.ics"
RECENT = timedelta(weeks=8)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def feed_path(token: str) -> str:
    """The URL path of a feed, to put after the app's address."""
    return FEED_PATH.format(token=token)


def _person_name(conn: sa.Connection, person_id: str) -> str | None:
    hosts = DATA["hosts"]
    return conn.execute(sa.select(hosts.c.name).where(hosts.c.host_id == person_id)).scalar_one_or_none()


def person_calendar(conn: sa.Connection, person_id: str, made_at: datetime) -> bytes:
    """The .ics bytes of a person's feed as of `made_at` (aware; its DTSTAMP)."""
    zone = studio.load(conn).time_zone
    local_now = made_at.astimezone(ZoneInfo(zone)).replace(tzinfo=None)
    name = _person_name(conn, person_id) or person_id
    return calendar(f"Livestreams: {name}", person_streams(conn, person_id, local_now - RECENT), zone, made_at)


class Feeds:
    """Feed secrets per person: made, revoked, and looked up by the app's feed route."""

    def __init__(self, engine: sa.Engine):
        self.engine = engine

    def new_token(self, person_id: str, user: str) -> str:
        """A new secret for the person's feed (shown once; the person's earlier ones stop working)."""
        token = secrets.token_urlsafe(32)
        now = datetime.now().replace(microsecond=0)
        with self.engine.begin() as conn:
            if _person_name(conn, person_id) is None:
                raise ValueError(f"hosts.csv has no host or assistant '{person_id}'")
            _revoke(conn, person_id, user, now)
            conn.execute(feed_tokens.insert().values(person_id=person_id, token_hash=_hash(token), created_by=user,
                                                     created_at=now))
        return token

    def revoke(self, person_id: str, user: str) -> int:
        """Stop the person's feed URLs from working; returns how many were live."""
        with self.engine.begin() as conn:
            return _revoke(conn, person_id, user, datetime.now().replace(microsecond=0))

    def live_links(self) -> pd.DataFrame:
        """Who has a working feed link: person_id, created_by, created_at (the secret itself is never kept)."""
        columns = [feed_tokens.c.person_id, feed_tokens.c.created_by, feed_tokens.c.created_at]
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(*columns).where(feed_tokens.c.revoked_at.is_(None))
                                .order_by(feed_tokens.c.person_id)).all()
        return pd.DataFrame(rows, columns=["person_id", "created_by", "created_at"])

    def person_of(self, token: str) -> str | None:
        """Whose live feed the secret opens, or None."""
        with self.engine.connect() as conn:
            return conn.execute(sa.select(feed_tokens.c.person_id).where(
                feed_tokens.c.token_hash == _hash(token), feed_tokens.c.revoked_at.is_(None))).scalar_one_or_none()

    def calendar(self, token: str, made_at: datetime) -> bytes | None:
        """The feed the secret opens, or None for a wrong or revoked one."""
        person_id = self.person_of(token)
        if person_id is None:
            return None
        with self.engine.connect() as conn:
            return person_calendar(conn, person_id, made_at)


def _revoke(conn: sa.Connection, person_id: str, user: str, at: datetime) -> int:
    done = conn.execute(feed_tokens.update().where(feed_tokens.c.person_id == person_id,
                                                   feed_tokens.c.revoked_at.is_(None))
                        .values(revoked_by=user, revoked_at=at))
    return done.rowcount
