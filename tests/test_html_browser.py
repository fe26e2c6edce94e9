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
from test_html import EVIL, Page, course, site  # noqa: F401  (fixtures)

from cli.html import page_name

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
            assert len(dom.having("svg")) == 1 and dom.having("table")
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
