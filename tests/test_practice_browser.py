"""Practice in headless Chromium (Debian's chromium and chromium-driver, through Selenium): the
real ``course serve`` on a free loopback port (the live round's app with practice's).  A student
practises three questions (a number computed by hand, a formula, a function's code), answers
each wrong first and reads the grader's diagnosis, then succeeds on a fresh variant (the right
answer computed here by the reference for that variant, never typed by hand), and asks for one
solution; a formula that is HTML stays text.  The teacher's page then shows each question
practised, its success and its diagnosis.  Screenshots go to a temporary folder."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from conftest import LESSON
from test_live_browser import CHROMIUM, DRIVER, browser, css, present, until
from test_live_pages import Served

from grader.course.loader import load_course
from grader.practice import Variant

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not (Path(CHROMIUM).exists() and Path(DRIVER).exists()),
        reason="chromium or chromedriver is not installed (.ci/run installs them)",
    ),
]
ARTEFACTS = Path(tempfile.gettempdir()) / "backprop-practice-screenshots"
STUDENT = "ann"
EVIL = "<img src=x onerror=window.pwned=1>"


@pytest.fixture
def served(tmp_path):
    """The real command, ``course serve`` on a free loopback port, as a teacher starts it."""
    server = Served("--db", tmp_path / "rounds.sqlite3", "--course", LESSON, "--lang", "en")
    yield load_course(LESSON / "course.yml"), server
    assert server.stop() == 0


def shoot(driver, name: str) -> None:
    ARTEFACTS.mkdir(exist_ok=True)
    driver.save_screenshot(str(ARTEFACTS / f"{name}.png"))


def start(driver, qid: str) -> int:
    """Pick ``qid`` and start a variant: its number, once its section shows it."""
    from selenium.webdriver.support.ui import Select

    before = css(driver, "#variant").get_attribute("data-variant")
    Select(css(driver, "#question")).select_by_value(qid)
    css(driver, "#start").click()
    until(driver, lambda d: d.find_element("css selector", "#variant").get_attribute(
        "data-variant") not in (None, "", before))  # fmt: skip
    return int(css(driver, "#variant").get_attribute("data-variant"))


def fresh(driver) -> int:
    before = css(driver, "#variant").get_attribute("data-variant")
    css(driver, "#fresh").click()
    until(driver, lambda d: css(d, "#variant").get_attribute("data-variant") != before)
    return int(css(driver, "#variant").get_attribute("data-variant"))


def send(driver, typed: str) -> tuple[str, str]:
    """Type ``typed`` in the answer box, check it: (the verdict, the feedback read)."""
    field = css(driver, "#answer-input")
    field.clear()
    field.send_keys(typed)
    css(driver, "#send").click()
    until(driver, lambda d: present(d, "#result .verdict"))
    verdict = css(driver, "#result .verdict").get_attribute("data-verdict")
    return verdict, css(driver, "#result .feedback").text


def code_of(solution: str) -> str:
    """A function's code as typed in a textarea (no editor indents it for us)."""
    return solution.strip() + "\n"


def test_a_student_practises_and_the_teacher_sees_it(tmp_path, served):
    course, server = served
    driver = browser(tmp_path / "student")
    try:
        driver.get(f"{server.base}/practice?lang=en")
        until(driver, lambda d: present(d, "#student"))
        css(driver, "#student").send_keys(STUDENT)
        plans = {
            "chain.dL_dw1_at_my_values": lambda v: repr(-v),  # the sign lost
            "S.dS_dG_formula": lambda v: "S*(1+S)",
            "L.dL_dS": lambda v: "def dL_dS(S, gold):\n    return 2*(gold - S)\n",
        }
        for qid, wrong in plans.items():
            q = course.by_qid[qid]
            number = start(driver, qid)
            right = Variant(q, STUDENT, number).solution("en")
            verdict, said = send(driver, wrong(right))
            assert verdict in ("wrong", "partial") and said, qid  # the diagnosis, read
            assert str(right) not in driver.page_source, qid
            shoot(driver, f"wrong-{qid}")
            number = fresh(driver)
            right = Variant(q, STUDENT, number).solution("en")
            typed = code_of(right) if isinstance(right, str) and "def " in right else str(right)
            verdict, _ = send(driver, typed)
            assert verdict == "right", qid
            shoot(driver, f"right-{qid}")
        verdict, said = send(driver, EVIL)  # a function question's box: code, run sandboxed
        assert verdict == "wrong"
        start(driver, "S.dS_dG_formula")
        verdict, said = send(driver, EVIL)
        assert verdict == "wrong" and driver.execute_script("return window.pwned") is None
        css(driver, "#show-solution").click()
        driver.switch_to.alert.accept()
        until(driver, lambda d: present(d, "#solution pre"))
        assert "sigmoid(G)" in css(driver, "#solution pre").text
        assert css(driver, "#send").get_attribute("disabled") is not None
        shoot(driver, "solution")
        assert [e for e in driver.get_log("browser") if e["level"] == "SEVERE"] == []
    finally:
        driver.quit()
    teacher = browser(tmp_path / "teacher")
    try:
        teacher.get(f"{server.base}/teacher/practice?lang=en&token={server.token}")
        until(teacher, lambda d: present(d, "tr[data-question]"))
        assert server.token not in teacher.current_url  # moved out of the address bar at once
        rows = {r.get_attribute("data-question"): r for r in present(teacher, "tr[data-question]")}
        assert set(plans) <= set(rows)
        for qid in plans:
            row = rows[qid]
            assert row.find_element("css selector", ".success").text.startswith("1 / 1")
            assert row.find_elements("css selector", ".diagnoses li"), qid
        assert "sign" in rows["chain.dL_dw1_at_my_values"].text
        shoot(teacher, "teacher")
        logs = [e for e in teacher.get_log("browser") if e["level"] == "SEVERE"]
        assert logs == []
    finally:
        teacher.quit()
