"""In a real browser, no page of the dashboard fetches anything from outside the machine (fonts, icons, scripts)."""
from __future__ import annotations

import shutil
from urllib.parse import urlsplit

from test_browser import ALL_PAGES, TITLES, _settle, _start_server, _stop, _visit, browser, studio_db  # noqa: F401


def test_no_request_leaves_this_machine_on_any_page(browser, studio_db, tmp_path):  # noqa: F811
    db = tmp_path / "local.db"
    shutil.copy(studio_db, db)
    server, url = _start_server(db, sign_in=False)
    requested = []
    try:
        page = browser.new_page(viewport={"width": 1440, "height": 1600})
        page.on("request", lambda request: requested.append(request.url))
        page.goto(url)
        _settle(page, TITLES["schedule"])
        for name in ALL_PAGES[1:]:
            _visit(page, name)
    finally:
        _stop(server)
    outside = [u for u in requested if urlsplit(u).scheme not in {"data", "blob"} and urlsplit(u).hostname != "127.0.0.1"]
    assert requested and outside == []
