"""Imports go one way: reference ← grader ← publish ← cli, and no module imports itself back.

Read from the source (every ``import``, at the top, inside a function or under
``TYPE_CHECKING``), not from what happens to be loaded: a lazy import is a dependency too.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LAYERS = ("reference", "grader", "publish", "cli")  # each may import only those before it


def modules(root: Path) -> dict[str, Path]:
    found = {}
    for top in LAYERS:
        for path in sorted((root / top).rglob("*.py")):
            name = ".".join(path.relative_to(root).with_suffix("").parts)
            found[name.removesuffix(".__init__")] = path
    return found


def imports(root: Path) -> dict[str, set[str]]:
    """module → the project's modules it imports (a name imported from a package that is a
    module of its own counts as that module)."""
    known = modules(root)

    def resolve(name: str) -> str | None:
        while name and name not in known:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = {}
    for name, path in known.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(filter(None, (resolve(a.name) for a in node.names)))
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    parts = package.split(".")
                    base = ".".join(parts[: len(parts) - node.level + 1])
                    source = f"{base}.{node.module}" if node.module else base
                else:
                    source = node.module or ""
                for alias in node.names:
                    whole = f"{source}.{alias.name}"
                    hit = whole if whole in known else resolve(source)
                    if hit:
                        found.add(hit)
        graph[name] = found - {name}
    return graph


def upward(graph: dict[str, set[str]]) -> list[str]:
    rank = {top: i for i, top in enumerate(LAYERS)}
    return sorted(
        f"{m} imports {d}"
        for m, deps in graph.items()
        for d in deps
        if rank[d.split(".")[0]] > rank[m.split(".")[0]]
    )


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected parts of more than one module (Tarjan's, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found: list[list[str]] = []
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on.add(start)
        while work:
            node, deps = work[-1]
            dep = next(deps, None)
            if dep is not None:
                if dep not in index:
                    index[dep] = low[dep] = len(index)
                    stack.append(dep)
                    on.add(dep)
                    work.append((dep, iter(sorted(graph.get(dep, ())))))
                elif dep in on:
                    low[node] = min(low[node], index[dep])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                part = []
                while True:
                    top = stack.pop()
                    on.discard(top)
                    part.append(top)
                    if top == node:
                        break
                if len(part) > 1:
                    found.append(sorted(part))
    return found


def test_layers_import_one_way():
    assert upward(imports(ROOT)) == []


def test_no_module_imports_itself_back():
    assert cycles(imports(ROOT)) == []


def test_the_checks_find_what_they_look_for(tmp_path):
    """The twins: an upward import (a lazy one, in a function) and a cycle are both found."""
    for top in LAYERS:
        (tmp_path / top).mkdir()
        (tmp_path / top / "__init__.py").write_text("")
    (tmp_path / "reference" / "low.py").write_text("def f():\n    from grader import high\n")
    (tmp_path / "grader" / "high.py").write_text("from grader.other import x\n")
    (tmp_path / "grader" / "other.py").write_text("if False:\n    from grader import high\n")
    graph = imports(tmp_path)
    assert upward(graph) == ["reference.low imports grader.high"]
    assert cycles(graph) == [["grader.high", "grader.other"]]
