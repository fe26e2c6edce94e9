"""nbgrader: ``course nbgrader``, the hidden tests' kernel side, and ``grade`` on notebooks.

The slow test runs real nbgrader (generate_assignment, autograde, generate_feedback) on a
perfect student, the blank release and a student with typical mistakes, and checks that
``grade`` gives the same score on every question.  The fast tests check the notebooks'
metadata against nbgrader's own validator and preprocessors, the kernel's ``check``
in-process, and the notebook reader on damaged and rearranged notebooks.
"""

from __future__ import annotations

import copy
import csv
import html
import json
import re
import subprocess
import time
from pathlib import Path

import numpy as np
import pytest
from conftest import command

from grader.intake import notebooks as notebook_reader
from grader.intake.submissions import Submission, discover, read
from grader.kinds.text import Text as FreeText
from grader.sandbox import Sandbox
from grader.scoring import checks
from publish.nbgrader import kernel
from publish.nbgrader.build import (
    BEGIN_HIDDEN,
    END_HIDDEN,
    build,
    for_notebooks,
    grade_id,
    nbgrader_meta,
    notebook_snippet,
    source_notebook,
)
from publish.solutions import formula_text as _solution_formula
from publish.stubs import SOLUTION_STUDENT, snippet, stub
from reference.course.exercises import load_course
from reference.course.sampling import student_values
from reference.course.targets import evaluate, evaluate_at_leaves

ROOT = Path(__file__).resolve().parents[1]
GRADE_ID = re.compile(r"^[A-Za-z0-9_-]+$")
V3_KEYS = {"schema_version", "grade", "locked", "solution", "task", "grade_id", "points"}

# The student with typical mistakes: (question, text in the reference's answer, the slip).
MISTAKES = [
    ("A.dA_dw1", "    return x1\n", "    return w1  # the other argument\n"),
    ("S.forward", "    return 1/(1 + math.exp(-G))\n", "    return 1/(1 + math.exp(G))\n"),
    ("L.dL_dS", "    return 2*S - 2*gold\n", "    return 2*(gold - S)\n"),
    (
        "G.backward",
        '    return {"A": dL_dG, "B": dL_dG, "C": dL_dG}',
        '    return {"A": 1, "B": 1, "C": 1}',
    ),
    # a name the cell does not define: the cell fails at the top level
    ("C.dC_dx3_formula", "dC_dx3_formula = 'w3'", "dC_dx3_formula = w3"),
    # a numpy warning and a print to stderr inside right answers: nothing may reach stderr
    ("B.forward", "    return w2*x2\n", "    np.log(np.float64(0.0))\n    return w2*x2\n"),
    ("L.forward", "    return ", "    print('debug', file=__import__('sys').stderr)\n    return "),
    # the chain assembled from the student's own (wrong) dA_dw1 and dL_dS: error carried
    # forward, which needs the other notebooks' functions
    (
        "chain.dL_dw1",
        "    return ",
        "    G = w1*x1 + w2*x2 + w3*x3\n    S = 1/(1 + math.exp(-G))\n"
        "    return 2*(gold - S)*S*(1 - S)*w1\n    return ",
    ),
    # a helper in a cell of the student's own
    ("S.dS_dG", "    return ", "    return my_sigmoid(G)*(1 - my_sigmoid(G))\n    return "),
]
EXTRA_CELLS = {  # exercise -> (after the answer cell of, source) of cells the student added
    "A": [
        ("A.dA_dx1", "dA_dx1(1.0, 2.0) / 0  # a scratch cell that fails"),
        ("A.dA_dx1", "%matplotlib inline\nprint(A(1.0, 2.0))"),
    ],
    "S": [("S.forward", "def my_sigmoid(g):\n    return 1/(1 + math.exp(-g))")],
}
# What the mistakes cost, question by question (everything else earns its full points).
LOST = {
    "A.dA_dw1": 1.0,  # wrong; A.backward is right for the student's own dA_dw1: not lost again
    "G.backward": 1.0,
    "C.dC_dx3_formula": 1.0,
    "S.forward": "The minus in the exponent is lost",  # a known mistake: its credit
    "L.dL_dS": "Almost: the sign is lost",
}


@pytest.fixture(scope="module")
def course():
    return load_course(ROOT / "course.yml")


def question(course, qid):
    return next(q for q in course.questions if q.qid == qid)


def expected_scores(course) -> dict[str, float]:
    """The mistakes student's score on each question, from the course's points and credits."""
    scores = {}
    for q in course.questions:
        if not q.auto:
            continue
        lost = LOST.get(q.qid, 0.0)
        if isinstance(lost, str):
            credit = next(m.credit for m in q.mistakes if lost in m.feedback["en"])
            lost = q.points * (1 - credit)
        scores[q.qid] = q.points - lost
    return scores


# --- building submissions from the release ----------------------------------------------------


def answer_text(q, student: str, lang: str, mistakes: bool) -> str:
    text = snippet(q, lang, solution=True, student=student)
    if mistakes:
        for qid, old, new in MISTAKES:
            if qid == q.qid:
                assert text.count(old) == 1, (qid, old, text)
                text = text.replace(old, new)
    return text


def student_notebook(released: dict, exercise, student: str, kind: str, lang: str) -> dict:
    """A submission of ``kind`` (perfect, blank, mistakes) made from a released notebook."""
    nb = copy.deepcopy(released)
    if kind == "blank":
        return nb
    answers = {grade_id(q, "answer"): q for q in exercise.questions if q.auto}
    cells = []
    for cell in nb["cells"]:
        cells.append(cell)
        q = answers.get(cell["metadata"].get("nbgrader", {}).get("grade_id"))
        if q is None:
            continue
        cell["source"] = answer_text(q, student, lang, kind == "mistakes")
        if kind == "mistakes":
            for after, source in EXTRA_CELLS.get(exercise.id, []):
                if after == q.qid:
                    cells.append(
                        {
                            "cell_type": "code",
                            "execution_count": None,
                            "id": f"extra-{len(cells)}",
                            "metadata": {},
                            "outputs": [],
                            "source": source,
                        }
                    )
    nb["cells"] = cells
    return nb


STUDENTS = {"alice": "perfect", "bob": "blank", "carol": "mistakes"}


def submit(root: Path, course, lang: str, students: dict[str, str] = STUDENTS) -> None:
    """``submitted/<student>/<assignment>/<exercise>.ipynb`` from ``release/<assignment>/``."""
    a = course.assignment
    for student, kind in students.items():
        folder = root / "submitted" / student / a
        folder.mkdir(parents=True, exist_ok=True)
        for e in course.exercises:
            released = json.loads((root / "release" / a / f"{e.id}.ipynb").read_text())
            nb = student_notebook(released, e, student, kind, lang)
            (folder / f"{e.id}.ipynb").write_text(json.dumps(nb, indent=1, ensure_ascii=False))


def run(*cmd, cwd: Path, timeout: float = 900) -> subprocess.CompletedProcess:
    r = subprocess.run(command(*cmd), cwd=cwd, capture_output=True, text=True, timeout=timeout)
    assert r.returncode == 0, f"{' '.join(map(str, cmd))}:\n{r.stdout}\n{r.stderr}"
    return r


def nbgrader_scores(root: Path, course, students) -> dict[str, dict[str, float]]:
    """student → qid → nbgrader's auto score of that question's test cell."""
    from nbgrader.api import Gradebook

    tests = {grade_id(q, "test"): q.qid for q in course.questions if q.auto}
    out: dict[str, dict[str, float]] = {}
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        for student in students:
            sub = gb.find_submission(course.assignment, student)
            out[student] = {
                tests[g.name]: float(g.auto_score or 0.0)
                for nb in sub.notebooks
                for g in nb.grades
                if g.name in tests
            }
    return out


def grade_scores(root: Path, *paths, lang="en") -> dict[str, dict]:
    """student → its ``grade --json`` object, graded inside the course root."""
    out = root / "grades.jsonl"
    out.unlink(missing_ok=True)
    r = run("grade", *paths, "--json", out, "--lang", lang, cwd=root)
    assert "Traceback" not in r.stderr
    return {o["student"]: o for o in map(json.loads, out.read_text().splitlines())}


def visible_text(page: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", page))


# --- the real thing -----------------------------------------------------------------------------


@pytest.mark.slow
def test_real_nbgrader_and_grade_agree_on_every_question(tmp_path, course):
    root, lang = tmp_path / "nbgrader", "en"
    run("course", "nbgrader", "--out", root, "--lang", lang, cwd=ROOT)
    run("nbgrader", "generate_assignment", course.assignment, cwd=root)
    submit(root, course, lang)
    started = time.perf_counter()
    run("nbgrader", "autograde", course.assignment, cwd=root)
    autograde_seconds = time.perf_counter() - started
    ours = nbgrader_scores(root, course, STUDENTS)
    auto = [q for q in course.questions if q.auto]
    total = sum(q.points for q in auto)

    assert set(ours["alice"]) == {q.qid for q in auto}
    assert sum(ours["alice"].values()) == pytest.approx(total)
    assert [qid for qid, s in ours["bob"].items() if s != 0] == []
    expected = expected_scores(course)
    assert ours["carol"] == pytest.approx(expected, abs=1e-6), {
        qid: (s, expected[qid]) for qid, s in ours["carol"].items() if abs(s - expected[qid]) > 1e-6
    }
    assert sum(expected.values()) < total

    graded = grade_scores(root, root)  # the course root: grade finds submitted/ in it
    assert set(graded) == set(STUDENTS)
    for student in STUDENTS:
        mine = {q["id"]: q["score"] for q in graded[student]["questions"] if "score" in q}
        assert mine == pytest.approx(ours[student], abs=1e-6), student
        assert graded[student]["problems"] == []
    feedback = {q["id"]: q["feedback"] for q in graded["carol"]["questions"]}
    assert "own" in feedback["chain.dL_dw1"]  # carried forward across notebooks
    assert "NameError" in feedback["C.dC_dx3_formula"]
    assert "C.ipynb, cell" in feedback["C.dC_dx3_formula"]

    run("nbgrader", "export", cwd=root)  # grades.csv: totals, free text (0 until graded) in max
    with (root / "grades.csv").open(newline="") as f:
        exported = {row["student_id"]: row for row in csv.DictReader(f)}
    for student in STUDENTS:
        assert float(exported[student]["score"]) == pytest.approx(sum(ours[student].values()))
        assert float(exported[student]["max_score"]) == course.points.total

    run("nbgrader", "generate_feedback", course.assignment, cwd=root)
    for student in ("bob", "carol"):
        pages = {
            p.stem: visible_text(p.read_text(encoding="utf-8"))
            for p in (root / "feedback" / student / course.assignment).glob("*.html")
        }
        assert set(pages) == {e.id for e in course.exercises}
        # what the student's feedback may show: the release and what the student wrote
        shown = {
            e.id: "\n".join(
                "".join(cell["source"])
                for step in ("release", f"submitted/{student}")
                for cell in json.loads(
                    (root / step / course.assignment / f"{e.id}.ipynb").read_text(encoding="utf-8")
                )["cells"]
            )
            for e in course.exercises
        }
        wrong = {qid for qid, s in ours[student].items() if s < question(course, qid).points}
        checked = 0
        for qid in wrong:
            q = question(course, qid)
            page = pages[q.exercise]
            for secret in hidden_answers(course, q, student):
                if secret not in shown[q.exercise]:
                    checked += 1
                    assert secret not in page, (student, qid, secret)
        assert checked >= 5 * len(wrong)
        assert "check('A.forward', globals(), lang='en')" in pages["A"]
    # nbgrader's cost, for the record (the benchmark compares it with grade's)
    assert autograde_seconds < 600


def hidden_answers(course, q, student: str) -> list[str]:
    """What must not show in a student's feedback: the reference's answer to ``q`` (its
    formula, its code, its values at the student's hidden points), in the forms printed."""
    out = []
    if q.kind == "formula":
        out.append(_solution_formula(q))
    if q.kind == "function":
        code = snippet(q, "en", solution=True).rsplit("return ", 1)[-1].strip()
        out.append(code)
        p = checks.plan(course, student)
        values = evaluate(q.target, q.model, p.points[q.qid])
        values = values.values() if isinstance(values, dict) else [values]
        out += [s for v in values for x in np.atleast_1d(v) for s in _printed(float(x))]
    if q.kind == "number":
        leaves = student_values(q.model.seed, student, q.model.ranges)
        point = {k: np.asarray(leaves[k]) for k in q.model.leaves}
        out += _printed(float(evaluate_at_leaves(q.target, q.model, point)))
    return [s for s in out if len(s) >= 5]  # "x1" or "0.5" would be found anywhere


def _printed(x: float) -> list[str]:
    return [repr(x), f"{x:.6g}", f"{x:.4g}", f"{x:.10g}"]


# --- the source notebooks -------------------------------------------------------------------


@pytest.fixture(scope="module", params=["ru", "en"])
def built(request, course):
    return request.param, build(course, request.param, ROOT / "course.yml")


def test_the_course_root_holds_config_sources_and_the_course(built, course):
    lang, files = built
    assert set(files) >= {
        "nbgrader_config.py",
        "course.yml",
        *(f"exercises/{e.id}.yml" for e in course.exercises),
        *(f"source/{course.assignment}/{e.id}.ipynb" for e in course.exercises),
    }
    config = files["nbgrader_config.py"]
    assert f"c.CourseDirectory.course_id = {course.model.course!r}" in config
    assert 'c.ClearSolutions.code_stub = {"python": ""}' in config
    assert "c.ExecutePreprocessor.timeout" in config
    assert f"c.ClearSolutions.text_stub = {FreeText.instruction[lang]!r}" in config
    compile(config, "nbgrader_config.py", "exec")
    assert files["course.yml"] == (ROOT / "course.yml").read_text(encoding="utf-8")


def test_metadata_is_nbgrader_schema_3_exactly(built, course):
    import nbformat
    from nbgrader.nbgraderformat import MetadataValidator

    _, files = built
    seen = set()
    for e in course.exercises:
        text = files[f"source/{course.assignment}/{e.id}.ipynb"]
        nb = nbformat.reads(text, as_version=4)
        nbformat.validate(nb)
        MetadataValidator().validate_nb(nb)  # raises on a problem, incl. duplicated ids
        for cell in nb.cells:
            meta = cell.metadata["nbgrader"]  # every cell is an nbgrader cell
            assert set(meta) - {"points"} == V3_KEYS - {"points"}
            assert ("points" in meta) == meta["grade"]
            assert GRADE_ID.match(meta["grade_id"]) and meta["grade_id"] not in seen
            seen.add(meta["grade_id"])
        for q in e.questions:
            cells = {c.metadata["nbgrader"]["grade_id"]: c for c in nb.cells}
            answer = cells[grade_id(q, "answer")]
            flags = tuple(answer.metadata["nbgrader"][k] for k in ("grade", "solution", "locked"))
            if q.auto:
                assert flags == (False, True, False) and answer.cell_type == "code"
                test = cells[grade_id(q, "test")].metadata["nbgrader"]
                assert (test["grade"], test["solution"], test["locked"]) == (True, False, True)
                assert test["points"] == q.points
            else:  # free text: graded by hand
                assert flags == (True, True, False) and answer.cell_type == "markdown"
                assert answer.metadata["nbgrader"]["points"] == q.points
            assert cells[grade_id(q, "prompt")].metadata["nbgrader"]["locked"]


def release_of(nb: dict) -> dict:
    """What ``nbgrader generate_assignment`` does to the cells, with its own preprocessors."""
    import nbformat
    from nbgrader.preprocessors import ClearHiddenTests, ClearSolutions
    from traitlets.config import Config

    config = Config()
    config.ClearSolutions.code_stub = {"python": ""}
    node = nbformat.reads(json.dumps(nb), as_version=4)
    node, _ = ClearSolutions(config=config).preprocess(node, {})
    node, _ = ClearHiddenTests(config=config).preprocess(node, {})
    return node


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_release_is_the_blank_stub_and_hides_only_a_call(lang, course):
    for exercise in course.exercises:
        nb = source_notebook(exercise, lang)
        released = {c.metadata["nbgrader"]["grade_id"]: c for c in release_of(nb).cells}
        for q in for_notebooks(exercise).questions:
            if not q.auto:
                continue
            blank = notebook_snippet(q, lang).rstrip("\n").split("\n")
            got = released[grade_id(q, "answer")].source.split("\n")
            # the blank stub, and one empty line where the region was
            assert any(got[i] == "" and got[:i] + got[i + 1 :] == blank for i in range(len(got))), (
                q.qid,
                got,
                blank,
            )
            source = next(c for c in nb["cells"] if c["id"] == grade_id(q, "test"))
            text = "".join(source["source"])
            hidden = text[text.index(BEGIN_HIDDEN) + len(BEGIN_HIDDEN) : text.index(END_HIDDEN)]
            assert hidden.split() == [
                "from",
                "publish.nbgrader.kernel",
                "import",
                "check",
                f"check({q.qid!r},",
                "globals(),",
                f"lang={lang!r})",
            ]
            test = released[grade_id(q, "test")].source
            assert "HIDDEN" not in test and "check(" not in test
            assert "publish.nbgrader.kernel" not in test


def namespace_of(nb: dict, answers: dict[str, str] | None = None) -> dict:
    """Run a notebook's code cells (our own generated text) in a fresh namespace, test cells
    left out, optionally with other answer texts."""
    ns: dict = {"__name__": "__main__"}
    for cell in nb["cells"]:
        meta = cell["metadata"].get("nbgrader", {})
        if cell["cell_type"] != "code" or (meta.get("grade") and not meta.get("solution")):
            continue
        source = "".join(cell["source"])
        if answers is not None and meta.get("grade_id") in answers:
            source = answers[meta["grade_id"]]
        exec(compile(source, cell["id"], "exec"), ns)
    return ns


def test_public_checks_pass_the_solution_stop_the_blank_and_sleep_in_autograde(course, monkeypatch):
    exercise = course.exercise("A")
    nb = source_notebook(exercise, "en")
    solved = namespace_of(nb)
    blank = namespace_of(nb, {grade_id(q, "answer"): snippet(q, "en") for q in exercise.questions})
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    for cell in nb["cells"]:
        if cell["id"].endswith("-test"):
            public = "".join(cell["source"]).split(BEGIN_HIDDEN)[0]
            exec(public, solved)  # passes
            with pytest.raises((AssertionError, NotImplementedError)):
                exec(public, dict(blank))
            monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
            exec(public, dict(blank))  # the hidden test decides, not the public example
            monkeypatch.delenv("NBGRADER_EXECUTION")
    values = solved["my_values"]("alice")
    assert values == student_values(
        exercise.model.seed, "alice", {n: exercise.model.ranges[n] for n in exercise.model.leaves}
    )


# --- the kernel side ------------------------------------------------------------------------


def solved_namespace(course, exercise_id: str, student: str, edits=()) -> dict:
    exercise = course.exercise(exercise_id)
    answers = {}
    for q in exercise.questions:
        text = snippet(q, "en", solution=True, student=student)
        for qid, old, new in edits:
            if qid == q.qid:
                text = text.replace(old, new)
        answers[grade_id(q, "answer")] = text
    return namespace_of(source_notebook(exercise, "en"), answers)


def test_the_kernel_grades_like_grade_and_calls_the_student_first(course, monkeypatch):
    ns = solved_namespace(course, "L", "alice", MISTAKES)
    results = {
        q.qid: kernel.grade_question(course, q.qid, ns, "alice")[1]
        for q in course.exercise("L").questions
        if q.auto
    }
    text = stub(course.exercise("L"), "en", solution=True, student="alice")
    sub = Submission(
        "alice",
        "alice",
        {"L": text.replace("    return 2*S - 2*gold\n", "    return 2*(gold - S)\n")},
    )
    p = checks.plan(course, sub.id)
    with Sandbox() as sandbox:  # what grade's hidden tests do for each submission
        outcomes = sandbox.run(sub.files, p.requests)
    theirs = {r.qid: r.score for r in checks.score(course, sub.id, p, outcomes) if r.qid in results}
    assert {qid: r.score for qid, r in results.items()} == theirs
    assert 0 < results["L.dL_dS"].score < question(course, "L.dL_dS").points

    order = []
    from grader.kinds import function as function_kind

    reference = function_kind.evaluate

    def spied_reference(*args, **kwargs):
        order.append("reference")
        return reference(*args, **kwargs)

    monkeypatch.setattr(function_kind, "evaluate", spied_reference)
    student = ns["dL_dS"]

    def spied_student(*args):
        order.append("student")
        return student(*args)

    ns["dL_dS"] = spied_student
    kernel.grade_question(course, "L.dL_dS", ns, "bob")
    assert order.index("reference") > len(order) - 1 - order[::-1].index("student")

    class Rigged(float):  # a float whose comparison and conversion are rigged
        def __eq__(self, other):
            order.append("eq")
            return True

        __hash__ = float.__hash__

        def __float__(self):
            order.append("float")
            return 0.0

    ns["dL_dS"] = lambda S, gold: Rigged(1.0)
    order.clear()
    _, result = kernel.grade_question(course, "L.dL_dS", ns, "alice")
    assert result.score == 0 and "expected a number" in result.feedback["en"]
    assert "eq" not in order and "float" not in order


def test_check_scores_raises_and_stays_off_stderr(tmp_path, course, monkeypatch, capsys):
    root = tmp_path / "root"
    root.mkdir()
    for name, text in build(course, "en", ROOT / "course.yml").items():
        if not name.startswith("source/"):
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_text(text)
    here = root / "autograded" / "dave" / course.assignment
    here.mkdir(parents=True)
    monkeypatch.chdir(here)
    assert kernel.student_id() == "dave"
    ns = solved_namespace(
        course,
        "S",
        "dave",
        [
            ("S.forward", "    return 1/(1 + math.exp(-G))\n", "    return 1/(1 + np.exp(G))\n"),
            ("S.dS_dG", "    return ", "    np.float64(1e308) * 10\n    return "),
        ],
    )
    assert kernel.check("S.dS_dG", ns, "en") == question(course, "S.dS_dG").points
    partial = kernel.check("S.forward", ns, "en")
    assert 0 < partial < question(course, "S.forward").points
    ns["dS_dG"] = lambda G: "0.25"
    with pytest.raises(kernel.QuestionFailed, match=r"S.dS_dG: 0/1 — .*expected a number"):
        kernel.check("S.dS_dG", ns, "en")

    def endless(G):
        while True:
            pass

    ns["dS_dG"] = endless
    started = time.perf_counter()
    with pytest.raises(kernel.QuestionFailed, match="did not answer in time"):
        kernel.check("S.dS_dG", ns, "en")
    assert time.perf_counter() - started < 10
    out = capsys.readouterr()
    assert out.err == ""
    assert "minus in the exponent" in out.out  # the partial credit's feedback, on stdout
    assert kernel.student_id(root / "source" / course.assignment) == SOLUTION_STUDENT


# --- grade reads notebooks ------------------------------------------------------------------


@pytest.fixture()
def class_root(tmp_path, course):
    """A course root with a release (the source notebooks through nbgrader's own
    preprocessors) and three students, without running nbgrader."""
    import nbformat

    root = tmp_path / "course"
    for name, text in build(course, "en", ROOT / "course.yml").items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    release = root / "release" / course.assignment
    release.mkdir(parents=True)
    for e in course.exercises:
        nb = release_of(
            json.loads((root / "source" / course.assignment / f"{e.id}.ipynb").read_text())
        )
        (release / f"{e.id}.ipynb").write_text(nbformat.writes(nb))
    submit(root, course, "en")
    return root


def test_grade_reads_an_nbgrader_class(class_root, course):
    modules = {e.id for e in course.exercises}
    found = list(discover([class_root], modules))
    assert [p.parent.name for p in found] == list(STUDENTS)
    assert read(found[0], modules).id == "alice"
    alice = class_root / "submitted" / "alice"
    assert list(discover([alice], modules)) == [alice / course.assignment]
    graded = grade_scores(class_root, class_root / "submitted")
    total = sum(q.points for q in course.questions if q.auto)
    assert graded["alice"]["score"] == pytest.approx(total)
    assert graded["bob"]["score"] == 0
    expected = expected_scores(course)
    scores = {q["id"]: q["score"] for q in graded["carol"]["questions"] if "score" in q}
    assert scores == pytest.approx(expected)
    one = grade_scores(class_root, class_root / "submitted" / "carol" / course.assignment)
    assert one["carol"]["score"] == graded["carol"]["score"]


def test_deleted_duplicated_and_retyped_cells_are_named_and_the_rest_graded(class_root, course):
    folder = class_root / "submitted" / "alice" / course.assignment
    nb = json.loads((folder / "A.ipynb").read_text())
    cells = nb["cells"]

    def index(gid):
        return next(
            i
            for i, c in enumerate(cells)
            if c["metadata"].get("nbgrader", {}).get("grade_id") == gid
        )

    by = {q.id: q for q in course.exercise("A").questions}
    retyped = cells[index(grade_id(by["dA_dx1"], "answer"))]
    retyped["metadata"] = {}  # copied into a new cell, the original deleted
    cells.insert(
        index(grade_id(by["dA_dw1"], "answer")),
        copy.deepcopy(cells[index(grade_id(by["dA_dw1"], "answer"))]),
    )
    del cells[index(grade_id(by["forward"], "answer"))]
    del cells[index(grade_id(by["backward"], "test"))]
    (folder / "A.ipynb").write_text(json.dumps(nb))
    (folder / "B.ipynb").write_text('{"cells": [')  # broken JSON
    (folder / "C.ipynb").write_text('{"cells": [42]}')
    (folder / "G.ipynb").write_text(json.dumps({"worksheets": []}))
    (folder / "S.ipynb").write_bytes(b"\xff\xfe" + b"x" * 100)
    (folder / "step.ipynb").unlink()

    report = grade_scores(class_root, folder)["alice"]
    q = {r["id"]: r for r in report["questions"]}
    assert q["A.forward"]["status"] == "missing" and "deleted?" in q["A.forward"]["feedback"]
    assert "A.ipynb has no function A" in q["A.forward"]["feedback"]
    assert (
        q["A.dA_dx1"]["status"] == "passed"
        and "lost its nbgrader metadata" in q["A.dA_dx1"]["feedback"]
    )
    assert q["A.dA_dw1"]["status"] == "passed" and "2 times" in q["A.dA_dw1"]["feedback"]
    assert q["A.backward"]["status"] == "passed" and "test cell" in q["A.backward"]["feedback"]
    for e, why in (
        ("B", "broken JSON"),
        ("C", "cell 1 is damaged"),
        ("G", "old format 3"),
        ("S", "not UTF-8"),
    ):
        assert any(why in p for p in report["problems"]), (why, report["problems"])
        assert all(
            r["score"] == 0 and why in r["feedback"]
            for r in report["questions"]
            if r["id"].startswith(f"{e}.")
        ), e
    assert all(
        r["status"] == "missing" and "step.ipynb not found" in r["feedback"]
        for r in report["questions"]
        if r["id"].startswith("step.")
    )
    assert all(
        r["status"] == ("passed" if course.by_qid[r["id"]].auto else "manual")
        for r in report["questions"]
        if r["id"].split(".")[0] in ("prep", "L", "chain")
    )


def test_a_notebook_becomes_a_module_that_runs_cells_like_a_kernel():
    def cell(source, **meta):
        return {"cell_type": "code", "metadata": meta, "outputs": [], "source": source}

    nb = {
        "cells": [
            cell("import math\n"),
            cell("def f(x):\n    return 2*x\n"),
            cell("f(1) / 0\n"),  # fails: nothing lost
            cell("def g(x):\n    return x +\n"),  # a syntax error: g keeps it
            cell("!pip install nothing\n%time y = f(2)\n"),
            cell("%%bash\necho not python\n"),
            cell("%%timeit -n1\nw = 5\n"),  # timeit's body runs in a function of its own
            cell("%%capture out\nv = 6\n"),
            cell("h = undefined_name\n"),
            cell("check('A.x', globals())\n", nbgrader=nbgrader_meta("t", True, False, True, 1)),
            {"cell_type": "markdown", "metadata": {}, "source": ["# z = 1"]},
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    cells = notebook_reader.parse(json.dumps(nb).encode(), "X.ipynb")
    source = notebook_reader.module_source(cells, "X.ipynb")
    assert "check(" not in source and "echo" not in source
    ns: dict = {"__file__": "X.py", "__name__": "X"}
    exec(compile(source, "X.py", "exec"), ns)  # our own generated loader, on our own cells
    assert ns["f"](3) == 6 and ns["y"] == 4 and ns["v"] == 6 and "w" not in ns and "z" not in ns
    with pytest.raises(SyntaxError) as err:
        ns["__getattr__"]("g")
    assert err.value.lineno == 4 * notebook_reader.LINES + 2
    with pytest.raises(NameError):
        ns["__getattr__"]("h")
    with pytest.raises(AttributeError):
        ns["__getattr__"]("nothing")
    assert (
        notebook_reader._places("SyntaxError (X.py:400002)", {"X"})
        == "SyntaxError (X.ipynb, cell 4, line 2)"
    )


@pytest.mark.parametrize(
    "data, why",
    [
        (b"x" * (notebook_reader.MAX_NOTEBOOK + 1), "larger than"),
        (b"[1, 2]", "not a Jupyter notebook"),
        (b'{"cells": {}}', "not a Jupyter notebook"),
        (b'{"cells": [{"cell_type": "code", "source": 7}]}', "damaged"),
        (b'{"cells": [{"cell_type": "code", "source": "", "metadata": []}]}', "damaged"),
        (b"[" * 100000, "nested too deeply"),
        (b'{"cells": [' + b'{"cell_type": "raw", "source": ""},' * 5000 + b"{}]}", "more than"),
    ],
)
def test_untrusted_notebook_json_is_a_problem_not_a_crash(data, why):
    sub = Submission("s", "s")
    notebook_reader.add(sub, "A", len(data), lambda: data)
    assert sub.files == {} and why in sub.problems[0]["en"], sub.problems


def test_a_zip_of_notebooks_is_graded(tmp_path, class_root, course):
    import zipfile

    folder = class_root / "submitted" / "alice" / course.assignment
    with zipfile.ZipFile(tmp_path / "alice.zip", "w") as z:
        for f in folder.iterdir():
            z.write(f, f"alice/{f.name}")
    sub = read(tmp_path / "alice.zip", {e.id for e in course.exercises})
    assert set(sub.files) == {e.id for e in course.exercises} and sub.problems == []


def test_course_nbgrader_writes_a_root_and_refuses_a_full_folder(tmp_path):
    from click.testing import CliRunner

    from cli.course import main

    out = tmp_path / "root"
    r = CliRunner().invoke(
        main, ["nbgrader", "--out", str(out), "--lang", "en", "--course", str(ROOT)]
    )
    assert r.exit_code == 0, r.output
    assert "nbgrader generate_assignment backprop" in r.output
    assert (out / "source" / "backprop" / "A.ipynb").is_file()
    again = CliRunner().invoke(
        main, ["nbgrader", "--out", str(out), "--course", str(ROOT), "--lang", "en"]
    )
    assert again.exit_code == 1 and "not empty" in again.output
    forced = CliRunner().invoke(
        main, ["nbgrader", "--out", str(out), "--course", str(ROOT), "--force"]
    )
    assert forced.exit_code == 0, forced.output
