"""Timekeeping and payroll: the hours each host and assistant was scheduled for against the hours
they were on air, and what that earns them.

A session counts for a slot when it names the slot (sessions.csv's slot_id), else when it streamed
on the slot's channel overlapping the slot (the slot it overlaps most). Assistants are credited
with the on-air hours of the slot they staffed: they work when the stream runs.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from contract.plan import StaffingPlan
from workflows.plan import staffing

PAY_BASES = ("scheduled", "actual")
UPCOMING = "upcoming"
TIMESHEET_COLUMNS = (
    "person_id", "name", "role", "slot_id", "channel", "scheduled_start", "scheduled_end", "actual_start",
    "actual_end", "scheduled_h", "actual_h", "late_min", "early_min", "net_gmv", "session_ids", "flag",
)
PAY_COLUMNS = (
    "person_id", "name", "role", "period_start", "period_end", "scheduled_hours", "actual_hours", "hourly_rate",
    "basis", "hourly_pay", "net_gmv", "commission_rate", "commission", "total",
)


@dataclass(frozen=True)
class Period:
    """A pay period: calendar days from `start` to `end`, both included."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"the period ends ({self.end}) before it starts ({self.start})")

    def contains(self, times: pd.Series) -> pd.Series:
        """Which timestamps fall on a day of the period (a slot belongs to the day it starts)."""
        day = times.dt.normalize()
        return (day >= pd.Timestamp(self.start)) & (day <= pd.Timestamp(self.end))


@dataclass(frozen=True)
class PayrollSettings:
    """Tolerances before a start or end is flagged, and which hours are paid."""

    late_start_minutes: float = 5.0
    early_end_minutes: float = 5.0
    pay_basis: str = "scheduled"

    def __post_init__(self) -> None:
        if self.pay_basis not in PAY_BASES:
            raise ValueError(f"pay basis '{self.pay_basis}' is not one of {', '.join(PAY_BASES)}")


def net_gmv(sessions: pd.DataFrame, sku_sales: pd.DataFrame) -> pd.Series:
    """Each session's GMV less refunds, by session_id.

    A SKU row keeps gmv × (units_sold − units_refunded) / units_sold; a session without SKU rows
    keeps sessions.gmv (nothing says what was refunded).
    """
    sold = sku_sales["units_sold"].astype("float64")
    kept = ((sold - sku_sales["units_refunded"].astype("float64")) / sold.where(sold > 0)).fillna(0.0)
    by_session = (sku_sales["gmv"].astype("float64") * kept).groupby(sku_sales["session_id"].to_numpy()).sum()
    values = sessions["session_id"].map(by_session).fillna(sessions["gmv"].astype("float64"))
    return pd.Series(values.to_numpy(), index=sessions["session_id"].to_numpy(), name="net_gmv")


def match_sessions(sessions: pd.DataFrame, slots: pd.DataFrame) -> pd.Series:
    """The slot each session filled (aligned with `sessions`), "" where it filled none."""
    known = sessions["slot_id"].where(sessions["slot_id"].isin(slots["slot_id"]), "")
    loose = sessions.loc[known == "", ["channel", "start", "end"]].reset_index(names="row")
    candidates = loose.merge(
        slots[["slot_id", "channel", "start", "end"]].rename(columns={"start": "slot_start", "end": "slot_end"}),
        on="channel")
    overlap = (np.minimum(candidates["end"], candidates["slot_end"])
               - np.maximum(candidates["start"], candidates["slot_start"]))
    candidates = candidates.assign(overlap=overlap).loc[overlap > pd.Timedelta(0)]
    best = candidates.sort_values("overlap", ascending=False, kind="stable").drop_duplicates("row")
    matched = known.copy()
    matched.loc[best["row"].to_numpy()] = best["slot_id"].to_numpy()
    return matched


def slot_actuals(sessions: pd.DataFrame, sku_sales: pd.DataFrame, slots: pd.DataFrame) -> pd.DataFrame:
    """Per slot that went on air: first start, last end, hours on air, net GMV, who was on air."""
    matched = sessions.assign(slot_id=match_sessions(sessions, slots).to_numpy(),
                              hours=(sessions["end"] - sessions["start"]).dt.total_seconds() / 3600.0,
                              net_gmv=net_gmv(sessions, sku_sales).to_numpy())
    matched = matched.loc[matched["slot_id"] != ""]
    return matched.groupby("slot_id").agg(
        actual_start=("start", "min"), actual_end=("end", "max"), actual_h=("hours", "sum"),
        net_gmv=("net_gmv", "sum"), session_ids=("session_id", "|".join),
        on_air=("host_id", lambda ids: "|".join(sorted({i for i in ids if i}))),
    )


def timesheet(plan: StaffingPlan, slots: pd.DataFrame, hosts: pd.DataFrame, sessions: pd.DataFrame,
              sku_sales: pd.DataFrame, period: Period, settings: PayrollSettings = PayrollSettings(), *,
              now: pd.Timestamp) -> pd.DataFrame:
    """One row per person per slot of the period they were scheduled for, with what happened on air.

    flag lists, separated by "; ": upcoming (the slot starts after `now`, the studio's local time, so
    nothing can have gone on air yet), no-show (a slot that has started has no session), late start /
    early end (beyond the settings' minutes), and "on air: H7" when the session names a different host
    than the plan. `now` comes from the caller: the command line and the page pass the studio's clock.
    """
    staff = staffing(plan, slots, hosts)
    staff = staff.loc[period.contains(staff["start"])]
    actual = slot_actuals(sessions, sku_sales, slots)
    sheet = staff.join(actual, on="slot_id")
    names = hosts.set_index("host_id")["name"]
    sheet = sheet.assign(
        name=sheet["person_id"].map(names),
        scheduled_start=sheet["start"], scheduled_end=sheet["end"],
        scheduled_h=(sheet["end"] - sheet["start"]).dt.total_seconds() / 3600.0,
        actual_h=sheet["actual_h"].fillna(0.0), net_gmv=sheet["net_gmv"].fillna(0.0),
        late_min=(sheet["actual_start"] - sheet["start"]).dt.total_seconds() / 60.0,
        early_min=(sheet["end"] - sheet["actual_end"]).dt.total_seconds() / 60.0,
        session_ids=sheet["session_ids"].fillna(""),
    )
    sheet["flag"] = _flags(sheet, settings, pd.Timestamp(now))
    sheet = sheet.sort_values(["person_id", "scheduled_start", "slot_id"], kind="stable")
    return sheet[list(TIMESHEET_COLUMNS)].reset_index(drop=True)


def last_start_by(slots: pd.DataFrame, now: pd.Timestamp) -> pd.Timestamp:
    """The latest slot start at or before `now`: a timesheet reads the clock only to tell started slots from
    upcoming ones, so this moment gives the same timesheet as `now` and changes only when a slot starts (a
    cache keyed on it stays valid between starts). Before any slot has started, the earliest start less a
    minute."""
    starts = slots["start"]
    started = starts[starts <= now]
    if len(started):
        return pd.Timestamp(started.max())
    return pd.Timestamp(starts.min()) - pd.Timedelta(minutes=1) if len(starts) else pd.Timestamp(now)


def _flags(sheet: pd.DataFrame, settings: PayrollSettings, now: pd.Timestamp) -> pd.Series:
    """The "; "-separated exceptions of each timesheet row, empty when the slot ran as planned."""
    on_air = sheet["on_air"].fillna("")
    swapped = (sheet["role"] == "host") & (on_air != "") & ~_contains_id(on_air, sheet["person_id"])
    missing = sheet["actual_start"].isna()
    ahead = sheet["start"] > now
    checks = {
        UPCOMING: missing & ahead,
        "no-show": missing & ~ahead,
        "late start": sheet["late_min"] > settings.late_start_minutes,
        "early end": sheet["early_min"] > settings.early_end_minutes,
    }
    flag = pd.Series("", index=sheet.index, dtype="str")
    for label, hit in checks.items():
        flag = flag + np.where(hit.fillna(False), "; " + label, "")
    flag = flag + np.where(swapped, "; on air: " + on_air, "")
    return flag.str.removeprefix("; ")


def needs_a_look(sheet: pd.DataFrame) -> pd.Series:
    """The timesheet lines with an exception to look at: a flag other than "upcoming", which only says that
    the slot has not started yet."""
    return (sheet["flag"] != "") & (sheet["flag"] != UPCOMING)


def _contains_id(joined: pd.Series, person: pd.Series) -> pd.Series:
    """Whether each "|"-joined id list holds that row's person."""
    return pd.Series([p in ids.split("|") for ids, p in zip(joined, person)], index=joined.index)


def pay(sheet: pd.DataFrame, hosts: pd.DataFrame, period: Period,
        settings: PayrollSettings = PayrollSettings()) -> pd.DataFrame:
    """Pay per person for the period: hourly_rate × hours (the settings' basis) + commission_rate × net GMV.

    Net GMV is that of the sessions of the slots the person staffed; an assistant's commission is
    zero unless hosts.csv gives them a commission_rate above 0. Money is rounded to cents.
    """
    totals = sheet.groupby("person_id").agg(
        scheduled_hours=("scheduled_h", "sum"), actual_hours=("actual_h", "sum"), net_gmv=("net_gmv", "sum"))
    people = hosts.set_index("host_id")
    out = totals.join(people[["name", "role", "hourly_rate", "commission_rate"]]).reset_index()
    hours = out[f"{settings.pay_basis}_hours"]
    out = out.assign(
        period_start=period.start.isoformat(), period_end=period.end.isoformat(), basis=settings.pay_basis,
        hourly_pay=(out["hourly_rate"] * hours).round(2),
        net_gmv=out["net_gmv"].round(2),
        commission=(out["commission_rate"] * out["net_gmv"]).round(2),
    )
    out["total"] = (out["hourly_pay"] + out["commission"]).round(2)
    return out[list(PAY_COLUMNS)].sort_values("person_id", kind="stable").reset_index(drop=True)
