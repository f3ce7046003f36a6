"""`summarise` groups rows as pandas' groupby would (sorted keys, empty keys dropped), without hashing rows."""
import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from pandas.testing import assert_frame_equal

from metrics.formulas import MEASURES, add_ratios, summarise


def measures_frame(keys: dict[str, object], rows: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(keys)
    for name in MEASURES:
        integer = name in ("sessions", "viewers", "views", "orders", "product_clicks", "product_impressions",
                           "units_net")
        frame[name] = rng.integers(0, 50, rows) if integer else rng.integers(0, 400, rows) / 4
    return frame


def by_pandas(frame: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """The reference: pandas' groupby, in key order, empty keys dropped."""
    sums = frame.groupby(by, sort=True, observed=True)[list(MEASURES)].sum().reset_index()
    return add_ratios(sums)


KEY = st.sampled_from(["int", "text", "category", "category with empty"])


@settings(max_examples=40, deadline=None)
@given(st.lists(KEY, min_size=1, max_size=4), st.integers(0, 40), st.integers(1, 3000), st.integers(0, 2**31))
def test_summarise_groups_like_pandas_groupby(kinds, rows, spread, seed):
    rng = np.random.default_rng(seed)
    keys = {}
    for i, kind in enumerate(kinds):
        values = rng.integers(0, spread, rows)
        if kind == "int":
            keys[f"k{i}"] = values
        elif kind == "text":
            keys[f"k{i}"] = pd.array([f"v{v}" for v in values], dtype="str")
        else:  # categories in no order, with values no row uses
            names = [f"c{v}" for v in range(spread + 2)]
            rng.shuffle(names)
            cells = [None if kind == "category with empty" and v % 3 == 0 else f"c{v}" for v in values]
            keys[f"k{i}"] = pd.Categorical(cells, categories=names)
    frame = measures_frame(keys, rows, seed)
    by = list(keys)
    # check_categorical=False: the integer width of a categorical's codes is pandas' own business
    assert_frame_equal(summarise(frame, by), by_pandas(frame, by), check_exact=False, rtol=1e-12,
                       check_categorical=False)


def test_many_keys_with_many_values_do_not_overflow_the_group_numbers():
    rows = 300
    rng = np.random.default_rng(7)
    keys = {f"k{i}": rng.integers(0, 40, rows) for i in range(12)}  # 40 ** 12 > 2 ** 62
    frame = measures_frame(keys, rows, 7)
    assert_frame_equal(summarise(frame, list(keys)), by_pandas(frame, list(keys)), check_exact=False, rtol=1e-12)
