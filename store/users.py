"""People who sign in: a role each, and a bcrypt hash of their password (never the password itself).

A user with the role "host" is one host or assistant of hosts.csv (their host_id): the app shows them their
own streams, pay, availability and requests, and nobody else's.

Guessing is slowed per user name: after a few wrong passwords each next try waits longer, and after
LOCK_AFTER of them the name is locked for LOCK_PERIOD. The same holds for a name that is no user, and an
unknown name costs the same bcrypt work as a known one, so neither answer nor timing tells who exists.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

import bcrypt
import pandas as pd
import sqlalchemy as sa

from store.models import DATA, sign_in_failures, users

ROLES = ("leadership", "associate", "admin", "host")
HOST_ROLE = "host"
MIN_PASSWORD = 8
ROUNDS = 12  # bcrypt's cost for every stored hash, and for the stand-in an unknown user is checked against
FREE_TRIES = 3  # wrong passwords in a row before each next try has to wait
LOCK_AFTER = 10
LOCK_PERIOD = timedelta(minutes=15)  # also how long wrong passwords are remembered after the last one


@dataclass(frozen=True)
class Account:
    """A user as the store holds them now: their role and, for a host, the hosts.csv person they are."""

    role: str
    host_id: str | None = None


@dataclass(frozen=True)
class SignIn:
    """What a sign-in attempt found: the role when it succeeded, and when the next try is accepted if not now."""

    role: str | None
    next_try_at: datetime | None = None
    checked: bool = True  # False: refused without looking at the password, because it came too soon
    locked: bool = False
    disabled: bool = False  # the right password of a user an admin has disabled


def wait_after(failures: int) -> timedelta:
    """How long a user name waits after this many wrong passwords in a row: nothing, then 2, 4, 8... s, then the
    lock."""
    if failures >= LOCK_AFTER:
        return LOCK_PERIOD
    if failures <= FREE_TRIES:
        return timedelta(0)
    return timedelta(seconds=2 ** (failures - FREE_TRIES))


@cache
def _stand_in_hash(rounds: int) -> bytes:
    """Checked against when the user does not exist, so a wrong name costs what a wrong password costs."""
    return bcrypt.hashpw(b"not-a-password", bcrypt.gensalt(rounds=rounds))


def _forget_failures(conn: sa.Connection, name: str) -> None:
    conn.execute(sign_in_failures.delete().where(sign_in_failures.c.username == name))


def _password_matches(password: str, stored: bytes) -> bool:
    try:
        return bcrypt.checkpw(password.encode(), stored)
    except ValueError:  # a password longer than bcrypt accepts is simply wrong
        return False


def _check_role(role: str) -> str:
    if role not in ROLES:
        raise ValueError(f"role '{role}' is not one of {', '.join(ROLES)}")
    return role


def _checked_link(conn: sa.Connection, role: str, host_id: str | None) -> str | None:
    """A host user is one person of hosts.csv; any other role is linked to nobody."""
    host_id = (host_id or "").strip() or None
    if role != HOST_ROLE:
        if host_id is not None:
            raise ValueError(f"only a user with the role '{HOST_ROLE}' is linked to a host_id (not a {role})")
        return None
    if host_id is None:
        raise ValueError(f"a user with the role '{HOST_ROLE}' needs the host_id of the host or assistant they are")
    hosts = DATA["hosts"]
    if conn.execute(sa.select(hosts.c.host_id).where(hosts.c.host_id == host_id)).first() is None:
        raise ValueError(f"hosts.csv has no host or assistant '{host_id}'")
    return host_id


def _hash(password: str) -> str:
    encoded = password.encode()
    if len(password) < MIN_PASSWORD:
        raise ValueError(f"the password needs at least {MIN_PASSWORD} characters")
    if len(encoded) > 72:
        raise ValueError("the password is longer than 72 bytes, which bcrypt cannot use")
    return bcrypt.hashpw(encoded, bcrypt.gensalt(rounds=ROUNDS)).decode()


class Users:
    """The user accounts of one store; `clock` tells the time for the sign-in throttle (a test injects one)."""

    def __init__(self, engine: sa.Engine, clock: Callable[[], datetime] = datetime.now):
        self._engine = engine
        self._clock = clock

    def add_user(self, username: str, role: str, password: str, host_id: str | None = None) -> None:
        """A new user; a host names the host_id of hosts.csv they are."""
        username = username.strip()
        if not username:
            raise ValueError("a user needs a name")
        row = {"username": username, "role": _check_role(role), "password_hash": _hash(password),
               "created_at": datetime.now().replace(microsecond=0)}
        with self._engine.begin() as conn:
            if conn.execute(sa.select(users.c.username).where(users.c.username == username)).first():
                raise ValueError(f"user '{username}' already exists")
            conn.execute(users.insert().values(**row, host_id=_checked_link(conn, role, host_id)))

    def sign_in(self, username: str, password: str) -> SignIn:
        """Check a password, unless this user name has to wait after earlier wrong ones; record the outcome."""
        name, now = username.strip(), self._clock()
        with self._engine.connect() as conn:
            row = conn.execute(sa.select(users.c.password_hash, users.c.role, users.c.disabled_at)
                               .where(users.c.username == name)).first()
            failures = conn.execute(sa.select(sign_in_failures.c.failures, sign_in_failures.c.last_failure_at)
                                    .where(sign_in_failures.c.username == name)).first()
        if failures and now - failures.last_failure_at < LOCK_PERIOD:
            next_try = failures.last_failure_at + wait_after(failures.failures)
            if now < next_try:
                return SignIn(None, next_try, checked=False, locked=failures.failures >= LOCK_AFTER)
        # An unknown name is checked against a stand-in hash: the same bcrypt work, and the same "no".
        right = _password_matches(password, row.password_hash.encode() if row else _stand_in_hash(ROUNDS))
        if row and right:
            if failures:
                with self._engine.begin() as conn:
                    _forget_failures(conn, name)
            return SignIn(None, disabled=True) if row.disabled_at else SignIn(row.role)
        count = self._record_failure(name, now)
        wait = wait_after(count)
        return SignIn(None, now + wait if wait else None, locked=count >= LOCK_AFTER)

    def role_of(self, username: str) -> str | None:
        """The user's role as the store holds it now; None once the user is removed or disabled."""
        account = self.account_of(username)
        return account.role if account else None

    def account_of(self, username: str) -> Account | None:
        """The user's role and host link as the store holds them now; None once the user is removed or
        disabled."""
        with self._engine.connect() as conn:
            row = conn.execute(sa.select(users.c.role, users.c.host_id).where(
                users.c.username == username, users.c.disabled_at.is_(None))).first()
        return Account(row.role, row.host_id) if row else None

    def last_looked(self, username: str) -> datetime | None:
        """When the user last looked at their streams (None: never)."""
        with self._engine.connect() as conn:
            return conn.execute(sa.select(users.c.last_looked_at)
                                .where(users.c.username == username)).scalar_one_or_none()

    def looked(self, username: str, at: datetime) -> None:
        """The user has seen their streams as they were at `at`."""
        with self._engine.begin() as conn:
            conn.execute(users.update().where(users.c.username == username).values(last_looked_at=at))

    def is_disabled(self, username: str) -> bool:
        with self._engine.connect() as conn:
            return conn.execute(sa.select(users.c.username).where(users.c.username == username,
                                                                  users.c.disabled_at.is_not(None))).first() is not None

    def set_disabled(self, username: str, disabled: bool, by: str) -> None:
        """Disable a user (signed out at their next click, history kept) or enable them again."""
        with self._engine.begin() as conn:
            if disabled:
                self._refuse_last_admin(conn, username, None)
            values = {"disabled_at": datetime.now().replace(microsecond=0), "disabled_by": by} if disabled \
                else {"disabled_at": None, "disabled_by": None}
            self._found(conn.execute(users.update().where(users.c.username == username).values(**values)), username)

    def _record_failure(self, name: str, now: datetime) -> int:
        """One more wrong password for `name` (the count restarts once the last one is LOCK_PERIOD old)."""
        table, forgotten = sign_in_failures, now - LOCK_PERIOD
        count = sa.case((table.c.last_failure_at <= forgotten, 1), else_=table.c.failures + 1)
        with self._engine.begin() as conn:
            conn.execute(table.delete().where(table.c.last_failure_at <= forgotten, table.c.username != name))
            changed = conn.execute(table.update().where(table.c.username == name)
                                   .values(failures=count, last_failure_at=now))
            if changed.rowcount == 0:
                conn.execute(table.insert().values(username=name, failures=1, last_failure_at=now))
            return conn.execute(sa.select(table.c.failures).where(table.c.username == name)).scalar_one()

    def list_users(self) -> pd.DataFrame:
        with self._engine.connect() as conn:
            rows = conn.execute(sa.select(users.c.username, users.c.role, users.c.host_id, users.c.created_at,
                                          users.c.disabled_at).order_by(users.c.username)).all()
        frame = pd.DataFrame(rows, columns=["username", "role", "host_id", "created_at", "disabled_at"])
        return frame.assign(host_id=frame["host_id"].fillna("").astype("str"))

    def set_role(self, username: str, role: str, host_id: str | None = None) -> None:
        """A new role; a host names the host_id they are (any other role drops the link)."""
        with self._engine.begin() as conn:
            self._refuse_last_admin(conn, username, role)
            link = _checked_link(conn, _check_role(role), host_id)
            self._found(conn.execute(users.update().where(users.c.username == username)
                                     .values(role=role, host_id=link)), username)

    def set_password(self, username: str, password: str) -> None:
        """A new password also lifts any sign-in lock on the user: an admin's reset is the way out of one."""
        with self._engine.begin() as conn:
            self._found(conn.execute(users.update().where(users.c.username == username)
                                     .values(password_hash=_hash(password))), username)
            _forget_failures(conn, username)

    def remove_user(self, username: str) -> None:
        with self._engine.begin() as conn:
            self._refuse_last_admin(conn, username, None)
            self._found(conn.execute(users.delete().where(users.c.username == username)), username)

    @staticmethod
    def _found(result: sa.CursorResult, username: str) -> None:
        if result.rowcount == 0:
            raise ValueError(f"no user '{username}'")

    @staticmethod
    def _refuse_last_admin(conn: sa.Connection, username: str, new_role: str | None) -> None:
        """Someone must always be able to manage users: an admin who may sign in."""
        admins = set(conn.execute(sa.select(users.c.username).where(users.c.role == "admin",
                                                                    users.c.disabled_at.is_(None))).scalars())
        if admins == {username} and new_role != "admin":
            raise ValueError(f"'{username}' is the last admin; make someone else admin first")
