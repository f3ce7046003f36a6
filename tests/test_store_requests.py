"""Hosts in the loop, in the store: a host user is one person of hosts.csv; their requests wait for an associate;
an approval checks the hard rules again, changes only the slots it is about and is logged."""
from __future__ import annotations

import pandas as pd
import pytest
import sqlalchemy as sa
from test_store import sqlite_url, write_studio

from store.approvals import Decisions, RuleBroken
from store.models import stream_changes
from store.seed import open_seeded
from store.users import Account

WEEK = "2026-W49"
BEFORE = pd.Timestamp("2026-11-29T12:00")  # the Sunday before the week
# s1 (Mon 10-12, hero, locked to h1 in slots.csv) and s2 (Mon 14-16, core); h1 is away 8-20, h2 10-22.


@pytest.fixture
def store(tmp_path):
    found = open_seeded(sqlite_url(tmp_path), write_studio(tmp_path / "studio"))
    yield found
    found.engine.dispose()


def publish(store, s2_host: str) -> None:
    plan = pd.DataFrame({"slot_id": ["s1", "s2"], "host_id": ["h1", s2_host], "locked": [True, False],
                         "assistant_ids": ["", ""], "reason": ["", ""]})
    store.save_schedule(WEEK, plan, "ana", status="published")


def published_hosts(store) -> dict[str, str]:
    rows = store.schedule(WEEK, "published")[1]
    return dict(zip(rows["slot_id"], rows["host_id"]))


def test_a_host_user_is_one_person_of_the_roster(store):
    users = store.users
    users.add_user("ben", "host", "long enough", host_id="h2")
    assert users.account_of("ben") == Account("host", "h2")
    assert users.role_of("ben") == "host"
    with pytest.raises(ValueError, match="hosts.csv has no host or assistant 'h9'"):
        users.add_user("zed", "host", "long enough", host_id="h9")
    with pytest.raises(ValueError, match="needs the host_id"):
        users.add_user("zed", "host", "long enough")
    with pytest.raises(ValueError, match="only a user with the role 'host' is linked"):
        users.add_user("zed", "associate", "long enough", host_id="h1")
    users.add_user("ana", "associate", "long enough")
    users.set_role("ana", "host", host_id="h1")
    assert users.account_of("ana").host_id == "h1"
    users.set_role("ana", "associate")
    assert users.account_of("ana").host_id is None
    assert users.list_users()[["username", "role", "host_id"]].values.tolist() == [["ana", "associate", ""],
                                                                                 ["ben", "host", "h2"]]


def test_time_off_waits_for_an_associate_and_only_then_is_seen_with_the_slots_it_breaks(store):
    publish(store, "h1")
    asked = store.requests.ask_time_off("h1", pd.Timestamp("2026-11-30T13:00"), pd.Timestamp("2026-11-30T17:00"),
                                        "dentist", "ana-host")
    assert store.requests.of_person("h1")[["kind", "status", "note"]].values.tolist() == [
        ["time off", "pending", "dentist"]]
    assert store.requests.of_person("h2").empty
    assert store.tables(["availability_exceptions"]).availability_exceptions.empty  # the scheduler sees nothing yet

    broken = Decisions(store).approve_time_off(asked, "cara", BEFORE)
    kept = store.tables(["availability_exceptions"]).availability_exceptions
    assert kept[["host_id", "change", "note", "recorded_by"]].values.tolist() == [["h1", "time off", "dentist", "cara"]]
    assert {week: [(v.rule, v.slot_id, v.host_id) for v in found] for week, found in broken.items()} == {
        WEEK: [("rule 1: availability", "s2", "h1")]}
    decided = store.requests.get(asked)
    assert (decided.status, decided.decided_by) == ("approved", "cara")
    with pytest.raises(ValueError, match="no longer pending"):
        Decisions(store).approve_time_off(asked, "cara", BEFORE)


def test_a_declined_time_off_never_reaches_the_scheduler(store):
    asked = store.requests.ask_time_off("h2", pd.Timestamp("2026-11-30T13:00"), pd.Timestamp("2026-11-30T17:00"),
                                        "", "ben")
    Decisions(store).decline(asked, "cara", "busy week")
    assert store.requests.get(asked).status == "declined"
    assert store.tables(["availability_exceptions"]).availability_exceptions.empty
    assert store.requests.pending().empty


def test_an_open_slot_is_seen_by_who_can_take_it_and_a_claim_is_approved_as_one_logged_change(store):
    publish(store, "")
    decisions = Decisions(store)
    assert decisions.open_slots_for("h2", BEFORE) == []  # not offered yet
    store.requests.offer("s2", "cara")
    assert decisions.open_slots_for("h2", BEFORE) == ["s2"]
    claim = store.requests.claim("s2", "h2", "happy to", "ben")
    with pytest.raises(ValueError, match="already asked"):
        store.requests.claim("s2", "h2", "", "ben")
    other = store.requests.claim("s2", "h1", "", "ana-host")

    decisions.approve_claim(claim, "cara", BEFORE)
    assert published_hosts(store) == {"s1": "h1", "s2": "h2"}
    changes = store.assignment_changes(store.schedule(WEEK, "published")[0]["id"])
    assert changes[["slot_id", "role", "before", "after", "user"]].values.tolist() == [["s2", "host", "", "h2", "cara"]]
    with store.engine.connect() as conn:
        logged = conn.execute(sa.select(stream_changes.c.person_id, stream_changes.c.slot_id, stream_changes.c.change)
                              .where(stream_changes.c.user == "cara")).all()
    assert [tuple(row) for row in logged] == [("h2", "s2", "added")]
    assert store.requests.get(claim).status == "approved"
    assert store.requests.get(other).status == "declined"  # the slot is taken
    assert store.requests.offered() == []


def test_a_claim_that_breaks_a_rule_at_approval_is_refused_with_the_rule_named(store):
    publish(store, "")
    store.requests.offer("s2", "cara")
    claim = store.requests.claim("s2", "h2", "", "ben")
    store.record_time_off("h2", pd.Timestamp("2026-11-30T13:00"), pd.Timestamp("2026-11-30T17:00"), "flu", "cara")
    with pytest.raises(RuleBroken, match=r"h2 taking slot s2 is refused: it would break rule 1: availability"):
        Decisions(store).approve_claim(claim, "cara", BEFORE)
    assert published_hosts(store) == {"s1": "h1", "s2": ""}
    assert store.requests.get(claim).status == "pending"


def test_a_dropped_stream_goes_to_an_approved_replacement_and_nothing_else_moves(store):
    publish(store, "h1")
    decisions = Decisions(store)
    dropped = store.requests.drop("s2", "h1", "family matter", "ana-host")
    ranked = decisions.replacements(dropped, BEFORE)
    assert ranked[["rank", "host_id", "gives_up_slot_id"]].values.tolist() == [[1, "h2", ""]]
    assert ranked.at[0, "week_hours_after"] == 2.0
    away = store.record_time_off("h2", pd.Timestamp("2026-11-30T13:00"), pd.Timestamp("2026-11-30T17:00"), "", "cara")
    assert decisions.replacements(dropped, BEFORE).empty
    with pytest.raises(RuleBroken, match="rule 1: availability"):
        decisions.approve_drop(dropped, "h2", "cara", BEFORE)
    store.undo_import(away.import_id, "cara")

    decisions.approve_drop(dropped, "h2", "cara", BEFORE)
    assert published_hosts(store) == {"s1": "h1", "s2": "h2"}
    changes = store.assignment_changes(store.schedule(WEEK, "published")[0]["id"])
    assert changes[["slot_id", "before", "after"]].values.tolist() == [["s2", "h1", "h2"]]
    decided = store.requests.get(dropped)
    assert (decided.status, decided.replacement_id) == ("approved", "h2")


def test_an_edit_of_a_published_week_reaches_its_draft_where_the_draft_agreed(store):
    publish(store, "h1")
    draft = pd.DataFrame({"slot_id": ["s1", "s2"], "host_id": ["h1", "h1"], "locked": [True, False],
                          "assistant_ids": ["", ""], "reason": ["", ""]})
    _, version = store.save_schedule(WEEK, draft, "ana")
    dropped = store.requests.drop("s2", "h1", "", "ana-host")
    Decisions(store).approve_drop(dropped, "h2", "cara", BEFORE)
    meta, rows = store.schedule(WEEK, "draft")
    assert dict(zip(rows["slot_id"], rows["host_id"])) == {"s1": "h1", "s2": "h2"}
    assert meta["version"] == version + 1  # an editor of the old draft is told to reload


def test_the_mail_of_a_change_also_says_everything_since_the_host_last_looked(tmp_path):
    from datetime import datetime

    from tests.notify_studio import PLAN, notify_store
    from tests.notify_studio import publish as publish_plan

    store = notify_store(tmp_path)
    publish_plan(store)
    store.users.add_user("ana", "host", "long enough", host_id="h1")
    store.users.looked("ana", datetime.now())
    publish_plan(store, PLAN.assign(host_id=["h1", "h2", "h2"]))  # h1 loses s3
    publish_plan(store, PLAN.assign(host_id=["h1", "h1", "h2"]))  # h1 gains s2
    mail = store.outbox.messages()
    to_ana = mail.loc[mail["person_id"] == "h1", "body"].tolist()
    assert "since you last looked" not in to_ana[-2]  # the first change after the look is all there is
    latest = to_ana[-1]
    assert latest.index("Added: GlowLab live: beauty (core), Mon 07 Jan 2030 14:00-16:00") < latest.index(
        "Everything that changed since you last looked")
    since = latest[latest.index("Everything that changed since you last looked"):]
    assert "- Added: GlowLab live: beauty (core), Mon 07 Jan 2030 14:00-16:00" in since
    assert "- Cancelled: GlowLab live: beauty (core), Tue 08 Jan 2030 10:00-12:00 (Studio 2)" in since
    store.engine.dispose()


def _studio_with(tmp_path, **files: str):
    from test_store import STUDIO
    return open_seeded(sqlite_url(tmp_path), write_studio(tmp_path / "studio", {**STUDIO, **files}))


def test_a_lock_on_a_dropped_slot_passes_to_the_approved_replacement_and_is_in_the_history(tmp_path):
    from test_store import STUDIO

    from store.kinds import ROSTER_KINDS
    from store.week import scheduler_settings, week_conflicts

    store = _studio_with(tmp_path, **{"hosts.csv": STUDIO["hosts.csv"].replace("h2,Ben,B", "h2,Ben,A")})
    publish(store, "")
    dropped = store.requests.drop("s1", "h1", "flu", "ana-host")  # s1 is locked to h1 in slots.csv
    Decisions(store).approve_drop(dropped, "h2", "cara", BEFORE)
    slots = store.tables(["slots"]).slots
    assert dict(zip(slots["slot_id"], slots["locked_host_id"])) == {"s1": "h2", "s2": ""}
    rows = store.schedule(WEEK, "published")[1]
    assert rows[["slot_id", "host_id", "locked"]].values.tolist() == [["s1", "h2", True], ["s2", "", False]]
    assert week_conflicts(store.tables(ROSTER_KINDS), WEEK, rows, scheduler_settings(store.studio_settings())) == []
    moved = store.import_history().iloc[0]
    assert (moved["kind"], moved["user"], moved["rows_updated"]) == ("slots", "cara", 1)
    assert moved["file_name"] == f"slots.csv: lock moved with an edit of published {WEEK}"
    store.undo_import(int(moved["id"]), "cara")  # undone like any change of slots.csv
    assert store.tables(["slots"]).slots["locked_host_id"].tolist() == ["h1", ""]
    store.engine.dispose()


def test_an_assistants_dropped_stream_gets_a_ranking_of_who_could_take_their_place(tmp_path):
    from test_store import STUDIO

    hosts = STUDIO["hosts.csv"].replace("nickname\n", "nickname,role,min_hours_per_week\n").replace(
        "Annie\n", "Annie,host,\n").replace("15,\n", "15,,host,\n") + (
        "p1,Pia,C,beauty,,15,20,,assistant,\np2,Paz,C,beauty,,12,20,,assistant,\n"
        "p3,Per,C,beauty,,18,20,,assistant,4\n")
    availability = STUDIO["availability.csv"] + "".join(
        f"{p},2026-11-30T08:00:00,2026-11-30T20:00:00\n" for p in ("p1", "p2", "p3"))
    slots = STUDIO["slots.csv"].replace("locked_host_id\n", "locked_host_id,assistants_needed\n").replace(
        ",h1\n", ",h1,1\n").replace(",beauty,\n", ",beauty,,1\n")
    store = _studio_with(tmp_path, **{"hosts.csv": hosts, "availability.csv": availability, "slots.csv": slots})
    plan = pd.DataFrame({"slot_id": ["s1", "s2"], "host_id": ["h1", "h2"], "locked": [True, False],
                         "assistant_ids": ["p1", ""], "reason": ["", ""]})
    store.save_schedule(WEEK, plan, "ana", status="published")
    dropped = store.requests.drop("s1", "p1", "", "pia")
    ranked = Decisions(store).replacements(dropped, BEFORE)
    # p3 was promised 4 h and has none, so first; then the cheaper p2
    assert ranked[["rank", "host_id", "pay", "week_hours_after"]].values.tolist() == [[1, "p3", 36.0, 2.0],
                                                                                      [2, "p2", 24.0, 2.0]]
    Decisions(store).approve_drop(dropped, "p3", "cara", BEFORE)
    assert store.schedule(WEEK, "published")[1]["assistant_ids"].tolist() == ["p3", ""]
    store.engine.dispose()
