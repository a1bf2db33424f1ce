"""kafkalint's modules import each other without cycles, lazy imports included.

A lazy import (inside a function) or an `importlib.import_module("...")` string hides a cycle
from Python's import machinery but not from the reader: the two modules still depend on each
other. This walks every module under kafkalint/ with `ast` and collects:

- `import x` / `from x import y` at module level and inside functions (`from pkg import mod`
  counts as an edge to `pkg.mod` when that is a module);
- string literals passed to `importlib.import_module(...)`;
- the strings of `CHECK_MODULES` in kafkalint/checks/registry.py and every
  `"package.module:function"` / `("package.module", "function")` reader spec, which are imported
  by name at run time.

One kind of edge is left out on purpose: the check registry's list of check modules. The check
modules import the registry to register themselves (`@check("KL103")`), and the registry
imports them by name to find a rule's function — that is dispatch, the same shape as a plugin
table, not two modules needing each other's contents. The test instead pins what makes that
dispatch safe: the registry imports no check module by statement, and no check module imports
the engine (a check sees the project through its arguments only).

The format registry (kafkalint/formats.py) names its readers the same way, but its edges do
count: formats imports nothing of kafkalint's and readers never import the dispatch
(kafkalint.sources) or the registry, so the graph stays acyclic without an exception.

Importing `a.b.c` also runs `a/b/__init__.py`; that implicit parent edge is not counted (every
submodule would depend on its package), only what a module names.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE_ROOT = Path(__file__).resolve().parent.parent / "kafkalint"
REGISTRY = "kafkalint.checks.registry"
# The fix registry dispatches to its fixer modules the same way (kafkalint/fixes/registry.py).
FIX_REGISTRY = "kafkalint.fixes.registry"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE_ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def all_modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE_ROOT.rglob("*.py"))}


def _resolve(current: str, is_package: bool, level: int, module: str | None) -> str:
    if level == 0:
        return module or ""
    base = current.split(".") if is_package else current.split(".")[:-1]
    base = base[: len(base) - (level - 1)] if level > 1 else base
    return ".".join(base + ([module] if module else []))


def _string_targets(node: ast.AST, modules: dict[str, Path]) -> set[str]:
    """Module names written as strings: `"kafkalint.x"`, `"kafkalint.x:function"`."""
    found: set[str] = set()
    for item in ast.walk(node):
        if isinstance(item, ast.Constant) and isinstance(item.value, str) and item.value.startswith("kafkalint."):
            name = item.value.split(":", 1)[0]
            if name in modules:
                found.add(name)
    return found


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> tuple[set[str], set[str]]:
    """(statement imports, by-name imports) of one module, restricted to kafkalint modules."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    is_package = path.name == "__init__.py"
    statements: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                statements.add(alias.name)
        elif isinstance(node, ast.ImportFrom):
            target = _resolve(name, is_package, node.level, node.module)
            statements.add(target)
            for alias in node.names:
                statements.add(f"{target}.{alias.name}")
    by_name = _string_targets(tree, modules)
    keep = lambda targets: {target for target in targets if target in modules and target != name}  # noqa: E731
    return keep(statements), keep(by_name)


def import_graph() -> dict[str, set[str]]:
    modules = all_modules()
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        statements, by_name = imports_of(name, path, modules)
        if name == REGISTRY:
            by_name = {target for target in by_name if not target.startswith("kafkalint.checks.")}
        if name == FIX_REGISTRY:
            by_name = {target for target in by_name if not target.startswith("kafkalint.fixes.")}
        graph[name] = statements | by_name
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle as [a, b, ..., a], or None: an iterative depth-first search."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    for start in sorted(graph):
        if state.get(start):
            continue
        path = [start]
        iterators = [iter(sorted(graph[start]))]
        state[start] = 1
        while iterators:
            following = next(iterators[-1], None)
            if following is None:
                state[path.pop()] = 2
                iterators.pop()
                continue
            if state.get(following) == 1:
                return path[path.index(following):] + [following]
            if not state.get(following):
                state[following] = 1
                path.append(following)
                iterators.append(iter(sorted(graph.get(following, ()))))
    return None


def test_the_import_graph_has_no_cycle():
    cycle = find_cycle(import_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_the_walk_sees_lazy_and_by_name_imports():
    graph = import_graph()
    # engine imports suppressions only by name (FINDING_FILTERS) and sources lazily: both count.
    assert "kafkalint.suppressions" in graph["kafkalint.engine"]
    assert "kafkalint.sources" in graph["kafkalint.engine"]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_check_dispatch_is_one_way():
    """The registry reaches check modules only through CHECK_MODULES; checks never reach the engine."""
    modules = all_modules()
    statements, _ = imports_of(REGISTRY, modules[REGISTRY], modules)
    assert not {target for target in statements if target.startswith("kafkalint.checks.")}
    graph = import_graph()
    for name in graph:
        if name.startswith("kafkalint.checks.") and name != REGISTRY:
            assert "kafkalint.engine" not in graph[name], f"{name} imports the engine"
