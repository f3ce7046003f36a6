"""The associate's inbox of host requests: each pending one with its approve and decline, the rules checked
again by `store.approvals` at the click; approved time off that breaks published slots waits here with its
repair until the week keeps every rule again."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from contract.when import studio_now
from store import VersionConflict
from store.approvals import Decisions, RuleBroken
from store.kinds import ROSTER_KINDS
from store.week import repair_week
from ui import state
from ui.auth import User
from ui.theme import plain

_NOTICE = "requests_notice"
_TIME_OFF = "requests_time_off"  # (start, end) of the time off approved in this session, for its repairs


def _now() -> pd.Timestamp:
    return studio_now(state.studio_settings().time_zone)


def _name(person_id: str) -> str:
    return f"{state.host_names().get(person_id, person_id)} ({person_id})"


def _done(message: str) -> None:
    st.session_state[_NOTICE] = message
    state.invalidate()
    st.rerun()


def notice() -> None:
    if message := st.session_state.pop(_NOTICE, None):
        st.success(plain(message))


def _slot(slot_id: str) -> str:
    slots = state.frames().slots.set_index("slot_id")
    if slot_id not in slots.index:
        return slot_id
    slot = slots.loc[slot_id]
    return f"{slot['start']:%a %d %b %H:%M}–{slot['end']:%H:%M} {slot['channel']} ({slot_id})"


Approve = Callable[[], str]  # what an Approve click does; returns the notice saying what it did


def _section(user: User, title: str, nothing: str, asked: pd.DataFrame,
             ask: Callable[[Any, DeltaGenerator, DeltaGenerator], Approve | None]) -> None:
    """One row per pending request of a kind with its Approve and Decline: `ask` writes the request (above the
    row, and beside its buttons) and returns what Approve does, or None when nothing can be approved. The rules
    are checked again at the click, and a refusal names the rule."""
    st.subheader(f"{title} ({len(asked)})")
    if not len(asked):
        st.caption(nothing)
    for row in asked.itertuples():
        above = st.container()
        cols = st.columns([4, 1, 1])
        approve = ask(row, above, cols[0])
        if cols[1].button("Approve", type="primary", key=f"approve_{row.id}", disabled=approve is None):
            try:
                message = approve()
            except (RuleBroken, ValueError) as err:
                st.error(plain(err))
            else:
                _done(message)
        if cols[2].button("Decline", key=f"decline_{row.id}"):
            try:
                Decisions(state.store()).decline(row.id, user.name, "")
            except ValueError as err:
                st.error(plain(err))
            else:
                _done(f"Request {row.id} declined.")


def time_off(user: User, pending: pd.DataFrame) -> None:
    def ask(row, _above: DeltaGenerator, beside: DeltaGenerator) -> Approve:
        beside.markdown(plain(f"{_name(row.person_id)}: {row.start:%a %d %b %H:%M} to {row.end:%a %d %b %H:%M}"
                              + (f" · {row.note}" if row.note else "")))

        def approve() -> str:
            broken = Decisions(state.store()).approve_time_off(row.id, user.name, _now())
            if broken:
                st.session_state.setdefault(_TIME_OFF, []).append((row.start, row.end))
            return (f"Time off of {_name(row.person_id)} approved: the scheduler sees it from now on."
                    + (f" It breaks published slots of {', '.join(broken)}: repair below." if broken else ""))
        return approve

    _section(user, "Time off", "No time off waiting.", pending.loc[pending["kind"] == "time off"], ask)


def repairs(user: User) -> None:
    """The published weeks that approved time off now breaks, each with its fewest-changes repair."""
    spans = st.session_state.get(_TIME_OFF, [])
    if not spans:
        return
    decisions, now = Decisions(state.store()), _now()
    broken: dict[str, list] = {}
    for start, end in spans:
        broken |= decisions.time_off_conflicts(pd.Timestamp(start), pd.Timestamp(end), now)
    if not broken:
        st.session_state.pop(_TIME_OFF)
        return
    for week, found in sorted(broken.items()):
        st.error(f"The published schedule of {week} breaks {len(found)} hard rule(s) with the approved time off.")
        st.dataframe(pd.DataFrame([{"rule": v.rule, "slot": v.slot_id, "person": _name(v.host_id), "why": v.message}
                                   for v in found]), hide_index=True, width="stretch", key=f"conflicts_{week}")
        if st.button(f"Repair {week} with the fewest changes and publish", type="primary", key=f"repair_{week}"):
            _repair(user, week, now)


def _repair(user: User, week: str, now: pd.Timestamp) -> None:
    store = state.store()
    tables = store.tables(ROSTER_KINDS)
    _, rows = store.schedule(week, "published")
    with st.spinner("Repairing…"):
        repaired, fixed = repair_week(tables, week, rows, state.scheduler_settings(), now, time_limit=10.0)
    draft = store.schedule(week, "draft")
    try:
        if draft is None:
            store.save_schedule(week, fixed, user.name, status="published")
            where = "published; the people it moves are told"
        else:
            store.save_schedule(week, fixed, user.name, expected_version=draft[0]["version"])
            where = "saved into the week's draft: publish it on the Schedule page"
    except (VersionConflict, ValueError) as err:
        st.error(plain(err))
        return
    _done(f"{week} repaired: {len(repaired.moved)} host assignment(s) changed, {where}.")


def claims(user: User, pending: pd.DataFrame) -> None:
    def ask(row, _above: DeltaGenerator, beside: DeltaGenerator) -> Approve:
        beside.markdown(plain(f"{_name(row.person_id)} would take {_slot(row.slot_id)}"))

        def approve() -> str:
            Decisions(state.store()).approve_claim(row.id, user.name, _now())
            return f"{_slot(row.slot_id)} is now {_name(row.person_id)}'s, published and logged."
        return approve

    _section(user, "Claims of open slots", "No claim waiting.", pending.loc[pending["kind"] == "claim"], ask)


def drops(user: User, pending: pd.DataFrame) -> None:
    """Each flagged stream with who could take it over, best first, and what choosing them changes: for a
    host's stream by expected GMV there, then pay; for an assistant's by promised hours, pay and room under the
    cap (see `scheduler.cover`)."""
    decisions = Decisions(state.store())

    def ask(row, above: DeltaGenerator, beside: DeltaGenerator) -> Approve | None:
        above.markdown(plain(f"{_name(row.person_id)} can't make {_slot(row.slot_id)}"
                             + (f" · {row.note}" if row.note else "")))
        try:
            ranked = decisions.replacements(row.id, _now())
        except ValueError as err:
            above.caption(plain(err))
            return None
        if len(ranked):
            _ranking(above, ranked, f"cover_{row.id}")
        chosen = beside.selectbox("Who takes it over (no hard rule broken)", ranked["host_id"].tolist(),
                                  format_func=_name, key=f"replacement_{row.id}", placeholder="nobody can",
                                  index=0 if len(ranked) else None)
        if chosen is None:
            return None

        def approve() -> str:
            decisions.approve_drop(row.id, str(chosen), user.name, _now())
            return (f"{_slot(row.slot_id)} goes to {_name(str(chosen))}: only what that takes changed, published "
                    "and logged.")
        return approve

    _section(user, "Streams hosts can't make", "No stream flagged.", pending.loc[pending["kind"] == "drop"], ask)


def _ranking(where: DeltaGenerator, ranked: pd.DataFrame, key: str) -> None:
    """The ranked replacements; an assistant's ranking leaves out expected GMV and a slot given up, which are
    the same for every assistant."""
    hosting = "effect" in ranked.columns
    shown = ["rank", "name", *(["expected_gmv"] if hosting else []), "pay", "week_hours_after",
             *(["gives_up_slot_id"] if hosting else []), "what_changes"]
    where.dataframe(ranked[shown], hide_index=True, width="stretch", key=key, column_config={
        "expected_gmv": st.column_config.NumberColumn("expected GMV", format="dollar"),
        "pay": st.column_config.NumberColumn(format="dollar"),
        "week_hours_after": st.column_config.NumberColumn("week h after", format="%.1f"),
        "gives_up_slot_id": st.column_config.TextColumn("gives up"),
        "what_changes": st.column_config.TextColumn("what changes", width="large")})


def offers(user: User) -> None:
    """Unstaffed slots of published weeks still ahead, to offer to hosts; what is on offer, to withdraw."""
    st.subheader("Open slots")
    store, now = state.store(), _now()
    offered = store.requests.offered()
    published = store.published_schedules()
    slots = state.frames().slots
    ahead = set(slots.loc[slots["start"] > now, "slot_id"])
    unstaffed = [s for s in published.loc[published["host_id"] == "", "slot_id"] if s in ahead and s not in offered]
    cols = st.columns([4, 1])
    chosen = cols[0].selectbox("An unstaffed slot of a published week", unstaffed, format_func=_slot,
                               key="offer_slot", index=0 if unstaffed else None, placeholder="none unstaffed")
    if cols[1].button("Offer it", key="offer", disabled=chosen is None):
        try:
            store.requests.offer(str(chosen), user.name)
        except ValueError as err:
            st.error(plain(err))
        else:
            _done(f"{_slot(str(chosen))} is offered to every host who could take it.")
    for slot_id in offered:
        cols = st.columns([4, 1])
        cols[0].markdown(plain(f"On offer: {_slot(slot_id)}"))
        if cols[1].button("Withdraw", key=f"withdraw_{slot_id}"):
            store.requests.close_offer(slot_id, user.name)
            _done(f"{_slot(slot_id)} is no longer offered.")

