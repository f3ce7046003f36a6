"""The app in a real browser: Debian's chromium driven by Playwright against `streamlit run app.py`.

Visits every page as each role, plans a week, imports a file, finds no exception box, saves a
screenshot of each page under screenshots/, and prints the measured render times.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
SHOTS = ROOT / "screenshots"
TITLES = {"schedule": "Schedule", "roster": "Roster", "daily": "Daily scorecard", "weekly": "Weekly scorecard",
          "payroll": "Hours, pay", "run_of_show": "Run-of-show", "clips": "Highlight clips", "data": "Data",
          "settings": "Settings"}
ALL_PAGES = ["schedule", "roster", "daily", "weekly", "payroll", "run_of_show", "clips", "data", "settings"]
LEADERSHIP_PAGES = ["weekly", "daily", "schedule"]
PASSWORDS = {"lead": ("leadership", "lead-pass-1"), "ana": ("associate", "ana-pass-1"),
             "root": ("admin", "root-pass-1")}

if not Path(CHROMIUM).exists():
    if os.environ.get("STUDIO_REQUIRE_BROWSER"):
        pytest.fail(f"{CHROMIUM} is missing; apt-get install chromium", pytrace=False)
    pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)", allow_module_level=True)

from playwright.sync_api import Page, sync_playwright  # noqa: E402


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_healthy(url: str, server: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"streamlit exited with {server.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError("streamlit did not come up")


def _start_server(db_path: Path, sign_in: bool) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    env = {**os.environ, "STUDIO_DB_PATH": str(db_path), "STUDIO_SIGN_IN": "on" if sign_in else "off"}
    env.pop("STUDIO_DATABASE_URL", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
         "--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    _wait_healthy(url, server)
    return server, url


def _stop(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()


@pytest.fixture(scope="module")
def studio_db(tmp_path_factory) -> Path:
    """A store seeded from the sample studio, with one user per role."""
    from store import open_store

    db = tmp_path_factory.mktemp("browser") / "studio.db"
    os.environ["STUDIO_DB_PATH"] = str(db)
    try:
        store = open_store()
        for name, (role, password) in PASSWORDS.items():
            store.users.add_user(name, role, password)
        store.engine.dispose()  # closing the last connection folds SQLite's write-ahead log into the file we copy
    finally:
        os.environ.pop("STUDIO_DB_PATH", None)
    return db


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as play:
        chromium = play.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-quic", "--no-first-run", "--disable-sync"])
        yield chromium
        chromium.close()


def _settle(page: Page, timeout: float = 60) -> None:
    """Wait until Streamlit has finished running the script (no 'running' status widget)."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout * 1000)
    deadline = time.monotonic() + timeout
    page.wait_for_timeout(300)
    while time.monotonic() < deadline:
        running = page.locator('[data-testid="stStatusWidget"]').count()
        spinners = page.locator('[data-testid="stSpinner"]').count()
        if not running and not spinners:
            return
        page.wait_for_timeout(100)
    raise TimeoutError("the page kept running")


def _assert_clean(page: Page, where: str) -> None:
    exceptions = page.locator('[data-testid="stException"]')
    assert exceptions.count() == 0, f"{where}: {exceptions.first.inner_text()}"


def _shoot(page: Page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _sign_in(page: Page, url: str, user: str) -> None:
    page.goto(url)
    page.get_by_role("button", name="Sign in").wait_for(timeout=60_000)
    page.get_by_label("User name").fill(user)
    page.get_by_role("textbox", name="Password").fill(PASSWORDS[user][1])
    page.get_by_role("button", name="Sign in").click()
    try:
        page.locator('[data-testid="stSidebarNav"]').wait_for(timeout=60_000)
    except Exception:
        _shoot(page, f"sign_in_failed_{user}")
        raise
    _settle(page)


def test_every_page_in_local_mode_plans_a_week_and_imports_a_file(browser, studio_db, tmp_path):
    db = tmp_path / "local.db"
    shutil.copy(studio_db, db)
    started = time.monotonic()
    server, url = _start_server(db, sign_in=False)
    try:
        page = browser.new_page(viewport={"width": 1440, "height": 2400})
        up = time.monotonic()
        page.goto(url)  # the schedule is the associate's default page, served at the root
        _settle(page)
        first_render = time.monotonic() - up
        _assert_clean(page, "schedule")
        switches = []
        for name in ALL_PAGES[1:] + ALL_PAGES[:1]:
            begin = time.monotonic()
            page.locator('[data-testid="stSidebarNav"] a', has_text=TITLES[name]).first.click()
            _settle(page)
            switches.append((round(time.monotonic() - begin, 2), name))
            _assert_clean(page, name)
            _shoot(page, name)
        warm = []
        for name in ALL_PAGES[1:] + ALL_PAGES[:1]:
            begin = time.monotonic()
            page.locator('[data-testid="stSidebarNav"] a', has_text=TITLES[name]).first.click()
            _settle(page)
            warm.append((round(time.monotonic() - begin, 2), name))
        page.get_by_role("button", name="Plan the week").click()
        page.get_by_text("Plan summary").wait_for(timeout=120_000)
        _settle(page, timeout=120)
        _assert_clean(page, "schedule after planning")
        assert page.get_by_text("Saved as a draft").count() > 0
        _shoot(page, "schedule_planned")
        page.goto(f"{url}/data")
        _settle(page)
        page.locator('input[type="file"]').first.set_input_files(str(ROOT / "sample_data/studio/targets.csv"))
        _settle(page)
        page.get_by_role("button", name="Import").click()
        _settle(page)
        _assert_clean(page, "data after import")
        assert page.get_by_text("targets.csv").count() > 0
        _shoot(page, "data_imported")
    finally:
        _stop(server)
    print(f"\nbrowser: server up in {up - started:.2f} s; first page rendered {first_render:.2f} s after; "
          f"page switches, first visit (s): {switches}; again, cached (s): {warm}")


@pytest.mark.parametrize("user", ["lead", "ana", "root"])
def test_each_role_signs_in_and_sees_its_pages(browser, studio_db, tmp_path, user):
    db = tmp_path / "signin.db"
    shutil.copy(studio_db, db)
    server, url = _start_server(db, sign_in=True)
    try:
        page = browser.new_page(viewport={"width": 1440, "height": 1600})
        page.goto(f"{url}/weekly")
        _settle(page)
        page.get_by_role("button", name="Sign in").wait_for(timeout=60_000)
        assert page.locator('[data-testid="stSidebarNav"]').count() == 0, "a page opened without sign-in"
        assert page.get_by_text("Weekly scorecard").count() == 0
        _sign_in(page, url, user)
        _assert_clean(page, f"{user} after sign-in")
        role = PASSWORDS[user][0]
        expected = LEADERSHIP_PAGES if role == "leadership" else ALL_PAGES
        links = page.locator('[data-testid="stSidebarNav"] a').all_inner_texts()
        for name in ALL_PAGES:
            shown = any(TITLES[name] in link for link in links)
            assert shown == (name in expected), f"{role} and page {name}"
        _shoot(page, f"signed_in_{role}")
    finally:
        _stop(server)
