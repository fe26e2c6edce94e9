"""``grade CLASS --similarity DIR`` through the real command, on a class built from the release.

Who copied whom is decided here (tests/similarity_class.py writes each student's stubs: the
release solved at their own id, rewritten in a style of their own): two pairs copied code
(the copy's temporaries renamed, its functions reordered, its comments changed), one student
handed in another's numbers under code of their own, two worked alone but have the same short
right answers (their values share x1 and w1), and ten worked alone.  The copies and the
numbers are flagged and nobody else is; the numbers evidence names its source and exactly the
questions an oracle written here (one student at a time, the grader's own rule) expects.
Each check has its twin.  The page is read as text: its caveat, its languages, and a hostile
id and hostile code shown as text.
"""

from __future__ import annotations

import json
import sys
from html.parser import HTMLParser
from itertools import combinations

import numpy as np
import pytest
from click.testing import CliRunner
from conftest import LESSON
from similarity_class import Student, write_notebooks, write_student

from cli.grade import command
from grader.course.loader import load_course
from grader.course.solutions import at_student_values
from grader.kinds.number import is_step, right_at
from grader.scoring.within import close
from reference.course.model import SIMILARITY_THRESHOLD, load_model
from reference.course.source import CourseError

COURSE = LESSON / "course.yml"
INDEPENDENT = [f"ind-{i}" for i in range(10)]
COPIES = {("copy-1", "orig-1"), ("copy-2", "orig-2")}
COPIER, SOURCE = "numbers-copier", "ind-3"


def same_short_answers(course) -> tuple[str, str]:
    """Two ids whose own values share the first node's arguments (x1 and w1): the same short
    right answers to its questions, found by search, never typed."""
    args = course.model.nodes[0].args
    seen: dict[tuple[float, ...], dict[str, str]] = {}
    for k in range(400):
        for side in ("a", "b"):
            sid = f"same-{side}{k}"
            found = seen.setdefault(tuple(course.model.own_values(sid)[a] for a in args), {})
            found.setdefault(side, sid)
            if len(found) == 2:
                return found["a"], found["b"]
    raise AssertionError("no two ids with the same values found")


def grade(*args: object, env: dict[str, str] | None = None):
    return CliRunner().invoke(
        command(), [*map(str, args), "--course", str(COURSE)], env=env, catch_exceptions=False
    )


@pytest.fixture(scope="module")
def klass(tmp_path_factory):
    """The class graded once: --json, --similarity and --html (its dashboard links to it)."""
    course = load_course(COURSE)
    root = tmp_path_factory.mktemp("similarity")
    same = same_short_answers(course)
    students = [Student(i, f"style-{i}") for i in INDEPENDENT]
    students += [
        Student("orig-1", "style-o1"),
        Student("copy-1", "style-o1", disguised=True),
        Student("orig-2", "style-o2"),
        Student("copy-2", "style-o2", disguised=True),
        Student(COPIER, "style-copier", numbers=SOURCE),
        Student(same[0], "style-same-a"),
        Student(same[1], "style-same-b"),
    ]
    for s in students:
        write_student(course, root / "class", s)
    run = grade(
        root / "class", "--lang", "en", "--json", root / "g.jsonl", "--similarity",
        root / "sim", "--html", root / "html",
    )  # fmt: skip
    assert run.exit_code == 0, run.output
    lines = [json.loads(x) for x in (root / "g.jsonl").read_text().splitlines()]
    report = json.loads((root / "sim" / "similarity.json").read_text(encoding="utf-8"))
    return {
        "course": course,
        "root": root,
        "same": same,
        "lines": {o["student"]: o for o in lines},
        "report": report,
        "html": (root / "sim" / "similarity.html").read_text(encoding="utf-8"),
        "output": run.output,
    }


def flagged(report) -> set[frozenset[str]]:
    return {frozenset((p["a"], p["b"])) for p in report["pairs"] if p["flagged"]}


def test_the_copies_and_the_numbers_are_flagged_and_nobody_else(klass):
    report = klass["report"]
    expected = {frozenset(pair) for pair in COPIES} | {frozenset((COPIER, SOURCE))}
    assert flagged(report) == expected
    assert report["submissions"] == 17 and report["threshold"] == SIMILARITY_THRESHOLD
    code = {frozenset((p["a"], p["b"])): p["code_score"] for p in report["pairs"]}
    for pair in COPIES:  # renamed, reordered, recommented: the code still gives them away
        assert code[frozenset(pair)] >= 0.9, report
    # the twin: no two students who worked alone come near the threshold, the pair with the
    # same short answers included
    alone = [*INDEPENDENT, *klass["same"], COPIER]
    for a, b in combinations(alone, 2):
        assert code.get(frozenset((a, b)), 0.0) < SIMILARITY_THRESHOLD / 2, (a, b)
    # strongest first: the flagged pairs lead, each before any weaker one
    marks = [p["flagged"] for p in report["pairs"]]
    assert marks == sorted(marks, reverse=True)
    assert "similarity: 3 pairs flagged of 17 submissions" in klass["output"]


def _right_for(q, number: float, student: str) -> bool:
    """The grader's rule, one student at a time: the number within the question's tolerance of
    the right one at ``student``'s values (a new parameter: its step, relative to the step)."""
    right = at_student_values(q, student)
    if is_step(q):
        old = q.model.own_values(student)[q.target.wrt]
        return close(old - number, old - right, q.tolerance)
    return close(number, right, q.tolerance)


def test_the_numbers_evidence_names_the_source_and_the_questions(klass):
    course, lines = klass["course"], klass["lines"]
    students = list(lines)
    expected = set()
    for q in course.questions:
        if q.kind != "number":
            continue
        handed = at_student_values(q, SOURCE)  # what the copier handed in: SOURCE's answer
        got = next(x for x in lines[COPIER]["questions"] if x["id"] == q.qid)
        assert got.get("answer") == pytest.approx(handed, rel=1e-12), got  # from the report
        fits = {s for s in students if _right_for(q, handed, s)}
        if COPIER not in fits and fits == {SOURCE}:
            expected.add(q.qid)
    assert len(expected) >= 5  # most of them, here: the chain's long numbers at least
    pair = next(p for p in klass["report"]["pairs"] if {p["a"], p["b"]} == {COPIER, SOURCE})
    assert (pair["a"], pair["b"]) == (COPIER, SOURCE)  # A handed in B's numbers
    assert {n["question"] for n in pair["numbers"]} == expected
    assert {n["from"] for n in pair["numbers"]} == {SOURCE}
    # the twin: everyone else handed in their own numbers, and no pair has any
    others = [p for p in klass["report"]["pairs"] if {p["a"], p["b"]} != {COPIER, SOURCE}]
    assert all(p["numbers"] == [] for p in others)


def test_the_same_short_right_answers_are_no_evidence(klass):
    a, b = klass["same"]
    lines = klass["lines"]
    answers = {
        s: {q["id"]: q.get("answer") for q in lines[s]["questions"] if "answer" in q}
        for s in (a, b)
    }
    node = klass["course"].model.nodes[0].name  # its exercise's numbers are the same
    shared = [k for k in answers[a] if k.startswith(f"{node}.") and answers[a][k] == answers[b][k]]
    assert len(shared) >= 2  # the same short right answers ...
    assert all(q["status"] == "passed" for q in lines[a]["questions"] if q["id"] in shared)
    pairs = {frozenset((p["a"], p["b"])) for p in klass["report"]["pairs"]}
    assert frozenset((a, b)) not in pairs  # ... and no evidence: right at their own values
    # the twin: the very same numbers handed in by someone with other values are evidence
    assert frozenset((COPIER, SOURCE)) in pairs


def test_right_at_every_student_is_what_the_grader_compares_with(klass):
    course, students = klass["course"], list(klass["lines"])
    for q in course.questions:
        if q.kind == "number":
            right, scale = right_at(q, students)
            expected = [at_student_values(q, s) for s in students]
            assert right == pytest.approx(expected, rel=1e-12, abs=1e-15), q.qid
            assert np.all(scale >= 0)


class _Text(HTMLParser):
    """A page's visible text and its elements' names."""

    def __init__(self) -> None:
        super().__init__()
        self.text, self.tags = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.text.append(data)


def _read(html: str) -> tuple[str, list[str]]:
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.text).split()), parser.tags


def test_the_page_shows_the_evidence_with_its_caveat(klass):
    text, tags = _read(klass["html"])
    assert "Evidence for the teacher to look into, never a verdict" in text
    assert "no grade was changed" in text
    assert "17 submissions compared; 3 pairs flagged" in text
    assert f"{COPIER}'s numbers right at {SOURCE}'s values" in text
    assert "chain.dL_dw1_at_my_values" in text
    assert "Matching code, side by side" in text and "mark" in tags
    assert "script" not in tags  # the page runs nothing
    assert "Content-Security-Policy" in klass["html"]
    # the dashboard links to it, relative to its own folder
    dashboard = (klass["root"] / "html" / "index.html").read_text(encoding="utf-8")
    assert 'href="../sim/similarity.html"' in dashboard


def test_the_page_is_in_the_runs_language_and_a_resumed_run_reads_its_lines(klass):
    root = klass["root"]
    run = grade(
        root / "class", "--lang", "ru", "--json", root / "g.jsonl", "--similarity", root / "ru"
    )
    assert run.exit_code == 0, run.output
    assert "17" in run.output and "работ" in run.output  # kept from the earlier run
    text, _ = _read((root / "ru" / "similarity.html").read_text(encoding="utf-8"))
    assert "материал для проверки преподавателем, а не вывод" in text
    assert "Evidence for the teacher" not in text
    again = json.loads((root / "ru" / "similarity.json").read_text(encoding="utf-8"))
    assert again["pairs"] == klass["report"]["pairs"]  # the same evidence from resumed lines


def test_the_threshold_comes_from_the_command_line_and_is_checked(klass):
    root = klass["root"]
    args = (root / "class", "--lang", "en", "--json", root / "g.jsonl")
    low = grade(*args, "--similarity", root / "low", "--similarity-threshold", "0.05")
    assert low.exit_code == 0, low.output
    report = json.loads((root / "low" / "similarity.json").read_text(encoding="utf-8"))
    assert report["threshold"] == 0.05 and len(flagged(report)) > 3
    # the twins: a threshold outside [0, 1], and one without --similarity, are usage errors
    bad = grade(*args, "--similarity", root / "bad", "--similarity-threshold", "1.5")
    assert bad.exit_code == 2 and not (root / "bad").exists()
    alone = grade(*args, "--similarity-threshold", "0.5")
    assert alone.exit_code == 2
    assert "--similarity-threshold goes with --similarity" in alone.output


def test_the_threshold_in_course_yml_has_a_default_and_is_checked(tmp_path):
    assert load_model(COURSE).similarity_threshold == SIMILARITY_THRESHOLD
    text = COURSE.read_text(encoding="utf-8")
    (tmp_path / "course.yml").write_text(text + "similarity_threshold: 0.25\n")
    assert load_model(tmp_path / "course.yml").similarity_threshold == 0.25
    (tmp_path / "course.yml").write_text(text + "similarity_threshold: 1.5\n")
    with pytest.raises(CourseError, match=r"course.yml:\d+: similarity_threshold must be"):
        load_model(tmp_path / "course.yml")


def test_without_copydetect_it_says_what_to_install_before_grading(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "copydetect", None)  # as if it were not installed
    out = tmp_path / "g.jsonl"
    run = grade(LESSON / "samples", "--similarity", tmp_path / "sim", "--json", out)
    assert run.exit_code == 2
    assert "pip install 'backprop-course[similarity]'" in run.output
    assert not out.exists() and not (tmp_path / "sim").exists()  # nothing graded
    monkeypatch.delitem(sys.modules, "copydetect")
    # the twin: with it, the same command grades and writes the report
    run = grade(LESSON / "samples", "--similarity", tmp_path / "sim", "--json", out)
    assert run.exit_code == 0, run.output
    assert (tmp_path / "sim" / "similarity.json").is_file()


HOSTILE_ID = '<script>alert("id")</script>'
HOSTILE_CODE = (
    "def shout():\n    return '</pre><script>alert(1)</script>' + str(2 * 3 + 4 * 5 - 6)\n"
)


def test_a_hostile_id_and_hostile_code_are_text_on_the_page(tmp_path):
    course = load_course(COURSE)
    for sid in (HOSTILE_ID, "<b>copy</b>"):  # the second copied the first, hostile code too
        write_student(course, tmp_path / "class", Student(sid, "style-h", extra=HOSTILE_CODE))
    run = grade(tmp_path / "class", "--lang", "en", "--similarity", tmp_path / "sim")
    assert run.exit_code == 0, run.output
    html = (tmp_path / "sim" / "similarity.html").read_text(encoding="utf-8")
    assert "<script>" not in html and "<b>copy</b>" not in html
    assert "&lt;script&gt;alert(&quot;id&quot;)&lt;/script&gt;" in html  # the id, as text
    assert "&lt;/pre&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in html  # the code, as text
    text, tags = _read(html)
    assert HOSTILE_ID in text and "script" not in tags
    report = json.loads((tmp_path / "sim" / "similarity.json").read_text(encoding="utf-8"))
    assert {p["a"] for p in report["pairs"]} | {p["b"] for p in report["pairs"]} == {
        HOSTILE_ID,
        "<b>copy</b>",
    }  # the JSON keeps the ids as they are: it is data


def test_notebooks_are_compared_by_their_code_cells(tmp_path):
    """The release's notebooks and nbgrader's (as its generate_assignment releases them): a
    copy in each is flagged; the cells the release holds (nbgrader's helper cell with its
    public checks, the imports) are not the student's code."""
    course = load_course(COURSE)
    for s, nbgrader in (
        (Student("nb-orig", "style-nb"), False),
        (Student("nb-copy", "style-nb", disguised=True), False),
        (Student("nb-alone", "style-nb-alone"), False),
        (Student("nbg-orig", "style-nbg"), True),
        (Student("nbg-copy", "style-nbg", disguised=True), True),
        (Student("nbg-alone", "style-nbg-alone"), True),
    ):
        write_notebooks(course, tmp_path / "class", s, nbgrader=nbgrader)
    run = grade(tmp_path / "class", "--lang", "en", "--similarity", tmp_path / "sim")
    assert run.exit_code == 0, run.output
    report = json.loads((tmp_path / "sim" / "similarity.json").read_text(encoding="utf-8"))
    assert flagged(report) == {
        frozenset(("nb-orig", "nb-copy")),
        frozenset(("nbg-orig", "nbg-copy")),
    }
    text, _ = _read((tmp_path / "sim" / "similarity.html").read_text(encoding="utf-8"))
    assert "A.ipynb, cell" in text  # where each run of code is, by cell
    assert "return" in text and "gold" in text  # the students' own code is shown ...
    for released in ("def my_values", "public_answer(", "import numpy as np"):
        assert released not in text  # ... the release's cells are not
