"""``grade --html DIR``: the pages' structure, read back without a browser (html.parser, xml).

One class is graded once (the samples, and a copy of the mistakes whose student id and one
formula are markup) and every test reads the pages it wrote.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest
from conftest import LESSON, command

from cli.html import graph, page_name, team_page_name
from cli.html.assets import number
from grader.course.loader import load_course
from grader.scoring import checks
from grader.scoring.trace import Trace, graph_point
from grader.teams.chain import points
from publish.notebooks import dumps, notebook
from publish.stubs import stubs
from reference import expr as ex
from reference.course.model import load_model
from reference.course.targets import evaluate, evaluate_at_leaves
from reference.expr.mathml import NAMESPACE, mathml
from reference.i18n import pick, same
from reference.table import ALIASES, FUNCTIONS

EVIL = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def course():
    return load_course(LESSON / "course.yml")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The class graded into DIR/html, in English; the JSON Lines next to it."""
    root = tmp_path_factory.mktemp("class")
    klass = root / "class"
    for name in ("perfect", "mistakes", "broken"):
        shutil.copytree(LESSON / "samples" / name, klass / name)
    shutil.copytree(LESSON / "samples" / "mistakes", klass / "evil")
    with (klass / "evil" / "L.py").open("a") as f:
        f.write(f'\ndL_dS_formula = "</td>{EVIL}"\n')
    (root / "roster.csv").write_text(f"submission,student\nevil,{EVIL}\n", encoding="utf-8")
    out = root / "html"
    run = subprocess.run(
        command(
            "grade", klass, "--course", LESSON / "course.yml", "--roster", root / "roster.csv",
            "--json", root / "grades.jsonl", "--html", out, "--lang", "en", "--workers", "1",
        ),
        capture_output=True, text=True, cwd=root, timeout=600,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    reports = {
        json.loads(line)["student"]: json.loads(line)
        for line in (root / "grades.jsonl").read_text().splitlines()
    }
    return out, reports


class Page(HTMLParser):
    """What a test looks for in a page: tags, attributes, text."""

    def __init__(self, text: str):
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)

    def having(self, tag: str, attr: str | None = None) -> list[dict[str, str | None]]:
        return [a for t, a in self.tags if t == tag and (attr is None or attr in a)]


def read(out: Path, report: dict) -> tuple[str, Page]:
    text = (out / page_name(report)).read_text(encoding="utf-8")
    return text, Page(text)


def test_every_student_has_a_page_with_a_row_per_question(site, course):
    out, reports = site
    assert len(reports) == 4
    for report in reports.values():
        _, page = read(out, report)
        assert page.having("html")[0]["lang"] == "en"
        rows = [a["data-question"] for a in page.having("tr", "data-question")]
        assert rows == [q["id"] for q in report["questions"]]
        assert f"{report['score']:.4g} / {report['max_score']:.4g}" in "".join(page.text)


def test_a_page_names_the_submission_not_where_it_lies_on_the_grading_machine(site):
    out, reports = site
    report = reports["perfect"]
    text, _ = read(out, report)
    folder = Path(report["submission"])
    assert f"<code>{folder.name}</code>" in text
    assert str(folder.parent) not in text  # the teacher's file system is not the student's


def test_the_graph_is_svg_with_every_node_of_the_model_and_the_failed_links_marked(site, course):
    out, reports = site
    _, page = read(out, reports["mistakes"])
    assert len(page.having("svg")) == 1
    nodes = {a["data-node"] for a in page.having("g", "data-node")}
    assert nodes == set(course.model.names)
    edges = {a["data-edge"]: a["class"] for a in page.having("g", "data-edge")}
    assert edges["w1-A"] == "edge wrong"  # dA_dw1 is the sample's mistake
    assert edges["x1-A"] == "edge"  # and its twin, right, is drawn plain
    perfect = read(out, reports["perfect"])[1]
    assert all(a["class"] == "edge" for a in perfect.having("g", "data-edge"))
    assert not [a for a in perfect.having("g", "data-node") if "wrong" in (a["class"] or "")]


def test_the_graph_shows_the_students_own_chained_values(site, course):
    out, reports = site
    text, _ = read(out, reports["perfect"])
    point = graph_point(course, "perfect")
    trace = course.model.trace(point)  # the perfect student's code is the reference's
    for node in course.model.nodes:
        assert f"= {number(float(trace.values[node.name]))}<" in text


def test_the_graph_comes_from_grading_at_the_students_own_values(tmp_path, course):
    """A notebook-only student's graph is their notebooks' (the route graded), at their own
    values (the page says so), and it travels in the report: a resumed run draws the same
    page after the folder is gone, with nothing run again."""
    klass = tmp_path / "class"
    folder = klass / "nb"
    (folder / "notebooks").mkdir(parents=True)
    for name, text in stubs(course, "en"):  # the .py stubs blank
        (folder / name).write_text(text)
    for exercise in course.exercises:
        nb = notebook(exercise, "en", solution=True, student="nbstudent")
        (folder / "notebooks" / f"{exercise.id}.ipynb").write_text(dumps(nb))
    (folder / "student.txt").write_text("nbstudent\n")
    out, jsonl = tmp_path / "html", tmp_path / "grades.jsonl"

    def run():
        argv = command("grade", klass, "--json", jsonl, "--html", out, "--lang", "en")
        r = subprocess.run(argv, capture_output=True, text=True, cwd=LESSON, timeout=300)
        assert r.returncode == 0, r.stderr
        return json.loads(jsonl.read_text().splitlines()[0]), r

    report, _ = run()
    own = course.model.own_values("nbstudent")
    assert report["graph"]["point"] == {k: own[k] for k in course.model.leaves}
    truth = course.model.trace({k: own[k] for k in course.model.leaves})
    for node in course.model.nodes:  # the notebooks' functions are right: the true values
        assert report["graph"]["values"][node.name] == pytest.approx(float(truth.values[node.name]))
    text, _ = read(out, report)
    assert "check.py --id nbstudent" in text
    assert f"= {number(float(truth.values['S']))}<" in text
    (out / page_name(report)).unlink()  # resumed: the page drawn again from the report
    again, r = run()
    assert "unchanged" in r.stderr and read(out, again)[0] == text
    # the twin: the notebooks gone, graded again from the blank .py stubs: no values
    shutil.rmtree(folder / "notebooks")
    blank, r = run()
    assert "unchanged" not in r.stderr
    assert blank["graph"]["values"]["S"] is None
    assert f"= {number(float(truth.values['S']))}<" not in read(out, blank)[0]


def test_formulas_are_mathml_from_the_parsed_tree(site):
    out, reports = site
    text, page = read(out, reports["mistakes"])
    assert page.having("math")
    for m in text.split("<math ")[1:]:  # each one well-formed XML in the MathML namespace
        root = ET.fromstring("<math " + m.split("</math>")[0] + "</math>")
        assert root.tag == f"{{{NAMESPACE}}}math"
    assert 'data-formula="S.dS_dG_formula"' in text
    assert "σ" in "".join(page.text)


def test_mathml_of_a_tree(course):
    tree = ex.parse(
        "sigmoid(G)*(1 - sigmoid(G))/x1^2", names=["G", "x1"], functions=FUNCTIONS,
        aliases=ALIASES,
    )  # fmt: skip
    root = ET.fromstring(mathml(tree))
    tags = {e.tag.split("}")[1] for e in root.iter()}
    assert {"mfrac", "msup", "msub", "mi", "mo", "mn"} <= tags
    assert root.get("alttext") == ex.unparse(tree)
    plain = ET.fromstring(mathml(ex.parse("a - (b - c)", names="abc", functions=FUNCTIONS)))
    assert [e.text for e in plain.iter() if e.text] == ["a", "−", "(", "b", "−", "c", ")"]
    twin = ET.fromstring(mathml(ex.parse("a - b - c", names="abc", functions=FUNCTIONS)))
    assert "(" not in [e.text for e in twin.iter()]


def _floats(value) -> list[float]:
    if isinstance(value, dict):
        return [v for x in value.values() for v in _floats(x)]
    try:
        return [float(v) for v in np.ravel(np.asarray(value, dtype=float))]
    except (TypeError, ValueError):
        return []


def _expected(course, report: dict) -> list[float]:
    """The reference's answers to every question the student got wrong: at the points they
    were checked at, at the student's own values, and at the graph's point."""
    plan = checks.plan(course, report["student"])
    wrong = [q["id"] for q in report["questions"] if q["status"] in ("failed", "partial")]
    out: list[float] = []
    for qid in wrong:
        q = course.by_qid[qid]
        if q.kind == "function":
            at = graph_point(course, report["student"])
            out += _floats(evaluate(q.target, q.model, plan.points[qid]))
            out += _floats(evaluate_at_leaves(q.target, q.model, at))
        elif q.kind == "number":
            leaves = q.model.own_values(report["student"])
            out += _floats(evaluate_at_leaves(q.target, q.model, leaves))
    return [v for v in out if np.isfinite(v)]


def test_no_expected_value_of_a_wrong_answer_anywhere_in_the_page(site, course):
    out, reports = site
    report = reports["mistakes"]
    text, _ = read(out, report)
    leaves = {number(v) for v in graph_point(course, "mistakes").values()}  # inputs: shown
    expected = _expected(course, report)
    assert len(expected) > 10
    shown = [
        v for v in expected
        if len(number(abs(v)).replace(".", "").lstrip("0")) >= 3 and number(v) not in leaves
        and number(v) in text
    ]  # fmt: skip
    assert not shown
    # the twin: the student's own values are there, so the check would see a number shown
    own = course.model.trace(graph_point(course, "perfect")).values["S"]
    assert number(float(own)) in read(out, reports["perfect"])[0]


def test_a_student_named_script_is_text_everywhere(site):
    out, reports = site
    report = reports[EVIL]
    text, page = read(out, report)
    assert EVIL not in text and "<script" not in text
    assert EVIL in "".join(page.text)  # shown, as text
    assert EVIL in "".join(Page((out / page_name(report)).read_text()).text)
    index = (out / "index.html").read_text(encoding="utf-8")
    assert EVIL not in index and "&lt;script&gt;" in index
    assert index.count("<script") == 1  # the dashboard's own sorter, and nothing else
    # the twin: without escaping the same text would have been markup
    assert "</td>" + EVIL not in text and "&lt;/td&gt;&lt;script&gt;" in text


def test_pages_fetch_nothing(site):
    out, _ = site
    for f in out.glob("*.html"):
        text = f.read_text(encoding="utf-8")
        page = Page(text)
        assert "default-src 'none'" in text
        for tag, attrs in page.tags:
            for key in ("src", "href"):
                target = attrs.get(key) or ""
                assert not target.startswith(("http:", "https:", "//")), (f.name, tag, target)
        assert not page.having("link") and not page.having("img")
        assert "@media print" in text


def test_dashboard_and_its_statistics(site, course):
    out, reports = site
    index = Page((out / "index.html").read_text(encoding="utf-8"))
    links = {a["href"] for a in index.having("a", "href")}
    assert {page_name(r) for r in reports.values()} <= links
    assert all((out / page_name(r)).is_file() for r in reports.values())
    assert len(index.having("svg")) == 2  # the class's graph, the histogram
    words = " ".join(index.text)
    assert "score, % of the maximum" in words and "50 %" in words
    stats = json.loads((out / "stats.json").read_text())
    # scores as people write them: no float noise on the page
    assert not re.search(r"\d\.\d{3,} /", words), re.findall(r"\d\.\d{3,} /", words)
    assert stats["submissions"] == 4
    assert sum(b["count"] for b in stats["histogram"]) == 4
    by_id = {q["id"]: q for q in stats["questions"]}
    assert by_id["A.dA_dw1"]["passed"] == 1  # perfect; broken's A.py does not parse
    assert by_id["A.dA_dw1"]["statuses"].get("failed") == 2  # mistakes, evil: both wrong
    top = by_id["A.dA_dw1"]["diagnoses"][0]
    assert top["count"] == 2 and "x1" in top["feedback"]
    rows = list(csv.DictReader((out / "stats.csv").open(encoding="utf-8")))
    assert [r["question"] for r in rows] == [q["id"] for q in stats["questions"]]
    assert {a["data-question"] for a in index.having("tr", "data-question")} == set(by_id)


def test_the_dashboard_shows_where_the_class_breaks(site, course):
    """The class graph's fill is each node's and link's pass rate (said in numbers too), the
    questions come grouped by exercise with its title, and the heat map has a row a student
    and a cell a question, each with its status's symbol."""
    out, reports = site
    text = (out / "index.html").read_text(encoding="utf-8")
    index = Page(text)
    stats = json.loads((out / "stats.json").read_text())
    by_id = {q["id"]: q for q in stats["questions"]}
    nodes = {a["data-node"]: a for a in index.having("g", "data-node")}
    edges = {a["data-edge"]: a for a in index.having("g", "data-edge")}
    assert set(nodes) == {*course.model.leaves, *(n.name for n in course.model.nodes)}
    # the link w1 → A: A.dA_dw1 and its formula, over the class
    link = [by_id[q] for q in ("A.dA_dw1", "A.dA_dw1_formula")]
    rate = sum(q["passed"] for q in link) / sum(q["submissions"] for q in link)
    assert float(edges["w1-A"]["data-rate"]) == pytest.approx(rate, abs=1e-4)
    assert rate < 1 and f"{rate * 100:.0f} %" in " ".join(index.text)
    assert float(edges["x2-B"]["data-rate"]) == 1.0  # nobody broke B
    fills = set(re.findall(r'data-node="[A-Z]"[^>]*><rect[^>]*style="fill:(#[0-9a-f]{6})"', text))
    assert len(fills) >= 2  # the broken A is not the colour of the rest
    assert nodes["x1"]["data-rate"] == ""  # an input has no questions: no colour, no rate
    items = index.having("tr", "data-question")
    assert [a["data-question"] for a in items] == [
        q.qid for q in course.questions if q.qid in by_id
    ]  # the course's order: grouped by exercise
    titles = [pick(e.title, "en") for e in course.exercises]
    assert all(title in " ".join(index.text) for title in titles[:3])
    heat = index.having("th", "data-question")
    assert [a["data-question"] for a in heat] == [q.qid for q in course.questions]
    rows = re.findall(r"<tr><td data-sort=.*?</tr>", text)
    assert len(rows) == len(reports)
    mistakes = next(r for r in rows if ">mistakes<" in r)
    cells = re.findall(r'<td class="h h-([a-z]+)">', mistakes)
    assert len(cells) == len(course.questions)
    statuses = {q["id"]: q["status"] for q in reports["mistakes"]["questions"]}
    assert cells == [statuses[q.qid] for q in course.questions]
    assert cells.count("failed") >= 1 and "\u2717" in mistakes  # a symbol, not colour alone


def test_a_file_given_as_the_html_folder_is_a_usage_error(tmp_path):
    target = tmp_path / "taken"
    target.write_text("x")
    run = subprocess.run(
        command("grade", LESSON / "samples" / "perfect", "--course", LESSON / "course.yml",
                "--html", target, "--lang", "ru"),
        capture_output=True, text=True, cwd=tmp_path, timeout=120,
    )  # fmt: skip
    assert run.returncode == 2
    assert "это файл, а не папка" in run.stderr and "Traceback" not in run.stderr


def test_the_graph_follows_any_model(tmp_path):
    """A teacher's own model (tanh, and a node D added before the loss) is drawn as it is."""
    text = (LESSON / "course.yml").read_text(encoding="utf-8")
    text = text.replace("S(G): sigmoid(G)", "S(G): tanh(G)\n  D(S): 2*S")
    text = text.replace("L(S, gold): (gold - S)**2", "L(D, gold): (gold - D)**2")
    (tmp_path / "course.yml").write_text(text, encoding="utf-8")
    model = load_model(tmp_path / "course.yml")
    assert "D" in [n.name for n in model.nodes]
    point = {k: 0.5 for k in model.leaves}
    values = {n: float(v) for n, v in model.trace(point).values.items() if n not in point}
    drawn = graph.svg(
        model, Trace(point, values, {"D": {"S": None}}), {"D.forward": "failed"}, "ru"
    )
    root = ET.fromstring(drawn)
    found = {g.get("data-node"): g.get("class") for g in root.iter("{http://www.w3.org/2000/svg}g")}
    assert set(model.names) <= set(found)
    assert found["D"] == "node wrong" and found["S"] == "node"
    assert "∂D/∂S = —" in drawn  # no number from the student: a dash, never the reference's


# -- team mode: ``grade --teams R --html DIR``

TEAM = {"A": "ann", "B": "bob", "C": "cat", "G": "dan", "S": "eve", "L": "fay"}
BLUE = f"blue{EVIL}"  # a team name from the roster is markup-free text on every page


@pytest.fixture(scope="module")
def team_site(tmp_path_factory, course):
    """Two teams graded in one run: red, all right; blue, where S's owner forgets the upstream
    factor and nobody owns C (the reference stands in).  Each student's files are the
    reference's solution for them (``publish.stubs``), the one mistake edited in."""
    root = tmp_path_factory.mktemp("teams")
    rows = ["team,student,node"]
    for team, prefix in (("red", "r_"), (BLUE, "b_")):
        for node, name in TEAM.items():
            student = prefix + name
            if team == BLUE and node == "C":
                continue
            rows.append(f'"{team}",{student},{node}')
            files = dict(stubs(course, "en", solution=True, student=student))
            if team == BLUE and node == "S":
                assert files["S.py"].count('{"G": dL_dS*') == 1
                files["S.py"] = files["S.py"].replace('{"G": dL_dS*', '{"G": ')
            (root / "class" / student).mkdir(parents=True)
            for name_, text in files.items():
                (root / "class" / student / name_).write_text(text, encoding="utf-8")
    (root / "teams.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = root / "html"
    run = subprocess.run(
        command(
            "grade", root / "class", "--teams", root / "teams.csv", "--course",
            LESSON / "course.yml", "--json", root / "grades.jsonl", "--html", out, "--lang", "en",
            "--workers", "1",
        ),
        capture_output=True, text=True, cwd=root, timeout=600,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    lines = [json.loads(line) for line in (root / "grades.jsonl").read_text().splitlines()]
    teams = {o["team"]: o for o in lines if o.get("kind") == "team"}
    students = {o["student"]: o for o in lines if "submission" in o}
    return out, teams, students


def _team_truth(course, team: str):
    return course.model.trace(points(course.model, team))


def _first(value) -> float:
    return float(np.ravel(np.asarray(value, dtype=float))[0])


def test_a_team_page_marks_the_first_broken_link_and_draws_the_owners(team_site, course):
    out, teams, _ = team_site
    assert teams[BLUE]["first_broken"] == "S"
    text = (out / team_page_name(BLUE)).read_text(encoding="utf-8")
    page = Page(text)
    nodes = {a["data-node"]: a for a in page.having("g", "data-node")}
    assert "first-broken" in nodes["S"]["class"] and "wrong" not in nodes["S"]["class"]
    edges = {a["data-edge"]: a["class"] for a in page.having("g", "data-edge")}
    assert edges["G-S"] == "edge wrong first-broken"  # S hands dL/dG back to G: broken
    assert edges["S-L"] == "edge" and edges["A-G"] == "edge"  # the others are drawn plain
    assert "\u2717 \u2202L/\u2202G" in text and "\u2717 first broken (backward)" in text
    for node, student in TEAM.items():  # every owner on their node; C by the reference
        assert nodes[node]["data-owner"] == ("" if node == "C" else "b_" + student)
    assert "reference" in nodes["C"]["class"] and "[reference]" in text
    rows = {a["data-link"]: a for a in page.having("tr", "data-link")}
    assert rows["S.backward"].get("class") == "first-broken"
    assert [a["data-first-broken"] for a in page.having("li", "data-first-broken")] == ["S"]


def test_a_team_page_never_shows_the_reference_value_of_a_wrong_link(team_site, course):
    out, _, _ = team_site
    text = (out / team_page_name(BLUE)).read_text(encoding="utf-8")
    truth = _team_truth(course, BLUE)
    right = _first(truth.grad["G"])  # what S's owner should have handed back: dL/dG
    assert number(right) not in text
    leaves = {number(_first(v)) for v in points(course.model, BLUE).values()}
    lr = course.model.learning_rate
    for p in course.model.parameters:  # the gradient and step went wrong: only the team's
        w, grad = _first(points(course.model, BLUE)[p]), _first(truth.grad[p])
        assert number(grad) not in text
        if number(w - lr * grad) not in leaves:  # a step too small to show is the leaf
            assert number(w - lr * grad) not in text
    # the twin: the team's own (wrong) dL/dG, S's local derivative alone, is on the page …
    assert number(_first(truth.local["S"]["G"])) in text
    # … and on a team that got it right the reference's dL/dG is there, so the check can see
    red = (out / team_page_name("red")).read_text(encoding="utf-8")
    assert number(_first(_team_truth(course, "red").grad["G"])) in red


def marks(text: str) -> str:
    """A page's body without the graph's legend (which explains ✗ in words)."""
    return re.sub(r"<desc[^>]*>.*?</desc>", "", text.split("<body>", 1)[1])


def test_an_all_right_team_has_no_broken_mark(team_site):
    out, teams, _ = team_site
    assert teams["red"]["first_broken"] is None
    text = (out / team_page_name("red")).read_text(encoding="utf-8")
    page = Page(text)
    assert "\u2717" not in marks(text)
    assert not [a for _, a in page.tags if "first-broken" in (a.get("class") or "")]
    assert "\u2717" in marks((out / team_page_name(BLUE)).read_text(encoding="utf-8"))  # twin
    assert not [a for a in page.having("g") if "wrong" in (a.get("class") or "")]
    assert {a["data-owner"] for a in page.having("g", "data-owner")} == {
        "r_" + s for s in TEAM.values()
    }


def test_the_dashboard_lists_the_teams_and_members_link_to_theirs(team_site, course):
    out, _, students = team_site
    index = (out / "index.html").read_text(encoding="utf-8")
    page = Page(index)
    assert {a["data-team"] for a in page.having("tr", "data-team")} == {"red", BLUE}
    hrefs = {a["href"] for a in page.having("a", "href")}
    assert {team_page_name("red"), team_page_name(BLUE)} <= hrefs
    assert team_page_name(BLUE).startswith("team-blue") and "<" not in team_page_name(BLUE)
    for f in out.glob("*.html"):  # the team's name is text everywhere
        assert EVIL not in f.read_text(encoding="utf-8"), f.name
    assert "blue&lt;script&gt;" in index
    eve = students["b_eve"]
    text, mine = read(out, eve)
    assert team_page_name(BLUE) in {a["href"] for a in mine.having("a", "href")}
    nodes = [a for a in mine.having("g", "data-node") if "mine" in (a["class"] or "")]
    assert [a["data-node"] for a in nodes] == ["S"]
    assert ">you</text>" in text and ">[reference]</text>" in text
    assert [a["data-link"] for a in mine.having("tr", "data-link")] == ["S.forward", "S.backward"]


def test_a_value_that_would_be_the_answer_is_hidden():
    """A co-owner's right value, or the reference standing in for code that gave nothing, is
    the answer to the broken link: hidden on the node, the edge, and what teammates received."""
    from cli.html.team_values import shown
    from grader.teams.result import Link, TeamResult

    model = load_model(LESSON / "course.yml")
    up = {"G": 1.5, "dL_dS": 0.25}

    def back(student, status, handed, hands_on=True):
        return Link("S", "backward", student, status, up, handed, same(""), hands_on)

    def g_link(received):
        return Link("G", "backward", "dan", "carried", received, {"dL_dA": 9.0}, same(""))

    def team(*links):
        return TeamResult("t", {"S": ["eve", "zoe"]}, ["S"], list(links), {}, False, {}, False)

    # the first owner wrong with a number of their own, the co-owner right
    first_wrong = back("eve", "wrong", {"dL_dG": 0.1})
    co_right = back("zoe", "right", {"dL_dG": 0.05}, False)
    seen = shown(model, team(first_wrong, co_right, g_link({"dL_dG": 0.1})))
    assert seen.edges[("G", "S")] == 0.1  # eve's own wrong number: shown
    assert seen.handed(co_right) is None  # zoe's right one would be eve's answer
    # the first owner right, the co-owner wrong: the right value handed on is hidden
    right = back("eve", "right", {"dL_dG": 0.05})
    wrong = back("zoe", "wrong", {"dL_dG": 0.1}, False)
    seen = shown(model, team(right, wrong, g_link({"dL_dG": 0.05})))
    assert seen.edges[("G", "S")] is None and "dL_dG" in seen.hidden
    assert seen.handed(right) is None and seen.handed(wrong) == {"dL_dG": 0.1}
    assert seen.received(g_link({"dL_dG": 0.05}))["dL_dG"] is None
    # the owner's code gave nothing: the reference's number went on, hidden too
    seen = shown(model, team(back("eve", "error", {}), g_link({"dL_dG": 0.05})))
    assert seen.edges[("G", "S")] is None and "dL_dG" in seen.hidden
    # the twin: all right, nothing hidden
    seen = shown(model, team(back("eve", "right", {"dL_dG": 0.05}), g_link({"dL_dG": 0.05})))
    assert not seen.hidden and seen.edges[("G", "S")] == 0.05
    # S's forward gave nothing: S is hidden, and so is every value computed from it, the
    # dL/dS handed back first (S = gold + dL/dS / 2 exactly)
    s_fwd = Link("S", "forward", "eve", "error", {"G": 1.5}, {}, same(""))
    l_back = Link("L", "backward", "fay", "carried", {"S": 0.8}, {"dL_dS": -0.4}, same(""))
    seen = shown(model, team(s_fwd, l_back, back("eve", "carried", {"dL_dG": 0.05})))
    assert "S" in seen.hidden and seen.values["S"] is None
    assert seen.edges[("S", "L")] is None and "dL_dS" in seen.hidden
    assert seen.edges[("G", "S")] is None and {"dL_dA", "dL_dw1"} <= seen.hidden
    # its twin: S right, nothing hidden
    s_fwd = Link("S", "forward", "eve", "right", {"G": 1.5}, {"S": 0.8}, same(""))
    seen = shown(model, team(s_fwd, l_back, back("eve", "right", {"dL_dG": 0.05})))
    assert not seen.hidden and seen.edges[("S", "L")] == -0.4
