"""Every user-facing string exists in both languages, and the two are really two languages.

Reads the text catalogue (reference/catalogue: every sentence of the package, by key, a
folder per language; tests/test_catalogue.py keeps it complete and the only place text
lives) and the course's own prose, every ``{ru, en}`` pair of exercises/*.yml.  A string
added in one language only, the same text pasted twice, or the languages swapped (Russian
where English goes) fails here, before a student reads it.  The slips a reader once found
(issue 17) are kept out by name.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from reference import catalogue

ROOT = Path(__file__).resolve().parents[1]
CYRILLIC = re.compile("[а-яА-ЯёЁ]")
LATIN_WORD = re.compile(r"\b[a-zA-Z]{4,}\b")
PLACEHOLDER = re.compile(r"\{[a-z_]+(?::[^{}]*)?\}")
#: Fields and their specs ({n:plural:point|points}, {value!r:>8}) are not words.
FIELD = re.compile(r"\{[^{}]*\}")


def _pairs() -> list[tuple[str, str, str]]:
    """(key, English, Russian) for every sentence of the catalogue, fields left out."""
    folder = ROOT / "reference" / "catalogue" / "en"
    out = []
    for domain in sorted(p.stem for p in folder.glob("*.py") if p.stem != "__init__"):
        english = catalogue.sentences("en", domain)
        russian = catalogue.sentences("ru", domain)
        for key in sorted(english.keys() | russian.keys()):
            en, ru = (FIELD.sub("{}", s.get(key, "")) for s in (english, russian))
            out.append((f"reference/catalogue:{key}", en, ru))
    return out


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
    keys = {w.split(":", 1)[1] for w, _, _ in PAIRS}
    # the formula reader's errors, the student's own checks, the course's authoring errors
    for key in ("expr.", "checks.number_ok", "course.", "status.missing", "pages."):
        assert any(k.startswith(key) for k in keys), key
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
    """Every user-facing text: the catalogue's (the release's README included) and the
    course's."""
    return [(w, text) for w, en, ru in ALL for text in (en, ru)]


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


def test_a_sentence_holding_another_takes_each_languages_own_words():
    """The catalogue's t: a field that is a Text is filled language by language (a sandbox
    message names the value it got in the case its sentence needs), and one language missing
    from it falls back; say() is one language of the same."""
    from reference.i18n import say, t

    got = t("sandbox.brief_function_accusative")
    said = t("sandbox.returned", it=got, expected=t("sandbox.expected_number"))
    assert said == {
        "ru": "вернула функцию, а ожидается число",
        "en": "returned a function, expected a number",
    }
    assert t("sandbox.too_large", it={"en": "int 5"})["ru"] == "вернула int 5: слишком много"
    assert say("sandbox.returned", "ru", it=got, expected=t("sandbox.expected_str")) == (
        "вернула функцию, а ожидается строка (str)"
    )
