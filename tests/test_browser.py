"""The app in a real browser: Debian's chromium driven by Playwright against `streamlit run app.py`.

Visits every page as each role, plans a week, imports a file, finds no exception box, saves a
screenshot of each page under screenshots/, and prints the measured render times.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
SHOTS = ROOT / "screenshots"
# A person looks at the first page before they click on: the browser meanwhile loads the other pages' element
# code and the server warms their figures. The switch clicked with no pause is measured apart.
READING_SECONDS = 2
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


def _start_server(db_path: Path, sign_in: bool, script: str = "app.py") -> tuple[subprocess.Popen, str]:
    port = _free_port()
    env = {**os.environ, "STUDIO_DB_PATH": str(db_path), "STUDIO_SIGN_IN": "on" if sign_in else "off"}
    env.pop("STUDIO_DATABASE_URL", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", script, "--server.headless", "true",
         "--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"],  # a server under test must not reload modules edited meanwhile
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
    from store import open_seeded

    db = tmp_path_factory.mktemp("browser") / "studio.db"
    os.environ["STUDIO_DB_PATH"] = str(db)
    try:
        store = open_seeded(None, ROOT / "sample_data" / "studio")
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


# Rendered = the script has finished (Streamlit's own run state), nothing is spinning, left over from the
# previous page or still a skeleton (a chart or table whose code is still loading), the page's title is the
# one asked for, and every plotly chart has drawn its SVG.
_RENDERED_JS = """title => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.dataset.testScriptState !== 'notRunning') return false;
  const busy = '[data-testid="stSpinner"], [data-stale="true"], [data-testid^="stSkeleton"], [data-testid="stAppSkeleton"]';
  if (document.querySelector(busy)) return false;
  const heading = document.querySelector('[data-testid="stMain"] h1');
  if (title !== null && !(heading && heading.textContent.includes(title))) return false;
  return [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].every(c => c.querySelector('.main-svg'));
}"""


def _settle(page: Page, title: str | None = None, timeout: float = 60) -> None:
    """Wait until the page is rendered (see _RENDERED_JS); `title` also waits for that page's heading."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout * 1000)
    if title is None:
        page.wait_for_timeout(300)  # an action's rerun may not have started yet
    page.wait_for_function(_RENDERED_JS, arg=title, timeout=timeout * 1000, polling=50)


def _visit(page: Page, name: str) -> float:
    """Open a page through the sidebar like a person would; the seconds until it is rendered."""
    begin = time.monotonic()
    page.locator('[data-testid="stSidebarNav"] a', has_text=TITLES[name]).first.click()
    _settle(page, TITLES[name])
    return time.monotonic() - begin


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


def _switch_without_reading(browser, url: str, name: str) -> float:
    """The first switch clicked the moment the first page is drawn, in a fresh browser (nothing cached): the
    browser is then still loading the code of the other pages' tables and charts (5.5 MB, plotly's most of it)."""
    fresh = browser.new_context(viewport={"width": 1440, "height": 2400})
    try:
        page = fresh.new_page()
        page.goto(url)
        _settle(page, TITLES["schedule"])
        return _visit(page, name)
    finally:
        fresh.close()


def _download(page: Page, button: str) -> Path:
    """Press a download button (its file is built only then) and return the file the browser saved."""
    with page.expect_download(timeout=120_000) as download:
        page.get_by_role("button", name=button).click()
    return Path(download.value.path())


def _floor(browser, db: Path) -> float:
    """Seconds from a fresh tab to the drawn chart of a bare Streamlit page with one small plotly chart."""
    server, url = _start_server(db, sign_in=False, script="tests/browser_floor_app.py")
    try:
        page = browser.new_page(viewport={"width": 1440, "height": 2400})
        begin = time.monotonic()
        page.goto(url)
        _settle(page, "Floor")
        return time.monotonic() - begin
    finally:
        _stop(server)


def _act(page: Page, button: str, done: str, timeout: float = 120) -> float:
    """Press a button on the page and wait for the text its action shows when done; the seconds it took."""
    begin = time.monotonic()
    page.get_by_role("button", name=button).first.click()
    try:
        page.get_by_text(done).first.wait_for(timeout=timeout * 1000)
        _settle(page, TITLES["schedule"], timeout=timeout)  # the action's run has begun: no pause before settling
    except Exception:
        _shoot(page, f"failed_{button.replace(' ', '_')}")
        raise
    _assert_clean(page, f"after {button}")
    return time.monotonic() - begin


def _open_from_the_calendar(page: Page) -> None:
    """Click a block of the week calendar: the move form below opens on that slot."""
    block = page.locator(".wk-slot[data-slot]").nth(4)
    lines = block.get_attribute("title").split("\n")
    when_where = next(line for line in lines if re.match(r"\w{3} \d\d \w{3} \d\d:\d\d–", line))
    expected = " · ".join(when_where.split(" · ")[:2])  # "Mon 30 Nov 10:00–12:00 · GlowLab Beauty"
    block.click()
    page.wait_for_function("expected => document.querySelector('input[aria-label=\"Slot\"]').value.startsWith(expected)",
                           arg=expected, timeout=30_000)  # the move form's slot picker
    _settle(page, TITLES["schedule"])
    details = [text for text in page.locator('[data-testid="stMarkdown"]').all_inner_texts() if "Host:" in text]
    assert details and details[0].startswith(expected.split(" · ")[0]), details


def _actions(page: Page) -> dict[str, float]:
    """Plan the week, move a slot (save it as it is, locked), re-plan a call-out, publish: seconds each, and the
    solver's own seconds for the plan and the re-plan as the page reports them."""
    timings = {"plan the week": _act(page, "Plan the week", "Saved as a draft")}
    notice = page.get_by_text("Saved as a draft").first.inner_text()
    timings["(plan solver)"] = float(re.search(r"in ([0-9.]+) s", notice).group(1))
    _shoot(page, "schedule_planned")
    _open_from_the_calendar(page)
    timings["move"] = _act(page, "Move", " now goes to ")  # the slot open first, its host as planned, locked
    page.get_by_text("A host or assistant called out").click()
    page.get_by_role("button", name="Record the time off and re-plan").wait_for()  # the form has opened: then press
    timings["re-plan"] = _act(page, "Record the time off and re-plan", "kept as time off")
    notice = page.get_by_text("kept as time off").first.inner_text()
    timings["(re-plan solver)"] = float(re.search(r"Re-planned in ([0-9.]+) s", notice).group(1))
    timings["publish"] = _act(page, "Publish this draft", "published with its assistants")
    return timings


def _timings(server_up: float, first_render: float, floor: float, first: dict[str, float],
             again: dict[str, float], unread: dict[str, float], actions: dict[str, float]) -> dict:
    return {"server up": server_up, "first page": first_render, "floor": floor, "first visit": first,
            "revisit": again, "first visit without reading": unread, "actions": actions, "load": os.getloadavg()}


def _timings_table(figures: dict) -> str:
    """The speed goals' figures as a table: first page after the server is up (beside the floor of any page
    with a chart in this browser), then each page switch, then each action of the Schedule page."""
    first, again = figures["first visit"], figures["revisit"]
    load = "/".join(f"{x:.2f}" for x in figures["load"])
    lines = [f"Dashboard render times (s), load average {load} on {os.cpu_count()} cores",
             f"server up {figures['server up']:.2f} s; first page (schedule) rendered {figures['first page']:.2f} s "
             "after (goal <= 3 s)",
             f"floor: a bare Streamlit page with one small plotly chart renders in {figures['floor']:.2f} s in a "
             "fresh tab",
             f"{'page switch':<14}{'first visit':>12}{'revisit':>9}   (goal <= 1 s; first visits after "
             f"{READING_SECONDS} s on the first page)"]
    lines += [f"{name:<14}{first[name]:>12.2f}{again[name]:>9.2f}" + ("   slow" if max(first[name], again[name]) > 1 else "")
              for name in first]
    lines.append(f"{'slowest':<14}{max(first.values()):>12.2f}{max(again.values()):>9.2f}")
    lines += [f"{name} clicked the moment the first page is drawn, in a fresh browser: {seconds:.2f}"
              for name, seconds in figures["first visit without reading"].items()]
    lines.append("schedule action   seconds   (goal <= 1 s beyond the solve)")
    lines += [f"{name:<16}{seconds:>9.2f}" for name, seconds in figures["actions"].items()]
    return "\n".join(lines)


def test_every_page_in_local_mode_plans_a_week_and_imports_a_file(browser, studio_db, tmp_path, capsys):
    db = tmp_path / "local.db"
    shutil.copy(studio_db, db)
    started = time.monotonic()
    server, url = _start_server(db, sign_in=False)
    try:
        page = browser.new_page(viewport={"width": 1440, "height": 2400})
        up = time.monotonic()
        page.goto(url)  # the schedule is the associate's default page, served at the root
        _settle(page, TITLES["schedule"])
        first_render = time.monotonic() - up
        _assert_clean(page, "schedule")
        page.wait_for_timeout(READING_SECONDS * 1000)
        fetched = page.evaluate("performance.getEntriesByType('resource').map(entry => entry.name)")
        assert any("/PlotlyChart." in name for name in fetched), "the browser's warm-up loads the charts' code"
        order = ALL_PAGES[1:] + ALL_PAGES[:1]
        first = {}
        for name in order:
            first[name] = _visit(page, name)
            _assert_clean(page, name)
            _shoot(page, name)
        again = {name: _visit(page, name) for name in order}
        _assert_clean(page, "schedule")
        unread = _switch_without_reading(browser, url, order[0])
        actions = _actions(page)
        page.goto(f"{url}/data")
        _settle(page, TITLES["data"])
        page.locator('input[type="file"]').first.set_input_files(str(ROOT / "sample_data/studio/targets.csv"))
        _settle(page)
        page.get_by_role("button", name="Import").click()
        _settle(page)
        _assert_clean(page, "data after import")
        assert page.get_by_text("targets.csv").count() > 0
        _shoot(page, "data_imported")
        page.get_by_role("tab", name="Import history").click()
        export = _download(page, "Download every table")
        assert {"hosts.csv", "sessions.csv", "targets.csv"} <= set(zipfile.ZipFile(export).namelist())
        page.goto(f"{url}/weekly")
        _settle(page, TITLES["weekly"])
        assert "Weekly scorecard" in _download(page, "Download the report").read_text(encoding="utf-8")
        _assert_clean(page, "weekly after downloads")
    finally:
        _stop(server)
    figures = _timings(up - started, first_render, _floor(browser, db), first, again, {order[0]: unread}, actions)
    SHOTS.mkdir(exist_ok=True)
    (SHOTS / "render_times.json").write_text(json.dumps(figures, indent=1) + "\n")  # bench/browser_bench.py reads it
    (SHOTS / "render_times.txt").write_text(_timings_table(figures) + "\n")
    with capsys.disabled():
        print("\n" + _timings_table(figures))


@pytest.mark.parametrize("user", ["lead", "ana", "root"])
def test_each_role_signs_in_and_sees_its_pages(browser, studio_db, tmp_path, user):
    db = tmp_path / "signin.db"
    shutil.copy(studio_db, db)
    server, url = _start_server(db, sign_in=True)
    try:
        page = browser.new_page(viewport={"width": 1440, "height": 1600})
        page.goto(f"{url}/weekly")
        _settle(page, "Livestream Ops")
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


def test_a_bookmark_of_any_page_opens_that_page(browser, studio_db, tmp_path):
    db = tmp_path / "bookmarks.db"
    shutil.copy(studio_db, db)
    server, url = _start_server(db, sign_in=False)
    try:
        page = browser.new_page(viewport={"width": 1440, "height": 1600})
        for name in ALL_PAGES:  # the default page's own path too: /schedule, as the sidebar's link names it
            page.goto(f"{url}/{name}")
            _settle(page, TITLES[name])
            assert page.get_by_text("Page not found").count() == 0, name
            _assert_clean(page, f"/{name}")
    finally:
        _stop(server)


def test_a_week_made_from_the_template_is_planned(browser, studio_db, tmp_path):
    """Calendar -> Schedule: templates made from the sample's last week, next week's slots made from them, and
    that week planned on the Schedule page."""
    db = tmp_path / "calendar.db"
    shutil.copy(studio_db, db)
    server, url = _start_server(db, sign_in=False)
    try:
        page = browser.new_page(viewport={"width": 1440, "height": 2400})
        page.goto(f"{url}/calendar")
        _settle(page, "Calendar")
        page.get_by_role("button", name="Make templates from 2026-W49").click()
        page.get_by_text("show templates made from the slots of 2026-W49").wait_for(timeout=60_000)
        _settle(page, "Calendar")
        make = page.get_by_role("button", name=re.compile(r"^Make \d{4}-W\d{2}'s slots$"))
        week = re.search(r"\d{4}-W\d{2}", make.inner_text()).group(0)  # after the latest planned and this week
        make.click()
        page.get_by_text("slots are ready on the Schedule page").wait_for(timeout=60_000)
        _settle(page, "Calendar")
        _assert_clean(page, "calendar after making the week")
        _shoot(page, "calendar_week_made")
        page.goto(f"{url}/schedule")
        _settle(page, TITLES["schedule"])
        page.get_by_role("button", name="Plan the week").click()
        page.get_by_text("Plan summary").wait_for(timeout=120_000)
        _settle(page, timeout=120)
        _assert_clean(page, "schedule after planning the calendar's week")
        assert page.get_by_text(f"Planned {week}").count() > 0
    finally:
        _stop(server)
