"""Deployment defaults: local mode only on 127.0.0.1, an owner-only database file."""
from __future__ import annotations

import os
import stat
import tomllib
from pathlib import Path

import pytest
from streamlit import config
from streamlit.testing.v1 import AppTest

from store import open_store
from ui.auth import needs_sign_in, only_this_machine

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("address, expected", [
    ("127.0.0.1", True), ("127.0.0.2", True), ("::1", True), ("localhost", True), (" LocalHost ", True),
    (None, False), ("", False), ("0.0.0.0", False), ("::", False), ("192.168.1.20", False),
    ("studio.local", False)])
def test_only_loopback_addresses_count_as_this_machine(address, expected):
    assert only_this_machine(address) is expected


@pytest.mark.parametrize("address, forced, has_users, expected", [
    ("127.0.0.1", "", False, False), ("127.0.0.1", "", True, True), ("127.0.0.1", "on", False, True),
    ("127.0.0.1", "OFF", True, False), ("0.0.0.0", "off", False, True), (None, "", False, True),
    ("10.0.0.5", "false", True, True)])
def test_local_mode_is_offered_only_on_this_machine(address, forced, has_users, expected):
    assert needs_sign_in(address, forced, has_users) is expected


def test_the_shipped_config_listens_on_this_machine_only():
    settings = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert only_this_machine(settings["server"]["address"])


@pytest.fixture
def listening_everywhere():
    before = config.get_option("server.address")
    config.set_option("server.address", "0.0.0.0")
    yield
    config.set_option("server.address", before)


def test_a_server_on_every_address_asks_for_sign_in_even_when_it_is_switched_off(app_store, listening_everywhere):
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    app.run()  # app_store sets STUDIO_SIGN_IN=off and the store holds no user
    assert not app.exception
    assert [b.label for b in app.button] == ["Sign in"] and app.get("file_uploader") == []
    assert any("reached from other machines" in c.value for c in app.caption)
    assert any("add the first admin" in i.value for i in app.info)


def test_a_new_database_file_is_readable_by_its_owner_only(tmp_path):
    mask = os.umask(0o022)
    try:
        store = open_store(f"sqlite:///{tmp_path / 'studio.db'}")
        store.users.add_user("ana", "associate", "s3cret-pass")
        modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in tmp_path.iterdir()}
        store.engine.dispose()
    finally:
        os.umask(mask)
    assert "studio.db" in modes and set(modes.values()) == {0o600}, modes
