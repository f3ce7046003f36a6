"""Rules of the scorecard that hold for any studio: sums add up, order never matters, ratios stay finite."""
import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from pandas.testing import assert_frame_equal

from metrics import METRICS, RATIOS, SUMS, scorecard
from metrics.groups import SESSION_KEYS

KEY_CHOICES = st.lists(st.sampled_from(SESSION_KEYS), min_size=1, max_size=3, unique=True)


@st.composite
def studios(draw):
    """A few sessions over two weeks, some with zero viewers or clicks, and SKU rows for some of them."""
    count = draw(st.integers(1, 12))
    numbers = st.integers(0, 50)
    rows = []
    for i in range(count):
        start = pd.Timestamp("2026-11-23T00:00:00") + pd.Timedelta(minutes=draw(st.integers(0, 14 * 24 * 60)))
        rows.append({
            "session_id": f"s{i}", "channel": draw(st.sampled_from(["shopA", "shopB"])),
            "host_id": draw(st.sampled_from(["h1", "h2", "guest", ""])), "start": start,
            "end": start + pd.Timedelta(minutes=draw(st.integers(1, 300))),
            "viewers": draw(numbers), "views": draw(numbers), "avg_watch_seconds": float(draw(numbers)),
            "product_impressions": draw(numbers), "product_clicks": draw(numbers), "orders": draw(numbers),
            "gmv": float(draw(numbers)),
        })
    sessions = pd.DataFrame(rows).astype({"session_id": "str", "channel": "str", "host_id": "str"})
    sku_rows = []
    for i in range(count):
        for sku in draw(st.lists(st.sampled_from(["A", "B", "C"]), unique=True, max_size=3)):
            sold = draw(numbers)
            sku_rows.append({"session_id": f"s{i}", "sku": sku, "product_tier": draw(st.sampled_from(
                ["hero", "core", "longtail"])), "units_sold": sold,
                "units_refunded": draw(st.integers(0, sold)), "gmv": float(draw(numbers))})
    columns = ["session_id", "sku", "product_tier", "units_sold", "units_refunded", "gmv"]
    skus = pd.DataFrame(sku_rows, columns=columns).astype(
        {"session_id": "str", "sku": "str", "product_tier": "str", "units_sold": "int64",
         "units_refunded": "int64", "gmv": "float64"})
    return sessions, skus


@settings(max_examples=60, deadline=None)
@given(studios(), KEY_CHOICES)
def test_group_sums_add_up_to_the_total(studio, keys):
    sessions, skus = studio
    total = scorecard(sessions, skus, []).iloc[0]
    grouped = scorecard(sessions, skus, keys)
    for name in SUMS:
        assert np.isclose(grouped[name].sum(), total[name]), name


@settings(max_examples=60, deadline=None)
@given(studios(), KEY_CHOICES, st.randoms(use_true_random=False))
def test_row_order_never_changes_the_scorecard(studio, keys, rnd):
    sessions, skus = studio
    seed = rnd.randint(0, 2**31)
    shuffled = scorecard(sessions.sample(frac=1, random_state=seed), skus.sample(frac=1, random_state=seed), keys)
    assert_frame_equal(shuffled, scorecard(sessions, skus, keys), check_exact=False, rtol=1e-12)


@settings(max_examples=60, deadline=None)
@given(studios(), KEY_CHOICES)
def test_ratios_are_finite_or_empty_exactly_where_the_denominator_is_zero(studio, keys):
    sessions, skus = studio
    card = scorecard(sessions, skus, keys + ["sku"] if len(keys) < 3 else keys)
    for name, (_, denominator, _) in RATIOS.items():
        assert not np.isinf(card[name]).any(), name
        if denominator in card.columns:
            assert (card[name].isna() == (card[denominator] == 0)).all(), name
    assert list(card.columns[-len(METRICS):]) == list(METRICS)
