"""Per-query and compact loads: the same numbers as a full load of plain text columns.

A compact load holds repeated text (session ids in sku_sales and viewer_minutes, SKUs, tiers) as
categoricals whose categories may come in any order and include values no row uses, as Parquet
dictionaries do; a per-query load reads only the columns the query needs.
"""
import random
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pandas.testing import assert_frame_equal
from test_metrics_core_properties import KEY_CHOICES, studios

from contract import DataError
from metrics import average_curves, load_results, retention_curves, retention_summary, scorecard, sku_velocity
from metrics.groups import blocks_rising, scorecard_columns
from metrics.retention import curve_columns
from metrics.velocity import velocity_columns

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data" / "studio"


def as_categories(frame: pd.DataFrame, columns: list[str], rnd: random.Random) -> pd.DataFrame:
    """`frame` with `columns` as categoricals: categories shuffled, plus one that no row uses."""
    out = frame.copy()
    for name in columns:
        values = out[name].astype("str")
        categories = list(dict.fromkeys(values)) + [f"unused {name}"]
        rnd.shuffle(categories)
        out[name] = pd.Categorical(values, categories=categories)
    return out


@st.composite
def minutes_of(draw, sessions: pd.DataFrame) -> pd.DataFrame:
    """Viewer minutes for some of the sessions, each session's rows together, sessions in any order."""
    rows = []
    for session_id in draw(st.permutations(list(sessions["session_id"]))):
        for minute in range(draw(st.integers(0, 8))):
            rows.append((session_id, minute, draw(st.integers(0, 30))))
    frame = pd.DataFrame(rows, columns=["session_id", "minute", "concurrent_viewers"])
    return frame.astype({"session_id": "str", "minute": "int64", "concurrent_viewers": "int64"})


@settings(max_examples=25, deadline=None)
@given(studios(), KEY_CHOICES, st.randoms(use_true_random=False), st.data())
def test_categorical_columns_never_change_a_number(studio, keys, rnd, data):
    sessions, skus = studio
    compact = as_categories(skus, ["session_id", "sku", "product_tier"], rnd)
    assert_frame_equal(scorecard(sessions, compact, keys), scorecard(sessions, skus, keys), check_exact=True)
    assert_frame_equal(scorecard(sessions, compact, ["week", "sku"]), scorecard(sessions, skus, ["week", "sku"]),
                       check_exact=True)
    assert_frame_equal(sku_velocity(sessions, compact, ["week"]), sku_velocity(sessions, skus, ["week"]),
                       check_exact=True)
    minutes = data.draw(minutes_of(sessions))
    coded = as_categories(minutes, ["session_id"], rnd)
    by = [k for k in keys if k != "product_tier"] or ["host_id"]
    assert_frame_equal(average_curves(coded, sessions, by), average_curves(minutes, sessions, by), check_exact=True)
    assert_frame_equal(retention_summary(coded, sessions), retention_summary(minutes, sessions), check_exact=True)
    curves = retention_curves(coded)
    assert_frame_equal(curves.astype({"session_id": "str"}), retention_curves(minutes), check_exact=True)


@settings(max_examples=25, deadline=None)
@given(studios(), st.data())
def test_curves_do_not_depend_on_row_order(studio, data):
    sessions, _ = studio
    minutes = data.draw(minutes_of(sessions))
    shuffled = minutes.sample(frac=1, random_state=data.draw(st.integers(0, 2**31))).reset_index(drop=True)
    assert_frame_equal(average_curves(shuffled, sessions), average_curves(minutes, sessions), rtol=1e-12)
    assert_frame_equal(retention_summary(shuffled, sessions), retention_summary(minutes, sessions))


def test_blocks_rising_knows_when_no_pair_can_repeat():
    assert blocks_rising(np.array([2, 2, 0, 0, 1]), np.array([0, 1, 0, 5, 3]))
    assert not blocks_rising(np.array([2, 2, 0, 2]), np.array([0, 1, 0, 5]))  # session 2 comes back
    assert not blocks_rising(np.array([0, 0]), np.array([4, 4]))  # a repeated minute
    assert not blocks_rising(np.array([0, 0]), np.array([4, 3]))  # minutes out of order


@pytest.mark.parametrize("by", [["date", "host_id"], ["week", "channel"], ["product_tier"], ["week", "sku"]])
def test_a_per_query_compact_load_gives_the_full_loads_scorecard(by):
    full = load_results(SAMPLE)
    lean = load_results(SAMPLE, columns=scorecard_columns(by), compact=True)
    assert lean.viewer_minutes is None and lean.targets is None and lean.inventory is None
    assert isinstance(lean.sku_sales["session_id"].dtype, pd.CategoricalDtype)
    assert set(lean.sessions.columns) < set(full.sessions.columns)
    assert_frame_equal(scorecard(lean.sessions, lean.sku_sales, by), scorecard(full.sessions, full.sku_sales, by),
                       check_exact=True)


def test_per_query_loads_for_velocity_and_curves():
    full = load_results(SAMPLE)
    lean = load_results(SAMPLE, columns=velocity_columns(["week"]), compact=True)
    assert_frame_equal(sku_velocity(lean.sessions, lean.sku_sales, ["week"], inventory=lean.inventory),
                       sku_velocity(full.sessions, full.sku_sales, ["week"], inventory=full.inventory))
    lean = load_results(SAMPLE, columns=curve_columns("host_id"), compact=True)
    assert lean.sku_sales is None and list(lean.sessions.columns) == ["session_id", "host_id"]
    assert_frame_equal(average_curves(lean.viewer_minutes, lean.sessions, "host_id"),
                       average_curves(full.viewer_minutes, full.sessions, "host_id"), check_exact=True)


SESSIONS = """\
session_id,channel,host_id,start,end,viewers,views,avg_watch_seconds,product_impressions,product_clicks,orders,gmv
s1,shopA,h1,2026-11-23T19:00:00,2026-11-23T21:00:00,100,400,90,1000,50,5,250
s2,shopA,h1,2026-11-23T23:00:00,2026-11-24T01:00:00,0,0,0,0,0,0,0
"""
SKU_SALES = "session_id,sku,product_tier,units_sold,units_refunded,gmv\ns1,A1,hero,6,2,150\ns2,B1,core,4,0,100\n"
MINUTES = "session_id,minute,concurrent_viewers\ns2,0,3\ns1,0,10\ns1,1,12\n"


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
@pytest.mark.parametrize("file, extra, message", [
    ("sku_sales.csv", "zz,A1,hero,1,0,5\n", "sku_sales.csv, row 4, column session_id: 'zz' is not in sessions.csv"),
    ("sku_sales.csv", "s1,A1,core,1,0,5\n",
     "sku_sales.csv, row 4, column sku: session 's1' already has a row for sku 'A1'; each pair appears once"),
    ("viewer_minutes.csv", "s2,0,4\n",
     "viewer_minutes.csv, row 5, column minute: session 's2' already has a row for minute '0'; each pair appears once"),
    ("viewer_minutes.csv", "s1,5,-1\n", "viewer_minutes.csv, row 5, column concurrent_viewers: '-1' must be >= 0"),
])
def test_a_compact_per_query_load_still_names_file_row_and_column(tmp_path, fmt, file, extra, message):
    texts = {"sessions.csv": SESSIONS, "sku_sales.csv": SKU_SALES, "viewer_minutes.csv": MINUTES}
    texts[file] += extra
    for name, text in texts.items():
        (tmp_path / name).write_text(text)
        if fmt == "parquet":
            frame = pd.read_csv(tmp_path / name, dtype={"session_id": "category", "sku": "str"})
            frame.to_parquet((tmp_path / name).with_suffix(".parquet"))
    columns = {**scorecard_columns(["week"]), **curve_columns(["week"])}
    with pytest.raises(DataError) as caught:
        load_results(tmp_path, columns=columns, compact=True)
    assert str(caught.value) == message
