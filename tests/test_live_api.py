"""The live round's JSON API (cli/serve/app.py) through an ASGI test client: each endpoint
and each refusal (no token, someone else's node, a bad number, an unknown round), each with
its twin; no response holds the reference's value (until the teacher reveals it).  The
events' stream is tested on a real server (tests/test_live_events.py)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from conftest import LESSON
from starlette.testclient import TestClient

from cli.serve.app import make_app
from cli.serve.store import Store
from grader.course.loader import load_course

TOKEN = "teacher-secret-token"
POINT = {"x1": 1.0, "x2": 2.0, "x3": 3.0, "w1": 0.1, "w2": 0.2, "w3": 0.3, "gold": 1.0}
MEMBERS = [["red", "ann", "A"], ["red", "bob", "B"], ["red", "cat", "C"], ["red", "dan", "G"]]
TEAMS = [{"team": t, "student": s, "node": n} for t, s, n in MEMBERS]
TEACHER = {"authorization": f"Bearer {TOKEN}"}


@pytest.fixture(scope="module")
def course():
    return load_course(LESSON / "course.yml")


@pytest.fixture
def client(tmp_path, course):
    store = Store(tmp_path / "round.db")
    with TestClient(make_app(course, store, TOKEN, "digest")) as c:
        yield c
    store.close()


@pytest.fixture
def made(client):
    r = client.post("/api/rounds", headers=TEACHER, json={"at": POINT, "teams": TEAMS})
    assert r.status_code == 201, r.text
    return r.json()


def enter(client, made, student, node, quantity, value):
    body = {"student": student, "node": node, "quantity": quantity, "value": value}
    return client.post(f"/api/rounds/{made['round']}/entries", json=body)


def truth(course):
    return course.model.trace({k: np.array([v]) for k, v in POINT.items()})


def test_a_round_needs_the_teachers_token(client):
    body = {"at": POINT, "teams": TEAMS}
    assert client.post("/api/rounds", json=body).status_code == 401
    bad = {"authorization": "Bearer guess"}
    assert client.post("/api/rounds", headers=bad, json=body).status_code == 401
    assert client.post("/api/rounds", headers=TEACHER, json=body).status_code == 201  # twin


def test_a_round_refuses_a_bad_point_or_roster(client):
    q = {"team": "red", "student": "ann", "node": "Q"}
    for body in (
        {"at": {**POINT, "x1": float("nan")}, "teams": TEAMS},
        {"at": {"x1": 1.0}, "teams": TEAMS},
        {"at": POINT, "teams": [q]},
        {"at": POINT, "teams": []},
        {"at": POINT, "roster": "team,student,node\nred,ann,A\nblue,ann,B\n"},
    ):
        r = client.post("/api/rounds", headers=TEACHER, content=json.dumps(body))
        assert r.status_code == 400, body
        assert r.json()["error"]
    r = client.post("/api/rounds", headers=TEACHER, content=b"[1, 2")
    assert r.status_code == 400
    unknown = client.post("/api/rounds?lang=ru", headers=TEACHER, json={"at": POINT, "teams": [q]})
    assert "строка 2" in unknown.json()["error"] and "Q" in unknown.json()["error"]
    roster = "team,student,node\nred,ann,A\nred,bob,B\n"
    for twin in ({"at": POINT, "roster": roster}, {"teams": TEAMS}, {"at": "random", "open": True}):
        assert client.post("/api/rounds", headers=TEACHER, json=twin).status_code == 201


def test_a_volunteer_joins_by_code(client, made):
    r = client.get(f"/api/join/{made['code']}")
    assert r.status_code == 200 and r.json()["round"] == made["round"]
    assert ["red", "ann", "A"] in r.json()["members"] and not r.json()["open"]
    assert client.get("/api/join/not-a-code").status_code == 404  # twin
    join = f"/api/rounds/{made['round']}/join"
    place = client.post(join, json={"student": "ann"})
    assert place.status_code == 200 and place.json()["nodes"] == ["A"]
    assert client.post(join, json={"student": "zed", "node": "S"}).status_code == 403  # twin


def test_an_entry_is_judged_as_grade_teams_judges_and_never_shows_the_answer(client, made, course):
    right = float(truth(course).values["A"][0])
    wrong = enter(client, made, "ann", "A", "A", 5.0)
    assert wrong.status_code == 200 and wrong.json()["verdict"] == "wrong"
    assert wrong.json()["feedback"]["en"] and wrong.json()["feedback"]["ru"]
    assert repr(right) not in wrong.text and f"{right:g}" not in wrong.text
    ok = enter(client, made, "ann", "A", "A", right)
    assert ok.json()["verdict"] == "right"  # corrected: the latest entry is judged
    board = client.get(f"/api/rounds/{made['round']}/board").json()
    (red,) = board["teams"]
    a = next(x for x in red["links"] if x["node"] == "A" and x["quantity"] == "A")
    assert a["verdict"] == "right" and a["value"] == right and a["student"] == "ann"
    g = next(x for x in red["links"] if x["node"] == "G" and x["quantity"] == "dG/dA")
    assert g["verdict"] == "waiting" and g["value"] is None  # twin: not entered yet
    assert board["revealed"] is False and red["reference"] is None


def test_a_local_derivative_gets_the_graders_diagnosis(client, made, course):
    t = truth(course)
    s_value = float(t.values["S"][0])
    r = client.post(
        "/api/rounds",
        headers=TEACHER,
        json={"at": POINT, "teams": [*TEAMS, TEAMS[0] | {"student": "eve", "node": "S"}]},
    )
    made = r.json()
    mixed = enter(client, made, "eve", "S", "dS/dG", s_value)  # the function, not its slope
    assert mixed.json()["verdict"] == "wrong"
    assert "itself" in mixed.json()["feedback"]["en"] and "сама" in mixed.json()["feedback"]["ru"]
    assert repr(float(t.local["S"]["G"][0])) not in mixed.text
    right = enter(client, made, "eve", "S", "dS/dG", float(t.local["S"]["G"][0]))
    assert right.json()["verdict"] == "right"  # twin


def test_an_error_is_carried_forward_to_the_next_volunteer(client, made, course):
    values = truth(course).values
    for student, node in (("ann", "A"), ("bob", "B"), ("cat", "C")):
        value = float(values[node][0]) + (1.0 if node == "A" else 0.0)
        enter(client, made, student, node, node, value)
    received = float(values["A"][0]) + 1.0 + float(values["B"][0]) + float(values["C"][0])
    r = enter(client, made, "dan", "G", "G", received)
    assert r.json()["verdict"] == "right" and r.json()["status"] == "carried"
    board = client.get(f"/api/rounds/{made['round']}/board").json()
    assert board["teams"][0]["first_broken"] == {
        "node": "A",
        "direction": "forward",
        "student": "ann",
    }
    r = enter(client, made, "dan", "G", "G", received - 1.0)  # the reference's G: not his
    assert r.json()["verdict"] == "wrong"  # twin


def test_a_volunteer_sees_what_they_received_and_waits_for_the_rest(client, made, course):
    me = f"/api/rounds/{made['round']}/me"
    (g,) = client.get(me, params={"student": "dan"}).json()["nodes"]
    assert g["node"] == "G" and g["received"] == {"A": None, "B": None, "C": None}
    # nobody owns S and L: the reference stands in for them, so dL/dG arrives at once
    assert g["upstream"]["name"] == "dL/dG"
    assert g["upstream"]["value"] == pytest.approx(float(truth(course).grad["G"][0]))
    enter(client, made, "ann", "A", "A", 0.25)
    (g,) = client.get(me, params={"student": "dan"}).json()["nodes"]
    assert g["received"] == {"A": 0.25, "B": None, "C": None}  # ann's number, not the reference's
    names = [q["quantity"] for q in g["quantities"]]
    assert names == ["G", "dG/dA", "dG/dB", "dG/dC", "dL/dA", "dL/dB", "dL/dC"]
    assert client.get(me, params={"student": "zed"}).status_code == 403
    eve = {"team": "red", "student": "eve", "node": "S"}
    owned = client.post("/api/rounds", headers=TEACHER, json={"at": POINT, "teams": [*TEAMS, eve]})
    me = f"/api/rounds/{owned.json()['round']}/me"
    (g,) = client.get(me, params={"student": "dan"}).json()["nodes"]
    assert g["upstream"] == {"name": "dL/dG", "value": None}  # twin: eve has not handed it back


def test_a_volunteer_may_enter_only_their_own_node_and_its_quantities(client, made):
    assert enter(client, made, "bob", "A", "A", 0.1).status_code == 403
    assert enter(client, made, "nobody", "A", "A", 0.1).status_code == 403
    assert enter(client, made, "ann", "A", "S", 0.1).status_code == 400
    assert enter(client, made, "ann", "A", "dL_dw1", 0.1).status_code == 400
    assert enter(client, made, "ann", "A", "dL/dw1", 0.1).status_code == 200  # twin
    assert enter(client, made, "ann", "A", "dA/dx1", 0.1).status_code == 200  # twin


@pytest.mark.parametrize("value", ["0.1", None, True, [0.1], "nan"])
def test_only_a_finite_number_is_taken(client, made, value):
    assert enter(client, made, "ann", "A", "A", value).status_code == 422
    assert enter(client, made, "ann", "A", "A", 0.1).status_code == 200  # twin


def test_an_unknown_round_and_a_huge_body(client, made):
    entry = {"student": "ann", "node": "A", "quantity": "A", "value": 0.1}
    assert client.post("/api/rounds/nope/entries", json=entry).status_code == 404
    assert client.get("/api/rounds/nope/board").status_code == 404
    huge = json.dumps({**entry, "pad": "x" * (1 << 17)})
    assert client.post(f"/api/rounds/{made['round']}/entries", content=huge).status_code == 413
    assert client.get(f"/api/rounds/{made['round']}/board").status_code == 200  # twin


def test_open_join_takes_a_free_node_once(client):
    made = client.post("/api/rounds", headers=TEACHER, json={"at": POINT, "open": True}).json()
    join = f"/api/rounds/{made['round']}/join"
    first = client.post(join, json={"student": "ann", "team": "red", "node": "A"})
    assert first.status_code == 201 and first.json()["nodes"] == ["A"]
    taken = client.post(join, json={"student": "bob", "team": "red", "node": "A"})
    assert taken.status_code == 409 and "A" in taken.json()["error"]
    other = client.post(join, json={"student": "bob", "team": "blue", "node": "A"})
    assert other.status_code == 201  # twin: another team's A
    assert client.post(join, json={"student": "bob", "team": "red", "node": "B"}).status_code == 409
    assert client.post(join, json={"student": "cat", "team": "red", "node": "Q"}).status_code == 400
    assert enter(client, made, "ann", "A", "A", 0.1).status_code == 200


def test_reveal_and_export_are_the_teachers(client, made, course):
    key = f"/api/rounds/{made['round']}"
    assert client.post(f"{key}/reveal").status_code == 401
    assert client.get(f"{key}/export").status_code == 401
    assert client.get("/api/rounds").status_code == 401
    enter(client, made, "ann", "A", "A", float(truth(course).values["A"][0]))
    enter(client, made, "bob", "B", "B", 7.0)
    lines = [json.loads(x) for x in client.get(f"{key}/export", headers=TEACHER).text.splitlines()]
    team, *members = lines
    assert team["kind"] == "team" and team["team"] == "red" and team["first_broken"] == "B"
    assert {m["student"] for m in members} == {"ann", "bob", "cat", "dan"}
    ann = next(m for m in members if m["student"] == "ann")
    assert ann["score"] == 1.0 and ann["questions"][0] == ann["questions"][0] | {
        "id": "A.A",
        "status": "passed",
    }
    assert {q["status"] for q in ann["questions"][1:]} == {"missing"}
    assert client.get(f"{key}/board").json()["teams"][0]["reference"] is None
    assert client.post(f"{key}/reveal", headers=TEACHER).json() == {"revealed": True}
    shown = client.get(f"{key}/board").json()["teams"][0]["reference"]
    assert shown["grad"]["w1"] == pytest.approx(float(truth(course).grad["w1"][0]))  # twin
    listed = client.get("/api/rounds", headers=TEACHER).json()["rounds"]
    assert listed[0]["round"] == made["round"] and listed[0]["revealed"] is True


def test_a_client_that_floods_is_slowed_down(client, made):
    codes = [enter(client, made, "ann", "A", "A", 0.1).status_code for _ in range(30)]
    assert codes[:20] == [200] * 20 and 429 in codes
    assert enter(client, made, "bob", "B", "B", 0.1).status_code == 200  # twin: another volunteer
    guesses = [
        client.post("/api/rounds", headers={"authorization": "Bearer x"}, json={}).status_code
        for _ in range(12)
    ]
    assert guesses[:10] == [401] * 10 and guesses[-1] == 429


def test_the_board_and_a_teams_phones_share_one_judgement_an_entry(client, made, monkeypatch):
    import cli.serve.app as app

    made_judgements = []

    class Counted(app.Judged):
        def __init__(self, *args, **kwargs):
            made_judgements.append(1)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(app, "Judged", Counted)
    enter(client, made, "ann", "A", "A", 0.5)
    assert len(made_judgements) == 1
    me = f"/api/rounds/{made['round']}/me"
    for student in ("ann", "bob", "cat", "dan"):
        assert client.get(me, params={"student": student}).status_code == 200
    client.get(f"/api/rounds/{made['round']}/board")
    assert len(made_judgements) == 1  # asked five times, judged once
    enter(client, made, "bob", "B", "B", 0.5)
    (a,) = client.get(me, params={"student": "ann"}).json()["nodes"]
    assert len(made_judgements) == 2 and a["quantities"][0]["value"] == 0.5  # twin: a new entry
