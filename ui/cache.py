"""One way to cache what the pages compute: under the store's address and table versions, cleared in one place.

A cached result is always labelled with the data it came from (`data_version()`) and the studio's settings
(a chart's currency), so a computation that
finishes after an import (the warm-up thread's, another session's) can never show old numbers as new, and an
import made by another process (the CLI, a second server) is picked up within a second. A cached function
that calls another sees the version it was called with (see `pinned`), so one result never mixes two versions
of the data. A computation that reads only some tables names them (`tables`) and is kept across changes to the
others: recording time off does not refit the scorecards.
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
_published = [0]  # raised by `schedules_published`: the published schedules are no data table with a version
_publishing = threading.Lock()
PUBLISHED = "published schedules"  # what the data version calls them
# Every data table and the settings, not the published schedules: what a computation over the studio's tables
# alone is keyed on (`versioned(tables=DATA_TABLES)`), so that a publish does not build the week again.
DATA_TABLES = (*KINDS, SETTINGS)


def data_version() -> tuple:
    """The store's address, every data table's version and the published schedules': it changes with each
    import, undo, edit or publish, whoever made it (a publish: in this server), and a result computed on one
    store is never served for another. Inside a cached computation, the version that computation is keyed on."""
    return getattr(_pinned, "version", None) or (*_versions.get(), (PUBLISHED, _published[0]))


def tables_version(version: tuple, tables: tuple[str, ...]) -> tuple:
    """The part of `version` that names the store and `tables`."""
    return (version[0], *(entry for entry in version[1:] if entry[0] in tables))


@contextmanager
def pinned(version: tuple) -> Iterator[None]:
    """Read `version` of the data in this thread while the block runs, whatever has been imported since."""
    outer = getattr(_pinned, "version", None)
    _pinned.version = version
    try:
        yield
    finally:
        _pinned.version = outer


def versioned(*, figure: bool = False, tables: tuple[str, ...] = (),
              **options) -> Callable[[Callable[..., Result]], Callable[..., Result]]:
    """Cache a function under its arguments, the data version and the studio's settings, with `st.cache_data`
    (each caller gets its own copy) or, for a `figure` only drawn and never changed, `st.cache_resource` (one
    shared object, no copy). With `tables`, under the versions of those tables only: the function must read no
    other (through the functions it calls too), and a change to another keeps its results.
    `options` are the cache's own (show_spinner, max_entries); an argument named with a leading _ is not hashed.
    """
    cache = st.cache_resource if figure else st.cache_data

    def decorate(compute: Callable[..., Result]) -> Callable[..., Result]:
        def keyed(*args, store_version: tuple, settings: StudioSettings, _read: tuple, **kwargs) -> Result:
            with pinned(_read):  # the whole version it was called with, whatever part it is keyed on
                return compute(*args, **kwargs)

        functools.update_wrapper(keyed, compute)  # the cache is named and keyed after `compute`, not `keyed`
        cached = cache(**options)(keyed)
        signature = inspect.signature(compute)

        @functools.wraps(compute)
        def call(*args, **kwargs) -> Result:
            given = signature.bind(*args, **kwargs)
            given.apply_defaults()  # f(week) and f(week, ()) are one call, cached once
            version = data_version()
            return cached(*given.args, store_version=tables_version(version, tables) if tables else version,
                          settings=studio_settings(), _read=version, **given.kwargs)

        return call

    return decorate


def invalidate() -> None:
    """Call after an import, an undo or an edit: every cached table and computation is read again."""
    _versions.forget()
    st.cache_data.clear()


def tables_changed() -> None:
    """Call after a change to data tables alone (time off recorded): the tables' versions are read again at once,
    and only what is keyed on a changed table is computed again."""
    _versions.forget()


def schedules_published() -> None:
    """Call after a schedule is published: what reads the published schedules is computed again, and only that
    and what is keyed on the whole data version."""
    with _publishing:
        _published[0] += 1
    _versions.forget()
