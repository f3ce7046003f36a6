"""One way to cache what the pages compute: under the store's address and table versions, cleared in one place.

A cached result is always labelled with the data it came from (`data_version()`) and the studio's settings
(a chart's currency), so a computation that
finishes after an import (the warm-up thread's, another session's) can never show old numbers as new, and an
import made by another process (the CLI, a second server) is picked up within a second. A cached function
that calls another sees the version it was called with (see `pinned`), so one result never mixes two versions
of the data.
"""
from __future__ import annotations

import functools
import inspect
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import streamlit as st

from store import Store, open_seeded
from store.kinds import KINDS
from store.settings import StudioSettings
from store.store import SETTINGS

SAMPLE_STUDIO = Path(__file__).resolve().parents[1] / "sample_data" / "studio"  # what an empty store starts with
VERSION_CHECK_SECONDS = 1.0  # how stale another process's import may look; our own edits are seen at once
Result = TypeVar("Result")


@st.cache_resource(show_spinner=False)
def store() -> Store:
    """Open (and on first run create and seed) the studio's store once per server process."""
    return open_seeded(None, SAMPLE_STUDIO)


@st.cache_data(show_spinner=False)
def studio_settings() -> StudioSettings:
    """The studio's name, time zone and currency, read again after `invalidate()`."""
    return store().studio_settings()


class _VersionMemo:
    """The store's table versions, read at most once a second: pages ask for them on every cached call."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._read_at = -VERSION_CHECK_SECONDS
        self._read_from: Store | None = None
        self._version: tuple = ()

    def get(self) -> tuple:
        current = store()
        with self._lock:
            if current is not self._read_from or time.monotonic() - self._read_at >= VERSION_CHECK_SECONDS:
                address = current.engine.url.render_as_string(hide_password=True)
                versions = current.table_versions((*KINDS, SETTINGS))  # one query for every table and the settings
                self._version = (address, *sorted(versions.items()))
                self._read_at, self._read_from = time.monotonic(), current
            return self._version

    def forget(self) -> None:
        with self._lock:
            self._read_from = None


_versions = _VersionMemo()
_pinned = threading.local()


def data_version() -> tuple:
    """The store's address and every data table's version: it changes with each import, undo or edit, whoever
    made it, and a result computed on one store is never served for another. Inside a cached computation, the
    version that computation is keyed on."""
    return getattr(_pinned, "version", None) or _versions.get()


@contextmanager
def pinned(version: tuple) -> Iterator[None]:
    """Read `version` of the data in this thread while the block runs, whatever has been imported since."""
    outer = getattr(_pinned, "version", None)
    _pinned.version = version
    try:
        yield
    finally:
        _pinned.version = outer


def versioned(*, figure: bool = False, **options) -> Callable[[Callable[..., Result]], Callable[..., Result]]:
    """Cache a function under its arguments, the data version and the studio's settings, with `st.cache_data`
    (each caller gets its own copy) or, for a `figure` only drawn and never changed, `st.cache_resource` (one
    shared object, no copy).
    `options` are the cache's own (show_spinner, max_entries); an argument named with a leading _ is not hashed.
    """
    cache = st.cache_resource if figure else st.cache_data

    def decorate(compute: Callable[..., Result]) -> Callable[..., Result]:
        def keyed(*args, store_version: tuple, settings: StudioSettings, **kwargs) -> Result:
            with pinned(store_version):
                return compute(*args, **kwargs)

        functools.update_wrapper(keyed, compute)  # the cache is named and keyed after `compute`, not `keyed`
        cached = cache(**options)(keyed)
        signature = inspect.signature(compute)

        @functools.wraps(compute)
        def call(*args, **kwargs) -> Result:
            given = signature.bind(*args, **kwargs)
            given.apply_defaults()  # f(week) and f(week, ()) are one call, cached once
            return cached(*given.args, store_version=data_version(), settings=studio_settings(), **given.kwargs)

        return call

    return decorate


def invalidate() -> None:
    """Call after an import, an undo or an edit: every cached table and computation is read again."""
    _versions.forget()
    st.cache_data.clear()
