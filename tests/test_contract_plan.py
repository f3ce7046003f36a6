"""The staffing plan's reader and writer, its reference check and the product catalogue's names."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from contract import DataError
from contract.plan import StaffingPlan, parse_products, read_plan, write_plan

ASSIGNMENTS_CSV = "slot_id,host_id,reason\nS1,H1,best fit\nS2,,nobody free\nS3,H2,\n"
ASSISTANTS_CSV = "slot_id,assistant_id\nS1,A1\nS3,A1\n"


def write(folder: Path, name: str, text: str) -> Path:
    (folder / name).write_text(text)
    return folder / name


def test_a_written_plan_reads_back_the_same(tmp_path):
    plan = read_plan(write(tmp_path, "assignments.csv", ASSIGNMENTS_CSV), write(tmp_path, "assistants.csv",
                                                                               ASSISTANTS_CSV))
    out = tmp_path / "out"
    written = write_plan(plan, out / "assignments.csv", out / "assistants.csv")
    assert written == [out / "assignments.csv", out / "assistants.csv"]
    assert (out / "assignments.csv").read_text() == ASSIGNMENTS_CSV
    again = read_plan(*written)
    pd.testing.assert_frame_equal(again.assignments, plan.assignments)
    pd.testing.assert_frame_equal(again.assistants, plan.assistants)
    assert again.assignments["host_id"].tolist() == ["H1", "", "H2"]
    assert again.assistants["assistant_id"].tolist() == ["A1", "A1"]


def test_a_plan_without_assistants_writes_one_file(tmp_path):
    plan = read_plan(write(tmp_path, "plan.csv", ASSIGNMENTS_CSV))
    assert plan.assistants is None and plan.assignments_file == "plan.csv"
    assert write_plan(plan, tmp_path / "out.csv", tmp_path / "helpers.csv") == [tmp_path / "out.csv"]
    assert not (tmp_path / "helpers.csv").exists()


def test_an_absent_reason_is_empty_and_extra_columns_are_kept(tmp_path):
    plan = read_plan(write(tmp_path, "assignments.csv", "week,slot_id,host_id,locked\n2026-W48,S1,H1,true\n"))
    assert plan.assignments[["slot_id", "host_id", "reason", "week", "locked"]].values.tolist() == [
        ["S1", "H1", "", "2026-W48", "true"]]


def test_a_bad_row_is_named_by_file_row_and_column(tmp_path):
    repeated = write(tmp_path, "week.csv", ASSIGNMENTS_CSV + "S2,H1,\n")
    with pytest.raises(DataError) as found:
        read_plan(repeated)
    assert [(p.file, p.row, p.column) for p in found.value.problems] == [("week.csv", 5, "slot_id")]
    empty = write(tmp_path, "helpers.csv", "slot_id,assistant_id\nS1,A1\nS3,\n")
    with pytest.raises(DataError, match=r"^history/helpers.csv, row 3, column assistant_id: "):
        read_plan(write(tmp_path, "assignments.csv", ASSIGNMENTS_CSV), empty, ("history/a.csv", "history/helpers.csv"))


def test_check_names_the_plans_file_for_an_unknown_slot_or_person(tmp_path):
    plan = read_plan(write(tmp_path, "mine.csv", ASSIGNMENTS_CSV), write(tmp_path, "help.csv", ASSISTANTS_CSV))
    plan.check(["S1", "S2", "S3"], ["H1", "H2", "A1"])  # an empty host is a slot nobody could take
    plan.check(["S1", "S2", "S3"])  # without hosts.csv only the slots are checked
    with pytest.raises(DataError, match=r"^mine.csv, row 4, column host_id: 'H2' is not in hosts.csv$"):
        plan.check(["S1", "S2", "S3"], ["H1", "A1"])
    with pytest.raises(DataError, match=r"^help.csv, row 3, column slot_id: 'S3' is not in slots.csv$"):
        StaffingPlan(plan.assignments.iloc[:2], plan.assistants, "mine.csv", "help.csv").check(["S1", "S2"])


def test_from_frames_checks_literal_frames():
    with pytest.raises(DataError, match=r"^assignments.csv, row 2, column slot_id: is empty; a value is required$"):
        StaffingPlan.from_frames(pd.DataFrame({"slot_id": [""], "host_id": ["H1"]}, dtype="str"))


def test_a_product_is_named_by_name_else_by_product_name():
    raw = pd.DataFrame({"sku": ["P1", "P2"], "name": ["Serum", ""], "product_name": ["", "Mask"],
                        "price": ["12.5", ""], "claims": ["vegan|new", ""]}, dtype="str")
    products = parse_products(raw)
    assert products["name"].tolist() == ["Serum", "Mask"]
    assert products["claims"].tolist() == [("vegan", "new"), ()]
    assert products["price"].iloc[0] == 12.5 and pd.isna(products["price"].iloc[1])
    assert products["product_tier"].tolist() == ["", ""]


def test_a_bad_price_names_the_catalogue_row():
    raw = pd.DataFrame({"sku": ["P1", "P2"], "price": ["3", "-1"]}, dtype="str")
    with pytest.raises(DataError, match=r"^shop.xlsx, row 3, column price: "):
        parse_products(raw, "shop.xlsx")
