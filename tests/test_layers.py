"""The import-linter contracts in pyproject.toml hold on the tree, and break when a layer reaches upward.

Each case copies the packages' Python files and pyproject.toml to a temporary folder, plants one import
and runs `lint-imports` there, so the repository itself is never touched.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ["contract", "forecast", "scheduler", "metrics", "workflows", "store", "ui", "sample_data", "bench"]
LINT_IMPORTS = [sys.executable, "-c", "import sys; from importlinter.cli import lint_imports_command; "
                "sys.exit(lint_imports_command())", "--no-cache", "--no-logo"]


def copy_tree(into: Path) -> Path:
    """The root packages' .py files and pyproject.toml, nothing else (no data, no caches)."""
    for package in PACKAGES:
        shutil.copytree(ROOT / package, into / package, ignore=_not_python)
    shutil.copy(ROOT / "pyproject.toml", into / "pyproject.toml")
    return into


def _not_python(folder: str, names: list[str]) -> list[str]:
    return [n for n in names if n == "__pycache__" or not (n.endswith(".py") or (Path(folder) / n).is_dir())]


def lint_imports(tree: Path) -> subprocess.CompletedProcess:
    return subprocess.run(LINT_IMPORTS, cwd=tree, capture_output=True, text=True, timeout=120)


def plant(tree: Path, module: str, line: str) -> None:
    path = tree / module
    path.write_text(path.read_text() + f"\n{line}\n")


def test_the_tree_keeps_every_contract(tmp_path):
    run = lint_imports(copy_tree(tmp_path))
    assert run.returncode == 0, run.stdout + run.stderr
    assert broken_contracts(run.stdout) == [] and "4 kept, 0 broken" in run.stdout


LAYERS = "Layers: each package imports only the packages below it"
OUTSIDE = "The generator and the benchmarks stay outside the libraries and the dashboard"
STREAMLIT = "Only the dashboard imports streamlit"
CYCLES = "No module cycles inside a package"


@pytest.mark.parametrize(("module", "line", "broken"), [
    ("contract/weeks.py", "import ui.theme", [LAYERS, STREAMLIT]),  # ui brings streamlit along
    ("scheduler/fit.py", "from metrics import formulas", [LAYERS]),
    ("store/db.py", "import sample_data.generate", [OUTSIDE]),
    ("metrics/daily.py", "import streamlit", [STREAMLIT]),
    ("contract/tables.py", "import contract.schemas", [CYCLES]),
], ids=["upward", "sideways", "outside", "streamlit", "cycle"])
def test_a_planted_import_breaks_its_contract(tmp_path, module, line, broken):
    tree = copy_tree(tmp_path)
    plant(tree, module, line)
    run = lint_imports(tree)
    assert run.returncode == 1, run.stdout + run.stderr
    assert broken_contracts(run.stdout) == broken


def broken_contracts(report: str) -> list[str]:
    """The names of the contracts the report calls broken."""
    verdicts = (re.fullmatch(r"(.+) (KEPT|BROKEN)( \(.*\))?", line) for line in report.splitlines())
    return [v.group(1) for v in verdicts if v and v.group(2) == "BROKEN"]
