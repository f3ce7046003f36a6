"""Assistants: up to assistants_needed production assistants per slot, and only on a slot that has a host.

Among rules 1-3 an assistant obeys availability only (see scheduler.rules.assistant_ok)."""
from __future__ import annotations

from collections import defaultdict

from scheduler.cpsat import Linear, ScheduleModel, add_bounds
from scheduler.rules.availability import AVAILABILITY
from scheduler.rules.base import Checked, HardRule, Violation, violation
from scheduler.rules.role import ROLE
from scheduler.settings import Settings
from scheduler.studio import Studio


class Assistants(HardRule):
    name = "assistants"
    label = "assistants"

    def add_to(self, model: ScheduleModel, studio: Studio, settings: Settings) -> None:
        """Per slot: assistants <= assistants_needed x hosts (0 or 1)."""
        needed = studio.slots["assistants_needed"].to_numpy()
        by_slot: dict[int, list[int]] = defaultdict(list)
        for (s, _), var in model.assistants.items():
            by_slot[s].append(var)
        for slot, assistants in by_slot.items():
            hosts = model.hosts_of_slot.get(slot, [])
            linear = Linear.of([*assistants, *hosts], [1] * len(assistants) + [-int(needed[slot])] * len(hosts))
            add_bounds(model.cp, linear, high=0)

    def violations(self, checked: Checked) -> list[Violation]:
        """Per assistant position, the first thing wrong: a host in it, an unavailable assistant, a slot
        without a host, or more assistants than the slot needs."""
        if checked.assistants is None:
            return []
        studio = checked.studio
        staffed = {slot for slot, _ in checked.hosts}
        available = checked.elig.allows(AVAILABILITY)
        needed = studio.slots["assistants_needed"].to_numpy()
        count: dict[int, int] = defaultdict(int)
        found = []
        for slot, person in checked.assistants:
            count[slot] += 1
            if not studio.is_assistant[person]:
                text, label = "a host cannot fill an assistant position", ROLE.label
            elif not available[slot, person]:
                text, label = "the assistant is not available then", AVAILABILITY.label
            elif slot not in staffed:
                text, label = "the slot has no host, so it needs no assistant", self.label
            elif count[slot] > needed[slot]:
                text, label = f"the slot needs {needed[slot]} assistant(s)", self.label
            else:
                continue
            found.append(violation(studio, slot, person, text, label))
        return found


ASSISTANTS = Assistants()
