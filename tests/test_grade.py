"""``grade`` through the real console script, on the shipped samples and on crafted submissions.

Expected scores come from the course (points, weights, a known mistake's credit), never typed.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from conftest import LESSON, command

from grader.course.loader import load_course
from publish.stubs import stubs

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = LESSON / "samples"
sys.path.insert(0, str(ROOT / "samples"))
import make as make_samples  # noqa: E402


@pytest.fixture(scope="module")
def course():
    return load_course(LESSON / "course.yml")


def grade(*args, cwd=LESSON, timeout=120):
    return subprocess.run(
        command("grade", *args), cwd=cwd, capture_output=True, text=True, timeout=timeout
    )


def graded(tmp_path, *args, lang="en"):
    out = tmp_path / "grades.jsonl"
    out.unlink(missing_ok=True)
    r = grade(*args, "--json", out, "--lang", lang)
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr
    reports = [json.loads(line) for line in out.read_text().splitlines()]
    return {Path(o["submission"]).stem: o for o in reports}, r


def by_id(report):
    return {q["id"]: q for q in report["questions"]}


def auto(course):
    return [q for q in course.questions if q.auto]


def same_samples(course_dir: Path, samples: Path, out: Path, remedy: str) -> None:
    """``samples`` are what samples/make.py makes from ``course_dir`` (the live course's own
    samples are checked the same way in test_live_course.py)."""
    make_samples.make(out=out, course_dir=course_dir)
    for folder in ("perfect", "mistakes", "broken"):
        made = sorted(f.name for f in (out / folder).iterdir())
        assert made == sorted(f.name for f in (samples / folder).iterdir()), remedy
        for f in (samples / folder).iterdir():
            assert (out / folder / f.name).read_text() == f.read_text(), (
                f"{f} is stale: run {remedy}"
            )


def test_the_graded_samples_are_generated_from_the_fixture_course(tmp_path):
    same_samples(LESSON, SAMPLES, tmp_path, f"python3 samples/make.py {LESSON} {SAMPLES}")


def test_perfect_scores_full_marks_and_the_report_follows_the_contract(tmp_path, course):
    reports, _ = graded(tmp_path, SAMPLES / "perfect")
    report = reports["perfect"]
    total = sum(q.points for q in auto(course))
    assert report["score"] == report["max_score"] == pytest.approx(total)
    assert [q["id"] for q in report["questions"]] == [q.qid for q in course.questions]
    for q in report["questions"]:
        if not course.by_qid[q["id"]].auto:  # free text: its answer, no score
            assert set(q) == {"id", "status", "answer", "feedback"}
            assert q["status"] == "manual" and q["answer"], q
            continue
        # a number computed by hand also carries the number handed in (grade --similarity)
        number = course.by_qid[q["id"]].kind == "number"
        assert set(q) == {"id", "score", "max_score", "status", "feedback"} | (
            {"answer"} if number else set()
        )
        assert q["status"] == "passed", q
    assert report["submission"] == str(SAMPLES / "perfect")


def credit_of(course, qid, formula):
    q = next(q for q in course.questions if q.qid == qid)
    return q.points * next(m.credit for m in q.mistakes if m.formula == formula), q.points


def test_typical_mistakes_get_feedback_and_fair_partial_credit(tmp_path, course):
    reports, _ = graded(tmp_path, SAMPLES / "mistakes")
    qs = by_id(reports["mistakes"])
    assert qs["A.dA_dw1"]["status"] == "failed"
    assert "other argument" in qs["A.dA_dw1"]["feedback"]
    assert qs["S.dS_dG"]["status"] == "failed" and "itself" in qs["S.dS_dG"]["feedback"]
    partial, points = credit_of(course, "L.dL_dS_formula", "2*(gold - S)")
    assert 0 < partial < points
    assert qs["L.dL_dS_formula"] == {
        **qs["L.dL_dS_formula"],
        "status": "partial",
        "score": pytest.approx(partial),
    }
    assert qs["G.backward"]["status"] == "failed"
    assert "multiply it by dL_dG" in qs["G.backward"]["feedback"]
    arguments = next(q for q in course.questions if q.qid == "prep.arguments")
    share = 1 - 1 / len(arguments.options or course.model.nodes)
    assert qs["prep.arguments"]["score"] == pytest.approx(arguments.points * share)
    assert "S" in qs["prep.arguments"]["feedback"]
    outputs = qs["prep.outputs"]  # "S": "sum": S is fed the sum, it outputs a probability
    assert outputs["status"] == "partial" and "Not right for: S." in outputs["feedback"]
    wrong = {"A.dA_dw1", "S.dS_dG", "L.dL_dS_formula", "G.backward", "prep.arguments"}
    wrong.add("prep.outputs")
    for qid, q in qs.items():
        if qid not in wrong:
            assert q["status"] == ("passed" if course.by_qid[qid].auto else "manual"), q
    scores = [q["score"] for q in qs.values() if "score" in q]
    assert reports["mistakes"]["score"] == pytest.approx(sum(scores))


def test_broken_code_scores_zero_where_broken_and_grading_goes_on(tmp_path, course):
    t = time.perf_counter()
    reports, _ = graded(tmp_path, SAMPLES / "broken")
    assert time.perf_counter() - t < 30
    qs = by_id(reports["broken"])
    for qid, q in qs.items():
        if qid.startswith("A."):
            assert q["status"] == "error" and "SyntaxError" in q["feedback"]
            assert "A.py:" in q["feedback"]
        if qid.startswith("chain."):
            assert q["status"] == "missing" and "chain.py" in q["feedback"]
    assert qs["G.forward"]["status"] == "error" and "NameError" in qs["G.forward"]["feedback"]
    assert qs["S.forward"]["status"] == "timeout"
    assert qs["S.dS_dG"]["status"] == "passed"  # the endless loop costs only its question
    assert qs["L.dL_dS_formula"]["status"] == "error"
    assert "str" in qs["L.dL_dS_formula"]["feedback"]
    assert qs["B.forward"]["status"] == "passed"


def test_a_class_csv_and_a_resumed_run(tmp_path, course):
    klass = tmp_path / "class"
    shutil.copytree(SAMPLES, klass, ignore=shutil.ignore_patterns("*.py[co]", "make.py"))
    gradebook = tmp_path / "grades.csv"
    jsonl = tmp_path / "grades.jsonl"
    r = grade(klass, "--json", jsonl, "--csv", gradebook, "--lang", "en")
    assert r.returncode == 0, r.stderr
    lines = jsonl.read_text().splitlines()
    assert sorted(json.loads(x)["student"] for x in lines) == ["broken", "mistakes", "perfect"]
    rows = list(csv.DictReader(gradebook.open()))
    assert [row["student"] for row in rows] == ["broken", "mistakes", "perfect"]
    texts = [q.qid for q in course.questions if not q.auto]
    assert list(rows[0]) == [
        "student", "submission", *[q.qid for q in auto(course)], "total", "max_score", *texts
    ]  # fmt: skip
    perfect = next(row for row in rows if row["student"] == "perfect")
    assert float(perfect["total"]) == pytest.approx(sum(q.points for q in auto(course)))
    # resume: nothing changed, nothing graded again; a changed file is graded again
    (klass / "mistakes" / "A.py").write_text(
        (SAMPLES / "perfect" / "A.py").read_text().replace("'perfect'", "'x'")
    )
    r = grade(klass, "--json", jsonl, "--lang", "en")
    assert "2 unchanged submission(s) kept" in r.stderr
    reports = [json.loads(x) for x in jsonl.read_text().splitlines()]
    assert len(reports) == 3
    mistakes = next(o for o in reports if o["student"] == "mistakes")
    assert by_id(mistakes)["A.dA_dw1"]["status"] == "passed"


def test_a_zip_and_gradescope_results(tmp_path, course):
    archive = tmp_path / "perfect.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for f in (SAMPLES / "perfect").glob("*.py"):
            z.write(f, f"perfect/{f.name}")
    results = tmp_path / "results.json"
    r = grade(archive, "--gradescope", results, "--lang", "en")
    assert r.returncode == 0, r.stderr
    data = json.loads(results.read_text())
    assert data["score"] == pytest.approx(sum(q.points for q in auto(course)))
    assert len(data["tests"]) == len(auto(course))
    assert {t["status"] for t in data["tests"]} == {"passed"}
    assert {"name", "score", "max_score", "output", "visibility"} <= set(data["tests"][0])


def submission(tmp_path, student, edits):
    """The reference's solution for ``student`` with some answers replaced."""
    folder = tmp_path / student
    folder.mkdir()
    files = dict(stubs(load_course(LESSON / "course.yml"), "en", solution=True, student=student))
    for name, old, new in edits:
        assert files[name].count(old) == 1, (name, old)
        files[name] = files[name].replace(old, new)
    for name, text in files.items():
        (folder / name).write_text(text)
    return folder


def test_error_carried_forward_is_not_punished_twice(tmp_path):
    folder = submission(
        tmp_path,
        "ecf",
        [
            ("A.py", "    return x1\n", "    return w1\n"),  # dA/dw1 wrong
            ("A.py", '"w1": dL_dA*x1}', '"w1": dL_dA*w1}'),  # backward right for that wrong dA/dw1
            (
                "chain.py",
                "    return x1*(1 - 1/",
                "    return w1*(1 - 1/",
            ),  # chain right for it too
        ],
    )
    reports, _ = graded(tmp_path, folder)
    qs = by_id(reports["ecf"])
    assert qs["A.dA_dw1"]["status"] == "failed"
    assert qs["A.backward"]["status"] == "passed" and "own" in qs["A.backward"]["feedback"]
    assert qs["chain.dL_dw1"]["status"] == "passed" and "own" in qs["chain.dL_dw1"]["feedback"]


HOSTILE = [
    # a rigged object instead of a number
    (
        "A.py",
        "    return x1\n",
        "    class Yes(float):\n        def __eq__(self, o): return True\n"
        "        def __float__(self): return 0.0\n    return Yes(0.0)\n",
    ),
    # code in a formula string
    ("A.py", "dA_dx1_formula = 'w1'", "dA_dx1_formula = \"__import__('os').system('touch x')\""),
    ("A.py", "dA_dw1_formula = 'x1'", "dA_dw1_formula = '9**9**9**9'"),
    ("B.py", "dB_dx2_formula = 'w2'", "dB_dx2_formula = 'w2+' * 300000 + 'w2'"),
    # fake results on stdout and peeking at the caller
    (
        "B.py",
        "    return x2\n",
        '    import inspect\n    print(\'{"status": "ok", "value": 1}\')\n'
        "    return inspect.stack()[1].frame.f_locals.get('expected', 0.0)\n",
    ),
    # the course's own packages and files outside the sandbox
    ("C.py", "    return x3\n", "    import grader.course.loader\n    return x3\n"),
    ("C.py", "    return w3\n", "    return float(open('/etc/hostname').read() and 'x')\n"),
    ("G.py", "    return A + B + C\n", "    import os\n    os._exit(0)\n"),
]


def test_hostile_answers_earn_nothing_and_change_nothing(tmp_path):
    folder = submission(tmp_path, "hostile", HOSTILE)
    t = time.perf_counter()
    reports, _ = graded(tmp_path, folder)
    assert time.perf_counter() - t < 30
    qs = by_id(reports["hostile"])
    for qid in (
        "A.dA_dw1",
        "A.dA_dx1_formula",
        "A.dA_dw1_formula",
        "B.dB_dx2_formula",
        "B.dB_dw2",
        "C.dC_dx3",
        "C.dC_dw3",
        "G.forward",
    ):
        assert qs[qid]["score"] == 0, qs[qid]
    assert not (tmp_path / "x").exists() and not (LESSON / "x").exists()
    assert (
        "9**9**9**9" not in qs["A.dA_dw1_formula"]["feedback"]
        or "large" in qs["A.dA_dw1_formula"]["feedback"]
    )
    assert qs["B.forward"]["status"] == "passed"  # the rest of the file is graded


CUSTOM = """
import pytest


@pytest.mark.question("A.linear_in_x1", points=2)
def test_dA_dw1_grows_in_proportion_to_x1(student):
    one = student.call("A", "dA_dw1", 1.0, 0.5)
    two = student.call("A", "dA_dw1", 2.0, 0.5)
    assert two == pytest.approx(2 * one), "dA/dw1 should double when x1 doubles"
"""


def course_with_hidden(tmp_path: Path, name: str, test: str) -> Path:
    """A copy of the fixture course whose own hidden/ holds the teacher's test ``name``."""
    folder = tmp_path / "course"
    folder.mkdir()
    shutil.copy(LESSON / "course.yml", folder / "course.yml")
    shutil.copytree(LESSON / "exercises", folder / "exercises")
    (folder / "hidden").mkdir()
    (folder / "hidden" / name).write_text(test)
    return folder


def test_a_teachers_custom_hidden_test_scores_its_question(tmp_path, course):
    folder = course_with_hidden(tmp_path, "test_extra.py", CUSTOM)
    out = tmp_path / "g.jsonl"
    r = grade(
        SAMPLES / "perfect", SAMPLES / "mistakes", "--course", folder, "--json", out, "--lang", "en"
    )
    assert r.returncode == 0, r.stderr
    reports = {json.loads(x)["student"]: json.loads(x) for x in out.read_text().splitlines()}
    total = sum(q.points for q in auto(course)) + 2
    assert reports["perfect"]["max_score"] == pytest.approx(total)
    assert reports["perfect"]["score"] == pytest.approx(total)
    extra = by_id(reports["mistakes"])["A.linear_in_x1"]
    assert extra["status"] == "failed" and extra["max_score"] == 2
    assert "should double" in extra["feedback"]
    assert "def test_" not in extra["feedback"]  # the hidden test's source is not shown


COLLECTOR = """
import gc
import pytest


@pytest.mark.question("A.collector_on", points=1)
def test_collector_on(student):
    assert gc.isenabled(), "the garbage collector is off"
"""


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_class_is_graded_with_the_garbage_collector_on(tmp_path, workers):
    """grade runs with the cyclic collector off (a short start, cli.common.run), and turns it
    back on for a class, in the pool's workers and in this process alike: a class of
    thousands must not keep its cycles.  One student alone keeps it off (the twin)."""
    folder = course_with_hidden(tmp_path, "test_collector.py", COLLECTOR)
    out = tmp_path / "g.jsonl"
    args = ("--course", folder, "--json", out, "--lang", "en", "--workers", workers)
    r = grade(SAMPLES / "perfect", SAMPLES / "mistakes", *args)
    assert r.returncode == 0, r.stderr
    for line in out.read_text().splitlines():
        assert by_id(json.loads(line))["A.collector_on"]["status"] == "passed"
    out.unlink()
    r = grade(SAMPLES / "perfect", *args)
    assert r.returncode == 0, r.stderr
    (alone,) = [json.loads(line) for line in out.read_text().splitlines()]
    assert by_id(alone)["A.collector_on"]["status"] == "failed"


@pytest.mark.parametrize("function", ["tanh", "relu"])
def test_a_teacher_who_changes_a_node_gets_a_working_course(tmp_path, function):
    """S(G) = tanh(G) or relu(G): stubs, answers and hidden tests follow, nothing typed."""
    folder = tmp_path / "course"
    folder.mkdir()
    text = (LESSON / "course.yml").read_text().replace("S(G): sigmoid(G)", f"S(G): {function}(G)")
    (folder / "course.yml").write_text(text)
    shutil.copytree(LESSON / "exercises", folder / "exercises")
    changed = load_course(folder / "course.yml")
    release = tmp_path / "solved"
    r = subprocess.run(
        command(
            "course",
            "release",
            "--out",
            release,
            "--solutions",
            "--student",
            "solved",
            "--course",
            folder,
            "--lang",
            "en",
        ),
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stderr
    derivative = {"tanh": "tanh(G)**2", "relu": "step(G)"}[function]  # dS_dG_formula's answer
    assert derivative in (release / "S.py").read_text()
    reports, _ = graded(tmp_path, release, "--course", folder)
    report = reports["solved"]
    assert report["score"] == pytest.approx(sum(q.points for q in auto(changed)))


def _descendants(pid: int) -> set[int]:
    """Every process below ``pid`` (Linux /proc), found while they are still its children."""
    found: set[int] = set()
    todo = [pid]
    while todo:
        p = todo.pop()
        for task in Path(f"/proc/{p}/task").glob("*"):
            try:
                kids = (task / "children").read_text().split()
            except OSError:
                continue
            for k in map(int, kids):
                if k not in found:
                    found.add(k)
                    todo.append(k)
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux /proc")
@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGINT], ids=["SIGKILL", "SIGINT"])
def test_killing_grade_leaves_no_worker_or_sandbox_behind(tmp_path, how):
    """grade killed (or interrupted) mid-class: its pool workers and their sandboxes end too."""
    cls = tmp_path / "class"
    for i in range(8):  # endless loops keep the workers busy long enough to kill grade
        shutil.copytree(SAMPLES / "broken", cls / f"s{i}")
    proc = subprocess.Popen(
        command("grade", cls, "--workers", "2"),
        cwd=LESSON,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        below: set[int] = set()
        while time.monotonic() < deadline and proc.poll() is None:
            below |= _descendants(proc.pid)
            # two workers, each with its fork server: grading is under way
            if len(below) >= 4:
                break
            time.sleep(0.1)
        assert proc.poll() is None, "grade ended before it could be killed"
        assert len(below) >= 4, below
        time.sleep(0.5)
        below |= _descendants(proc.pid)
        proc.send_signal(how)
        proc.wait(20)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(map(_alive, below)):
            time.sleep(0.1)
        assert not [p for p in below if _alive(p)], "left running after grade was killed"
    finally:
        if proc.poll() is None:
            proc.kill()


LEFT_BEHIND = """
import ctypes, json, os, subprocess, sys, time
ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER: orphans come back here
r = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
time.sleep(0.5)
me = os.getpid()
kids = open(f"/proc/{me}/task/{me}/children").read().split()
def alive(pid):
    try:
        return open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False
left = [k for k in kids if alive(k)]
print(json.dumps({"rc": r.returncode, "out": r.stdout.decode(), "left": left}))
"""


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux /proc")
@pytest.mark.parametrize("workers", [None, 2], ids=["one-student", "a-class"])
def test_grade_ends_quickly_and_leaves_nothing_running(tmp_path, workers):
    """grade ends its process without tearing the interpreter down (cli.common.run): its
    exit status and its whole table are there, and no sandbox server (a prestarted one, the
    pool's) outlives it."""
    target = SAMPLES / "mistakes" if workers is None else SAMPLES
    extra = [] if workers is None else ["--workers", workers]
    args = [sys.executable, "-c", LEFT_BEHIND, *map(str, command("grade", target, *extra))]
    r = subprocess.run(args, cwd=LESSON, capture_output=True, text=True, timeout=180)
    assert r.returncode == 0, r.stderr
    got = json.loads(r.stdout)
    assert got["rc"] == 0 and got["left"] == [], got
    assert got["out"].rstrip().splitlines()[-1].strip()  # flushed to its last line


# --- exit statuses, student text as data, course discovery (issue 9) -----------------------


def test_usage_problems_exit_2_before_any_grading(tmp_path):
    jsonl = tmp_path / "g.jsonl"
    cases = [
        (["/nonexistent", "--json", jsonl], "/nonexistent"),
        ([SAMPLES / "perfect", "--json", tmp_path], "is a folder"),
        ([SAMPLES / "perfect", "--json", jsonl, "--csv", "/nonexistent/x.csv"], "/nonexistent"),
        ([SAMPLES / "perfect", "--json", jsonl, "--gradescope", tmp_path], "is a folder"),
        ([SAMPLES, "--json", jsonl, "--gradescope", tmp_path / "r.json"], "exactly one"),
    ]
    for args, needle in cases:
        t = time.perf_counter()
        r = grade(*args, "--lang", "en")
        assert r.returncode == 2, (args, r.stdout, r.stderr)
        assert "Traceback" not in r.stderr and needle in r.stderr, r.stderr
        assert r.stderr.strip().count("\n") <= 1, r.stderr
        assert not jsonl.exists(), args  # nothing was graded, nothing written
        assert time.perf_counter() - t < 20


def test_a_missing_folder_among_good_ones_grades_nothing(tmp_path):
    """A typo in one path is a usage error, not a 0/79 row for the missing student."""
    jsonl = tmp_path / "g.jsonl"
    r = grade(SAMPLES / "perfect", tmp_path / "anna", "--json", jsonl, "--lang", "en")
    assert r.returncode == 2 and "anna" in r.stderr and not jsonl.exists()


HOSTILE_MESSAGE = 'raise ValueError("[/b] [bold]x[/bold] \\ud800 \\x1b[2J =1+1 :thumbs_up:")'


def test_student_text_is_data_everywhere(tmp_path):
    klass = tmp_path / "class"
    klass.mkdir()
    submission(klass, "=HYPERLINK(1)", [("A.py", "    return w1*x1\n", f"    {HOSTILE_MESSAGE}\n")])
    submission(klass, "plain", [])
    (
        jsonl,
        gradebook,
    ) = tmp_path / "g.jsonl", tmp_path / "g.csv"
    r = subprocess.run(
        command("grade", klass, "--json", jsonl, "--csv", gradebook, "--lang", "en", "--details"),
        cwd=LESSON,
        capture_output=True,
        timeout=120,
        env={**os.environ, "COLUMNS": "250"},
    )
    assert r.returncode == 0, r.stderr.decode("utf-8", "replace")
    out, err = r.stdout.decode("utf-8"), r.stderr.decode("utf-8")  # valid UTF-8, both
    assert "Traceback" not in err
    assert "[/b] [bold]x[/bold]" in out  # shown as typed, not taken as markup
    assert "\x1b[2J" not in out  # no escape sequence reaches the teacher's terminal
    assert ":thumbs_up:" in out and "\N{THUMBS UP SIGN}" not in out  # not made an emoji
    reports = {o["student"]: o for o in map(json.loads, jsonl.read_bytes().decode().splitlines())}
    feedback = by_id(reports["=HYPERLINK(1)"])["A.forward"]["feedback"]
    assert "[/b]" in feedback and "\ufffd" in feedback and "\ud800" not in feedback
    rows = list(csv.reader(gradebook.read_bytes().decode("utf-8").splitlines()))
    cells = [c for row in rows for c in row]
    assert not any(c.startswith(("=", "+", "-", "@")) for c in cells), cells
    assert "'=HYPERLINK(1)" in cells
    plain = next(row for row in rows if row[0] == "plain")  # the twin: left as it is
    total, most = rows[0].index("total"), rows[0].index("max_score")
    assert plain[1].endswith("plain") and float(plain[total]) == float(plain[most])


def test_cd_into_a_student_folder_never_uses_the_students_course(tmp_path):
    """`cd <student> && grade .` must not take the student's course.yml and hidden tests."""
    teacher = tmp_path / "teacher"
    teacher.mkdir()
    shutil.copy(LESSON / "course.yml", teacher / "course.yml")
    shutil.copytree(LESSON / "exercises", teacher / "exercises")
    marker = tmp_path / "pwned"
    for home in (teacher / "class", tmp_path / "elsewhere"):
        home.mkdir()
        anna = submission(home, "anna", [])
        shutil.copy(LESSON / "course.yml", anna / "course.yml")
        shutil.copytree(LESSON / "exercises", anna / "exercises")
        (anna / "hidden").mkdir()
        (anna / "hidden" / "test_evil.py").write_text(
            f"from pathlib import Path\nPath({str(marker)!r}).write_text('ran')\n"
        )
    # under the teacher's course: that course is used, and the header says which
    r = grade(".", "--lang", "en", cwd=teacher / "class" / "anna")
    assert r.returncode == 0, r.stderr
    assert not marker.exists()
    assert f"course: {teacher / 'course.yml'}" in r.stderr
    assert "79" in r.stdout
    # with no teacher's course above: a clear usage error, nothing of the student's run
    r = grade(".", "--lang", "en", cwd=tmp_path / "elsewhere" / "anna")
    assert r.returncode == 2 and "--course" in r.stderr and "Traceback" not in r.stderr
    assert not marker.exists()
    # the twin: the teacher's own course root grades its class as before
    r = grade("class", "--lang", "en", cwd=teacher)
    assert r.returncode == 0 and "course: course.yml" in r.stderr, r.stderr
    assert not marker.exists()


def test_outputs_write_through_links_and_never_over_a_special_file(tmp_path):
    """A link the teacher made stays a link and its target gets the lines; a device node (made
    here with mknod, never a system path), a FIFO: refused before grading, left as they were."""
    (tmp_path / "kept").mkdir()
    sample = SAMPLES / "perfect"
    for option, name in (("--json", "grades.jsonl"), ("--csv", "grades.csv")):
        real, link = tmp_path / "kept" / name, tmp_path / name
        link.unlink(missing_ok=True)
        link.symlink_to(real)
        r = grade(sample, option, link, "--lang", "en")
        assert r.returncode == 0, r.stderr
        assert link.is_symlink() and real.is_file() and "perfect" in real.read_text()
        r = grade(sample, option, link, "--lang", "en")  # again: replaced through the link
        assert r.returncode == 0, r.stderr
        assert link.is_symlink() and real.read_text().count("samples/perfect") == 1
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    specials = [fifo]
    device = tmp_path / "null"
    try:
        os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
        specials.append(device)
    except (PermissionError, OSError):  # not root: the FIFO stands for every special file
        pass
    for special in specials:
        kind = stat.S_IFMT(os.lstat(special).st_mode)
        for option in ("--json", "--csv", "--gradescope"):
            r = grade(sample, option, special, "--lang", "en")
            assert r.returncode == 2, (option, special, r.stderr)
            assert "not a regular file" in r.stderr and "Traceback" not in r.stderr
            assert stat.S_IFMT(os.lstat(special).st_mode) == kind  # untouched
        r = subprocess.run(
            command("course", "gradescope", "--out", special, "--lang", "en"),
            cwd=LESSON,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert r.returncode == 2 and "not a regular file" in r.stderr, r.stderr
        assert stat.S_IFMT(os.lstat(special).st_mode) == kind
    # the twin: a regular file at the same place is written
    plain = tmp_path / "plain.json"
    r = grade(sample, "--gradescope", plain, "--lang", "en")
    assert r.returncode == 0 and json.loads(plain.read_text())["score"] > 0


# ``grade`` on a machine without Linux user namespaces: the sandbox's namespace probe fails.
NO_NAMESPACES = """
import sys
from grader.sandbox import server
probe = server.Sandbox._probe
def no_namespaces(self, mode):
    if mode == "namespaces":
        raise server.SandboxError("user namespaces are disabled here (simulated)")
    return probe(self, mode)
server.Sandbox._probe = no_namespaces
from cli.grade import entry
entry()
"""


@pytest.mark.parametrize("namespaces", [True, False])
def test_every_report_says_its_isolation_and_a_weaker_one_is_loud(tmp_path, namespaces):
    out = tmp_path / "grades.jsonl"
    sample = SAMPLES / "perfect"
    prefix = command("grade") if namespaces else [sys.executable, "-c", NO_NAMESPACES]

    def run(*args):
        argv = [*prefix, sample, SAMPLES / "broken", "--json", out, "--lang", "en", *args]
        return subprocess.run(argv, cwd=LESSON, capture_output=True, text=True, timeout=300)

    r = run()
    assert r.returncode == 0, r.stderr
    isolations = {json.loads(line)["isolation"] for line in out.read_text().splitlines()}
    if namespaces:
        assert isolations == {"namespaces"} and "sandbox: namespaces" in r.stderr
        assert "--isolation namespaces" not in r.stderr
    else:
        assert isolations <= {"landlock", "rlimits-only"} and len(isolations) == 1
        assert "namespaces are unavailable" in r.stderr
        assert "grade --isolation namespaces" in r.stderr  # how to insist on them
    out.unlink()
    r = run("--isolation", "namespaces")
    if namespaces:
        assert r.returncode == 0, r.stderr
        assert len(out.read_text().splitlines()) == 2
    else:  # refused before grading: nothing saved
        assert r.returncode == 1 and "nothing was graded" in r.stderr, r.stderr
        assert not out.exists() and "Traceback" not in r.stderr
