"""No capability only the demo reaches (issue 24): every function of the product that the demo generator calls is
also called by the product itself (a page, a command, the API, a service), so a region without the demo can do it.

Found by this test: ``ensure_municipal_organisations`` (every municipality of a region as an organisation) was
called only by ``load-demo``; the partners page now offers it."""

import ast
from collections import Counter
from pathlib import Path

import regietafel

ROOT = Path(regietafel.__file__).resolve().parent

# Demo tooling by nature: they make or clean generated data, and nothing else needs them.
DEMO_TOOLS = {
    "generate": "domain/matching_instances.py makes generated instances for the demo and the benchmarks",
    "remove_uncited_demo_sources": "removes the sources only generated figures cited",
    "ensure_themes": "called by the data migration core 0002 (migrations are not scanned)",
}


def _is_demo(path: Path) -> bool:
    return "demo" in path.stem


def _names(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            yield node.id
        elif isinstance(node, ast.Attribute):
            yield node.attr
        elif isinstance(node, ast.alias):
            yield node.name.rsplit(".", 1)[-1]


def test_no_product_function_is_reached_only_through_the_demo():
    defined: dict[str, Path] = {}
    by_demo, by_product = Counter(), Counter()
    for path in ROOT.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        if not _is_demo(path):
            for node in tree.body:
                if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
                    defined[node.name] = path
        (by_demo if _is_demo(path) else by_product).update(_names(tree))
    demo_only = sorted(
        f"{name} ({defined[name].relative_to(ROOT)})"
        for name in defined
        if by_demo[name] and not by_product[name] and name not in DEMO_TOOLS
    )
    assert demo_only == []
    assert set(DEMO_TOOLS) <= set(defined), "a listed demo tool no longer exists: remove it from DEMO_TOOLS"
