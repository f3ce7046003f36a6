"""Re-planning after a call-out: keep coverage, then change as few assignments as possible."""
from __future__ import annotations

import time
from dataclasses import dataclass

import pandas as pd

from scheduler.cpsat import Linear, ScheduleModel
from scheduler.locks import locked_pairs
from scheduler.settings import Settings
from scheduler.solution import Solution
from scheduler.solver import finish
from scheduler.stages import Progress, Stage, build_instance, coverage_stages, later_stages, run_stages
from scheduler.studio import Studio


@dataclass(frozen=True)
class CallOut:
    """A host who cannot stream from `start` until `end` (None: to the end of the plan, when that is what the
    person said), or only in the slots listed in `slot_ids`. A slot that overlaps the time away is lost to them."""

    host_id: str
    start: pd.Timestamp
    slot_ids: tuple[str, ...] | None = None
    end: pd.Timestamp | None = None

    def __post_init__(self) -> None:
        if self.end is not None and pd.Timestamp(self.end) <= pd.Timestamp(self.start):
            raise ValueError(f"the call-out ends ({self.end:%Y-%m-%d %H:%M}) before it starts "
                             f"({self.start:%Y-%m-%d %H:%M})")


def replan(studio: Studio, previous_assignments: pd.DataFrame, call_out: CallOut, settings: Settings = Settings(),
           time_limit: float = 10.0, seed: int = 0, progress: Progress | None = None,
           previous_assistants: pd.DataFrame | None = None) -> Solution:
    """A new plan without the called-out host; slots that started before call_out.start stay as they were.

    Stages: coverage and assistant positions, then fewest changed assignments (the called-out host's own slots
    do not count), then GMV, shortfall and pay as in solve. The solve starts from the previous plan with every
    assignment that still holds, open slots staffed greedily. `moved` lists the slots whose host changed.
    """
    started = time.monotonic()
    if call_out.host_id not in studio.host_index:
        raise ValueError(f"host {call_out.host_id} is not in hosts.csv")
    frozen = _started_before(studio, call_out.start)
    person = studio.host_index[call_out.host_id]
    called_out = {(s, person) for s in _affected(studio, call_out, frozen)}
    return _fewest_changes(studio, previous_assignments, frozen, called_out, settings, time_limit, seed, progress,
                           previous_assistants, started)


def repair(studio: Studio, previous_assignments: pd.DataFrame, now: pd.Timestamp, settings: Settings = Settings(),
           time_limit: float = 10.0, seed: int = 0, progress: Progress | None = None,
           previous_assistants: pd.DataFrame | None = None) -> Solution:
    """The previous plan made to keep every hard rule of the studio as it is now (time off recorded, the roster
    or a setting changed since it was made), changing as few assignments as possible; slots that started before
    `now` stay as they were. Stages and `moved` as in `replan`."""
    started = time.monotonic()
    return _fewest_changes(studio, previous_assignments, _started_before(studio, now), set(), settings, time_limit,
                           seed, progress, previous_assistants, started)


def _started_before(studio: Studio, moment: pd.Timestamp) -> set[int]:
    return set(map(int, (studio.slots["start"] < pd.Timestamp(moment)).to_numpy().nonzero()[0]))


def _fewest_changes(studio: Studio, previous_assignments: pd.DataFrame, frozen: set[int], called_out: set,
                    settings: Settings, time_limit: float, seed: int, progress: Progress | None,
                    previous_assistants: pd.DataFrame | None, started: float) -> Solution:
    """Solve again from the previous plan: frozen slots keep their host and assistants, `called_out` pairs are
    forbidden, and after coverage the fewest previous assignments change."""
    previous = _previous_hosts(studio, previous_assignments, "host_id")
    locks = {s: p for s, p in locked_pairs(studio).items() if (s, p) not in called_out and s not in frozen}
    locks.update({s: previous[s] for s in frozen if s in previous})
    kept_assistants = set()
    if previous_assistants is not None:
        kept_assistants = {pair for pair in _previous_pairs(studio, previous_assistants, "assistant_id")
                           if pair[0] in frozen}
    empty_frozen = {(s, p) for s in frozen if s not in previous for p in range(len(studio.hosts))}
    keep = set(previous.items())
    if previous_assistants is not None:
        keep |= set(_previous_pairs(studio, previous_assistants, "assistant_id"))
    instance = build_instance(studio, settings, locks, called_out | empty_frozen, kept_assistants, keep)
    changes = _changes(instance.model, previous, called_out, previous_assistants, studio)
    stages = [*coverage_stages(instance), Stage("changed assignments", changes, False, 3, known_bound=0.0),
              *later_stages(instance)]
    results, values = run_stages(instance, stages, time_limit, started, seed, progress)
    plan = finish(instance, results, values, started, called_out)
    plan.moved = _moved(previous_assignments, plan.assignments)
    return plan


def _affected(studio: Studio, call_out: CallOut, frozen: set[int]) -> set[int]:
    """Slots the host can no longer take: the listed ones (or all overlapping the time away), never those
    already started."""
    ids = studio.slots["slot_id"]
    if call_out.slot_ids is None:
        away = studio.slots["end"] > pd.Timestamp(call_out.start)
        if call_out.end is not None:
            away &= studio.slots["start"] < pd.Timestamp(call_out.end)
        return set(map(int, away.to_numpy().nonzero()[0])) - frozen
    unknown = sorted(set(call_out.slot_ids) - set(ids))
    if unknown:
        raise ValueError(f"slot(s) {', '.join(unknown)} not in slots.csv")
    return {int(i) for i in ids[ids.isin(set(call_out.slot_ids))].index} - frozen


def _previous_pairs(studio: Studio, frame: pd.DataFrame, column: str) -> list[tuple[int, int]]:
    """(slot row, person row) of a previous plan; ids unknown to the studio are an error naming the row."""
    slot_row = {s: i for i, s in enumerate(studio.slots["slot_id"])}
    pairs = []
    people = frame[column].fillna("").astype("str")
    for row, (slot_id, host_id) in enumerate(zip(frame["slot_id"].astype("str"), people)):
        if not host_id.strip():
            continue
        if slot_id not in slot_row or host_id not in studio.host_index:
            what = f"slot {slot_id}" if slot_id not in slot_row else f"host {host_id}"
            raise ValueError(f"previous plan, row {row + 2}: {what} is not in the studio's files")
        pairs.append((slot_row[slot_id], studio.host_index[host_id]))
    return pairs


def _previous_hosts(studio: Studio, frame: pd.DataFrame, column: str) -> dict[int, int]:
    return dict(_previous_pairs(studio, frame, column))


def _changes(model: ScheduleModel, previous: dict[int, int], called_out: set, previous_assistants,
             studio: Studio) -> Linear:
    """Count of previous assignments not kept; those the call-out forces to change are not counted."""
    kept = [model.hosts[(s, p)] for s, p in previous.items() if (s, p) not in called_out and (s, p) in model.hosts]
    if previous_assistants is not None:
        kept += [model.assistants[pair] for pair in _previous_pairs(studio, previous_assistants, "assistant_id")
                 if pair in model.assistants]
    return Linear.of(kept, [-1] * len(kept), constant=len(kept))


def _moved(previous: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    old = previous.set_index(previous["slot_id"].astype("str"))["host_id"].fillna("").astype("str")
    merged = new[["slot_id", "host_id"]].rename(columns={"host_id": "new_host_id"})
    merged["old_host_id"] = merged["slot_id"].map(old).fillna("").astype("str")
    changed = merged[merged["old_host_id"] != merged["new_host_id"]]
    return changed[["slot_id", "old_host_id", "new_host_id"]].reset_index(drop=True)
