"""What the payroll and run-of-show pages decide through the workflows library: invoice counts, review subjects
and reviews rebuilt from stored steps, on literal rows."""
from __future__ import annotations

from datetime import date, datetime

import pandas as pd

from workflows.invoices import invoice_counts
from workflows.run_of_show import day_brief_id, review_subjects, reviews_from_decisions, slot_brief_id


def test_invoices_are_grouped_into_matched_to_query_and_missing():
    result = pd.DataFrame({
        "invoice_id": ["I1", "I2", "I3", "I4", ""],
        "status": ["matched", "over-billed", "duplicate", "no pay", "missing"],
        "invoiced": [100.0, 250.0, 100.0, 40.0, 0.0],
        "owed": [100.0, 200.0, 0.0, 0.0, 75.5]})
    counts = invoice_counts(result)
    assert (counts.invoices, counts.billed, counts.matched, counts.to_query) == (4, 490.0, 1, 3)
    assert (counts.missing, counts.owed_without_invoice, counts.all_matched) == (1, 75.5, False)


def test_invoices_all_matched():
    result = pd.DataFrame({"invoice_id": ["I1"], "status": ["matched"], "invoiced": [10.0], "owed": [10.0]})
    counts = invoice_counts(result)
    assert (counts.to_query, counts.missing, counts.all_matched) == (0, 0, True)


class Show:  # the one field review_subjects reads of a SlotShow
    def __init__(self, slot_id: str):
        self.slot_id = slot_id


DAY = date(2026, 11, 27)


def test_each_slot_is_its_own_brief_to_review():
    shows = [Show("S1"), Show("S2")]
    subjects = review_subjects(DAY, shows)
    assert list(subjects) == ["2026-11-27/S1", "2026-11-27/S2"]
    assert [s.slot_id for s in subjects["2026-11-27/S2"]] == ["S2"]


def test_a_persons_day_brief_comes_first_and_holds_all_their_slots():
    shows = [Show("S1"), Show("S3")]
    subjects = review_subjects(DAY, shows, "P02")
    assert list(subjects) == ["2026-11-27/P02", "2026-11-27/S1", "2026-11-27/S3"]
    assert [s.slot_id for s in subjects[day_brief_id(DAY, "P02")]] == ["S1", "S3"]
    assert slot_brief_id(DAY, "S1") == "2026-11-27/S1"


def test_reviews_are_rebuilt_from_their_stored_steps_oldest_first():
    at = [datetime(2026, 11, 26, 9), datetime(2026, 11, 26, 10)]
    decisions = pd.DataFrame({"subject_id": ["2026-11-27/S1", "2026-11-27/S1"],
                              "status": ["in_review", "changes_requested"], "user": ["ana", "lead"], "at": at,
                              "comment": ["", "reword the serum claim"]})
    found = reviews_from_decisions(decisions, ["2026-11-27/S1", "2026-11-27/S2"])
    first = found["2026-11-27/S1"]
    assert first.status == "changes_requested"
    assert [(t.from_status, t.to_status, t.user) for t in first.history] == [
        ("draft", "in_review", "ana"), ("in_review", "changes_requested", "lead")]
    assert first.history[-1].comment == "reword the serum claim"
    assert (found["2026-11-27/S2"].status, found["2026-11-27/S2"].history) == ("draft", ())
