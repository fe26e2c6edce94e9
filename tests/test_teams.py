"""The volunteers' round (``grade --teams``, ``course trace --team``) through the real CLI.

Each student's files are the reference's solution for that student (``publish.stubs``), with
one answer changed where a test needs a mistake; every expected number comes from the course
or the reference, never typed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import LESSON, command

from grader.course.loader import load_course
from grader.course.questions import Course
from publish.notebooks import dumps, notebook
from publish.stubs import stubs
from reference.course.answers import answer_key, parse_point
from reference.course.model import load_model

TEAM = {"ann": "A", "bob": "B", "cat": "C", "dan": "G", "eve": "S", "fay": "L"}
AT = "x1=1,x2=2,x3=3,w1=.1,w2=.2,w3=.3,gold=1"


@pytest.fixture(scope="module")
def course() -> Course:
    return load_course(LESSON / "course.yml")


def solution(tmp: Path, course: Course, student: str, edits=()) -> Path:
    """The reference's solution for ``student``, some answers replaced."""
    folder = tmp / student
    folder.mkdir()
    files = dict(stubs(course, "en", solution=True, student=student))
    for name, old, new in edits:
        assert files[name].count(old) == 1, (name, old)
        files[name] = files[name].replace(old, new)
    for name, text in files.items():
        (folder / name).write_text(text)
    return folder


def roster(tmp: Path, rows: list[tuple[str, str, str]]) -> Path:
    path = tmp / "teams.csv"
    path.write_text("team,student,node\n" + "".join(f"{a},{b},{c}\n" for a, b, c in rows))
    return path


def grade_teams(
    tmp: Path,
    course_dir: Path,
    teams: Path,
    folders: list[Path],
    wide: bool = False,
    csv: Path | None = None,
):
    """``grade --teams``; ``wide``: a terminal wide enough for the team table's numbers."""
    out = tmp / "grades.jsonl"
    more = ["--csv", csv] if csv else []
    env = {**os.environ, "COLUMNS": "250"} if wide else None
    r = subprocess.run(
        command(
            "grade",
            "--teams",
            teams,
            *folders,
            "--json",
            out,
            *more,
            "--lang",
            "en",
            "--course",
            course_dir,
        ),
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    teams_out = {o["team"]: o for o in lines if o.get("kind") == "team"}
    students = {o["student"]: o for o in lines if "submission" in o}
    return teams_out, students, r


def class_of(tmp: Path, course: Course, edits: dict[str, list] | None = None) -> list[Path]:
    return [solution(tmp, course, s, (edits or {}).get(s, ())) for s in TEAM]


def links(team: dict, node: str, direction: str) -> list[dict]:
    return [x for x in team["links"] if x["node"] == node and x["direction"] == direction]


def own_maximum(course: Course, owned: set[str]) -> float:
    return sum(q.points for q in course.questions if q.auto and q.exercise in owned)


def test_a_team_where_everything_is_right(tmp_path, course):
    folders = class_of(tmp_path, course)
    rows = [("red", s, n) for s, n in TEAM.items()] + [("red", "fay", "step")]
    teams, students, r = grade_teams(tmp_path, LESSON, roster(tmp_path, rows), folders)
    red = teams["red"]
    nodes = [n.name for n in course.model.nodes]
    assert red["members"] == {**{n: s for s, n in TEAM.items()}, "step": "fay"}
    assert red["gradient_correct"] is True and red["first_broken"] is None
    assert red["max_score"] == 2 * len(nodes) and red["score"] == red["max_score"]
    assert {x["status"] for x in red["links"]} == {"right"}
    # the chain's order: forward through the nodes, then backward from the loss
    order = [(x["direction"], x["node"]) for x in red["links"]]
    assert order == [("forward", n) for n in nodes] + [("backward", n) for n in nodes[::-1]]
    assert links(red, "L", "backward")[0]["received"]["dL_dL"] == 1.0
    for student, node in TEAM.items():
        line = students[student]
        owned = {node, "step"} if student == "fay" else {node}
        assert line["team"] == "red"
        assert {q["id"].split(".")[0] for q in line["questions"]} == owned
        assert line["max_score"] == pytest.approx(own_maximum(course, owned))
        assert line["score"] == line["max_score"]
        assert [x["score"] for x in line["team_links"]] == [1.0, 1.0]
    assert "team red: 12 / 12" in r.stdout and "→ A" in r.stdout and "← S" in r.stdout
    # run again on the same --json: students resumed, the team's line replaced, not doubled
    again, resumed, r = grade_teams(tmp_path, LESSON, roster(tmp_path, rows), folders)
    assert "unchanged" in r.stderr and again == teams
    assert resumed["eve"]["team_links"] == students["eve"]["team_links"]
    lines = (tmp_path / "grades.jsonl").read_text().splitlines()
    assert sum('"kind": "team"' in line for line in lines) == 1


def test_s_forgets_the_upstream_factor_and_nobody_else_pays_for_it(tmp_path, course):
    forgot = [("S.py", '{"G": dL_dS*', '{"G": ')]
    folders = class_of(tmp_path, course, {"eve": forgot})
    rows = [("red", s, n) for s, n in TEAM.items()]
    teams, students, r = grade_teams(tmp_path, LESSON, roster(tmp_path, rows), folders)
    red = teams["red"]
    assert red["first_broken"] == "S" and red["first_broken_direction"] == "backward"
    assert red["gradient_correct"] is False
    (s_back,) = links(red, "S", "backward")
    assert s_back["status"] == "wrong" and s_back["score"] == 0
    assert "upstream factor dL_dS" in s_back["feedback"]
    for student in ("ann", "bob", "cat", "dan"):  # fed a wrong dL/dG, right for what they got
        mine = students[student]["team_links"]
        assert all(x["score"] == x["max_score"] == 1 for x in mine), mine
        (back,) = [x for x in mine if x["direction"] == "backward"]
        assert back["status"] == "carried" and not back["reference_ok"]
        assert students[student]["score"] == students[student]["max_score"]
    assert red["score"] == red["max_score"] - 1
    assert "first broken link: S (backward)" in r.stdout


def test_a_link_whose_code_gave_nothing_never_reads_as_a_correct_gradient(tmp_path, course):
    """The reference's number stands in for eve's S.backward (it raises), so the numbers come
    out right, but the team did not make them: the gradient is not "correct"."""
    raises = [("S.py", '{"G": dL_dS*', '1 / 0 or {"G": dL_dS*')]
    folders = class_of(tmp_path, course, {"eve": raises})
    rows = [("red", s, n) for s, n in TEAM.items()]
    teams, _, _ = grade_teams(tmp_path, LESSON, roster(tmp_path, rows), folders)
    red = teams["red"]
    assert red["first_broken"] == "S" and links(red, "S", "backward")[0]["status"] == "error"
    for p, pair in red["gradient"].items():  # the reference stood in: the same numbers
        assert pair["team"] == pytest.approx(pair["reference"]), p
    assert red["gradient_correct"] is False and red["step_correct"] is False


def test_a_wrong_forward_breaks_its_link_and_the_next_is_judged_on_what_it_got(tmp_path, course):
    folders = class_of(
        tmp_path, course, {"ann": [("A.py", "    return w1*x1\n", "    return w1+x1\n")]}
    )
    rows = [("red", s, n) for s, n in TEAM.items()]
    teams, students, _ = grade_teams(tmp_path, LESSON, roster(tmp_path, rows), folders)
    red = teams["red"]
    assert red["first_broken"] == "A" and red["first_broken_direction"] == "forward"
    (g_forward,) = links(red, "G", "forward")
    assert g_forward["status"] == "carried" and g_forward["score"] == 1
    assert students["dan"]["team_links"][0]["status"] == "carried"


def notebook_only(tmp: Path, course: Course, student: str, edit=("", "")) -> Path:
    """``student``'s release with the .py stubs left blank and the notebooks solved (one
    text replaced in them)."""
    folder = tmp / student
    (folder / "notebooks").mkdir(parents=True)
    for name, text in stubs(course, "en"):
        (folder / name).write_text(text)
    for exercise in course.exercises:
        text = dumps(notebook(exercise, "en", solution=True, student=student))
        (folder / "notebooks" / f"{exercise.id}.ipynb").write_text(text.replace(*edit))
    return folder


@pytest.mark.parametrize("broken", [False, True])
def test_a_member_who_worked_in_notebooks_runs_the_notebooks_in_the_chain(tmp_path, course, broken):
    """The chain runs what each member's grade was given from; the twin breaks C there."""
    folders = [f for f in class_of(tmp_path, course) if f.name != "cat"]
    edit = ('"    return w3*x3"', '"    return w3+x3"') if broken else ("", "")
    folders.append(notebook_only(tmp_path, course, "cat", edit))
    rows = [("red", s, n) for s, n in TEAM.items()]
    teams, students, _ = grade_teams(tmp_path, LESSON, roster(tmp_path, rows), folders)
    red = teams["red"]
    assert students["cat"]["routes"]["C"] == "notebooks/C.ipynb"
    if broken:
        assert red["first_broken"] == "C" and red["gradient_correct"] is False
        assert students["cat"]["score"] < students["cat"]["max_score"]
    else:
        assert students["cat"]["score"] == students["cat"]["max_score"]
        assert red["first_broken"] is None and red["gradient_correct"] is True
        assert red["score"] == red["max_score"] == 2 * len(course.model.nodes)


def test_a_node_nobody_owns_falls_back_to_the_reference_and_is_marked(tmp_path, course):
    folders = class_of(tmp_path, course)
    rows = [("red", s, n) for s, n in TEAM.items() if n != "S"]
    teams, _, r = grade_teams(
        tmp_path, LESSON, roster(tmp_path, rows), [f for f in folders if f.name != "eve"]
    )
    red = teams["red"]
    assert "S" not in red["members"] and red["fallback"] == ["S"]
    stand_ins = [x for x in red["links"] if x["node"] == "S"]
    assert [x["status"] for x in stand_ins] == ["reference", "reference"]
    assert all(x["fallback"] and x["student"] is None for x in stand_ins)
    assert red["gradient_correct"] is True and red["first_broken"] is None
    assert red["max_score"] == 2 * (len(course.model.nodes) - 1) == red["score"]
    assert "(reference)" in r.stdout


@pytest.mark.parametrize(
    "row, says",
    [(("red", "ann", "Q"), "unknown node «Q»"), (("red", "zed", "A"), "unknown student «zed»")],
)
def test_a_roster_naming_an_unknown_node_or_student_is_an_error_at_its_line(
    tmp_path, course, row, says
):
    folder = solution(tmp_path, course, "ann")
    teams = roster(tmp_path, [("red", "ann", "A"), row])
    out = tmp_path / "grades.jsonl"
    r = subprocess.run(
        command(
            "grade", "--teams", teams, folder, "--json", out, "--lang", "en", "--course", LESSON
        ),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 2
    assert f"{teams}:3: {says}" in r.stderr and "Traceback" not in r.stderr
    assert not out.exists() or out.read_text() == ""  # nothing graded
    if "node" in says:
        r = subprocess.run(
            command("course", "trace", "--at", AT, "--team", teams, "--course", LESSON),
            capture_output=True,
            text=True,
        )
        assert r.returncode == 2 and f"{teams}:3:" in r.stderr


def test_trace_team_prints_what_each_volunteer_receives_and_hands_on(tmp_path, course):
    teams = roster(tmp_path, [("red", s, n) for s, n in TEAM.items()])
    r = subprocess.run(
        command("course", "trace", "--at", AT, "--team", teams, "--json", "--course", LESSON),
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stderr
    board = json.loads(r.stdout)
    key = answer_key(course.model, parse_point(AT, course.model))
    first, last = board["volunteers"][0], board["volunteers"][-1]
    assert (first["direction"], first["node"], first["owners"]) == (
        "forward",
        "A",
        {"red": ["ann"]},
    )
    assert first["hands_on"] == {"A": key["values"]["A"]}
    assert (last["direction"], last["node"]) == ("backward", "A")
    assert last["receives"]["dL_dA"] == pytest.approx(key["grad"]["A"])
    assert last["hands_on"]["dL_dw1"] == pytest.approx(key["grad"]["w1"])
    assert board["update"] == pytest.approx(key["update"])
    text = subprocess.run(
        command("course", "trace", "--at", AT, "--team", teams, "--lang", "en", "--course", LESSON),
        capture_output=True,
        text=True,
    ).stdout
    assert "eve" in text and "hands on" in text and "← S (backward)" in text


def node_exercise(node: str, args: tuple[str, ...]) -> str:
    """A minimal exercise for ``node``: the stub contract's questions, one point each."""
    questions = [("forward", "function", "value"), ("backward", "function", "backward")]
    for a in args:
        questions += [
            (f"d{node}_d{a}", "function", f"{{local: {a}}}"),
            (f"d{node}_d{a}_formula", "formula", f"{{local: {a}}}"),
        ]
    body = "".join(
        f"  - id: {qid}\n    kind: {kind}\n    answer: {answer}\n    points: 1\n"
        f'    prompt: {{ru: "{qid} ({node}).", en: "{qid} of {node}."}}\n'
        for qid, kind, answer in questions
    )
    return f'node: {node}\ntitle: {{ru: "Узел {node}", en: "Node {node}"}}\nquestions:\n{body}'


def test_any_model_tanh_and_an_added_node(tmp_path):
    """S = tanh(G) and a node D between S and the loss: owners are the model's nodes."""
    folder = tmp_path / "course"
    (folder / "exercises").mkdir(parents=True)
    text = (LESSON / "course.yml").read_text()
    text = text.replace("S(G): sigmoid(G)", "S(G): tanh(G)\n  D(S): 3*S")
    text = text.replace("L(S, gold): (gold - S)**2", "L(D, gold): (gold - D)**2")
    start = text.index("\nexercises:")
    end = text.index("\n", text.index("step: 1", start))
    nodes = ["A", "B", "C", "G", "S", "D", "L"]
    text = text[:start] + "\nexercises:\n" + "".join(f"  {n}: 1\n" for n in nodes) + text[end:]
    (folder / "course.yml").write_text(text)
    for node in load_model(folder / "course.yml").nodes:
        (folder / "exercises" / f"{node.name}.yml").write_text(node_exercise(node.name, node.args))
    changed = load_course(folder / "course.yml")
    owners = {"pat": ["A", "B", "C", "G"], "quin": ["S", "D", "L"]}
    folders = [solution(tmp_path, changed, s) for s in owners]
    rows = [("blue", s, n) for s, ns in owners.items() for n in ns]
    teams, students, _ = grade_teams(tmp_path, folder, roster(tmp_path, rows), folders)
    blue = teams["blue"]
    assert blue["members"]["D"] == "quin" and blue["gradient_correct"] is True
    assert blue["score"] == blue["max_score"] == 2 * len(nodes)
    assert students["quin"]["max_score"] == own_maximum(changed, set(owners["quin"]))


def test_students_sharing_a_node_are_judged_each_and_the_first_hands_on(tmp_path, course):
    forgot = [("S.py", '{"G": dL_dS*', '{"G": ')]
    folders = [*class_of(tmp_path, course), solution(tmp_path, course, "gus", forgot)]
    rows = [*(("red", s, n) for s, n in TEAM.items()), ("red", "gus", "S")]
    teams, students, _ = grade_teams(tmp_path, LESSON, roster(tmp_path, rows), folders)
    red = teams["red"]
    assert red["members"]["S"] == ["eve", "gus"]
    eve, gus = links(red, "S", "backward")
    assert (eve["student"], eve["status"], eve["hands_on"]) == ("eve", "right", True)
    assert (gus["student"], gus["status"], gus["hands_on"]) == ("gus", "wrong", False)
    assert red["gradient_correct"] is True and red["first_broken"] is None
    assert red["score"] == red["max_score"] - 1
    assert [x["score"] for x in students["gus"]["team_links"]] == [1.0, 0.0]


def row_of(table: str, link: str, student: str) -> str:
    (row,) = [ln for ln in table.splitlines() if f"│ {link} " in ln and f"│ {student} " in ln]
    return row


def test_the_terminal_hides_a_co_owners_right_value_next_to_a_wrong_link(tmp_path, course):
    """As the HTML does (cli/html/team_values): eve's right dL/dG is the answer gus missed, so
    the team table shows it nowhere, not as what eve handed on, not as what G received."""
    forgot = [("S.py", '{"G": dL_dS*', '{"G": ')]
    folders = [*class_of(tmp_path, course), solution(tmp_path, course, "gus", forgot)]
    rows = [*(("red", s, n) for s, n in TEAM.items()), ("red", "gus", "S")]
    teams, _, r = grade_teams(tmp_path, LESSON, roster(tmp_path, rows), folders, wide=True)
    eve, gus = links(teams["red"], "S", "backward")
    right = f"dL_dG={format(eve['handed']['dL_dG'], '.6g')}"
    assert right not in r.stdout, r.stdout
    assert "│ (hidden)" in row_of(r.stdout, "← S", "eve")  # what eve handed on
    assert "dL_dG=(hidden)" in row_of(r.stdout, "← G", "dan")  # what G's owner received
    wrong = f"dL_dG={format(gus['handed']['dL_dG'], '.6g')}"
    assert wrong in row_of(r.stdout, "← S", "gus")  # gus's own wrong number shows
    # the twin: without gus nothing is broken, and eve's value is shown
    alone = tmp_path / "alone"
    alone.mkdir()
    teams, _, r = grade_teams(
        alone, LESSON, roster(alone, [("red", s, n) for s, n in TEAM.items()]), folders[:-1], True
    )
    assert right in row_of(r.stdout, "← S", "eve") and "(hidden)" not in r.stdout


def test_the_team_gradebook_marks_questions_a_volunteer_does_not_own(tmp_path, course):
    folders = class_of(tmp_path, course)
    rows = [("red", s, n) for s, n in TEAM.items()]
    gradebook = tmp_path / "grades.csv"
    grade_teams(tmp_path, LESSON, roster(tmp_path, rows), folders, csv=gradebook)
    import csv

    table = {row["student"]: row for row in csv.DictReader(gradebook.open(encoding="utf-8"))}
    for student, node in TEAM.items():
        row = table[student]
        for q in course.questions:
            if not q.auto:
                continue
            if q.exercise == node:
                assert float(row[q.qid]) == q.points, (student, q.qid)  # theirs: a score
            else:
                assert row[q.qid] == "—", (student, q.qid)  # not theirs: not a 0
    # the twin: without --teams every question is everyone's, and scored
    plain = tmp_path / "plain.csv"
    r = subprocess.run(
        command("grade", folders[0], "--csv", plain, "--course", LESSON, "--lang", "en"),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert r.returncode == 0, r.stderr
    (row,) = csv.DictReader(plain.open(encoding="utf-8"))
    assert "—" not in row.values()


def test_teams_play_in_parallel_workers_exactly_as_in_one_process(tmp_path, course):
    """Three teams (one with a wrong forward), their rounds in two grading workers and in
    one process: every team line and every member's line the same."""
    made = tmp_path / "made"
    made.mkdir()
    rows, folders = [], []
    for team in ("t1", "t2", "t3"):
        for student, node in TEAM.items():
            name = f"{team}_{student}"
            wrong = (team, node) == ("t2", "A")
            edits = [("A.py", "    return w1*x1\n", "    return w1+x1\n")] if wrong else []
            folders.append(solution(made, course, name, edits))
            rows.append((team, name, node))
    teams = roster(tmp_path, rows)
    out = {}
    for workers in ("1", "2"):
        run = tmp_path / workers
        run.mkdir()
        r = subprocess.run(
            command("grade", "--teams", teams, *folders, "--json", run / "g.jsonl",
                    "--workers", workers, "--lang", "en", "--course", LESSON),
            capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert r.returncode == 0, r.stderr
        lines = [json.loads(line) for line in (run / "g.jsonl").read_text().splitlines()]
        for o in lines:  # how long its code ran is the one thing two runs may differ by
            o.pop("sandbox_seconds", None)
        out[workers] = {o.get("team") or o["student"]: o for o in lines}
    assert out["1"] == out["2"]
    assert out["1"]["t2"]["first_broken"] == "A" and out["1"]["t1"]["first_broken"] is None


def test_a_round_has_what_its_members_grading_left_of_their_time(tmp_path, course):
    """A volunteer whose code used up their time budget in grading gets no second budget in
    the team's round: their link times out at once, and the chain goes on without them; a
    teammate with time left answers as ever.  The time each submission used is in its line."""
    lesson = tmp_path / "course"
    shutil.copytree(LESSON, lesson, ignore=shutil.ignore_patterns("samples"))
    text = (lesson / "course.yml").read_text()
    (lesson / "course.yml").write_text(text.replace("time_budget: 60 ", "time_budget: 2 "))
    # slow where grading calls it (dS_dG), fast where the round does (S, its backward)
    slow = ("S.py", "def dS_dG(G):\n", "def dS_dG(G):\n    import time; time.sleep(0.5)\n")
    folders = [solution(tmp_path, course, s, [slow] if s == "eve" else []) for s in TEAM]
    rows = [("red", s, n) for s, n in TEAM.items()]
    teams, students, _ = grade_teams(tmp_path, lesson, roster(tmp_path, rows), folders)
    assert students["eve"]["sandbox_seconds"] >= 1.9 > students["ann"]["sandbox_seconds"]
    (s_forward,) = links(teams["red"], "S", "forward")
    assert s_forward["status"] == "timeout", s_forward
    (a_forward,) = links(teams["red"], "A", "forward")
    assert a_forward["status"] == "right"
