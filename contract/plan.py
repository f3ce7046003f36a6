"""A staffing plan: who hosts and who assists each slot, and the files it is read from and written to.

The scheduler writes it (assignments.csv and assistants.csv), the store publishes it by week, the
workflows pay and brief the people in it and the TikTok import attributes streams with it; they all
read it here, so a bad cell is named by file, row and column the same way everywhere.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from contract.columns import Column, Table
from contract.files import write_csv
from contract.schemas import PRODUCT_TIERS
from contract.tables import check_references, parse_table, read_raw

# One row per slot: its host ("" when nobody could take it) and why the scheduler chose them. A file may
# carry more columns (the store's export adds week and locked); they are kept as they are.
ASSIGNMENTS = Table("assignments.csv", (
    Column("slot_id", unique=True),
    Column("host_id", allow_empty=True, default=""),
    Column("reason", required=False, allow_empty=True, default=""),
))

# One row per assistant position filled.
ASSISTANTS = Table("assistants.csv", (
    Column("slot_id"),
    Column("assistant_id"),
))

# products.csv is not in the data contract; the sample studio carries it as the product catalogue. Every
# column but sku is optional so that the store can keep a catalogue of a few columns. A product's name is
# `name`; a catalogue spelt like sku_sales.csv gives it as `product_name` instead (see parse_products).
PRODUCTS = Table("products.csv", (
    Column("sku", unique=True),
    Column("product_name", required=False, allow_empty=True, default=""),
    Column("product_tier", "choice", required=False, allow_empty=True, default="", choices=PRODUCT_TIERS),
    Column("category", required=False, allow_empty=True, default=""),
    Column("name", required=False, allow_empty=True, default=""),
    Column("price", "number", required=False, allow_empty=True, minimum=0),
    Column("talking_points", "list", required=False, allow_empty=True, default=()),
    Column("claims", "list", required=False, allow_empty=True, default=()),
))


def parse_products(raw: pd.DataFrame, file: str = PRODUCTS.file) -> pd.DataFrame:
    """A product catalogue checked against PRODUCTS, each product named by `name`, else by `product_name`."""
    products = parse_table(raw, replace(PRODUCTS, file=file))
    return products.assign(name=products["name"].where(products["name"] != "", products["product_name"]))


@dataclass(frozen=True)
class StaffingPlan:
    """assignments (slot_id, host_id, reason) and, when the studio staffs assistants, assistants
    (slot_id, assistant_id).

    The file names are kept so that a broken reference names the file the person actually gave.
    """

    assignments: pd.DataFrame
    assistants: pd.DataFrame | None = None
    assignments_file: str = ASSIGNMENTS.file
    assistants_file: str = ASSISTANTS.file

    @classmethod
    def from_frames(cls, assignments: pd.DataFrame, assistants: pd.DataFrame | None = None) -> StaffingPlan:
        """A plan from text frames (validated here), e.g. literal frames in a test or the store's tables."""
        return cls(parse_table(assignments, ASSIGNMENTS),
                   None if assistants is None else parse_table(assistants, ASSISTANTS))

    def check(self, slot_ids: Iterable[str], people: Iterable[str] | None = None) -> None:
        """Every slot of the plan is in slots.csv and, when `people` is given, every person in hosts.csv;
        DataError naming the plan's file, row and column otherwise."""
        slot_ids = set(slot_ids)
        hosts_where = replace(ASSIGNMENTS, file=self.assignments_file)
        check_references(self.assignments, "slot_id", slot_ids, hosts_where, "slots.csv")
        if people is not None:
            people = set(people)
            check_references(self.assignments, "host_id", people, hosts_where, "hosts.csv", allow_empty=True)
        if self.assistants is None:
            return
        assistants_where = replace(ASSISTANTS, file=self.assistants_file)
        check_references(self.assistants, "slot_id", slot_ids, assistants_where, "slots.csv")
        if people is not None:
            check_references(self.assistants, "assistant_id", people, assistants_where, "hosts.csv")


def read_plan(assignments: Path, assistants: Path | None = None,
              names: tuple[str, str] | None = None) -> StaffingPlan:
    """A plan from its assignments file and optional assistants file (CSV, Excel or Parquet).

    Problems name each file by `names` when given (e.g. relative to a studio folder), else by its own name.
    """
    assignments_name, assistants_name = names or (Path(assignments).name,
                                                   Path(assistants).name if assistants else ASSISTANTS.file)
    hosts = parse_table(read_raw(assignments), replace(ASSIGNMENTS, file=assignments_name))
    helpers = None if assistants is None else parse_table(read_raw(assistants),
                                                          replace(ASSISTANTS, file=assistants_name))
    return StaffingPlan(hosts, helpers, assignments_name, assistants_name)


def write_plan(plan: StaffingPlan, assignments: Path, assistants: Path | None = None) -> list[Path]:
    """Write the plan's files (the assistants file when a path is given and the plan has assistants), each
    all at once with formula-like text neutralised; returns the files written."""
    write_csv(plan.assignments, assignments)
    if assistants is None or plan.assistants is None:
        return [Path(assignments)]
    write_csv(plan.assistants, assistants)
    return [Path(assignments), Path(assistants)]
