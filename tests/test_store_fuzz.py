"""Any mutation of a valid file of any store kind is either imported whole or refused with its row or
column named; it never crashes, and a refusal leaves the store exactly as it was."""
from __future__ import annotations

import csv
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_store import STUDIO, assert_same_frames, sqlite_url, write_studio

from contract import DataError
from store import open_seeded
from store.kinds import KINDS

VALID = {
    **{name.removesuffix(".csv"): text for name, text in STUDIO.items()},
    "availability_template": "host_id,weekday,start,end\nh1,Mon,08:00,20:00\nh2,Tue,22:00,02:00\n",
    "availability_exceptions": "host_id,start,end,change,note\nh1,2026-12-01T08:00:00,2026-12-01T12:00:00,time off,sick\n",
    "show_templates": "channel,weekdays,start,end,product_tier,category,room\nshop1,Mon|Tue,19:00,22:00,hero,beauty,R1\n"
                      "shop1,Sun,23:00,01:00,core,beauty,R1\n",
    "calendar_changes": "change,slot_id,channel,start,end,product_tier,category,room,note\n"
                        "add,2026-W49-S1-THU-1800,shop1,2026-12-03T18:00:00,2026-12-03T19:00:00,core,beauty,R2,\n"
                        "cancel,2026-W49-S1-MON-1900,,,,,,,holiday\n",
}
NASTY = ["", " ", "nan", "inf", "-inf", "1e400", "99999999999999999999", "-1", "0", "1.5", "x\x00y", "=cmd|' /C calc'!A0",
         "2026-13-01T00:00:00", "2026-11-30T10:00:00+02:00", "24:00", "25:61", 'a"b', "a,b", "h1", "x1", "hero",
         "é€", "\t", "time off", "9007199254740991"]


@pytest.fixture(scope="module")
def fuzz_store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fuzz")
    opened = open_seeded(sqlite_url(folder), write_studio(folder / "studio", {
        **STUDIO, **{f"{k}.csv": v for k, v in VALID.items() if f"{k}.csv" not in STUDIO}}))
    yield opened
    opened.engine.dispose()


def test_every_kind_has_a_valid_file():
    assert set(VALID) == set(KINDS)


@st.composite
def mutated(draw) -> tuple[str, bytes]:
    kind = draw(st.sampled_from(sorted(KINDS)))
    rows = list(csv.reader(io.StringIO(VALID[kind])))
    for _ in range(draw(st.integers(1, 3))):
        row = draw(st.integers(0, len(rows) - 1))
        if not rows[row]:
            continue
        cell = draw(st.integers(0, len(rows[row]) - 1))
        how = draw(st.sampled_from(["replace", "replace", "text", "drop", "repeat"]))
        if how == "replace":
            rows[row][cell] = draw(st.sampled_from(NASTY))
        elif how == "text":
            rows[row][cell] = draw(st.text(max_size=6))
        elif how == "drop":
            del rows[row][cell]
        else:
            rows[row].append(rows[row][cell])
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return kind, out.getvalue().encode("utf-8", "surrogatepass")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mutated())
def test_a_mutated_file_is_imported_whole_or_refused_by_row(fuzz_store, case):
    kind, content = case
    before = fuzz_store.tables([kind])
    try:
        report = fuzz_store.import_file(content, kind, f"{kind}.csv", "fuzz")
    except DataError as err:  # ImportRejected, or a file that does not even parse as CSV
        assert err.problems and all(p.file == f"{kind}.csv" for p in err.problems), err
        assert all(p.row is not None or p.column is not None for p in err.problems), err
        assert_same_frames(fuzz_store.tables([kind]), before)
        return
    assert report.rows_added + report.rows_updated + report.rows_unchanged == report.rows_in_file
    if report.rows_added or report.rows_updated:
        fuzz_store.undo_import(report.import_id, "fuzz")
    assert_same_frames(fuzz_store.tables([kind]), before)
