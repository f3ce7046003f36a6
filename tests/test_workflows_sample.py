"""`python -m workflows` on the committed sample studio, whose past weeks sit in history/, as the README shows it."""
from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd

from tests.conftest import SAMPLE
from workflows.cli import main

HISTORY = SAMPLE / "history"
PLAN = ["--data", str(SAMPLE), "--plan", str(HISTORY / "assignments.csv"), "--assistants",
        str(HISTORY / "assistants.csv")]
W48 = ["--from", "2026-11-23", "--to", "2026-11-29"]


def test_timesheet_pay_and_reconcile_of_the_last_past_week(tmp_path: Path, capsys):
    assert main(["timesheet", *PLAN, *W48, "--out", str(tmp_path / "timesheet.csv")]) == 0
    sheet = pd.read_csv(tmp_path / "timesheet.csv", keep_default_na=False)
    assert {"host", "assistant"} == set(sheet["role"])
    for flag in ("late start", "early end", "no-show", "on air: "):
        assert sheet["flag"].str.contains(flag).any(), flag
    assert main(["pay", *PLAN, *W48, "--out", str(tmp_path / "pay.csv")]) == 0
    paid = pd.read_csv(tmp_path / "pay.csv")
    assert set(paid["person_id"]) == set(sheet["person_id"])
    capsys.readouterr()
    assert main(["reconcile", *PLAN, *W48, "--invoices", str(HISTORY / "invoices.csv"),
                 "--out", str(tmp_path / "approval.xlsx")]) == 0
    summary = capsys.readouterr().out.splitlines()[-1]
    for status in ("matched", "over-billed", "under-billed", "missing"):
        assert status in summary


def test_run_of_show_names_the_assistant_of_a_past_slot(tmp_path: Path):
    helpers = pd.read_csv(HISTORY / "assistants.csv")
    slot_id, assistant = helpers.iloc[-1]
    slots = pd.read_csv(HISTORY / "slots.csv").set_index("slot_id")
    day = slots.at[slot_id, "start"][:10]
    out = tmp_path / "ros.html"
    assert main(["run-of-show", *PLAN, "--date", day, "--host", assistant, "--out", str(out)]) == 0
    assert slot_id in out.read_text()


def test_a_past_slot_also_in_slots_csv_is_refused_naming_the_history_row(tmp_path: Path, capsys):
    studio = tmp_path / "studio"
    shutil.copytree(SAMPLE, studio, ignore=shutil.ignore_patterns("viewer_minutes.csv", "sku_sales.csv"))
    past = (studio / "history" / "slots.csv").read_text().splitlines()
    (studio / "slots.csv").write_text((studio / "slots.csv").read_text() + past[2] + "\n")
    out = tmp_path / "pay.csv"
    plan = ["--data", str(studio), "--plan", str(studio / "history" / "assignments.csv")]
    assert main(["pay", *plan, *W48, "--out", str(out)]) == 2
    assert f"history/slots.csv, row 3, column slot_id: '{past[2].split(',')[0]}' is also in slots.csv" in \
        capsys.readouterr().err
    assert not out.exists()
