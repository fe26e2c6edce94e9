"""``course release``: the student release, built through the real console script.

The releases are built once per module (in parallel) from the real course and from a tiny
course written here, so these tests keep working while the real exercises are being edited.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import inspect
import json
import math
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import numpy as np
import pytest
from conftest import LESSON, command

from grader.course.loader import load_course
from grader.course.questions import Course
from grader.kinds.snippets import snippet
from publish.notebooks import notebook
from publish.release import PUBLIC_EXAMPLES, READER, READER_IMPORT, check_data, public_examples
from publish.stubs import stub
from reference.course import sampling as points
from reference.course.sampling import student_values
from reference.course.targets import evaluate, sample_args

CELL_ID = re.compile(r"^[a-zA-Z0-9-_]{1,64}$")
IMPORT_HIDDEN = re.compile(r"^\s*(from|import)\s+(reference|grader)\b", re.M)

TINY = {
    "course.yml": """\
course: tiny
title: {ru: Крошечный курс, en: A tiny course}
languages: [ru, en]
seed: 7
inputs: [x]
parameters: [w]
data: [y]
nodes:
  P(x, w): tanh(w*x)
  L(P, y): (y - P)**2
loss: L
learning_rate: 0.01
ranges: {inputs: [-2.0, 2.0], parameters: [-1.0, 1.0], y: [0.0, 1.0]}
points: 3
tolerance: {rel: 1.0e-6, abs: 1.0e-9}
exercises: {P: 2, quiz: 1}
""",
    "exercises/P.yml": """\
node: P
title: {ru: "Функция P", en: "The function P"}
intro: {ru: "P = tanh(w·x).", en: "P = tanh(w·x)."}
questions:
  - {id: forward, kind: function, answer: value, points: 1,
     prompt: {ru: "Напишите P(x, w).", en: "Write P(x, w)."}}
  - {id: dP_dx, kind: function, answer: {local: x}, points: 1,
     prompt: {ru: "Производная P по x.", en: "The derivative of P by x."},
     hint: {ru: "Правило цепочки.", en: "The chain rule."}}
  - {id: dP_dx_formula, kind: formula, answer: {local: x}, points: 1,
     prompt: {ru: "Она же формулой.", en: "The same as a formula."}}
  - {id: dP_dw, kind: function, answer: {local: w}, points: 1,
     prompt: {ru: "Производная P по w.", en: "The derivative of P by w."}}
  - {id: dP_dw_formula, kind: formula, answer: {local: w}, points: 1,
     prompt: {ru: "Она же формулой, по w.", en: "The same as a formula, by w."}}
  - {id: backward, kind: function, answer: backward, points: 2,
     prompt: {ru: "Верните словарь производных лосса.", en: "Return the loss's derivatives."}}
  - {id: P_change_w, kind: number, answer: {change: {of: P, wrt: w, by: 0.1}}, points: 1,
     prompt: {ru: "На сколько изменится P, если w вырастет на 0.1?",
              en: "By how much does P change if w grows by 0.1?"}}
""",
    "exercises/quiz.yml": """\
title: {ru: "Викторина", en: "A quiz"}
model:
  inputs: [x]
  parameters: [k]
  data: [y]
  nodes: {"q(x, k)": k*x, "E(q, y)": (y - q)**2}
  loss: E
  ranges: {inputs: [-5.0, 5.0], parameters: [0.5, 2.0], y: [0.0, 1.0]}
questions:
  - {id: dE_dk, kind: function, answer: {grad: k}, points: 1,
     prompt: {ru: "Верните dE/dk.", en: "Return dE/dk."}}
  - {id: dE_dk_mine, kind: number, answer: {grad: k}, points: 1,
     prompt: {ru: "dE/dk на ваших значениях.", en: "dE/dk at your values."}}
  - id: E_sign_k
    kind: choice
    answer: {sign: {of: E, wrt: k}}
    points: 1
    prompt: {ru: "Если k чуть вырастет, E вырастет или упадёт?",
             en: "If k grows a little, does E go up or down?"}
    options:
      - {value: up, text: {ru: "вырастет", en: "up"}}
      - {value: down, text: {ru: "упадёт", en: "down"}}
  - id: with_parameters
    kind: multi
    answer: nodes_with_parameters
    points: 1
    prompt: {ru: "В каких функциях есть параметры?", en: "Which functions have parameters?"}
    options:
      - {value: q, text: {ru: "q", en: "q"}}
      - {value: E, text: {ru: "E", en: "E"}}
  - {id: args_of, kind: mapping, answer: arguments, points: 1,
     prompt: {ru: "Аргументы каждой функции.", en: "The arguments of each function."}}
  - {id: in_words, kind: text, points: 1,
     prompt: {ru: "Своими словами: что такое градиент?",
              en: "In your own words: what is a gradient?"}}
""",
}


def run_course(*args, cwd=LESSON):
    return subprocess.run(
        command("course", *args), cwd=cwd, capture_output=True, text=True, timeout=120
    )


def run_check(folder: Path, *args):
    return subprocess.run(
        [sys.executable, str(folder / "check.py"), *args],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "PYTHONIOENCODING": "utf-8"},
    )


@pytest.fixture(scope="module")
def tiny_path(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("tiny")
    for name, text in TINY.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def courses(tiny_path) -> dict[str, Course]:
    return {
        "real": load_course(LESSON / "course.yml"),
        "tiny": load_course(tiny_path / "course.yml"),
    }


@pytest.fixture(scope="module")
def releases(tmp_path_factory, tiny_path) -> dict[str, Path]:
    """Every release the tests read, built at once: name -> folder."""
    base = tmp_path_factory.mktemp("releases")
    specs = {
        "en": ["--lang", "en"],
        "ru": ["--lang", "ru"],
        "en-solutions": ["--lang", "en", "--solutions"],
        "tiny": ["--lang", "en", "--course", tiny_path],
        "tiny-ru": ["--lang", "ru", "--course", tiny_path],
        "tiny-solutions": ["--lang", "en", "--course", tiny_path, "--solutions"],
    }
    procs = {
        name: subprocess.Popen(
            command("course", "release", "--out", base / name, *args),
            cwd=LESSON,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name, args in specs.items()
    }
    for name, proc in procs.items():
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, f"{name}: {err}"
        assert "check.py" in out and "README.md" in out
    return {name: base / name for name in specs}


def course_of(name: str, courses) -> Course:
    return courses["tiny" if name.startswith("tiny") else "real"]


def lang_of(name: str) -> str:
    return "ru" if "ru" in name else "en"


def defined(path: Path) -> dict[str, tuple]:
    """What a stub defines at its top level, by parsing it: name -> ("def", args) | ("str",)
    | ("value",)."""
    found = {}
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.FunctionDef):
            found[node.name] = ("def", tuple(a.arg for a in node.args.args))
        elif (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
        ):
            value = node.value
            is_str = isinstance(value, ast.Constant) and isinstance(value.value, str)
            found[node.targets[0].id] = ("str",) if is_str else ("value",)
    return found


def words(text: str) -> str:
    """Text as one line of words, comment marks and line breaks removed."""
    return " ".join(" ".join(re.sub(r"^\s*#", " ", line) for line in text.splitlines()).split())


def load_module(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- the stubs -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["en", "ru", "en-solutions", "tiny", "tiny-solutions"])
def test_stubs_follow_the_stub_contract(releases, courses, name):
    course = course_of(name, courses)
    folder = releases[name]
    model = course.model
    expected = {"check.py", "public_examples.json", "README.md", "student.txt"}
    expected |= {f"{e.id}.py" for e in course.exercises}
    expected |= {f"notebooks/{e.id}.ipynb" for e in course.exercises}
    assert {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()} == expected
    for exercise in course.exercises:
        names = defined(folder / f"{exercise.id}.py")
        if exercise.node:
            args = model.node(exercise.node).args
            n = exercise.node
            assert names[n] == ("def", args)
            for a in args:
                assert names[f"d{n}_d{a}"] == ("def", args)
                assert names[f"d{n}_d{a}_formula"] == ("str",)
            assert names["backward"] == ("def", (*args, f"d{model.loss}_d{n}"))
        for q in exercise.questions:
            assert q.name in names, f"{q.qid}: {q.name} not defined"
            if q.kind == "function":
                assert names[q.name] == ("def", q.args)
            elif q.kind in ("formula", "text"):
                assert names[q.name] == ("str",)
            else:
                assert names[q.name][0] != "def"


def test_the_six_signatures_of_the_design(releases):
    want = {
        "A": ("x1", "w1"),
        "B": ("x2", "w2"),
        "C": ("x3", "w3"),
        "G": ("A", "B", "C"),
        "S": ("G",),
        "L": ("S", "gold"),
    }
    for node, args in want.items():
        names = defined(releases["en"] / f"{node}.py")
        assert names[node] == ("def", args)
        assert names["backward"] == ("def", (*args, f"dL_d{node}"))
    assert defined(releases["en"] / "A.py")["dA_dw1_formula"] == ("str",)
    assert defined(releases["en"] / "L.py")["dL_dgold"] == ("def", ("S", "gold"))


def test_every_stub_imports(releases):
    stubs = [
        p
        for name in ("en", "ru", "en-solutions", "tiny", "tiny-solutions")
        for p in sorted(releases[name].glob("*.py"))
        if p.name != "check.py"
    ]
    code = (
        "import importlib.util, sys\n"
        "for i, path in enumerate(sys.argv[1:]):\n"
        "    spec = importlib.util.spec_from_file_location(f'stub{i}', path)\n"
        "    spec.loader.exec_module(importlib.util.module_from_spec(spec))\n"
        "print('imported', len(sys.argv) - 1)\n"
    )
    r = subprocess.run(  # -B: no __pycache__ left in the releases the other tests compare
        [sys.executable, "-B", "-c", code, *map(str, stubs)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 0, r.stderr
    assert f"imported {len(stubs)}" in r.stdout


@pytest.mark.parametrize("pair", [("en", "ru"), ("tiny", "tiny-ru")])
def test_ru_and_en_differ_only_in_language(releases, pair):
    en, ru = (releases[name] for name in pair)
    files = sorted(p.relative_to(en).as_posix() for p in en.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(ru).as_posix() for p in ru.rglob("*") if p.is_file())
    for rel in files:
        if rel.endswith(".py"):
            assert defined(en / rel) == defined(ru / rel), rel
        if rel.endswith(".ipynb"):
            a, b = (json.loads((d / rel).read_text(encoding="utf-8"))["cells"] for d in (en, ru))
            assert [(c["id"], c["cell_type"], c["metadata"]) for c in a] == [
                (c["id"], c["cell_type"], c["metadata"]) for c in b
            ]
    assert (en / "public_examples.json").read_bytes() == (ru / "public_examples.json").read_bytes()
    assert (en / "README.md").read_text() != (ru / "README.md").read_text()


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_every_prompt_is_in_its_stub_and_notebook(releases, courses, lang):
    course = courses["real"]
    folder = releases[lang]
    for exercise in course.exercises:
        text = words((folder / f"{exercise.id}.py").read_text(encoding="utf-8"))
        nb = json.loads((folder / "notebooks" / f"{exercise.id}.ipynb").read_text("utf-8"))
        markdown = "\n".join(
            "".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown"
        )
        for q in exercise.questions:
            for language in ("ru", "en"):
                assert q.prompt[language].strip(), f"{q.qid}: empty {language} prompt"
            assert words(q.prompt[lang]) in text, f"{q.qid}: prompt missing in the stub"
            assert q.prompt[lang].strip() in markdown, f"{q.qid}: prompt missing in notebook"
            if q.hint:
                assert q.hint[lang].strip() in markdown
        assert exercise.title[lang].strip() in markdown
        assert f"`{exercise.id}.py`" in (folder / "README.md").read_text(encoding="utf-8")


# --- nothing hidden --------------------------------------------------------------------------


def solution_only_lines(blank: Path, solved: Path) -> set[str]:
    """Lines of the filled stubs that the blank ones do not have: the answers."""
    lines = set()
    for path in solved.glob("*.py"):
        if path.name == "check.py":
            continue
        mine = {line.strip() for line in (blank / path.name).read_text("utf-8").splitlines()}
        lines |= {
            line.strip()
            for line in path.read_text("utf-8").splitlines()
            if line.strip() and line.strip() not in mine
        }
    return lines


@pytest.mark.parametrize("pair", [("en", "en-solutions"), ("tiny", "tiny-solutions")])
def test_the_release_hides_everything_but_the_public_examples(releases, courses, pair):
    blank, solved = (releases[name] for name in pair)
    answers = solution_only_lines(blank, solved)
    assert any(line.startswith("return ") for line in answers)
    assert any(line.endswith("_formula = '1'") or "_formula = '" in line for line in answers)
    for path in blank.rglob("*"):
        if path.is_dir():
            assert path.name == "notebooks"
            continue
        assert path.suffix in (".py", ".ipynb", ".json", ".md") or path.name == "student.txt", path
        text = path.read_text(encoding="utf-8")
        code = text
        if path.suffix == ".ipynb":
            code = "\n".join("".join(c["source"]) for c in json.loads(text)["cells"])
        if path.name == "check.py":  # the formula reader it carries, not an installed one
            code = code.replace(READER_IMPORT, "")
        assert not IMPORT_HIDDEN.search(code), f"{path} imports the course's packages"
        assert "BEGIN HIDDEN" not in text and "HIDDEN TESTS" not in text
        for line in answers:
            assert line not in text and line not in code, f"{path} holds the answer {line!r}"
    examples = json.loads((blank / "public_examples.json").read_text())["questions"]
    course = course_of(pair[0], courses)
    assert list(examples) == [q.qid for q in course.questions if q.kind == "function"]


def test_public_examples_are_the_references_values(releases, courses):
    for name in ("en", "tiny"):
        course = course_of(name, courses)
        examples = json.loads((releases[name] / "public_examples.json").read_text())
        assert examples == json.loads(json.dumps(public_examples(course)))
        by_qid = {q.qid: q for q in course.questions}
        for qid, item in examples["questions"].items():
            q = by_qid[qid]
            assert item["name"] == q.name and item["args"] == list(q.args)
            assert len(item["examples"]) == PUBLIC_EXAMPLES
            assert item["examples"][0]["args"] != item["examples"][1]["args"]
            for example in item["examples"]:
                assert list(example["args"]) == list(q.args)
                point = {a: np.array([v]) for a, v in example["args"].items()}
                want = evaluate(q.target, q.model, point)
                got = example["expected"]
                if isinstance(want, dict):
                    assert list(got) == list(want) == list(q.model.node(q.target.node).args)
                    for k in want:
                        assert got[k] == pytest.approx(float(want[k][0]), rel=1e-12, abs=1e-15)
                else:
                    assert isinstance(got, float)
                    assert got == pytest.approx(float(want[0]), rel=1e-12, abs=1e-15)


# --- the solutions ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["en-solutions", "tiny-solutions"])
def test_solutions_agree_with_the_reference(releases, courses, name):
    course = course_of(name, courses)
    rng = np.random.default_rng(2024)
    for exercise in course.exercises:
        module = load_module(releases[name] / f"{exercise.id}.py", f"solution_{name}_{exercise.id}")
        for q in exercise.questions:
            if q.kind != "function":
                continue
            point = sample_args(q.target, q.model, rng, 4)
            want = evaluate(q.target, q.model, point)
            for i in range(4):
                got = getattr(module, q.name)(*(float(point[a][i]) for a in q.args))
                if isinstance(want, dict):
                    assert set(got) == set(want), q.qid
                    for k in want:
                        assert got[k] == pytest.approx(float(want[k][i]), rel=1e-9, abs=1e-12)
                else:
                    assert got == pytest.approx(float(want[i]), rel=1e-9, abs=1e-12), q.qid


def test_solutions_for_one_student(tmp_path, tiny_path, courses):
    r = run_course(
        "release",
        "--out",
        tmp_path / "key",
        "--course",
        tiny_path,
        "--lang",
        "en",
        "--solutions",
        "--student",
        "ivanov",
    )
    assert r.returncode == 0, r.stderr
    for exercise in courses["tiny"].exercises:
        text = (tmp_path / "key" / f"{exercise.id}.py").read_text(encoding="utf-8")
        assert text == stub(exercise, "en", solution=True, student="ivanov")
    r = run_course(
        "release", "--out", tmp_path / "blank", "--course", tiny_path, "--student", "ivanov"
    )
    assert r.returncode != 0 and "--solutions" in r.stderr
    assert not (tmp_path / "blank").exists()


# --- check.py --------------------------------------------------------------------------------


def test_check_passes_a_filled_release(releases, courses):
    questions = courses["real"].questions
    for args in ([], ["--notebooks"]):
        r = run_check(releases["en-solutions"], *args)
        assert r.returncode == 0, r.stdout + r.stderr
        only_graded = [q for q in questions if q.kind in ("choice", "multi", "mapping")]
        assert r.stdout.count("  ○ ") == len(only_graded) > 0  # answered, never ticked
        assert r.stdout.count("  ✓ ") == len(questions) - len(only_graded)
        bad = ("  ✗", "  …", "  !")
        assert not [line for line in r.stdout.splitlines() if line.startswith(bad)]


@pytest.mark.parametrize(
    "name, todo, other",
    [("en", "not attempted", "не сделано"), ("ru", "не сделано", "not attempted")],
)
def test_check_says_not_done_yet_in_the_release_language(releases, courses, name, todo, other):
    r = run_check(releases[name])
    assert r.returncode == 1, r.stdout + r.stderr
    todo_lines = [line for line in r.stdout.splitlines() if line.startswith("  … ")]
    assert len(todo_lines) == len(courses["real"].questions)
    assert all(line.endswith(f" — {todo}") for line in todo_lines)
    assert other not in r.stdout
    assert "Traceback" not in r.stdout + r.stderr


def test_check_reports_wrong_answers_and_errors(releases, tmp_path):
    folder = tmp_path / "work"
    shutil.copytree(releases["tiny"], folder)
    p = folder / "P.py"
    text = p.read_text(encoding="utf-8")
    text = text.replace('raise NotImplementedError("P: write your answer here")', "return w*x")
    text = text.replace(
        'raise NotImplementedError("dP_dx: write your answer here")', "return 1 / 0"
    )
    text = text.replace('dP_dx_formula = ""', 'dP_dx_formula = "w*(1 - tanh(w*x)**2)"')
    text = text.replace("P_change_w = None", "P_change_w = 0.5")
    p.write_text(text, encoding="utf-8")
    r = run_check(folder, "P")
    assert r.returncode == 1
    lines = {line.split()[1]: line for line in r.stdout.splitlines() if line.startswith("  ")}
    assert lines["P.forward"].startswith("  ✗") and "expected" in lines["P.forward"]
    assert "ZeroDivisionError" in lines["P.dP_dx"] and "P.py, line" in lines["P.dP_dx"]
    assert lines["P.dP_dx_formula"].startswith("  ✓")
    assert lines["P.P_change_w"].startswith("  ✓") and "--id" in lines["P.P_change_w"]
    assert "not attempted" in lines["P.backward"]
    assert not any(q.startswith("quiz.") for q in lines)
    r = run_check(folder, "nope")
    assert r.returncode == 2 and "nope" in r.stderr


def test_check_prints_each_students_own_values(releases, courses):
    course = courses["real"]
    r = run_check(releases["en"], "--id", "ivanov")
    assert r.returncode == 0, r.stderr
    sections, current = [], {}
    for line in r.stdout.splitlines():
        m = re.match(r"^  (\w+)\s*= (\S+)$", line)
        if m:
            current[m.group(1)] = float(m.group(2))
        elif current:
            sections.append(current)
            current = {}
    models = [course.model, *(e.model for e in course.exercises if e.model is not course.model)]
    assert sections == [
        student_values(m.seed, "ivanov", {n: m.ranges[n] for n in m.leaves}) for m in models
    ]
    assert len(sections) >= 2  # step.yml has a model of its own


def test_checks_student_values_is_an_exact_copy(releases):
    source = inspect.getsource(points.student_values)
    check = releases["en"] / "check.py"
    assert source in check.read_text(encoding="utf-8")
    cases = [
        (20261123, sid, {"x1": (-3.0, 3.0), "w1": (-1.0, 1.0), "gold": (0.0, 1.0)})
        for sid in ("ivanov", "IVANOV", "петрова", "s-001", "")
    ]
    cases += [(7, "a", {"narrow": (0.01, 0.05), "neg": (-2.5, -0.2), "x": (0.0, 0.0)})]
    code = (
        "import importlib.util, json, sys\n"
        "spec = importlib.util.spec_from_file_location('check', sys.argv[1])\n"
        "check = importlib.util.module_from_spec(spec)\n"
        "spec.loader.exec_module(check)\n"
        "cases = json.loads(sys.stdin.read())\n"
        "print(json.dumps([check.student_values(s, i, r) for s, i, r in cases]))\n"
    )
    r = subprocess.run(
        [sys.executable, "-c", code, str(check)],
        input=json.dumps(cases),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 0, r.stderr
    got = json.loads(r.stdout)
    want = [student_values(s, i, r) for s, i, r in cases]
    assert got == want
    assert all(math.isfinite(v) for values in got for v in values.values())


def test_check_is_standalone(releases):
    """check.py imports the standard library and the formula reader it carries, whose
    modules are the grader's own source, byte for byte (one parser, no copy)."""
    text = (releases["en"] / "check.py").read_text(encoding="utf-8")
    tree = ast.parse(text)
    sources = next(
        ast.literal_eval(node.value)
        for node in tree.body
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "SOURCES"
    )
    assert set(READER) <= set(sources) and {"reference.table", "reference"} <= set(sources)
    for name in READER:
        assert sources[name][1] == inspect.getsource(importlib.import_module(name)), name
    assert sources["reference.table"] == (True, "")  # the numpy table itself stays home
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module)
    outside = {n for n in imported if n.split(".")[0] not in sys.stdlib_module_names}
    assert outside <= set(READER), outside


def test_the_checkers_say_the_catalogues_checks_sentences(releases):
    """What a student's checker says (check.py, the public checks, the nbgrader helper cell)
    is the catalogue's ``checks`` domain, every sentence named in full in their code; each a
    plain ``str.format`` template (the checker has no catalogue, so no plural rule); and a
    release's check.py carries exactly the ones it names, in its language."""
    from publish import public_checks
    from publish.nbgrader import build
    from publish.release import FILES, SAID
    from reference.catalogue import sentences, template

    check = (FILES / "check.py").read_text(encoding="utf-8") + inspect.getsource(public_checks)
    named = set(SAID.findall(check + build.HELPERS + build.VALUES))
    for lang in ("en", "ru"):
        said = sentences(lang, "checks")
        assert named - {"status.missing"} == set(said), named ^ set(said)
        assert not [key for key, text in said.items() if ":plural:" in text]
        tree = ast.parse((releases[lang] / "check.py").read_text(encoding="utf-8"))
        carried = [
            ast.literal_eval(node.value)
            for node in tree.body
            if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "MESSAGES"
        ]
        assert carried[-1] == {key: template(key, lang) for key in SAID.findall(check)}


def test_checks_formula_reader_runs_without_site_packages(releases):
    """``python -S``: no numpy, no installed course; the carried reader still reads a formula
    as grade does, and refuses with grade's own message (column and hint)."""
    from grader.kinds.formula import read
    from reference import expr as ex

    course = load_course(LESSON / "course.yml")
    q = next(q for q in course.questions if q.qid == "S.dS_dG_formula")
    public = next(x for e in check_data(course, "en")["exercises"] for x in e["questions"]
                  if x["qid"] == q.qid)  # fmt: skip
    texts = ["S(1-S)", "2e^G/(1+e^G)^2", "σ(G)(1-σ(G))", "np.exp(-G)", "S(1-S", "2e", "x1*G"]
    code = (
        "import importlib.util, json, sys\n"
        "spec = importlib.util.spec_from_file_location('check', sys.argv[1])\n"
        "check = importlib.util.module_from_spec(spec)\n"
        "spec.loader.exec_module(check)\n"
        "assert 'numpy' not in sys.modules\n"
        "public = json.loads(sys.argv[2])\n"
        "out = []\n"
        "for text in json.loads(sys.stdin.read()):\n"
        "    try:\n"
        "        out.append(['read', check.read_formula(text, public)])\n"
        "    except check.Wrong as err:\n"
        "        out.append(['wrong', str(err)])\n"
        "print(json.dumps(out))\n"
    )
    r = subprocess.run(
        [sys.executable, "-S", "-c", code, str(releases["en"] / "check.py"), json.dumps(public)],
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 0, r.stderr
    for text, (status, said) in zip(texts, json.loads(r.stdout), strict=True):
        try:
            written, _ = read(q, text)
        except ex.ExprError as err:
            assert status == "wrong" and said == err.message("en"), (text, said)
            assert "column" in said
            continue
        assert status == "read", (text, said)
        assert ex.unparse(written) in said


# --- notebooks -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["en", "ru", "tiny", "tiny-solutions"])
def test_notebooks_validate_and_mark_their_answer_cells(releases, courses, name):
    course = course_of(name, courses)
    lang = lang_of(name)
    solution = name.endswith("solutions")
    for exercise in course.exercises:
        path = releases[name] / "notebooks" / f"{exercise.id}.ipynb"
        nb = nbformat.reads(path.read_text(encoding="utf-8"), as_version=nbformat.NO_CONVERT)
        nbformat.validate(nb)
        assert (nb.nbformat, nb.nbformat_minor) == (4, 5)
        ids = [c.id for c in nb.cells]
        assert len(set(ids)) == len(ids) and all(CELL_ID.match(i) for i in ids)
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert code[0].source == "import math\nimport numpy as np"
        answers = [c for c in nb.cells if "course" in c.metadata]
        qids = [c.metadata["course"]["question"] for c in answers]
        assert qids == [q.qid for q in exercise.questions]
        assert {q.qid for q in exercise.questions if q.auto} <= set(qids)
        text = "\n".join(c.source for c in nb.cells)
        for cell, q in zip(answers, exercise.questions):
            assert cell.cell_type == "code"
            assert cell.source == snippet(q, lang, solution, prompt=False).rstrip("\n")
            # one prompt per question: in the markdown cell above, not again in the code
            first = q.prompt[lang].strip().splitlines()[0]
            assert first not in cell.source, (q.qid, first)
            assert text.count(first) == 1, (q.qid, first)
        # deterministic: building it again gives the same notebook, ids included (the first
        # opens with the derivative table)
        first_nb = exercise is course.exercises[0]
        again = notebook(exercise, lang, solution, table=first_nb)
        assert json.loads(path.read_text(encoding="utf-8")) == again


# --- each thing said once ----------------------------------------------------------------


def _flat(text: str) -> str:
    """Text with its wrapping undone: comments' ``#`` and line breaks read as spaces."""
    return " ".join(re.sub(r"(?m)^\s*#", " ", text).split())


@pytest.mark.parametrize("name", ["en", "ru"])
def test_each_stub_says_each_rule_once(releases, courses, name):
    """The formula rules (the table's functions, the spellings read) once at the top of a
    stub that asks for formulas, never under a question; a number question says once where
    the values come from and how many digits; no bare ``# (x1, w1)`` line."""
    from grader.kinds.formula import Formula
    from grader.kinds.number import Number, digits_rule
    from reference import table

    course, lang = course_of(name, courses), lang_of(name)
    listing = ", ".join(table.listing())
    rules = _flat(Formula.rules[lang])
    seen = 0
    for exercise in course.exercises:
        text = (releases[name] / f"{exercise.id}.py").read_text(encoding="utf-8")
        flat = _flat(text)
        formulas = [q for q in exercise.questions if q.kind == "formula"]
        assert flat.count(listing) == (1 if formulas else 0), exercise.id
        assert flat.count(rules) == (1 if formulas else 0), exercise.id
        assert flat.count("2(x+1)") == (1 if formulas else 0), exercise.id
        assert not re.search(r"(?m)^# \([\w, ]+\)$", text), exercise.id
        for q in exercise.questions:
            code = _flat(snippet(q, lang))
            if q.kind == "formula":
                seen += 1
                assert listing not in code and "2(x+1)" not in code, q.qid
            if q.kind == "number":
                assert code.count("check.py --id") == 1, (q.qid, code)
                assert code.count(_flat(Number.instruction[lang])) == 1, q.qid
                assert code.count(_flat(digits_rule(q)[lang])) == 1, q.qid
                digits = "significant" if lang == "en" else "значащ"
                assert code.count(digits) == 1, q.qid
    assert seen > 5  # the course asks for formulas: the counts above were of something


def test_a_notebook_says_the_formula_rules_in_its_introduction(releases, courses):
    from reference import table

    listing = ", ".join(table.listing())
    course = course_of("en", courses)
    for exercise in course.exercises:
        path = releases["en"] / "notebooks" / f"{exercise.id}.ipynb"
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        if cells[0]["id"].endswith("table"):  # the release's first notebook opens with it
            cells = cells[1:]
        counts = [_flat("".join(c["source"])).count(listing) for c in cells]
        asks = any(q.kind == "formula" for q in exercise.questions)
        assert counts[0] == (1 if asks else 0) and sum(counts) == counts[0], exercise.id


# --- the output folder -----------------------------------------------------------------------


def test_refuses_a_non_empty_folder_without_force(tmp_path, tiny_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    r = run_course("release", "--out", out, "--course", tiny_path, "--lang", "en")
    assert r.returncode == 1
    assert "not empty" in r.stderr and "--force" in r.stderr and "Traceback" not in r.stderr
    assert [p.name for p in out.iterdir()] == ["notes.txt"]
    r = run_course("release", "--out", out, "--course", tiny_path, "--lang", "ru")
    assert r.returncode == 1 and "не пуста" in r.stderr
    r = run_course("release", "--out", out, "--course", tiny_path, "--lang", "en", "--force")
    assert r.returncode == 0, r.stderr
    assert (out / "notes.txt").read_text() == "mine" and (out / "P.py").is_file()
    (out / "P.py").write_text("broken")
    r = run_course("release", "--out", out, "--course", tiny_path, "--lang", "en", "--force")
    assert r.returncode == 0 and "def P(x, w)" in (out / "P.py").read_text()


# --- the two public checkers: check.py and the nbgrader helper cell --------------------------

VERDICTS = r"""
import importlib.util, json, sys
spec = importlib.util.spec_from_file_location("check", sys.argv[1])
check = importlib.util.module_from_spec(spec)
spec.loader.exec_module(check)
examples = json.loads(check.EXAMPLES.read_text(encoding="utf-8"))["questions"]
items = {q["qid"]: q for e in check.COURSE["exercises"] for q in e["questions"]}
out = []
for case in json.loads(sys.stdin.read()):
    ns = {}
    exec(case["answer"], ns)  # the test's own answer texts
    mine = check.check_question(ns, {}, items[case["qid"]], examples)
    cell = {"__name__": "__main__"}
    exec(case["helper"], cell)
    exec(case["answer"], cell)
    try:
        exec(case["test"], cell)
        theirs = ["ok", ""]
    except AssertionError as err:
        todo = str(err).endswith(": " + cell["say"]("status.missing"))
        theirs = ["todo" if todo else "wrong", str(err)]
    out.append([list(mine), theirs])
print(json.dumps(out))
"""

WRONG_FORM = {  # form -> a value of the wrong form
    "number": "'twelve'",
    "str": "12",
    "formula": "[12]",  # a number unquoted is a formula (its text): a list is not
    "option": "'sideways'",
    "set": "'q'",
    "mapping": "['q']",
}


def verdict_cases(course, lang):
    """(qid, form, expected status, answer text) for every auto question: the reference's
    answer, the blank stub, a wrong form, and for a function a wrong value."""
    from grader.kinds import kind_of
    from grader.kinds.snippets import notebook_snippet

    for q in course.questions:
        if not q.auto:
            continue
        form = kind_of(q).public(q)["form"]
        right = notebook_snippet(q, lang, solution=True)
        yield q.qid, form, "ok", right
        yield q.qid, form, "todo", notebook_snippet(q, lang)
        if form == "function":
            shift = (
                f"\n_right = {q.name}\n\ndef {q.name}(*args):\n    r = _right(*args)\n"
                "    return {k: v + 1 for k, v in r.items()} if isinstance(r, dict) else r + 1\n"
            )
            yield q.qid, form, "wrong", right + shift
            yield q.qid, form, "wrong", right + f"\ndef {q.name}(*args):\n    return 'abc'\n"
        else:
            yield q.qid, form, "wrong", right + f"\n{q.name} = {WRONG_FORM[form]}\n"
            if form in ("set", "mapping"):
                key = "{'nope'}" if form == "set" else "{'nope': ['q']}"
                yield q.qid, form, "wrong", right + f"\n{q.name} = {key}\n"


@pytest.mark.parametrize("name", ["tiny", "tiny-ru"])
def test_check_py_and_the_notebook_helper_give_the_same_verdicts(releases, courses, name):
    from publish.nbgrader.build import BEGIN_HIDDEN, helpers_source, tests_source
    from publish.public_checks import FORMS

    course, lang = courses["tiny"], lang_of(name)
    helpers = {e.id: helpers_source(e, lang) for e in course.exercises}
    cases, expected = [], []
    for qid, form, status, answer in verdict_cases(course, lang):
        q = next(q for q in course.questions if q.qid == qid)
        test = tests_source(q, lang).split(BEGIN_HIDDEN)[0]
        answer = "import math\nimport numpy as np\n" + answer  # the notebook's imports cell
        cases.append({"qid": qid, "answer": answer, "helper": helpers[q.exercise], "test": test})
        expected.append((qid, form, status))
    # every form is tried ("str" is only the free text's, graded by the teacher; formulas
    # share its check)
    assert {form for _, form, _ in expected} == set(FORMS) - {"str"}
    r = subprocess.run(
        [sys.executable, "-c", VERDICTS, str(releases[name] / "check.py")],
        input=json.dumps(cases),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr
    for (qid, form, status), (mine, theirs) in zip(expected, json.loads(r.stdout)):
        if mine[0] == "answered":  # check.py never ticks what only grading verifies
            assert form in ("option", "set", "mapping") and status == "ok", (qid, mine)
            mine[0] = "ok"
        assert mine[0] == theirs[0] == status, (qid, form, status, mine, theirs)
        if status == "wrong" and form != "function":  # the same words, too
            assert mine[1] == theirs[1], (qid, mine, theirs)
        if status == "wrong" and lang == "ru":
            assert not re.search(r"expected|got", theirs[1]), theirs


def notebook_with_scratch(path: Path, wrong: str | None = None) -> None:
    """Add magics, a failing scratch cell and a shell cell to a released notebook; ``wrong``:
    a cell after the answers redefining that question's function to return w."""

    def cell(source):
        return {"cell_type": "code", "execution_count": None, "id": f"x{len(source)}",
                "metadata": {}, "outputs": [], "source": source}  # fmt: skip

    nb = json.loads(path.read_text(encoding="utf-8"))
    extra = [
        cell("%matplotlib inline\n!pip install nothing\n%time y = P(1.0, 2.0)"),
        cell("P(1.0, 2.0) / 0  # a scratch cell that fails"),
        cell("%%bash\necho not python"),
        cell("def helper(:\n    pass  # a broken scratch cell"),
    ]
    if wrong:
        extra.append(cell(f"def {wrong}(x, w):\n    return w"))
    nb["cells"][2:2] = extra[:2]
    nb["cells"] += extra[2:]
    path.write_text(json.dumps(nb), encoding="utf-8")


@pytest.mark.parametrize("wrong", [None, "dP_dx"])
def test_check_py_and_grade_read_a_notebook_the_same(releases, courses, tiny_path, tmp_path, wrong):
    folder = tmp_path / "work"
    shutil.copytree(releases["tiny-solutions"], folder)
    notebook_with_scratch(folder / "notebooks" / "P.ipynb", wrong)
    r = run_check(folder, "--notebooks", "P")
    marks = {line.split()[1]: line.split()[0] for line in r.stdout.splitlines() if line[:2] == "  "}
    submission = tmp_path / "sub"
    submission.mkdir()
    shutil.copy(folder / "notebooks" / "P.ipynb", submission)
    g = subprocess.run(
        command("grade", submission, "--json", tmp_path / "g.jsonl"),
        cwd=tiny_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert g.returncode == 0, g.stderr
    report = json.loads((tmp_path / "g.jsonl").read_text().splitlines()[0])
    graded = {q["id"]: q["status"] for q in report["questions"]}
    course = courses["tiny"]
    compared = [q.qid for q in course.exercise("P").questions if q.kind in ("function", "formula")]
    for qid in compared:  # (numbers are graded at the student's own values: not compared)
        want = "✗" if wrong and qid == f"P.{wrong}" else "✓"
        assert marks[qid] == want, (qid, r.stdout)
        assert (graded[qid] == "passed") == (want == "✓"), (qid, graded)
    assert "Traceback" not in r.stdout + r.stderr


# --- check.py and grade on the same answers ---------------------------------------------------

SAME_ANSWERS = {  # submission -> {name: the text put after "name = "}; {v}: the key's value
    "relaxed": {
        "dP_dx_formula": "'w(1 - P^2)'",  # P has a value: w·(1 − P²), as grade reads it
        "dP_dw_formula": "'x(1-tanh(w x)**2)'",  # unreadable: 'w x' has no '*'
        "P_change_w": "np.float64({v})",
        "dE_dk_mine": "np.array([{v}])",
    },
    "refused": {
        "dP_dx_formula": "'w*(1 - P^2'",  # never closed
        "dP_dw_formula": "'2e'",  # an unfinished number
        "P_change_w": "__import__('decimal').Decimal(repr({v}))",
        "dE_dk_mine": "np.bool_(True)",
        "E_sign_k": "'sideways'",
    },
    "plain": {
        "dP_dw_formula": "'x(1 - P²)'",
        "P_change_w": "True",
        "dE_dk_mine": "10**400",
        "E_sign_k": "{other}",  # a wrong choice: never ✓
    },
}


def test_check_py_and_grade_agree_on_the_same_answers(releases, tiny_path, tmp_path):
    """The real release's check.py and the real ``grade`` on the same files: check.py ticks
    a formula or a number only where grade can read it (and grade then passes it), shows
    grade's own message for a formula neither can read, and never ticks a choice."""
    subs = tmp_path / "subs"
    for name, answers in SAME_ANSWERS.items():
        folder = subs / name
        shutil.copytree(releases["tiny-solutions"], folder)
        shutil.rmtree(folder / "notebooks")  # grade would score the filled notebooks too
        for file in ("P.py", "quiz.py"):
            text = (folder / file).read_text(encoding="utf-8")
            for var, spelled in answers.items():
                m = re.search(rf"(?m)^{var} = (.*)$", text)
                if m:
                    v = m.group(1)
                    other = repr("down" if v == "'up'" else "up")
                    answer = spelled.format(v=v, other=other)
                    text = text[: m.start(1)] + answer + text[m.end(1) :]
            (folder / file).write_text(text, encoding="utf-8")
    out = tmp_path / "g.jsonl"
    g = subprocess.run(
        command("grade", *[subs / n for n in SAME_ANSWERS], "--json", out, "--lang", "en"),
        cwd=tiny_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert g.returncode == 0, g.stderr
    reports = {Path(o["submission"]).name: o for o in map(json.loads, out.read_text().splitlines())}
    for name, answers in SAME_ANSWERS.items():
        r = run_check(subs / name, "P", "quiz")
        lines = {ln.split()[1]: ln for ln in r.stdout.splitlines() if ln.startswith("  ")}
        graded = {q["id"]: q for q in reports[name]["questions"]}
        for var in answers:
            qid = next(q for q in lines if q.endswith(f".{var}"))
            mark, result = lines[qid].split()[0], graded[qid]
            if qid == "quiz.E_sign_k":
                assert mark != "✓" and result["status"] == "failed", (name, lines[qid], result)
                continue
            assert (mark == "✓") == (result["status"] == "passed"), (name, lines[qid], result)
            assert mark in ("✓", "✗"), lines[qid]
            if qid.endswith("_formula") and mark == "✗":  # grade's own words, column and hint
                said = result["feedback"].split(": ", 1)[1].split("\n")[0]
                assert said.split(" Read as")[0] in lines[qid], (lines[qid], said)
                assert "column" in lines[qid]
    expected_ticks = {"relaxed": 3, "refused": 0, "plain": 1}
    for name, n in expected_ticks.items():
        r = run_check(subs / name, "P", "quiz")
        ticked = [ln.split()[1] for ln in r.stdout.splitlines() if ln.startswith("  ✓")]
        assert len([q for q in ticked if q.split(".")[1] in SAME_ANSWERS[name]]) == n, ticked
