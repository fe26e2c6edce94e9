"""nbgrader: ``course nbgrader``, autograde through the sandbox, and ``grade`` on notebooks.

The slow tests share one run of real nbgrader (generate_assignment, autograde, export,
generate_feedback) on a perfect student, the blank release, a student with typical mistakes
and hostile students (each with a twin that does the same work without the attack), and
check that the gradebook and ``grade`` agree on every question, that no attack gains
anything and that nothing reaches the course root.  The fast tests check the notebooks'
metadata against nbgrader's own validator and preprocessors, our preprocessor in-process
(scores as nbgrader records them, the student from nbgrader, the course from the root), and
the notebook reader on damaged and rearranged notebooks.
"""

from __future__ import annotations

import copy
import csv
import hashlib
import html
import json
import re
import subprocess
import time
from pathlib import Path

import numpy as np
import pytest
from conftest import LESSON, command

from grader.course.loader import load_course
from grader.course.solutions import formula_text as _solution_formula
from grader.intake import notebooks as notebook_reader
from grader.intake.submissions import Submission, discover, read
from grader.kinds import kind_of
from grader.kinds.snippets import for_notebooks, notebook_snippet, snippet
from grader.kinds.text import Text as FreeText
from grader.scoring import checks
from publish.nbgrader.build import (
    AUTOGRADE_PREPROCESSORS,
    BEGIN_HIDDEN,
    build,
    grade_id,
    nbgrader_meta,
    source_notebook,
)
from reference.course.sampling import student_values
from reference.course.targets import evaluate, evaluate_at_leaves

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
    return load_course(LESSON / "course.yml")


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


def code_cell(source: str, n: int) -> dict:
    return {
        "cell_type": "code",
        "execution_count": None,
        "id": f"extra-{n}",
        "metadata": {},
        "outputs": [],
        "source": source,
    }


def student_notebook(
    released: dict, exercise, student: str, kind: str, lang: str, attack=("", "")
) -> dict:
    """A submission of ``kind`` made from a released notebook: perfect, blank, mistakes,
    constants (every function returns 1.0) or ``copy:<other>`` (the other student's perfect
    work); ``attack``: cells of the student's own put first (after the imports) and last."""
    nb = copy.deepcopy(released)
    first, last = attack
    if first:
        nb["cells"].insert(2, code_cell(first, 0))
    if last:
        nb["cells"].append(code_cell(last, 1))
    if kind == "blank":
        return nb
    owner = kind.split(":", 1)[1] if kind.startswith("copy:") else student
    answers = {grade_id(q, "answer"): q for q in exercise.questions if q.auto}
    cells = []
    for cell in nb["cells"]:
        cells.append(cell)
        q = answers.get(cell["metadata"].get("nbgrader", {}).get("grade_id"))
        if q is None:
            continue
        if kind == "constants":
            if q.kind == "function":
                cell["source"] = f"def {q.name}(*args):\n    return 1.0\n"
            continue
        cell["source"] = answer_text(q, owner, lang, kind == "mistakes")
        if kind == "mistakes":
            for after, source in EXTRA_CELLS.get(exercise.id, []):
                if after == q.qid:
                    cells.append(code_cell(source, len(cells)))
    nb["cells"] = cells
    return nb


STUDENTS = {"alice": "perfect", "bob": "blank", "carol": "mistakes"}


def submit(
    root: Path, course, lang: str, students: dict[str, str] = STUDENTS, attacks=None
) -> None:
    """``submitted/<student>/<assignment>/<exercise>.ipynb`` from ``release/<assignment>/``;
    ``attacks``: student → exercise → hostile cells (first, last)."""
    a = course.assignment
    for student, kind in students.items():
        folder = root / "submitted" / student / a
        folder.mkdir(parents=True, exist_ok=True)
        for e in course.exercises:
            released = json.loads((root / "release" / a / f"{e.id}.ipynb").read_text())
            attack = ((attacks or {}).get(student) or {}).get(e.id, ("", ""))
            nb = student_notebook(released, e, student, kind, lang, attack)
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
    page = re.sub(r"(?s)<(style|script)\b.*?</\1>", "", page)
    return html.unescape(re.sub(r"<[^>]+>", "", page))


# --- the real thing -----------------------------------------------------------------------------

# Hostile cells.  Each runs where the student's code runs: with the course's preprocessor,
# in the sandbox, never as the teacher.  ``{root}`` is the course root's absolute path.
REPLACE_THE_GRADER = """\
import sys, types
fake = types.ModuleType("publish.nbgrader.kernel")
fake.check = lambda *args, **kwargs: 1.0
sys.modules["publish.nbgrader.kernel"] = fake
for name in ("grader.scoring.checks", "grader.scoring.diagnose", "publish.nbgrader.preprocessor"):
    module = types.ModuleType(name)
    module.score_question = module.close = module.outputs = lambda *args, **kwargs: True
    sys.modules[name] = module
try:
    from publish.nbgrader.kernel import check
    import grader.scoring.diagnose as diagnose
    diagnose.close = lambda *args, **kwargs: True
except Exception:
    pass
import numpy, math
numpy.allclose = numpy.isclose = math.isclose = lambda *args, **kwargs: True
"""
SABOTAGE = """\
import os, pathlib
root = pathlib.Path({root!r})
for name in ("course.yml", "exercises/A.yml", "nbgrader_config.py"):
    try:
        with open(root / name, "a") as f:
            f.write("\\ntolerance: {{rel: 0.99, abs: 0.99}}\\nseed: 1\\n")
    except Exception:
        pass
try:
    import sqlite3
    db = sqlite3.connect(str(root / "gradebook.db"))
    db.execute("update grade set auto_score = 0")
    db.commit()
except Exception:
    pass
try:
    (root / "submitted" / "alice" / "backprop" / "A.ipynb").write_text("{{}}")
except Exception:
    pass
"""
# Graded as another student: into their folder, and the installed grader's own solutions.
IMPERSONATE = """\
import os
try:
    os.chdir({root!r} + "/submitted/alice/backprop")
except Exception:
    pass
try:
    from grader.course.solutions import at_student_values
    from grader.course.loader import load_course
    mine = load_course({root!r} + "/course.yml")
    for q in mine.exercise({exercise!r}).questions:
        if q.kind == "number":
            globals()[q.name] = at_student_values(q, "copycat")
except Exception:
    pass
"""
ENDLESS = """\
import signal
def S(G):
    signal.signal(signal.SIGALRM, signal.SIG_IGN)
    signal.alarm(0)
    while True:
        pass
"""
# student → kind; "twin-": the same work without the attack, which must score the same on
# every question whose answer is the same for everyone (not asked at the student's values)
HOSTILE = {
    "aaa-saboteur": "blank",  # graded first: before the perfect alice
    "mallory": "constants",
    "twin-mallory": "constants",
    "copycat": "copy:alice",
    "twin-copycat": "copy:alice",
}
EVERYONE = {**STUDENTS, **HOSTILE}


def attacks(root: Path, course) -> dict[str, dict[str, tuple[str, str]]]:
    """student → exercise → (a cell first, a cell last) in every notebook."""
    everywhere = {
        "aaa-saboteur": (SABOTAGE, ""),
        "mallory": (REPLACE_THE_GRADER, ""),
        "copycat": ("", IMPERSONATE),  # last: after the copied answers
    }
    out: dict[str, dict[str, tuple[str, str]]] = {}
    for student, cells in everywhere.items():
        out[student] = {
            e.id: tuple(c.format(root=str(root), exercise=e.id) for c in cells)  # type: ignore
            for e in course.exercises
        }
    # and, last, a function that cancels a kernel's alarm and hangs
    out["mallory"]["S"] = (out["mallory"]["S"][0], ENDLESS)
    return out


def hand_in_a_course(root: Path, folder: Path) -> None:
    """A course.yml and exercises/ next to the notebooks, tolerant of anything (data only)."""
    text = (root / "course.yml").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^tolerance:.*$", "tolerance: {rel: 0.99, abs: 0.99}", text)
    (folder / "course.yml").write_text(text, encoding="utf-8")
    (folder / "exercises").mkdir()
    for path in (root / "exercises").iterdir():
        (folder / "exercises" / path.name).write_text(path.read_text(encoding="utf-8"))


def fingerprint(root: Path) -> dict[str, str]:
    """The teacher's files in the course root (and alice's submission): name → hash."""
    paths = [root / "course.yml", root / "nbgrader_config.py", *(root / "exercises").iterdir()]
    paths += sorted((root / "source").rglob("*.ipynb"))
    paths += sorted((root / "submitted" / "alice").rglob("*.ipynb"))
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}


@pytest.fixture(scope="module")
def real(tmp_path_factory, course):
    """One run of real nbgrader on every student, shared by the slow tests."""
    root, lang = tmp_path_factory.mktemp("nbgrader") / "root", "en"
    run("course", "nbgrader", "--out", root, "--lang", lang, cwd=LESSON)
    run("nbgrader", "generate_assignment", course.assignment, cwd=root)
    submit(root, course, lang, EVERYONE, attacks(root, course))
    hand_in_a_course(root, root / "submitted" / "copycat" / course.assignment)
    before = fingerprint(root)
    started = time.perf_counter()
    r = run("nbgrader", "autograde", course.assignment, cwd=root)
    seconds = time.perf_counter() - started
    gradebook = nbgrader_scores(root, course, EVERYONE)
    graded = grade_scores(root, root)  # the course root: grade finds submitted/ in it
    run("nbgrader", "export", cwd=root)
    # feedback of bob, carol, copycat and mallory (HTML costs ~0.5 s a notebook)
    run("nbgrader", "generate_feedback", course.assignment, "--student=[bcm]*", cwd=root)
    return {
        "root": root,
        "before": before,
        "gradebook": gradebook,
        "grade": graded,
        "log": r.stdout + r.stderr,
        "seconds": seconds,
    }


def grade_of(real, student) -> dict[str, float]:
    return {q["id"]: q["score"] for q in real["grade"][student]["questions"] if "score" in q}


@pytest.mark.slow
def test_autograde_grades_in_the_sandbox_as_grade_does_on_every_question(real, course):
    ours, root = real["gradebook"], real["root"]
    auto = [q for q in course.questions if q.auto]
    total = sum(q.points for q in auto)
    assert set(real["grade"]) == set(EVERYONE)
    for student in EVERYONE:  # perfect, blank, mistaken and hostile
        assert set(ours[student]) == {q.qid for q in auto}, student
        assert ours[student] == pytest.approx(grade_of(real, student), abs=1e-6), student
    assert sum(ours["alice"].values()) == pytest.approx(total)
    assert [qid for qid, s in ours["bob"].items() if s != 0] == []
    expected = expected_scores(course)
    assert ours["carol"] == pytest.approx(expected, abs=1e-6), {
        qid: (s, expected[qid]) for qid, s in ours["carol"].items() if abs(s - expected[qid]) > 1e-6
    }
    assert 0 < sum(expected.values()) < total
    partial = [q for q, s in ours["carol"].items() if 0 < s < question(course, q).points]
    assert len(partial) == 2  # nbgrader recorded the known mistakes' partial credit

    # No kernel: nbgrader's Execute numbers every cell it runs; ours runs none.
    for nb_path in (root / "autograded").rglob("*.ipynb"):
        cells = json.loads(nb_path.read_text(encoding="utf-8"))["cells"]
        assert all(c.get("execution_count") is None for c in cells if c["cell_type"] == "code")
    assert "CellTimeoutError" not in real["log"] and "Traceback" not in real["log"]

    with (root / "grades.csv").open(newline="") as f:  # export: totals, free text in max
        exported = {row["student_id"]: row for row in csv.DictReader(f)}
    for student in EVERYONE:
        assert float(exported[student]["score"]) == pytest.approx(sum(ours[student].values()))
        assert float(exported[student]["max_score"]) == course.points.total
    assert real["seconds"] < 600  # nbgrader's cost, for the record (see the benchmark)


@pytest.mark.slow
def test_no_attack_gains_anything_and_nothing_reaches_the_course_root(real, course):
    ours, root = real["gradebook"], real["root"]
    # a saboteur graded before a perfect student: the root, the gradebook and alice intact
    assert fingerprint(root) == real["before"]
    assert sum(ours["aaa-saboteur"].values()) == 0
    assert sum(ours["alice"].values()) == sum(q.points for q in course.questions if q.auto)
    common = [q.qid for q in course.questions if q.auto and not kind_of(q).at_leaves]
    # the grader replaced, numpy.allclose patched: exactly what the same constants earn
    hung = "S.forward"  # cancels a kernel's alarm and loops: a timeout, the rest graded
    assert {q: ours["mallory"][q] for q in common if q != hung} == {
        q: ours["twin-mallory"][q] for q in common if q != hung
    }
    assert ours["mallory"][hung] == 0 and sum(ours["mallory"].values()) < 15
    status = {q["id"]: q["status"] for q in real["grade"]["mallory"]["questions"]}
    assert status[hung] == "timeout"
    # another student's folder, the grader's solutions, a course handed in: the copy is
    # graded at the copier's own values, like the copy without the attack
    assert {q: ours["copycat"][q] for q in common} == {q: ours["twin-copycat"][q] for q in common}
    for copier in ("copycat", "twin-copycat"):
        at_values = [q.qid for q in course.questions if q.auto and personal(q, copier, "alice")]
        assert len(at_values) >= 5 and all(ours[copier][q] == 0 for q in at_values), copier
        assert all(ours["alice"][q] == question(course, q).points for q in at_values)


@pytest.mark.slow
def test_feedback_shows_our_verdicts_without_tracebacks_paths_or_answers(real, course):
    root, ours = real["root"], real["gradebook"]
    for student in ("bob", "carol", "mallory"):
        pages = {
            p.stem: visible_text(p.read_text(encoding="utf-8"))
            for p in (root / "feedback" / student / course.assignment).glob("*.html")
        }
        assert set(pages) == {e.id for e in course.exercises}
        for page in pages.values():
            assert "Traceback" not in page and 'File "' not in page
            assert str(root) not in page and "site-packages" not in page
            assert "/sandbox" not in page and "/tmp/" not in page
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
            assert f"{qid}: " in page  # our verdict is in the test cell's output
            for secret in hidden_answers(course, q, student):
                if secret not in shown[q.exercise]:
                    checked += 1
                    # a whole number on the page, not the first digits of a longer one
                    # (an argument shown at 4 digits may start like an answer rounded to 3)
                    token = rf"(?<![\w.]){re.escape(secret)}(?![\d])"
                    assert not re.search(token, page), (student, qid, secret)
        assert checked >= 5 * len(wrong)
    carol = visible_text(
        (root / "feedback" / "carol" / course.assignment / "C.html").read_text(encoding="utf-8")
    )
    assert re.search(r"C\.dC_dx3_formula: 0/1 — NameError: .*C\.ipynb, cell \d+", carol)
    assert (
        "own"
        in {q["id"]: q["feedback"] for q in real["grade"]["carol"]["questions"]}["chain.dL_dw1"]
    )  # carried forward across notebooks


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
        point = p.points[q.qid]
        values = evaluate(q.target, q.model, point)
        values = values.values() if isinstance(values, dict) else [values]
        # an expected value that equals an argument of the call (dA/dx1 = w1) is shown as
        # the argument it is, not as an answer
        args = {float(x) for a in q.args if a in point for x in np.atleast_1d(point[a])}
        out += [
            s
            for v in values
            for x in np.atleast_1d(v)
            if float(x) not in args
            for s in _printed(float(x))
        ]
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
    return request.param, build(course, request.param, LESSON / "course.yml")


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
    assert files["course.yml"] == (LESSON / "course.yml").read_text(encoding="utf-8")


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
def test_the_release_is_the_blank_stub_and_hides_nothing(lang, course):
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
            assert BEGIN_HIDDEN not in text and "import" not in text  # nothing hidden
            assert released[grade_id(q, "test")].source == text


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


def test_public_checks_pass_the_solution_and_stop_the_blank(course, monkeypatch):
    exercise = course.exercise("A")
    nb = source_notebook(exercise, "en")
    solved = namespace_of(nb)
    blank = namespace_of(nb, {grade_id(q, "answer"): snippet(q, "en") for q in exercise.questions})
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    for cell in nb["cells"]:
        if cell["id"].endswith("-test"):
            public = "".join(cell["source"])
            exec(public, solved)  # passes
            with pytest.raises((AssertionError, NotImplementedError)):
                exec(public, dict(blank))
            monkeypatch.setenv("NBGRADER_EXECUTION", "validate")  # a student's validate
            exec(public, solved)
            with pytest.raises((AssertionError, NotImplementedError)):
                exec(public, dict(blank))
            monkeypatch.delenv("NBGRADER_EXECUTION")
    values = solved["my_values"]("alice")
    assert values == student_values(
        exercise.model.seed, "alice", {n: exercise.model.ranges[n] for n in exercise.model.leaves}
    )


# --- grade reads notebooks ------------------------------------------------------------------


@pytest.fixture()
def class_root(tmp_path, course):
    """A course root with a release (the source notebooks through nbgrader's own
    preprocessors) and three students, without running nbgrader."""
    import nbformat

    root = tmp_path / "course"
    for name, text in build(course, "en", LESSON / "course.yml").items():
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


# --- our preprocessor, in-process -------------------------------------------------------------


def test_the_course_root_autogrades_through_our_preprocessor_not_a_kernel(built, course):
    from nbgrader.converters.autograde import Autograde
    from nbgrader.preprocessors import Execute
    from traitlets.config import Config
    from traitlets.utils.importstring import import_item

    from publish.nbgrader.preprocessor import GradeInSandbox

    lang, files = built
    config: dict = {"get_config": Config, "__file__": "/root/nbgrader_config.py"}
    exec(files["nbgrader_config.py"], config)  # our own generated text
    steps = config["c"].Autograde.autograde_preprocessors
    assert steps == AUTOGRADE_PREPROCESSORS
    assert config["c"].GradeInSandbox.lang == lang
    default = Autograde.class_traits()["autograde_preprocessors"].default()
    classes = [import_item(name) for name in steps]  # every import string imports
    assert default[0] is Execute and Execute not in classes
    assert classes[0] is GradeInSandbox
    assert classes[1:] == default[1:]  # nbgrader's own steps after ours, unchanged
    # nothing that grades in any notebook: the test cells hold public checks only
    for e in course.exercises:
        text = files[f"source/{course.assignment}/{e.id}.ipynb"]
        assert BEGIN_HIDDEN not in text
        assert not re.search(r"(from|import)\s+(publish|grader|reference)\b", text)


def graded_by_our_preprocessor(root: Path, course, student: str, folder: Path | None = None):
    """qid → (the score nbgrader records from the test cell's outputs, the outputs), for the
    student's notebooks in ``folder`` (default: their submission) run through our step."""
    import nbformat
    from nbgrader.utils import determine_grade
    from traitlets.config import Config

    from publish.nbgrader.preprocessor import GradeInSandbox

    config = Config()
    config.CourseDirectory.root = str(root)
    config.GradeInSandbox.lang = "en"
    folder = folder or root / "submitted" / student / course.assignment
    out = {}
    tests = {grade_id(q, "test"): q.qid for q in course.questions if q.auto}
    for e in course.exercises:
        nb = nbformat.read(folder / f"{e.id}.ipynb", as_version=4)
        info = {"student": student, "assignment": course.assignment, "notebook": e.id}
        nb, _ = GradeInSandbox(config=config).preprocess(nb, {"nbgrader": {**info, "db_url": ""}})
        for cell in nb.cells:
            gid = cell.metadata.get("nbgrader", {}).get("grade_id")
            if gid in tests:
                out[tests[gid]] = (determine_grade(cell)[0], cell.outputs)
            elif cell.cell_type == "code":
                assert cell.outputs == [] and cell.execution_count is None  # nothing ran here
    return out


def test_our_preprocessor_records_exactly_grades_scores(class_root, course):
    graded = grade_scores(class_root, class_root / "submitted")
    for student in STUDENTS:
        ours = graded_by_our_preprocessor(class_root, course, student)
        mine = {q["id"]: q["score"] for q in graded[student]["questions"] if "score" in q}
        assert {q: s for q, (s, _) in ours.items()} == pytest.approx(mine, abs=1e-9), student
    carol = graded_by_our_preprocessor(class_root, course, "carol")
    score, outputs = carol["L.dL_dS"]
    assert 0 < score < question(course, "L.dL_dS").points  # partial credit: a number last
    assert outputs[-1]["output_type"] == "execute_result" and "sign" in outputs[0]["text"]
    score, outputs = carol["C.dC_dx3_formula"]  # 0: an error output, placed by cell
    assert score == 0 and outputs[0]["output_type"] == "error"
    shown = outputs[0]["traceback"][0]
    assert "C.ipynb, cell" in shown and str(class_root) not in shown and ".py" not in shown


def test_a_check_that_raises_fails_the_autograde_not_the_student(class_root, course, monkeypatch):
    """A bug of the grader's in one question's check: nbgrader gets GraderFailure (autograde
    fails for that student, records nothing), not a 0 for the question.  The twin: the same
    notebooks, the check healthy, are graded."""
    from publish.nbgrader import preprocessor

    score_question = checks.score_question

    def broken(course, submission, q, p, outcomes):
        if q.qid == "A.forward":
            raise RuntimeError("a check broke (test)")
        return score_question(course, submission, q, p, outcomes)

    monkeypatch.delitem(preprocessor._STATE, "run", raising=False)  # not a kept student's run
    monkeypatch.setattr(checks, "score_question", broken)
    with pytest.raises(preprocessor.GraderFailure, match="a check broke"):
        graded_by_our_preprocessor(class_root, course, "alice")
    monkeypatch.setattr(checks, "score_question", score_question)
    monkeypatch.delitem(preprocessor._STATE, "run", raising=False)
    assert graded_by_our_preprocessor(class_root, course, "alice")["A.forward"][0] > 0


def test_a_test_cell_the_course_does_not_know_earns_nothing(class_root, course):
    """Without a kernel an unrun test cell would be full points: ours gives it 0 and says why."""
    import nbformat
    from nbformat.v4 import new_code_cell
    from nbgrader.utils import determine_grade
    from traitlets.config import Config

    from publish.nbgrader.preprocessor import GradeInSandbox

    config = Config()
    config.CourseDirectory.root = str(class_root)
    config.GradeInSandbox.lang = "en"
    step = GradeInSandbox(config=config)
    alice = class_root / "submitted" / "alice" / course.assignment
    for notebook in ("A", "extra"):  # a cell added to a course notebook; a notebook of its own
        nb = nbformat.read(alice / "A.ipynb", as_version=4)
        meta = {"nbgrader": nbgrader_meta("A-extra-test", True, False, True, 3)}
        nb.cells.append(new_code_cell("assert True", metadata=meta))
        info = {"student": "alice", "assignment": course.assignment, "notebook": notebook}
        nb, _ = step.preprocess(nb, {"nbgrader": {**info, "db_url": ""}})
        assert determine_grade(nb.cells[-1])[0] == 0, notebook
        assert "not one of the course's test cells" in nb.cells[-1].outputs[0]["traceback"][0]
        scores = [
            determine_grade(c)[0] for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")
        ]
        assert (sum(scores) > 0) == (notebook == "A")  # alice's own answers still count


def test_outputs_make_nbgrader_record_the_score_and_nothing_else():
    from nbformat.v4 import new_code_cell
    from nbgrader.utils import determine_grade

    from publish.nbgrader.preprocessor import outputs

    def recorded(score, points=2.0):
        result = checks.Result("A.x", score, points, "partial", {"en": "why", "ru": "почему"})
        cell = new_code_cell("", metadata={"nbgrader": nbgrader_meta("t", True, False, True, 2)})
        cell.outputs = outputs(result, points, "en")
        return determine_grade(cell)[0]

    assert recorded(2.0) == 2.0
    assert recorded(0.0) == 0.0  # not the full points an empty cell would get
    third = 2.0 / 3
    assert recorded(third) == third  # exactly: repr round-trips
    assert recorded(1e-9) == 1e-9 and recorded(2.0 - 1e-9) == 2.0 - 1e-9
    assert recorded(5.0) == 2.0  # never more than the cell's points (nbgrader would abort)


@pytest.mark.parametrize("score", [0.0, 1.0, 2.0])
def test_student_text_in_a_feedback_output_never_breaks_nbgraders_writer(tmp_path, score):
    """A lone surrogate (a formula "\\ud800" echoed in the feedback) in every kind of output."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    from publish.nbgrader.preprocessor import outputs

    said = {"en": "cannot read «\ud800x»", "ru": "не прочитать «\ud800x»"}
    cell = new_code_cell("", metadata={"nbgrader": nbgrader_meta("t", True, False, True, 2)})
    cell.outputs = outputs(checks.Result("A.x", score, 2.0, "partial", said), 2.0, "en")
    nb = new_notebook(cells=[cell])
    nbformat.write(nb, tmp_path / "n.ipynb")  # what nbgrader does with it: no UnicodeError
    assert "\ufffdx" in (tmp_path / "n.ipynb").read_text(encoding="utf-8")
    # the twin: the same output built from the raw text is what fails to be written
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=said["en"])]
    with pytest.raises(UnicodeEncodeError):
        nbformat.write(new_notebook(cells=[cell]), tmp_path / "raw.ipynb")


def personal(q, one: str, other: str) -> bool:
    """A number asked at each student's own values, different for these two students."""
    from grader.course.solutions import at_student_values

    if q.kind != "number":
        return False
    a, b = at_student_values(q, one), at_student_values(q, other)
    return abs(a - b) > 1e-3 * max(1.0, abs(a))


def test_the_student_comes_from_nbgrader_and_the_course_from_the_root(
    class_root, course, monkeypatch
):
    graded = grade_scores(class_root, class_root / "submitted")
    mine = {q["id"]: q["score"] for q in graded["carol"]["questions"] if "score" in q}
    folder = class_root / "submitted" / "carol" / course.assignment
    # a working directory of another student, and a lenient course handed in with the work
    monkeypatch.chdir(class_root / "submitted" / "alice" / course.assignment)
    hand_in_a_course(class_root, folder)
    lenient = folder / "course.yml"
    assert "0.99" in lenient.read_text()
    ours = graded_by_our_preprocessor(class_root, course, "carol")
    assert {q: s for q, (s, _) in ours.items()} == pytest.approx(mine, abs=1e-9)
    # the twin: carol's notebooks graded for alice are graded at alice's values
    as_alice = graded_by_our_preprocessor(class_root, course, "alice", folder)
    at_values = [q.qid for q in course.questions if q.auto and personal(q, "carol", "alice")]
    assert len(at_values) >= 5 and all(ours[q][0] > 0 for q in at_values)
    assert {q: as_alice[q] for q in at_values if as_alice[q][0] != 0} == {}


def test_a_kernel_that_autogrades_gives_no_points(course, monkeypatch):
    """A root whose config lost our preprocessor: the test cells fail, never pass blank work."""
    exercise = course.exercise("A")
    nb = source_notebook(exercise, "en")
    solved = namespace_of(nb)
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    for cell in nb["cells"]:
        if cell["id"].endswith("-test"):
            with pytest.raises(AssertionError, match="sandbox"):
                exec("".join(cell["source"]), dict(solved))


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
        main, ["nbgrader", "--out", str(out), "--lang", "en", "--course", str(LESSON)]
    )
    assert r.exit_code == 0, r.output
    assert "nbgrader generate_assignment backprop" in r.output
    assert (out / "source" / "backprop" / "A.ipynb").is_file()
    again = CliRunner().invoke(
        main, ["nbgrader", "--out", str(out), "--course", str(LESSON), "--lang", "en"]
    )
    assert again.exit_code == 1 and "not empty" in again.output
    forced = CliRunner().invoke(
        main, ["nbgrader", "--out", str(out), "--course", str(LESSON), "--force"]
    )
    assert forced.exit_code == 0, forced.output
