"""How a person is named wherever the studio reads about them: pickers, charts, messages, calendars."""
from __future__ import annotations


def person_label(person_id: str, name: str | None) -> str:
    """'Ana Ruiz (H003)': people look for a name first, and the id tells two people of one name apart.
    The id alone when the name is unknown (a guest not on the roster)."""
    return f"{name} ({person_id})" if name else person_id
