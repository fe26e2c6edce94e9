"""The live round's events on a real server (uvicorn on a loopback port, a real SQLite file):
a page that follows a round gets the whole board first, then each team's state as entries
arrive, in order; a page that stops reading is dropped and others go on."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time

import httpx
import pytest
import uvicorn
from conftest import LESSON

from cli.serve.app import make_app
from cli.serve.events import BACKLOG, Hub, Message
from cli.serve.store import Store
from grader.course.loader import load_course

TOKEN = "teacher-secret-token"
TEACHER = {"authorization": f"Bearer {TOKEN}"}
POINT = {"x1": 1.0, "x2": 2.0, "x3": 3.0, "w1": 0.1, "w2": 0.2, "w3": 0.3, "gold": 1.0}
TEAMS = [
    {"team": "red", "student": "ann", "node": "A"},
    {"team": "blue", "student": "bob", "node": "A"},
]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    course = load_course(LESSON / "course.yml")
    store = Store(tmp_path_factory.mktemp("live") / "rounds.sqlite3")
    app = make_app(course, store, TOKEN, "digest")
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(app, log_level="warning", timeout_graceful_shutdown=1)
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not srv.started:
        time.sleep(0.01)
    yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    srv.should_exit = True
    thread.join(10)
    store.close()


def frames(response: httpx.Response):
    """The stream's events as (name, data), comments skipped."""
    name = None
    for line in response.iter_lines():
        if line.startswith("event: "):
            name = line[7:]
        elif line.startswith("data: "):
            yield name, json.loads(line[6:])


def test_a_page_gets_the_board_then_each_change_in_order(server):
    with httpx.Client(base_url=server, timeout=10) as http:
        made = http.post("/api/rounds", headers=TEACHER, json={"at": POINT, "teams": TEAMS}).json()
        url = f"/api/rounds/{made['round']}"
        with http.stream("GET", f"{url}/events", params={"lang": "ru"}) as stream:
            events = frames(stream)
            name, board = next(events)
            assert name == "board" and [t["team"] for t in board["teams"]] == ["red", "blue"]
            for value in (1.0, 2.0, 3.0):
                entry = {"student": "ann", "node": "A", "quantity": "A", "value": value}
                assert http.post(f"{url}/entries", json=entry).status_code == 200
            seen = [next(events) for _ in range(3)]
            assert [n for n, _ in seen] == ["team"] * 3
            assert [d["team"] for _, d in seen] == ["red"] * 3  # only the team that changed
            assert all("volunteers" not in d for _, d in seen)  # the phones' views: theirs
            assert [d["links"][0]["value"] for _, d in seen] == [1.0, 2.0, 3.0]
            assert seen[0][1]["links"][0]["feedback"].startswith("неверно")  # the page's language
            entry = {"student": "bob", "node": "A", "quantity": "A", "value": 0.5}
            http.post(f"{url}/entries", json=entry)
            name, blue = next(events)
            assert name == "team" and blue["team"] == "blue"  # twin: the other team's turn


def test_a_listener_that_stops_reading_is_dropped_and_the_rest_go_on():
    async def scenario() -> tuple[int, list[str]]:
        hub = Hub()
        first = Message("board", lambda lang: {"n": 0})
        stuck = hub.stream("r", first, "en")
        live = hub.stream("r", first, "en")
        await stuck.__anext__(), await live.__anext__()  # both listening
        got = []
        for n in range(300):  # more than a listener's backlog
            hub.publish("r", Message("team", lambda lang, n=n: {"n": n}))
            got.append(await live.__anext__())  # this one keeps up
        rest = [x async for x in _drain(stuck)]
        return len(rest), got

    async def _drain(stream):
        async for frame in stream:
            yield frame

    rest, got = asyncio.run(scenario())
    assert rest == BACKLOG - 1  # its backlog (one made room for the end), then the end
    assert len(got) == 300 and '"n": 299' in got[-1]  # twin: the other one got everything


def test_a_phone_follows_its_own_team_only(server):
    with httpx.Client(base_url=server, timeout=10) as http:
        made = http.post("/api/rounds", headers=TEACHER, json={"at": POINT, "teams": TEAMS}).json()
        url = f"/api/rounds/{made['round']}"
        with http.stream("GET", f"{url}/events", params={"team": "blue"}) as stream:
            events = frames(stream)
            name, first = next(events)
            assert name == "team" and first["team"] == "blue"  # its team's state, not the board
            red = {"student": "ann", "node": "A", "quantity": "A", "value": 1.0}
            blue = {"student": "bob", "node": "A", "quantity": "A", "value": 2.0}
            assert http.post(f"{url}/entries", json=red).status_code == 200
            assert http.post(f"{url}/entries", json=blue).status_code == 200
            name, news = next(events)
            assert name == "team" and news["team"] == "blue"  # red's entry never reached it
            assert news["links"][0]["value"] == 2.0
            (bobs,) = news["volunteers"]["bob"]  # bob's own view, as /me gives it
            assert bobs == http.get(f"{url}/me", params={"student": "bob"}).json()["nodes"][0]
            assert bobs["quantities"][0]["value"] == 2.0
