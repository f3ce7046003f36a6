"""Claim-safe check: restricted claims caught with their spans, near-misses left alone, approval gated."""
from datetime import datetime

import pandas as pd
import pytest
from test_workflows_payroll import text

import contract
from contract.plan import PRODUCTS
from workflows.claims import (
    FlaggedClaimsError,
    Review,
    approve,
    default_rules,
    highlight_html,
    parse_rules,
    request_changes,
    scan_products,
    scan_text,
    submit,
)

RULES = default_rules()
PRODUCTS_CSV = """sku,name,product_tier,category,price,talking_points,claims
SKU1,Glow Serum,hero,beauty,29,Clinically proven to cure acne|Layer it under SPF,dermatologist tested
SKU2,Calm Mask,core,beauty,19,Curated for sensitive skin,best-selling in our shop this month
"""
AT = datetime(2026, 11, 30, 9, 0)


def products(csv: str = PRODUCTS_CSV) -> pd.DataFrame:
    return contract.parse_table(text(csv), PRODUCTS)


def test_a_medical_claim_is_caught_with_its_spans():
    found = scan_text("Clinically proven to cure acne", RULES)
    assert [(f.start, f.end, f.matched) for f in found] == [(0, 17, "Clinically proven"), (21, 25, "cure")]
    assert "substantiates" in found[0].reason and found[1].suggestion.startswith("Say what the buyer")


@pytest.mark.parametrize("claim", [
    "Treats mild acne overnight", "100% safe for babies", "FDA-approved formula", "Risk-free trial",
    "lose 10 lbs in a week", "Lowest price ever!", "the best in the world", "#1 serum", "cheapest anywhere",
    "guaranteed results", "before and after photos that speak", "Heals eczema", "the best serum in the world",
    "stops hair loss for good", "before and after: wrinkles gone", "results guaranteed",
])
def test_restricted_claims_are_caught(claim):
    assert scan_text(claim, RULES)


@pytest.mark.parametrize("near_miss", [
    "dermatologist tested", "best-selling in our shop this month", "curated picks", "our #10 pick",
    "a sweet treat for your skin", "apply before and after workouts", "safe to use daily", "price drop today",
    "made in an FDA-registered facility", "free returns for 30 days", "$10 off our usual price today only",
    "stops frizz all day",
])
def test_near_misses_are_not_flagged(near_miss):
    assert scan_text(near_miss, RULES) == []


def test_products_are_scanned_item_by_item():
    found = scan_products(products(), RULES)
    assert found[["sku", "field", "item", "start", "end", "matched"]].values.tolist() == [
        ["SKU1", "talking_points", 0, 0, 17, "Clinically proven"],
        ["SKU1", "talking_points", 0, 21, 25, "cure"],
    ]


def test_highlight_marks_the_flagged_text_and_escapes_the_rest():
    claim = "<b>Clinically proven</b> & cures"
    marked = highlight_html(claim, scan_text(claim, RULES))
    assert marked.startswith('&lt;b&gt;<mark title="Needs a named study')
    assert marked.endswith('&amp; <mark title="Medical claim: a cosmetic or consumer product may not claim to cure '
                           'anything">cures</mark>')


def test_a_bad_restricted_list_names_row_and_column():
    with pytest.raises(contract.DataError, match=r"restricted_claims.csv, row 3, column pattern: '\(cure' is not a "
                                                 r"valid regular expression"):
        parse_rules(text("pattern,kind,reason\nrisk-free,phrase,guarantee\n(cure,regex,medical\n"))


def test_custom_phrases_match_whole_words_across_spaces():
    rules = parse_rules(text("pattern,kind,reason,safe_alternative\nmiracle  cream,phrase,hype,say moisturiser\n"))
    assert [f.matched for f in scan_text("A Miracle\ncream! Not a miracle creamer.", rules)] == ["Miracle\ncream"]


def test_approval_is_refused_while_a_flagged_claim_remains_and_allowed_once_fixed():
    review = submit(Review("2026-12-01"), "sam", at=AT)
    with pytest.raises(FlaggedClaimsError, match=r"2 flagged claim\(s\): clinically proven \(SKU1\), cure \(SKU1\)"):
        approve(review, scan_products(products(), RULES), "lead", at=AT)
    review = request_changes(review, "lead", "drop the acne claim", at=AT)
    fixed = products(PRODUCTS_CSV.replace("Clinically proven to cure acne", "Helps skin look clearer"))
    review = approve(submit(review, "sam", "reworded", at=AT), scan_products(fixed, RULES), "lead", at=AT)
    assert review.status == "approved"
    assert [(t.from_status, t.to_status, t.user) for t in review.history] == [
        ("draft", "in_review", "sam"), ("in_review", "changes_requested", "lead"),
        ("changes_requested", "in_review", "sam"), ("in_review", "approved", "lead")]
    assert review.history[1].comment == "drop the acne claim"


def test_the_review_only_moves_along_its_arrows():
    with pytest.raises(ValueError, match="is draft; it can move to in_review, not approved"):
        approve(Review("2026-12-01"), scan_products(products().iloc[1:], RULES), "lead", at=AT)
    with pytest.raises(ValueError, match="needs a comment"):
        request_changes(submit(Review("x"), "sam", at=AT), "lead", "", at=AT)
