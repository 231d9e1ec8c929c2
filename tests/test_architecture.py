"""The package's shape: no import cycle among polyclass modules, no module over 400 lines.

The import graph counts imports inside functions too (a cycle broken only by deferring an
import is still a cycle); imports under ``if TYPE_CHECKING:`` are left out, since they
never run.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "polyclass"
MAX_LINES = 400
#: Dependencies that are slow to import or optional. An import may be deferred into a
#: function when it is one of these, or a polyclass module that imports one at import time
#: which the importing module does not (``import polyclass`` stays free of torch, training
#: free of SymPy, ...). Every other import sits at the top of its module.
HEAVY = {"torch", "sympy", "matplotlib", "ray"}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(module: str) -> list[tuple[str, bool]]:
    """(imported module, inside a function) for every import that can run.

    ``from a import b`` counts as importing ``a``, and ``a.b`` too when that is a polyclass
    module.
    """
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: list[tuple[str, bool]] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                for other in child.orelse:
                    visit(other, in_function)
                continue
            nested = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef))
            if isinstance(child, ast.Import):
                found.extend((alias.name, in_function) for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    anchor = package.split(".")
                    anchor = anchor[: len(anchor) - (child.level - 1)]
                    base = ".".join([*anchor, base] if base else anchor)
                found.append((base, in_function))
                # "from . import x" / "from .pkg import mod" may name submodules
                for alias in child.names:
                    if f"{base}.{alias.name}" in MODULES:
                        found.append((f"{base}.{alias.name}", in_function))
            visit(child, nested)

    visit(ast.parse(path.read_text()), False)
    return found


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {m: set() for m in MODULES}
    for module in MODULES:
        for name, _ in _imports(module):
            if name in MODULES and name != module:
                graph[module].add(name)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle per strongly connected component with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def connect(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            connect(v)
    return components


def _parents(module: str) -> set[str]:
    parts = module.split(".")
    return {".".join(parts[:i]) for i in range(1, len(parts))}


def test_no_import_cycle_among_polyclass_modules():
    graph = _graph()
    # importing a submodule runs its packages' __init__ first; an edge from a package's
    # __init__ to its own submodules is how a package exposes them, not a cycle
    for module in graph:
        graph[module] -= _parents(module)
    assert _cycles(graph) == []


def test_no_module_over_400_lines():
    long = {m: n for m, p in MODULES.items() if (n := len(p.read_text().splitlines())) > MAX_LINES}
    assert long == {}


def _heavy_at_import() -> dict[str, set[str]]:
    """The heavy dependencies each module loads when it is imported (transitively)."""
    direct = {m: {n.split(".")[0] for n, f in _imports(m) if not f} & HEAVY for m in MODULES}
    edges = {
        m: {n for n, f in _imports(m) if not f and n in MODULES} | _parents(m) for m in MODULES
    }
    heavy = {m: set(direct[m]) for m in MODULES}
    changed = True
    while changed:
        changed = False
        for m in MODULES:
            new = set().union(heavy[m], *(heavy[n] for n in edges[m]))
            if new != heavy[m]:
                heavy[m], changed = new, True
    return heavy


def test_imports_inside_functions_keep_heavy_dependencies_out():
    heavy = _heavy_at_import()
    misplaced = set()
    for module in MODULES:
        for name, in_function in _imports(module):
            if not in_function or name.split(".")[0] in HEAVY:
                continue
            if name in MODULES and heavy[name] - heavy[module]:
                continue
            misplaced.add((module, name))
    assert misplaced == set()


def test_training_and_the_package_stay_light():
    heavy = _heavy_at_import()
    assert heavy["polyclass"] == set()
    assert "sympy" not in heavy["polyclass.training"] | heavy["polyclass.analysis"]


def test_the_cycle_finder_finds_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [["a", "b", "c"]]


def test_the_contributing_map_matches_the_tree():
    text = (PACKAGE.parent / "docs" / "src" / "contributing.md").read_text()
    section = text.split("## Where things live")[1].split("\n## ")[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    named = {
        name for row in rows for name in re.findall(r"`([\w/.]+(?:\.py|/))`", row.split("|")[1])
    }
    for name in named:  # every path the map names exists
        assert (PACKAGE / name).exists(), name
    for path in PACKAGE.rglob("*.py"):  # every module is named, or its folder is
        rel = path.relative_to(PACKAGE).as_posix()
        if path.name in ("__init__.py", "__main__.py"):
            continue  # a package's own entry points
        folder = rel.rpartition("/")[0] + "/"
        assert rel in named or folder in named, rel
