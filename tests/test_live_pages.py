"""The live round's pages (cli/serve/pages.py) and ``course serve`` (cli/serve/command.py):
each page in each language through an ASGI test client, a hostile name never in the HTML,
the static files, and the command started for real on a free loopback port (its printout's
URLs answer; the teacher's token is in the fragment and survives a restart)."""

from __future__ import annotations

import json
import os
import queue
import re
import shutil
import signal
import subprocess
import threading
from html import escape
from pathlib import Path

import pytest
from conftest import LESSON, command
from starlette.testclient import TestClient

from cli.serve.app import make_app
from cli.serve.pages import STATIC, embedded, page_routes
from cli.serve.store import Store
from grader.course.loader import load_course
from reference.i18n import LANGUAGES, say

TOKEN = "teacher-secret-token"
TEACHER = {"authorization": f"Bearer {TOKEN}"}
POINT = {"x1": 1.0, "x2": 2.0, "x3": 3.0, "w1": 0.1, "w2": 0.2, "w3": 0.3, "gold": 1.0}
EVIL = "<img src=x onerror=alert(1)>"
ROSTER = f'team,student,node\n{EVIL},ann,A\n{EVIL},"{EVIL}",B\n'
STATIC_DIR = Path(__file__).resolve().parents[1] / "cli" / "serve" / "static"
#: Ways a script could read text as HTML: none may appear in the pages' scripts.
AS_HTML = re.compile(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(")


@pytest.fixture(scope="module")
def course():
    return load_course(LESSON / "course.yml")


@pytest.fixture
def client(tmp_path, course):
    store = Store(tmp_path / "rounds.sqlite3")
    app = make_app(course, store, TOKEN, "digest", pages=page_routes(course, "ru"))
    with TestClient(app) as c:
        yield c
    store.close()


def ids(made: dict) -> tuple[str, str]:
    """(round, join code) of a round the API made, whichever names it gives them."""
    return made.get("id") or made["round"], made.get("join_code") or made["code"]


@pytest.fixture
def made(client):
    body = {"point": POINT, "at": POINT, "roster": ROSTER}
    r = client.post("/api/rounds", headers=TEACHER, json=body)
    assert r.status_code == 201, r.text
    return ids(r.json())


def config_of(html: str) -> dict:
    found = re.search(r'<script type="application/json" id="config">(.*?)</script>', html, re.S)
    assert found, html
    return json.loads(found.group(1))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_page_answers_in_each_language(client, made, lang):
    round_id, code = made
    pages = {
        "/teacher": ("teacher", "board.teacher_title"),
        f"/board/{round_id}": ("board", "board.board_title"),
        "/join": ("volunteer", "board.join_title"),
        f"/join/{code}": ("volunteer", "board.join_title"),
    }
    for path, (script, title) in pages.items():
        r = client.get(f"{path}?lang={lang}")
        assert r.status_code == 200, path
        assert f'<html lang="{lang}">' in r.text
        assert f"<title>{escape(say(title, lang))}</title>" in r.text
        assert f'<script src="/static/{script}.js"></script>' in r.text
        assert "default-src 'none'" in r.headers["content-security-policy"]
        config = config_of(r.text)
        assert config["lang"] == lang and config["texts"]["forward"] == say("board.forward", lang)
    assert config_of(client.get(f"/board/{round_id}").text)["lang"] == "ru"  # the default
    odd = client.get(f"/board/{round_id}?lang=xx")  # the twin: a language it has not
    assert config_of(odd.text)["lang"] == "ru"


def test_the_board_is_given_the_round_and_the_join_address(client, made, course):
    """The join URL on the board is the address students reach (the command's), else the
    one the board was opened at."""
    from starlette.applications import Starlette

    round_id, _ = made
    config = config_of(client.get(f"/board/{round_id}").text)
    assert config["round"] == round_id and config["join_base"] == "http://testserver"
    routes = page_routes(course, "en", "http://192.0.2.7:8000")
    with TestClient(Starlette(routes=routes)) as c:
        assert config_of(c.get(f"/board/{round_id}").text)["join_base"] == "http://192.0.2.7:8000"


def test_a_hostile_name_never_reaches_the_html(client, made):
    """Names are data the scripts put in as text: no page's HTML holds one, and the embedded
    JSON cannot end its element whatever it carries."""
    round_id, code = made
    assert EVIL in client.get(f"/api/join/{code}").text  # the twin: the API does carry it
    for path in (f"/board/{round_id}", f"/join/{code}", "/teacher", "/join"):
        html = client.get(path).text
        assert "<img" not in html and "onerror" not in html, path
    hostile = {"x": "</script><script>alert(1)</script>", "y": "a & b > c"}
    text = embedded(hostile)
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == hostile
    assert client.get("/board/%3Cscript%3E").status_code == 404
    r = client.get("/join/%3Cimg%3E", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/join"


def test_no_script_reads_text_as_html():
    found = {p.name: AS_HTML.findall(p.read_text()) for p in STATIC_DIR.glob("*.js")}
    assert {n for n in STATIC if n.endswith(".js")} <= set(found)  # every page's, and others'
    assert {name: hits for name, hits in found.items() if hits} == {}
    assert AS_HTML.findall("node.innerHTML = name;")  # the twin: the scan sees one


def test_the_static_files_are_served(client):
    for name, media in STATIC.items():
        r = client.get(f"/static/{name}")
        assert r.status_code == 200 and r.headers["content-type"].startswith(media), name
        assert r.content == (STATIC_DIR / name).read_bytes()
    for name in ("nope.js", "..%2Fpages.py", "%2E%2E%2Fstore.py"):
        assert client.get(f"/static/{name}").status_code == 404, name


def test_the_qr_code_is_the_join_url(client, made):
    import qrcode
    import qrcode.image.svg

    _, code = made
    r = client.get(f"/join/{code}/qr.svg")
    assert r.status_code == 200 and r.headers["content-type"].startswith("image/svg+xml")
    factory = qrcode.image.svg.SvgPathImage
    want = qrcode.make(f"http://testserver/join/{code}", image_factory=factory, border=2)
    assert r.text == want.to_string(encoding="unicode")
    other = qrcode.make("http://testserver/join/other", image_factory=factory, border=2)
    assert r.text != other.to_string(encoding="unicode")  # the twin
    assert client.get("/join/a%20b/qr.svg").status_code == 404


def test_the_join_form_goes_on_to_the_code(client):
    r = client.get("/join?code=AbC-12_x&lang=en", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/join/AbC-12_x?lang=en"
    bad = client.get("/join?code=%3Cx%3E", follow_redirects=False)  # the twin
    assert bad.status_code == 200 and config_of(bad.text)["bad_code"] is True
    assert client.get("/", follow_redirects=False).headers["location"] == "/join"


def test_course_serve_help():
    r = subprocess.run(command("course", "serve", "--help"), capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    for option in ("--host", "--port", "--db", "--course", "--lang"):
        assert option in r.stdout
    assert (
        "serve"
        in subprocess.run(command("course", "--help"), capture_output=True, text=True).stdout
    )


class Served:
    """``course serve`` running as a subprocess, its printout read as it comes."""

    def __init__(self, *args: str | Path, cwd: Path | None = None) -> None:
        self.proc = subprocess.Popen(
            command("course", "serve", "--port", 0, *args),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=cwd,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.printed: list[str] = []
        self.teacher = self.wait(r"^teacher: (http://\S+/teacher\?token=\S+)$", 1)
        self.join = self.wait(r"http://\S+/join\b")
        self.base = self.join.rsplit("/join", 1)[0]
        self.token = self.teacher.split("?token=", 1)[1]

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line)

    def wait(self, pattern: str, group: int = 0, timeout: float = 60) -> str:
        """The first printed match of ``pattern`` (lines already read included)."""
        for line in self.printed:
            if found := re.search(pattern, line.rstrip("\n")):
                return found.group(group)
        while True:
            try:
                line = self.lines.get(timeout=timeout)
            except queue.Empty:
                self.stop()
                raise AssertionError(f"not printed: {pattern}\n{''.join(self.printed)}") from None
            self.printed.append(line)
            if found := re.search(pattern, line.rstrip("\n")):
                return found.group(group)

    def stop(self) -> int:
        """Ctrl+C, as the teacher stops it; its exit status."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
        try:
            return self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            raise


def test_course_serve_prints_its_urls_and_they_answer(tmp_path):
    import httpx

    db = tmp_path / "rounds.sqlite3"
    served = Served("--db", db, "--course", LESSON, "--lang", "en")
    try:
        assert served.teacher.startswith("http://127.0.0.1:")
        assert not served.base.endswith(":0")
        teacher = httpx.get(served.teacher, timeout=10)
        assert teacher.status_code == 200 and "/static/teacher.js" in teacher.text
        assert httpx.get(served.join, timeout=10).status_code == 200
        auth = {"authorization": f"Bearer {served.token}"}
        assert httpx.get(f"{served.base}/api/rounds", headers=auth, timeout=10).status_code == 200
        wrong = {"authorization": "Bearer guess"}  # the twin: the printed token is the one
        assert httpx.get(f"{served.base}/api/rounds", headers=wrong, timeout=10).status_code == 401
        r = httpx.post(
            f"{served.base}/api/rounds",
            headers=auth,
            json={"point": POINT, "at": POINT, "open": True},
            timeout=10,
        )
        assert r.status_code == 201, r.text
        _, code = ids(r.json())
        assert served.wait(rf"^join: http://\S+/join/{re.escape(code)}$")  # DESIGN.md's line
        printed = "".join(served.printed)
        assert "\u2588" in printed or "\u2580" in printed  # the QR code, in blocks
    finally:
        code = served.stop()
    stderr = served.proc.stderr.read() if served.proc.stderr else ""
    assert code == 0 and "Traceback" not in stderr and "Aborted" not in stderr, stderr
    again = Served("--db", db, "--course", LESSON, "--lang", "ru")
    try:
        assert again.token == served.token  # a restart keeps the teacher's URL
    finally:
        again.stop()
    assert db.is_file()


def test_the_rounds_file_is_kept_in_the_course_by_default(tmp_path):
    course = tmp_path / "course"
    shutil.copytree(LESSON, course, ignore=shutil.ignore_patterns("samples", "__pycache__"))
    served = Served(cwd=course)
    served.stop()
    assert (course / ".live" / "rounds.sqlite3").is_file()


def test_without_the_extra_it_says_what_to_install(tmp_path):
    """uvicorn hidden from the interpreter: one line naming the pip command, exit 2."""
    blocker = tmp_path / "sitecustomize.py"
    blocker.write_text(
        "import sys\n"
        "class Hide:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] == 'uvicorn':\n"
        "            raise ModuleNotFoundError(name)\n"
        "sys.meta_path.insert(0, Hide())\n"
    )
    paths = [str(tmp_path), *filter(None, [os.environ.get("PYTHONPATH")])]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}
    args = command("course", "serve", "--port", 0, "--db", tmp_path / "x.db", "--lang", "en")
    r = subprocess.run([*args, "--course", LESSON], capture_output=True, text=True, env=env)
    assert r.returncode == 2, r.stdout + r.stderr
    assert "pip install 'backprop-course[serve]'" in r.stderr
    assert not (tmp_path / "x.db").exists()


def test_listening_everywhere_students_get_the_network_address(monkeypatch):
    """--host 0.0.0.0: the teacher's URL stays on this machine, the students' names its
    address on the network, else its name (and the command says so)."""
    import socket

    from cli.serve import command as serve_command

    monkeypatch.setattr(serve_command, "lan_addresses", lambda: ["192.0.2.44"])
    assert serve_command.addresses("0.0.0.0") == ("127.0.0.1", "192.0.2.44", True)
    assert serve_command.addresses("127.0.0.1") == ("127.0.0.1", "127.0.0.1", True)
    monkeypatch.setattr(serve_command, "lan_addresses", lambda: [])  # the twin: none found
    assert serve_command.addresses("0.0.0.0") == ("127.0.0.1", socket.gethostname(), False)
    assert serve_command.addresses("::1")[0] == "[::1]"
