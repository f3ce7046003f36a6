"""The Schedule page's forecast and cover section: what each slot is expected to sell (with an average host and
with its host), and for one slot the hosts who could cover it, ranked by what each is expected to sell there.

scheduler.cover decides who may cover and in what order; this module shows it and, for a person who may edit,
hands the chosen replacement to the page's own hand-edit path (`give`), which checks every hard rule again and logs
the change.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import pandas as pd
import streamlit as st

from scheduler import Settings, Studio, Violation
from scheduler.cover import cover, slot_forecasts
from ui.components.people import labeller

Give = Callable[[pd.DataFrame, str], None]  # (the week's changed rows, the notice to show once saved)


def forecast_and_cover(studio: Studio, saved: pd.DataFrame, settings: Settings, names: Mapping[str, str],
                       conflicts: Sequence[Violation] = (), give: Give | None = None) -> None:
    """The section: the slots' forecasts, then who could cover a chosen slot (a slot whose host broke a rule
    since, say a call-out, comes first, then a dark one); with `give`, a button gives the slot to a candidate."""
    st.subheader("Forecast and cover")
    rows = saved[["slot_id", "host_id"]]
    # Drawn only when opened (opening it reruns the page): its table of every slot is not redrawn with each click.
    with st.expander("What each slot is expected to sell", key="slot_forecasts_open", on_change="rerun") as box:
        if box.open:
            _slot_forecasts(studio, rows, settings, names)
    _who_could_cover(studio, rows, saved, settings, names, conflicts, give)


def _slot_forecasts(studio: Studio, rows: pd.DataFrame, settings: Settings, names: Mapping[str, str]) -> None:
    st.dataframe(_forecast_table(studio, rows, settings, names), hide_index=True, width="stretch",
                 key="slot_forecasts", column_config=_money(
                     "forecast (average host)", "low", "high", "expected GMV used", "with its host"))
    st.caption("Forecast: what the studio's results say an average host sells in the slot, with the 80 % range "
               "of one stream. The plan uses the expected GMV typed in slots.csv where there is one, else the "
               "forecast; times a host's fit, it is what that host is expected to sell there.")


def _who_could_cover(studio: Studio, rows: pd.DataFrame, saved: pd.DataFrame, settings: Settings,
                     names: Mapping[str, str], conflicts: Sequence[Violation], give: Give | None) -> None:
    ids = studio.slots["slot_id"].astype("str").tolist()
    label = _slot_labels(studio, rows, names)
    first = _first_to_cover(ids, rows, conflicts)
    slot_id = st.selectbox("Who could cover this slot", ids, index=ids.index(first) if first else 0,
                           key=f"cover_slot_id_{first}", format_func=lambda s: label[s])  # a new call-out: its slot
    ranked = cover(studio, rows, slot_id, settings)
    if ranked.empty:
        st.info("Nobody could take this slot without breaking a hard rule, even by giving up one of their slots.")
        return
    st.dataframe(_candidate_table(ranked), hide_index=True, width="stretch", key="cover_candidates",
                 column_config=_money("expected GMV there", "pay"))
    st.caption("Ranked by what each host is expected to sell in this slot, then by pay. A host who must give up a "
               "slot of theirs for it leaves that slot to cover in turn.")
    if give is not None:
        _give_form(ranked, rows, saved, slot_id, names, give)


def _forecast_table(studio: Studio, rows: pd.DataFrame, settings: Settings, names: Mapping[str, str]) -> pd.DataFrame:
    found = slot_forecasts(studio, rows, settings)
    slots = studio.slots
    return pd.DataFrame({
        "slot": found["slot_id"], "channel": slots["channel"].to_numpy(),
        "start": slots["start"].dt.strftime("%a %d %b %H:%M").to_numpy(), "tier": slots["product_tier"].to_numpy(),
        "forecast (average host)": found["forecast"], "low": found["low"], "high": found["high"],
        "expected GMV used": found["expected_gmv"],
        "from": found["typed"].map({True: "slots.csv", False: "forecast"}),
        "host": found["host_id"].map(labeller(names, nobody="(dark)")), "with its host": found["host_expected_gmv"]})


def _candidate_table(ranked: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({"rank": ranked["rank"], "host": ranked["name"] + " (" + ranked["host_id"] + ")",
                         "expected GMV there": ranked["expected_gmv"], "pay": ranked["pay"],
                         "week hours after": ranked["week_hours_after"], "gives up": ranked["gives_up_slot_id"],
                         "what it changes": ranked["what_changes"]})


def _give_form(ranked: pd.DataFrame, rows: pd.DataFrame, saved: pd.DataFrame, slot_id: str,
               names: Mapping[str, str], give: Give) -> None:
    by_host = ranked.set_index("host_id")
    with st.form("cover_give"):
        left, right = st.columns([3, 1])
        pick = left.selectbox("Give it to", ranked["host_id"].tolist(), key=f"cover_pick_{slot_id}",
                              format_func=lambda h: f"{by_host.at[h, 'rank']}. {labeller(names)(h)}")
        right.write("")
        go = right.form_submit_button("Give the slot", type="primary")
    if go:
        freed = str(by_host.at[pick, "gives_up_slot_id"])
        changed = saved[["slot_id", "host_id", "locked", "assistant_ids"]].copy()
        changed.loc[changed["slot_id"] == slot_id, "host_id"] = pick
        if freed:
            changed.loc[changed["slot_id"] == freed, ["host_id", "locked"]] = ["", False]
        before = dict(zip(rows["slot_id"], rows["host_id"])).get(slot_id, "")
        was = f" instead of {names.get(before, before)}" if before else ""
        give(changed, f"Slot {slot_id} now goes to {names.get(pick, pick)}{was}"
                      + (f"; {freed} is left dark for cover." if freed else "."))


def _first_to_cover(ids: list[str], rows: pd.DataFrame, conflicts: Sequence[Violation]) -> str | None:
    """The slot to offer first: one whose host breaks a rule now, else the first dark one."""
    broken = [v.slot_id for v in conflicts if v.slot_id in ids]
    if broken:
        return broken[0]
    staffed = set(rows.loc[rows["host_id"] != "", "slot_id"])
    return next((s for s in ids if s not in staffed), None)


def _slot_labels(studio: Studio, rows: pd.DataFrame, names: Mapping[str, str]) -> dict[str, str]:
    host_of = dict(zip(rows["slot_id"], rows["host_id"]))
    person = labeller(names, nobody="dark")
    slots = studio.slots
    return {s: f"{c} · {t:%a %d %b %H:%M} · {tier} · {person(host_of.get(s, ''))} ({s})"
            for s, c, t, tier in zip(slots["slot_id"], slots["channel"], slots["start"], slots["product_tier"])}


def _money(*columns: str) -> dict:
    return {c: st.column_config.NumberColumn(c, format="%.2f") for c in columns}
