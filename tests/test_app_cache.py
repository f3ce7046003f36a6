"""The dashboard's one cache helper (ui.cache.versioned): keyed on the data version and the studio's settings,
one version throughout a computation, and one cache per function."""
from __future__ import annotations

import pytest
import streamlit as st

import ui.cache
from store.settings import StudioSettings
from ui.cache import data_version, versioned


@pytest.fixture
def version(monkeypatch) -> list[tuple]:
    """The store's version as the test sets it (the last item), and settings that never change."""
    versions = [("sqlite:///studio.db", 1)]
    monkeypatch.setattr(ui.cache._versions, "get", lambda: versions[-1])
    monkeypatch.setattr(ui.cache, "studio_settings", lambda: StudioSettings("Studio", "UTC", "USD"))
    st.cache_data.clear()
    st.cache_resource.clear()
    yield versions
    st.cache_data.clear()
    st.cache_resource.clear()


def test_a_result_is_computed_once_per_data_version(version):
    runs = []

    @versioned(show_spinner=False)
    def square(x: int, power: int = 2) -> int:
        runs.append(x)
        return x ** power

    assert (square(3), square(3), square(3, 2), square(x=3)) == (9, 9, 9, 9)
    assert runs == [3]
    version.append(("sqlite:///studio.db", 2))  # an import
    assert square(3) == 9
    assert runs == [3, 3]


def test_a_computation_reads_one_version_throughout(version):
    @versioned(show_spinner=False)
    def seen() -> tuple:
        version.append(("sqlite:///studio.db", 2))  # an import lands while the computation runs
        return data_version()

    assert seen()[:2] == ("sqlite:///studio.db", 1)
    assert data_version()[:2] == ("sqlite:///studio.db", 2)


def test_a_computation_of_some_tables_is_kept_when_another_table_changes_or_a_week_is_published(version):
    version[-1] = ("sqlite:///studio.db", ("hosts", 1), ("sessions", 1), ("availability_exceptions", 1))
    runs = []

    @versioned(show_spinner=False, tables=("hosts", "sessions"))
    def scorecard() -> tuple:
        runs.append(data_version())
        return data_version()

    first = scorecard()
    version.append(("sqlite:///studio.db", ("hosts", 1), ("sessions", 1), ("availability_exceptions", 2)))
    ui.cache.schedules_published()
    assert scorecard() == first and len(runs) == 1  # time off recorded, a week published: kept
    assert data_version() != first
    version.append(("sqlite:///studio.db", ("hosts", 1), ("sessions", 2), ("availability_exceptions", 2)))
    assert scorecard()[2] == ("sessions", 2) and len(runs) == 2  # sessions imported: computed again
    version.append(("sqlite:///other.db", ("hosts", 1), ("sessions", 2), ("availability_exceptions", 2)))
    assert scorecard()[0] == "sqlite:///other.db" and len(runs) == 3  # another store: never served


def test_two_functions_keep_their_own_caches_and_underscore_arguments_are_not_hashed(version):
    @versioned(show_spinner=False)
    def first(_thing: object) -> str:
        return "first"

    @versioned(show_spinner=False)
    def second(_thing: object) -> str:
        return "second"

    unhashable = type("Unhashable", (), {"__reduce__": lambda self: (_ for _ in ()).throw(TypeError("no"))})()
    assert (first(unhashable), second(unhashable)) == ("first", "second")
