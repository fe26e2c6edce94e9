"""Issue 9: every message in the report's language, one maximum everywhere, free text exported,
and a student told what to install.

Run through the real commands (``grade``, ``course``, the released ``check.py``) where a user
meets them.  Expected points come from the course, never typed.
"""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
import textwrap

import pytest
from conftest import LESSON, command

from grader.course.loader import load_course
from grader.kinds.text import MAX_ANSWER
from grader.sandbox import InvalidFrame, Limits, Request, Sandbox, outcome_of
from publish.release import maximum_text

SAMPLES = LESSON / "samples"


@pytest.fixture(scope="module")
def course():
    return load_course(LESSON / "course.yml")


def run(name, *args, cwd=LESSON, timeout=180):
    return subprocess.run(
        command(name, *args), cwd=cwd, capture_output=True, text=True, timeout=timeout
    )


def grade_json(tmp_path, folder, lang, *extra):
    out = tmp_path / f"grades-{lang}.jsonl"
    out.unlink(missing_ok=True)
    r = run("grade", folder, "--json", out, "--lang", lang, *extra)
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr
    data = out.read_bytes().decode("utf-8")  # strict: the file is valid UTF-8
    (report,) = [json.loads(line) for line in data.splitlines()]
    return report, r


def by_id(report):
    return {q["id"]: q for q in report["questions"]}


# --- language ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def broken(tmp_path_factory):
    """samples/broken (a syntax error in A, NameError in G, a list for a formula in L, no
    chain.py) plus a missing function in B and sys.exit at the import of C."""
    folder = tmp_path_factory.mktemp("lang") / "broken"
    shutil.copytree(SAMPLES / "broken", folder)
    b = folder / "B.py"
    b.write_text(b.read_text() + "\ndel dB_dw2\n")
    c = folder / "C.py"
    c.write_text("import sys\nsys.exit(3)\n" + c.read_text())
    return folder


def test_sandbox_messages_read_in_russian(tmp_path, broken):
    report, _ = grade_json(tmp_path, broken, "ru")
    qs = by_id(report)
    syntax = qs["A.forward"]["feedback"]
    assert "синтаксическая ошибка" in syntax and "A.py:" in syntax
    assert "неизвестное имя" in qs["G.forward"]["feedback"]  # an exception
    assert "вернула list из 1 элемента, а ожидается строка" in qs["L.dL_dS_formula"]["feedback"]
    assert qs["chain.dL_dw1"]["feedback"] == "chain.py не найден"
    assert qs["B.dB_dw2"]["feedback"] == "в B.py нет функции dB_dw2"
    assert "программа завершилась (sys.exit(3)) при импорте C.py" in qs["C.forward"]["feedback"]
    english = ("returned", " has no ", "not found", "while ", "is not a function", "exited")
    for q in report["questions"]:
        assert not any(words in q["feedback"] for words in english), q


def test_the_same_messages_stay_english_in_an_english_report(tmp_path, broken):
    report, _ = grade_json(tmp_path, broken, "en")
    qs = by_id(report)
    assert qs["A.forward"]["feedback"].startswith("SyntaxError: ")
    assert "returned list of 1 item, expected a str" in qs["L.dL_dS_formula"]["feedback"]
    assert qs["chain.dL_dw1"]["feedback"] == "chain.py not found"
    assert qs["B.dB_dw2"]["feedback"] == "B.py has no function dB_dw2"
    assert "the program exited (sys.exit(3)) while importing C.py" in qs["C.forward"]["feedback"]
    assert not any("ошибка" in q["feedback"] or "вернула" in q["feedback"] for q in qs.values())


def frame(key, **fields):
    return {"status": "error", "key": key, "fields": fields}


def test_a_message_frame_is_worded_here_and_its_fields_stay_data():
    brief = {"form": "object", "type": "{0.__class__}", "detail": ""}
    o = outcome_of(frame("not_function", name="f", **brief), "number", 1000)
    assert o.message == {
        "en": "f is not a function (it is {0.__class__} object)",
        "ru": "f — не функция (это объект {0.__class__})",
    }
    assert o.error == o.message["en"]
    long = outcome_of(frame("exception", type="ValueError", message="x" * 5000), "number", 1000)
    assert len(long.error) < 400
    odd = outcome_of(frame("exception", type="E", message="\ud800\x1b[2J"), "number", 1000)
    assert odd.error == "E: \ufffd\\x1b[2J"
    odd.error.encode("utf-8")  # no lone surrogate left
    keyed = outcome_of(frame("not_finite", value="nan", at="w1"), "numbers", 1000)
    assert keyed.message["ru"] == "для ключа 'w1': вернула nan, а ожидается конечное число"


@pytest.mark.parametrize(
    "bad",
    [
        frame("no_such_key"),
        {"status": "error", "error": "an old free-form message"},
        frame("exception", type="E"),  # a field missing
        frame("exception", type="E", message="m", extra="x"),  # one too many
        frame("exception", type="E", message=3),  # not a str
        frame("no_name", module="A", name="f", what="{what}"),  # not one of the words
        frame("too_big", size="1e9", limit="10"),
        {"status": "error", "key": "exception", "fields": ["E", "m"]},
    ],
)
def test_a_frame_with_an_unknown_message_or_wrong_fields_is_refused(bad):
    with pytest.raises(InvalidFrame):
        outcome_of(bad, "number", 1000)


def test_a_forged_message_frame_costs_the_student_only():
    src = """\
    import sys
    def f(x, y):
        forged = {"results": [{"i": 0, "status": "error", "key": "nope"}]}
        sys.modules["_sandbox.framing"].send_frame(3, forged)
        return 1.0
    def g(x, y):
        return 2.0
    """
    with Sandbox(Limits(call_timeout=5)) as sb:
        out = sb.run(
            {"A": textwrap.dedent(src)},
            [Request("A", "f", (1.0, 2.0)), Request("A", "g", (1.0, 2.0))],
        )
    assert out[0].status == "error" and "result channel" in out[0].error
    assert "канал результатов" in out[0].message["ru"]
    assert out[1].status == "ok" and out[1].value == 2.0


def broken_course(tmp_path, languages):
    root = tmp_path / "course"
    root.mkdir()
    shutil.copytree(LESSON / "exercises", root / "exercises")
    text = (LESSON / "course.yml").read_text(encoding="utf-8")
    lines = [
        f"languages: [{languages}]" if ln.startswith("languages:") else ln
        for ln in text.splitlines()
    ]
    lines = ["learning_rate: -1" if ln.startswith("learning_rate:") else ln for ln in lines]
    (root / "course.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


@pytest.mark.parametrize(
    ("languages", "lang", "says"),
    [
        ("ru, en", None, "должен быть положительным"),
        ("en, ru", None, "must be a positive number"),
        ("ru, en", "en", "must be a positive number"),
        ("en, ru", "ru", "должен быть положительным"),
    ],
)
def test_validate_speaks_the_courses_first_language_unless_asked(tmp_path, languages, lang, says):
    root = broken_course(tmp_path, languages)
    r = run("course", "validate", *(["--lang", lang] if lang else []), cwd=root)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert says in r.stderr, r.stderr


# --- points -----------------------------------------------------------------------------------


def test_one_maximum_everywhere_auto_and_manual_apart(tmp_path, course):
    auto = sum(q.points for q in course.questions if q.auto)
    manual = sum(q.points for q in course.questions if not q.auto)
    assert manual > 0, "the live course has a free-text question"
    assert (course.points.auto, course.points.manual) == (auto, manual)
    assert course.points.total == auto + manual
    # course validate
    r = run("course", "validate", "--lang", "en")
    assert r.returncode == 0, r.stderr
    assert f"{auto:g} graded automatically, {manual:g} by the teacher" in r.stdout
    # the student README
    r = run("course", "release", "--out", tmp_path / "rel", "--lang", "en")
    assert r.returncode == 0, r.stderr
    readme = (tmp_path / "rel" / "README.md").read_text(encoding="utf-8")
    assert maximum_text(course.points, "en") in readme
    assert f"{auto:g} points graded automatically" in readme
    assert f"In total: {auto + manual:g} points." not in readme  # never one lump again
    for e in course.exercises:
        assert f"| {maximum_text(e.points, 'en', short=True)} |" in readme
    # grade
    report, r = grade_json(tmp_path, SAMPLES / "perfect", "en")
    assert report["max_score"] == report["score"] == pytest.approx(auto)
    assert f"({manual:g} points)" in r.stdout
    # nbgrader
    r = run("course", "nbgrader", "--out", tmp_path / "nb", "--lang", "en")
    assert r.returncode == 0, r.stderr
    assert f"{auto:g} points autograded, {manual:g} by hand" in r.stdout


# --- free text --------------------------------------------------------------------------------


def with_free_text(tmp_path, course, value: str):
    q = next(q for q in course.questions if not q.auto)
    folder = tmp_path / "perfect"  # the sample's numbers are at its own id's values
    shutil.copytree(SAMPLES / "perfect", folder)
    stub = folder / f"{q.exercise}.py"
    lines = [
        f"{q.name} = {value}" if ln.startswith(f"{q.name} = ") else ln
        for ln in stub.read_text(encoding="utf-8").splitlines()
    ]
    stub.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return q, folder


def test_free_text_answers_are_exported_in_json_and_csv(tmp_path, course):
    words = "Производная [/b] говорит, как быстро растёт выход."
    q, folder = with_free_text(tmp_path, course, repr(words + "\n\x1b[2J\ud800" + "x" * 9000))
    gradebook = tmp_path / "g.csv"
    report, _ = grade_json(tmp_path, folder, "ru", "--csv", gradebook)
    got = by_id(report)[q.qid]
    assert set(got) == {"id", "status", "answer", "feedback"}  # no score: the teacher's
    assert got["status"] == "manual"
    assert got["answer"].startswith(words + "\n\\x1b[2J\ufffd")
    assert len(got["answer"]) <= MAX_ANSWER
    assert report["max_score"] == pytest.approx(course.points.auto)
    assert report["score"] == pytest.approx(course.points.auto)
    rows = list(csv.DictReader(gradebook.open(encoding="utf-8", newline="")))
    assert rows[0][q.qid] == got["answer"]
    assert rows[0]["max_score"] == str(course.points.auto)


def test_a_free_text_answer_that_is_not_text_is_exported_empty_and_said_why(tmp_path, course):
    q, folder = with_free_text(tmp_path, course, "42")
    report, _ = grade_json(tmp_path, folder, "ru")
    got = by_id(report)[q.qid]
    assert got["status"] == "manual" and got["answer"] == ""
    assert "вернула int 42, а ожидается строка" in got["feedback"]
    assert report["score"] == pytest.approx(course.points.auto)


# --- setup ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "says"), [("en", "numpy is not installed"), ("ru", "не установлен numpy")]
)
def test_check_py_says_plainly_when_numpy_is_missing(tmp_path, lang, says):
    out = tmp_path / "release"
    r = run("course", "release", "--out", out, "--lang", lang)
    assert r.returncode == 0, r.stderr
    readme = (out / "README.md").read_text(encoding="utf-8")
    assert "python -m pip install numpy" in readme
    # -I -S: no site-packages, so no numpy (check.py itself needs only the standard library)
    bare = subprocess.run(
        [sys.executable, "-I", "-S", "check.py"], cwd=out, capture_output=True, text=True
    )
    assert bare.returncode == 1 and "Traceback" not in bare.stderr
    assert says in bare.stderr and "-m pip install numpy" in bare.stderr
    # its twin: with numpy, check.py checks and says nothing of the kind
    ok = subprocess.run([sys.executable, "check.py"], cwd=out, capture_output=True, text=True)
    assert says not in ok.stdout + ok.stderr and "Traceback" not in ok.stderr
    # --id needs no numpy
    values = subprocess.run(
        [sys.executable, "-I", "-S", "check.py", "--id", "anna"],
        cwd=out,
        capture_output=True,
        text=True,
    )
    assert values.returncode == 0 and "x1" in values.stdout
