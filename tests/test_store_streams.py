"""What a published week gives each person, as it changes: the log, the feed, the mail queued, the feed secrets."""
from __future__ import annotations

from datetime import UTC, datetime

import icalendar
import pandas as pd
import pytest
import sqlalchemy as sa

from store.feeds import person_calendar
from store.models import feed_tokens
from store.streams import in_words
from tests.notify_studio import PLAN, SLOTS, notify_store, publish

MADE_AT = datetime(2030, 1, 1, 12, tzinfo=UTC)


@pytest.fixture
def store(tmp_path):
    store = notify_store(tmp_path)
    yield store
    store.engine.dispose()


def _events(store, person_id: str) -> dict[str, tuple[str, int, str]]:
    """slot id -> (status, sequence, local start) of the person's feed."""
    with store.engine.connect() as conn:
        parsed = icalendar.Calendar.from_ical(person_calendar(conn, person_id, MADE_AT))
    assert [str(tz["tzid"]) for tz in parsed.walk("VTIMEZONE")] == ["America/Los_Angeles"]
    return {str(e["uid"]).split("@")[0]: (str(e["status"]), int(e["sequence"]),
                                          e.decoded("dtstart").strftime("%a %H:%M")) for e in parsed.walk("VEVENT")}


def _move_s1_an_hour_later(store) -> None:
    moved = SLOTS.replace("2030-01-07T10:00:00,2030-01-07T12:00:00", "2030-01-07T11:00:00,2030-01-07T13:00:00")
    store.import_file(moved.encode(), "slots", "slots.csv", user="ana")


def test_publishing_gives_each_person_exactly_their_streams(store):
    publish(store)
    assert _events(store, "h1") == {"s1": ("CONFIRMED", 0, "Mon 10:00"), "s3": ("CONFIRMED", 0, "Tue 10:00")}
    assert _events(store, "h2") == {"s2": ("CONFIRMED", 0, "Mon 14:00")}
    assert _events(store, "p1") == {"s1": ("CONFIRMED", 0, "Mon 10:00")}  # an assistant gets a feed too


def test_a_taken_away_stream_stays_cancelled_and_a_moved_one_counts_up_its_sequence(store):
    publish(store)
    publish(store, PLAN.assign(host_id=["h1", "h2", "h2"]))  # s3 goes from Ana to Ben
    _move_s1_an_hour_later(store)
    assert _events(store, "h1") == {"s1": ("CONFIRMED", 1, "Mon 11:00"), "s3": ("CANCELLED", 1, "Tue 10:00")}
    assert _events(store, "h2") == {"s2": ("CONFIRMED", 0, "Mon 14:00"), "s3": ("CONFIRMED", 0, "Tue 10:00")}
    assert _events(store, "p1") == {"s1": ("CONFIRMED", 1, "Mon 11:00")}


def test_a_stream_given_back_is_confirmed_again_with_a_higher_sequence(store):
    publish(store)
    publish(store, PLAN.assign(host_id=["h1", "h2", ""]))
    publish(store)
    assert _events(store, "h1")["s3"] == ("CONFIRMED", 2, "Tue 10:00")


def test_what_changed_since_a_moment_is_the_net_change(store):
    before_all = datetime.now()
    publish(store)
    after_publish = datetime.now()
    publish(store, PLAN.assign(host_id=["h1", "h2", "h2"]))
    _move_s1_an_hour_later(store)
    since_publish = [in_words(c) for c in store.changes_since("h1", after_publish)]
    assert since_publish == [
        "Moved: GlowLab live: beauty (hero), from Mon 07 Jan 2030 10:00-12:00 (Studio 1) "
        "to Mon 07 Jan 2030 11:00-13:00 (Studio 1)",
        "Cancelled: GlowLab live: beauty (core), Tue 08 Jan 2030 10:00-12:00 (Studio 2)"]
    # s3 came and went since before the first publish: only s1 is news, where it is now
    assert [in_words(c) for c in store.changes_since("h1", before_all)] == [
        "Added: GlowLab live: beauty (hero), Mon 07 Jan 2030 11:00-13:00 (Studio 1)"]
    assert store.changes_since("h1", datetime.now()) == []


def test_publishing_queues_one_message_per_person_with_an_address(store):
    publish(store)
    mail = store.outbox.messages()
    assert mail["to_address"].tolist() == ["ana@example.com", "ben@example.com"]  # Pia has no address
    assert mail["subject"].tolist() == ["Sample Studio: your livestreams changed (2 added)",
                                        "Sample Studio: your livestreams changed (1 added)"]
    assert mail["body"].iloc[0] == (
        "Hello Ana Ruiz,\n\nYour livestreams at Sample Studio changed (America/Los_Angeles time):\n\n"
        "- Added: GlowLab live: beauty (hero), Mon 07 Jan 2030 10:00-12:00 (Studio 1)\n"
        "- Added: GlowLab live: beauty (core), Tue 08 Jan 2030 10:00-12:00 (Studio 2)\n\n"
        "Your calendar subscription shows the same changes.\n")
    assert mail["attempts"].tolist() == [0, 0] and mail["sent_at"].isna().all()


def test_every_later_change_queues_mail_to_those_it_touches_only(store):
    publish(store)
    publish(store, PLAN.assign(host_id=["h1", "h2", "h2"]))
    _move_s1_an_hour_later(store)
    later = store.outbox.messages().iloc[2:]
    assert later[["to_address", "subject"]].values.tolist() == [
        ["ana@example.com", "Sample Studio: your livestreams changed (1 cancelled)"],
        ["ben@example.com", "Sample Studio: your livestreams changed (1 added)"],
        ["ana@example.com", "Sample Studio: your livestreams changed (1 moved)"]]
    publish(store, PLAN.assign(host_id=["h1", "h2", "h2"]))  # the same plan again: nothing changed for anyone
    assert len(store.outbox.messages()) == 5


def test_a_week_that_is_over_is_logged_but_mails_nobody(store):
    past = SLOTS.replace("2030-01-0", "2020-01-0")
    store.import_file(past.encode(), "slots", "slots.csv", user="ana")
    publish(store, week="2020-W02")
    assert store.outbox.messages().empty
    assert store.changes_since("h1", datetime(2019, 1, 1))[0].change == "added"


def test_a_feed_secret_opens_one_persons_feed_until_revoked_and_is_kept_only_hashed(store):
    publish(store)
    first = store.feeds.new_token("h1", "root")
    assert store.feeds.person_of(first) == "h1"
    assert b"s1@livestream-scheduler" in store.feeds.calendar(first, MADE_AT)
    second = store.feeds.new_token("h1", "root")
    assert store.feeds.person_of(first) is None and store.feeds.person_of(second) == "h1"
    assert store.feeds.calendar("not-a-secret", MADE_AT) is None
    assert store.feeds.revoke("h1", "root") == 1
    assert store.feeds.calendar(second, MADE_AT) is None
    with store.engine.connect() as conn:
        stored = pd.DataFrame(conn.execute(sa.select(feed_tokens)).all(), columns=[c.name for c in feed_tokens.c])
    assert not stored.isin([first, second]).any().any() and stored["revoked_by"].tolist() == ["root", "root"]


def test_a_feed_for_someone_not_on_the_roster_is_refused(store):
    with pytest.raises(ValueError, match="no host or assistant 'h9'"):
        store.feeds.new_token("h9", "root")
