"""A third language added to the catalogue alone is complete: read through every door.

The test writes a language ``xx`` as a translator would, a folder beside the catalogue's
``en/`` (``BACKPROP_CATALOGUE``: further languages, without touching the installed package),
each sentence "translated" by swapping the case of its words, and runs the commands a class
meets with ``--lang xx``: the release (stubs, README, check.py run by the student), grading
(terminal, JSON feedback, the HTML pages, the gradebook), the answer key and the nbgrader
notebooks.  No sentence of English or Russian may show up in what they write: a sentence
that bypasses the catalogue (a hard-coded pair, a branch on a language's code) would.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import string
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import LESSON, command

from reference import catalogue

ROOT = Path(__file__).resolve().parents[1]
EN = ROOT / "reference" / "catalogue" / "en"
WORDS = re.compile(r"[A-Za-zА-Яа-яЁё]+")


#: What the sample students wrote for the free-text question.
PASTED = catalogue.sentences("en", "kinds")["kinds.free_text_graded_by_teacher"]


def _domains() -> list[str]:
    return sorted(p.stem for p in EN.glob("*.py") if p.stem != "__init__")


def _swap(text: str) -> str:
    """Every word's case swapped, a template's ``$name`` kept."""
    return re.sub(r"(?<![$\w])" + WORDS.pattern, lambda m: m.group().swapcase(), text)


def translated(template: str) -> str:
    """The template with every word's case swapped, its fields kept (a plural's forms
    swapped too)."""
    try:
        parts = list(string.Formatter().parse(template))
    except ValueError:
        return _swap(template)
    out = []
    for literal, name, spec, conversion in parts:
        out.append(_swap(literal).replace("{", "{{").replace("}", "}}"))
        if name is not None:
            if spec and spec.startswith("plural:"):
                spec = _swap(spec).replace("PLURAL:", "plural:", 1)
            out.append(
                "{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "")
                + "}"
            )  # fmt: skip
    return "".join(out)


def write_language(folder: Path) -> None:
    lang = folder / "xx"
    lang.mkdir(parents=True)
    (lang / "__init__.py").write_text((EN / "__init__.py").read_text(encoding="utf-8"))
    for domain in _domains():
        english = catalogue.sentences("en", domain)
        # a sentence used without fields keeps its braces: translated as plain text
        text = {key: translated(value) for key, value in english.items()}
        (lang / f"{domain}.py").write_text(f"TEXT = {text!r}\n", encoding="utf-8")


def _prose(text: str) -> str:
    """A course's prose "translated", its placeholders ({math:A}) kept."""
    return "".join(
        piece if piece.startswith("{") else _swap(piece)
        for piece in re.split(r"(\{[^{}]*\})", text)
    )


def write_course(source: Path, folder: Path) -> Path:
    """The course with its prose in xx too, as a teacher would write it: every {ru, en}
    text gets its xx, and xx is the course's first language."""

    def walk(node: object) -> object:
        if isinstance(node, dict):
            out = {k: walk(v) for k, v in node.items()}
            if isinstance(node.get("en"), str) and "ru" in node:
                out["xx"] = _prose(node["en"])
            return out
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    shutil.copytree(source, folder)
    for path in [folder / "course.yml", *sorted((folder / "exercises").glob("*.yml"))]:
        data = walk(yaml.safe_load(path.read_text(encoding="utf-8")))
        if path.name == "course.yml":
            data["languages"] = ["xx", "ru", "en"]
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    return folder / "course.yml"


def sentences_of(lang: str) -> set[str]:
    """The literal runs of the language's sentences a reader would recognise: four words or
    more (shorter ones, "time out", "is not defined", also occur in the course's prose and
    in Python's own messages; a file name, public_examples.json, is not a sentence)."""
    runs: set[str] = set()
    for domain in _domains():
        for template in catalogue.sentences(lang, domain).values():
            try:
                literals = [lit for lit, *_ in string.Formatter().parse(template)]
            except ValueError:
                literals = [template]
            for literal in literals:
                for piece in re.split(r"[\n:;()«»\"`]", literal):
                    piece = piece.strip(" .,—-")
                    if len(piece.split()) >= 4 and len(WORDS.findall(piece)) >= 4:
                        runs.add(piece)
    return runs


def _run(*argv: object, cwd: Path | None = None, env: dict[str, str]) -> str:
    done = subprocess.run(
        [str(a) for a in argv], capture_output=True, text=True, timeout=300, cwd=cwd, env=env
    )
    assert done.returncode in (0, 1), done.stdout + done.stderr
    return done.stdout + done.stderr


#: Files that carry the formula reader, its sentences in every language as data (what they
#: say is read by running them: check.py, the notebooks' checks), and nbgrader's config,
#: whose comments are code's, in English like every identifier.
CARRIERS = ("check.py", "_formula_reader.py", "nbgrader_config.py")


def _files(folder: Path) -> str:
    return "\n".join(
        _readable(p)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
        and p.suffix in (".py", ".md", ".ipynb", ".html", ".csv", ".json", ".txt")
        and p.name not in CARRIERS
    )


def _readable(path: Path) -> str:
    """A file's text; a notebook's cells but its helper cell (the public checks' code, whose
    English docstrings are code; what it says comes from the catalogue, in xx)."""
    text = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix != ".ipynb":
        return text
    cells = json.loads(text)["cells"]
    return "\n".join(
        "".join(cell["source"])
        for cell in cells
        if not cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", "").endswith("-checks")
    )


@pytest.fixture(scope="module")
def doors(tmp_path_factory) -> dict[str, str]:
    """What each door writes and says in ``xx``."""
    tmp = tmp_path_factory.mktemp("xx")
    write_language(tmp / "catalogue")
    env = {**os.environ, "BACKPROP_CATALOGUE": str(tmp / "catalogue"), "COLUMNS": "200"}
    course = write_course(LESSON, tmp / "course")
    release = tmp / "release"
    out: dict[str, str] = {}
    out["release"] = _run(
        *command("course", "release", "--out", release, "--lang", "xx", "--course", course),
        env=env,
    )
    assert (release / "check.py").exists(), out["release"]
    out["release files"] = _files(release)
    (release / "student.txt").write_text("anna\n")
    out["check.py"] = _run(sys.executable, "check.py", cwd=release, env=env)
    out["check.py --id"] = _run(sys.executable, "check.py", "--id", "anna", cwd=release, env=env)
    # a class as a teacher gets it: a blank release, a student with mistakes, one whose
    # code breaks, and a perfect one
    group = tmp / "class"
    shutil.copytree(release, group / "blank")
    for name in ("mistakes", "broken", "perfect"):
        shutil.copytree(course.parent / "samples" / name, group / name)
        # the samples' free-text answer is a sentence of the English catalogue, pasted in:
        # a student's own words, which the doors show as they are
        for path in (group / name).glob("*.py"):
            code = path.read_text(encoding="utf-8")
            path.write_text(code.replace(PASTED, _swap(PASTED)), encoding="utf-8")
    pages, jsonl, csv = tmp / "pages", tmp / "g.jsonl", tmp / "g.csv"
    out["grade"] = _run(
        *command("grade", group, "--course", course, "--details", "--json", jsonl,
                 "--html", pages, "--csv", csv, "--lang", "xx"),
        env=env,
    )  # fmt: skip
    out["feedback"] = "\n".join(
        str(q.get("feedback", ""))
        for line in jsonl.read_text().splitlines()
        for q in json.loads(line)["questions"]
    )
    out["pages"] = _files(pages)
    out["gradebook"] = csv.read_text(encoding="utf-8")
    at = "x1=2,x2=2.1,x3=1.5,w1=0.5,w2=-1,w3=0.4,gold=0.6"
    out["trace"] = _run(
        *command("course", "trace", "--at", at, "--lang", "xx", "--course", course), env=env
    )
    out["nbgrader"] = _run(
        *command("course", "nbgrader", "--out", tmp / "nb", "--lang", "xx", "--course", course),
        env=env,
    )
    out["nbgrader files"] = _files(tmp / "nb")
    # the control, kept apart from the doors: the same grading in English
    out["control: grade --lang en"] = _run(
        *command("grade", group, "--course", course, "--details", "--lang", "en"), env=env
    )
    return out


def test_the_third_language_is_spoken_at_every_door(doors):
    """Its twin first: each door says something in xx (a door that said nothing, or failed
    before speaking, would pass the test below)."""
    xx = {_swap(word) for word in ("not attempted", "passed")}
    assert any(word in doors["grade"] for word in xx), doors["grade"][-2000:]
    for door, said in doors.items():
        assert said.strip(), door


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_no_sentence_of_another_language_shows(doors, lang):
    runs = sentences_of(lang)
    assert len(runs) > 200, len(runs)
    leaks = {
        door: sorted(run for run in runs if run in said)[:10]
        for door, said in doors.items()
        if not door.startswith("control") and any(run in said for run in runs)
    }
    assert leaks == {}


def test_the_leak_scan_sees_english(doors):
    """The twin: the same grading in English is full of the catalogue's English runs."""
    control = doors["control: grade --lang en"]
    assert sum(run in control for run in sentences_of("en")) >= 10
