"""A whole live round in headless Chromium (Debian's chromium and chromium-driver, through
Selenium): ``course serve`` on a free loopback port, the teacher's page starts a round with a
roster of one volunteer per node, the board is opened, and one phone-width page per volunteer
enters its numbers (computed here from the reference's answer key, never typed by hand), one
of them a wrong backward value.  The board, never reloaded, must show every verdict as it is
judged: the wrong link dashed and named as the first broken one, those after it carried.

Screenshots of the board and of a volunteer's phone are kept in a temporary folder, and
copied to docs/ (the README's) only when ``BACKPROP_SCREENSHOTS=docs``.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from conftest import LESSON
from test_live_pages import POINT, Served

from grader.course.loader import load_course
from reference.course.answers import answer_key

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
DRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not (Path(CHROMIUM).exists() and Path(DRIVER).exists()),
        reason="chromium or chromedriver is not installed (.ci/run installs them)",
    ),
]
ROOT = Path(__file__).resolve().parents[1]
ARTEFACTS = Path(tempfile.gettempdir()) / "backprop-live-screenshots"
EVIL = "<img src=x onerror=window.pwned=1>"
#: A second team, hostile names only: shown as text on every page, never run.
HOSTILE = (EVIL, "<b>zoe</b>", "A")
TEAM = "red"
NAMES = ("ann", "bob", "cid", "dan", "eve", "fay", "gus", "hal")
#: The volunteer who hands back a wrong dL/d(input): their output's upstream factor left out.
WRONG = "S"


def browser(profile: Path, phone: bool = False):
    """Headless Chromium; a phone's screen (390×844 CSS pixels, twice as dense) if asked."""
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run",
        f"--user-data-dir={profile}", "--window-size=1500,1150",
    ):  # fmt: skip
        options.add_argument(flag)
    if phone:
        metrics = {"width": 390, "height": 844, "pixelRatio": 2.0}
        options.add_experimental_option("mobileEmulation", {"deviceMetrics": metrics})
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(DRIVER), options=options)


def until(driver, check, timeout: float = 30):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout, poll_frequency=0.1).until(lambda d: check(d))


def css(driver, selector: str):
    from selenium.webdriver.common.by import By

    return driver.find_element(By.CSS_SELECTOR, selector)


def present(driver, selector: str):
    from selenium.webdriver.common.by import By

    return driver.find_elements(By.CSS_SELECTOR, selector)


class Key:
    """What each volunteer should enter, from the answer key: the reference's values and
    local derivatives, and dL/d(each input) from the upstream the volunteer received (so a
    teammate's mistake is carried, as the lesson's chain carries it)."""

    def __init__(self, model) -> None:
        self.model = model
        self.key = answer_key(model, POINT)
        self.handed: dict[str, float] = {model.loss: 1.0}  # dL/dname as handed back

    def args(self, node: str) -> tuple[str, ...]:
        return self.model.node(node).args

    def value(self, node: str, kind: str, quantity: str) -> float:
        if kind == "output":
            return float(self.key["values"][node])
        arg = next(a for a in self.args(node) if quantity.endswith(f"d{a}"))
        local = float(self.key["local"][node][arg])
        if kind == "local":
            return local
        right = local * self.handed[node]
        return right if node != WRONG else local  # the upstream factor forgotten

    def handed_back(self, node: str, quantity: str, value: float) -> None:
        arg = next(a for a in self.args(node) if quantity.endswith(f"d{a}"))
        self.handed[arg] = value


def enter(driver, key: Key, node: str, kinds: tuple[str, ...]) -> None:
    """The volunteer types each quantity of ``kinds`` and presses Enter; each is judged."""
    from selenium.webdriver.common.keys import Keys

    for form in present(driver, f'section.card[data-node="{node}"] form.entry'):
        kind, quantity = form.get_attribute("data-kind"), form.get_attribute("data-quantity")
        if kind not in kinds:
            continue
        value = key.value(node, kind, quantity)
        field = form.find_element("css selector", "input")
        until(driver, lambda d, f=field: f.is_enabled())  # backward: once dL/d(output) came
        field.clear()
        field.send_keys(repr(value), Keys.ENTER)
        until(driver, lambda d, f=form: f.get_attribute("data-status") not in (None, "", "missing"))
        if kind == "backward":
            key.handed_back(node, quantity, value)


def test_a_whole_round_in_a_real_browser(tmp_path):
    model = load_course(LESSON / "course.yml").model
    nodes = [n.name for n in model.nodes]
    students = dict(zip(nodes, NAMES))
    served = Served("--db", tmp_path / "rounds.sqlite3", "--course", LESSON, "--lang", "en")
    drivers = []
    try:
        desk = browser(tmp_path / "desk")
        drivers.append(desk)
        round_id, code = start_round(desk, served, students)
        desk.switch_to.new_window("window")
        desk.set_window_size(1500, 1150)
        desk.get(f"{served.base}/board/{round_id}?lang=en")
        until(desk, lambda d: len(present(d, "section.team svg.graph")) == 2)
        desk.execute_script("window.notReloaded = true;")
        board = desk.current_window_handle
        phones = {}
        for node, student in students.items():
            phone = browser(tmp_path / f"phone-{node}", phone=True)
            drivers.append(phone)
            phone.get(f"{served.base}/join/{code}?lang=en")
            button = until(phone, lambda d, s=student: _name_button(d, s))
            button.click()
            until(phone, lambda d, n=node: present(d, f'section.card[data-node="{n}"]'))
            phones[node] = phone
        key = Key(model)
        for node in nodes:  # forward, in the model's order: outputs and local derivatives
            enter(phones[node], key, node, ("output", "local"))
        for node in reversed(nodes):  # backward: each waits for dL/d(its output)
            enter(phones[node], key, node, ("backward",))
        desk.switch_to.window(board)
        check_board(desk, nodes, model.loss)
        check_phone(phones[WRONG], key)
        for driver in drivers:
            assert driver.execute_script("return window.pwned;") is None
        screenshots(desk, phones[WRONG])
        assert desk.execute_script("return window.notReloaded;") is True  # live, no reload
    finally:
        for driver in drivers:
            driver.quit()
        served.stop()


def _name_button(driver, student: str):
    for button in present(driver, "button.name"):
        if button.get_attribute("data-student") == student:
            return button
    return None


def start_round(desk, served: Served, students: dict[str, str]) -> tuple[str, str]:
    """The teacher's page: the point typed as ``course trace --at`` takes it, the roster
    pasted; the round is listed with its join code and board."""
    desk.get(served.teacher)
    until(desk, lambda d: present(d, "form.new-round"))
    css(desk, "#point-values").send_keys(",".join(f"{k}={v}" for k, v in POINT.items()))
    rows = [(TEAM, s, n) for n, s in students.items()] + [HOSTILE]
    roster = "team,student,node\n" + "".join(",".join(row) + "\n" for row in rows)
    desk.execute_script("document.getElementById('roster').value = arguments[0];", roster)
    css(desk, "form.new-round button[type=submit]").click()
    until(desk, lambda d: present(d, ".message a.board-link"))
    row = until(desk, lambda d: present(d, ".rounds tr[data-round]"))[0]
    round_id = row.get_attribute("data-round")
    code = row.find_element("css selector", "td.code").text
    assert (
        css(desk, ".message a.board-link")
        .get_attribute("href")
        .split("?")[0]
        .endswith(f"/board/{round_id}")
    )
    return round_id, code


def check_board(desk, nodes: list[str], loss: str) -> None:
    """Every link's verdict as judged: all forward right; the loss's backward right; the
    wrong volunteer's dashed and named; every link after it carried."""
    evil, team = (css(desk, f"section.team:nth-of-type({i})") for i in (2, 1))
    assert evil.find_element("css selector", ".team-name").text == EVIL  # text, never markup
    owner = evil.find_element("css selector", 'g.node[data-node="A"]').get_attribute("data-owner")
    assert owner == HOSTILE[1]
    assert team.get_attribute("data-team") == TEAM

    def settled(d) -> bool:
        last = present(d, f'section.team[data-team="{TEAM}"] g.node[data-node="{nodes[0]}"]')
        return bool(last) and last[0].get_attribute("data-backward") == "carried"

    until(desk, settled)
    upstream = [n for n in nodes if n != WRONG and nodes.index(n) < nodes.index(WRONG)]
    for node in nodes:
        g = team.find_element("css selector", f'g.node[data-node="{node}"]')
        assert g.get_attribute("data-forward") == "right", node
        want = "wrong" if node == WRONG else "carried" if node in upstream else "right"
        assert g.get_attribute("data-backward") == want, node
    for edge in team.find_elements("css selector", "g.edge"):
        node = edge.get_attribute("data-to")
        dashed = "dashed" in edge.get_attribute("class").split()
        assert dashed == (node == WRONG), (edge.get_attribute("data-from"), node)
    verdict = team.find_element("css selector", "p.verdict")
    assert verdict.get_attribute("data-kind") == "broken"
    assert (verdict.get_attribute("data-node"), verdict.get_attribute("data-direction")) == (
        WRONG,
        "backward",
    )
    assert f"First broken link: {WRONG}, backward" in verdict.text
    assert team.find_elements("css selector", f'g.edge.first-broken[data-to="{WRONG}"]')
    dash = desk.execute_script(
        "return getComputedStyle(document.querySelector(arguments[0])).strokeDasharray;",
        f'section.team[data-team="{TEAM}"] g.edge[data-to="{WRONG}"] .wire',
    )
    assert dash not in ("", "none"), dash  # drawn dashed, as the browser paints it
    errors = [e for e in desk.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == [], errors


def check_phone(phone, key: Key) -> None:
    """The wrong volunteer's page says wrong, and shows no right value."""
    form = css(phone, f'section.card[data-node="{WRONG}"] form.entry[data-kind="backward"]')
    assert form.get_attribute("data-status") == "wrong"
    shown = phone.find_element("css selector", "main").text
    for value in key.key["grad"].values():
        if value and abs(value) > 1e-12:
            assert repr(value) not in shown


def full_page(driver, path: Path, down_to: str | None = None) -> None:
    """The whole page, not just the window (Chromium's DevTools protocol); down to the end of
    the element ``down_to`` when given."""
    import base64

    driver.execute_script("document.activeElement && document.activeElement.blur();")
    width, height = driver.execute_script(
        "const e = document.documentElement, end = arguments[0] && "
        "document.querySelector(arguments[0]);"
        "return [e.scrollWidth, end ? end.getBoundingClientRect().bottom + scrollY + 16 "
        ": e.scrollHeight];",
        down_to,
    )
    clip = {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}
    shot = driver.execute_cdp_cmd(
        "Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True, "clip": clip}
    )
    path.write_bytes(base64.b64decode(shot["data"]))


def screenshots(desk, phone) -> None:
    """The board (down to the first team: the README's) and the wrong volunteer's phone."""
    ARTEFACTS.mkdir(exist_ok=True)
    full_page(desk, ARTEFACTS / "live-board.png", f'section.team[data-team="{TEAM}"]')
    full_page(phone, ARTEFACTS / "live-volunteer.png")
    for name in ("live-board.png", "live-volunteer.png"):
        assert (ARTEFACTS / name).stat().st_size > 10_000
        if os.environ.get("BACKPROP_SCREENSHOTS") == "docs":  # for the README, on request
            shutil.copyfile(ARTEFACTS / name, ROOT / "docs" / name)
    print(f"screenshots: {ARTEFACTS}")
