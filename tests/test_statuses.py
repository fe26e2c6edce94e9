"""One wording per status (reference/statuses.py), read where a teacher and a student read
it: the terminal's table, the report's feedback, the HTML page and the student's check."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
from conftest import LESSON, command

from cli.html.assets import STATUS as PAGE_STATUS
from grader.kinds.base import NOT_ATTEMPTED
from publish.nbgrader import build
from publish.release import FILES, messages
from reference.statuses import STATUS


def test_every_door_takes_the_one_catalogue():
    assert PAGE_STATUS is STATUS
    assert STATUS["missing"][1] == NOT_ATTEMPTED
    # The students' checkers (stdlib only: check.py, the nbgrader helper cell) say the same
    # words: the catalogue's, written into the file they are generated as.
    for lang in ("en", "ru"):
        written: dict = {}
        exec(messages(lang, 'say("status.missing")'), written)
        assert written["MESSAGES"] == {"status.missing": STATUS["missing"][1][lang]}
    assert "say('status.missing')" in build.HELPERS
    assert 'say("status.missing")' in (FILES / "check.py").read_text(encoding="utf-8")
    for symbol, words in STATUS.values():
        assert symbol and words["en"] and words["ru"] and words["en"] != words["ru"]
    # one wording: no two statuses share words (a reader could not tell them apart)
    for lang in ("en", "ru"):
        said = [words[lang] for _, words in STATUS.values()]
        assert len(set(said)) == len(said)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_a_blank_answer_reads_alike_everywhere(tmp_path, lang):
    """The untouched release, graded: each door says the catalogue's words for "missing",
    and none says another wording of it (the twins: the old ones)."""
    release = tmp_path / "release"
    made = subprocess.run(
        command("course", "release", "--out", release, "--lang", lang, "--course",
                LESSON / "course.yml"),
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    shutil.rmtree(release / "notebooks")  # the .py stubs alone: one route a question
    (release / "student.txt").write_text("anna\n")
    pages, jsonl = tmp_path / "pages", tmp_path / "g.jsonl"
    graded = subprocess.run(
        command("grade", release, "--course", LESSON / "course.yml", "--details", "--json",
                jsonl, "--html", pages, "--lang", lang),
        capture_output=True, text=True, timeout=300, env={"COLUMNS": "200", **_env()},
    )  # fmt: skip
    assert graded.returncode == 0, graded.stderr
    words = STATUS["missing"][1][lang]
    old = {"en": ("missing", "not done yet", "no answer"), "ru": ("нет ответа", "ещё не")}
    (report,) = [json.loads(line) for line in jsonl.read_text().splitlines()]
    blank = [q for q in report["questions"] if q["status"] == "missing"]
    assert blank and all(q["feedback"] == words for q in blank)
    rows = [line for line in graded.stdout.splitlines() if "A.dA_dw1 " in line]
    assert rows and words in rows[0] and not any(w in rows[0] for w in old[lang])
    page = next(p for p in pages.glob("*.html") if p.name != "index.html")
    assert words in page.read_text(encoding="utf-8")
    checked = subprocess.run(
        [sys.executable, "check.py"], cwd=release, capture_output=True, text=True, timeout=120
    )
    lines = [line for line in checked.stdout.splitlines() if "A.dA_dw1" in line]
    assert lines and words in lines[0] and not any(w in lines[0] for w in old[lang])


def _env() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if k != "COLUMNS"}
