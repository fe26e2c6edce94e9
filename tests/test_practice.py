"""Practice on fresh variants (grader/practice.py, cli/serve/practice.py): a variant is the
grader's own machinery at a synthetic id, never the student's graded values; an answer is
judged by the grader's own kinds through the sandbox (the same verdict and diagnosis as
``grade`` gives a real stub); no response before the solution holds a variant's answer; a
hostile function gains nothing; each refusal with its twin.  Right answers come from the
reference (the kinds' solutions), never typed here."""

from __future__ import annotations

import json
import sqlite3
import subprocess
from pathlib import Path

import numpy as np
import pytest
from conftest import LESSON, command
from starlette.testclient import TestClient

from cli.serve.app import make_app
from cli.serve.practice import MAX_BODY, Limits, Practice, announcement, load_practice_roster
from cli.serve.store import Store
from grader.course.loader import load_course
from grader.course.solutions import at_student_values
from grader.intake.roster import RosterError
from grader.kinds import kind_of
from grader.kinds.precision import NEAR_MISS
from grader.practice import (
    MAX_CODE,
    MAX_TEXT,
    GraderFailure,
    Judge,
    Variant,
    fresh,
    module,
    practised,
    seed_of,
    solution_at,
)
from grader.sandbox import SandboxError
from grader.scoring.within import close
from publish.stubs import stubs
from reference.course.model import Tolerance

TOKEN = "teacher-secret-token"
TEACHER = {"authorization": f"Bearer {TOKEN}"}
ROOMY = Limits(variants=(100.0, 1000.0), answers=(100.0, 1000.0))
#: Hand-computed numbers whose answer changes with the values (long floats: searchable).
NUMBERS = ("chain.dL_dw1_at_my_values", "step.param_new_at_my_values", "S.S_change_G")


@pytest.fixture(scope="module")
def course():
    return load_course(LESSON / "course.yml")


@pytest.fixture(scope="module")
def judge(course):
    judge = Judge(course)
    yield judge
    judge.close()


def served(tmp_path, course, judge, **settings):
    """A TestClient over the live round's app with practice's routes, and the practice."""
    store = Store(tmp_path / "rounds.sqlite3")
    settings.setdefault("limits", ROOMY)
    practice = Practice(course, store, TOKEN, judge=judge, **settings)
    client = TestClient(make_app(course, store, TOKEN, "digest", pages=practice.routes()))
    return client, practice, store


@pytest.fixture
def client(tmp_path, course, judge):
    client, practice, store = served(tmp_path, course, judge)
    with client:
        yield client
    practice.store.close()
    store.close()


def new(client, student, qid):
    r = client.post(f"/api/practice/{student}/{qid}")
    assert r.status_code == 201, r.text
    return r.json()


def answer(client, student, qid, variant, value):
    return client.post(f"/api/practice/{student}/{qid}/{variant}/answer", json={"answer": value})


def right(course, student, qid, variant):
    return Variant(course.by_qid[qid], student, variant).solution("en")


# --- the variant ------------------------------------------------------------------------------


def test_a_variant_is_seeded_by_student_question_and_attempt_never_the_graded_values(course):
    for q in practised(course):
        if not kind_of(q).at_leaves:
            continue
        for student in ("ann", "bob"):
            graded = q.model.own_values(student)
            one = fresh(course, student, q.qid)
            assert one == fresh(course, student, q.qid)  # reproducible
            assert one.seed == seed_of(student, q.qid, one.number) != student
            assert one.values() != graded, (q.qid, student)
            two = fresh(course, student, q.qid, one.number)
            assert two.number > one.number and two.values() != graded
            assert two.values() != one.values()
            mine, theirs = one.solution("en"), at_student_values(q, student)
            if isinstance(mine, float) and mine != two.solution("en"):  # it depends on values
                wider = Tolerance(q.tolerance.rel * NEAR_MISS, q.tolerance.abs * NEAR_MISS)
                assert not close(mine, theirs, wider) and not close(two.solution("en"), mine, wider)
    # the twin: the student's own id gives the graded values themselves
    q = course.by_qid[NUMBERS[0]]
    assert q.model.own_values(seed_of("ann", q.qid, 1)) != q.model.own_values("ann")
    assert solution_at(q, "en", "ann") == at_student_values(q, "ann")


def test_an_answer_becomes_a_literal_module_never_evaluated_here(course):
    q = course.by_qid["S.dS_dG_formula"]
    hostile = "__import__('os').system('touch /tmp/x')"
    assert module(q, hostile) == {"S": f"{q.name} = {hostile!r}\n"}  # a string literal
    n = course.by_qid[NUMBERS[0]]
    assert module(n, "−0,25") == {"chain": f"{n.name} = -0.25\n"}
    for bad in ("1/3", "nan", "1e999", True, [1], {"a": 1}, None):
        with pytest.raises(Exception, match="number"):
            module(n, bad)
    m = course.by_qid["prep.functions_with_parameters"]
    assert module(m, ["B", "A", "A"]) == {"prep": f"{m.name} = {{'A', 'B'}}\n"}
    assert module(m, []) == {"prep": f"{m.name} = set()\n"}


# --- judging -------------------------------------------------------------------------------


def test_a_right_answer_passes_and_its_twins_fail(client, course):
    for qid in NUMBERS:
        q = course.by_qid[qid]
        first = new(client, "ann", qid)
        mine = right(course, "ann", qid, first["variant"])
        assert first["values"] == Variant(q, "ann", first["variant"]).values()
        ok = answer(client, "ann", qid, first["variant"], mine)
        assert ok.status_code == 200 and ok.json()["verdict"] == "right", ok.text
        assert ok.json()["status"] == "passed" and ok.json()["solved"]
        graded = at_student_values(q, "ann")  # the twin: the assignment's own answer
        r = answer(client, "ann", qid, first["variant"], graded)
        assert r.json()["verdict"] == "wrong" and r.json()["status"] == "failed", qid
        second = new(client, "ann", qid)
        assert second["variant"] > first["variant"]
        r = answer(client, "ann", qid, second["variant"], mine)  # the twin: another variant's
        assert r.json()["verdict"] == "wrong", qid
        typed = f"{right(course, 'ann', qid, second['variant']):.10g}".replace(".", ",")
        assert answer(client, "ann", qid, second["variant"], typed).json()["verdict"] == "right"
    for qid in ("S.dS_dG_formula", "prep.outputs", "prep.functions_with_parameters", "L.dL_dS"):
        v = new(client, "ann", qid)["variant"]
        assert answer(client, "ann", qid, v, right(course, "ann", qid, v)).json()["verdict"] == (
            "right"
        ), qid


def _wrong_answers(course, student):
    """(question, variant, a wrong answer) of three kinds, and the module line a stub gets."""
    variants = {qid: fresh(course, student, qid) for qid in (NUMBERS[0], "S.dS_dG_formula")}
    variants["L.backward"] = fresh(course, student, "L.backward")
    number = variants[NUMBERS[0]]
    code = "def backward(S, gold, dL_dL):\n    return {'S': 2 * (S - gold), 'gold': 2 * (gold - S)}"
    return [
        (number, -number.solution("en"), f"{number.question.name} = {-number.solution('en')!r}"),
        (variants["S.dS_dG_formula"], "S*(1+S)", "dS_dG_formula = 'S*(1+S)'"),
        (variants["L.backward"], "import math\n\n\n" + code + "\n", code),
    ]


def test_a_wrong_answer_gets_the_diagnosis_grade_gives_a_real_stub(client, course, tmp_path):
    """The same wrong answer at the same values: practice's feedback is grade's, word for word
    (a stub filled for the variant's id, the wrong answer put in, graded by ``grade``)."""
    cases = _wrong_answers(course, "ann")
    rows = ["submission,student"]
    for k, (variant, _, line) in enumerate(cases):
        folder = tmp_path / f"sub{k}"
        folder.mkdir()
        for name, text in stubs(course, "en", solution=True, student=variant.seed):
            if name == f"{variant.question.exercise}.py":
                text += f"\n\n{line}\n"
            (folder / name).write_text(text, encoding="utf-8")
        rows.append(f"sub{k},{variant.seed}")
        opened = new(client, "ann", variant.question.qid)
        assert opened["variant"] == variant.number
    (tmp_path / "roster.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "grades.jsonl"
    folders = [tmp_path / f"sub{k}" for k in range(len(cases))]
    done = subprocess.run(
        [
            *command("grade", *folders, "--roster", tmp_path / "roster.csv", "--json", out),
            *("--lang", "en", "--course", LESSON / "course.yml"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    reports = {r["student"]: r for r in map(json.loads, out.read_text().splitlines())}
    for variant, wrong, _ in cases:
        q = variant.question
        graded = next(x for x in reports[variant.seed]["questions"] if x["id"] == q.qid)
        said = answer(client, "ann", q.qid, variant.number, wrong).json()
        assert said["status"] == graded["status"] != "passed", q.qid
        assert said["score"] == graded["score"]
        assert " ".join(said["feedback"]["en"].split()) == graded["feedback"], q.qid
        assert graded["feedback"]  # a diagnosis, not only "not right"


def test_no_response_before_the_solution_holds_the_answer(client, course):
    bodies: list[str] = []

    def seen(r):
        bodies.append(r.text)
        return r

    for qid in (*NUMBERS[:2], "S.dS_dG_formula"):
        v = seen(client.post(f"/api/practice/ann/{qid}")).json()["variant"]
        solution = right(course, "ann", qid, v)
        shown = [repr(solution), f"{solution:g}"] if isinstance(solution, float) else [solution]
        wrong = -1.5 * solution if isinstance(solution, float) else "S*(1-S)*2"
        seen(answer(client, "ann", qid, v, wrong))
        seen(answer(client, "ann", qid, v, "not a number"))
        seen(answer(client, "ann", qid, v, solution))  # right: said so, never shown back
        for path in ("/api/practice", "/api/practice/ann", "/practice", "/practice?lang=ru"):
            seen(client.get(path))
        seen(client.get("/api/teacher/practice", headers=TEACHER))
        assert not [s for s in shown for body in bodies if s in body], qid
        said = client.post(f"/api/practice/ann/{qid}/{v}/solution")
        assert said.status_code == 200 and said.json()["answer"] == solution  # the twin
        assert any(s in said.text for s in shown)


def test_code_practice_runs_in_the_sandbox_and_a_hostile_function_gains_nothing(
    client, course, tmp_path
):
    qid = "A.dA_dw1"
    canary = tmp_path / "pwned"
    head = "import os, sys, time\n\n\ndef dA_dw1(x1, w1):\n"
    hostile = [
        f"    open({str(canary)!r}, 'w').write('x')\n    return x1\n",  # the host is not there
        "    while True:\n        pass\n",
        "    os.kill(os.getppid(), 9)\n    return x1\n",
        "    os.kill(1, 9)\n    os._exit(0)\n",
        f"    return len(open({str(LESSON / 'course.yml')!r}).read())\n",
        "    import socket\n    socket.create_connection(('127.0.0.1', 80))\n    return x1\n",
    ]
    for body in hostile:
        v = new(client, "ann", qid)["variant"]
        r = answer(client, "ann", qid, v, head + body)
        assert r.status_code == 200, r.text
        assert r.json()["verdict"] == "wrong", body
        assert r.json()["status"] in ("error", "timeout") and r.json()["feedback"]["en"], body
    assert not canary.exists()
    assert not (Path.cwd() / "pwned").exists()
    v = new(client, "ann", qid)["variant"]  # the twin: the server is up, the right code passes
    ok = answer(client, "ann", qid, v, right(course, "ann", qid, v))
    assert ok.json()["verdict"] == "right"
    assert client.get("/api/practice").status_code == 200


def test_a_grader_failure_is_never_the_students_zero(client, course, tmp_path, judge):
    class Broken:
        def run(self, *args, **kwargs):
            raise SandboxError("the fork server is gone")

        def close(self):
            pass

    broken = Judge(course, sandbox=Broken)  # type: ignore[arg-type]
    (tmp_path / "b").mkdir()
    bad, practice, store = served(tmp_path / "b", course, broken)
    with bad:
        qid = NUMBERS[0]
        v = new(bad, "ann", qid)["variant"]
        r = answer(bad, "ann", qid, v, right(course, "ann", qid, v))
        assert r.status_code == 503 and r.json()["verdict"] == "unavailable"
        assert r.json()["error"] and "not your mistake" in r.json()["feedback"]["en"]
        assert bad.get("/api/practice/ann").json()["questions"][qid]["answers"] == 0
    practice.store.close()
    store.close()
    with pytest.raises(GraderFailure):
        broken.judge(Variant(course.by_qid[qid], "ann", 1), 0.5)
    v = new(client, "ann", qid)["variant"]  # the twin: a working sandbox judges it
    assert answer(client, "ann", qid, v, right(course, "ann", qid, v)).status_code == 200


# --- progress and the teacher's summary -----------------------------------------------------


def test_progress_and_the_teachers_summary(client, course):
    qid = NUMBERS[0]
    v = new(client, "ann", qid)["variant"]
    solution = right(course, "ann", qid, v)
    answer(client, "ann", qid, v, -solution)
    answer(client, "ann", qid, v, solution)
    w = new(client, "bob", qid)["variant"]
    answer(client, "bob", qid, w, -right(course, "bob", qid, w))
    mine = client.get("/api/practice/ann").json()["questions"][qid]
    assert mine["answers"] == 2 and mine["variants"] == 1
    assert mine["first_success"]["answers"] == 2
    assert client.get("/api/practice/bob").json()["questions"][qid]["first_success"] is None
    summary = client.get("/api/teacher/practice?lang=en", headers=TEACHER).json()
    assert summary["students"] == 2
    (row,) = summary["questions"]
    assert row["question"] == qid and row["students"] == 2 and row["succeeded"] == 1
    assert row["success_rate"] == 0.5 and row["answers"] == 3
    (sign,) = row["diagnoses"]
    assert sign["count"] == 2 and "sign" in sign["text"]


# --- refusals, each with its twin -------------------------------------------------------------


def test_refusals_and_their_twins(client, course):
    assert client.post("/api/practice/ann/no.such").status_code == 404
    assert client.post("/api/practice/ann/prep.meaning_free_text").status_code == 404  # teacher's
    assert client.post("/api/practice/ann/A.dA_dw1").status_code == 201
    assert client.post("/api/practice/a%01b/A.dA_dw1").status_code == 400
    assert client.post(f"/api/practice/{'x' * 65}/A.dA_dw1").status_code == 400
    assert client.post(f"/api/practice/{'x' * 64}/A.dA_dw1").status_code == 201
    qid = "S.dS_dG_formula"
    v = new(client, "ann", qid)["variant"]
    assert answer(client, "ann", qid, v, "x" * (MAX_TEXT + 1)).status_code == 422
    assert answer(client, "ann", qid, v + 1, "S").status_code == 404  # never opened
    assert client.post(f"/api/practice/ann/{qid}/{v + 1}/solution").status_code == 404
    assert client.post(f"/api/practice/ann/{qid}/x/solution").status_code == 404
    r = client.post(f"/api/practice/ann/{qid}/{v}/answer", content=b"{" + b" " * MAX_BODY)
    assert r.status_code == 413
    assert client.post(f"/api/practice/ann/{qid}/{v}/answer", content=b"[1]").status_code == 400
    formula = right(course, "ann", qid, v)  # the reference's, the same for every variant
    assert answer(client, "ann", qid, v, formula).json()["verdict"] == "right"  # the twin
    code = new(client, "ann", "A.dA_dw1")["variant"]
    assert answer(client, "ann", "A.dA_dw1", code, "#" * (MAX_CODE + 1)).status_code == 422
    n = new(client, "ann", NUMBERS[0])["variant"]
    for bad in ("abc", [1.0], None, float("inf")):
        r = client.post(
            f"/api/practice/ann/{NUMBERS[0]}/{n}/answer",
            content=json.dumps({"answer": bad}),
            headers={"content-type": "application/json"},
        )
        assert r.status_code in (400, 422) and r.json()["error"], bad
    said = client.post(f"/api/practice/ann/{qid}/{v}/solution")
    assert said.status_code == 200 and said.json()["closed"]
    r = answer(client, "ann", qid, v, formula)
    assert r.status_code == 409 and r.json()["error"]  # closed
    again = new(client, "ann", qid)["variant"]
    assert answer(client, "ann", qid, again, formula).status_code == 200  # the twin


def test_the_teachers_summary_needs_the_token(client):
    assert client.get("/api/teacher/practice").status_code == 401
    bad = {"authorization": "Bearer guess"}
    assert client.get("/api/teacher/practice", headers=bad).status_code == 401
    assert client.get("/api/teacher/practice", headers=TEACHER).status_code == 200  # twin


def test_answers_are_rate_limited_per_student(tmp_path, course, judge):
    tight = Limits(variants=(0.001, 3.0), answers=(0.001, 2.0), guesses=(0.001, 2.0))
    client, practice, store = served(tmp_path, course, judge, limits=tight)
    qid = "S.dS_dG_formula"
    with client:
        v = new(client, "ann", qid)["variant"]
        codes = [answer(client, "ann", qid, v, "S").status_code for _ in range(3)]
        assert codes == [200, 200, 429]
        w = new(client, "bob", qid)["variant"]  # the twin: another student is not held back
        assert answer(client, "bob", qid, w, "S").status_code == 200
        assert [client.post(f"/api/practice/ann/{qid}").status_code for _ in range(3)] == [
            201,
            201,
            429,
        ]
        bad = {"authorization": "Bearer guess"}
        assert [client.get("/api/teacher/practice", headers=bad).status_code for _ in range(3)] == [
            401,
            401,
            429,
        ]
    practice.store.close()
    store.close()


def test_a_roster_lets_in_only_its_students(tmp_path, course, judge):
    roster = tmp_path / "roster.csv"
    roster.write_text("student,name\nann,Ann\n", encoding="utf-8")
    assert load_practice_roster(roster) == {"ann"}
    roster.write_text("submission,student\nsub-1,ann\nsub-2,bob\n", encoding="utf-8")
    assert load_practice_roster(roster) == {"ann", "bob"}  # grade's own roster
    roster.write_text("name,id\nann,1\n", encoding="utf-8")
    with pytest.raises(RosterError):
        load_practice_roster(roster)
    client, practice, store = served(tmp_path, course, judge, roster={"ann"})
    with client:
        r = client.post("/api/practice/bob/A.dA_dw1")
        assert r.status_code == 403 and "bob" in r.json()["error"]
        assert client.post("/api/practice/ann/A.dA_dw1").status_code == 201  # the twin
    practice.store.close()
    store.close()


# --- the store and the pages ------------------------------------------------------------------


def test_practice_shares_the_rounds_file_in_wal_with_tables_of_its_own(client, tmp_path):
    r = client.post("/api/rounds", headers=TEACHER, json={"open": True})
    assert r.status_code == 201  # the live round's tables still work beside practice's
    new(client, "ann", "A.dA_dw1")
    db = sqlite3.connect(tmp_path / "rounds.sqlite3")
    try:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
        assert {"rounds", "practice_variants", "practice_answers"} <= tables
        assert db.execute("SELECT COUNT(*) FROM practice_variants").fetchone()[0] == 1
    finally:
        db.close()


def test_the_pages_are_served_with_a_strict_policy_and_their_own_script(client):
    for path in ("/practice", "/teacher/practice", "/practice?lang=ru"):
        r = client.get(path)
        assert r.status_code == 200 and "default-src 'none'" in r.headers["content-security-policy"]
        assert '<script src="/practice/static/practice.js">' in r.text
    assert "Тренировка" in client.get("/practice?lang=ru").text
    assert "Practice" in client.get("/practice?lang=en").text  # the twin
    script = client.get("/practice/static/practice.js")
    assert script.status_code == 200
    assert script.headers["content-type"].startswith("text/javascript")
    assert "innerHTML" not in script.text and "insertAdjacentHTML" not in script.text
    assert client.get("/practice/static/practice.css").status_code == 200
    assert client.get("/practice/static/app.py").status_code == 404
    students, teacher = announcement("http://10.0.0.2:8000", "http://127.0.0.1:8000", TOKEN, "en")
    assert students.endswith("http://10.0.0.2:8000/practice")
    assert teacher.endswith(f"http://127.0.0.1:8000/teacher/practice?token={TOKEN}")


def test_the_questions_listed_are_those_the_grader_scores(client, course):
    listed = [q["question"] for q in client.get("/api/practice").json()["questions"]]
    assert listed == [q.qid for q in course.questions if q.auto]
    assert "prep.meaning_free_text" not in listed
    assert np.isfinite([q["points"] for q in client.get("/api/practice").json()["questions"]]).all()
