"""In a real browser, no page of the dashboard fetches anything from outside the machine (fonts, icons, scripts)."""
from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Page
from test_browser import ALL_PAGES, TITLES, _settle, _sign_in, _start_server, _stop, _visit, browser, studio_db  # noqa: F401


@contextmanager
def every_page_opened(browser, db: Path, requested: list[str]) -> Iterator[Page]:  # noqa: F811
    """A local-mode server on `db` and a page that logs every URL it requests, opened at the first page."""
    server, url = _start_server(db, sign_in=False)
    try:
        page = browser.new_page(viewport={"width": 1440, "height": 1600})
        page.on("request", lambda request: requested.append(request.url))
        page.goto(url)
        _settle(page, TITLES["schedule"])
        yield page
    finally:
        _stop(server)


def test_no_request_leaves_this_machine_on_any_page(browser, studio_db, tmp_path):  # noqa: F811
    db = tmp_path / "local.db"
    shutil.copy(studio_db, db)
    requested: list[str] = []
    with every_page_opened(browser, db, requested) as page:
        for name in ALL_PAGES[1:]:
            _visit(page, name)
    outside = [u for u in requested if urlsplit(u).scheme not in {"data", "blob"} and urlsplit(u).hostname != "127.0.0.1"]
    assert requested and outside == []


def test_names_from_data_fetch_nothing_and_draw_no_image(browser, studio_db, tmp_path):  # noqa: F811
    from test_app_escaping import inject_names

    db = tmp_path / "hostile.db"
    shutil.copy(studio_db, db)
    inject_names(f"sqlite:///{db}")
    requested: list[str] = []
    images: list[str] = []
    with every_page_opened(browser, db, requested) as page:
        for name in ALL_PAGES:
            if name != "schedule":
                _visit(page, name)
            images += page.eval_on_selector_all("img, a", "els => els.map(e => e.src || e.href)")
    assert [u for u in requested if ":8999" in u] == []
    assert [u for u in images if ":8999" in u] == []


def test_a_removed_user_is_signed_out_on_the_next_click(browser, studio_db, tmp_path):  # noqa: F811
    from store import open_store

    db = tmp_path / "revoked.db"
    shutil.copy(studio_db, db)
    server, url = _start_server(db, sign_in=True)
    try:
        page = browser.new_page(viewport={"width": 1440, "height": 1600})
        _sign_in(page, url, "ana")
        _visit(page, "roster")
        store = open_store(f"sqlite:///{db}")
        store.users.remove_user("ana")
        store.engine.dispose()
        page.locator('[data-testid="stSidebarNav"] a', has_text=TITLES["daily"]).first.click()
        _settle(page, "Livestream Ops")
        main = page.locator('[data-testid="stMain"]')
        assert main.get_by_role("button", name="Sign in").count() == 1
        assert main.get_by_text("no longer exists").count() == 1
        assert main.get_by_text(TITLES["daily"]).count() == 0 and main.get_by_text(TITLES["roster"]).count() == 0
    finally:
        _stop(server)
