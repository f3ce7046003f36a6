"""What each slot of a plan is expected to sell, and who could cover one slot, best first.

Each slot's expected GMV is the one the optimiser uses: typed in slots.csv, or forecast for an average host;
times a host's fit, it is what that host is expected to sell there.

Who could cover a slot: the hosts who may take it without breaking a hard rule.
A call-out leaves a slot open, or an open slot is offered. Every host the pair rules allow (role, availability,
tier, category, language) is asked, given the rest of the plan, whether every person rule lets them take the slot
on top of what they hold. A host held back only by one of their own slots may still cover by giving that slot up
(it then needs cover itself); a host held back by more, or by the slot alone, is not listed.

Candidates are ranked by what each is expected to sell in the slot (the slot's expected GMV, typed or forecast,
times the host's fit there: the same numbers the optimiser maximises), then by what they cost. The slot's own
host is the one being replaced: they are not a candidate, and a lock on the slot is lifted with them.

Who could take an assistant's place on a slot (`cover_assistant`): the assistants with whom, in place of the one
leaving, the plan breaks no hard rule it did not break already. They are ranked without expected GMV, since the
forecast learns what hosts add and an assistant changes nothing in what a slot is expected to sell: first those
still short of the hours they were promised (taking the slot keeps a promise), then by pay, then by the most
hours left under their weekly cap. An assistant held back by a slot of their own is not listed (an assistant
position is filled, not traded).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from contract import DataError, Problem
from scheduler.check import check_assignments
from scheduler.fit import fit_matrix
from scheduler.model import pay_cents, tier_weights
from scheduler.rules import PERSON_RULES, Held, eligibility, may_take
from scheduler.settings import Settings
from scheduler.studio import Studio

COLUMNS = ["rank", "host_id", "name", "expected_gmv", "pay", "week_hours_after", "gives_up_slot_id"]
ASSISTANT_DETAILS = ["week_hours_before", "max_hours_per_week", "min_hours_per_week", "what_changes"]
DETAILS = ["effect", "week_hours_before", "max_hours_per_week", "min_hours_per_week", "pay_change",
           "gives_up_product_tier", "gives_up_expected_gmv", "what_changes"]


def cover(studio: Studio, plan: pd.DataFrame, slot_id: str, settings: Settings = Settings(),
          top: int | None = None, plan_file: str = "assignments.csv") -> pd.DataFrame:
    """One row per host who could take `slot_id` given the rest of `plan` (slot_id, host_id), best first:
    COLUMNS, then DETAILS (what the choice changes: hours against the cap and the promised minimum, pay, the
    slot given up). `top` keeps the first N. Bad input is a DataError naming the file, row and column."""
    slot = _slot_row(studio, slot_id)
    host_of = _read_plan(studio, plan, plan_file)
    held = Held(studio, settings)
    for other, person in host_of.items():
        if other != slot:
            held.place(other, person)
    fit = fit_matrix(studio, settings)
    gmv = float(studio.slots.at[slot, "expected_gmv"]) * fit[slot]
    eligible = eligibility(studio, settings).host_ok[slot].copy()
    if slot in host_of:
        eligible[host_of[slot]] = False
    rows = []
    for person in np.flatnonzero(eligible).tolist():
        legal, given_up = _may_cover(studio, settings, held, fit, slot, person)
        if legal:
            rows.append(_candidate(studio, held, fit, slot, person, given_up, gmv[person]))
    return _ranked(rows, top)


def cover_assistant(studio: Studio, plan: pd.DataFrame, assistants: pd.DataFrame, slot_id: str, leaving: str,
                    settings: Settings = Settings(), top: int | None = None, plan_file: str = "assignments.csv",
                    assistants_file: str = "assistants.csv") -> pd.DataFrame:
    """One row per assistant who could take `leaving`'s place on `slot_id` given the rest of `plan` (slot_id,
    host_id) and `assistants` (slot_id, assistant_id), best first (see the module): COLUMNS (expected_gmv is
    the slot's, whoever assists; gives_up_slot_id is always empty), then ASSISTANT_DETAILS. Bad input is a
    DataError naming the file, row and column."""
    slot = _slot_row(studio, slot_id)
    _read_plan(studio, plan, plan_file)
    plan = plan[["slot_id", "host_id"]].fillna("").astype("str")
    helpers = _read_assistants(studio, assistants, slot_id, leaving, assistants_file)
    known = _broken(check_assignments(studio, plan, settings, assistants=helpers))
    others = helpers.loc[~((helpers["slot_id"] == slot_id) & (helpers["assistant_id"] == leaving))]
    staffed = set(plan.loc[plan["slot_id"] == slot_id, "host_id"]) | set(
        helpers.loc[helpers["slot_id"] == slot_id, "assistant_id"])
    rows = []
    for person in np.flatnonzero(studio.is_assistant).tolist():
        person_id = str(studio.hosts.at[person, "host_id"])
        if person_id in staffed:
            continue
        after = pd.concat([others, pd.DataFrame({"slot_id": [slot_id], "assistant_id": [person_id]})],
                          ignore_index=True)
        if _broken(check_assignments(studio, plan, settings, assistants=after)) <= known:
            rows.append(_assistant_candidate(studio, plan, others, slot, person))
    frame = pd.DataFrame(rows, columns=COLUMNS[1:] + ASSISTANT_DETAILS + ["short"])
    frame = frame.assign(room=frame["max_hours_per_week"] - frame["week_hours_after"]).sort_values(
        ["short", "pay", "room", "host_id"], ascending=[False, True, False, True], kind="stable")
    frame = frame.head(top) if top is not None else frame
    return frame.reset_index(drop=True).assign(rank=lambda f: np.arange(1, len(f) + 1))[COLUMNS + ASSISTANT_DETAILS]


def _broken(found: list) -> set[tuple[str, str, str]]:
    return {(v.slot_id, v.host_id, v.rule) for v in found}


def _read_assistants(studio: Studio, assistants: pd.DataFrame, slot_id: str, leaving: str,
                     assistants_file: str) -> pd.DataFrame:
    """The assistants file as (slot_id, assistant_id) text, which must hold `leaving` on `slot_id`."""
    missing = sorted({"slot_id", "assistant_id"} - set(assistants.columns))
    if missing:
        raise DataError([Problem(assistants_file, None, ", ".join(missing), "required column(s) missing")])
    helpers = assistants[["slot_id", "assistant_id"]].fillna("").astype("str").apply(lambda c: c.str.strip())
    if not ((helpers["slot_id"] == slot_id) & (helpers["assistant_id"] == leaving)).any():
        raise DataError([Problem(assistants_file, None, "assistant_id",
                                 f"{studio.host_label(leaving)} does not assist slot {slot_id}")])
    return helpers


def _assistant_candidate(studio: Studio, plan: pd.DataFrame, others: pd.DataFrame, slot: int, person: int) -> dict:
    """What choosing this assistant changes: their hours in the slot's week (hosting and assisting) and pay."""
    hosts, slots, times = studio.hosts, studio.slots, studio.times
    person_id = str(hosts.at[person, "host_id"])
    theirs = set(plan.loc[plan["host_id"] == person_id, "slot_id"]) | set(
        others.loc[others["assistant_id"] == person_id, "slot_id"])
    week = times.week[slot]
    in_week = [row for row, sid in enumerate(slots["slot_id"].astype("str")) if sid in theirs
               and times.week[row] == week]
    before = int(times.minutes[in_week].sum()) / 60
    after = before + int(times.minutes[slot]) / 60
    promised = float(hosts.at[person, "min_hours_per_week"])
    pay = float(pay_cents(studio, np.ones((len(slots), len(hosts))), slot, person)) / 100
    row: dict = {"host_id": person_id, "name": str(hosts.at[person, "name"]),
                 "expected_gmv": round(float(slots.at[slot, "expected_gmv"]), 2), "pay": round(pay, 2),
                 "week_hours_after": round(after, 2), "gives_up_slot_id": "",
                 "week_hours_before": round(before, 2),
                 "max_hours_per_week": float(hosts.at[person, "max_hours_per_week"]), "min_hours_per_week": promised,
                 "pay_change": round(pay, 2), "short": before < promised}
    return {**row, "what_changes": what_changes(row, str(week), studio.host_label(person_id))}


def slot_forecasts(studio: Studio, plan: pd.DataFrame, settings: Settings = Settings(),
                   plan_file: str = "assignments.csv") -> pd.DataFrame:
    """One row per slot: slot_id; forecast, low and high (what the forecast expects an average host to sell
    there, with the 80 % range of one stream; 0 without results); expected_gmv (the value the plan uses) and
    typed (whether slots.csv gave it rather than the forecast); host_id of the plan ("" for a dark slot) and
    host_expected_gmv (expected_gmv times that host's fit: what the host is expected to sell there)."""
    host_of = _read_plan(studio, plan, plan_file)
    slots = studio.slots
    forecast = studio.forecast.slot_values(slots)
    fit = fit_matrix(studio, settings)
    expected = slots["expected_gmv"].to_numpy(dtype=float)
    people = [host_of.get(slot) for slot in range(len(slots))]
    with_host = [np.nan if p is None else expected[s] * fit[s, p] for s, p in enumerate(people)]
    return pd.DataFrame({"slot_id": slots["slot_id"].astype("str").to_numpy(),
                         "forecast": forecast["expected_gmv"].round(2).to_numpy(),
                         "low": forecast["low"].round(2).to_numpy(), "high": forecast["high"].round(2).to_numpy(),
                         "expected_gmv": expected.round(2), "typed": ~slots["gmv_forecast"].to_numpy(dtype=bool),
                         "host_id": ["" if p is None else str(studio.hosts.at[p, "host_id"]) for p in people],
                         "host_expected_gmv": np.round(with_host, 2)})


def _slot_row(studio: Studio, slot_id: str) -> int:
    ids = studio.slots["slot_id"].astype("str")
    found = np.flatnonzero(ids.to_numpy() == str(slot_id).strip())
    if not len(found):
        raise DataError([Problem("slots.csv", None, "slot_id", f"slot {slot_id} is not in slots.csv")])
    return int(found[0])


def _read_plan(studio: Studio, plan: pd.DataFrame, plan_file: str) -> dict[int, int]:
    """The plan's staffed slots (slot row -> person row); an unknown slot or host, or a slot listed twice, is a
    problem naming its row."""
    missing = sorted({"slot_id", "host_id"} - set(plan.columns))
    if missing:
        raise DataError([Problem(plan_file, None, ", ".join(missing), "required column(s) missing")])
    slot_row = {s: i for i, s in enumerate(studio.slots["slot_id"].astype("str"))}
    problems: list[Problem] = []
    host_of: dict[int, int] = {}
    seen: set[str] = set()
    cells = zip(plan["slot_id"].fillna("").astype("str"), plan["host_id"].fillna("").astype("str"))
    for line, (slot_id, host_id) in enumerate(cells, start=2):
        slot_id, host_id = slot_id.strip(), host_id.strip()
        if slot_id not in slot_row:
            problems.append(Problem(plan_file, line, "slot_id", f"slot '{slot_id}' is not in slots.csv"))
        elif slot_id in seen:
            problems.append(Problem(plan_file, line, "slot_id", f"slot {slot_id} is listed twice"))
        elif host_id and host_id not in studio.host_index:
            problems.append(Problem(plan_file, line, "host_id", f"host '{host_id}' is not in hosts.csv"))
        elif host_id:
            host_of[slot_row[slot_id]] = studio.host_index[host_id]
        seen.add(slot_id)
    if problems:
        raise DataError(problems)
    return host_of


def _may_cover(studio: Studio, settings: Settings, held: Held, fit: np.ndarray, slot: int,
               person: int) -> tuple[bool, int | None]:
    """Whether the person may take the slot on top of their plan, and the one slot of theirs they must give up
    for it (None: nothing). Among several such slots, the one whose loss costs least coverage, then GMV."""
    blocking: set[int] = set()
    for rule in PERSON_RULES:  # the blockers are slots the person holds in the plan
        found = rule.blockers(held, slot, person)
        if found is not None and not found:
            return False, None  # the slot alone is too much for them
        blocking.update(found or ())
    if not blocking:
        return True, None
    locked = studio.slots["locked_host_id"].str.strip()
    host_id = studio.hosts.at[person, "host_id"]
    weights = tier_weights(studio, settings)
    gmv = studio.slots["expected_gmv"].to_numpy(dtype=float)
    options = []
    for other in sorted(blocking):
        if locked.iat[other] == host_id:
            continue  # a lock keeps them there
        held.remove(other, person)
        if may_take(held, slot, person):
            options.append((weights[other], gmv[other] * fit[other, person], other))
        held.place(other, person)
    return (True, min(options)[2]) if options else (False, None)


def _candidate(studio: Studio, held: Held, fit: np.ndarray, slot: int, person: int, given_up: int | None,
               expected: float) -> dict:
    """What choosing this person changes: the row of the ranking."""
    hosts, slots, times = studio.hosts, studio.slots, held.times
    week = times.week[slot]
    before = held.week_minutes.get((person, week), 0)
    after = before + times.minutes[slot] - (times.minutes[given_up] if given_up is not None
                                           and times.week[given_up] == week else 0)
    pay = float(pay_cents(studio, fit, slot, person)) / 100
    lost_pay = 0.0 if given_up is None else float(pay_cents(studio, fit, given_up, person)) / 100
    lost_gmv = 0.0 if given_up is None else float(slots.at[given_up, "expected_gmv"] * fit[given_up, person])
    host_id = str(hosts.at[person, "host_id"])
    row: dict = {"host_id": host_id, "name": str(hosts.at[person, "name"]),
           "expected_gmv": round(expected, 2), "pay": round(pay, 2), "week_hours_after": round(after / 60, 2),
           "gives_up_slot_id": "" if given_up is None else str(slots.at[given_up, "slot_id"]),
           "effect": round(float(fit[slot, person]), 3), "week_hours_before": round(before / 60, 2),
           "max_hours_per_week": float(hosts.at[person, "max_hours_per_week"]),
           "min_hours_per_week": float(hosts.at[person, "min_hours_per_week"]),
           "pay_change": round(pay - lost_pay, 2),
           "gives_up_product_tier": "" if given_up is None else str(slots.at[given_up, "product_tier"]),
           "gives_up_expected_gmv": round(lost_gmv, 2)}
    return {**row, "what_changes": what_changes(row, week, studio.host_label(host_id))}


def what_changes(row: dict, week: str, who: str) -> str:
    """'Ana Ruiz (H003): 12 → 14 h in 2026-W49 (cap 20 h, promised 10 h: now met); pay $140.00; gives up S7
    (core, 800.00 expected), which then needs cover': a candidate in words."""
    cap, promised = row["max_hours_per_week"], row["min_hours_per_week"]
    hours = f"{row['week_hours_before']:g} → {row['week_hours_after']:g} h in {week} (cap {cap:g} h"
    if promised > 0:
        met = row["week_hours_after"] >= promised
        hours += f", promised {promised:g} h: {'met' if met else 'still short'}"
    text = f"{who}: {hours}); pay {row['pay']:.2f}"
    if row["gives_up_slot_id"]:
        text += (f" (net {row['pay_change']:+.2f} after giving up {row['gives_up_slot_id']}); gives up "
                 f"{row['gives_up_slot_id']} ({row['gives_up_product_tier']}, {row['gives_up_expected_gmv']:.2f} "
                 "expected), which then needs cover")
    return text


def _ranked(rows: list[dict], top: int | None) -> pd.DataFrame:
    """Best first: expected GMV (more), then pay (less), then host id, so ties read the same every time."""
    frame = pd.DataFrame(rows, columns=COLUMNS[1:] + DETAILS)
    frame = frame.sort_values(["expected_gmv", "pay", "host_id"], ascending=[False, True, True], kind="stable")
    frame = frame.head(top) if top is not None else frame
    return frame.reset_index(drop=True).assign(rank=lambda f: np.arange(1, len(f) + 1))[COLUMNS + DETAILS]
