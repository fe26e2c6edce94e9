"""The text catalogue (reference/catalogue) is the one place a sentence lives.

Read from the source, as a translator and a reviewer would: every language has every key with
the same fields; every key the code asks for exists, with exactly the fields the call gives;
no key is dead; no Russian sentence, ``{"en": …, "ru": …}`` pair or ``lang == "en"`` branch is
left in the packages.  A third language in the catalogue alone is read through every door in
tests/test_third_language.py.
"""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from reference import catalogue
from reference.catalogue import FALLBACK, LANGUAGES, render, t

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("reference", "grader", "publish", "cli")
CATALOGUE = ROOT / "reference" / "catalogue"
CYRILLIC = re.compile("[а-яА-ЯёЁ]")
#: The functions that take a key as their first argument: ``t`` (a Text), and the students'
#: own checkers' ``say`` (one language, the generated file's).
LOOKUPS = ("t", "say")
QUOTED = re.compile(r"\b(?:t|say)\([\"']([a-z_]+\.[\w.-]+)[\"']")

#: Russian words that are not text shown to a person but input the grader reads: each with
#: why it is allowed to stay where it is.
INPUT_VOCABULARY = {
    "grader/kinds/labels.py": "letters and words a student may write for an option (Cyrillic "
    "look-alikes of Latin labels, вверх/вниз/ноль)",
    "grader/course/warnings.py": "words of a teacher's Russian prose the validator reads",
}


def domains() -> list[str]:
    return sorted(p.stem for p in (CATALOGUE / FALLBACK).glob("*.py") if p.stem != "__init__")


def sentences(lang: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for domain in domains():
        out.update(catalogue.sentences(lang, domain))
    return out


def fields(template: str) -> set[str]:
    """The field names a template fills (a plural's field included)."""
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError:  # a template used without fields: its braces are literal
        return set()
    return {name.split(".")[0].split("[")[0] for _, name, _, _ in parsed if name}


def test_every_language_has_every_key_and_the_same_fields():
    reference = sentences(FALLBACK)
    assert len(reference) > 400, len(reference)  # a catalogue that is not read proves nothing
    for lang in LANGUAGES:
        theirs = sentences(lang)
        assert sorted(reference.keys() - theirs.keys()) == [], f"missing in {lang}"
        assert sorted(theirs.keys() - reference.keys()) == [], f"only in {lang}"
        differ = [k for k in reference if fields(reference[k]) != fields(theirs[k])]
        assert differ == [], f"fields differ in {lang}: {differ}"


def test_each_key_lives_in_its_domain():
    for lang in LANGUAGES:
        for domain in domains():
            stray = [k for k in catalogue.sentences(lang, domain) if k.split(".")[0] != domain]
            assert stray == [], (lang, domain, stray)


def _calls() -> list[tuple[str, str | None, str | None, set[str] | None]]:
    """Every lookup in the packages: (where, key or None, a dynamic key's prefix, the fields
    given, or None when they are passed as ``**mapping``)."""
    out = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if CATALOGUE in path.parents:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, ast.Constant) and isinstance(node.value, str):
                    # code kept as text, to be written into a generated file (the nbgrader
                    # helper cell's my_values): its lookups count as asked for
                    where = f"{path.relative_to(ROOT)}:{node.lineno}"
                    out += [(where, key, None, None) for key in QUOTED.findall(node.value)]
                if not (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Name)
                    and node.func.id in LOOKUPS
                    and node.args
                ):
                    continue
                where = f"{path.relative_to(ROOT)}:{node.lineno}"
                first = node.args[0]
                given = {k.arg for k in node.keywords if k.arg}
                if any(k.arg is None for k in node.keywords):
                    given = None
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    out.append((where, first.value, None, given))
                elif isinstance(first, ast.JoinedStr) and isinstance(first.values[0], ast.Constant):
                    out.append((where, None, str(first.values[0].value), given))
                else:
                    out.append((where, None, None, given))
    return out


CALLS = _calls()


def test_the_scan_finds_the_lookups():
    assert len(CALLS) > 400, len(CALLS)
    assert any(key == "status.missing" for _, key, _, _ in CALLS) or any(
        prefix == "status." for _, _, prefix, _ in CALLS
    )


def test_every_key_asked_for_exists_with_the_fields_given():
    known = sentences(FALLBACK)
    missing = [(w, k) for w, k, _, _ in CALLS if k is not None and k not in known]
    assert missing == []
    wrong = [
        (w, k, sorted(fields(known[k])), sorted(given))
        for w, k, _, given in CALLS
        if k in known and given is not None and given and fields(known[k]) != given
    ]
    assert wrong == []
    unfilled = [  # a sentence with fields asked for without them would show its braces
        (w, k)
        for w, k, _, given in CALLS
        if k in known and given == set() and fields(known[k]) and "{" in known[k]
    ]
    assert unfilled == [] or all(_formatted_later(w) for w, _ in unfilled), unfilled


def _formatted_later(where: str) -> bool:
    """A sentence asked for without fields whose caller formats it afterwards."""
    path, line = where.rsplit(":", 1)
    lines = (ROOT / path).read_text(encoding="utf-8").splitlines()
    near = "\n".join(lines[int(line) - 1 : int(line) + 3])
    return ".format(" in near or ".format_map(" in near or "Template(" in near


def test_no_key_is_dead_text():
    asked = {k for _, k, _, _ in CALLS if k}
    prefixes = tuple(p for _, _, p, _ in CALLS if p)
    dead = [k for k in sentences(FALLBACK) if k not in asked and not k.startswith(prefixes)]
    assert dead == []


def _literal_problems(path: Path) -> list[str]:
    rel = str(path.relative_to(ROOT))
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        where = f"{rel}:{getattr(node, 'lineno', 0)}"
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and CYRILLIC.search(node.value)
            and rel not in INPUT_VOCABULARY
        ):
            out.append(f"{where}: Russian text outside the catalogue: {node.value[:40]!r}")
        elif isinstance(node, ast.Dict):
            keys = {k.value for k in node.keys if isinstance(k, ast.Constant)}
            if {"en", "ru"} <= keys:
                out.append(f"{where}: a {{'en', 'ru'}} pair outside the catalogue")
        elif isinstance(node, ast.Compare) and any(
            isinstance(c, ast.Constant) and c.value in LANGUAGES for c in node.comparators
        ):
            out.append(f"{where}: a branch on a language's code")
    return out


def test_no_sentence_lives_outside_the_catalogue():
    problems = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if CATALOGUE not in path.parents and path != CATALOGUE / "__init__.py":
                problems += _literal_problems(path)
    assert problems == []


def test_the_scan_sees_a_sentence_outside_the_catalogue(tmp_path):
    """The twin: each of the three shapes, written in a module, is found."""
    (tmp_path / "m.py").write_text(
        'A = "верно"\nB = {"en": "right", "ru": "right"}\nC = lang == "en"\n', encoding="utf-8"
    )
    global ROOT
    saved, ROOT = ROOT, tmp_path
    try:
        found = _literal_problems(tmp_path / "m.py")
    finally:
        ROOT = saved
    assert len(found) == 3, found


def test_plural_forms_follow_each_language():
    assert [t("release.points", n=n)["ru"] for n in (1, 2, 5, 11, 21, 1.5)] == [
        "1 балл",
        "2 балла",
        "5 баллов",
        "11 баллов",
        "21 балл",
        "1.5 балла",
    ]
    assert [t("release.points", n=n)["en"] for n in (1, 2, 1.5)] == [
        "1 point",
        "2 points",
        "1.5 points",
    ]


def test_a_sentence_without_fields_keeps_its_braces_and_with_fields_fills_them():
    assert render("common.did_you_mean", "en", {"name": "x"}) == " — did you mean 'x'?"
    assert "{name}" in render("common.did_you_mean", "en", {})
    with pytest.raises(KeyError):
        t("common.no_such_key")


def test_a_new_message_is_a_sentence_a_language_and_the_line_that_says_it(tmp_path, monkeypatch):
    """The README's count for a new message: its sentence in each language's domain module
    and the line that says it (here a domain of its own, ``demo``, beside the catalogue's)."""
    import reference.catalogue.en as en
    import reference.catalogue.ru as ru

    sentences = {
        "en": "{name} handed on {n} {n:plural:derivative|derivatives}",
        "ru": "{name} передаёт {n} {n:plural:производную|производные|производных}",
    }
    for package, lang in ((en, "en"), (ru, "ru")):
        folder = tmp_path / lang
        folder.mkdir()
        (folder / "demo.py").write_text(
            f"TEXT = {{'demo.handed_on': {sentences[lang]!r}}}\n", encoding="utf-8"
        )
        monkeypatch.setattr(package, "__path__", [*package.__path__, str(folder)])
    monkeypatch.setattr(catalogue, "_loaded", {})
    assert t("demo.handed_on", name="Anna", n=3) == {
        "ru": "Anna передаёт 3 производные",
        "en": "Anna handed on 3 derivatives",
    }
    assert t("demo.handed_on", name="Anna", n=5)["ru"].endswith("5 производных")
    # its twin: a sentence written in one language only is English in the other
    (tmp_path / "ru" / "demo.py").write_text("TEXT = {}\n", encoding="utf-8")
    monkeypatch.setattr(catalogue, "_loaded", {})
    monkeypatch.delitem(__import__("sys").modules, "reference.catalogue.ru.demo")
    assert t("demo.handed_on", name="Anna", n=3)["ru"] == "Anna handed on 3 derivatives"


def test_a_field_that_is_a_text_is_filled_in_each_language_and_a_dict_is_a_value():
    said = t("common.did_you_mean", name=t("status.missing"))
    assert said["ru"] == " — может быть, 'не сделано'?"
    assert said["en"] == " — did you mean 'not attempted'?"
    # the twin: a dict that is not a text (a student's answer) is shown as it is
    assert t("common.did_you_mean", name={"x1": 1.0})["en"] == " — did you mean '{'x1': 1.0}'?"
