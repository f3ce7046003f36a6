"""A host signed in sees only their own streams, pay, availability and requests: by page, widget, download and
URL; the associate's inbox approves time off (and shows what it breaks) and claims with the rules checked again."""
from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import store.users
import ui.components.mine
import ui.components.requests_inbox
from store import open_store
from store.approvals import Decisions
from tests.conftest import ROOT

NOW = pd.Timestamp("2026-11-30T00:00")  # the start of the sample's week to plan, 2026-W49
WEEK = "2026-W49"
PASSWORD = "s3cret-pass"
OTHER_PAGES = ["schedule", "roster", "daily", "weekly", "payroll", "run_of_show", "clips", "data", "settings",
               "requests"]


@pytest.fixture
def studio(app_store, monkeypatch):
    """W49 published with H001 (Ella Scott) on three slots and H002 (Simone Miller) on three, one slot left open;
    H002 has a request of their own; users: hana (host H001), cara (associate)."""
    monkeypatch.setattr(store.users, "ROUNDS", 4)
    for module in (ui.components.mine, ui.components.requests_inbox):
        monkeypatch.setattr(module, "studio_now", lambda zone: NOW)
    opened = open_store(f"sqlite:///{app_store}")
    slots = opened.tables(["slots"]).slots
    slots = slots.loc[slots["start"] >= NOW].sort_values(["start", "slot_id"]).reset_index(drop=True)
    hosts = ["H001", "H002", "H001", "H002", "H001", "H002", ""]
    plan = pd.DataFrame({"slot_id": slots["slot_id"].head(len(hosts)), "host_id": hosts, "locked": False,
                         "reason": "", "assistant_ids": ""})
    opened.save_schedule(WEEK, plan, "cara", status="published")
    opened.requests.ask_time_off("H002", pd.Timestamp("2026-12-04T09:00"), pd.Timestamp("2026-12-04T18:00"),
                                 "simone's secret reason", "simone")
    opened.users.add_user("hana", "host", PASSWORD, host_id="H001")
    opened.users.add_user("cara", "associate", PASSWORD)
    monkeypatch.setenv("STUDIO_SIGN_IN", "on")
    return opened, plan


def sign_in(name: str) -> AppTest:
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    app.run()
    app.text_input(key="sign_in_user").set_value(name)
    app.text_input(key="sign_in_password").set_value(PASSWORD)
    app.button[0].click().run()
    assert not app.exception, app.exception
    return app


def table_with(app: AppTest, column: str) -> pd.DataFrame:
    """The first table on the page with that column (AppTest does not find a table by its key)."""
    return next(frame.value for frame in app.dataframe if column in frame.value.columns)


def everything_shown(app: AppTest) -> str:
    """Every text, table cell, widget label and option on the page."""
    parts = [e.value for kind in ("markdown", "caption", "title", "subheader", "success", "info", "error", "warning",
                                  "code") for e in app.get(kind)]
    parts += [frame.value.to_csv() for frame in app.dataframe]
    for kind in ("selectbox", "multiselect", "button", "download_button", "text_input", "expander"):
        for widget in app.get(kind):
            parts.append(str(getattr(widget, "label", "")))
            parts += [str(o) for o in getattr(widget, "options", [])]
    return "\n".join(parts)


def test_a_host_gets_their_own_pages_only(studio):
    app = sign_in("hana")
    assert app.title[0].value == "My streams"
    for page in OTHER_PAGES:
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            app.switch_page(f"ui/pages/{page}.py")
    for page in ("my_hours", "my_availability"):
        app.switch_page(f"ui/pages/{page}.py").run()
        assert not app.exception and not app.error, page


def test_my_streams_lists_mine_with_their_brief_and_nobody_elses(studio):
    _, plan = studio
    app = sign_in("hana")
    shown = everything_shown(app)
    mine = plan.loc[plan["host_id"] == "H001", "slot_id"].tolist()
    theirs = plan.loc[plan["host_id"] != "H001", "slot_id"].tolist()
    assert table_with(app, "role")["slot_id"].tolist() == mine
    assert not [slot for slot in theirs if slot in shown]
    assert "Simone Miller" not in shown and "H002" not in shown
    assert [b.label for b in app.get("download_button")] == ["Download this brief (HTML)"] * 3
    assert "This is your first look" in shown
    app.button(key="mark_seen").click().run()
    assert "Nothing changed since" in everything_shown(app)


def test_the_host_comes_from_the_store_on_every_run_not_from_the_url(studio):
    opened, plan = studio
    app = sign_in("hana")
    app.query_params["host_id"] = "H002"
    app.run()
    assert table_with(app, "role")["slot_id"].tolist() == plan.loc[plan["host_id"] == "H001",
                                                                                  "slot_id"].tolist()
    opened.users.set_role("hana", "host", host_id="H002")
    app.run()
    assert table_with(app, "role")["slot_id"].tolist() == plan.loc[plan["host_id"] == "H002",
                                                                                  "slot_id"].tolist()
    opened.users.set_role("hana", "leadership")
    app.run()
    assert app.title[0].value == "Weekly scorecard"


def test_my_hours_shows_my_pay_alone(studio):
    opened, plan = studio
    slots = opened.tables(["slots"]).slots.set_index("slot_id")
    mine = slots.loc[plan.loc[plan["host_id"] == "H001", "slot_id"]]
    app = sign_in("hana")
    app.switch_page("ui/pages/my_hours.py").run()
    assert not app.exception
    weeks = table_with(app, "hourly pay")
    assert weeks.loc[0, "week"] == WEEK  # newest first; the sample's past weeks follow
    assert weeks.loc[0, "hours"] == pytest.approx(((mine["end"] - mine["start"]).dt.total_seconds() / 3600).sum())
    assert "Simone Miller" not in everything_shown(app)


def test_my_hours_shows_the_status_of_my_invoices_and_nobody_elses(studio):
    from datetime import date

    from store.pay import period_pay
    from workflows import Period

    opened, _ = studio
    w48 = Period(date(2026, 11, 23), date(2026, 11, 29))
    opened.invoices.draft(period_pay(opened, w48, "scheduled", NOW), "USD", "cara")
    opened.invoices.mark(["INV-2026W48-H001", "INV-2026W48-H002"], "sent", "cara")
    opened.invoices.mark(["INV-2026W48-H002"], "paid", "cara")
    app = sign_in("hana")
    app.switch_page("ui/pages/my_hours.py").run()
    assert not app.exception
    mine = table_with(app, "status")
    assert mine[["number", "amount", "currency", "status"]].values.tolist() == [
        ["INV-2026W48-H001", 1921.18, "USD", "sent"]]  # the sample's own W48 invoice of Ella Scott says 1921.18
    shown = everything_shown(app)
    assert "$1,921.18 sent to you and not paid yet." in shown
    others = opened.invoices.of_period(w48.start, w48.end).query("person_id != 'H001'")["number"].tolist()
    assert len(others) > 20 and not [number for number in others if number in shown]
    assert not app.get("download_button")  # nothing on the page to download another's invoice by


def test_my_availability_edits_my_rows_only_and_time_off_waits_for_approval(studio):
    opened, _ = studio
    before = opened.tables(["availability_template"]).availability_template
    app = sign_in("hana")
    app.switch_page("ui/pages/my_availability.py").run()
    shown = everything_shown(app)
    assert "simone's secret reason" not in shown and "H002" not in shown
    app.button(key="my_template_save").click().run()
    assert not app.exception and not app.error
    after = opened.tables(["availability_template"]).availability_template
    pd.testing.assert_frame_equal(after.sort_values(["host_id", "weekday", "start"]).reset_index(drop=True),
                                  before.sort_values(["host_id", "weekday", "start"]).reset_index(drop=True))

    app.text_input(key="time_off_note").set_value("dentist")
    app.button(key="time_off_ask").click().run()
    assert any("waits for an associate" in s.value for s in app.success)
    assert opened.requests.of_person("H001")["status"].tolist() == ["pending"]
    assert [line for line in everything_shown(app).splitlines() if "dentist" in line][0].endswith(
        "(dentist): pending")
    exceptions = opened.tables(["availability_exceptions"]).availability_exceptions
    assert not (exceptions["host_id"] == "H001").any()


def test_the_associate_approves_time_off_and_sees_what_it_breaks(studio):
    opened, plan = studio
    first = opened.tables(["slots"]).slots.set_index("slot_id").loc[plan.at[0, "slot_id"]]
    asked = opened.requests.ask_time_off("H001", first["start"], first["end"], "flu", "hana")
    app = sign_in("cara")
    app.switch_page("ui/pages/requests.py").run()
    assert not app.exception
    assert "Ella Scott (H001)" in everything_shown(app)
    app.button(key=f"approve_{asked}").click().run()
    assert not app.exception
    assert any("approved" in s.value for s in app.success)
    kept = opened.tables(["availability_exceptions"]).availability_exceptions
    assert kept.loc[kept["host_id"] == "H001", ["note", "recorded_by"]].values.tolist() == [["flu", "cara"]]
    conflicts = table_with(app, "rule")
    assert ["rule 1: availability", plan.at[0, "slot_id"], "Ella Scott (H001)"] in conflicts[
        ["rule", "slot", "person"]].values.tolist()
    assert app.button(key=f"repair_{WEEK}")


def test_an_offered_slot_is_claimed_by_a_host_and_approved_by_the_associate(studio):
    opened, plan = studio
    open_slot = plan.at[6, "slot_id"]
    opened.requests.offer(open_slot, "cara")
    people = opened.tables(["hosts"]).hosts["host_id"]
    takers = [person for person in people if Decisions(opened).open_slots_for(person, NOW) == [open_slot]]
    assert "H001" not in takers  # three Monday streams already: a fourth breaks the daily limit
    opened.users.set_role("hana", "host", host_id=takers[0])
    host = sign_in("hana")
    host.button(key=f"claim_{open_slot}").click().run()
    assert any("once an associate approves" in s.value for s in host.success)
    associate = sign_in("cara")
    associate.switch_page("ui/pages/requests.py").run()
    claim = int(opened.requests.pending().query("kind == 'claim'")["id"].iloc[0])
    associate.button(key=f"approve_{claim}").click().run()
    assert not associate.exception and not associate.error
    rows = opened.schedule(WEEK, "published")[1]
    assert dict(zip(rows["slot_id"], rows["host_id"]))[open_slot] == takers[0]


def test_a_stream_a_host_cannot_make_goes_to_a_ranked_replacement_as_one_logged_change(studio):
    opened, plan = studio
    dropped = plan.at[4, "slot_id"]  # H001's third Monday stream
    host = sign_in("hana")
    host.selectbox(key="drop_slot").set_value(dropped)
    host.text_input(key="drop_note").set_value("family matter")
    host.button(key="drop_ask").click().run()
    assert any("flagged" in s.value for s in host.success)
    request_id = int(opened.requests.pending().query("kind == 'drop'")["id"].iloc[0])

    associate = sign_in("cara")
    associate.switch_page("ui/pages/requests.py").run()
    ranked = table_with(associate, "what_changes")
    assert ranked["rank"].tolist() == list(range(1, len(ranked) + 1))
    assert (ranked["expected_gmv"].diff().dropna() <= 0).all()  # best first
    chosen = associate.selectbox(key=f"replacement_{request_id}").value
    gives_up = ranked.loc[0, "gives_up_slot_id"]
    before = opened.schedule(WEEK, "published")[1].set_index("slot_id")["host_id"]
    associate.button(key=f"approve_{request_id}").click().run()
    assert not associate.exception and not associate.error
    meta, rows = opened.schedule(WEEK, "published")
    after = rows.set_index("slot_id")["host_id"]
    changed = sorted(after.index[after != before])
    assert changed == sorted([dropped] + ([gives_up] if gives_up else []))
    assert after[dropped] == chosen
    logged = opened.assignment_changes(meta["id"])
    assert logged.loc[logged["slot_id"] == dropped, ["before", "after", "user"]].values.tolist() == [
        ["H001", chosen, "cara"]]
    assert opened.requests.get(request_id).replacement_id == chosen


def test_the_admin_links_a_user_to_a_host_makes_their_feed_link_and_sets_up_mail(app_store, monkeypatch):
    monkeypatch.setattr(store.users, "ROUNDS", 4)
    opened = open_store(f"sqlite:///{app_store}")
    opened.users.add_user("root", "admin", PASSWORD)
    monkeypatch.setenv("STUDIO_SIGN_IN", "on")
    app = sign_in("root")
    app.switch_page("ui/pages/settings.py").run()
    app.text_input(key="new_user_name").set_value("hana")
    app.selectbox(key="new_user_role").set_value("host")
    app.selectbox(key="new_user_host").set_value("H001")
    app.text_input(key="new_user_password").set_value(PASSWORD)
    app.button[[b.label for b in app.button].index("Add user")].click().run()
    assert not app.exception and opened.users.account_of("hana") == store.users.Account("host", "H001")

    app.selectbox(key="feed_person").set_value("H002")
    app.button(key="feed_make").click().run()
    path = next(code.value for code in app.code if code.value.startswith("/feed/"))
    assert opened.feeds.person_of(path.removeprefix("/feed/").removesuffix(".ics")) == "H002"
    app.button(key="feed_revoke").click().run()
    assert opened.feeds.person_of(path.removeprefix("/feed/").removesuffix(".ics")) is None

    app.text_input(key="smtp_host").set_value("smtp.studio.test")
    app.text_input(key="smtp_sender").set_value("schedule@studio.test")
    app.button[[b.label for b in app.button].index("Save mail settings")].click().run()
    assert not app.exception and not app.error
    assert (opened.outbox.settings().host, opened.outbox.settings().sender) == ("smtp.studio.test",
                                                                                 "schedule@studio.test")


def test_the_associate_drafts_the_periods_invoices_and_marks_them_sent_then_paid(studio):
    opened, plan = studio
    app = sign_in("cara")
    app.switch_page("ui/pages/payroll.py").run()
    assert not app.exception
    app.button(key="invoices_draft").click().run()
    assert any("2 invoice(s) drafted" in s.value for s in app.success), [s.value for s in app.success]
    drafted = opened.invoices.of_period(pd.Timestamp("2026-11-30").date(), pd.Timestamp("2026-12-06").date())
    assert drafted[["number", "status", "drafted_by"]].values.tolist() == [["INV-2026W49-H001", "draft", "cara"],
                                                                           ["INV-2026W49-H002", "draft", "cara"]]
    pay = table_with(app, "hourly_pay")  # the pay per person above: each invoice is that person's total
    assert drafted["amount"].tolist() == pay.set_index("name").loc[["Ella Scott", "Simone Miller"], "total"].tolist()
    app.multiselect(key="invoices_numbers").set_value(["INV-2026W49-H001"])
    app.radio(key="invoices_status").set_value("paid")
    app.button(key="invoices_submit").click().run()
    assert any("is draft, so it cannot be marked paid" in e.value for e in app.error)
    app.multiselect(key="invoices_numbers").set_value(["INV-2026W49-H001"])
    app.radio(key="invoices_status").set_value("sent")
    app.button(key="invoices_submit").click().run()
    assert any("1 invoice(s) marked sent by cara" in s.value for s in app.success)
    shown = table_with(app, "sent_by")
    assert shown[["number", "status", "sent_by"]].values.tolist() == [["INV-2026W49-H001", "sent", "cara"],
                                                                      ["INV-2026W49-H002", "draft", ""]]
    app.button(key="invoices_draft").click().run()  # again: the draft keeps its amount, the sent one is kept
    assert any("0 invoice(s) drafted, 0 draft(s) given a new amount, 1 unchanged, 1 already sent" in s.value
               for s in app.success)


def test_an_assistants_stream_they_cannot_make_gets_its_own_ranking_and_goes_to_the_chosen_one(studio):
    opened, plan = studio
    slots = opened.tables(["slots"]).slots.sort_values(["start", "slot_id"])
    helped = slots.loc[(slots["start"] >= NOW) & (slots["assistants_needed"] > 0), "slot_id"].iloc[0]
    assistants = opened.tables(["hosts"]).hosts.query("role == 'assistant'")["host_id"].tolist()
    rows = pd.concat([plan, pd.DataFrame({"slot_id": [helped], "host_id": ["H003"], "locked": [False], "reason": [""],
                                          "assistant_ids": [assistants[0]]})], ignore_index=True)
    opened.save_schedule(WEEK, rows, "cara", status="published")
    request_id = opened.requests.drop(helped, assistants[0], "", "pia")
    ranked = Decisions(opened).replacements(request_id, NOW)
    assert len(ranked) and set(ranked["host_id"]) <= set(assistants[1:])

    associate = sign_in("cara")
    associate.switch_page("ui/pages/requests.py").run()
    assert not associate.exception
    shown = table_with(associate, "what_changes")
    assert "expected_gmv" not in shown.columns  # the same for every assistant: not what tells them apart
    assert shown["name"].tolist() == ranked["name"].tolist()
    chosen = associate.selectbox(key=f"replacement_{request_id}").value
    assert chosen == ranked.at[0, "host_id"]
    associate.button(key=f"approve_{request_id}").click().run()
    assert not associate.exception and not associate.error
    after = opened.schedule(WEEK, "published")[1].set_index("slot_id")["assistant_ids"]
    assert after[helped] == chosen
