"""The typed (Arrow) reading of contract files: the frames and the messages of the text path, faster.

`read_table` first reads Parquet and CSV files with Arrow and checks typed columns; only a file with
something wrong or unusual goes through the text path (`parse_table(read_raw(...))`), which names
each bad cell. These tests hold the two paths to the same answers.
"""
import csv
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pandas.testing import assert_frame_equal

from contract import SESSIONS, SKU_SALES, VIEWER_MINUTES, Column, DataError, Table, read_raw, read_table
from contract.tables import _parse
from contract.typed import read_typed

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data" / "studio"
SESSION_HEADER = ("session_id,channel,host_id,start,end,viewers,views,avg_watch_seconds,"
                  "product_impressions,product_clicks,orders,gmv,category\n")
SESSION_ROWS = [
    "s1,shopA,h1,2026-11-23T19:00:00,2026-11-23T21:00:00,100,400,90.5,1000,50,5,250.25,beauty\n",
    "s2,shopA,,2026-11-23T23:00:00,2026-11-24T01:00:00,0,0,0,0,0,0,0,home\n",
    "s3,shopB,g9,2026-11-24T10:00:00,2026-11-24T11:30:00,200,500,45,400,0,2,60,beauty\n",
]


def text_path(path: Path, table: Table, columns=None) -> pd.DataFrame:
    """The frame (or DataError) of the text path alone: pandas reads every cell as text, then parse."""
    return _parse(read_raw(path), table, None if columns is None else set(columns))


def outcome(read) -> pd.DataFrame | str:
    """The frame a read returns, or the text of the DataError it raises."""
    try:
        return read()
    except DataError as err:
        return str(err)


def assert_same(got, want) -> None:
    if isinstance(want, str) or isinstance(got, str):
        assert got == want
    else:
        assert_frame_equal(got, want, check_exact=True)


def write_sessions(folder: Path, rows: list[str]) -> Path:
    path = folder / "sessions.csv"
    path.write_text(SESSION_HEADER + "".join(rows))
    return path


def test_clean_csv_and_parquet_files_take_the_typed_path_and_give_the_text_paths_frame(tmp_path):
    from sample_data.generate import generate_studio, write_studio
    frames = generate_studio(seed=5, channels=1, hosts=6, weeks=2)
    results = {k: frames[k] for k in ("sessions.csv", "sku_sales.csv", "viewer_minutes.csv", "targets.csv")}
    write_studio(results, tmp_path / "parquet", fmt="parquet")
    write_studio(results, tmp_path / "csv", fmt="csv")
    for table in (SESSIONS, SKU_SALES, VIEWER_MINUTES):
        for path in (tmp_path / "csv" / table.file, (tmp_path / "parquet" / table.file).with_suffix(".parquet")):
            typed = read_typed(path, table, None, set())  # raises if the typed path declined the file
            assert_frame_equal(typed, text_path(path, table), check_exact=True)
            assert_frame_equal(read_table(path, table), typed, check_exact=True)


def test_the_committed_sample_studio_takes_the_typed_path():
    for table in (SESSIONS, SKU_SALES, VIEWER_MINUTES):
        path = SAMPLE / table.file
        assert_frame_equal(read_typed(path, table, None, set()), text_path(path, table), check_exact=True)


def test_a_bad_csv_value_is_named_by_file_row_and_column(tmp_path):
    path = write_sessions(tmp_path, [SESSION_ROWS[0], SESSION_ROWS[1].replace(",0,0,0,0,0,0,0,", ",0,-3,0,0,0,0,0,"),
                                     SESSION_ROWS[2].replace("g9,", "g9 ,").replace(",500,", ",5x,")])
    with pytest.raises(DataError) as caught:
        read_table(path, SESSIONS)
    assert [str(p) for p in caught.value.problems] == [
        "sessions.csv, row 4, column views: '5x' is not a whole number",
        "sessions.csv, row 3, column views: '-3' must be >= 0",
    ]


def test_a_bad_parquet_value_is_named_by_file_row_and_column(tmp_path):
    frame = text_path(write_sessions(tmp_path, SESSION_ROWS), SESSIONS)
    frame.loc[2, "viewers"] = -1
    frame.loc[1, "end"] = frame.loc[1, "start"]
    frame.to_parquet(tmp_path / "sessions.parquet")
    with pytest.raises(DataError) as caught:
        read_table(tmp_path / "sessions.parquet", SESSIONS)
    assert [str(p) for p in caught.value.problems] == ["sessions.csv, row 4, column viewers: '-1' must be >= 0"]
    frame.loc[2, "viewers"] = 7
    frame.to_parquet(tmp_path / "sessions.parquet")
    with pytest.raises(DataError, match=r"sessions.csv, row 3, column end: end is not after start \(2026-11-23 23"):
        read_table(tmp_path / "sessions.parquet", SESSIONS)


def test_columns_reads_and_checks_only_those_but_every_required_column_must_be_there(tmp_path):
    path = write_sessions(tmp_path, [SESSION_ROWS[0].replace(",90.5,", ",slow,"), *SESSION_ROWS[1:]])
    with pytest.raises(DataError, match="row 2, column avg_watch_seconds: 'slow' is not a number"):
        read_table(path, SESSIONS)
    frame = read_table(path, SESSIONS, columns=["session_id", "start", "viewers", "slot_id", "category"])
    # file order, then the absent contract column with its default; the extra column kept as text
    assert list(frame.columns) == ["session_id", "start", "viewers", "category", "slot_id"]
    assert frame["viewers"].tolist() == [100, 0, 200] and frame["slot_id"].tolist() == ["", "", ""]
    path.write_text(path.read_text().replace(",views,", ",audience,"))
    with pytest.raises(DataError, match="sessions.csv, column views: required column"):
        read_table(path, SESSIONS, columns=["session_id"])


def test_categories_hold_the_same_values(tmp_path):
    path = write_sessions(tmp_path, SESSION_ROWS)
    frame = read_table(path, SESSIONS, categories=["channel", "host_id"])
    assert isinstance(frame["channel"].dtype, pd.CategoricalDtype)
    assert_frame_equal(frame.astype({"channel": "str", "host_id": "str"}), read_table(path, SESSIONS))


def test_unusual_cells_still_read_as_the_text_path_reads_them(tmp_path):
    """A number written 1e3, a zero written -0, a quoted cell after a space, a time without 'T': the
    typed path declines these and the text path reads them; the answer is the text path's."""
    rows = [SESSION_ROWS[0].replace(",400,", ",4e2,").replace(",250.25,", ",-0,"),
            SESSION_ROWS[1].replace("shopA,", ' "shop, A",').replace("2026-11-23T23:00:00", "2026-11-23 23:00:00"),
            SESSION_ROWS[2]]
    path = write_sessions(tmp_path, rows)
    frame = read_table(path, SESSIONS)
    assert_frame_equal(frame, text_path(path, SESSIONS), check_exact=True)
    assert frame["views"].tolist()[0] == 400 and frame["channel"].tolist()[1] == "shop, A"


# ---------------------------------------------------------------- property: both paths, any cells

TABLE = Table("t.csv", (
    Column("id", unique=True),
    Column("note", required=False, allow_empty=True, default=""),
    Column("tier", "choice", choices=("hero", "core", "longtail")),
    Column("count", "integer", minimum=0),
    Column("extra_count", "integer", required=False, allow_empty=True, minimum=0),
    Column("share", "number", required=False, allow_empty=True, default=0.0, minimum=0, maximum=1),
    Column("start", "datetime"),
    Column("end", "datetime"),
), ordered=True)

# Each cell: mostly a value both paths take, now and then one only the text path can judge.
CELLS = {  # column: (usual values, unusual values)
    "id": (["r0", "r1", "r2", "r3", "r4", "r5"], [" r1", "r1 ", "", '"r1"']),
    "note": (["a", "x y", "Ünï", ""], [" a", "b ", '"q"', "a,b", "  "]),
    "tier": (["hero", "core", "longtail", "HERO", " core"], ["", "gold"]),
    "count": (["0", "7", "12", "007"], ["-1", "1.0", "1e3", "", "+5", "9007199254740993", "x", " 3"]),
    "extra_count": (["0", "3", ""], ["-1", "2.5", "x"]),
    "share": (["0", "0.5", "1", ".5", ""], ["1.5", "-0", "nan", "inf", "0.1234567890123456789", "x"]),
    "start": (["2026-11-23T19:00:00", "2026-11-23T20:00:00"], ["2026-11-23 19:00:00", "2026-02-30T10:00:00",
                                                              "2026-11-23T19:00:00+01:00", "", "1500-01-01T00:00:00"]),
    "end": (["2026-11-23T21:00:00", "2026-11-23T22:00:00", "2026-11-23T20:00:00"], ["2026-11-23T19:00:00", ""]),
    "kept": (["k", "k 2", "", "3"], [" k", "k ", '"k"']),
}


@st.composite
def csv_rows(draw):
    rows = []
    for _ in range(draw(st.integers(0, 6))):
        row = []
        for usual, unusual in CELLS.values():
            row.append(draw(st.sampled_from(unusual if draw(st.integers(0, 11)) == 0 else usual)))
        rows.append(row)
    return rows


@settings(max_examples=80, deadline=None)
@given(csv_rows(), st.booleans())
def test_any_csv_reads_as_the_text_path_reads_it(tmp_path_factory, rows, sparse):
    path = tmp_path_factory.mktemp("csv") / "t.csv"
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(list(CELLS))
        writer.writerows(rows)
    columns = ["id", "tier", "count", "start", "end"] if sparse else None
    assert_same(outcome(lambda: read_table(path, TABLE, columns=columns)),
                outcome(lambda: text_path(path, TABLE, columns)))


@st.composite
def parquet_frames(draw):
    """Typed columns as a Parquet writer leaves them: mostly good values, now and then a bad one."""
    count = draw(st.integers(0, 6))

    def cell(usual, unusual):
        return draw(unusual if draw(st.integers(0, 11)) == 0 else usual)

    start = pd.Timestamp("2026-11-23T19:00:00")
    frame = pd.DataFrame({
        "id": [cell(st.just(f"r{i}"), st.sampled_from([f" r{i}", "r0", ""])) for i in range(count)],
        "tier": [cell(st.sampled_from(CELLS["tier"][0]), st.sampled_from(CELLS["tier"][1])) for _ in range(count)],
        "count": pd.array([cell(st.integers(0, 100), st.sampled_from([None, -2, 2**54])) for _ in range(count)],
                          dtype="Int64"),
        "share": [cell(st.floats(0, 1), st.sampled_from([None, np.nan, np.inf, -0.0, 1.5])) for _ in range(count)],
        "start": [start] * count,
        "end": [start + pd.Timedelta(hours=cell(st.integers(1, 3), st.integers(-1, 0))) for _ in range(count)],
    }, columns=["id", "tier", "count", "share", "start", "end"])
    if draw(st.booleans()):
        frame["tier"] = frame["tier"].astype("category")
    if draw(st.booleans()):
        frame["count"] = frame["count"].astype("float64")
    return frame.astype({"id": "str", "share": "float64", "start": "datetime64[us]", "end": "datetime64[ns]"})


@settings(max_examples=50, deadline=None)
@given(parquet_frames(), st.booleans())
def test_any_parquet_file_reads_as_the_text_path_reads_it(tmp_path_factory, frame, category):
    path = tmp_path_factory.mktemp("parquet") / "t.parquet"
    frame.to_parquet(path)
    categories = ["tier", "id"] if category else []
    got = outcome(lambda: read_table(path, TABLE, categories=categories))
    if not isinstance(got, str):
        got = got.astype({name: "str" for name in categories})
    assert_same(got, outcome(lambda: text_path(path, TABLE)))


def test_numbers_through_float_like_the_text_path(tmp_path):
    """Integers are read through float64 on both paths, so a value past 2**53 (not exact as a float) is
    refused by both, with the same message."""
    pd.DataFrame({"session_id": ["s1", "s2"], "minute": [0, 2**53 + 1],
                  "concurrent_viewers": np.array([1, 2], dtype="uint8")}).to_parquet(tmp_path / "vm.parquet")
    with pytest.raises(DataError) as typed:
        read_table(tmp_path / "vm.parquet", VIEWER_MINUTES)
    with pytest.raises(DataError) as text:
        text_path(tmp_path / "vm.parquet", VIEWER_MINUTES)
    assert str(typed.value) == str(text.value) == (
        "viewer_minutes.csv, row 3, column minute: '9007199254740993' is too large; "
        "a whole number here is at most 9,007,199,254,740,991")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["", "a", "b", "ab", "ba", "aaaaaaaaa", "aaaaaaaab", "ü", "€€"]), max_size=12),
       st.integers(0, 3))
def test_the_distinct_check_finds_every_repeat(values, cut):
    import pyarrow as pa

    from contract.typed import _distinct
    text = pa.chunked_array([pa.array(["zz"] * cut + values, pa.large_string()).slice(cut)], pa.large_string())
    assert _distinct(text) == (len(set(values)) == len(values))
