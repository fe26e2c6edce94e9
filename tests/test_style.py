"""The code base stays ruff clean, ruff formatted and mypy clean (configuration in
pyproject.toml)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _ruff(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ruff", *args, "--no-cache", "."],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_ruff_finds_nothing():
    r = _ruff("check")
    assert r.returncode == 0, r.stdout + r.stderr


def test_ruff_format_changes_nothing():
    r = _ruff("format", "--check")
    assert r.returncode == 0, "run `ruff format .`\n" + r.stdout + r.stderr


def test_mypy_finds_nothing():
    """reference/, grader/, publish/ and cli/ (the files pyproject.toml names)."""
    r = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-incremental"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert r.returncode == 0, r.stdout + r.stderr


#: How long a function of the packages may be: one screen, read at once.
MOST_LINES = 85


def long_functions(root: Path, packages: tuple[str, ...]) -> set[str]:
    import ast

    found = set()
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if (
                    isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
                    and (node.end_lineno or node.lineno) - node.lineno + 1 > MOST_LINES
                ):
                    found.add(f"{path.relative_to(root).as_posix()}:{node.name}")
    return found


def test_no_function_is_longer_than_a_screen(tmp_path):
    assert long_functions(ROOT, ("reference", "grader", "publish", "cli")) == set()
    # the twin: a long one is found
    (tmp_path / "pkg").mkdir()
    body = "".join(f"    x{i} = {i}\n" for i in range(MOST_LINES))
    (tmp_path / "pkg" / "m.py").write_text(f"def short():\n    pass\n\n\ndef long():\n{body}")
    assert long_functions(tmp_path, ("pkg",)) == {"pkg/m.py:long"}
