"""Sign-in: guessing meets a growing delay and a lock, unknown users cost what known ones cost, and a
removed or demoted user loses their rights on their next run."""
from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import bcrypt
import pytest
from streamlit.testing.v1 import AppTest
from test_store import postgres_url, store_url  # noqa: F401  (fixtures)

import store.users
from store import open_store
from store.users import LOCK_AFTER, LOCK_PERIOD, SignIn, Users, wait_after
from ui.auth import refusal

ROOT = Path(__file__).resolve().parents[1]
START = datetime(2026, 12, 1, 9, 0)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now

    def wait(self, **delta) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clocked(store_url, monkeypatch):
    """Users of a fresh store on a clock the test moves; bcrypt at its cheapest cost to keep the test quick."""
    monkeypatch.setattr(store.users, "ROUNDS", 4)
    opened = open_store(store_url)
    clock = Clock()
    people = Users(opened.engine, clock=clock)
    people.add_user("ana", "associate", "right-password")
    yield people, clock
    opened.engine.dispose()


def test_the_wait_grows_after_three_wrong_passwords_and_ends_in_a_lock():
    waits = [wait_after(n).total_seconds() for n in range(1, LOCK_AFTER + 1)]
    assert waits == [0, 0, 0, 2, 4, 8, 16, 32, 64, 15 * 60]


@pytest.mark.parametrize("name", ["ana", "nobody"])
def test_wrong_passwords_lock_a_user_name_known_or_not(clocked, name):
    people, clock = clocked
    for failure in range(1, LOCK_AFTER + 1):
        result = people.sign_in(name, "guess")
        assert result.role is None and result.checked
        wait = wait_after(failure)
        assert result.next_try_at == (clock.now + wait if wait else None)
        assert result.locked == (failure == LOCK_AFTER)
        if failure < LOCK_AFTER:
            clock.wait(seconds=wait.total_seconds())
    clock.wait(minutes=14, seconds=59)
    refused = people.sign_in(name, "right-password")
    assert refused.role is None and not refused.checked and refused.locked
    clock.wait(seconds=1)
    assert people.sign_in(name, "right-password").role == ("associate" if name == "ana" else None)


def test_a_try_before_the_wait_is_over_is_refused_unchecked_even_with_the_right_password(clocked):
    people, clock = clocked
    for _ in range(4):
        people.sign_in("ana", "guess")
    clock.wait(seconds=1)
    early = people.sign_in("ana", "right-password")
    assert early == SignIn(None, clock.now + timedelta(seconds=1), checked=False)
    clock.wait(seconds=1)
    assert people.sign_in("ana", "right-password").role == "associate"


def test_a_right_password_or_a_reset_clears_the_wrong_ones(clocked):
    people, clock = clocked
    for _ in range(3):
        people.sign_in("ana", "guess")
    assert people.sign_in("ana", "right-password").role == "associate"
    assert people.sign_in("ana", "guess").next_try_at is None  # counting starts again at one
    for _ in range(LOCK_AFTER):
        people.sign_in("ana", "guess")
        clock.wait(minutes=2)
    assert people.sign_in("ana", "right-password").locked
    people.set_password("ana", "new-password")
    assert people.sign_in("ana", "new-password").role == "associate"


def test_wrong_passwords_are_forgotten_once_the_lock_period_has_passed(clocked):
    people, clock = clocked
    for _ in range(3):
        people.sign_in("ana", "guess")
    clock.wait(seconds=LOCK_PERIOD.total_seconds())
    assert people.sign_in("ana", "guess").next_try_at is None


def test_an_unknown_user_costs_the_same_bcrypt_rounds_as_a_known_one(tmp_path, monkeypatch):
    people = open_store(f"sqlite:///{tmp_path / 'studio.db'}").users
    people.add_user("ana", "associate", "right-password")
    checked = []
    monkeypatch.setattr(bcrypt, "checkpw", lambda password, hashed: checked.append(hashed) or False)
    people.sign_in("ana", "guess")
    people.sign_in("nobody", "guess")
    rounds = [int(hashed.split(b"$")[2]) for hashed in checked]
    assert rounds == [12, 12]


def test_a_refusal_says_how_long_to_wait_and_never_whether_the_user_exists():
    now = START
    assert refusal(SignIn(None), now) == ("That user name and password do not match. "
                                          "Ask your admin to reset your password.")
    assert refusal(SignIn(None, now + timedelta(seconds=4)), now) == (
        "That user name and password do not match. Wait 4 s before the next try.")
    assert refusal(SignIn(None, now + timedelta(seconds=1.5), checked=False), now) == (
        "Too soon after a wrong password. Wait 2 s before the next try.")
    assert refusal(SignIn(None, now + LOCK_PERIOD, checked=False, locked=True), now).startswith(
        "Too many wrong passwords: this user name is locked until 09:15.")


def _signed_in(app_store, monkeypatch, name: str, role: str) -> tuple[AppTest, Users]:
    people = open_store(f"sqlite:///{app_store}").users
    people.add_user(name, role, "s3cret-pass")
    monkeypatch.setenv("STUDIO_SIGN_IN", "on")
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    app.run()
    app.text_input(key="sign_in_user").set_value(name)
    app.text_input(key="sign_in_password").set_value("s3cret-pass")
    app.button[0].click().run()
    assert not app.exception and app.title[0].value != "Livestream Ops"
    return app, people


def test_a_removed_user_is_signed_out_on_their_next_run(app_store, monkeypatch):
    app, people = _signed_in(app_store, monkeypatch, "ana", "associate")
    people.add_user("root", "admin", "s3cret-pass")
    people.remove_user("ana")
    app.run()
    assert not app.exception
    assert [b.label for b in app.button] == ["Sign in"] and app.get("file_uploader") == []
    assert any("the user 'ana' no longer exists" in w.value for w in app.warning)


def test_a_disabled_user_is_signed_out_on_their_next_run_and_cannot_sign_in_until_enabled(app_store, monkeypatch):
    app, people = _signed_in(app_store, monkeypatch, "ana", "associate")
    people.add_user("root", "admin", "s3cret-pass")
    people.set_disabled("ana", True, "root")
    app.run()
    assert not app.exception and [b.label for b in app.button] == ["Sign in"]
    assert any("the user 'ana' is disabled" in w.value for w in app.warning)
    app.text_input(key="sign_in_user").set_value("ana")
    app.text_input(key="sign_in_password").set_value("s3cret-pass")
    app.button[0].click().run()
    assert [e.value for e in app.error] == ["This user is disabled. Ask your admin to enable it again."]
    people.set_disabled("ana", False, "root")
    app.button[0].click().run()
    assert not app.exception and app.title[0].value != "Livestream Ops"


def test_a_demoted_admin_loses_editing_and_imports_on_the_next_run(app_store, monkeypatch):
    app, people = _signed_in(app_store, monkeypatch, "bo", "admin")
    app.switch_page("ui/pages/schedule.py").run()
    assert not app.button(key="plan_week").disabled
    people.add_user("root", "admin", "s3cret-pass")
    people.set_role("bo", "leadership")
    app.run()
    assert not app.exception and app.button(key="plan_week").disabled
    with pytest.raises(ValueError, match="Could not find a navigation page"):  # the Data page is gone for them
        app.switch_page("ui/pages/data.py")


def test_an_admin_disables_and_enables_a_user_on_the_settings_page(app_store, monkeypatch):
    app, people = _signed_in(app_store, monkeypatch, "root", "admin")
    people.add_user("ana", "associate", "s3cret-pass")
    app.switch_page("ui/pages/settings.py").run()
    app.selectbox(key="manage_user").select("ana").run()
    assert app.button(key="disable_user").label == "Disable ana"
    app.button(key="disable_user").click().run()
    assert not app.exception and people.is_disabled("ana") and people.role_of("ana") is None
    assert app.button(key="disable_user").label == "Enable ana"
    app.button(key="disable_user").click().run()
    assert people.role_of("ana") == "associate"
