"""`python -m metrics scorecard | sku-velocity`: the contract's outputs, and bad files that stop cleanly."""
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from contract import DataError
from metrics import METRICS, load_results
from metrics.cli import main

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data" / "studio"

SESSIONS = """\
session_id,channel,host_id,start,end,viewers,views,avg_watch_seconds,product_impressions,product_clicks,orders,gmv
s1,shopA,h1,2026-11-23T19:00:00,2026-11-23T21:00:00,100,400,90,1000,50,5,250
s2,shopA,h1,2026-11-23T23:00:00,2026-11-24T01:00:00,0,0,0,0,0,0,0
s3,shopB,g9,2026-11-30T10:00:00,2026-11-30T11:30:00,200,500,45,400,0,2,60
"""
SKU_SALES = """\
session_id,sku,product_tier,units_sold,units_refunded,gmv
s1,A1,hero,6,2,150
s1,B1,core,4,0,100
s3,A1,hero,3,1,60
"""
VIEWER_MINUTES = "session_id,minute,concurrent_viewers\ns1,0,10\ns1,1,12\n"


@pytest.fixture
def studio(tmp_path: Path) -> Path:
    data = tmp_path / "studio"
    data.mkdir()
    (data / "sessions.csv").write_text(SESSIONS)
    (data / "sku_sales.csv").write_text(SKU_SALES)
    return data


def test_scorecard_writes_the_contract_columns(studio: Path, tmp_path: Path, capsys):
    out = tmp_path / "card.csv"
    assert main(["scorecard", "--data", str(studio), "--by", "date,host_id", "--out", str(out)]) == 0
    card = pd.read_csv(out, dtype={"date": str, "host_id": str}, keep_default_na=False, na_values=[""])
    assert list(card.columns) == ["date", "host_id", *METRICS]
    assert card["date"].tolist() == ["2026-11-23", "2026-11-30"]
    assert card["units_net"].tolist() == [8, 2]
    assert pd.isna(card.loc[1, "click_to_order_rate"])  # 0 clicks: written as an empty cell
    assert f"wrote 2 row(s) to {out}" in capsys.readouterr().out


def test_sku_velocity_writes_the_contract_columns(studio: Path, tmp_path: Path):
    out = tmp_path / "velocity.csv"
    assert main(["sku-velocity", "--data", str(studio), "--by", "week", "--out", str(out)]) == 0
    table = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert list(table.columns) == ["week", "sku", "sessions", "live_hours", "units_net", "gmv", "units_per_hour"]
    assert table.values.tolist() == [
        ["2026-W48", "A1", "1", "2.0", "4", "150.0", "2.0"],
        ["2026-W48", "B1", "1", "2.0", "4", "100.0", "2.0"],
        ["2026-W49", "A1", "1", "1.5", "2", "60.0", str(2 / 1.5)],
    ]


def test_sku_velocity_flags_and_parquet_output(studio: Path, tmp_path: Path):
    out = tmp_path / "velocity.parquet"
    assert main(["sku-velocity", "--data", str(studio), "--by", "week", "--out", str(out), "--flags"]) == 0
    table = pd.read_parquet(out)
    assert list(table.columns[-2:]) == ["fast_mover", "stalled"]
    # B1 sold in W48 and not at all in W49: it gets a W49 row flagged stalled.
    assert table.loc[table["stalled"], ["week", "sku", "sessions"]].values.tolist() == [["2026-W49", "B1", 0]]


def test_load_results_reads_optional_files_and_stock(studio: Path):
    (studio / "viewer_minutes.csv").write_text(VIEWER_MINUTES)
    (studio / "products.csv").write_text("sku,name,inventory\nA1,Serum,40\nB1,Mask,\n")
    results = load_results(studio)
    assert len(results.viewer_minutes) == 2 and results.targets is None
    assert results.inventory.values.tolist() == [["A1", 40.0]]


def test_parquet_wins_over_csv(studio: Path):
    sessions = pd.read_csv(studio / "sessions.csv", dtype=str, keep_default_na=False)
    sessions.iloc[:1].to_parquet(studio / "sessions.parquet")
    (studio / "sku_sales.csv").write_text(SKU_SALES.splitlines()[0] + "\ns1,A1,hero,6,2,150\n")
    assert load_results(studio).sessions["session_id"].tolist() == ["s1"]


def replace_line(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new, 1)


BAD_FILES = {
    "missing column": ("sessions.csv", lambda t: t.replace(",viewers,", ",audience,", 1),
                       "sessions.csv, column viewers: required column(s) missing"),
    "bad date": ("sessions.csv", lambda t: replace_line(t, "2026-11-23T19:00:00", "2026-11-31T19:00:00"),
                 "sessions.csv, row 2, column start: '2026-11-31T19:00:00' is not a date"),
    "end before start": ("sessions.csv", lambda t: replace_line(t, "2026-11-24T01:00:00", "2026-11-23T22:00:00"),
                         "sessions.csv, row 3, column end: end is not after start"),
    "unknown session": ("sku_sales.csv", lambda t: t + "zz,A1,hero,1,0,5\n",
                        "sku_sales.csv, row 5, column session_id: 'zz' is not in sessions.csv"),
    "duplicate session": ("sessions.csv", lambda t: replace_line(t, "s2,shopA", "s1,shopA"),
                          "sessions.csv, row 3, column session_id: 's1' appears more than once"),
    "refund above sold": ("sku_sales.csv", lambda t: replace_line(t, "s1,B1,core,4,0", "s1,B1,core,4,7"),
                          "sku_sales.csv, row 3, column units_refunded: 7 refunded is more than the 4 units sold"),
    "duplicate sku row": ("sku_sales.csv", lambda t: t + "s1,B1,core,1,0,5\n",
                          "sku_sales.csv, row 5, column sku: session 's1' already has a row for sku 'B1'"),
    "extra comma": ("sessions.csv", lambda t: replace_line(t, "s2,shopA,h1,", "s2,shopA,h1,x,"),
                    "sessions.csv, row 3: has 13 cells but the header has 12"),
}


@pytest.mark.parametrize("case", BAD_FILES, ids=list(BAD_FILES))
@pytest.mark.parametrize("command", ["scorecard", "sku-velocity"])
def test_bad_file_exits_2_names_file_row_column_and_writes_nothing(case, command, studio, tmp_path, capsys):
    file, corrupt, message = BAD_FILES[case]
    path = studio / file
    path.write_text(corrupt(path.read_text()))
    out = tmp_path / "out.csv"
    out.write_text("previous report\n")
    assert main([command, "--data", str(studio), "--by", "week", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert out.read_text() == "previous report\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out")] == []  # no temp file left


def test_unknown_key_is_exit_2(studio: Path, tmp_path: Path, capsys):
    assert main(["scorecard", "--data", str(studio), "--by", "date,shop", "--out", str(tmp_path / "x.csv")]) == 2
    assert "unknown grouping key(s) 'shop'" in capsys.readouterr().err
    assert not (tmp_path / "x.csv").exists()


def test_python_m_metrics_end_to_end(studio: Path, tmp_path: Path):
    out = tmp_path / "card.csv"
    ok = subprocess.run([sys.executable, "-m", "metrics", "scorecard", "--data", str(studio), "--by", "week",
                         "--out", str(out)], cwd=ROOT, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    assert pd.read_csv(out)["sessions"].tolist() == [2, 1]
    (studio / "sku_sales.csv").write_text(SKU_SALES + "zz,A1,hero,1,0,5\n")
    bad = subprocess.run([sys.executable, "-m", "metrics", "scorecard", "--data", str(studio), "--by", "week",
                          "--out", str(tmp_path / "bad.csv")], cwd=ROOT, capture_output=True, text=True)
    assert bad.returncode == 2
    assert "sku_sales.csv, row 5, column session_id: 'zz' is not in sessions.csv" in bad.stderr
    assert "Traceback" not in bad.stderr and not (tmp_path / "bad.csv").exists()


@pytest.mark.skipif(not (SAMPLE / "sessions.csv").exists(), reason="sample_data/studio/ not generated yet")
@pytest.mark.parametrize("command, by, columns", [
    ("scorecard", "date,week,channel,host_id", ["date", "week", "channel", "host_id", *METRICS]),
    ("sku-velocity", "week", ["week", "sku", "sessions", "live_hours", "units_net", "gmv", "units_per_hour"]),
])
def test_sample_studio(command, by, columns, tmp_path: Path):
    out = tmp_path / "out.csv"
    assert main([command, "--data", str(SAMPLE), "--by", by, "--out", str(out)]) == 0
    table = pd.read_csv(out, dtype={"date": str, "week": str, "host_id": str, "sku": str})
    assert list(table.columns) == columns and len(table) > 0
    assert table["week"].str.fullmatch(r"\d{4}-W\d\d").all()
    if "date" in table:
        assert table["date"].str.fullmatch(r"\d{4}-\d\d-\d\d").all()
    sessions = pd.read_csv(SAMPLE / "sessions.csv", usecols=["session_id"])
    if command == "scorecard":
        assert table["sessions"].sum() == len(sessions)


@pytest.mark.parametrize("minutes, message", [
    (VIEWER_MINUTES + "s1,1,13\n", "viewer_minutes.csv, row 4, column minute: session 's1' already has a row "
                                   "for minute '1'"),
    (VIEWER_MINUTES + "s9,0,1\n", "viewer_minutes.csv, row 4, column session_id: 's9' is not in sessions.csv"),
])
def test_viewer_minutes_cross_checks(studio: Path, minutes: str, message: str):
    (studio / "viewer_minutes.csv").write_text(minutes)
    with pytest.raises(DataError) as caught:
        load_results(studio)
    assert message in str(caught.value)
    assert load_results(studio, viewer_minutes=False).viewer_minutes is None


def test_targets_must_name_scorecard_metrics(studio: Path):
    (studio / "targets.csv").write_text("metric,target\ngmv,1000\nrevenue,5\n")
    with pytest.raises(DataError, match="targets.csv, row 3, column metric: 'revenue' is not in the scorecard"):
        load_results(studio)
