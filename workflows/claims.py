"""Claim-safe talk tracks: find restricted claims in talking points before a host says them on air,
and keep a run-of-show from being approved while one remains.

Matching is case-insensitive and whole-word: a pattern never matches inside a longer word, so
"cure" does not flag "curated" and "#1" does not flag "#10".
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

import pandas as pd

import contract
from contract import DataError, Problem
from workflows.schemas import RESTRICTED_CLAIMS

DEFAULT_RESTRICTED = Path(__file__).with_name("default_restricted_claims.csv")
FINDING_COLUMNS = ("sku", "name", "field", "item", "text", "start", "end", "matched", "reason", "suggestion")
TEXT_FIELDS = ("talking_points", "claims")


@dataclass(frozen=True)
class Rule:
    """One restricted claim: what to look for, why it is restricted, what to say instead."""

    pattern: str
    reason: str
    safe_alternative: str
    regex: re.Pattern


@dataclass(frozen=True)
class Finding:
    """A restricted claim found in a text: the span [start, end) and the matched words."""

    start: int
    end: int
    matched: str
    reason: str
    suggestion: str


def compile_rules(restricted: pd.DataFrame, file: str = RESTRICTED_CLAIMS.file) -> list[Rule]:
    """Rules from a parsed restricted-claims table; a broken regex is named by row and column."""
    rules, problems = [], []
    for row, item in enumerate(restricted.itertuples(index=False), start=2):
        body = (r"\s+".join(re.escape(word) for word in item.pattern.split()) if item.kind == "phrase"
                else item.pattern)
        try:
            regex = re.compile(rf"(?<!\w)(?:{body})(?!\w)", re.IGNORECASE)
        except re.error as err:
            problems.append(Problem(file, row, "pattern",
                                    f"'{item.pattern}' is not a valid regular expression ({err})"))
            continue
        rules.append(Rule(item.pattern, item.reason, item.safe_alternative, regex))
    if problems:
        raise DataError(problems)
    return rules


def parse_rules(raw: pd.DataFrame, file: str = RESTRICTED_CLAIMS.file) -> list[Rule]:
    """Validate a restricted-claims file's text cells and compile its patterns."""
    return compile_rules(contract.parse_table(raw, replace(RESTRICTED_CLAIMS, file=file)), file)


def default_rules() -> list[Rule]:
    """The restricted claims shipped with the project (workflows/default_restricted_claims.csv)."""
    return parse_rules(contract.read_raw(DEFAULT_RESTRICTED), DEFAULT_RESTRICTED.name)


def scan_text(text: str, rules: list[Rule]) -> list[Finding]:
    """Every restricted claim in `text`, in reading order."""
    found = [Finding(m.start(), m.end(), m.group(0), rule.reason, rule.safe_alternative)
             for rule in rules for m in rule.regex.finditer(text)]
    return sorted(found, key=lambda f: (f.start, f.end))


def scan_products(products: pd.DataFrame, rules: list[Rule]) -> pd.DataFrame:
    """One row per finding in the products' talking points and claims (item = position in the list)."""
    rows = [
        {"sku": sku, "name": name, "field": field, "item": item, "text": text, "start": f.start, "end": f.end,
         "matched": f.matched, "reason": f.reason, "suggestion": f.suggestion}
        for field in TEXT_FIELDS
        for sku, name, texts in zip(products["sku"], products["name"], products[field])
        for item, text in enumerate(texts)
        for f in scan_text(text, rules)
    ]
    frame = pd.DataFrame(rows, columns=list(FINDING_COLUMNS))
    return frame.astype({"item": "int64", "start": "int64", "end": "int64"})


def highlight_html(text: str, findings: list[Finding]) -> str:
    """`text` escaped for HTML with each flagged span in <mark title="reason">; overlapping spans merge."""
    spans: list[list] = []
    for f in sorted(findings, key=lambda f: (f.start, f.end)):
        if spans and f.start < spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], f.end)
            if f.reason not in spans[-1][2]:
                spans[-1][2].append(f.reason)
        else:
            spans.append([f.start, f.end, [f.reason]])
    out, at = [], 0
    for start, end, reasons in spans:
        out.append(html.escape(text[at:start]))
        out.append(f'<mark title="{html.escape("; ".join(reasons))}">{html.escape(text[start:end])}</mark>')
        at = end
    out.append(html.escape(text[at:]))
    return "".join(out)


# The review of a run-of-show: draft -> in_review -> approved | changes_requested -> in_review.
REVIEW_STATUSES = ("draft", "in_review", "approved", "changes_requested")
_ALLOWED = {"draft": ("in_review",), "in_review": ("approved", "changes_requested"),
            "changes_requested": ("in_review",), "approved": ()}


class FlaggedClaimsError(ValueError):
    """Approval refused: the run-of-show still holds restricted claims."""


@dataclass(frozen=True)
class Transition:
    """One step of a review: who moved it, when, from which status to which, and why."""

    from_status: str
    to_status: str
    user: str
    at: datetime
    comment: str


@dataclass(frozen=True)
class Review:
    """The review of one run-of-show (subject_id, e.g. "2026-12-01" or a slot id) and its history."""

    subject_id: str
    status: str = "draft"
    history: tuple[Transition, ...] = ()


def _move(review: Review, to: str, user: str, comment: str, at: datetime | None) -> Review:
    if to not in _ALLOWED[review.status]:
        allowed = ", ".join(_ALLOWED[review.status]) or "nothing (it is final)"
        raise ValueError(f"run-of-show {review.subject_id} is {review.status}; it can move to {allowed}, not {to}")
    if not user.strip():
        raise ValueError("a review step needs the name of the person who takes it")
    step = Transition(review.status, to, user.strip(), (at or datetime.now()).replace(microsecond=0), comment.strip())
    return Review(review.subject_id, to, review.history + (step,))


def submit(review: Review, user: str, comment: str = "", at: datetime | None = None) -> Review:
    """Send a draft (or a reworked run-of-show) for review."""
    return _move(review, "in_review", user, comment, at)


def request_changes(review: Review, user: str, comment: str, at: datetime | None = None) -> Review:
    """Send it back; the comment says what to change."""
    if not comment.strip():
        raise ValueError(f"requesting changes to run-of-show {review.subject_id} needs a comment saying what")
    return _move(review, "changes_requested", user, comment, at)


def approve(review: Review, findings: pd.DataFrame, user: str, comment: str = "",
            at: datetime | None = None) -> Review:
    """Approve, unless `findings` (from `scan_products` over the run-of-show's products) holds any claim."""
    if len(findings):
        flagged = (findings["matched"].str.lower() + " (" + findings["sku"] + ")").drop_duplicates()
        raise FlaggedClaimsError(f"run-of-show {review.subject_id} cannot be approved while it holds "
                                 f"{len(findings)} flagged claim(s): {', '.join(flagged)}")
    return _move(review, "approved", user, comment, at)
