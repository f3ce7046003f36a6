"""A person as every picker, chart and caption of the dashboard names them (see contract.people)."""
from __future__ import annotations

from collections.abc import Callable, Mapping

from contract.people import person_label


def labeller(names: Mapping[str, str], nobody: str = "") -> Callable[[str], str]:
    """A picker's `format_func` for person ids: 'Ana Ruiz (H003)', and `nobody` for the empty choice."""
    return lambda person_id: person_label(person_id, names.get(person_id)) if person_id else nobody


def by_name(person_ids, names: Mapping[str, str]) -> list[str]:
    """The ids in the order people look them up: by name, then by id for namesakes."""
    return sorted(person_ids, key=lambda person_id: (names.get(person_id, person_id), person_id))
