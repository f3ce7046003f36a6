"""The studio workflow pages through AppTest: they render, their figures are the workflows library's for the same
inputs, and bad input or a refused action is a message, never a traceback."""
from __future__ import annotations

from datetime import datetime, timedelta

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import contract
from contract.folder import StudioTables
from contract.plan import StaffingPlan, parse_products
from metrics import load_results
from tests.conftest import ROOT, SAMPLE
from ui.services import published_plan
from workflows import PayrollSettings, Period, clip_list, default_rules, pay, run_of_show, show_findings, timesheet


def open_page(name: str) -> AppTest:
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    app.run()
    app.switch_page(f"ui/pages/{name}.py")
    app.run()
    assert not app.exception, f"{name}: {app.exception}"
    return app


def all_text(app: AppTest) -> str:
    parts = [m.value for m in app.markdown] + [m.value for m in app.caption] + [t.value for t in app.title]
    parts += [m.value for m in app.success] + [m.value for m in app.info] + [m.value for m in app.error]
    return "\n".join(parts)


def table_with(app: AppTest, *columns: str) -> pd.DataFrame:
    """The first table on the page that has all these columns (AppTest does not expose a dataframe's key)."""
    return next(d.value for d in app.dataframe if set(columns) <= set(d.value.columns))


def open_store(path):
    from store import open_store as _open

    return _open(f"sqlite:///{path}")


def library_inputs(path) -> tuple[StudioTables, StaffingPlan]:
    """The store's tables and its published plan (hosts and assistants), as the pages hand them to the library."""
    store = open_store(path)
    frames = store.tables(["hosts", "slots", "products", "sessions", "sku_sales"])  # viewer minutes take seconds
    plan = published_plan(store, frames)
    store.engine.dispose()
    return frames, plan


def last_published_week(path) -> str:
    return open_store(path).published_schedules()["week"].max()


def money(amount: float) -> str:
    return f"${amount:,.2f}"


def test_payroll_of_the_freshly_seeded_sample_shows_the_librarys_w48_hours_and_pay(app_store):
    week = last_published_week(app_store)
    assert week == "2026-W48"  # the seed published the sample studio's past weeks
    frames, plan = library_inputs(app_store)
    monday = datetime.strptime(f"{week}-1", "%G-W%V-%u").date()
    period = Period(monday, monday + timedelta(days=6))

    app = open_page("payroll")
    assert app.selectbox(key="payroll_week").value == week
    for basis in ("scheduled", "actual"):
        app.radio(key="payroll_basis").set_value(basis).run()
        assert not app.exception
        settings = PayrollSettings(pay_basis=basis)
        sheet = timesheet(plan, frames.slots, frames.hosts, frames.sessions,
                          frames.sku_sales, period, settings, now=pd.Timestamp(period.end + timedelta(days=1)))
        total = pay(sheet, frames.hosts, period, settings)["total"].sum()
        assert sheet["flag"].str.contains("late start").sum() > 0  # the sample studio has late starts
        assert set(sheet["role"]) == {"host", "assistant"} and sheet["scheduled_h"].sum() > 0
        text = all_text(app)
        assert f'<div class="label">total pay</div><div class="value">{money(total)}</div>' in text
        hours = f"{sheet['scheduled_h'].sum():,.1f} / {sheet['actual_h'].sum():,.1f}"
        assert f'<div class="label">hours scheduled / on air</div><div class="value">{hours}</div>' in text
        for flag, label in (("late start", "late starts"), ("no-show", "no-shows")):
            count = int(sheet["flag"].str.contains(flag).sum())
            assert f'<div class="label">{label}</div><div class="value">{count}</div>' in text
    shown = table_with(app, "flag", "late_min")
    assert len(shown) == len(sheet)
    assert set(shown["role"]) == {"host", "assistant"}

    app.radio(key="payroll_mode").set_value("Dates").run()
    app.date_input(key="payroll_dates").set_value((datetime(2020, 1, 6).date(), datetime(2020, 1, 12).date())).run()
    assert not app.exception
    assert "Publish the week on the Schedule page first" in all_text(app)


def test_payroll_of_a_published_week_that_starts_in_four_days_counts_no_no_shows(app_store, monkeypatch):
    store = open_store(app_store)
    week_slots = store.tables(["slots"]).slots
    week_slots = week_slots.loc[week_slots["slot_id"].str.startswith("W49-")]
    hosts = store.tables(["hosts"]).hosts
    first_host = hosts.loc[hosts["role"] == "host", "host_id"].iloc[0]
    store.save_schedule("2026-W49", pd.DataFrame({"slot_id": week_slots["slot_id"], "host_id": first_host}), "lea",
                        status="published")
    store.engine.dispose()
    monkeypatch.setattr("ui.workflow_state.studio_now", lambda zone: pd.Timestamp("2026-11-26T12:00"))  # a Thursday

    app = open_page("payroll")
    assert app.selectbox(key="payroll_week").value == "2026-W49"
    text = all_text(app)
    assert '<div class="label">no-shows</div><div class="value">0</div>' in text
    assert f'<div class="delta ">{len(week_slots)} upcoming</div>' in text
    shown = table_with(app, "flag", "late_min")
    assert len(shown) == len(week_slots) and set(shown["flag"]) == {"upcoming"}
    app.toggle(key="payroll_only_flagged").set_value(True).run()
    assert table_with(app, "flag", "late_min").empty


def test_invoices_bad_rows_are_listed_good_ones_reconciled_and_decided(app_store):
    week = last_published_week(app_store)
    frames, plan = library_inputs(app_store)
    monday = datetime.strptime(f"{week}-1", "%G-W%V-%u").date()
    period = Period(monday, monday + timedelta(days=6))
    sheet = timesheet(plan, frames.slots, frames.hosts, frames.sessions, frames.sku_sales,
                      period, now=pd.Timestamp(period.end + timedelta(days=1)))
    paid = pay(sheet, frames.hosts, period).set_index("person_id")["total"]
    first, second = paid.index[:2]
    sunday = period.end.isoformat()

    app = open_page("payroll")
    bad = (f"invoice_id,person_id,period_start,period_end,amount\nINV-1,{first},{monday},{sunday},lots\n"
           f"INV-2,{second},not a day,{sunday},10\n").encode()
    app.file_uploader(key="invoices_upload").upload("invoices.csv", bad, "text/csv").run()
    assert not app.exception
    assert any("invoices.csv cannot be reconciled" in e.value for e in app.error)
    problems = table_with(app, "row", "column", "why")
    assert set(zip(problems["row"], problems["column"])) == {(2, "amount"), (3, "period_start")}

    good = (f"invoice_id,person_id,period_start,period_end,amount\nINV-1,{first},{monday},{sunday},{paid[first]}\n"
            f"INV-2,{second},{monday},{sunday},{paid[second] + 50}\n").encode()
    app.file_uploader(key="invoices_upload").upload("invoices.csv", good, "text/csv").run()
    assert not app.exception
    result = table_with(app, "status", "note").set_index("invoice_id")
    assert result.at["INV-1", "status"] == "matched"
    assert result.at["INV-2", "status"] == "over-billed"
    assert result.at["INV-2", "difference"] == pytest.approx(50.0)

    app.selectbox(key="decision_invoice").set_value("INV-2")
    app.radio(key="decision_status").set_value("rejected")
    app.button(key="decision_record").click().run()
    assert any("needs a comment" in e.value for e in app.error)

    app.selectbox(key="decision_invoice").set_value("INV-1")
    app.radio(key="decision_status").set_value("approved")
    app.text_input(key="decision_comment").set_value("hours match the timesheet")
    app.button(key="decision_record").click().run()
    assert not app.exception
    stored = open_store(app_store).decisions("invoice")
    assert stored[["subject_id", "status", "comment", "user"]].values.tolist() == [
        ["INV-1", "approved", "hours match the timesheet", "local"]]
    assert table_with(app, "invoice", "who")["who"].tolist() == ["local"]
    assert any(b.label.startswith("Download the payment approval sheet") for b in app.get("download_button"))


def test_run_of_show_counts_flags_and_refuses_to_approve_a_flagged_claim(app_store):
    frames, plan = library_inputs(app_store)
    products = parse_products(frames.products)
    rules = default_rules()

    app = open_page("run_of_show")
    day = app.selectbox(key="ros_day").value
    shows = run_of_show(plan, frames.slots, frames.hosts, products, frames.sessions,
                        frames.sku_sales, day)
    findings = show_findings(shows, rules)
    text = all_text(app)
    assert f'<div class="label">slots</div><div class="value">{len(shows)}</div>' in text
    assert f'<div class="label">flagged claims</div><div class="value">{len(findings)}</div>' in text

    flagged = next(s for s in shows if len(show_findings([s], rules)))
    phrase = show_findings([flagged], rules)["matched"].iloc[0].lower()
    subject = f"{day.isoformat()}/{flagged.slot_id}"
    assert any("<mark" in m.value for m in app.markdown)  # the flagged phrase is highlighted on the page
    app.selectbox(key="ros_subject").set_value(subject)
    app.button(key="ros_approve").click().run()
    assert not app.exception
    refused = [e.value for e in app.error if "cannot be approved" in e.value]
    assert refused and phrase in refused[0]
    assert open_store(app_store).decisions("run_of_show").empty

    app.selectbox(key="ros_subject").set_value(subject)
    app.button(key="ros_submit").click().run()
    assert not app.exception
    stored = open_store(app_store).decisions("run_of_show")
    assert stored[["subject_id", "status", "user"]].values.tolist() == [[subject, "in_review", "local"]]
    overview = table_with(app, "brief", "status")
    assert "in review" in overview["status"].tolist()
    assert any(b.label.startswith("Download the day's run-of-show") for b in app.get("download_button"))


def test_clips_page_lists_the_librarys_clips(app_store):
    results = load_results(SAMPLE)  # the store was seeded from these files; reading them is quicker
    hosts = contract.read_table(SAMPLE / "hosts.csv", contract.HOSTS)
    app = open_page("clips")
    day = app.selectbox(key="clips_day").value
    expected = clip_list(results.sessions, results.viewer_minutes, day, None, hosts)
    assert f'<div class="label">clips</div><div class="value">{len(expected)}</div>' in all_text(app)
    if len(expected):
        shown = table_with(app, "rank", "why")
        assert shown["rank"].tolist() == expected["rank"].tolist()
        assert shown["why"].tolist() == expected["why"].tolist()
        assert any(b.label.startswith("Download the clip list") for b in app.get("download_button"))


def test_run_of_show_names_the_assistants_and_filters_by_an_assistant(app_store):
    frames, plan = library_inputs(app_store)
    app = open_page("run_of_show")
    day = app.selectbox(key="ros_day").value
    todays = frames.slots.loc[frames.slots["start"].dt.date == day, "slot_id"]
    helpers = plan.assistants.loc[plan.assistants["slot_id"].isin(todays)]
    assert len(helpers), "the seeded sample staffs assistants on the day's hero slots"
    names = frames.hosts.set_index("host_id")["name"]
    assistant = helpers["assistant_id"].iloc[0]
    assert any("assistants: " in m.value and names[assistant] in m.value for m in app.markdown)
    app.selectbox(key="ros_host").set_value(assistant).run()
    assert not app.exception
    theirs = set(helpers.loc[helpers["assistant_id"] == assistant, "slot_id"])
    text = all_text(app)
    assert f'<div class="label">slots</div><div class="value">{len(theirs)}</div>' in text


def test_the_sample_invoices_reconcile_to_every_case_on_the_payroll_page(app_store):
    app = open_page("payroll")
    content = (SAMPLE / "history" / "invoices.csv").read_bytes()
    app.file_uploader(key="invoices_upload").upload("invoices.csv", content, "text/csv").run()
    assert not app.exception
    result = table_with(app, "status", "note")
    assert {"matched", "over-billed", "under-billed", "missing"} == set(result["status"])
