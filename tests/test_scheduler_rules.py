"""Each hard rule bites in a tiny studio where the solver would otherwise break it, and a control case where
it must not bite; plus one host per slot, slots across midnight, a host without availability and an empty week."""
from __future__ import annotations

import pytest
from test_scheduler_support import broken_rules, host, hosted, make_studio, slot

from scheduler import Settings, solve

FAST = dict(time_limit=5.0)


def staffed(studio, settings=Settings()) -> dict[str, str]:
    plan = solve(studio, settings, **FAST)
    assert broken_rules(studio, hosted(plan.assignments), settings) == []
    return hosted(plan.assignments)


@pytest.mark.parametrize("window, expected", [(("Mon 10:30", "Mon 14:00"), {}),
                                              (("Mon 10:00", "Mon 12:00"), {"S1": "H1"})])
def test_rule1_slot_inside_one_availability_window(window, expected):
    studio = make_studio([host("H1")], [slot("S1", "Mon 10:00", "Mon 12:00")], availability=[("H1", *window)])
    assert staffed(studio) == expected


def test_rule1_two_touching_windows_do_not_make_one():
    windows = [("H1", "Mon 09:00", "Mon 11:00"), ("H1", "Mon 11:00", "Mon 13:00")]
    studio = make_studio([host("H1")], [slot("S1", "Mon 10:00", "Mon 12:00")], availability=windows)
    assert staffed(studio) == {}


@pytest.mark.parametrize("host_tier, product_tier, expected", [
    ("B", "hero", {}), ("A", "hero", {"S1": "H1"}), ("C", "core", {}), ("B", "core", {"S1": "H1"}),
    ("C", "longtail", {"S1": "H1"})])
def test_rule2_tier_table(host_tier, product_tier, expected):
    studio = make_studio([host("H1", tier=host_tier)], [slot("S1", "Mon 10:00", "Mon 12:00", product_tier=product_tier)])
    assert staffed(studio) == expected


@pytest.mark.parametrize("fields, slot_fields, expected", [
    ({"categories": "home|kitchen"}, {}, {}),
    ({"categories": "home|Beauty"}, {}, {"S1": "H1"}),  # case-insensitive
    ({}, {"language": "es"}, {}),
    ({"languages": "en|ES"}, {"language": "es"}, {"S1": "H1"}),
])
def test_rule3_category_and_language(fields, slot_fields, expected):
    studio = make_studio([host("H1", **fields)], [slot("S1", "Mon 10:00", "Mon 12:00", **slot_fields)])
    assert staffed(studio) == expected


@pytest.mark.parametrize("second_start, both", [("Mon 12:15", False), ("Mon 11:00", False), ("Mon 12:30", True)])
def test_rule4_no_overlap_and_changeover(second_start, both):
    studio = make_studio([host("H1")], [slot("S1", "Mon 10:00", "Mon 12:00"),
                                        slot("S2", second_start, "Mon 14:00")])
    assert len(staffed(studio)) == (2 if both else 1)


def test_rule4_changeover_is_a_setting():
    studio = make_studio([host("H1")], [slot("S1", "Mon 10:00", "Mon 12:00"), slot("S2", "Mon 12:15", "Mon 14:00")])
    assert len(staffed(studio, Settings(changeover_minutes=15))) == 2


@pytest.mark.parametrize("second_start, second_end, both", [
    ("Tue 06:00", "Tue 08:00", False),  # 8 h after Monday's stream
    ("Tue 08:00", "Tue 10:00", True),  # exactly 10 h
])
def test_rule5_overnight_rest(second_start, second_end, both):
    studio = make_studio([host("H1")], [slot("S1", "Mon 20:00", "Mon 22:00"),
                                        slot("S2", second_start, second_end)])
    assert len(staffed(studio)) == (2 if both else 1)


def test_rule5_does_not_apply_within_one_day():
    studio = make_studio([host("H1")], [slot("S1", "Mon 08:00", "Mon 10:00"), slot("S2", "Mon 11:00", "Mon 13:00")])
    assert len(staffed(studio)) == 2


@pytest.mark.parametrize("second_day, both", [("Mon", False), ("Tue", True)])
def test_rule6_streams_per_day(second_day, both):
    studio = make_studio([host("H1", max_streams_per_day=1)],
                         [slot("S1", "Mon 08:00", "Mon 09:00"), slot("S2", f"{second_day} 18:00", f"{second_day} 19:00")])
    assert len(staffed(studio)) == (2 if both else 1)


@pytest.mark.parametrize("hours, both", [(4, False), (3, True)])
def test_rule6_live_hours_per_day(hours, both):
    studio = make_studio([host("H1")], [slot("S1", "Mon 08:00", f"Mon {8 + hours:02d}:00"),
                                        slot("S2", "Mon 14:00", f"Mon {14 + hours:02d}:00")])
    assert len(staffed(studio)) == (2 if both else 1)


def test_rule6_a_slot_across_midnight_belongs_to_the_day_it_starts():
    slots = [slot("LATE", "Mon 22:00", "Tue 01:00", product_tier="core"),
             slot("MON", "Mon 10:00", "Mon 14:00"),  # Monday would reach 7 h with LATE
             slot("TUE", "Tue 12:00", "Tue 16:00")]  # Tuesday: 4 h, LATE does not count there; 11 h of rest
    assert staffed(make_studio([host("H1")], slots)) == {"LATE": "H1", "TUE": "H1"}


@pytest.mark.parametrize("cap, both", [(3, False), (4, True), (3.5, False)])
def test_rule7_weekly_cap(cap, both):
    studio = make_studio([host("H1", max_hours_per_week=cap)],
                         [slot("S1", "Mon 08:00", "Mon 10:00"), slot("S2", "Tue 08:00", "Tue 10:00")])
    assert len(staffed(studio)) == (2 if both else 1)


def test_rule7_counts_each_iso_week_of_a_longer_horizon():
    studio = make_studio([host("H1", max_hours_per_week=2)],
                         [slot("S1", "Mon 08:00", "Mon 10:00"), slot("S2", "Sun 08:00", "Sun 10:00"),
                          {**slot("S3", "Mon 08:00", "Mon 10:00"), "start": "2026-12-07T08:00:00",
                           "end": "2026-12-07T10:00:00"}],
                         availability=[("H1", "Mon 00:00", "2026-12-13T00:00:00")])
    result = staffed(studio)
    assert len(result) == 2 and "S3" in result


def test_one_host_per_slot_and_one_row_per_slot_in_slots_order():
    studio = make_studio([host("H1"), host("H2")], [slot("S2", "Mon 10:00", "Mon 12:00"),
                                                    slot("S1", "Mon 10:00", "Mon 12:00"),
                                                    slot("S3", "Mon 10:00", "Mon 12:00")])
    plan = solve(studio, **FAST)
    assert list(plan.assignments.columns) == ["slot_id", "host_id", "reason"]
    assert list(plan.assignments["slot_id"]) == ["S2", "S1", "S3"]
    assert sorted(hosted(plan.assignments).values()) == ["H1", "H2"]
    open_row = plan.assignments[plan.assignments["host_id"] == ""]
    assert len(open_row) == 1 and open_row["reason"].iloc[0].startswith("2 hosts could take it, but all are streaming")


def test_host_without_availability_is_never_assigned_and_the_reason_says_so():
    studio = make_studio([host("H1"), host("H2")], [slot("S1", "Tue 19:00", "Tue 21:00", product_tier="hero")],
                         availability=[("H2", "Mon 08:00", "Mon 12:00")])
    plan = solve(studio, **FAST)
    assert hosted(plan.assignments) == {}
    assert plan.unstaffed["reason"].tolist() == ["no tier-A host for beauty is available Tue 01 Dec 19:00–21:00"]


@pytest.mark.parametrize("hosts, reason", [
    ([host("H1", tier="B")], "no tier-A host on the roster; tier-B host H1 could, but the tier table "
                             "(Settings → Scheduling rules) lets only tier A host hero shows"),
    ([host("H1", categories="home")], "no tier-A host sells beauty"),
    ([host("H1")], "no tier-A host sells beauty in es"),
])
def test_reasons_name_the_rule_that_removed_the_last_candidate(hosts, reason):
    studio = make_studio(hosts, [slot("S1", "Mon 10:00", "Mon 12:00", product_tier="hero", language="es")
                                 if "in es" in reason else slot("S1", "Mon 10:00", "Mon 12:00", product_tier="hero")])
    assert solve(studio, **FAST).unstaffed["reason"].tolist() == [reason]


def test_reason_groups_hosts_at_their_weekly_cap():
    hosts = [host(f"H{i}", max_hours_per_week=2) for i in range(1, 4)]
    slots = [slot(f"HERO{i}", f"{day} 10:00", f"{day} 12:00", product_tier="hero")
             for i, day in enumerate(["Mon", "Tue", "Wed"], start=1)]
    slots.append(slot("LT", "Thu 10:00", "Thu 12:00"))
    plan = solve(make_studio(hosts, slots), **FAST)
    assert plan.unstaffed["slot_id"].tolist() == ["LT"]
    assert plan.unstaffed["reason"].iloc[0] == ("3 hosts could take it, but all are at their weekly cap "
                                                "(H1, H2, H3); eligible hosts are left for higher-priority slots")


def test_an_empty_week_gives_an_empty_plan():
    plan = solve(make_studio([host("H1")], []), **FAST)
    assert plan.assignments.empty and list(plan.assignments.columns) == ["slot_id", "host_id", "reason"]
    assert plan.summary.status == "NO_SLOTS"


def test_room_clash_is_an_error_naming_both_slots():
    from contract import DataError
    with pytest.raises(DataError) as err:
        make_studio([host("H1")], [slot("S1", "Mon 10:00", "Mon 12:00", room="Studio 1"),
                                   slot("S2", "Mon 12:10", "Mon 13:00", room="Studio 1")])
    assert str(err.value) == ("slots.csv, row 3, column room: slot S2 in room 'Studio 1' leaves less than the 30 min "
                              "changeover after slot S1 (row 2); a room holds one stream at a time")


def test_rooms_apart_by_the_changeover_are_fine():
    studio = make_studio([host("H1"), host("H2")], [slot("S1", "Mon 10:00", "Mon 12:00", room="Studio 1"),
                                                    slot("S2", "Mon 12:30", "Mon 13:00", room="Studio 1"),
                                                    slot("S3", "Mon 11:00", "Mon 13:00", room="Studio 2")])
    assert len(staffed(studio)) == 3
