"""The live round's JSON API (cli/serve/app.py) through an ASGI test client: each endpoint
and each refusal (no token, someone else's node, a bad number, an unknown round), each with
its twin; no response holds the reference's value."""

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
    r = client.post("/api/rounds", headers=TEACHER, json={"point": POINT, "members": MEMBERS})
    assert r.status_code == 201, r.text
    return r.json()


def truth(course):
    return course.model.trace({k: np.array([v]) for k, v in POINT.items()})


def test_a_round_needs_the_teachers_token(client):
    body = {"point": POINT, "members": MEMBERS}
    assert client.post("/api/rounds", json=body).status_code == 401
    bad = {"authorization": "Bearer guess"}
    assert client.post("/api/rounds", headers=bad, json=body).status_code == 401
    assert client.post("/api/rounds", headers=TEACHER, json=body).status_code == 201  # twin


def test_a_round_refuses_a_bad_point_or_roster(client):
    for body in (
        {"point": {**POINT, "x1": float("nan")}, "members": MEMBERS},
        {"point": {"x1": 1.0}, "members": MEMBERS},
        {"point": POINT, "members": [["red", "ann", "Q"]]},
        {"point": POINT, "members": []},
    ):
        r = client.post("/api/rounds", headers=TEACHER, content=json.dumps(body))
        assert r.status_code == 400, body
    r = client.post("/api/rounds", headers=TEACHER, content=b"[1, 2")
    assert r.status_code == 400


def test_a_volunteer_joins_by_code(client, made):
    r = client.get(f"/api/join/{made['join_code']}")
    assert r.status_code == 200 and r.json()["round"] == made["id"]
    assert ["red", "ann", "A"] in r.json()["members"]
    assert client.get("/api/join/not-a-code").status_code == 404  # twin


def test_an_entry_is_judged_as_grade_teams_judges_and_never_shows_the_answer(client, made, course):
    right = float(truth(course).values["A"][0])
    url = f"/api/rounds/{made['id']}/entries"
    wrong = client.post(url, json={"student": "ann", "node": "A", "quantity": "A", "value": 5.0})
    assert wrong.status_code == 200 and wrong.json()["status"] == "wrong"
    assert repr(right) not in wrong.text and f"{right:g}" not in wrong.text
    ok = client.post(url, json={"student": "ann", "node": "A", "quantity": "A", "value": right})
    assert ok.json()["status"] == "right"  # corrected: the latest entry is judged
    board = client.get(f"/api/rounds/{made['id']}/board").json()
    (red,) = board["teams"]
    a = next(x for x in red["links"] if x["node"] == "A" and x["direction"] == "forward")
    assert a["status"] == "right" and a["student"] == "ann"


def test_an_error_is_carried_forward_to_the_next_volunteer(client, made, course):
    values = truth(course).values
    url = f"/api/rounds/{made['id']}/entries"
    for student, node in (("ann", "A"), ("bob", "B"), ("cat", "C")):
        value = float(values[node][0]) + (1.0 if node == "A" else 0.0)
        client.post(url, json={"student": student, "node": node, "quantity": node, "value": value})
    received = float(values["A"][0]) + 1.0 + float(values["B"][0]) + float(values["C"][0])
    r = client.post(url, json={"student": "dan", "node": "G", "quantity": "G", "value": received})
    assert r.json()["status"] == "carried"  # right for what dan received


def test_a_volunteer_may_enter_only_their_own_node_and_its_quantities(client, made):
    url = f"/api/rounds/{made['id']}/entries"
    theirs = {"student": "bob", "node": "A", "quantity": "A", "value": 0.1}
    assert client.post(url, json=theirs).status_code == 403
    assert client.post(url, json={**theirs, "student": "nobody"}).status_code == 403
    odd = {"student": "ann", "node": "A", "quantity": "S", "value": 0.1}
    assert client.post(url, json=odd).status_code == 400
    back = {"student": "ann", "node": "A", "quantity": "dL_dw1", "value": 0.1}
    assert client.post(url, json=back).status_code == 200  # twin: a quantity of A's


@pytest.mark.parametrize("value", ["0.1", None, True, [0.1], "nan"])
def test_only_a_finite_number_is_taken(client, made, value):
    url = f"/api/rounds/{made['id']}/entries"
    entry = {"student": "ann", "node": "A", "quantity": "A", "value": value}
    assert client.post(url, json=entry).status_code == 400
    assert client.post(url, json={**entry, "value": 0.1}).status_code == 200  # twin


def test_an_unknown_round_and_a_huge_body(client, made):
    entry = {"student": "ann", "node": "A", "quantity": "A", "value": 0.1}
    assert client.post("/api/rounds/nope/entries", json=entry).status_code == 404
    assert client.get("/api/rounds/nope/board").status_code == 404
    huge = json.dumps({**entry, "pad": "x" * (1 << 17)})
    assert client.post(f"/api/rounds/{made['id']}/entries", content=huge).status_code == 413
    assert client.get(f"/api/rounds/{made['id']}/board").status_code == 200  # twin
