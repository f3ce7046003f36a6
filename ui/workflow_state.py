"""Glue between the store and the workflows library for the studio pages (pay, run-of-show, clips).

The published schedules (hosts and assistants) are read as the contract's StaffingPlan, the store's product
catalogue with the contract's products schema, and run-of-show reviews are rebuilt from stored decisions.
Computations are cached under the data version like ui.state's (see ui.cache). Nothing here renders.
"""
from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

import pandas as pd
import streamlit as st

from contract.files import write_excel
from contract.plan import StaffingPlan, parse_products
from contract.when import studio_now
from ui import services, state
from ui.cache import PUBLISHED, versioned
from workflows import (
    ClipSettings,
    PayrollSettings,
    Period,
    Review,
    RunOfShowSettings,
    SlotShow,
    clip_list,
    default_rules,
    io,
    pay,
    run_of_show,
    timesheet,
)
from workflows.claims import Rule
from workflows.payroll import last_start_by
from workflows.run_of_show import reviews_from_decisions

REVIEW_KIND = "run_of_show"
# What pay reads: the published plan and what happened on air. Time off or a roster edit keeps it.
PAY_TABLES = (PUBLISHED, "hosts", "slots", "sessions", "sku_sales")


@versioned(show_spinner=False, max_entries=2, tables=(PUBLISHED, "slots"))
def staffing_plan() -> StaffingPlan:
    """services.published_plan of the current data, once per data version."""
    return services.published_plan(state.store(), state.frames())


def published_slots() -> pd.DataFrame:
    """The slots of the published weeks."""
    slots = state.frames().slots
    return slots.loc[slots["slot_id"].isin(staffing_plan().assignments["slot_id"])]


def published_weeks() -> list[str]:
    return services.slot_weeks(published_slots())


def published_days() -> list[date]:
    return sorted(published_slots()["start"].dt.date.unique().tolist())


def opening_day(days: list[date]) -> date:
    """The run-of-show opens on today or the next published day, else the last one."""
    today = date.today()
    return next((day for day in days if day >= today), days[-1])


@versioned(show_spinner=False, max_entries=32, tables=(PUBLISHED, "slots"))
def day_crew(day: date) -> dict[str, set[str]]:
    """Who hosts or assists the published slots starting on `day`: person id -> the ids of their slots."""
    plan = staffing_plan()
    slots = published_slots()
    todays = set(slots.loc[slots["start"].dt.date == day, "slot_id"])
    helpers = plan.assistants if plan.assistants is not None else pd.DataFrame({"slot_id": [], "assistant_id": []})
    staff = pd.concat([plan.assignments[["slot_id", "host_id"]].set_axis(["slot_id", "person_id"], axis=1),
                       helpers[["slot_id", "assistant_id"]].set_axis(["slot_id", "person_id"], axis=1)])
    staff = staff.loc[staff["slot_id"].isin(todays) & (staff["person_id"] != "")]
    return {person: set(rows) for person, rows in staff.groupby("person_id")["slot_id"]}


def timesheet_and_pay(start: date, end: date, basis: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The period's timesheet and pay per person, from the published plan and the streams that happened,
    with the slots that have not started by the studio's clock marked upcoming."""
    now = studio_now(state.studio_settings().time_zone)
    return _timesheet_and_pay(start, end, basis, last_start_by(state.frames().slots, now))


@versioned(show_spinner="Matching streams to the published slots…", max_entries=16, tables=PAY_TABLES)
def _timesheet_and_pay(start: date, end: date, basis: str, now: pd.Timestamp) -> tuple[pd.DataFrame, pd.DataFrame]:
    tables = state.frames()
    period, settings = Period(start, end), PayrollSettings(pay_basis=basis)
    sheet = timesheet(staffing_plan(), tables.slots, tables.hosts, tables.sessions,
                      tables.sku_sales, period, settings, now=now)
    return sheet, pay(sheet, tables.hosts, period, settings)


def read_invoices(file_name: str, content: bytes) -> pd.DataFrame:
    """An uploaded invoices file (CSV or Excel) validated by the workflows' schema; problems name the upload."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / Path(file_name).name
        path.write_bytes(content)
        return io.read_invoices(path)


def workbook_bytes(sheets: dict[str, pd.DataFrame]) -> bytes:
    """An Excel workbook of `sheets`, written all-or-nothing with formula-like text neutralised."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "workbook.xlsx"
        write_excel(sheets, path)
        return path.read_bytes()


@versioned(show_spinner=False, max_entries=2, tables=("products",))
def products() -> pd.DataFrame:
    """The product catalogue with talking points and claims, as the store keeps it."""
    return parse_products(state.frames().products)


@st.cache_resource(show_spinner=False)
def rules() -> list[Rule]:
    """The project's restricted claims."""
    return default_rules()


@versioned(show_spinner="Building the run-of-show…", max_entries=32, tables=(*PAY_TABLES, "products"))
def shows(day: date) -> list[SlotShow]:
    """The run-of-show of the published slots starting on `day` (a person's are among them: see day_crew)."""
    tables = state.frames()
    return run_of_show(staffing_plan(), tables.slots, tables.hosts, products(),
                       tables.sessions, tables.sku_sales, day, None, RunOfShowSettings())


def reviews(subject_ids: list[str]) -> dict[str, Review]:
    """Each run-of-show's review rebuilt from the decisions stored for it, oldest first."""
    return reviews_from_decisions(state.store().decisions(REVIEW_KIND), subject_ids)


def record_review(moved: Review) -> None:
    """Keep the latest step of a review as a decision of kind run_of_show."""
    step = moved.history[-1]
    state.store().record_decision(REVIEW_KIND, moved.subject_id, moved.status, step.comment, step.user)
    state.invalidate()


@versioned(show_spinner=False, max_entries=2, tables=("sessions", "viewer_minutes"))
def clip_days() -> list[date]:
    """The days with minute-by-minute viewer counts, the only days clips can be found for."""
    tables = state.frames()
    recorded = tables.sessions["session_id"].isin(state.viewer_minutes()["session_id"].unique())
    return sorted(tables.sessions.loc[recorded, "start"].dt.date.unique().tolist())


@versioned(show_spinner="Finding the day's highlight moments…", max_entries=32,
           tables=("hosts", "sessions", "viewer_minutes"))
def clips(day: date) -> pd.DataFrame:
    tables = state.frames()
    return clip_list(tables.sessions, state.viewer_minutes(), day, None, tables.hosts,
                     ClipSettings())


def latest_clip_day(days: list[date], look_back: int = 14) -> date:
    """The most recent of `days` with at least one clip (looking back at most `look_back` days), else the last day."""
    return next((day for day in reversed(days[-look_back:]) if len(clips(day))), days[-1])


def session_minutes(session_id: str) -> tuple[pd.Series, pd.DataFrame]:
    """A session's row and its concurrent viewers minute by minute."""
    tables = state.frames()
    sessions = tables.sessions
    minutes = state.viewer_minutes()
    return (sessions.loc[sessions["session_id"] == session_id].iloc[0],
            minutes.loc[minutes["session_id"] == session_id].sort_values("minute"))
