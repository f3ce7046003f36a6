"""`python -m workflows` end to end on the hand-made studio written to a temporary folder."""
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from test_workflows_clips import orders, viewers
from test_workflows_invoices import INVOICES_CSV
from test_workflows_payroll import ASSIGNMENTS_CSV, ASSISTANTS_CSV, HOSTS_CSV, SESSIONS_CSV, SKU_CSV, SLOTS_CSV
from test_workflows_run_of_show import PRODUCTS_CSV

from workflows.cli import main

WEEK = ["--from", "2026-11-30", "--to", "2026-12-06"]


@pytest.fixture
def studio(tmp_path: Path) -> Path:
    files = {"hosts.csv": HOSTS_CSV, "slots.csv": SLOTS_CSV, "sessions.csv": SESSIONS_CSV, "sku_sales.csv": SKU_CSV,
             "products.csv": PRODUCTS_CSV, "assignments.csv": ASSIGNMENTS_CSV, "assistants.csv": ASSISTANTS_CSV,
             "invoices.csv": INVOICES_CSV}
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    viewers("X1").to_csv(tmp_path / "viewer_minutes.csv", index=False)
    orders("X1").to_csv(tmp_path / "order_minutes.csv", index=False)
    return tmp_path


def plan_args(d: Path) -> list[str]:
    return ["--data", str(d), "--plan", str(d / "assignments.csv"), "--assistants", str(d / "assistants.csv")]


def test_timesheet_and_pay(studio: Path, capsys):
    assert main(["timesheet", *plan_args(studio), *WEEK, "--out", str(studio / "out" / "timesheet.csv")]) == 0
    sheet = pd.read_csv(studio / "out" / "timesheet.csv", keep_default_na=False)
    assert sheet.loc[sheet["slot_id"] == "S3", "flag"].tolist() == ["no-show"]
    assert "H2 S2 Mon 30 Nov 10:00: late start" in capsys.readouterr().out
    assert main(["pay", *plan_args(studio), *WEEK, "--basis", "actual", "--out", str(studio / "pay.xlsx")]) == 0
    paid = pd.read_excel(studio / "pay.xlsx").set_index("person_id")
    assert paid.loc["H1", "total"] == 107.5 and paid.loc["H2", "hourly_pay"] == 81.0


def test_timesheet_counts_a_slot_that_has_not_started_as_upcoming(studio: Path, capsys, monkeypatch):
    monkeypatch.setattr("workflows.cli.studio_now", lambda zone: pd.Timestamp("2026-12-01T18:00"))
    out = studio / "timesheet.csv"
    assert main(["timesheet", *plan_args(studio), "--from", "2026-11-30", "--to", "2026-12-13", "--out", str(out)]) == 0
    sheet = pd.read_csv(out, keep_default_na=False).set_index("slot_id")
    assert sheet.loc[["S3", "S4"], "flag"].tolist() == ["upcoming", "upcoming"]
    printed = capsys.readouterr().out.splitlines()
    assert printed == ["H2 S2 Mon 30 Nov 10:00: late start", f"5 line(s), 1 flagged, 2 upcoming; wrote {out}"]


@pytest.mark.parametrize("command", ["timesheet", "pay", "reconcile", "run-of-show", "clips"])
def test_a_day_first_date_is_refused_naming_the_option_with_an_example(studio: Path, capsys, command):
    out = studio / "out" / "result.csv"
    dates = {"run-of-show": ["--date", "30/11/2026"], "clips": ["--date", "11/30/2026"]}
    args = {"clips": ["--data", str(studio)], "reconcile": [*plan_args(studio), "--invoices", str(studio / "invoices.csv")]}
    option_args = dates.get(command, ["--from", "01/12/2026", "--to", "2026-12-06"])
    with pytest.raises(SystemExit) as stop:
        main([command, *args.get(command, plan_args(studio)), *option_args, "--out", str(out)])
    err = capsys.readouterr().err
    assert stop.value.code == 2 and not out.parent.exists()
    assert f"argument {option_args[0]}: '{option_args[1]}' is not a date written year-month-day like 2026-12-10" in err


def test_reconcile_approve_and_the_approval_workbook(studio: Path, capsys):
    decisions = studio / "decisions.csv"
    assert main(["approve", "--invoice", "I2", "--status", "rejected", "--comment", "1 h too many", "--user", "maria",
                 "--decisions", str(decisions)]) == 0
    assert main(["approve", "--invoice", "I1", "--status", "approved", "--user", "li",
                 "--decisions", str(decisions)]) == 0
    assert pd.read_csv(decisions)["subject_id"].tolist() == ["I2", "I1"]
    out = studio / "approval.xlsx"
    assert main(["reconcile", *plan_args(studio), *WEEK, "--invoices", str(studio / "invoices.csv"),
                 "--decisions", str(decisions), "--out", str(out)]) == 0
    assert "I2 H2: over-billed by $45.00 = 1.0 h at $45.00/h" in capsys.readouterr().out
    assert openpyxl.load_workbook(out).sheetnames == ["summary", "pay", "lines", "decisions"]
    summary = pd.read_excel(out, sheet_name="summary", keep_default_na=False).set_index("invoice_id")
    assert summary.loc["I2", "decision"] == "rejected" and summary.loc["I2", "decision_comment"] == "1 h too many"


def test_run_of_show_html_per_host(studio: Path, capsys):
    out = studio / "ros.html"
    assert main(["run-of-show", *plan_args(studio), "--date", "2026-11-30", "--host", "H1", "--out", str(out)]) == 0
    page = out.read_text()
    assert page.count('<section class="slot">') == 1 and "Assistants: Cy" in page
    assert "1 slot(s); 2 flagged claim(s) highlighted" in capsys.readouterr().out


def test_check_claims_exits_1_when_flagged_and_0_when_clean(studio: Path):
    assert main(["check-claims", "--products", str(studio / "products.csv"), "--out", str(studio / "f.csv")]) == 1
    assert pd.read_csv(studio / "f.csv")["matched"].tolist() == ["Clinically proven", "cure"]
    (studio / "clean.csv").write_text(PRODUCTS_CSV.replace("Clinically proven to cure acne", "Helps skin glow"))
    assert main(["check-claims", "--products", str(studio / "clean.csv")]) == 0


def test_clips_for_a_day(studio: Path, capsys):
    assert main(["clips", "--data", str(studio), "--date", "2026-11-30", "--out", str(studio / "clips.csv")]) == 0
    clips = pd.read_csv(studio / "clips.csv")
    assert clips[["session_id", "clip_start"]].values.tolist()[0] == ["X1", "2026-11-30 19:43:00"]
    assert "1. shopA Ana 19:43-19:53: viewers +244 %" in capsys.readouterr().out


def test_bad_input_exits_2_with_file_row_column_and_writes_nothing(studio: Path, capsys):
    (studio / "invoices.csv").write_text("invoice_id,person_id,period_start,period_end\nI1,H1,2026-11-30,2026-12-06\n")
    out = studio / "rec.csv"
    assert main(["reconcile", *plan_args(studio), *WEEK, "--invoices", str(studio / "invoices.csv"),
                 "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "invoices.csv, column amount: required column(s) missing" in err and "Traceback" not in err
    assert not out.exists() and not list(studio.glob(".rec.csv*"))
    (studio / "plan.csv").write_text(ASSIGNMENTS_CSV.replace("S4,H1", "S4,Z9"))
    assert main(["pay", "--data", str(studio), "--plan", str(studio / "plan.csv"), *WEEK, "--out", str(out)]) == 2
    assert "plan.csv, row 5, column host_id: 'Z9' is not in hosts.csv" in capsys.readouterr().err
    assert main(["pay", *plan_args(studio), "--from", "2026-12-06", "--to", "2026-11-30", "--out", str(out)]) == 2
    assert "before it starts" in capsys.readouterr().err
    assert not out.exists()
