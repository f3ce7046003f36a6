"""The weekly availability template and its exceptions in the store: imported, checked against hosts,
exported, saved with a version check and undone like every other table."""
from __future__ import annotations

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal
from test_store import (  # noqa: F401
    STUDIO,
    assert_same_frames,
    import_text,
    postgres_url,
    sqlite_url,
    store,
    store_url,
    studio_dir,
    write_studio,
)

from store import ImportRejected, VersionConflict, open_seeded

TEMPLATE = """host_id,weekday,start,end
h1,Mon,09:00,17:00
h1,Tue,22:00,02:00
h2,Sat,10:00,14:00
"""
EXCEPTIONS = """host_id,start,end,change,note
h1,2026-11-30T12:00:00,2026-11-30T13:00:00,time off,dentist
h2,2026-12-06T10:00:00,2026-12-06T14:00:00,extra,
"""


@pytest.fixture
def with_template(store):
    import_text(store, "availability_template", TEMPLATE, "availability_template.csv")
    import_text(store, "availability_exceptions", EXCEPTIONS, "availability_exceptions.csv")
    return store


def test_both_files_import_as_the_contract_reads_them(with_template):
    frames = with_template.tables(["availability_template", "availability_exceptions"])
    template = frames.availability_template
    assert template.values.tolist() == [["h1", "Mon", "09:00", "17:00"], ["h1", "Tue", "22:00", "02:00"],
                                        ["h2", "Sat", "10:00", "14:00"]]
    changes = frames.availability_exceptions
    assert changes[["host_id", "change", "note"]].values.tolist() == [["h1", "time off", "dentist"],
                                                                      ["h2", "extra", ""]]
    assert changes["start"].dtype == "datetime64[ns]"
    assert changes.loc[0, "start"] == pd.Timestamp("2026-11-30T12:00")


def test_an_unknown_host_or_a_repeated_key_is_rejected_and_nothing_changes(with_template):
    before = with_template.tables(["availability_template"]).availability_template
    with pytest.raises(ImportRejected) as err:
        import_text(with_template, "availability_template",
                    "host_id,weekday,start,end\nh9,Mon,09:00,12:00\nh1,Wed,09:00,12:00\nh1,wed,09:00,13:00\n")
    assert [str(p) for p in err.value.problems] == [
        "upload.csv, row 4, column host_id, weekday, start: (h1, Wed, 09:00) appears more than once; it must be unique",
        "upload.csv, row 2, column host_id: 'h9' is not in hosts.csv"]
    assert_frame_equal(with_template.tables(["availability_template"]).availability_template, before)


def test_a_host_named_in_the_template_cannot_be_removed(with_template):
    hosts = with_template.tables(["hosts"]).hosts
    availability = with_template.tables(["availability"]).availability
    with_template.save_table("availability", availability[availability["host_id"] == "h1"], "ana",
                             with_template.table_version("availability"))
    with pytest.raises(ImportRejected, match="cannot remove h2: still named in availability_template.csv"):
        with_template.save_table("hosts", hosts[hosts["host_id"] == "h1"], "ana", with_template.table_version("hosts"))


def test_a_template_edit_is_versioned_and_can_be_undone(store_url, studio_dir):
    ana, ben = open_seeded(store_url, studio_dir), open_seeded(store_url, studio_dir)
    import_text(ana, "availability_template", TEMPLATE, "availability_template.csv")
    before = ana.tables(["availability_template"]).availability_template
    version = ana.table_version("availability_template")
    edited = before.copy()
    edited.loc[0, "end"] = "18:30"
    edited = pd.concat([edited, pd.DataFrame([{"host_id": "h2", "weekday": "Sun", "start": "10:00",
                                               "end": "12:00"}])], ignore_index=True)
    assert ana.save_table("availability_template", edited.drop(index=2), "ana", version) == version + 1
    after = ana.tables(["availability_template"]).availability_template
    assert after.values.tolist() == [["h1", "Mon", "09:00", "18:30"], ["h1", "Tue", "22:00", "02:00"],
                                     ["h2", "Sun", "10:00", "12:00"]]
    with pytest.raises(VersionConflict, match="^availability_template were changed by ana"):
        ben.save_table("availability_template", before, "ben", version)
    saved = ana.import_history().iloc[0]
    assert (saved["rows_added"], saved["rows_updated"], saved["rows_deleted"]) == (1, 1, 1)
    ana.undo_import(int(saved["id"]), "ana")
    assert_frame_equal(ana.tables(["availability_template"]).availability_template, before)
    for opened in (ana, ben):
        opened.engine.dispose()


def test_export_writes_both_files_and_they_rebuild_an_empty_store(with_template, tmp_path):
    out = tmp_path / "export"
    written = {p.name for p in with_template.export_all(out)}
    assert {"availability_template.csv", "availability_exceptions.csv"} <= written
    assert (out / "availability_template.csv").read_text().splitlines()[:2] == ["host_id,weekday,start,end",
                                                                              "h1,Mon,09:00,17:00"]
    for kind in ("availability_template", "availability_exceptions"):
        report = with_template.import_file(out / f"{kind}.csv", kind, f"{kind}.csv", "ana")
        assert (report.rows_added, report.rows_updated, report.rows_unchanged) == (0, 0, 2 if "exc" in kind else 3)
    (tmp_path / "other").mkdir()
    rebuilt = open_seeded(sqlite_url(tmp_path / "other"), out)
    kinds = ["availability_template", "availability_exceptions"]
    assert_same_frames(rebuilt.tables(kinds), with_template.tables(kinds))
    rebuilt.engine.dispose()


def test_a_studio_folder_without_the_files_seeds_empty_tables(tmp_path):
    optional = ("availability_template.csv", "availability_exceptions.csv")
    folder = write_studio(tmp_path / "bare", {k: v for k, v in STUDIO.items() if k not in optional})
    bare = open_seeded(sqlite_url(tmp_path), folder)
    frames = bare.tables(["availability_template", "availability_exceptions"])
    assert frames.availability_template.empty and frames.availability_exceptions.empty
    assert list(frames.availability_template.columns) == ["host_id", "weekday", "start", "end"]
    assert len(bare.tables(["hosts"]).hosts) == 2
    bare.engine.dispose()
