"""One host per slot: a slot is streamed by at most one host."""
from __future__ import annotations

from scheduler.cpsat import ScheduleModel, at_most_one
from scheduler.rules.base import Checked, HardRule, Violation, violation
from scheduler.settings import Settings
from scheduler.studio import Studio


class OneHostPerSlot(HardRule):
    name = "one_host"
    label = "one host per slot"

    def add_to(self, model: ScheduleModel, studio: Studio, settings: Settings) -> None:
        for candidates in model.hosts_of_slot.values():
            at_most_one(model.cp, candidates)

    def violations(self, checked: Checked) -> list[Violation]:
        """Every host of a slot after its first."""
        seen: set[int] = set()
        found = []
        for slot, person in checked.hosts:
            if slot in seen:
                found.append(violation(checked.studio, slot, person, "the slot already has a host", self.label))
            seen.add(slot)
        return found


ONE_HOST_PER_SLOT = OneHostPerSlot()
