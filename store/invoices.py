"""The studio's invoices to the people it pays: one per person and pay period, drawn up from computed pay.

An invoice is a "draft" until an associate sends it to the person ("sent"), then "paid" once the money went
out; each step keeps who took it and when, and goes one way only. Drafting again (after a correction of the
hours) gives a draft the new amount; a sent or paid invoice is what the person received and never changes.
Each change is made only if the invoice still has the status it was read with, so two associates marking
the same invoice cannot both do it. A host's page reads `of_person` only: nobody sees another's invoices.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pandas as pd
import sqlalchemy as sa

from contract.weeks import week_label
from store.models import DATA, invoices

DRAFT, SENT, PAID = "draft", "sent", "paid"
STATUSES = (DRAFT, SENT, PAID)
NEXT = {DRAFT: SENT, SENT: PAID}  # the one step each status may take
COLUMNS = [c.name for c in invoices.c if c.name != "id"]
_TEXT = ["number", "person_id", "currency", "status", "drafted_by", "sent_by", "paid_by"]


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


def invoice_number(person_id: str, start: date, end: date) -> str:
    """'INV-2026W48-H019' for an ISO week (Monday to Sunday), else 'INV-20261123-20261130-H019'."""
    if start.weekday() == 0 and end - start == timedelta(days=6):
        period = week_label(pd.Timestamp(start)).replace("-", "")
    else:
        period = f"{start:%Y%m%d}-{end:%Y%m%d}"
    return f"INV-{period}-{person_id}"


@dataclass(frozen=True)
class Drafted:
    """What drafting from a period's pay did."""

    added: int
    updated: int  # drafts given a new amount
    unchanged: int  # drafts of that amount already
    kept: int  # sent or paid already: left as the person received them

    def summary(self) -> str:
        return (f"{self.added} invoice(s) drafted, {self.updated} draft(s) given a new amount, {self.unchanged} "
                f"unchanged, {self.kept} already sent or paid kept as they are")


def _day(day: date | str) -> datetime:
    """A day of a pay period as the store keeps it: its midnight."""
    return datetime.combine(date.fromisoformat(str(day)[:10]), time())


def _frame(rows) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=COLUMNS)
    for column in _TEXT:
        frame[column] = frame[column].fillna("").astype("str")
    return frame.astype({"amount": "float64", "period_start": "datetime64[ns]", "period_end": "datetime64[ns]"})


class Invoices:
    """The invoices of one store."""

    def __init__(self, engine: sa.Engine):
        self.engine = engine

    def draft(self, pay: pd.DataFrame, currency: str, user: str) -> Drafted:
        """A draft per person of `pay` (workflows.pay's rows: person_id, period_start, period_end, total) owed
        more than nothing, for `total` in `currency`; see the module for an invoice that exists already."""
        owed = pay.loc[pay["total"] > 0]
        added = updated = unchanged = kept = 0
        now = _now()
        with self.engine.begin() as conn:
            known = set(conn.execute(sa.select(DATA["hosts"].c.host_id)).scalars())
            for row in owed.itertuples():
                if row.person_id not in known:
                    raise ValueError(f"hosts.csv has no host or assistant '{row.person_id}'")
                start, end = _day(row.period_start), _day(row.period_end)
                found = conn.execute(sa.select(invoices.c.number, invoices.c.status, invoices.c.amount,
                                               invoices.c.currency).where(
                    invoices.c.person_id == row.person_id, invoices.c.period_start == start,
                    invoices.c.period_end == end)).first()
                amount = round(float(row.total), 2)
                if found is None:
                    conn.execute(invoices.insert().values(
                        number=invoice_number(row.person_id, start.date(), end.date()), person_id=row.person_id,
                        period_start=start, period_end=end, amount=amount, currency=currency, status=DRAFT,
                        drafted_by=user, drafted_at=now))
                    added += 1
                elif found.status != DRAFT:
                    kept += 1
                elif (found.amount, found.currency) != (amount, currency):
                    conn.execute(invoices.update().where(invoices.c.number == found.number,
                                                         invoices.c.status == DRAFT)
                                 .values(amount=amount, currency=currency, drafted_by=user, drafted_at=now))
                    updated += 1
                else:
                    unchanged += 1
        return Drafted(added, updated, unchanged, kept)

    def mark(self, numbers: Iterable[str], status: str, user: str) -> int:
        """Invoices moved on to `status` ("sent" from a draft, "paid" once sent), all or none; returns how many.
        ValueError naming the invoice when one is not at the step before (or someone moved it meanwhile)."""
        before = {after: was for was, after in NEXT.items()}.get(status)
        if before is None:
            raise ValueError(f"an invoice is marked {SENT} or {PAID}, not '{status}'")
        wanted = list(dict.fromkeys(n.strip() for n in numbers if n.strip()))
        if not wanted:
            raise ValueError("name at least one invoice number")
        with self.engine.begin() as conn:
            now = _now()
            for number in wanted:
                done = conn.execute(invoices.update().where(invoices.c.number == number,
                                                            invoices.c.status == before)
                                    .values(status=status, **{f"{status}_by": user, f"{status}_at": now}))
                if done.rowcount == 0:
                    raise ValueError(_not_at(conn, number, before, status))
        return len(wanted)

    def of_person(self, person_id: str) -> pd.DataFrame:
        """One person's invoices, newest period first (COLUMNS)."""
        return self._read(invoices.c.person_id == person_id)

    def of_period(self, start: date, end: date) -> pd.DataFrame:
        """Every person's invoices of exactly this period, by person (COLUMNS)."""
        return self._read(sa.and_(invoices.c.period_start == _day(start), invoices.c.period_end == _day(end)))

    def listed(self, person_id: str | None = None, start: date | None = None, end: date | None = None) -> pd.DataFrame:
        """The invoices of one person and/or whose period overlaps `start`..`end` (each optional)."""
        where: list[sa.ColumnElement[bool]] = [sa.true()]
        if person_id:
            where.append(invoices.c.person_id == person_id)
        if start is not None:
            where.append(invoices.c.period_end >= _day(start))
        if end is not None:
            where.append(invoices.c.period_start <= _day(end))
        return self._read(sa.and_(*where))

    def _read(self, where: sa.ColumnElement) -> pd.DataFrame:
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(*[invoices.c[name] for name in COLUMNS]).where(where).order_by(
                invoices.c.period_start.desc(), invoices.c.person_id)).all()
        return _frame(rows)


def _not_at(conn: sa.Connection, number: str, before: str, status: str) -> str:
    """Why an invoice cannot be marked `status`: it is unknown, or not `before` (anymore)."""
    now = conn.execute(sa.select(invoices.c.status).where(invoices.c.number == number)).scalar_one_or_none()
    if now is None:
        return f"there is no invoice {number}"
    return f"invoice {number} is {now}, so it cannot be marked {status} (only a {before} one can); nothing was marked"
