"""The exercises: the real course loads completely, and every broken-course case is reported
through the real ``course validate`` at its file and line."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import jsonschema
import numpy as np
import pytest
import yaml
from conftest import LESSON, command

from grader.course.loader import contract_questions, load_course
from reference.course.targets import Manual, evaluate, sample_args

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((ROOT / "grader" / "course" / "exercise.schema.json").read_text())


@pytest.fixture(scope="module")
def course():
    return load_course(LESSON / "course.yml")


def test_every_listed_exercise_is_loaded_in_order(course):
    listed = yaml.safe_load((LESSON / "course.yml").read_text())["exercises"]
    assert [e.id for e in course.exercises] == list(listed)
    for name in ("prep", "A", "B", "C", "G", "S", "L", "chain", "step"):
        assert name in listed


def test_yaml_files_follow_the_published_schema():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    for path in sorted((LESSON / "exercises").glob("*.yml")):
        jsonschema.validate(yaml.safe_load(path.read_text(encoding="utf-8")), SCHEMA)


def test_node_exercises_hold_the_stub_contract(course):
    for node in course.model.nodes:
        exercise = course.exercise(node.name)
        assert exercise.node == node.name
        by_id = {q.id: q for q in exercise.questions}
        for qid, (kind, target) in contract_questions(course.model, node.name).items():
            assert by_id[qid].kind == kind and by_id[qid].target == target
        assert by_id["forward"].name == node.name
        assert by_id["backward"].args == (*node.args, f"dL_d{node.name}")


def test_every_question_speaks_both_languages(course):
    for q in course.questions:
        assert q.prompt["ru"].strip() and q.prompt["en"].strip(), q.qid
        assert q.prompt["ru"] != q.prompt["en"], q.qid
        if q.hint:
            assert q.hint["ru"].strip() and q.hint["en"].strip(), q.qid
        for m in q.mistakes:
            assert m.feedback["ru"].strip() and m.feedback["en"].strip(), q.qid
        for o in q.options:
            assert o.text["ru"].strip() and o.text["en"].strip(), q.qid


def test_every_auto_graded_question_has_a_reference_answer(course):
    rng = np.random.default_rng(0)
    kinds = set()
    for q in course.questions:
        kinds.add(q.kind)
        if q.kind == "text":
            assert isinstance(q.target, Manual) and not q.auto
            continue
        if q.kind in ("function", "formula"):
            value = evaluate(q.target, q.model, sample_args(q.target, q.model, rng, 8))
            values = value.values() if isinstance(value, dict) else [value]
            assert all(np.isfinite(v).all() for v in values), q.qid
    assert kinds == {"function", "formula", "number", "choice", "multi", "mapping", "text"}


def test_no_correct_answer_is_typed_in_the_yaml(course):
    """A formula the reference gives for a question never appears as a YAML string value."""
    from reference.course.targets import formula

    texts = "\n".join(p.read_text(encoding="utf-8") for p in (LESSON / "exercises").glob("*.yml"))
    # A wrong answer to one question may be the right answer to its neighbour ("w1").
    mistakes = {m.formula for q in course.questions for m in q.mistakes}
    quoted = {s.replace(" ", "") for s in re.findall(r'"([^"\n]*)"', texts) if s not in mistakes}
    for q in course.questions:
        if q.kind == "formula":
            assert str(formula(q.target, q.model)).replace(" ", "") not in quoted, q.qid


def test_the_step_exercise_has_its_own_model(course):
    step = course.exercise("step")
    assert "param" in step.model.parameters
    assert step.model.learning_rate == course.model.learning_rate


# --- broken courses, through the real CLI ------------------------------------------------


def copy_course(tmp_path: Path) -> Path:
    shutil.copy(LESSON / "course.yml", tmp_path / "course.yml")
    shutil.copytree(LESSON / "exercises", tmp_path / "exercises")
    return tmp_path


def validate(folder: Path, lang: str = "en"):
    return subprocess.run(
        command("course", "validate", "--lang", lang),
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=60,
    )


def edit(path: Path, old: str, new: str, count: int = 1) -> str:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    text = text.replace(old, new, count)
    path.write_text(text, encoding="utf-8")
    return text


def line_of(text: str, needle: str, after: int = 0) -> int:
    for i, line in enumerate(text.splitlines()[after:], after + 1):
        if needle in line:
            return i
    raise AssertionError(needle)


CASES = [
    (
        "unknown key",
        "A.yml",
        "    prompt:",
        "    promt:",
        "unknown key 'promt' — did you mean 'prompt'?",
        "promt:",
    ),
    ("wrong type", "A.yml", "    points: 1", "    points: two", "expected number", "points: two"),
    (
        "duplicate id",
        "B.yml",
        "  - id: dB_dx2\n",
        "  - id: backward\n",
        "question id 'backward' is used twice",
        None,
    ),
    (
        "unknown node",
        "C.yml",
        "node: C",
        "node: Q",
        "node 'Q' is not a node of the model",
        "node: Q",
    ),
    (
        "unknown argument",
        "A.yml",
        "answer: {local: w1}",
        "answer: {local: w9}",
        "local: 'w9' is not an argument of A(x1, w1) — did you mean 'w1'?",
        "w9",
    ),
    (
        "missing translation",
        "S.yml",
        "    prompt:\n      ru:",
        "    prompt:\n      xx:",
        "the Russian text ('ru:') is missing",
        None,
    ),
    (
        "kind cannot ask that",
        "G.yml",
        "kind: formula",
        "kind: choice",
        "a choice question cannot ask for local",
        None,
    ),
]


@pytest.mark.parametrize("what, file, old, new, message, needle", CASES, ids=[c[0] for c in CASES])
def test_validate_reports_a_broken_exercise_at_its_line(
    tmp_path, what, file, old, new, message, needle
):
    folder = copy_course(tmp_path)
    text = edit(folder / "exercises" / file, old, new)
    r = validate(folder)
    assert r.returncode == 1, r.stdout
    assert "Traceback" not in r.stderr
    assert message in r.stderr, r.stderr
    assert re.search(rf"^exercises/{re.escape(file)}:\d+: ", r.stderr, re.M), r.stderr
    if needle:
        assert f"exercises/{file}:{line_of(text, needle)}: " in r.stderr, r.stderr


def test_a_listed_exercise_must_exist(tmp_path):
    folder = copy_course(tmp_path)
    (folder / "exercises" / "chain.yml").unlink()
    r = validate(folder)
    assert r.returncode == 1
    line = line_of((folder / "course.yml").read_text(), "  chain:")
    assert (
        f"course.yml:{line}: exercise 'chain' is listed but exercises/chain.yml does not exist"
    ) in r.stderr


def test_a_node_exercise_missing_a_contract_question(tmp_path):
    folder = copy_course(tmp_path)
    path = folder / "exercises" / "S.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["questions"] = [q for q in data["questions"] if q["id"] != "dS_dG_formula"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    r = validate(folder)
    assert r.returncode == 1
    assert (
        "missing question 'dS_dG_formula' (formula): the stub contract of node S needs it"
        in r.stderr
    )


def test_a_known_mistake_that_is_the_right_answer_is_caught(tmp_path):
    folder = copy_course(tmp_path)
    path = folder / "exercises" / "L.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    q = next(q for q in data["questions"] if q["id"] == "dL_dS_formula")
    q.setdefault("mistakes", []).append(
        {"formula": "2*S - 2*gold", "feedback": {"ru": "нет", "en": "no"}}
    )
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    r = validate(folder)  # a warning (an edit of course.yml may do it): --strict fails
    assert r.returncode == 0
    assert "the known mistake 2*S - 2*gold is now the right answer" in r.stderr
    q["mistakes"].append({"formula": "2*S -* gold", "feedback": {"ru": "нет", "en": "no"}})
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    r = validate(folder)
    assert r.returncode == 1
    assert "mistake formula:" in r.stderr


def test_every_problem_at_once_and_in_russian(tmp_path):
    folder = copy_course(tmp_path)
    edit(folder / "exercises" / "A.yml", "    points: 1", "    points: -1")
    edit(folder / "exercises" / "C.yml", "node: C", "node: Q")
    edit(folder / "course.yml", "S(G): sigmoid(G)", "S(G): sigmod(G)")
    r = validate(folder, "ru")
    assert r.returncode == 1
    assert "неизвестная функция" in r.stderr or "sigmod" in r.stderr
    r = validate(folder, "en")
    # course.yml is broken, so its exercises cannot be checked against it yet
    assert "course.yml:" in r.stderr and "sigmod" in r.stderr
    edit(folder / "course.yml", "S(G): sigmod(G)", "S(G): sigmoid(G)")
    r = validate(folder, "ru")
    assert "exercises/A.yml:" in r.stderr and "exercises/C.yml:" in r.stderr
    assert "'Q' — не узел модели" in r.stderr
