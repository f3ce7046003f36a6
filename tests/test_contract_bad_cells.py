"""Cells no reader may let through: whole numbers too large to keep exactly, infinities, NUL characters,
and a column named twice. Both the text reader and the typed (Arrow) reader refuse them, naming the cell."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from contract import HOSTS, VIEWER_MINUTES, DataError, parse_table, read_table

HOSTS_HEADER = "host_id,name,tier,categories,hourly_rate,max_hours_per_week\n"


def refusal(path, table) -> str:
    with pytest.raises(DataError) as err:
        read_table(path, table)
    return str(err.value)


@pytest.mark.parametrize("cell", ["99999999999999999999", "9007199254740992", "1e19"])
def test_a_whole_number_too_large_to_keep_exactly_is_refused(tmp_path, cell):
    path = tmp_path / "viewer_minutes.csv"
    path.write_text(f"session_id,minute,concurrent_viewers\nS1,0,5\nS1,1,{cell}\n")
    assert refusal(path, VIEWER_MINUTES) == (
        f"viewer_minutes.csv, row 3, column concurrent_viewers: '{cell}' is too large; "
        "a whole number here is at most 9,007,199,254,740,991")


def test_the_largest_exact_whole_number_is_kept(tmp_path):
    path = tmp_path / "viewer_minutes.csv"
    path.write_text("session_id,minute,concurrent_viewers\nS1,0,9007199254740991\n")
    assert read_table(path, VIEWER_MINUTES)["concurrent_viewers"].tolist() == [9007199254740991]


def test_a_parquet_float_too_large_for_a_whole_number_is_refused(tmp_path):
    path = tmp_path / "vm.parquet"
    pd.DataFrame({"session_id": ["S1"], "minute": [0], "concurrent_viewers": [1e20]}).to_parquet(path)
    assert refusal(path, VIEWER_MINUTES) == (
        "viewer_minutes.csv, row 2, column concurrent_viewers: '1e+20' is too large; "
        "a whole number here is at most 9,007,199,254,740,991")


def test_infinities_are_refused_like_nan(tmp_path):
    path = tmp_path / "hosts.csv"
    path.write_text(HOSTS_HEADER + "H1,Ana,A,x,inf,1e400\nH2,Ben,A,x,-inf,nan\nH3,Cy,A,x,10,5\n")
    assert refusal(path, HOSTS).splitlines() == [
        "hosts.csv, row 2, column hourly_rate: 'inf' is not a number",
        "hosts.csv, row 3, column hourly_rate: '-inf' is not a number",
        "hosts.csv, row 2, column max_hours_per_week: '1e400' is not a number",
        "hosts.csv, row 3, column max_hours_per_week: 'nan' is not a number",
    ]


def test_an_infinity_in_a_whole_number_column_is_refused_not_a_crash(tmp_path):
    path = tmp_path / "vm.parquet"
    pd.DataFrame({"session_id": ["S1"], "minute": [0], "concurrent_viewers": [np.inf]}).to_parquet(path)
    assert refusal(path, VIEWER_MINUTES) == "viewer_minutes.csv, row 2, column concurrent_viewers: 'inf' is not a whole number"
    csv = tmp_path / "viewer_minutes.csv"
    csv.write_text("session_id,minute,concurrent_viewers\nS1,0,1e400\n")
    assert refusal(csv, VIEWER_MINUTES) == "viewer_minutes.csv, row 2, column concurrent_viewers: '1e400' is not a whole number"


@pytest.mark.parametrize("suffix", ["csv", "parquet"])
def test_a_nul_character_is_refused_in_contract_and_extra_columns(tmp_path, suffix):
    frame = pd.DataFrame({"session_id": ["S1", "S\x002"], "minute": [0, 1], "concurrent_viewers": [5, 6],
                          "note": ["a\x00b", "ok"]})
    path = tmp_path / f"vm.{suffix}"
    frame.to_csv(path, index=False) if suffix == "csv" else frame.to_parquet(path)
    assert refusal(path, VIEWER_MINUTES).splitlines() == [
        "viewer_minutes.csv, row 3, column session_id: holds a NUL character (byte 0); the file is damaged or not text",
        "viewer_minutes.csv, row 2, column note: holds a NUL character (byte 0); the file is damaged or not text",
    ]


def test_a_repeated_column_is_refused_never_renamed(tmp_path):
    path = tmp_path / "viewer_minutes.csv"
    path.write_text("session_id,minute,concurrent_viewers, minute\nS1,0,5,6\n")
    assert refusal(path, VIEWER_MINUTES) == (
        "viewer_minutes.csv, row 1, column minute: appears more than once in the header; give each column its own name")
    extra = tmp_path / "twice.csv"
    extra.write_text("session_id,minute,concurrent_viewers,note,note\nS1,0,5,a,b\n")
    assert "column note: appears more than once in the header" in refusal(extra, VIEWER_MINUTES)


def test_a_repeated_column_is_refused_in_parquet_and_excel(tmp_path):
    parquet = tmp_path / "vm.parquet"
    pq.write_table(pa.table([pa.array(["S1"]), pa.array([0]), pa.array([5]), pa.array([6])],
                            names=["session_id", "minute", "concurrent_viewers", "minute"]), parquet)
    assert "row 1, column minute: appears more than once in the header" in refusal(parquet, VIEWER_MINUTES)
    excel = tmp_path / "vm.xlsx"
    pd.DataFrame([["S1", 0, 5, 6]]).to_excel(excel, index=False,
                                             header=["session_id", "minute", "concurrent_viewers", "minute"])
    assert "row 1, column minute: appears more than once in the header" in refusal(excel, VIEWER_MINUTES)


def test_a_frame_whose_names_repeat_once_stripped_is_refused():
    raw = pd.DataFrame([["S1", "0", "5", "6"]], columns=["session_id", "minute", "concurrent_viewers", "minute "])
    with pytest.raises(DataError, match="row 1, column minute: appears more than once in the header"):
        parse_table(raw, VIEWER_MINUTES)


def test_a_missing_column_is_refused_from_the_header_alone(tmp_path):
    path = tmp_path / "viewer_minutes.csv"
    path.write_text("session_id,minute\nS1,0\nS1,1,2,3,4\n")  # the body would not even parse
    assert refusal(path, VIEWER_MINUTES) == (
        "viewer_minutes.csv, column concurrent_viewers: required column(s) missing; the file has: session_id, minute")
