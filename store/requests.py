"""What hosts ask the studio for, kept until an associate decides, and the open slots offered to them.

A request is "time off" (from, to), a "claim" of an open slot, or a "drop" of a stream the person cannot
make. It is "pending" until an associate approves or declines it, once; what an approval changes (the time
off the scheduler sees, the published week) is `store.approvals`'s. Every read is of one person's rows or of
the associate's inbox, so a page never holds another host's requests by accident.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import pandas as pd
import sqlalchemy as sa

from store.models import DATA, host_requests, open_slots

TIME_OFF, CLAIM, DROP = "time off", "claim", "drop"
REQUEST_KINDS = (TIME_OFF, CLAIM, DROP)
PENDING, APPROVED, DECLINED = "pending", "approved", "declined"
COLUMNS = [c.name for c in host_requests.c]


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


@dataclass(frozen=True)
class HostRequest:
    """One request as the store holds it."""

    id: int
    kind: str
    person_id: str
    slot_id: str | None
    start: datetime | None
    end: datetime | None
    note: str
    status: str
    made_by: str
    made_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    decision_note: str | None
    replacement_id: str | None


_TEXT = ["kind", "person_id", "slot_id", "note", "status", "made_by", "decided_by", "decision_note", "replacement_id"]


def _frame(rows: Sequence[sa.Row]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=COLUMNS)
    for column in _TEXT:
        frame[column] = frame[column].fillna("").astype("str")
    return frame


class Requests:
    """Requests and open slots of one store."""

    def __init__(self, engine: sa.Engine):
        self.engine = engine

    # --- asking ---------------------------------------------------------------------------------------
    def ask_time_off(self, person_id: str, start: datetime, end: datetime, note: str, user: str) -> int:
        """Time off from `start` to `end`, pending: the scheduler sees it only once an associate approves it."""
        if pd.Timestamp(end) <= pd.Timestamp(start):
            raise ValueError(f"the time off ends ({end:%Y-%m-%d %H:%M}) before it starts ({start:%Y-%m-%d %H:%M})")
        return self._ask(TIME_OFF, person_id, None, pd.Timestamp(start).to_pydatetime(),
                         pd.Timestamp(end).to_pydatetime(), note, user)

    def claim(self, slot_id: str, person_id: str, note: str, user: str) -> int:
        """The person would take an offered slot; refused when the slot is not offered or they asked already."""
        with self.engine.connect() as conn:
            if slot_id not in _offered(conn):
                raise ValueError(f"slot {slot_id} is not offered")
        return self._ask(CLAIM, person_id, slot_id, None, None, note, user)

    def drop(self, slot_id: str, person_id: str, note: str, user: str) -> int:
        """The person cannot make their stream in `slot_id` and asks for someone to take it over."""
        return self._ask(DROP, person_id, slot_id, None, None, note, user)

    def _ask(self, kind: str, person_id: str, slot_id: str | None, start: datetime | None, end: datetime | None,
             note: str, user: str) -> int:
        with self.engine.begin() as conn:
            hosts = DATA["hosts"]
            if conn.execute(sa.select(hosts.c.host_id).where(hosts.c.host_id == person_id)).first() is None:
                raise ValueError(f"hosts.csv has no host or assistant '{person_id}'")
            if slot_id is not None and conn.execute(sa.select(host_requests.c.id).where(
                    host_requests.c.kind == kind, host_requests.c.person_id == person_id,
                    host_requests.c.slot_id == slot_id, host_requests.c.status == PENDING)).first():
                raise ValueError(f"you already asked for a {kind} of slot {slot_id}; it is waiting for an associate")
            return conn.execute(host_requests.insert().values(
                kind=kind, person_id=person_id, slot_id=slot_id, start=start, end=end, note=note.strip(),
                status=PENDING, made_by=user, made_at=_now()).returning(host_requests.c.id)).scalar_one()

    # --- reading --------------------------------------------------------------------------------------
    def of_person(self, person_id: str) -> pd.DataFrame:
        """One person's requests, newest first (COLUMNS)."""
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(host_requests).where(host_requests.c.person_id == person_id)
                                .order_by(host_requests.c.id.desc())).all()
        return _frame(rows)

    def pending(self) -> pd.DataFrame:
        """Every request waiting for an associate, oldest first (COLUMNS)."""
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(host_requests).where(host_requests.c.status == PENDING)
                                .order_by(host_requests.c.id)).all()
        return _frame(rows)

    def get(self, request_id: int) -> HostRequest:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(host_requests).where(host_requests.c.id == request_id)).first()
        if row is None:
            raise ValueError(f"no request {request_id}")
        return HostRequest(**row._mapping)

    # --- deciding -------------------------------------------------------------------------------------
    def decide(self, request_id: int, status: str, user: str, note: str = "",
               replacement_id: str | None = None, conn: sa.Connection | None = None) -> None:
        """Approve or decline a pending request, once (a second decision is refused: someone else decided)."""
        if status not in (APPROVED, DECLINED):
            raise ValueError(f"a decision is {APPROVED} or {DECLINED}, not '{status}'")
        if conn is None:
            with self.engine.begin() as own:
                return self.decide(request_id, status, user, note, replacement_id, own)
        done = conn.execute(host_requests.update().where(host_requests.c.id == request_id,
                                                         host_requests.c.status == PENDING)
                            .values(status=status, decided_by=user, decided_at=_now(), decision_note=note.strip(),
                                    replacement_id=replacement_id))
        if done.rowcount == 0:
            raise ValueError(f"request {request_id} is no longer pending: someone decided it already")
        return None

    # --- open slots -----------------------------------------------------------------------------------
    def offer(self, slot_id: str, user: str) -> None:
        """Offer an unstaffed slot to every host who could take it."""
        with self.engine.begin() as conn:
            if slot_id in _offered(conn):
                raise ValueError(f"slot {slot_id} is offered already")
            conn.execute(open_slots.insert().values(slot_id=slot_id, offered_by=user, offered_at=_now()))

    def close_offer(self, slot_id: str, user: str, conn: sa.Connection | None = None) -> None:
        """The slot is taken or no longer offered; its pending claims are declined."""
        if conn is None:
            with self.engine.begin() as own:
                return self.close_offer(slot_id, user, own)
        now = _now()
        conn.execute(open_slots.update().where(open_slots.c.slot_id == slot_id, open_slots.c.closed_at.is_(None))
                     .values(closed_by=user, closed_at=now))
        conn.execute(host_requests.update().where(host_requests.c.kind == CLAIM, host_requests.c.slot_id == slot_id,
                                                  host_requests.c.status == PENDING)
                     .values(status=DECLINED, decided_by=user, decided_at=now,
                             decision_note="the slot is no longer open"))
        return None

    def offered(self) -> list[str]:
        """The slot ids on offer now."""
        with self.engine.connect() as conn:
            return sorted(_offered(conn))


def _offered(conn: sa.Connection) -> set[str]:
    return set(conn.execute(sa.select(open_slots.c.slot_id).where(open_slots.c.closed_at.is_(None))).scalars())
