"""The contract reader: typed columns, defaults, and problems that name file, row and column."""
import io

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contract import HOSTS, SESSIONS, SLOTS, DataError, parse_table, read_table
from contract.files import neutralise_formulas, write_csv


def raw(text: str) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)


def problems(text: str, table) -> list[str]:
    with pytest.raises(DataError) as caught:
        parse_table(raw(text), table)
    return [str(p) for p in caught.value.problems]


HOST_HEADER = "host_id,name,tier,categories,hourly_rate,max_hours_per_week\n"


def test_hosts_parse_with_defaults():
    hosts = parse_table(raw(HOST_HEADER + "H1,Ana,a,beauty| skincare ,30,20\n"), HOSTS)
    row = hosts.iloc[0]
    assert row.tier == "A"
    assert row.categories == ("beauty", "skincare")
    assert row.languages == ("en",)
    assert row.commission_rate == 0.0 and row.min_hours_per_week == 0.0
    assert row.max_streams_per_day == 2 and row.role == "host"


def test_each_bad_cell_is_named_by_row_and_column():
    found = problems(HOST_HEADER + "H1,Ana,A,beauty,30,20\nH1,Bo,D,,x,0\n", HOSTS)
    assert found == [
        "hosts.csv, row 3, column host_id: 'H1' appears more than once; it must be unique",
        "hosts.csv, row 3, column tier: 'D' is not one of A, B, C",
        "hosts.csv, row 3, column categories: is empty; a value is required",
        "hosts.csv, row 3, column hourly_rate: 'x' is not a number",
        "hosts.csv, row 3, column max_hours_per_week: '0' must be > 0",
    ]


def test_missing_column_is_named():
    found = problems("host_id,name\nH1,Ana\n", HOSTS)
    assert found[0].startswith("hosts.csv, column tier, categories, hourly_rate, max_hours_per_week: required column")


SLOT_HEADER = "slot_id,channel,start,end,product_tier,category\n"


def test_dates_must_be_local_iso_times_and_end_after_start():
    found = problems(SLOT_HEADER
                     + "S1,Shop,2026-11-23T19:00:00+01:00,2026-11-23T21:00:00,hero,beauty\n"
                     + "S2,Shop,23/11/2026 19:00,2026-11-23T21:00:00,hero,beauty\n", SLOTS)
    assert "slots.csv, row 2, column start: '2026-11-23T19:00:00+01:00' has a time-zone offset" in found[0]
    assert found[1].startswith("slots.csv, row 3, column start: '23/11/2026 19:00' puts the day or the month first, "
                               "which reads two ways; write the year first")
    found = problems(SLOT_HEADER + "S1,Shop,2026-11-23T21:00:00,2026-11-23T19:00:00,hero,beauty\n", SLOTS)
    assert found == ["slots.csv, row 2, column end: end is not after start (2026-11-23 21:00:00)"]


def test_integer_columns_refuse_fractions_and_negatives():
    header = ("session_id,channel,host_id,start,end,viewers,views,avg_watch_seconds,"
              "product_impressions,product_clicks,orders,gmv\n")
    found = problems(header + "X,Shop,,2026-11-23T19:00:00,2026-11-23T20:00:00,1.5,-3,10,0,0,0,0\n", SESSIONS)
    assert found == ["sessions.csv, row 2, column viewers: '1.5' is not a whole number",
                     "sessions.csv, row 2, column views: '-3' must be >= 0"]


def test_malformed_csv_names_the_line(tmp_path):
    path = tmp_path / "slots.csv"
    path.write_text(SLOT_HEADER + "S1,Shop,2026-11-23T19:00:00,2026-11-23T21:00:00,hero,beauty,extra\n")
    with pytest.raises(DataError) as caught:
        read_table(path, SLOTS)
    assert str(caught.value).startswith("slots.csv, row 2: has 7 cells but the header has 6")


def test_missing_and_empty_files(tmp_path):
    with pytest.raises(DataError, match="hosts.csv: file not found"):
        read_table(tmp_path / "hosts.csv", HOSTS)
    (tmp_path / "hosts.csv").write_text("")
    with pytest.raises(DataError, match="hosts.csv: the file is empty"):
        read_table(tmp_path / "hosts.csv", HOSTS)


def test_formula_cells_are_neutralised_and_numbers_kept(tmp_path):
    frame = pd.DataFrame({"name": ["=HYPERLINK(1)", "@SUM", "plain", "-rm"], "gmv": [-1.0, 2.0, 3.0, 4.0]})
    safe = neutralise_formulas(frame)
    assert safe["name"].tolist() == ["'=HYPERLINK(1)", "'@SUM", "plain", "'-rm"]
    assert safe["gmv"].tolist() == [-1.0, 2.0, 3.0, 4.0]
    write_csv(frame, tmp_path / "out.csv")
    assert (tmp_path / "out.csv").read_text().splitlines()[1] == "'=HYPERLINK(1),-1.0"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


VIEWER_MINUTES_HEADER = "session_id,minute,concurrent_viewers\n"


def test_typed_parquet_columns_are_checked_on_their_values_and_quoted_as_text():
    from contract import VIEWER_MINUTES
    typed = pd.DataFrame({"session_id": pd.Categorical([" S1", "S2 ", None]),
                          "minute": [0, -2, 3],
                          "concurrent_viewers": [4.0, 1.5, float("nan")]})
    with pytest.raises(DataError) as caught:
        parse_table(typed, VIEWER_MINUTES)
    assert [str(p) for p in caught.value.problems] == [
        "viewer_minutes.csv, row 3, column minute: '-2' must be >= 0",
        "viewer_minutes.csv, row 4, column concurrent_viewers: is empty; a value is required",
        "viewer_minutes.csv, row 3, column concurrent_viewers: '1.5' is not a whole number",
    ]
    clean = parse_table(typed.iloc[:1], VIEWER_MINUTES)
    assert clean["session_id"].tolist() == ["S1"] and str(clean["session_id"].dtype) == "str"
    assert clean["minute"].tolist() == [0] and clean["concurrent_viewers"].dtype == "int64"


def test_categorical_text_matches_the_text_of_each_cell():
    from contract.tables import _category_text
    values = pd.Series(pd.Categorical([" a", None, "b ", " a", ""]))
    expected = values.astype("str").str.strip()
    pd.testing.assert_series_equal(_category_text(values), expected)


def test_typed_unique_column_names_the_repeated_value():
    from contract import Column, Table
    table = Table("t.csv", (Column("n", "integer", unique=True), Column("at", "datetime", unique=True)))
    at = pd.to_datetime(["2026-11-23 19:00", "2026-11-23 20:00", "2026-11-23 19:00"])
    with pytest.raises(DataError) as caught:
        parse_table(pd.DataFrame({"n": [7, 8, 7], "at": at}), table)
    assert [str(p) for p in caught.value.problems] == [
        "t.csv, row 4, column n: '7' appears more than once; it must be unique",
        "t.csv, row 4, column at: '2026-11-23 19:00:00' appears more than once; it must be unique",
    ]


def test_references_name_each_unknown_row_once_per_row():
    from contract import check_references
    frame = pd.DataFrame({"host_id": ["H1", "H9", "", "H9"]})
    with pytest.raises(DataError) as caught:
        check_references(frame, "host_id", ["H1"], SLOTS, "hosts.csv", allow_empty=True)
    assert [str(p) for p in caught.value.problems] == [
        "slots.csv, row 3, column host_id: 'H9' is not in hosts.csv",
        "slots.csv, row 5, column host_id: 'H9' is not in hosts.csv",
    ]
    with pytest.raises(DataError, match="row 4, column host_id: '' is not in hosts.csv"):
        check_references(frame, "host_id", ["H1", "H9"], SLOTS, "hosts.csv")


CELLS = st.one_of(
    st.from_regex(r"[+-]?[0-9]{1,20}(\.[0-9]{0,20})?", fullmatch=True),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(["", "-0", "-0.0", "+0", "007", "1e5", ".5", "5.", "inf", "nan", "x", "1_000", "٣"]),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(CELLS, min_size=1, max_size=8))
def test_fast_number_reading_agrees_with_pandas_to_the_bit(cells):
    from contract.tables import _plain_numbers
    text = pd.Series(cells, dtype="str")
    empty = (text == "").to_numpy()
    fast = _plain_numbers(text, empty)
    if fast is not None:
        slow = pd.to_numeric(text.where(~empty), errors="coerce").astype("float64")
        assert fast.to_numpy().tobytes() == slow.to_numpy().tobytes()
