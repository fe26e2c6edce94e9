"""A teacher edits the course and everything follows, the prose too: on the fixture courses
(the lesson, S = tanh(G), and x4, w4, D(x4, w4) with G(A, B, C, D)) the release, the nbgrader
root and grading agree, with no stale prose; ``course validate`` warns about what an edit left
behind; ``course new-exercise`` scaffolds what a new node needs.  All through the real CLI."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import FOUR, LESSON, TANH, command

from grader.course.loader import load_course
from publish.release import READER, bundle

COURSES = {"lesson": LESSON, "tanh": TANH, "four": FOUR}


def run(name: str, *args, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        command(name, *args), cwd=cwd, capture_output=True, text=True, timeout=300
    )


def copy_course(source: Path, where: Path) -> Path:
    shutil.copytree(source, where, ignore=shutil.ignore_patterns("samples"))
    return where


def replace(path: Path, old: str, new: str) -> int:
    """Edit one file as a teacher would; the 1-based line of the (first) edit."""
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    return line


def texts(folder: Path) -> dict[str, str]:
    """The release's texts; check.py without the grader's own formula reader it carries (its
    source, sigmoid's alias included, is the same for every course)."""
    carried = bundle(READER)
    return {
        str(f.relative_to(folder)): f.read_text(encoding="utf-8").replace(carried, "")
        for f in sorted(folder.rglob("*"))
        if f.is_file() and f.suffix in (".py", ".ipynb", ".md")
    }


def stale(name: str, text: str) -> list[str]:
    """What the fixture's edit made false, found in a rendered text."""
    found = re.findall(r"\{(?:math|formula|args|header|rule|returns|composed|function):\w+\}", text)
    found += re.findall(r"\{(?:learning_rate|leaves|nodes|inputs|parameters|equations)\}", text)
    if name == "tanh":
        # a formula may still call sigmoid: check.py's and the README's listings of what the
        # parser accepts stay, and so does the lesson's derivative table, sigmoid's row included,
        # in every release; the prompts' "you may use …" follows the model ({functions})
        listed = re.sub(r"`?sigmoid`? \(`?σ`?\)|'sigmoid': \d", "", text)
        listed = re.sub(r"\| `f\(a\) = sigmoid\(a\)` \| `[^`]*` \| [^|]* \|", "", listed)
        found += re.findall(r"(?i)сигмоид\w*|sigmoid|σ", listed)
    if name == "four":
        found += re.findall(r"G = A \+ B \+ C(?! \+)|G\(A, B, C\)|F\(x1, x2, x3\)", text)
    return found


@pytest.fixture(scope="module", params=list(COURSES))
def built(request, tmp_path_factory):
    """A fixture course's release (ru, en with solutions) and nbgrader root."""
    name, folder = request.param, COURSES[request.param]
    out = tmp_path_factory.mktemp(name)
    for args in (
        ("release", "--out", out / "ru", "--lang", "ru"),
        ("release", "--out", out / "key", "--lang", "en", "--solutions"),
        ("nbgrader", "--out", out / "nb", "--lang", "en"),
    ):
        r = run("course", *args, cwd=folder)
        assert r.returncode == 0, r.stderr
    return name, folder, out


def test_each_fixture_course_validates_strictly(built):
    _, folder, _ = built
    r = run("course", "validate", "--strict", "--lang", "en", cwd=folder)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "warning" not in r.stderr


def test_no_stale_prose_in_the_release_or_the_nbgrader_root(built):
    name, _, out = built
    for part in ("ru", "key", "nb"):
        for file, text in texts(out / part).items():
            assert not stale(name, text), (part, file, stale(name, text))
    if name == "four":
        g = (out / "ru" / "G.py").read_text(encoding="utf-8")
        assert "G = A + B + C + D" in g and "def dG_dD(A, B, C, D)" in g
        assert (out / "ru" / "D.py").is_file() and "def dL_dw4(" in (
            out / "ru" / "chain.py"
        ).read_text()
    if name == "tanh":
        assert "S = tanh(G)" in (out / "ru" / "S.py").read_text(encoding="utf-8")


def test_the_solutions_grade_at_full_marks(built, tmp_path):
    _, folder, out = built
    report_file = tmp_path / "grades.jsonl"
    r = run("grade", out / "key", "--json", report_file, "--lang", "en", cwd=folder)
    assert r.returncode == 0, r.stderr
    (report,) = [json.loads(line) for line in report_file.read_text().splitlines()]
    course = load_course(folder / "course.yml")
    assert report["max_score"] == pytest.approx(course.points.auto)
    assert report["score"] == pytest.approx(report["max_score"]), [
        q for q in report["questions"] if q.get("status") not in ("passed", "manual")
    ]
    # the nbgrader root holds the same questions, one notebook an exercise
    notebooks = sorted(p.stem for p in (out / "nb" / "source").glob("*/*.ipynb"))
    assert notebooks == sorted(e.id for e in course.exercises)


def test_the_functions_placeholder_follows_the_model():
    from reference.course.prose import render

    text = "You may use *, **, parentheses and {functions}."
    for folder, want in ((LESSON, "sigmoid(...)"), (TANH, "tanh(...)")):
        model = load_course(folder / "course.yml").model
        assert render(text, model, "en") == f"You may use *, **, parentheses and {want}."


# --- validate warns about what an edit left behind -------------------------------------------


def warnings_of(r: subprocess.CompletedProcess) -> list[str]:
    return [ln for ln in r.stderr.splitlines() if ": warning: " in ln]


def test_tanh_without_rewording_warns_at_the_stale_lines(tmp_path):
    folder = copy_course(LESSON, tmp_path / "course")
    # a teacher's own prompt that lists what a formula may use, typed by hand
    line = replace(
        folder / "exercises" / "A.yml",
        "formula: a string in the function's argument names ({args:A}).\n",
        "formula: a string in the function's argument names ({args:A}).\n"
        "        You may use *, **, parentheses and sigmoid(...).\n",
    )
    replace(folder / "course.yml", "S(G): sigmoid(G)", "S(G): tanh(G)")
    r = run("course", "validate", "--lang", "en", cwd=folder)
    assert r.returncode == 0, r.stderr
    lines = warnings_of(r)
    listings = [ln for ln in lines if "lists sigmoid(...) among what a formula may use" in ln]
    where = [ln.split(":")[:2] for ln in listings]  # both of A's formula prompts got the line
    assert where[0] == ["exercises/A.yml", str(line + 1)] and len(where) == 2, lines
    assert all(w[0] == "exercises/A.yml" for w in where), lines
    assert all("write {functions}" in ln for ln in listings)
    rest = [ln for ln in lines if ln not in listings]
    assert rest and all(ln.startswith("exercises/S.yml:") for ln in rest), rest
    assert any("no node of the model uses sigmoid" in ln for ln in rest)
    ru = run("course", "validate", "--lang", "ru", cwd=folder)
    assert "предупреждение: " in ru.stderr
    strict = run("course", "validate", "--strict", "--lang", "en", cwd=folder)
    assert strict.returncode == 1 and "Traceback" not in strict.stderr
    # the twin: the reworded fixture has none
    assert not warnings_of(run("course", "validate", "--lang", "en", cwd=TANH))


def test_a_hand_typed_learning_rate_is_stale_after_an_edit(tmp_path):
    folder = copy_course(LESSON, tmp_path / "course")
    line = replace(folder / "exercises" / "step.yml", "{learning_rate} · change", "0.001 · change")
    assert not warnings_of(run("course", "validate", cwd=folder))  # still true
    replace(folder / "course.yml", "learning_rate: 0.001", "learning_rate: 0.01")
    lines = warnings_of(run("course", "validate", "--lang", "en", cwd=folder))
    assert any(
        ln.startswith(f"exercises/step.yml:{line}: warning: the text says 0.001") for ln in lines
    ), lines


def test_four_without_its_exercise_and_chain_questions_warns(tmp_path):
    folder = copy_course(FOUR, tmp_path / "course")
    (folder / "exercises" / "D.yml").unlink()
    replace(folder / "course.yml", "  D: 1\n", "")
    shutil.copy(LESSON / "exercises" / "chain.yml", folder / "exercises" / "chain.yml")
    line = replace(
        folder / "exercises" / "prep.yml", '- formula: "{formula:G}"', '- formula: "A + B + C"'
    )
    r = run("course", "validate", "--lang", "en", cwd=folder)
    assert r.returncode == 0, r.stderr
    text = "\n".join(warnings_of(r))
    assert "node D has no exercise" in text
    assert "dL/dw4" in text and "dL/dx4" in text
    assert (
        f"exercises/prep.yml:{line}: warning: the feedback says A + B + C is the function G" in text
    )
    # and new-exercise fixes all but the mistake, which the teacher rewrites
    assert run("course", "new-exercise", "D", cwd=folder).returncode == 0
    assert run("course", "new-exercise", "--chain", cwd=folder).returncode == 0
    replace(folder / "exercises" / "prep.yml", '- formula: "A + B + C"', '- formula: "{formula:G}"')
    r = run("course", "validate", "--strict", "--lang", "en", cwd=folder)
    assert r.returncode == 0, r.stderr


def test_a_known_mistake_made_right_or_untrue_by_an_edit_warns(tmp_path):
    folder = copy_course(LESSON, tmp_path / "course")
    # L = -(gold - S)²: the lesson's sign mistake 2·(gold − S) is dL/dS now
    replace(folder / "course.yml", "L(S, gold): (gold - S)**2", "L(S, gold): -(gold - S)**2")
    text = (folder / "exercises" / "L.yml").read_text(encoding="utf-8")
    line = text[: text.index('- formula: "2*(gold - S)"')].count("\n") + 1
    r = run("course", "validate", "--lang", "en", cwd=folder)
    assert r.returncode == 0, r.stderr
    assert (
        f"exercises/L.yml:{line}: warning: the known mistake 2*(gold - S) is now the right "
        "answer to L.dL_dS_formula" in r.stderr
    ), r.stderr
    assert (
        "типичная ошибка 2*(gold - S) теперь верный ответ"
        in run("course", "validate", "--lang", "ru", cwd=folder).stderr
    )
    strict = run("course", "validate", "--strict", "--lang", "en", cwd=folder)
    assert strict.returncode == 1 and "Traceback" not in strict.stderr
    # and a student who writes it passes, with no "known mistake" feedback
    course = load_course(folder / "course.yml")
    q = course.by_qid["L.dL_dS_formula"]
    (now_right,) = [m for m in q.mistakes if m.formula == "2*(gold - S)"]
    assert now_right.is_answer
    from grader.scoring.diagnose import alternatives

    point = {"S": np.array([0.3]), "gold": np.array([0.9])}
    assert all(f.feedback != now_right.feedback for _, f in alternatives(q, point, False))


def test_a_mistake_no_longer_the_derivative_its_text_names_warns(tmp_path):
    folder = copy_course(LESSON, tmp_path / "course")
    text = (folder / "exercises" / "A.yml").read_text(encoding="utf-8")
    line = text[: text.index('- formula: "x1"')].count("\n") + 1
    # the twin: as shipped, x1 is dA/dw1, as its feedback says
    assert "derivative of A" not in run("course", "validate", "--lang", "en", cwd=folder).stderr
    replace(folder / "course.yml", "A(x1, w1): w1*x1", "A(x1, w1): w1*x1**2")
    r = run("course", "validate", "--lang", "en", cwd=folder)
    assert r.returncode == 0, r.stderr
    assert (
        f"exercises/A.yml:{line}: warning: the feedback says x1 is the derivative of A with "
        "respect to w1, but that derivative is another function now" in r.stderr
    ), r.stderr


# --- new-exercise ------------------------------------------------------------------------------


def test_new_exercise_writes_a_node_exercise_that_grades_at_full_marks(tmp_path):
    folder = copy_course(FOUR, tmp_path / "course")
    (folder / "exercises" / "D.yml").unlink()
    replace(folder / "course.yml", "  D: 1\n", "")
    r = run("course", "new-exercise", "D", "--lang", "en", cwd=folder)
    assert r.returncode == 0, r.stderr
    course = load_course(folder / "course.yml")
    d = course.exercise("D")
    ids = [q.id for q in d.questions]
    assert ids[:5] == ["forward", "dD_dx4", "dD_dx4_formula", "dD_dw4", "dD_dw4_formula"]
    assert {"D_change_x4", "D_change_w4", "backward", "L_sign_w4"} <= set(ids)
    assert d.questions[-1].kind == "choice" and [o.value for o in d.questions[-1].options] == [
        "up",
        "down",
        "zero",
    ]
    # listed where students meet it: D after C (the node before it in the model), not after L
    listed = re.findall(r"(?m)^  (\w+): 1", (folder / "course.yml").read_text(encoding="utf-8"))
    assert listed == ["prep", "A", "B", "C", "D", "G", "S", "L", "chain", "step"]
    # wrapped like the shipped YAML: long texts as block scalars, no line over 100 characters
    written = (folder / "exercises" / "D.yml").read_text(encoding="utf-8")
    assert max(len(ln) for ln in written.splitlines()) <= 100
    assert "      en: |\n" in written and "      ru: |\n" in written
    # prompts from the table's row, rendered; the language not asked for is marked TODO
    assert "w4·x4" in d.title["en"] and "f(w, a) = w·a" in d.questions[1].hint["en"]
    assert d.questions[0].prompt["ru"].startswith("TODO (ru)")
    r = run("course", "validate", "--strict", cwd=folder)
    assert r.returncode == 1 and "TODO" in r.stderr
    # it refuses to overwrite, and the file is untouched
    before = (folder / "exercises" / "D.yml").read_bytes()
    r = run("course", "new-exercise", "D", cwd=folder)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert (folder / "exercises" / "D.yml").read_bytes() == before
    r = run("course", "new-exercise", "Q", "--lang", "en", cwd=folder)
    assert r.returncode == 2 and "not a node of the model" in r.stderr
    r = run(
        "course", "release", "--out", tmp_path / "key", "--lang", "en", "--solutions", cwd=folder
    )
    assert r.returncode == 0, r.stderr
    out = tmp_path / "grades.jsonl"
    r = run("grade", tmp_path / "key", "--json", out, "--lang", "en", cwd=folder)
    (report,) = [json.loads(line) for line in out.read_text().splitlines()]
    d_ids = {q.qid for q in d.questions}
    scored = [q for q in report["questions"] if q["id"] in d_ids]
    assert len(scored) == len(d_ids) and all(q["status"] == "passed" for q in scored), scored
    assert report["score"] == pytest.approx(report["max_score"])


def test_one_slip_of_one_quantity_given_two_credits_warns(tmp_path):
    """L.L_change_S's sign slip (the change for gold) worth 0.25 while L.dL_dS's (the
    derivative by gold) is worth 0.5: one slip, one quantity, two credits."""
    folder = copy_course(LESSON, tmp_path / "course")
    path = folder / "exercises" / "L.yml"
    text = path.read_text(encoding="utf-8")
    start = text.index("- answer: {change: {of: L, wrt: gold, by: 0.01}}")
    credit = text.index("credit: 0.5", start)
    path.write_text(text[:credit] + "credit: 0.25" + text[credit + len("credit: 0.5") :])
    line = text[:start].count("\n") + 1
    r = run("course", "validate", "--lang", "en", cwd=folder)
    assert r.returncode == 0, r.stderr
    assert any(
        w.startswith(f"exercises/L.yml:{line}: warning: the known mistake {{change: {{of: L, "
                     "wrt: gold, by: 0.01}} earns 0.25 here but 0.5 in L.dL_dS")
        for w in warnings_of(r)
    ), r.stderr  # fmt: skip
    # the twin: the lesson's own course gives the slip one credit, and says nothing
    clean = run("course", "validate", "--strict", "--lang", "en", cwd=LESSON)
    assert clean.returncode == 0 and "earns" not in clean.stderr, clean.stderr


@pytest.mark.parametrize("name", ["tanh", "four"])
def test_the_samples_follow_an_edited_model(tmp_path, name):
    """samples/make.py after S = tanh(G), and after D(x4, w4) joins G: the three samples
    are made (no AssertionError, nothing half-written), perfect scores full marks, each
    slip costs points, and broken scores least."""
    sys.path.insert(0, str(LESSON.parents[2] / "samples"))
    import make

    course_dir = {"tanh": TANH, "four": FOUR}[name]
    said: list[str] = []
    out = tmp_path / "samples"
    make.make(out=out, course_dir=course_dir, say=said.append)
    assert sorted(p.name for p in out.iterdir()) == ["broken", "mistakes", "perfect"]
    jsonl = tmp_path / "grades.jsonl"
    r = run("grade", out, "--json", jsonl, "--lang", "en", "--course", course_dir, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    scores = {}
    for line in jsonl.read_text().splitlines():
        o = json.loads(line)
        scores[o["student"]] = (o["score"], o["max_score"])
    assert scores["perfect"][0] == scores["perfect"][1] > 0
    assert scores["broken"][0] < scores["mistakes"][0] < scores["perfect"][0]
    assert not said  # every slip found its place in these models


def test_adding_a_node_is_one_command(tmp_path):
    """D(x4, w4) joins G: before, the course does not load (G lacks dG_dD, the quiz's node
    options lack D); `course new-exercise D --chain` adds those where they belong, says where,
    writes D.yml and the chain questions, and the course validates and grades its solutions
    at full marks, with no hand edit."""
    folder = copy_course(LESSON, tmp_path / "course")
    course_yml = folder / "course.yml"
    replace(course_yml, "inputs: [x1, x2, x3]", "inputs: [x1, x2, x3, x4]")
    replace(course_yml, "parameters: [w1, w2, w3]", "parameters: [w1, w2, w3, w4]")
    replace(course_yml, "  C(x3, w3): w3*x3\n", "  C(x3, w3): w3*x3\n  D(x4, w4): w4*x4\n")
    replace(course_yml, "G(A, B, C): A + B + C", "G(A, B, C, D): A + B + C + D")
    before = run("course", "validate", "--lang", "en", cwd=folder)
    assert before.returncode == 1 and "missing question 'dG_dD'" in before.stderr
    r = run("course", "new-exercise", "D", "--chain", cwd=folder)  # texts in both languages
    assert r.returncode == 0, r.stderr
    added = dict(
        m.groups()
        for m in map(
            re.compile(r"(exercises/\w+\.yml:\d+): добавлено (.*)").match, r.stdout.splitlines()
        )
        if m
    )
    assert set(added.values()) == {"dG_dD, dG_dD_formula", "functions_with_parameters: D"}
    for where in added:  # each says the line it put its addition at
        file, line = where.split(":")
        text = (folder / file).read_text(encoding="utf-8").splitlines()[int(line) - 1]
        assert text.strip() in ("- id: dG_dD", "- value: D"), (where, text)
    checked = run("course", "validate", "--lang", "en", cwd=folder)
    assert checked.returncode == 0, checked.stderr
    # G's prose, written for G(A, B, C), is named where it lists A, B and C without D
    stale = [w for w in warnings_of(checked) if "never names D" in w]
    assert any(w.startswith("exercises/G.yml:") and "A, B and C" in w for w in stale), stale
    release = tmp_path / "release"
    r = run("course", "release", "--out", release, "--solutions", "--lang", "en", cwd=folder)
    assert r.returncode == 0, r.stderr
    jsonl = tmp_path / "grades.jsonl"
    r = run("grade", release, "--json", jsonl, "--lang", "en", cwd=folder)
    assert r.returncode == 0, r.stderr
    report = json.loads(jsonl.read_text())
    assert report["score"] == report["max_score"] > 0
    assert {"G.dG_dD", "G.dG_dD_formula", "D.dD_dw4"} <= {q["id"] for q in report["questions"]}
