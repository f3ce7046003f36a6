"""Schedule: plan the week with the optimiser (hosts and production assistants), see why slots stay dark, edit, lock,
re-plan a call-out, publish."""
from __future__ import annotations

from datetime import datetime, timedelta
from datetime import time as clock

import pandas as pd
import streamlit as st

from contract import DataError
from contract.files import neutralise_formulas
from contract.when import studio_now
from scheduler import CallOut, LockError
from scheduler.edits import EditRefused, apply_edit, week_has_streams
from scheduler.ics import calendar_file_name
from store import VersionConflict
from store.schedules import assistants_of, joined_ids
from store.week import PublishRefused, plan_conflicts, plan_rows, publish_week, repair_week
from ui import auth, services, state, week_state
from ui.components import week_calendar
from ui.components.first_run import first_run_checklist
from ui.components.people import by_name, labeller
from ui.components.slot_forecast import forecast_and_cover
from ui.theme import empty_state, kpi_tile, plain, show_html, tiles

user = auth.current_user()
settings = state.scheduler_settings()
frames = state.frames()
slots = frames.slots

st.title("Schedule")
weeks = services.slot_weeks(slots)
if not weeks:
    empty_state("No slots to staff yet",
                "Make the week's slots from the show templates on the Calendar page (or import slots.csv on "
                "the Data page), add the hosts and their availability on the Roster page; then come back here "
                "and press Plan the week.")
    first_run_checklist(state.store())
    st.stop()

top = st.columns([1.2, 1, 1, 1.4])
week = top[0].selectbox("Week", weeks, index=len(weeks) - 1, key="schedule_week")
store = state.store()
names = dict(zip(frames.hosts["host_id"], frames.hosts["name"]))
streamed = week_has_streams(frames.sessions, week)
person = labeller(names)


def read_week() -> None:
    """The week's draft and published schedule as the store holds them now, and its studio with their locks."""
    global draft, published, working, saved, saved_key, studio
    draft = store.schedule(week, "draft")
    published = store.schedule(week, "published")
    working = draft or published
    saved = working[1] if working else None
    saved_key = week_state.schedule_key(working)
    try:
        studio = week_state.studio(week, saved)
    except (DataError, LockError, ValueError) as err:
        st.error(f"The week cannot be planned as the data stands:\n\n{plain(err)}")
        st.stop()


def crew(assistant_ids: str) -> str:
    """A slot's assistants by name, "" for none."""
    return ", ".join(names.get(i, i) for i in assistant_ids.split("|") if i)


def broken_rules(rows: pd.DataFrame):
    """Every hard rule the rows break (hosts and assistants) with the roster and availability as they are now
    (in the week's studio of the rows' locks, cached: an edit keeping the locks does not build it again)."""
    return plan_conflicts(week_state.studio(week, rows), rows, settings)


def edit_refused(changed: pd.DataFrame, notice: str) -> str | None:
    """Save hand edits to the draft and leave `notice` for the page; or why not (scheduler.edits decides). A
    draft changes no data table, so no cache is cleared: the week's views are keyed on the schedule's rows
    (ui.week_state)."""
    try:
        edit = apply_edit(saved, changed, broken_rules)
    except LockError as err:
        return f"Not saved: {plain(err)}"
    except EditRefused as err:
        broken = "\n".join(f"- **{plain(p.rule)}**: {plain(p.message)}" for p in err.problems[:10])
        return f"{plain(err)}\n\n{broken}" if broken else plain(err)
    try:
        store.save_schedule(week, edit.rows, user.name, expected_version=draft[0]["version"] if draft else None)
    except VersionConflict as err:
        return plain(err)
    st.session_state["schedule_notice"] = notice + (f" The assistants of {edit.released} slot(s) left without a "
                                                    "host were released." if edit.released else "")
    return None


def save_edit(changed: pd.DataFrame, notice: str) -> None:
    """`edit_refused`, for a button drawn below the week: the page is drawn again with the edit, or says why not."""
    refused = edit_refused(changed, notice)
    if refused:
        st.error(refused)
    else:
        st.rerun()


def move_refused() -> str | None:
    """The move form's slot given to its host and lock as submitted (see `edit_refused`)."""
    ids = week_calendar.slot_rows(studio.slots, saved, names)["slot_id"].tolist()
    slot_id = week_calendar.opened_slot(ids, saved)
    new_host, lock = st.session_state[week_calendar.HOST_KEY], st.session_state[week_calendar.LOCK_KEY]
    changed = saved[["slot_id", "host_id", "locked", "assistant_ids"]].copy()
    changed.loc[changed["slot_id"] == slot_id, ["host_id", "locked"]] = [new_host, bool(lock and new_host)]
    return edit_refused(changed, f"Slot {slot_id} now goes to {names.get(new_host, new_host) or 'nobody'}"
                                 + (", locked." if lock and new_host else "."))


def publish_refused() -> str | None:
    """Publish the draft and leave the notice for the page; or why not."""
    try:
        publish_week(store, week, user.name, draft[0]["version"], studio_now(settings.time_zone),
                     week_state.built_week(week, saved))
    except (VersionConflict, PublishRefused) as err:
        return plain(err)
    state.schedules_published()
    st.session_state["schedule_notice"] = (f"{week} published with its assistants: hosts and assistants can "
                                           "download their calendars.")
    return None


def call_out_refused(replan: bool) -> str | None:
    """The call-out form's time off recorded, then (`replan`) the week re-planned around it with the fewest
    changes and saved as a draft; the notice is left for the page. Or why not."""
    global frames
    host, reason = st.session_state["call_out_person"], st.session_state["call_out_reason"].strip()
    call_out = CallOut(host_id=host, start=pd.Timestamp(datetime.combine(st.session_state["call_out_from_day"],
                                                                         st.session_state["call_out_from_time"])),
                       end=pd.Timestamp(datetime.combine(st.session_state["call_out_to_day"],
                                                         st.session_state["call_out_to_time"])))
    why = f"called out: {reason}" if reason else "called out"
    bar = st.progress(0.0, text="Re-planning…")

    def tick(watch: services.SolveWatch) -> None:
        bar.progress(min(watch.elapsed / watch.time_limit, 0.99), text=f"Re-planning: {watch.elapsed:.0f} s")

    try:
        store.record_time_off(host, call_out.start, call_out.end, why, user.name)
        state.tables_changed()
        frames = state.frames()  # with the time off just recorded, for the page below (its repair, its people)
        if not replan:
            st.session_state["schedule_notice"] = (f"{names.get(host, host)} is off ({why}): pick who covers each "
                                                   "of their slots under Forecast and cover.")
            return None
        away = week_state.studio(week, saved)  # with the time off; the page below reads the same studio
        budget = float(min(st.session_state.get("time_budget", 10), 10))
        new = services.replan_week(away, saved, call_out, settings, budget, tick)
        rows = plan_rows(new, away)
        store.save_schedule(week, rows, user.name, expected_version=draft[0]["version"] if draft else None)
    except (VersionConflict, LockError, ValueError) as err:
        return plain(err)
    finally:
        bar.empty()
    moved = new.moved.assign(old_host=new.moved["old_host_id"].map(names), new_host=new.moved["new_host_id"].map(names))
    before = saved.set_index("slot_id")["assistant_ids"]
    crew_moved = int((rows["slot_id"].map(before).fillna("") != rows["assistant_ids"]).sum())
    st.session_state["schedule_notice"] = (
        f"{names.get(host, host)} is off from {call_out.start:%a %d %b %H:%M} to {call_out.end:%a %d %b %H:%M} "
        f"({why}), kept as time off for every later plan and check. Re-planned in {new.summary.solve_seconds:.1f} s: "
        f"{len(moved)} host assignment(s) and the assistants of {crew_moved} slot(s) changed; saved as a draft.")
    st.session_state[f"moved_{week}"] = moved
    return None


# A move, a call-out or a publish is done before the page is drawn, so the page is drawn once, with it. The
# buttons, further down, say they were pressed through their keys.
read_week()
move_problem = publish_problem = call_out_problem = None
if user.can_edit and saved is not None and st.session_state.get("move_slot_submit"):
    move_problem = move_refused()
    read_week()
elif user.can_edit and saved is not None and (st.session_state.get("call_out_replan")
                                              or st.session_state.get("call_out_by_hand")):
    call_out_problem = call_out_refused(replan=bool(st.session_state.get("call_out_replan")))
    read_week()
elif user.can_edit and draft and st.session_state.get("publish"):
    publish_problem = publish_refused()
    read_week()

# --- plan -------------------------------------------------------------------------------------------------
with st.container(border=True):
    left, right = st.columns([3, 1])
    budget = left.slider("Time budget for the optimiser (seconds)", 2, 60, 10, key="time_budget",
                         disabled=not user.can_edit)
    right.write("")
    plan_clicked = right.button("Plan the week", type="primary", disabled=not user.can_edit or streamed,
                                key="plan_week", width="stretch",
                                help="This week already has streams on record: edit it by hand or re-plan a "
                                     "call-out below" if streamed else None)
if plan_clicked:
    bar = st.progress(0.0, text="Starting the optimiser…")

    def tick(watch: services.SolveWatch) -> None:
        found = f" · best coverage so far {watch.objective:,.0f}" if watch.objective is not None else ""
        bar.progress(min(watch.elapsed / watch.time_limit, 0.99), text=f"Planning {week}: {watch.elapsed:.0f} s{found}")

    try:
        plan = services.plan_week(studio, settings, float(budget), tick)
        rows = plan_rows(plan, studio)
        store.save_schedule(week, rows, user.name, expected_version=draft[0]["version"] if draft else None)
        st.session_state["schedule_notice"] = (
            f"Planned {week} in {plan.summary.solve_seconds:.1f} s: {plan.summary.status.lower()}"
            + (f", gap {plan.summary.gap:.1%}" if plan.summary.gap else ", proven best")
            + ". Assistant positions staffed: {}/{}.".format(*plan.summary.assistant_positions)
            + " Saved as a draft: review it, then publish.")
        read_week()  # the rest of the page is drawn with the new draft, in this same run
    except VersionConflict as err:
        st.error(plain(err))
    except (LockError, DataError, ValueError) as err:
        st.error(f"The optimiser refused the week: {plain(err)}")
    finally:
        bar.empty()

status = ("Draft" if draft else "Published") if working else "Not planned yet"
version = f" · version {working[0]['version']}" if working else ""
top[1].markdown(f"**Status**  \n{status}{version}")
if published:
    by, at = published[0]["published_by"], published[0]["published_at"]
    top[2].markdown(f"**Published**  \n{plain(by)}, {at:%a %d %b %H:%M}")
if notice := st.session_state.pop("schedule_notice", None):
    st.success(plain(notice))
if saved is None:
    empty_state("This week has no plan yet",
                f"{len(studio.slots)} slots are waiting for hosts. Press Plan the week: the optimiser staffs them "
                "without breaking a hard rule and tells you why any slot stays dark.")
    show_html(week_state.calendar(week, None, None, "channel"))
    st.stop()

plan = week_state.plan(week, saved_key, saved)
summary = plan.summary

# --- conflicts with the present ------------------------------------------------------------------------------
now = studio_now(settings.time_zone)
conflicts = week_state.conflicts(week, saved_key, saved, now.floor("min"))
if conflicts:
    st.error(f"This {'draft' if draft else 'published schedule'} breaks {len(conflicts)} hard rule(s) as the roster, "
             "availability and settings stand now (time off recorded since it was planned, say). It cannot be "
             "published until it is repaired or edited.")
    st.dataframe(pd.DataFrame([{"rule": v.rule, "slot": v.slot_id, "person": person(v.host_id) if v.host_id else "",
                                "why": v.message} for v in conflicts]),
                 hide_index=True, width="stretch", key="schedule_conflicts")
    if user.can_edit and st.button("Repair with the fewest changes", type="primary", key="repair_week"):
        bar = st.progress(0.0, text="Repairing…")

        def tick_repair(watch: services.SolveWatch) -> None:
            bar.progress(min(watch.elapsed / watch.time_limit, 0.99), text=f"Repairing: {watch.elapsed:.0f} s")

        try:
            repaired, rows = services.run_in_background(
                lambda w: repair_week(frames, week, saved, settings, now, float(min(budget, 10)), w.on_progress),
                float(min(budget, 10)), tick_repair)
            store.save_schedule(week, rows, user.name, expected_version=draft[0]["version"] if draft else None)
            st.session_state["schedule_notice"] = (
                f"Repaired: {len(repaired.moved)} host assignment(s) changed so that the plan keeps every hard rule "
                "again; saved as a draft.")
            st.session_state[f"moved_{week}"] = repaired.moved.assign(old_host=repaired.moved["old_host_id"].map(names),
                                                                  new_host=repaired.moved["new_host_id"].map(names))
            st.rerun()
        except (VersionConflict, LockError, ValueError) as err:
            st.error(plain(err))
        finally:
            bar.empty()

# --- summary ----------------------------------------------------------------------------------------------
st.subheader("Plan summary")
coverage = summary.coverage.set_index("product_tier")
rows = [kpi_tile(f"{tier} slots staffed", f"{coverage.at[tier, 'staffed']} / {coverage.at[tier, 'total']}",
                 status="green" if coverage.at[tier, "staffed"] == coverage.at[tier, "total"] else "amber")
        for tier in coverage.index]
rows.append(kpi_tile("expected GMV", f"${summary.expected_gmv:,.0f}", "host fit applied"))
rows.append(kpi_tile("pay (hourly + commission)", f"${summary.total_pay:,.0f}"))
short = int((summary.hours["shortfall"] > 0).sum())
rows.append(kpi_tile("hosts short of their minimum", str(short), status="amber" if short else "green"))
helped, needed = summary.assistant_positions
rows.append(kpi_tile("assistant positions staffed", f"{helped} / {needed}",
                     status="green" if helped == needed else "amber"))
tiles(rows, per_row=4)
st.caption("The optimiser staffs by priority: coverage weighted by product tier first (with the slots' assistant "
           "positions), then expected GMV by host fit, then promised hours, then pay. Hand edits are checked "
           "against every hard rule.")
if streamed:
    st.info("Streams of this week are on record: Payroll and Run-of-show count its published plan. Planning it "
            "again is off; a hand edit or a call-out re-plan still works.")

lanes = st.radio("One lane per", week_calendar.lane_kinds(studio.slots), horizontal=True, key="calendar_rows")
st.caption("Click a slot to open it below: its host, lock and assistants.")
show_html(week_state.calendar(week, saved_key, saved, lanes))
week_calendar.open_clicked_slot(studio.slots["slot_id"].tolist(), saved)


def unstaffed_tab() -> None:
    if len(plan.unstaffed):
        table = plan.unstaffed.assign(start=plan.unstaffed["start"].dt.strftime("%a %d %b %H:%M"),
                                      end=plan.unstaffed["end"].dt.strftime("%H:%M"))
        st.dataframe(table, hide_index=True, width="stretch",
                     column_config={"reason": st.column_config.TextColumn("why it stays dark", width="large")})
    else:
        st.success("Every slot of the week is staffed.")


def hours_tab() -> None:
    hosts_only = summary.hours[summary.hours["hours"].gt(0) | summary.hours["min"].gt(0)]
    week_calendar.show_hours(hosts_only)
    if len(summary.idle):
        st.markdown(f"**{len(summary.idle)} host(s) could take no slot of the week**, and why:")
        st.dataframe(summary.idle, hide_index=True, width="stretch", key="idle_hosts")


def changes_tab() -> None:
    changes = store.assignment_changes(working[0]["id"])
    if len(changes):
        shown = changes.assign(before=changes["before"].map(crew), after=changes["after"].map(crew))
        st.dataframe(shown.iloc[::-1], hide_index=True, width="stretch", key="schedule_changes",
                     column_config={"role": st.column_config.TextColumn("what"),
                                    "at": st.column_config.DatetimeColumn("when", format="ddd DD MMM HH:mm")})
    else:
        st.caption(f"No change to this {'draft' if draft else 'schedule'} since it was "
                   f"{'started' if draft else 'published'}: every host and assistant is as the optimiser or the "
                   "import left them.")


# Only the open tab is drawn (picking another reruns the page), so a move or a publish redraws one tab, not three.
for tab, draw in zip(st.tabs(["Unstaffed slots", "Hours per person", "Changes"], key="schedule_tabs",
                             on_change="rerun"), (unstaffed_tab, hours_tab, changes_tab)):
    if tab.open:
        with tab:
            draw()

# --- edit, lock, assistants ----------------------------------------------------------------------------------
st.subheader("Slots")
st.caption("Click a row (or a slot in the calendar, or pick it below) to open it: its host, lock and "
           "assistants.")
people = frames.hosts
host_choices = people.loc[people["role"] == "host", "host_id"].tolist()
assistant_choices = people.loc[people["role"] == "assistant", "host_id"].tolist()
current = saved[["slot_id", "host_id", "locked", "assistant_ids"]].copy()
slot_rows = week_calendar.slot_rows(studio.slots, saved, names)
week_calendar.slot_table(slot_rows, saved, key=f"assignments_{week}")
slot_id = week_calendar.opened_slot(slot_rows["slot_id"].tolist(), saved)
show_html(f'<div id="{week_calendar.OPEN_SLOT_ANCHOR}"></div>')
with st.container(border=True):
    week_calendar.slot_picker(slot_rows, saved)
    week_calendar.slot_details(slot_rows.set_index("slot_id").loc[slot_id])
    if user.can_edit:
        with st.form("move_slot"):
            cols = st.columns([4, 1, 1])
            cols[0].selectbox("Host", [""] + host_choices, key=week_calendar.HOST_KEY,
                              format_func=labeller(names, nobody="nobody (leave dark)"))
            cols[1].checkbox("Lock", key=week_calendar.LOCK_KEY, help="The optimiser keeps a locked host on re-plans")
            cols[2].form_submit_button("Move", width="stretch", key="move_slot_submit")  # done at the top
        if move_problem:
            st.error(move_problem)

if user.can_edit and assistant_choices:
    slot_label = dict(zip(slot_rows["slot_id"], slot_rows["day"] + " " + slot_rows["time"] + " · "
                          + slot_rows["channel"] + " · " + slot_rows["product_tier"]))
    needing = studio.slots.loc[studio.slots["assistants_needed"] > 0, "slot_id"].tolist()
    crew_slots = needing + [s for s in studio.slots["slot_id"] if s not in set(needing)]
    needed = studio.slots.set_index("slot_id")["assistants_needed"]
    helpers_now = current.set_index("slot_id")["assistant_ids"]
    with st.container(border=True):
        cols = st.columns([3, 3, 1])
        crew_slot = cols[0].selectbox(
            "Production assistants of the slot", crew_slots, key="crew_slot_id",
            format_func=lambda s: f"{slot_label[s]} · needs {needed[s]} ({s})")
        picked = cols[1].multiselect("Assistants", assistant_choices,
                                     default=[i for i in helpers_now.get(crew_slot, "").split("|") if i],
                                     key=f"crew_{week}_{crew_slot}", format_func=person,
                                     placeholder="no assistant")
        cols[2].write("")
        if cols[2].button("Save assistants", key="save_crew", width="stretch"):
            changed = current.copy()
            changed.loc[changed["slot_id"] == crew_slot, "assistant_ids"] = joined_ids(picked)
            save_edit(changed, f"Slot {crew_slot} now has "
                               f"{crew(joined_ids(picked)) or 'no assistant'} as production assistant(s).")

# --- call-out ----------------------------------------------------------------------------------------------
if user.can_edit:
    # Drawn only when opened (opening it reruns the page): its seven inputs are not redrawn with every click.
    with st.expander("A host or assistant called out: re-plan with minimal change", expanded=bool(call_out_problem),
                     key="call_out_open", on_change="rerun") as call_out_box:
        if call_out_box.open:
            staffed = by_name({h for h in saved["host_id"] if h} | set(assistants_of(saved)["assistant_id"]), names)
            with st.form("call_out"):
                cols = st.columns([2, 1, 1, 1, 1])
                cols[0].selectbox("Host or assistant", staffed, format_func=person, key="call_out_person")
                first_day = studio.slots["start"].min().date()
                cols[1].date_input("Away from (day)", value=first_day, key="call_out_from_day")
                cols[2].time_input("from (time)", value=clock(0, 0), key="call_out_from_time")
                cols[3].date_input("back on (day)", value=first_day + timedelta(days=1), key="call_out_to_day")
                cols[4].time_input("at (time)", value=clock(0, 0), key="call_out_to_time")
                st.text_input("Why (kept with the time off)", placeholder="e.g. flu", key="call_out_reason")
                st.form_submit_button("Record the time off and re-plan", type="primary", key="call_out_replan")
                st.form_submit_button("Record the time off, then pick who covers (Forecast and cover below)",
                                      key="call_out_by_hand")  # both done at the top
            if call_out_problem:
                st.error(call_out_problem)
forecast_and_cover(studio, saved, settings, names, conflicts, give=save_edit if user.can_edit else None)
if f"moved_{week}" in st.session_state:
    st.markdown("**Hosts moved in the last re-plan** (the Changes tab lists assistants too)")
    st.dataframe(st.session_state[f"moved_{week}"], hide_index=True, width="stretch")

# --- publish and export --------------------------------------------------------------------------------------
st.subheader("Publish and export")
cols = st.columns(4)
if draft and user.can_edit:
    cols[0].button("Publish this draft", type="primary", key="publish", disabled=bool(conflicts),  # done at the top
                   help="Repair or edit the draft first: it breaks a hard rule now" if conflicts else None)
elif published:
    cols[0].success("Published")
if publish_problem:
    st.error(publish_problem)
contract_rows = saved[["slot_id", "host_id", "reason"]]
cols[1].download_button("Download assignments.csv", neutralise_formulas(contract_rows).to_csv(index=False),
                        file_name=f"assignments_{week}.csv", mime="text/csv", key="download_csv")
cols[2].download_button("Download assistants.csv", neutralise_formulas(assistants_of(saved)).to_csv(index=False),
                        file_name=f"assistants_{week}.csv", mime="text/csv", key="download_assistants")
# Calendars are built only when a download is asked for (the callable runs on the click), not on every render.
crew_ids = sorted({h for h in saved["host_id"] if h} | set(assistants_of(saved)["assistant_id"]))
cols[3].download_button(f"Download {len(crew_ids)} calendars (.ics, zip)",
                        lambda: services.calendars_zip(services.staff_calendars(studio, saved, settings)),
                        file_name=f"calendars_{week}.zip", mime="application/zip", key="download_ics")
if crew_ids:
    pick = st.selectbox("One person's calendar", crew_ids, format_func=person, key="ics_host")
    st.download_button(f"Download {pick}.ics", lambda: services.staff_calendars(studio, saved, settings)[pick],
                       file_name=calendar_file_name(pick), mime="text/calendar", key="download_one_ics")
