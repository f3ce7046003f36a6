"""Locks: a slot's locked_host_id (or a position a re-plan freezes) is kept by every plan.

scheduler.locks proves the locks legal before a solve; here they are kept in the model and checked in a plan."""
from __future__ import annotations

from scheduler.cpsat import Linear, ScheduleModel, add_bounds
from scheduler.rules.base import Checked, HardRule, Violation
from scheduler.settings import Settings
from scheduler.studio import Studio


class Lock(HardRule):
    name = "lock"
    label = "lock"

    def add_to(self, model: ScheduleModel, studio: Studio, settings: Settings) -> None:
        for pair in model.locks.items():
            add_bounds(model.cp, Linear.of([model.hosts[pair]], [1]), low=1)
        for pair in model.fixed_assistants:
            add_bounds(model.cp, Linear.of([model.assistants[pair]], [1]), low=1)

    def violations(self, checked: Checked) -> list[Violation]:
        """Every locked slot of slots.csv whose host in the plan is not the locked one."""
        studio = checked.studio
        host_of = dict(checked.hosts)
        found = []
        for slot, locked in studio.slots["locked_host_id"].str.strip().items():
            if locked and studio.host_index.get(locked) != host_of.get(slot):
                slot_id = studio.slots.at[slot, "slot_id"]
                found.append(Violation(str(slot_id), locked, self.label,
                                       f"{slot_id} is locked to {studio.host_label(locked)}; "
                                       f"the plan must keep that host ({self.label})"))
        return found


LOCK = Lock()
