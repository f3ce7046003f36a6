"""Invoices reconciled against the hand-made studio's pay (see test_workflows_payroll)."""
from datetime import datetime

import pandas as pd
import pytest
from test_workflows_payroll import WEEK, studio, text, week_sheet

import contract
from workflows.invoices import approval_sheet, decide, decisions_frame, parse_invoices, reconcile, with_decisions
from workflows.payroll import pay

# Owed for the week: H1 $107.50, H2 $135.00 (3 h at $45), A1 $40.00.
INVOICES_CSV = """invoice_id,person_id,period_start,period_end,amount
I1,H1,2026-11-30,2026-12-06,107.90
I2,H2,2026-11-30,2026-12-06,180
I3,Z9,2026-11-30,2026-12-06,50
I4,H1,2026-11-23,2026-11-29,70
I5,H1,2026-11-30,2026-12-06,107.50
"""


def reconciled(csv: str = INVOICES_CSV) -> pd.DataFrame:
    hosts = studio()["hosts"]
    return reconcile(parse_invoices(text(csv)), pay(week_sheet(), hosts, WEEK), hosts)


def test_each_invoice_gets_a_status_and_a_sentence():
    out = reconciled().set_index(["invoice_id", "person_id"])
    assert out.loc[("I1", "H1"), "status"] == "matched"  # 40 cents is inside the $1 tolerance
    over = out.loc[("I2", "H2")]
    assert (over.status, over.owed, over.difference) == ("over-billed", 135.0, 45.0)
    assert over.note == "over-billed by $45.00 = 1.0 h at $45.00/h"
    assert out.loc[("I3", "Z9"), "status"] == "unknown person"
    assert out.loc[("I3", "Z9"), "note"] == "invoices.csv, row 4, column person_id: 'Z9' is not in hosts.csv"
    assert out.loc[("I4", "H1"), "status"] == "no pay"  # last week: nothing computed for it
    assert out.loc[("I5", "H1"), "status"] == "duplicate"
    missing = out.loc[("", "A1")]
    assert (missing.status, missing.owed, missing.note) == ("missing", 40.0, "no invoice for $40.00 owed")
    assert missing["name"] == "Cy"


def test_under_billing_that_is_not_whole_hours_says_only_the_amount():
    out = reconciled(INVOICES_CSV.replace("180", "100")).set_index("invoice_id")
    assert out.loc["I2", "status"] == "under-billed"
    assert out.loc["I2", "note"] == "under-billed by $35.00"


def test_bad_invoices_name_file_row_and_column():
    with pytest.raises(contract.DataError, match="invoices.csv, column amount: required column"):
        parse_invoices(text("invoice_id,person_id,period_start,period_end\nI1,H1,2026-11-30,2026-12-06\n"))
    with pytest.raises(contract.DataError) as caught:
        parse_invoices(text(INVOICES_CSV.replace("I4,H1,2026-11-23,2026-11-29", "I4,H1,2026-11-29,2026-11-23")))
    assert str(caught.value) == ("invoices.csv, row 5, column period_end: 2026-11-23 is before "
                                 "period_start 2026-11-29")


def test_a_decision_is_a_record_and_a_rejection_needs_a_reason():
    at = datetime(2026, 12, 7, 9, 30)
    assert decide("I2", "rejected", "bill 3 h, not 4", "maria", at).status == "rejected"
    with pytest.raises(ValueError, match="needs a comment"):
        decide("I2", "rejected", "  ", "maria", at)
    with pytest.raises(ValueError, match="'paid' is not one of approved, rejected"):
        decide("I2", "paid", "", "maria", at)
    with pytest.raises(ValueError, match="name of the person"):
        decide("I2", "approved", "", "", at)


def test_the_latest_decision_per_invoice_goes_in_the_approval_sheet():
    decisions = decisions_frame([
        decide("I2", "rejected", "bill 3 h, not 4", "maria", datetime(2026, 12, 7, 9)),
        decide("I2", "approved", "corrected invoice", "maria", datetime(2026, 12, 8, 9)),
        decide("I1", "approved", "", "li", datetime(2026, 12, 7, 10)),
    ])
    summary = with_decisions(reconciled(), decisions).set_index("invoice_id")
    assert summary.loc["I2", "decision"] == "approved" and summary.loc["I2", "decision_comment"] == "corrected invoice"
    assert summary.loc["I1", "decided_by"] == "li" and summary.loc["I3", "decision"] == ""
    hosts = studio()["hosts"]
    sheets = approval_sheet(reconciled(), pay(week_sheet(), hosts, WEEK), week_sheet(), decisions)
    assert list(sheets) == ["summary", "pay", "lines", "decisions"]
    assert sheets["decisions"]["subject_id"].tolist() == ["I2", "I1", "I2"]
