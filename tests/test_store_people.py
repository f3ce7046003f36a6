"""Users, approval decisions and saved schedules in the store."""
from __future__ import annotations

import pandas as pd
import pytest
import sqlalchemy as sa
from test_store import postgres_url, store, store_url, studio_dir  # noqa: F401  (fixtures)

from store import VersionConflict
from store.models import users


def test_password_is_stored_only_as_a_bcrypt_hash(store):
    store.users.add_user("ana", "associate", "s3cret-pass")
    with store.engine.connect() as conn:
        stored = conn.execute(sa.select(users.c.password_hash)).scalar_one()
    assert "s3cret-pass" not in stored and stored.startswith("$2b$")
    assert store.users.sign_in("ana", "s3cret-pass").role == "associate"
    assert store.users.sign_in("ana", "s3cret-pasS").role is None
    assert store.users.sign_in("nobody", "s3cret-pass").role is None


def test_user_management_rules(store):
    with pytest.raises(ValueError, match="at least 8"):
        store.users.add_user("ana", "associate", "short")
    with pytest.raises(ValueError, match="role 'boss' is not one of leadership, associate, admin"):
        store.users.add_user("ana", "boss", "long enough")
    store.users.add_user("root", "admin", "long enough")
    store.users.add_user("lea", "leadership", "long enough")
    with pytest.raises(ValueError, match="already exists"):
        store.users.add_user("lea", "associate", "long enough")
    with pytest.raises(ValueError, match="last admin"):
        store.users.set_role("root", "associate")
    store.users.set_role("lea", "admin")
    store.users.remove_user("root")
    assert store.users.list_users()[["username", "role"]].values.tolist() == [["lea", "admin"]]


def test_a_disabled_user_has_no_role_until_enabled_and_the_last_admin_stays(store):
    store.users.add_user("root", "admin", "long enough")
    store.users.add_user("ana", "associate", "long enough")
    store.users.set_disabled("ana", True, "root")
    assert store.users.role_of("ana") is None and store.users.is_disabled("ana")
    refused = store.users.sign_in("ana", "long enough")
    assert refused.role is None and refused.disabled
    assert not store.users.sign_in("ana", "wrong password").disabled  # a wrong password says nothing more
    listed = store.users.list_users().set_index("username")["disabled_at"]
    assert listed.notna().to_dict() == {"ana": True, "root": False}
    with pytest.raises(ValueError, match="'root' is the last admin"):
        store.users.set_disabled("root", True, "root")
    with pytest.raises(ValueError, match="no user 'zed'"):
        store.users.set_disabled("zed", True, "root")
    store.users.set_disabled("ana", False, "root")
    assert store.users.role_of("ana") == "associate" and store.users.sign_in("ana", "long enough").role == "associate"
    store.users.set_disabled("ana", True, "root")
    store.users.set_role("ana", "admin")
    with pytest.raises(ValueError, match="last admin"):  # a disabled admin manages nobody
        store.users.set_role("root", "leadership")


def test_decisions_are_kept_per_kind_in_order(store):
    store.record_decision("invoice", "INV-7", "approved", "", "lea")
    store.record_decision("run_of_show", "s1", "rejected", "swap the hero SKU", "lea")
    store.record_decision("invoice", "INV-7", "paid", "wire sent", "ana")
    invoices = store.decisions("invoice")
    assert invoices[["subject_id", "status", "comment", "user"]].values.tolist() == [
        ["INV-7", "approved", "", "lea"], ["INV-7", "paid", "wire sent", "ana"]]
    assert len(store.decisions()) == 3


PLAN = pd.DataFrame({"slot_id": ["s1", "s2"], "host_id": ["h1", ""], "locked": [True, False],
                     "reason": ["", "no host is available"], "assistant_ids": ["", ""]})


def test_schedule_draft_publish_and_changes(store):
    schedule_id, version = store.save_schedule("2026-W49", PLAN, "ana")
    assert version == 1 and store.schedule("2026-W49") is None
    meta, saved = store.schedule("2026-W49", "draft")
    assert meta["created_by"] == "ana"
    pd.testing.assert_frame_equal(saved, PLAN)

    edited = PLAN.assign(host_id=["h1", "h2"], reason=["", ""])
    _, version = store.save_schedule("2026-W49", edited, "ben", expected_version=1)
    with pytest.raises(VersionConflict, match="changed by ben at .* since you opened it"):
        store.save_schedule("2026-W49", PLAN, "ana", expected_version=1)
    assert store.publish_schedule(schedule_id, "lea", version) == 3
    meta, published = store.schedule("2026-W49")
    assert (meta["status"], meta["published_by"]) == ("published", "lea")
    assert list(published["host_id"]) == ["h1", "h2"]
    changes = store.assignment_changes(schedule_id)
    assert changes[["slot_id", "role", "before", "after", "user"]].values.tolist() == [["s2", "host", "", "h2", "ben"]]

    # a later change starts a new draft; its changes are logged against the published schedule
    second_id, _ = store.save_schedule("2026-W49", edited.assign(host_id=["h2", "h2"]), "ana", status="published")
    assert store.schedule("2026-W49")[0]["id"] == second_id
    assert store.assignment_changes(second_id)[["slot_id", "before", "after"]].values.tolist() == [["s1", "h1", "h2"]]


def test_starting_a_second_draft_of_the_same_week_conflicts(store):
    store.save_schedule("2026-W49", PLAN, "ana")
    with pytest.raises(VersionConflict, match="the draft schedule for 2026-W49 was changed by ana"):
        store.save_schedule("2026-W49", PLAN, "ben")
