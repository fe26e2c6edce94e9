"""Every user-facing string exists in both languages, and the two are really two languages.

Scans the package's source for the two ways bilingual text is written, ``t(en, ru)`` and a
``{"en": …, "ru": …}`` literal, so a string added in one language only, the same text pasted
twice, or the arguments swapped (Russian where English goes) fails here, before a student
reads it.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("reference", "grader", "publish", "cli")
CYRILLIC = re.compile("[а-яА-ЯёЁ]")
LATIN_WORD = re.compile(r"\b[a-zA-Z]{4,}\b")


def _text(node: ast.expr) -> str | None:
    """A string constant, or an f-string's literal parts with each placeholder as ``{}``."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
    return None


def _pairs() -> list[tuple[str, str, str]]:
    out = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if path.name == "i18n.py":  # the languages' own names, not a text
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                where = f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', 0)}"
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Name)
                    and node.func.id == "t"
                    and len(node.args) == 2
                ):
                    en, ru = (_text(a) for a in node.args)
                    if en is not None and ru is not None:
                        out.append((where, en, ru))
                elif isinstance(node, ast.Dict):
                    keys = [k.value if isinstance(k, ast.Constant) else None for k in node.keys]
                    if "en" in keys and "ru" in keys:
                        en = _text(node.values[keys.index("en")])
                        ru = _text(node.values[keys.index("ru")])
                        if en is not None and ru is not None:
                            out.append((where, en, ru))
    return out


PAIRS = _pairs()


def test_the_scan_finds_the_texts():
    assert len(PAIRS) > 150, len(PAIRS)  # a scanner that finds nothing proves nothing


def test_both_languages_are_written_and_differ():
    bad = [
        w
        for w, en, ru in PAIRS
        if not en.strip()
        or not ru.strip()
        or (en == ru and (CYRILLIC.search(en) or LATIN_WORD.search(en)))
    ]
    assert not bad, bad


def test_russian_is_russian_and_english_is_english():
    """Arguments swapped, or a Russian word left in the English text (or the reverse)."""
    bad = [w for w, en, ru in PAIRS if CYRILLIC.search(en)]
    bad += [w for w, en, ru in PAIRS if LATIN_WORD.search(ru) and not CYRILLIC.search(ru)]
    assert not bad, bad
