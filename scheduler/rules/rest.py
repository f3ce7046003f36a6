"""Rule 5: between slots starting on different days, a person has the overnight rest.

A pair already too close for rule 4 is rule 4's, so each clash is reported once."""
from __future__ import annotations

import numpy as np

from scheduler.cpsat import ScheduleModel, not_both
from scheduler.rules.spacing import Spacing
from scheduler.settings import Settings
from scheduler.studio import SlotTimes, Studio


class Rest(Spacing):
    name = "rest"
    label = "rule 5: overnight rest"

    def too_close(self, seconds: int, same_day: bool, settings: Settings) -> bool:
        return not same_day and settings.changeover_seconds <= seconds < settings.rest_seconds

    def add_to(self, model: ScheduleModel, studio: Studio, settings: Settings) -> None:
        """Two slots starting on different days less than the rest apart: at most one per person."""
        pairs = np.array(short_rests(studio.times, settings), dtype=np.int64).reshape(-1, 2)
        both = model.has[pairs[:, 0]] & model.has[pairs[:, 1]]
        for row, person in zip(*(axis.tolist() for axis in np.nonzero(both))):
            slots = model.by_person[person]
            first, second = pairs[row].tolist()
            not_both(model.cp, slots[first], slots[second])

    def held_back(self, settings: Settings) -> str:
        return f"short of the {settings.overnight_rest_hours:g} h rest between days"


def short_rests(times: SlotTimes, settings: Settings) -> list[tuple[int, int]]:
    """(earlier, later) slots starting on different days with less than the rest between them, leaving out
    pairs rule 4 already forbids; the sweep only looks ahead one rest period."""
    order = np.argsort(times.start, kind="stable")
    starts = times.start[order]
    pairs = []
    for i in order:
        reach = np.searchsorted(starts, times.end[i] + settings.rest_seconds, side="left")
        first = np.searchsorted(starts, times.end[i] + settings.changeover_seconds, side="left")
        for j in order[first:reach]:
            if times.day[j] > times.day[i]:
                pairs.append((int(i), int(j)))
    return pairs


REST = Rest()
