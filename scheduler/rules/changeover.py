"""Rule 4: one person's slots do not overlap and leave the changeover between them."""
from __future__ import annotations

import numpy as np

from scheduler.cpsat import ScheduleModel, at_most_one
from scheduler.rules.spacing import Spacing
from scheduler.settings import Settings
from scheduler.studio import Studio


class Changeover(Spacing):
    name = "changeover"
    label = "rule 4: no overlap and changeover"

    def too_close(self, seconds: int, same_day: bool, settings: Settings) -> bool:
        return seconds < settings.changeover_seconds

    def add_to(self, model: ScheduleModel, studio: Studio, settings: Settings) -> None:
        """Per person, at most one slot of each clique of slots closer than the changeover."""
        times = studio.times
        for clique in cliques(times.start, times.end, settings.changeover_seconds):
            members = model.has[clique]
            for person in np.flatnonzero(members.sum(axis=0) > 1).tolist():
                slots = model.by_person[person]
                at_most_one(model.cp, [slots[s] for s in clique[members[:, person]].tolist()])

    def held_back(self, settings: Settings) -> str:
        return f"streaming an overlapping slot or one within the {settings.changeover_minutes} min changeover"


def cliques(start: np.ndarray, end: np.ndarray, changeover: int) -> list[np.ndarray]:
    """The rule as maximal cliques: slots whose [start, end + changeover) intervals share a moment.

    Two slots clash exactly when these stretched intervals overlap, and on an interval graph the maximal
    cliques (found by one sweep) cover every clashing pair with far fewer constraints.
    """
    stretched_end = end + changeover
    events = sorted([(int(s), 1, i) for i, s in enumerate(start)]
                    + [(int(e), 0, i) for i, e in enumerate(stretched_end)])
    active: set[int] = set()
    found: list[np.ndarray] = []
    grew = False
    for _, is_start, slot in events:  # ends sort before starts at the same moment: touching is no clash
        if is_start:
            active.add(slot)
            grew = True
        else:
            if grew and len(active) > 1:
                found.append(np.array(sorted(active)))
            grew = False
            active.discard(slot)
    return found


CHANGEOVER = Changeover()
