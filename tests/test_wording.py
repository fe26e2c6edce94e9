"""Every user-facing string exists in both languages, and the two are really two languages.

Scans the package's source for the ways bilingual text is written: ``t(en, ru)``, a
``{"en": …, "ru": …}`` literal, an error raised with both texts (``ExprError(en, ru, pos,
hint_en, hint_ru)``, ``ReleaseError(en, ru)``, any ``…Error(en, ru)``) and a course file's
``src.error(path, en, ru)``; and the course's own prose, every ``{ru, en}`` pair of
exercises/*.yml.  A string added in one language only, the same text pasted twice, or the
arguments swapped (Russian where English goes) fails here, before a student reads it.  The
slips a reader once found (issue 17) are kept out by name.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("reference", "grader", "publish", "cli")
CYRILLIC = re.compile("[а-яА-ЯёЁ]")
LATIN_WORD = re.compile(r"\b[a-zA-Z]{4,}\b")
PLACEHOLDER = re.compile(r"\{[a-z_]+(?::[^{}]*)?\}")


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
                elif isinstance(node, ast.Call) and _error_call(node):
                    texts = [_text(a) for a in node.args]
                    first = 1 if _name(node.func) in ("error", "warn") else 0
                    pairs = [(first, first + 1)]
                    if _name(node.func) == "ExprError" and len(texts) >= 5:
                        pairs.append((3, 4))  # the hint, when it is written out
                    for i, j in pairs:
                        en, ru = texts[i], texts[j]
                        if en is not None and ru is not None and (en or ru or i == first):
                            out.append((where, en, ru))
                elif isinstance(node, ast.Dict):
                    keys = [k.value if isinstance(k, ast.Constant) else None for k in node.keys]
                    if "en" in keys and "ru" in keys:
                        en_node = node.values[keys.index("en")]
                        ru_node = node.values[keys.index("ru")]
                        out += _nested(where, en_node, ru_node)
                        en, ru = _text(en_node), _text(ru_node)
                        if en is not None and ru is not None:
                            out.append((where, en, ru))
    return out


def _nested(where: str, en: ast.expr, ru: ast.expr) -> list[tuple[str, str, str]]:
    """``{"en": {key: text}, "ru": {key: text}}`` (check.py's messages): paired by key; a
    key in one language only is a pair with an empty side."""
    if not (isinstance(en, ast.Dict) and isinstance(ru, ast.Dict)):
        return []

    def texts(d: ast.Dict) -> dict[str, str]:
        return {
            k.value: _text(v) or ""
            for k, v in zip(d.keys, d.values)
            if isinstance(k, ast.Constant) and isinstance(k.value, str)
        }

    a, b = texts(en), texts(ru)
    return [(f"{where}[{k}]", a.get(k, ""), b.get(k, "")) for k in sorted(a.keys() | b.keys())]


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else ""


def _error_call(node: ast.Call) -> bool:
    """``SomethingError(en, ru, …)`` or ``src.error(path, en, ru)`` with written texts."""
    name = _name(node.func)
    if name.endswith("Error") and len(node.args) >= 2:
        return _text(node.args[0]) is not None and _text(node.args[1]) is not None
    if name in ("error", "warn") and isinstance(node.func, ast.Attribute) and len(node.args) == 3:
        return _text(node.args[1]) is not None and _text(node.args[2]) is not None
    return False


def _yaml_pairs() -> list[tuple[str, str, str]]:
    """Every {ru, en} pair of the course's prose: the live course and the fixtures."""
    out = []
    files = sorted(ROOT.glob("exercises/*.yml")) + sorted(
        ROOT.glob("tests/courses/*/exercises/*.yml")
    )
    for path in files:

        def walk(node: object, where: str) -> None:
            if isinstance(node, dict):
                if "en" in node and "ru" in node:  # placeholders ({math:A}) are not words
                    en, ru = (PLACEHOLDER.sub("{}", str(node[k] or "")) for k in ("en", "ru"))
                    out.append((where, en, ru))
                for k, v in node.items():
                    walk(v, f"{where}.{k}")
            elif isinstance(node, list):
                for i, v in enumerate(node):
                    walk(v, f"{where}[{i}]")

        walk(yaml.safe_load(path.read_text(encoding="utf-8")), str(path.relative_to(ROOT)))
    return out


PAIRS = _pairs()
YAML_PAIRS = _yaml_pairs()
ALL = PAIRS + YAML_PAIRS


def test_the_scan_finds_the_texts():
    assert len(PAIRS) > 150, len(PAIRS)  # a scanner that finds nothing proves nothing
    assert len(YAML_PAIRS) > 300, len(YAML_PAIRS)
    found = {w.split(":")[0] for w, _, _ in PAIRS}
    assert "reference/expr/lexer.py" in found  # the ExprError(en, ru, …) form
    assert any(
        w.startswith("publish/public_checks.py") and "[number_ok]" in w
        for w in found | {w for w, _, _ in PAIRS}
    )  # check.py's MESSAGES, paired by key
    assert "reference/course/schema.py" in found or "reference/course/model.py" in found
    assert any("Volunteer A" in en for _, en, _ in YAML_PAIRS)


def test_both_languages_are_written_and_differ():
    bad = [
        w
        for w, en, ru in ALL
        if not en.strip()
        or not ru.strip()
        or (en == ru and (CYRILLIC.search(en) or LATIN_WORD.search(en)))
    ]
    assert not bad, bad


def test_russian_is_russian_and_english_is_english():
    """Arguments swapped, or a Russian word left in the English text (or the reverse)."""
    bad = [w for w, en, ru in ALL if CYRILLIC.search(en)]
    bad += [w for w, en, ru in ALL if LATIN_WORD.search(ru) and not CYRILLIC.search(ru)]
    assert not bad, bad


#: Phrasings a reader found wrong, each with the reason; the scan keeps them out for good.
SLIPS = {
    "ВАШИХ": "shouting: «при ваших значениях»",
    "ВАШИМИ": "shouting",
    "YOUR values": "shouting: «your own values»",
    "в ваших значениях": "«при ваших значениях»",
    "на ваших значениях": "«при ваших значениях»",
    "На ваших значениях": "«При ваших значениях»",
    "формула пустая": "«формула не написана», and no position in it",
    "файлы выпуска": "also said of an nbgrader folder: «файлы, которые пишет эта команда»",
    "derivative by ": "«derivative with respect to», the lesson's term",
    "derivatives by ": "«derivatives with respect to»",
}


def _shipped_texts() -> list[tuple[str, str]]:
    """Every user-facing text: the pairs above, and the release's READMEs."""
    texts = [(w, text) for w, en, ru in ALL for text in (en, ru)]
    for path in sorted((ROOT / "publish" / "files").glob("README.*.md")):
        texts.append((str(path.relative_to(ROOT)), path.read_text(encoding="utf-8")))
    return texts


def slips_in(text: str) -> list[str]:
    """The named slips in ``text``, read across line breaks (prose is wrapped)."""
    flat = " ".join(text.split())
    return [slip for slip in SLIPS if slip in flat]


def test_the_named_slips_are_gone():
    bad = [(w, slips_in(text)) for w, text in _shipped_texts() if slips_in(text)]
    assert not bad, bad


def test_the_slip_scan_would_see_a_slip():
    """Its twin: the same scan finds a slip, even wrapped over two lines (a scanner that
    reads nothing would pass the test above), and lets the right phrasing through."""
    assert slips_in("Неверно в ВАШИХ\n    значениях.") == ["ВАШИХ"]
    assert slips_in("Неверно в ваших\n  значениях.") == ["в ваших значениях"]
    assert slips_in("the derivative by\nx1") == ["derivative by "]
    assert not slips_in("Неверно при ваших значениях: the derivative with respect to x1.")
    assert any("при ваших значениях" in ru for _, _, ru in YAML_PAIRS)


def test_an_empty_formula_has_no_position():
    from reference.expr.errors import ExprError
    from reference.expr.student import read_answer
    from reference.table import ALIASES, FUNCTIONS

    try:
        read_answer("", ("x",), {}, FUNCTIONS, ALIASES)
    except ExprError as err:
        assert "позиция" not in err.message("ru") and "column" not in err.message("en")
        assert err.message("ru").startswith("формула не написана")
    else:
        raise AssertionError("an empty formula was read")
    try:  # its twin: a formula with a real error still says where
        read_answer("x $ 1", ("x",), {}, FUNCTIONS, ALIASES)
    except ExprError as err:
        assert "позиция 3" in err.message("ru") and "column 3" in err.message("en")


def test_a_set_answer_counts_only_what_is_off():
    """«Неверно: не хватает 1, лишних 0» said a zero; now only the nonzero parts."""
    from grader.kinds.multi import _miscount

    assert [p["ru"] for p in _miscount(1, 0)] == ["1 верный вариант не отмечен"]
    assert len(_miscount(1, 2)) == 2 and not _miscount(0, 0)


def test_what_course_new_exercise_writes_is_free_of_the_named_slips():
    """The scaffold's YAML for every node of the lesson and of a tanh course, and the chain
    questions, in both languages: a teacher who uses it gets a green suite."""
    from reference.course.model import load_model
    from reference.course.scaffold import chain_exercise, node_exercise

    found = []
    for course_file in (
        ROOT / "tests" / "courses" / name / "course.yml" for name in ("lesson", "tanh")
    ):
        model = load_model(course_file)
        texts = [node_exercise(model, node) for node in model.nodes]
        texts.append(chain_exercise(model, list(model.parameters)))
        found += [slips_in(text) for text in texts if slips_in(text)]
    assert not found, found
    # the twin: the phrasing the scaffold used to write is one the scan finds
    assert slips_in("На ваших значениях (`python check.py --id <ваш id>`)")
