"""People who sign in: a role each, and a bcrypt hash of their password (never the password itself)."""
from __future__ import annotations

from datetime import datetime

import bcrypt
import pandas as pd
import sqlalchemy as sa

from store.models import users

ROLES = ("leadership", "associate", "admin")
MIN_PASSWORD = 8
# Compared against when the user does not exist, so a wrong name takes as long as a wrong password.
_DUMMY_HASH = bcrypt.hashpw(b"not-a-password", bcrypt.gensalt(rounds=4))


def _check_role(role: str) -> str:
    if role not in ROLES:
        raise ValueError(f"role '{role}' is not one of {', '.join(ROLES)}")
    return role


def _hash(password: str) -> str:
    encoded = password.encode()
    if len(password) < MIN_PASSWORD:
        raise ValueError(f"the password needs at least {MIN_PASSWORD} characters")
    if len(encoded) > 72:
        raise ValueError("the password is longer than 72 bytes, which bcrypt cannot use")
    return bcrypt.hashpw(encoded, bcrypt.gensalt()).decode()


class Users:
    """The user accounts of one store."""

    def __init__(self, engine: sa.Engine):
        self._engine = engine

    def add_user(self, username: str, role: str, password: str) -> None:
        username = username.strip()
        if not username:
            raise ValueError("a user needs a name")
        row = {"username": username, "role": _check_role(role), "password_hash": _hash(password),
               "created_at": datetime.now().replace(microsecond=0)}
        with self._engine.begin() as conn:
            if conn.execute(sa.select(users.c.username).where(users.c.username == username)).first():
                raise ValueError(f"user '{username}' already exists")
            conn.execute(users.insert().values(**row))

    def verify(self, username: str, password: str) -> str | None:
        """The user's role when the password is right, else None."""
        with self._engine.connect() as conn:
            row = conn.execute(sa.select(users.c.password_hash, users.c.role)
                               .where(users.c.username == username.strip())).first()
        stored = row.password_hash.encode() if row else _DUMMY_HASH
        try:
            right = bcrypt.checkpw(password.encode(), stored)
        except ValueError:  # a password longer than bcrypt accepts is simply wrong
            right = False
        return row.role if row and right else None

    def list_users(self) -> pd.DataFrame:
        with self._engine.connect() as conn:
            rows = conn.execute(sa.select(users.c.username, users.c.role, users.c.created_at)
                                .order_by(users.c.username)).all()
        return pd.DataFrame(rows, columns=["username", "role", "created_at"])

    def set_role(self, username: str, role: str) -> None:
        with self._engine.begin() as conn:
            self._refuse_last_admin(conn, username, role)
            self._found(conn.execute(users.update().where(users.c.username == username)
                                     .values(role=_check_role(role))), username)

    def set_password(self, username: str, password: str) -> None:
        with self._engine.begin() as conn:
            self._found(conn.execute(users.update().where(users.c.username == username)
                                     .values(password_hash=_hash(password))), username)

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
        """Someone must always be able to manage users."""
        admins = set(conn.execute(sa.select(users.c.username).where(users.c.role == "admin")).scalars())
        if admins == {username} and new_role != "admin":
            raise ValueError(f"'{username}' is the last admin; make someone else admin first")
