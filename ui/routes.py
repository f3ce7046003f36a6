"""What the app's server answers besides the pages: each person's calendar feed, and mail sent in the background.

Calendar apps fetch a feed without signing in; the secret in its URL is the only key, so a wrong or
revoked one gets the same bare 404 as a path that was never there.
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from store import Store
from store.feeds import FEED_PATH
from ui import cache, warmup

SEND_MAIL_EVERY_SECONDS = 60
log = logging.getLogger(__name__)


def _store() -> Store:
    """The store the pages use, opened once (a feed asked for while the warm-up opens it waits for it)."""
    return cache.store()


def _feed(token: str) -> bytes | None:
    return _store().feeds.calendar(token, made_at=datetime.now(UTC))


async def calendar_feed(request: Request) -> Response:
    """The person's .ics feed, or 404."""
    content = await run_in_threadpool(_feed, request.path_params["token"])
    if content is None:
        return PlainTextResponse("Not Found", status_code=404)
    return Response(content, media_type="text/calendar; charset=utf-8", headers={"Cache-Control": "no-store"})


ROUTES = [Route(FEED_PATH, calendar_feed, methods=["GET"])]


def _send_waiting_mail() -> None:
    outbox = _store().outbox
    if outbox.settings().host:
        delivery = outbox.send()
        for error in delivery.errors:
            log.warning("mail not sent, tried again in %s s: %s", SEND_MAIL_EVERY_SECONDS, error)


async def _send_mail_forever() -> None:
    while True:
        await asyncio.sleep(SEND_MAIL_EVERY_SECONDS)
        try:
            await run_in_threadpool(_send_waiting_mail)
        except Exception:  # a broken try must not end the loop: the mail stays queued for the next one
            log.exception("sending the outbox failed")


@asynccontextmanager
async def lifespan(_app) -> AsyncIterator[None]:
    """At start the first page is warmed in the background; while the server runs, the outbox is tried every
    SEND_MAIL_EVERY_SECONDS."""
    warmup.warm_start()
    sender = asyncio.create_task(_send_mail_forever())
    try:
        yield
    finally:
        sender.cancel()
