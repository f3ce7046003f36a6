"""The calendar feed served by `streamlit run app.py` on 127.0.0.1: the right secret gets exactly that
person's events, a wrong or revoked one 404, and the pages are still there."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import icalendar
import pytest

from store.feeds import feed_path
from tests.notify_studio import notify_store, publish

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as answer:
            return answer.status, answer.headers.get("content-type", ""), answer.read()
    except urllib.error.HTTPError as refused:
        return refused.code, refused.headers.get("content-type", ""), refused.read()


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """(base URL, secrets) of a real server on a store where Ana's and Ben's feeds exist and Ben's is revoked."""
    folder = tmp_path_factory.mktemp("feed")
    store = notify_store(folder)
    publish(store)
    secrets = {"h1": store.feeds.new_token("h1", "root"), "p1": store.feeds.new_token("p1", "root"),
               "h2": store.feeds.new_token("h2", "root")}
    store.feeds.revoke("h2", "root")
    store.engine.dispose()
    port = _free_port()
    env = {**os.environ, "STUDIO_DB_PATH": str(folder / "studio.db"), "STUDIO_SIGN_IN": "off"}
    env.pop("STUDIO_DATABASE_URL", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true", "--server.address",
         "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while _get_health(url) != 200:
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            pytest.fail(f"streamlit did not come up: {server.stderr.read().decode()[-2000:]}")
        time.sleep(0.3)
    yield url, secrets
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()


def _get_health(url: str) -> int | None:
    try:
        return _get(f"{url}/_stcore/health")[0]
    except OSError:
        return None


def test_the_right_secret_gets_exactly_that_persons_events(served):
    url, secrets = served
    status, kind, body = _get(url + feed_path(secrets["h1"]))
    assert status == 200 and kind.startswith("text/calendar")
    parsed = icalendar.Calendar.from_ical(body)
    assert [str(e["uid"]) for e in parsed.walk("VEVENT")] == ["s1@livestream-scheduler", "s3@livestream-scheduler"]
    assert [str(tz["tzid"]) for tz in parsed.walk("VTIMEZONE")] == ["America/Los_Angeles"]
    assistant = icalendar.Calendar.from_ical(_get(url + feed_path(secrets["p1"]))[2])
    assert [str(e["uid"]) for e in assistant.walk("VEVENT")] == ["s1@livestream-scheduler"]


def test_a_wrong_or_revoked_secret_gets_404(served):
    url, secrets = served
    assert _get(url + feed_path(secrets["h2"]))[0] == 404
    assert _get(url + feed_path("x" * 43))[0] == 404
    assert _get(url + feed_path(secrets["h1"][:-1]))[0] == 404


def test_the_pages_are_still_served(served):
    url, _ = served
    status, kind, body = _get(url + "/")
    assert status == 200 and kind.startswith("text/html") and b"<div id=\"root\">" in body
