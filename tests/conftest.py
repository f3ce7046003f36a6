"""Shared fixtures: the sample studio as files and as a seeded store for the dashboard tests."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data" / "studio"


@pytest.fixture(scope="session")
def seeded_store_file(tmp_path_factory) -> Path:
    """A SQLite store seeded from the sample studio once per test run (seeding takes a few seconds)."""
    from store import open_seeded

    path = tmp_path_factory.mktemp("store") / "studio.db"
    open_seeded(f"sqlite:///{path}", SAMPLE).engine.dispose()
    return path


@pytest.fixture
def app_store(seeded_store_file, tmp_path, monkeypatch) -> Path:
    """A private copy of the seeded store for one dashboard test, with the app's caches emptied."""
    import streamlit as st

    path = tmp_path / "studio.db"
    shutil.copy(seeded_store_file, path)
    monkeypatch.setenv("STUDIO_DB_PATH", str(path))
    monkeypatch.delenv("STUDIO_DATABASE_URL", raising=False)
    monkeypatch.setenv("STUDIO_SIGN_IN", "off")
    st.cache_resource.clear()
    st.cache_data.clear()
    yield path
    st.cache_resource.clear()
    st.cache_data.clear()
