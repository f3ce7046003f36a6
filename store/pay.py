"""A pay period's pay per person from the store: its published schedules and the streams that happened."""
from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

import pandas as pd

from contract.plan import StaffingPlan
from store.schedules import assistants_of
from workflows.payroll import PayrollSettings, Period, last_start_by, pay, timesheet

if TYPE_CHECKING:
    from store.store import Store


def period_pay(store: Store, period: Period, basis: str, now: pd.Timestamp) -> pd.DataFrame:
    """Pay per person for the period (workflows.pay's rows), from the store's published schedules and the streams
    that happened, as the Payroll page computes it; slots that have not started by `now` count as upcoming."""
    tables = store.tables(["hosts", "slots"])
    assert tables.hosts is not None and tables.slots is not None, "both were asked for"
    results = store.scorecard_tables(period.start - timedelta(days=1), period.end + timedelta(days=1))
    published = store.published_schedules()
    published = published.loc[published["slot_id"].isin(tables.slots["slot_id"])].reset_index(drop=True)
    plan = StaffingPlan.from_frames(published[["slot_id", "host_id"]].astype("str"),
                                    assistants_of(published).astype("str"))
    settings = PayrollSettings(pay_basis=basis)
    sheet = timesheet(plan, tables.slots, tables.hosts, results.sessions, results.sku_sales, period, settings,
                      now=last_start_by(tables.slots, now))
    return pay(sheet, tables.hosts, period, settings)
