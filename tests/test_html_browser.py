"""``grade --html`` pages opened in headless Chromium (Debian's package): no console message,
nothing fetched, the DOM as the browser builds it; screenshots kept as artefacts.

Every request a page could make is blocked by its Content-Security-Policy, and Chromium logs
each blocked one as a console message, so "no console message" also means "no request".
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from test_html import BLUE, EVIL, Page, course, site, team_site  # noqa: F401  (fixtures)

from cli.html import page_name, team_page_name

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(),
        reason="chromium is not installed (.ci/run installs Debian's chromium package)",
    ),
]
ARTEFACTS = Path(tempfile.gettempdir()) / "backprop-html-screenshots"


def chromium(url: str, profile: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--no-first-run", f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0",
            *extra, url,
        ],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def console(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if re.search(r":CONSOLE[:(]", line)]


def test_pages_in_a_real_browser(site, tmp_path):  # noqa: F811
    out, reports = site
    ARTEFACTS.mkdir(exist_ok=True)
    pages = {"index": out / "index.html"} | {s: out / page_name(r) for s, r in reports.items()}
    for who, path in pages.items():
        url = path.resolve().as_uri()
        run = chromium(url, tmp_path / "profile", "--dump-dom")
        assert run.returncode == 0, run.stderr[-2000:]
        assert not console(run.stderr), (who, console(run.stderr))
        dom = Page(run.stdout)
        assert dom.having("html")[0]["lang"] == "en"
        if who == "index":
            assert len(dom.having("svg")) == 2 and dom.having("table")  # class graph, histogram
            continue
        report = reports[who]
        rows = [a["data-question"] for a in dom.having("tr", "data-question")]
        assert rows == [q["id"] for q in report["questions"]]
        assert dom.having("svg") and dom.having("g", "data-node")
        if who != "broken":
            assert dom.having("math")
        assert not dom.having("script")  # a student's page runs nothing, EVIL included
        shot = ARTEFACTS / f"{path.stem}.png"
        run = chromium(url, tmp_path / "profile", f"--screenshot={shot}", "--window-size=1200,1600")
        assert run.returncode == 0 and shot.stat().st_size > 10_000
    print(f"screenshots: {ARTEFACTS}")


def test_team_pages_in_a_real_browser(team_site, tmp_path):  # noqa: F811
    """A team's page, the dashboard with its teams table, and a member's page."""
    out, _, students = team_site
    ARTEFACTS.mkdir(exist_ok=True)
    pages = {
        "team": out / team_page_name(BLUE),
        "index": out / "index.html",
        "member": out / page_name(students["b_eve"]),
    }
    for who, path in pages.items():
        url = path.resolve().as_uri()
        run = chromium(url, tmp_path / "profile", "--dump-dom")
        assert run.returncode == 0, run.stderr[-2000:]
        assert not console(run.stderr), (who, console(run.stderr))
        dom = Page(run.stdout)
        assert EVIL in "".join(dom.text)  # the team's name, as text
        assert who == "index" or not dom.having("script")
        if who == "team":
            nodes = {a["data-node"]: a for a in dom.having("g", "data-node")}
            assert "first-broken" in nodes["S"]["class"] and nodes["S"]["data-owner"] == "b_eve"
            rows = dom.having("tr", "data-link")
            assert [a["data-link"] for a in rows if a.get("class") == "first-broken"] == [
                "S.backward"
            ]
        elif who == "index":
            assert len(dom.having("tr", "data-team")) == 2
        else:
            assert [a for a in dom.having("g", "data-node") if "mine" in a["class"]]
        shot = ARTEFACTS / f"teams-{who}.png"
        run = chromium(url, tmp_path / "profile", f"--screenshot={shot}", "--window-size=1400,1800")
        assert run.returncode == 0 and shot.stat().st_size > 10_000
    print(f"screenshots: {ARTEFACTS}")


def test_a_page_that_fetches_is_caught(tmp_path):
    """The twin: a page that asks for something outside shows up as a console message."""
    bad = tmp_path / "bad.html"
    bad.write_text(
        '<!DOCTYPE html><html lang="en"><head><meta http-equiv="Content-Security-Policy" '
        'content="default-src \'none\'"></head><body><img src="https://example.invalid/x.png">'
        "</body></html>"
    )
    run = chromium(bad.as_uri(), tmp_path / "profile", "--dump-dom")
    assert console(run.stderr)


def _driver(tmp_path):
    """Chromium driven by Debian's chromedriver (Selenium), its console log kept."""
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    driver_path = shutil.which("chromedriver") or "/usr/bin/chromedriver"
    if not Path(driver_path).exists():
        pytest.skip("chromedriver is not installed (.ci/run installs chromium-driver)")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run",
        f"--user-data-dir={tmp_path / 'selenium-profile'}", "--window-size=1400,1800",
    ):  # fmt: skip
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(driver_path), options=options)


def test_the_dashboard_in_a_real_browser(site, tmp_path):  # noqa: F811
    """The class graph's colours as the browser paints them, the tables sorting on a click,
    and nothing fetched (no resource loaded, no console message)."""
    from selenium.webdriver.common.by import By

    out, reports = site
    driver = _driver(tmp_path)
    try:
        driver.get((out / "index.html").resolve().as_uri())
        fill = "return getComputedStyle(document.querySelector(arguments[0])).fill;"
        broken = driver.execute_script(fill, 'g[data-node="A"] rect')
        whole = driver.execute_script(fill, 'g[data-node="B"] rect')
        leaf = driver.execute_script(fill, 'g[data-node="x1"] rect')
        assert len({broken, whole, leaf}) == 3, (broken, whole, leaf)  # A is broken, B not
        rate = "return [...document.querySelectorAll('table.items tbody tr')].map(r => " \
            "parseFloat(r.cells[2].dataset.sort));"  # fmt: skip
        course_order = driver.execute_script(rate)
        assert course_order != sorted(course_order)  # the twin: not sorted before the click
        passed = driver.find_elements(By.CSS_SELECTOR, "table.items th button")[2]
        passed.click()
        assert driver.execute_script(rate) == sorted(course_order)  # the worst first
        passed.click()
        assert driver.execute_script(rate) == sorted(course_order, reverse=True)
        points = driver.find_elements(By.CSS_SELECTOR, "table.students th button")[2]
        points.click()
        scores = driver.execute_script(
            "return [...document.querySelectorAll('table.students tbody tr')].map(r => "
            "parseFloat(r.cells[2].dataset.sort));"
        )
        assert scores == sorted(float(r["score"]) for r in reports.values())
        loaded = driver.execute_script("return performance.getEntriesByType('resource').length;")
        assert loaded == 0
        assert driver.get_log("browser") == []
        ARTEFACTS.mkdir(exist_ok=True)
        driver.save_screenshot(str(ARTEFACTS / "dashboard-sorted.png"))
    finally:
        driver.quit()
