"""Run-of-show: each published slot's time blocks, crew and products in order, restricted claims highlighted,
a review that cannot approve a flagged claim, and the printable brief per day or per person."""
from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from contract import DataError
from contract.files import safe_file_stem
from ui import auth, state
from ui import workflow_state as wf
from ui.cache import versioned
from ui.components import published
from ui.components.people import by_name, labeller
from ui.theme import empty_state, kpi_tile, plain, show_html, tiles
from workflows import (
    FlaggedClaimsError,
    approve,
    highlight_html,
    render_html,
    request_changes,
    scan_text,
    show_findings,
    submit,
)
from workflows.run_of_show import day_brief_id, review_subjects, slot_brief_id

CSS = """<style>
.ros-products {margin: 0; padding-left: 1.3rem;}
.ros-products > li {margin-bottom: .45rem;}
.ros-products small {color: #475569;}
.ros-products ul {margin: .1rem 0 0 0; padding-left: 1.1rem; font-size: .92rem;}
.ros-products .claim {color: #334155;}
.ros-products mark {background: #fde68a; padding: 0 .15rem; border-radius: 3px; cursor: help;}
.ros-blocks {border-collapse: collapse; width: 100%; font-size: .88rem;}
.ros-blocks th {text-align: left; color: #475569; font-weight: 600; border-bottom: 1px solid #cbd5e1;
                padding: .2rem .4rem;}
.ros-blocks td {border-bottom: 1px solid #e2e8f0; padding: .2rem .4rem; vertical-align: top;}
.ros-blocks td:first-child {white-space: nowrap;}
.ros-card {border: 1px solid #e2e8f0; border-radius: .5rem; padding: .8rem 1rem; margin-bottom: .9rem;}
.ros-card .ros-when {font-size: 1.15rem; font-weight: 600; margin-bottom: .3rem;}
.ros-columns {display: grid; grid-template-columns: 1fr 1fr; gap: 1rem; align-items: start;}
.ros-columns summary {cursor: pointer; font-weight: 600; color: #334155;}
</style>"""
STATUS_LABELS = {"draft": "draft", "in_review": "in review", "approved": "approved",
                 "changes_requested": "changes requested"}

user = auth.current_user()
currency = state.scorecard_settings().currency
names = dict(zip(state.frames().hosts["host_id"], state.frames().hosts["name"]))

st.title("Run-of-show")
days = published.read_or_stop(wf.published_days)
if not days:
    empty_state("No published schedule yet",
                "A run-of-show is built for every slot of a published schedule. Publish the week on the Schedule "
                "page first; each slot then gets its time blocks, crew and products with their talking points.")
    st.stop()


def _day_label(day) -> str:
    return f"{day:%a %d %b %Y}"


top = st.columns([1.2, 1.6, 2])
day = top[0].selectbox("Day", days, index=days.index(wf.opening_day(days)),
                       format_func=_day_label, key="ros_day")
try:
    day_shows = wf.shows(day)
    crew_slots = wf.day_crew(day)
    staffed = by_name(crew_slots, names)
    host = top[1].selectbox("Host or assistant (optional)", [""] + staffed, key="ros_host",
                            format_func=labeller(names, nobody="every slot of the day"))
    shows = [s for s in day_shows if s.slot_id in crew_slots[host]] if host else day_shows
    rules = wf.rules()
except (DataError, ValueError) as err:
    st.error(f"The run-of-show cannot be built:\n\n{plain(err)}")
    st.stop()
findings = show_findings(shows, rules)

tiles([
    kpi_tile("slots", str(len(shows)), _day_label(day)),
    kpi_tile("unstaffed", str(sum(not s.host_id for s in shows)),
             status="amber" if any(not s.host_id for s in shows) else "green"),
    kpi_tile("assistants on shift", str(len({a for s in shows for a in s.assistants})),
             f"on {sum(bool(s.assistants) for s in shows)} slot(s)"),
    kpi_tile("products featured", str(sum(len(s.products) for s in shows))),
    kpi_tile("flagged claims", str(len(findings)), "restricted phrases in talking points and claims",
             status="red" if len(findings) else "green"),
], per_row=5)

# --- claim check --------------------------------------------------------------------------------------------
st.subheader("Claim check")
if len(findings):
    st.warning(plain(f"{len(findings)} restricted claim(s) in the products of this run-of-show. Change the talking "
                     "points before a host says them on air; the brief cannot be approved until they are gone."))
    st.dataframe(findings[["name", "matched", "suggestion", "reason", "field", "text", "sku"]], hide_index=True,
                 width="stretch", key="ros_findings", column_config={
                     "matched": st.column_config.TextColumn("flagged phrase"),
                     "suggestion": st.column_config.TextColumn("say instead", width="medium"),
                     "text": st.column_config.TextColumn("in", width="large")})
else:
    st.success("No restricted claim in the talking points or claims of these products.")

# --- review -------------------------------------------------------------------------------------------------
st.subheader("Review")
subjects = review_subjects(day, shows, host)
labels = {slot_brief_id(day, s.slot_id): f"{s.start:%H:%M} {s.channel} · {s.host_name} ({s.slot_id})" for s in shows}
if host:
    labels[day_brief_id(day, host)] = f"{names.get(host, host)}'s day brief (all their slots)"
reviews = wf.reviews(list(subjects))
overview = pd.DataFrame([{
    "brief": labels[key], "status": STATUS_LABELS[r.status],
    "by": r.history[-1].user if r.history else "", "when": f"{r.history[-1].at:%d %b %H:%M}" if r.history else "",
    "comment": r.history[-1].comment if r.history else ""} for key, r in reviews.items()])
st.dataframe(overview, hide_index=True, width="stretch", key="ros_reviews",
             column_config={"brief": st.column_config.TextColumn("brief", width="large")})

if notice := st.session_state.pop("ros_notice", None):
    st.success(plain(notice))
if subjects:
    with st.form("ros_review"):
        cols = st.columns([2.2, 2.4])
        subject = cols[0].selectbox("Brief", list(subjects), format_func=labels.get, key="ros_subject")
        comment = cols[1].text_input("Comment (needed to request changes)", key="ros_comment")
        buttons = st.columns([1, 1, 1, 3])
        sent = buttons[0].form_submit_button("Submit for review", disabled=not user.can_edit, key="ros_submit")
        approved = buttons[1].form_submit_button("Approve", type="primary", disabled=not user.can_edit,
                                               key="ros_approve")
        returned = buttons[2].form_submit_button("Request changes", disabled=not user.can_edit,
                                               key="ros_request_changes")
    if sent or approved or returned:
        current = reviews[subject]
        try:
            if approved:
                moved = approve(current, show_findings(subjects[subject], rules), user.name, comment)
            elif returned:
                moved = request_changes(current, user.name, comment)
            else:
                moved = submit(current, user.name, comment)
        except FlaggedClaimsError as err:
            st.error(f"Not approved: {plain(err)}. Reword those talking points (see the claim check above), "
                     "then approve.")
        except ValueError as err:
            st.error(plain(err))
        else:
            wf.record_review(moved)
            st.session_state["ros_notice"] = f"{labels[subject]}: {STATUS_LABELS[moved.status]} by {user.name}."
            st.rerun()
    history = [{"brief": labels[key], "from": STATUS_LABELS[t.from_status], "to": STATUS_LABELS[t.to_status],
                "who": t.user, "when": t.at, "comment": t.comment}
               for key, r in reviews.items() for t in r.history]
    if history:
        with st.expander(f"Review history ({len(history)} step(s))"):
            st.dataframe(pd.DataFrame(history).sort_values("when", ascending=False), hide_index=True,
                         width="stretch", key="ros_history")

# --- printable ----------------------------------------------------------------------------------------------
def brief(chosen: list, title: str):
    """The printable HTML, built only when its download is clicked (the callable runs on the click)."""
    return lambda: render_html(chosen, title, rules)


st.subheader("Printable briefs")
cols = st.columns([1.4, 1.6, 1.4])
cols[0].download_button(f"Download the day's run-of-show (HTML, {len(day_shows)} slots)",
                        brief(day_shows, f"Run-of-show {_day_label(day)}"),
                        file_name=f"run_of_show_{day.isoformat()}.html", mime="text/html", key="ros_download_day")
person = cols[1].selectbox("One person's brief", staffed, index=staffed.index(host) if host else 0,
                           format_func=labeller(names), key="ros_person") if staffed else None
if person:
    cols[2].download_button(f"Download {plain(names.get(person, person))}'s brief (HTML)",
                            brief([s for s in day_shows if s.slot_id in crew_slots[person]],
                                  f"Run-of-show {_day_label(day)} for {names.get(person, person)}"),
                            file_name=f"run_of_show_{day.isoformat()}_{safe_file_stem(person)}.html", mime="text/html",
                            key="ros_download_host")

# --- the shows ----------------------------------------------------------------------------------------------
st.subheader("Slots")
st.markdown(CSS, unsafe_allow_html=True)


@versioned(show_spinner=False, max_entries=512)
def products_html(slot_id: str, _show) -> str:
    """The show's products in order, talking points and claims with restricted phrases marked (all text escaped).

    Cached under the slot, the data version and the studio's settings (`_show` itself is not hashed): scanning
    every claim again on each rerun is a third of a revisit."""
    show = _show
    e = html.escape
    items = []
    for product in show.products.itertuples(index=False):
        price = "" if pd.isna(product.price) else f" · {e(currency)}{product.price:,.2f}"
        speed = "" if pd.isna(product.units_per_hour) else f" · {product.units_per_hour:.1f} units/h (4 weeks)"
        lines = [f"<li>{highlight_html(t, scan_text(t, rules))}</li>" for t in product.talking_points]
        lines += [f'<li class="claim">claim: {highlight_html(t, scan_text(t, rules))}</li>' for t in product.claims]
        items.append(f"<li><b>{e(product.name)}</b> <small>{e(product.sku)} · {e(product.product_tier)}{price}{speed}"
                     f"</small><ul>{''.join(lines)}</ul></li>")
    return (f'<ol class="ros-products">{"".join(items)}</ol>' if items
            else "<p>No product of this category in the catalogue.</p>")


def blocks_html(show) -> str:
    """The show's time blocks as a small table (time, block, products): lighter on the page than a grid per slot."""
    e = html.escape
    name = dict(zip(show.products["sku"], show.products["name"]))
    rows = "".join(f"<tr><td>{b.start:%H:%M}–{b.end:%H:%M}</td><td>{e(b.kind)}</td>"
                   f"<td>{e(', '.join(name[s] for s in b.skus))}</td></tr>" for b in show.blocks)
    return f'<table class="ros-blocks"><tr><th>time</th><th>block</th><th>products</th></tr>{rows}</table>'


def card_html(show, products: str) -> str:
    """One slot as a single card: time and room, crew, the time blocks, and its products behind a summary that
    is open when a claim is flagged. One element per slot keeps a day of 18 slots quick to draw."""
    e = html.escape
    crew = f"Host: <b>{e(show.host_name)}</b>" + (f" · assistants: {e(', '.join(show.assistants))}"
                                                  if show.assistants else "")
    where = e(show.channel) + (f" · {e(show.room)}" if show.room else "")
    flagged = int(findings["sku"].isin(show.products["sku"]).sum())
    heading = f"{len(show.products)} products in order" + (f" · {flagged} flagged claim(s)" if flagged else "")
    return (f'<div class="ros-card"><div class="ros-when">{show.start:%H:%M}–{show.end:%H:%M} · {where}</div>'
            f"<p>{crew} · {e(show.category)} ({e(show.product_tier)}) · slot {e(show.slot_id)}</p>"
            f'<div class="ros-columns"><div>{blocks_html(show)}</div>'
            f'<details{" open" if flagged else ""}><summary>{e(heading)}</summary>{products}</details></div></div>'
            ).replace("$", "&#36;")  # a dollar sign would otherwise start LaTeX


for show in shows:
    show_html(card_html(show, products_html(show.slot_id, show)))
