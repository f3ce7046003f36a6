"""The contract's modules import one another without a circle, including imports made inside functions."""
from __future__ import annotations

import ast
from pathlib import Path

CONTRACT = Path(__file__).resolve().parents[1] / "contract"


def _imports(path: Path) -> set[str]:
    """The contract modules `path` imports anywhere in its body (`contract.tables` -> "tables")."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("contract."):
            found.add(node.module.split(".")[1])
        elif isinstance(node, ast.ImportFrom) and node.module == "contract":
            found |= {alias.name for alias in node.names if (CONTRACT / f"{alias.name}.py").exists()}
        elif isinstance(node, ast.Import):
            found |= {a.name.split(".")[1] for a in node.names if a.name.startswith("contract.")}
    return found


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One circle of imports in `graph`, or None."""
    done: set[str] = set()

    def visit(module: str, path: list[str]) -> list[str] | None:
        if module in path:
            return path[path.index(module):] + [module]
        if module in done:
            return None
        for target in sorted(graph.get(module, ())):
            circle = visit(target, path + [module])
            if circle:
                return circle
        done.add(module)
        return None

    return next((c for m in sorted(graph) if (c := visit(m, []))), None)


def test_the_cycle_finder_finds_a_circle_and_passes_a_chain():
    assert _cycle({"tables": {"typed"}, "typed": {"tables"}}) == ["tables", "typed", "tables"]
    assert _cycle({"tables": {"typed", "columns"}, "typed": {"columns"}, "columns": set()}) is None


def test_no_contract_module_imports_itself_in_a_circle():
    graph = {path.stem: _imports(path) for path in CONTRACT.glob("*.py") if path.stem != "__init__"}
    assert graph["typed"] == {"columns"}
    assert _cycle(graph) is None
