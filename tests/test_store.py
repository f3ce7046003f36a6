"""The store's imports, undo, versions and round trip, on SQLite and (when configured) PostgreSQL.

The fixtures here (a tiny hand-written studio, a store per database) are shared by tests/test_store_*.py.
"""
from __future__ import annotations

import hashlib
import io
import os
import uuid
from dataclasses import fields
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
from pandas.testing import assert_frame_equal

from contract import read_table
from contract.folder import StudioTables
from store import ImportRejected, VersionConflict, open_seeded
from store.kinds import KINDS

STUDIO = {
    "hosts.csv": """host_id,name,tier,categories,languages,hourly_rate,max_hours_per_week,nickname
h1,Ana,A,beauty|skincare,en|es,30,20,Annie
h2,Ben,B,beauty,,25,15,
""",
    "availability.csv": """host_id,start,end
h1,2026-11-30T08:00:00,2026-11-30T20:00:00
h2,2026-11-30T10:00:00,2026-11-30T22:00:00
""",
    "slots.csv": """slot_id,channel,start,end,product_tier,category,locked_host_id
s1,shop1,2026-11-30T10:00:00,2026-11-30T12:00:00,hero,beauty,h1
s2,shop1,2026-11-30T14:00:00,2026-11-30T16:00:00,core,beauty,
""",
    "products.csv": """sku,product_name,product_tier,category,price
p1,Serum,hero,skincare,30
p2,-Cream,core,beauty,30.05
""",
    "sessions.csv": """session_id,channel,host_id,start,end,viewers,views,avg_watch_seconds,product_impressions,product_clicks,orders,gmv,peak_concurrent,category
x1,shop1,h1,2026-11-23T19:00:00,2026-11-23T21:00:00,1000,1500,60,5000,400,40,1200.5,300,beauty
x2,shop1,h2,2026-11-24T19:00:00,2026-11-24T20:30:00,800,1000,45.5,3000,200,20,600,,beauty
x3,shop2,,2026-11-25T09:00:00,2026-11-25T10:00:00,100,120,30,500,10,1,25,,=HYPERLINK("x")
""",
    "sku_sales.csv": """session_id,sku,product_name,product_tier,units_sold,units_refunded,gmv
x1,p1,Serum,hero,30,2,900
x1,p2,Cream,core,10,0,300.5
x2,p1,Serum,hero,20,1,600
""",
    "viewer_minutes.csv": """session_id,minute,concurrent_viewers
x1,0,100
x1,1,150
x2,0,80
""",
    "targets.csv": """metric,target
gmv,5000
conversion_rate,0.05
""",
}


def write_studio(folder: Path, files: dict[str, str] = STUDIO) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text)
    return folder


def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'studio.db'}"


@pytest.fixture
def postgres_url():
    """A fresh schema in the PostgreSQL of STUDIO_TEST_POSTGRES_URL, dropped afterwards."""
    base = os.environ.get("STUDIO_TEST_POSTGRES_URL")
    if not base:
        pytest.skip("STUDIO_TEST_POSTGRES_URL is not set (a PostgreSQL URL to test against)")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(base)
    with admin.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    separator = "&" if "?" in base else "?"
    yield f"{base}{separator}options=-csearch_path%3D{schema}"
    with admin.begin() as conn:
        conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def store_url(request, tmp_path):
    if request.param == "sqlite":
        return sqlite_url(tmp_path)
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def studio_dir(tmp_path) -> Path:
    return write_studio(tmp_path / "studio")


@pytest.fixture
def store(store_url, studio_dir):
    opened = open_seeded(store_url, studio_dir)
    yield opened
    opened.engine.dispose()


def table_frames(store) -> StudioTables:
    return store.tables()


def assert_same_frames(left: StudioTables, right: StudioTables) -> None:
    for name in (field.name for field in fields(StudioTables)):
        assert (getattr(left, name) is None) == (getattr(right, name) is None), name
        if getattr(left, name) is not None:
            assert_frame_equal(getattr(left, name), getattr(right, name), obj=name)


def import_text(store, kind: str, text: str, file_name: str = "upload.csv", user: str = "ana"):
    return store.import_file(text.encode(), kind, file_name, user)


# --- seeding and reading ---------------------------------------------------------------------------------
def test_seeded_store_reads_back_as_the_contract_reader_does(store, studio_dir):
    frames = store.tables()
    for kind in KINDS.values():
        frame = getattr(frames, kind.name)
        if not (studio_dir / kind.file).exists():  # a kind the studio has no file for stays empty
            assert frame.empty, kind.name
            continue
        expected = read_table(studio_dir / kind.file, kind.table).sort_values(list(kind.keys)).reset_index(drop=True)
        assert_frame_equal(frame, expected[list(frame.columns)], obj=kind.name)
    hosts = frames.hosts
    assert hosts.loc[0, "categories"] == ("beauty", "skincare")
    assert hosts.loc[1, "languages"] == ("en",)
    assert list(hosts["nickname"]) == ["Annie", ""]
    assert pd.isna(frames.sessions.loc[1, "peak_concurrent"])


def test_scorecard_tables_read_only_the_period(store):
    frames = store.scorecard_tables("2026-11-23", "2026-11-24")
    assert list(frames.sessions["session_id"]) == ["x1", "x2"]
    assert frames.sku_sales["units_sold"].sum() == 60
    assert len(store.scorecard_tables("2026-11-26", "2026-11-30").sessions) == 0


# --- imports -----------------------------------------------------------------------------------------------
def test_one_bad_row_among_good_ones_writes_nothing(store):
    before = table_frames(store)
    rows = [f"n{i},shop3,h1,2026-11-26T10:00:00,2026-11-26T11:00:00,10,10,5,10,1,1,9" for i in range(50)]
    rows[37] = rows[37].replace(",10,10,5,", ",-4,10,5,")
    header = ("session_id,channel,host_id,start,end,viewers,views,avg_watch_seconds,product_impressions,"
              "product_clicks,orders,gmv")
    with pytest.raises(ImportRejected) as caught:
        import_text(store, "sessions", "\n".join([header, *rows]) + "\n", "day.csv")
    assert str(caught.value) == "day.csv, row 39, column viewers: '-4' must be >= 0"
    assert caught.value.report.rejected == 1
    assert_same_frames(table_frames(store), before)
    last = store.import_history().iloc[0]
    assert (last["file_name"], last["rejected"], last["rows_added"]) == ("day.csv", 1, 0)


def test_unknown_reference_is_rejected_with_its_row(store):
    text = "session_id,sku,product_tier,units_sold,gmv\nx1,p9,core,1,5\nzz,p1,hero,2,10\n"
    report = store.preview_import(text.encode(), "sku_sales", "skus.csv")
    assert [str(p) for p in report.problems] == ["skus.csv, row 3, column session_id: 'zz' is not in sessions.csv"]
    with pytest.raises(ImportRejected):
        import_text(store, "sku_sales", text, "skus.csv")
    assert len(store.tables(["sku_sales"]).sku_sales) == 3


def test_repeated_composite_key_is_rejected(store):
    text = "session_id,minute,concurrent_viewers\nx1,5,1\nx1,5,2\n"
    report = store.preview_import(text.encode(), "viewer_minutes", "vm.csv")
    assert [str(p) for p in report.problems] == [
        "vm.csv, row 3, column session_id, minute: (x1, 5) appears more than once; it must be unique"]


def test_reimporting_the_same_file_changes_nothing(store, studio_dir):
    before = table_frames(store)
    version = store.table_version("sessions")
    report = store.import_file(studio_dir / "sessions.csv", "sessions", "sessions.csv", "ana")
    assert (report.rows_added, report.rows_updated, report.rows_unchanged) == (0, 0, 3)
    assert report.content_hash == hashlib.sha256((studio_dir / "sessions.csv").read_bytes()).hexdigest()
    assert_same_frames(table_frames(store), before)
    assert store.table_version("sessions") == version


OVERLAP = """session_id,channel,host_id,start,end,viewers,views,avg_watch_seconds,product_impressions,product_clicks,orders,gmv
x2,shop1,h2,2026-11-24T19:00:00,2026-11-24T20:30:00,800,1000,45.5,3000,200,20,650
x4,shop1,h1,2026-11-26T19:00:00,2026-11-26T20:00:00,50,60,20,100,5,1,30
"""


def test_overlapping_import_updates_by_key_without_double_counting(store):
    report = import_text(store, "sessions", OVERLAP, "overlap.csv")
    assert (report.rows_added, report.rows_updated, report.rows_unchanged) == (1, 1, 0)
    sessions = store.tables(["sessions"]).sessions.set_index("session_id")
    assert list(sessions.index) == ["x1", "x2", "x3", "x4"]
    assert sessions["gmv"].sum() == 1200.5 + 650 + 25 + 30
    # columns the file lacks keep what the store had
    assert sessions.loc["x1", "peak_concurrent"] == 300
    assert sessions.loc["x2", "category"] == "beauty"
    assert sessions.loc["x4", "category"] == ""


def test_excel_upload_imports_its_first_sheet(store):
    buffer = io.BytesIO()
    pd.DataFrame({"metric": ["gmv", "orders"], "target": ["6000", "90"]}).to_excel(buffer, index=False)
    report = store.import_file(buffer.getvalue(), "targets", "targets.xlsx", "ana")
    assert (report.rows_added, report.rows_updated, report.rows_unchanged) == (1, 1, 0)
    targets = store.tables(["targets"]).targets
    assert dict(zip(targets["metric"], targets["target"])) == {"conversion_rate": 0.05, "gmv": 6000.0,
                                                               "orders": 90.0}


# --- undo --------------------------------------------------------------------------------------------------
def test_undo_restores_exactly_the_previous_rows(store):
    before = table_frames(store)
    report = import_text(store, "sessions", OVERLAP, "overlap.csv")
    store.undo_import(report.import_id, "ben")
    assert_same_frames(table_frames(store), before)
    row = store.import_history().set_index("id").loc[report.import_id]
    assert row["undone_by"] == "ben" and row["undone_at"] is not None
    with pytest.raises(ValueError, match="already undone"):
        store.undo_import(report.import_id, "ben")


def test_undo_is_refused_while_a_later_import_changed_the_same_rows(store):
    before = table_frames(store)
    first = import_text(store, "sessions", OVERLAP, "first.csv")
    second = import_text(store, "sessions", OVERLAP.replace(",650", ",700"), "second.csv")
    assert (second.rows_added, second.rows_updated) == (0, 1)
    with pytest.raises(ValueError, match=f"undo {second.import_id} first"):
        store.undo_import(first.import_id, "ben")
    store.undo_import(second.import_id, "ben")
    store.undo_import(first.import_id, "ben")
    assert_same_frames(table_frames(store), before)


def test_undo_is_refused_while_other_tables_name_the_rows_it_added(store):
    added = import_text(store, "sessions", OVERLAP, "day.csv")
    import_text(store, "sku_sales", "session_id,sku,product_tier,units_sold,gmv\nx4,p1,hero,1,30\n", "skus.csv")
    with pytest.raises(ValueError, match="sku_sales.csv still names x4"):
        store.undo_import(added.import_id, "ben")


# --- roster edits and versions ------------------------------------------------------------------------------
def test_second_editor_gets_a_version_conflict(store_url, studio_dir):
    ana, ben = open_seeded(store_url, studio_dir), open_seeded(store_url, studio_dir)
    version = ben.table_version("hosts")
    hosts_ana = ana.tables(["hosts"]).hosts
    hosts_ben = ben.tables(["hosts"]).hosts
    hosts_ana.loc[0, "hourly_rate"] = 31.0
    new_version = ana.save_table("hosts", hosts_ana, "ana", version)
    assert new_version == version + 1
    hosts_ben.loc[1, "hourly_rate"] = 99.0
    with pytest.raises(VersionConflict, match="^hosts were changed by ana at .* since you opened them; reload"):
        ben.save_table("hosts", hosts_ben, "ben", version)
    assert list(ben.tables(["hosts"]).hosts["hourly_rate"]) == [31.0, 25.0]
    for opened in (ana, ben):
        opened.engine.dispose()


def test_roster_edit_cannot_drop_a_host_with_availability_and_can_be_undone(store):
    before = table_frames(store)
    hosts = store.tables(["hosts"]).hosts
    with pytest.raises(ImportRejected, match="cannot remove h2: still named in availability.csv"):
        store.save_table("hosts", hosts[hosts["host_id"] == "h1"], "ana", store.table_version("hosts"))
    availability = store.tables(["availability"]).availability
    store.save_table("availability", availability[availability["host_id"] == "h1"], "ana",
                     store.table_version("availability"))
    store.save_table("hosts", hosts[hosts["host_id"] == "h1"], "ana", store.table_version("hosts"))
    assert list(store.tables(["hosts"]).hosts["host_id"]) == ["h1"]
    history = store.import_history()
    assert list(history["rows_deleted"][:2]) == [1, 1]
    for import_id in history["id"][:2]:
        store.undo_import(int(import_id), "ana")
    assert_same_frames(table_frames(store), before)


# --- export and round trip ------------------------------------------------------------------------------------
def test_export_then_import_leaves_every_table_identical(store, store_url, tmp_path):
    before = table_frames(store)
    out = tmp_path / "export"
    store.export_all(out)
    for kind in KINDS.values():
        report = store.import_file(out / kind.file, kind.name, kind.file, "ana")
        assert (report.rows_added, report.rows_updated) == (0, 0), kind.name
    assert_same_frames(table_frames(store), before)


def test_export_into_an_empty_store_rebuilds_it(store, tmp_path):
    out = tmp_path / "export"
    store.export_all(out)
    (tmp_path / "other").mkdir()
    rebuilt = open_seeded(sqlite_url(tmp_path / "other"), out)
    assert_same_frames(table_frames(rebuilt), table_frames(store))
    rebuilt.engine.dispose()


def test_export_neutralises_formulas(store, tmp_path):
    store.export_all(tmp_path)
    sessions = (tmp_path / "sessions.csv").read_text()
    assert "'=HYPERLINK" in sessions and ",=HYPERLINK" not in sessions
    assert "'-Cream" in (tmp_path / "products.csv").read_text()
