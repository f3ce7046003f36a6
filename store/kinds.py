"""What the store keeps of each contract file: its schema, the key an import upserts by, its references."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from contract import AVAILABILITY, HOSTS, SESSIONS, SKU_SALES, SLOTS, TARGETS, VIEWER_MINUTES, Table
from contract.plan import PRODUCTS
from contract.schemas import AVAILABILITY_EXCEPTIONS, AVAILABILITY_TEMPLATE, CALENDAR_CHANGES, SHOW_TEMPLATES
from scheduler.calendar import read_stored_changes, read_templates

# The catalogue's columns the store keeps as its own (those its first schema had); the others stay as the file
# gave them, in each row's extra columns (see codec), and are checked when the catalogue is read back.
STORED_PRODUCTS = Table(PRODUCTS.file, tuple(PRODUCTS.column(name)
                                             for name in ("sku", "product_name", "product_tier", "category")))


@dataclass(frozen=True)
class Reference:
    """`column` of this kind names a key of `parent` (a kind with a one-column key)."""

    column: str
    parent: str
    allow_empty: bool = False


@dataclass(frozen=True)
class Kind:
    """One table of the store: the contract file it holds and the key an import matches rows by."""

    name: str
    table: Table
    keys: tuple[str, ...]
    references: tuple[Reference, ...] = ()
    # Reads a file's cells where the contract's column checks are not all (the show templates' weekdays and
    # clashes): typed rows, or a DataError. None: contract.parse_table of `table`.
    read: Callable[[pd.DataFrame], pd.DataFrame] | None = None

    @property
    def file(self) -> str:
        return self.table.file

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.table.columns)


# In the order a studio is loaded: parents before the tables that point at them.
KINDS: dict[str, Kind] = {k.name: k for k in (
    Kind("hosts", HOSTS, ("host_id",)),
    Kind("availability", AVAILABILITY, ("host_id", "start", "end"), (Reference("host_id", "hosts"),)),
    Kind("availability_template", AVAILABILITY_TEMPLATE, ("host_id", "weekday", "start"),
         (Reference("host_id", "hosts"),)),
    Kind("availability_exceptions", AVAILABILITY_EXCEPTIONS, ("host_id", "start", "end"),
         (Reference("host_id", "hosts"),)),
    Kind("show_templates", SHOW_TEMPLATES, ("channel", "weekdays", "start"), read=read_templates),
    # One change per slot: the slot an added show makes, or the one cancelled or moved, so the order rows are
    # kept in never changes the week they make.
    Kind("calendar_changes", CALENDAR_CHANGES, ("slot_id",), read=read_stored_changes),
    Kind("slots", SLOTS, ("slot_id",), (Reference("locked_host_id", "hosts", allow_empty=True),)),
    Kind("products", STORED_PRODUCTS, ("sku",)),
    Kind("sessions", SESSIONS, ("session_id",)),
    Kind("sku_sales", SKU_SALES, ("session_id", "sku"), (Reference("session_id", "sessions"),)),
    Kind("viewer_minutes", VIEWER_MINUTES, ("session_id", "minute"), (Reference("session_id", "sessions"),)),
    Kind("targets", TARGETS, ("metric",)),
)}

ROSTER_KINDS = ("hosts", "availability", "availability_template", "availability_exceptions", "slots")


def kind_of(name: str) -> Kind:
    """The kind called `name` ("sessions" or "sessions.csv"); ValueError naming the known ones otherwise."""
    key = name.removesuffix(".csv")
    if key not in KINDS:
        raise ValueError(f"unknown kind '{name}'; use one of {', '.join(KINDS)}")
    return KINDS[key]


def children_of(parent: str) -> list[tuple[Kind, Reference]]:
    """The kinds whose rows point at rows of `parent`, so removing a parent row can be refused."""
    return [(k, r) for k in KINDS.values() for r in k.references if r.parent == parent]
