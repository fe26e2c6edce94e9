"""The README's module map matches the tree: every module it names exists, and every module
of the packages is named (a row of its own, or by name in its folder's row).  The
catalogue's language folders are data, one module a domain, and are named as a whole."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("reference", "grader", "publish", "cli")
TICKED = re.compile(r"`([^`]+)`")


def mapped(readme: str) -> tuple[set[str], list[str]]:
    """(the modules the map names, the paths it names that do not exist under ROOT)."""
    block = readme.split("### Module map", 1)[1].split("\n### ", 1)[0]
    named: set[str] = set()
    absent: list[str] = []
    for row in (line for line in block.splitlines() if line.startswith("| `")):
        cells = row.split("|")
        first, rest = cells[1], "|".join(cells[2:])
        for path in TICKED.findall(first):
            if not (ROOT / path).exists():
                absent.append(path)
            if path.endswith(".py"):
                named.add(path)
            elif path.endswith("/"):  # a folder's row names its modules, and a subfolder's
                sub = ""
                for token in TICKED.findall(rest):
                    if token.endswith("/") and re.fullmatch(r"\w+/", token):
                        sub = token
                    elif re.fullmatch(r"[\w/]+\.py", token):
                        named.add(path + token)
                        named.add(path + sub + token)
    return named, absent


def modules(root: Path) -> list[str]:
    return [
        str(p.relative_to(root))
        for package in PACKAGES
        for p in sorted((root / package).rglob("*.py"))
        if p.name != "__init__.py" and "catalogue" not in p.parts
    ]


def test_the_module_map_matches_the_tree():
    named, absent = mapped((ROOT / "README.md").read_text(encoding="utf-8"))
    assert absent == []
    assert [m for m in modules(ROOT) if m not in named] == []


def test_the_map_check_sees_a_stale_row_and_a_module_left_out():
    """The twin: a row for a module that is gone, and the README without a row."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    stale = readme.replace("### Module map\n", "### Module map\n\n| `cli/gone.py` | gone |\n")
    assert mapped(stale)[1] == ["cli/gone.py"]
    row = next(line for line in readme.splitlines() if line.startswith("| `cli/ledger.py`"))
    named, _ = mapped(readme.replace(row + "\n", ""))
    assert "cli/ledger.py" in modules(ROOT) and "cli/ledger.py" not in named
