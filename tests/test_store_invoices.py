"""The studio's invoices to the people it pays: drafted from a period's pay, sent, then paid, each step once and
kept with who and when; a person reads only their own; and the store commands that do the same."""
from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from test_store import postgres_url, store_url, studio_dir  # noqa: F401  (fixtures)

from store import open_seeded
from store.cli import main
from store.invoices import invoice_number
from store.pay import period_pay
from workflows import Period

W49 = Period(date(2026, 11, 30), date(2026, 12, 6))


def pay_rows(totals: dict[str, float], period: Period = W49) -> pd.DataFrame:
    return pd.DataFrame({"person_id": list(totals), "period_start": period.start.isoformat(),
                         "period_end": period.end.isoformat(), "total": list(totals.values())})


@pytest.fixture
def store(store_url, studio_dir):  # noqa: F811 (fixtures)
    opened = open_seeded(store_url, studio_dir)
    yield opened
    opened.engine.dispose()


def test_an_invoice_number_names_the_iso_week_or_else_the_days():
    assert invoice_number("H019", date(2026, 11, 23), date(2026, 11, 29)) == "INV-2026W48-H019"
    assert invoice_number("H019", date(2026, 11, 24), date(2026, 11, 30)) == "INV-20261124-20261130-H019"
    assert invoice_number("h1", date(2026, 12, 28), date(2027, 1, 3)) == "INV-2026W53-h1"


def test_invoices_are_drafted_from_pay_then_sent_then_paid_once_each(store):
    drafted = store.invoices.draft(pay_rows({"h1": 120.456, "h2": 0.0}), "EUR", "cara")
    assert (drafted.added, drafted.updated, drafted.unchanged, drafted.kept) == (1, 0, 0, 0)  # h2 is owed nothing
    mine = store.invoices.of_person("h1")
    assert mine[["number", "amount", "currency", "status", "drafted_by"]].values.tolist() == [
        ["INV-2026W49-h1", 120.46, "EUR", "draft", "cara"]]
    assert store.invoices.of_person("h2").empty

    with pytest.raises(ValueError, match="invoice INV-2026W49-h1 is draft, so it cannot be marked paid"):
        store.invoices.mark(["INV-2026W49-h1"], "paid", "cara")
    assert store.invoices.mark(["INV-2026W49-h1"], "sent", "dan") == 1
    with pytest.raises(ValueError, match="is sent, so it cannot be marked sent"):  # a second associate, too late
        store.invoices.mark(["INV-2026W49-h1"], "sent", "cara")
    assert store.invoices.draft(pay_rows({"h1": 99.0}), "EUR", "cara").kept == 1  # what h1 received stays
    store.invoices.mark(["INV-2026W49-h1"], "paid", "erin")
    row = store.invoices.of_person("h1").iloc[0]
    assert (row["amount"], row["status"], row["sent_by"], row["paid_by"]) == (120.46, "paid", "dan", "erin")
    assert row["drafted_at"] <= row["sent_at"] <= row["paid_at"]


def test_drafting_again_gives_a_draft_the_new_amount_and_marking_is_all_or_none(store):
    store.invoices.draft(pay_rows({"h1": 100.0, "h2": 50.0}), "USD", "cara")
    again = store.invoices.draft(pay_rows({"h1": 130.0, "h2": 50.0}), "USD", "dan")
    assert (again.added, again.updated, again.unchanged) == (0, 1, 1)
    listed = store.invoices.of_period(W49.start, W49.end)
    assert listed[["person_id", "amount", "drafted_by"]].values.tolist() == [["h1", 130.0, "dan"],
                                                                             ["h2", 50.0, "cara"]]
    with pytest.raises(ValueError, match="there is no invoice INV-nope"):
        store.invoices.mark(["INV-2026W49-h1", "INV-nope"], "sent", "cara")
    assert store.invoices.of_period(W49.start, W49.end)["status"].tolist() == ["draft", "draft"]  # h1 not sent
    with pytest.raises(ValueError, match="hosts.csv has no host or assistant 'h9'"):
        store.invoices.draft(pay_rows({"h9": 10.0}), "USD", "cara")


def test_a_periods_pay_comes_from_the_published_schedule(store):
    plan = pd.DataFrame({"slot_id": ["s1", "s2"], "host_id": ["h1", "h2"], "locked": [True, False],
                         "assistant_ids": ["", ""], "reason": ["", ""]})
    store.save_schedule("2026-W49", plan, "ana", status="published")
    paid = period_pay(store, W49, "scheduled", pd.Timestamp("2026-12-07"))
    # two hours each, at h1's 30 and h2's 25 an hour; nothing sold in W49, so no commission
    assert paid[["person_id", "scheduled_hours", "total"]].values.tolist() == [["h1", 2.0, 60.0], ["h2", 2.0, 50.0]]


def test_the_commands_draft_list_and_mark_invoices(store, capsys):
    url = store.engine.url.render_as_string(hide_password=False)
    plan = pd.DataFrame({"slot_id": ["s1", "s2"], "host_id": ["h1", "h2"], "locked": [True, False],
                         "assistant_ids": ["", ""], "reason": ["", ""]})
    store.save_schedule("2026-W49", plan, "ana", status="published")
    assert main(["--url", url, "draft-invoices", "--from", "2026-11-30", "--to", "2026-12-06", "--user", "cara"]) == 0
    assert capsys.readouterr().out.startswith("2 invoice(s) drafted, 0 draft(s) given a new amount")
    assert main(["--url", url, "mark-invoices", "INV-2026W49-h1", "--as", "sent", "--user", "cara"]) == 0
    assert capsys.readouterr().out == "1 invoice(s) marked sent\n"
    assert main(["--url", url, "mark-invoices", "INV-2026W49-h1", "--as", "sent"]) == 2
    assert "is sent, so it cannot be marked sent" in capsys.readouterr().err
    assert main(["--url", url, "invoices", "--person", "h1"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert len(listed) == 2 and listed[1].split()[:7] == ["INV-2026W49-h1", "h1", "2026-11-30", "2026-12-06", "60.0",
                                                         "USD", "sent"]
    assert main(["--url", url, "invoices", "--from", "2027-01-01"]) == 0
    assert capsys.readouterr().out == "no invoice\n"
    assert main(["--url", url, "draft-invoices", "--from", "2026-12-06", "--to", "2026-11-30"]) == 2
    assert "the period ends (2026-11-30) before it starts (2026-12-06)" in capsys.readouterr().err


def test_starting_your_own_studio_clears_the_invoices_and_its_undo_puts_them_back(store):
    store.invoices.draft(pay_rows({"h1": 100.0}), "USD", "cara")
    store.invoices.mark(["INV-2026W49-h1"], "sent", "cara")
    before = store.invoices.of_person("h1")
    assert store.rows_to_clear()["invoices"] == 1
    step = store.start_own_studio("Nova Live", "ana")
    assert store.invoices.of_person("h1").empty
    store.undo_import(step, "ana")
    pd.testing.assert_frame_equal(store.invoices.of_person("h1"), before)
