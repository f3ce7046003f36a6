"""A host in a real browser: signs in, sees only their own pages, asks for time off; an associate approves it in
the requests inbox; the host then sees it approved (and the scheduler sees the time off)."""
from __future__ import annotations

from tests.test_browser import ROOT, _assert_clean, _settle, _shoot, _start_server, _stop, browser  # noqa: F401

HOST_PAGES = ["My streams", "My hours & pay", "My availability & time off"]
USERS = {"hana": ("host", "hana-pass-1", "H001"), "ana": ("associate", "ana-pass-1", None)}


def _sign_in(page, url: str, user: str) -> None:
    page.goto(url)
    page.get_by_role("button", name="Sign in").wait_for(timeout=60_000)
    page.get_by_label("User name").fill(user)
    page.get_by_role("textbox", name="Password").fill(USERS[user][1])
    page.get_by_role("button", name="Sign in").click()
    page.locator('[data-testid="stSidebarNav"]').wait_for(timeout=60_000)
    _settle(page)


def _open(page, title: str) -> None:
    page.locator('[data-testid="stSidebarNav"] a', has_text=title.split(" & ")[0]).first.click()
    _settle(page, title.split(" & ")[0])


def test_a_host_asks_for_time_off_and_sees_it_approved(browser, tmp_path):
    from store import open_seeded, open_store

    db = tmp_path / "hosts.db"
    store = open_seeded(f"sqlite:///{db}", ROOT / "sample_data" / "studio")
    for name, (role, password, host_id) in USERS.items():
        store.users.add_user(name, role, password, host_id)
    store.engine.dispose()
    server, url = _start_server(db, sign_in=True)
    try:
        host = browser.new_page(viewport={"width": 1440, "height": 1800})
        _sign_in(host, url, "hana")
        _assert_clean(host, "host after sign-in")
        links = host.locator('[data-testid="stSidebarNav"] a').all_inner_texts()
        assert [link.split("\n")[-1] for link in links] == HOST_PAGES
        _shoot(host, "host_my_streams")
        _open(host, "My availability & time off")
        assert host.locator(".av-row:not(.av-head)").count() == 1  # their own week, and nobody else's
        _shoot(host, "host_my_availability")
        host.get_by_label("Why (the associate sees it)").fill("dentist")
        host.get_by_role("button", name="Ask for time off").click()
        host.get_by_text("waits for an associate's approval").wait_for(timeout=60_000)
        _settle(host)  # the notice is drawn first; the list of requests further down comes a moment later
        host.get_by_text("(dentist): pending").wait_for(timeout=60_000)
        assert host.get_by_text("(dentist): pending").count() == 1
        _shoot(host, "host_time_off_pending")

        associate = browser.new_page(viewport={"width": 1440, "height": 1800})
        _sign_in(associate, url, "ana")
        _open(associate, "Requests from hosts")
        associate.get_by_text("Ella Scott (H001)").first.wait_for(timeout=60_000)
        associate.get_by_role("button", name="Approve").first.click()
        associate.get_by_text("approved: the scheduler sees it from now on").wait_for(timeout=60_000)
        _assert_clean(associate, "associate after approving")
        _shoot(associate, "associate_requests")

        _sign_in(host, url, "hana")  # a new visit: a reload is a new session
        _open(host, "My availability & time off")
        host.get_by_text("(dentist): approved by ana").wait_for(timeout=60_000)
        _shoot(host, "host_time_off_approved")
    finally:
        _stop(server)
    kept = open_store(f"sqlite:///{db}").tables(["availability_exceptions"]).availability_exceptions
    assert kept.loc[kept["host_id"] == "H001", ["note", "recorded_by"]].values.tolist() == [["dentist", "ana"]]
