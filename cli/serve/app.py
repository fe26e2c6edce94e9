"""The live round's JSON API (an ASGI app, Starlette): what the pages use and the tests drive.

    POST /api/rounds                   the teacher (a bearer token): a round at a point, its
                                       members (team, student, node)
    GET  /api/join/<code>              a volunteer: the round's id and members
    POST /api/rounds/<id>/entries      a volunteer's number: {student, node, quantity, value}
                                       → the verdict on their link and its feedback
    GET  /api/rounds/<id>/board        every team's links as judged now

An entry is judged as ``grade --teams`` judges code (grader/teams/entered.py), on what the
volunteer received; a response never holds the reference's value.  A student may enter only
for a node the round gives them, only its quantities (its output, named like the node, and
dL/d(each argument)), only a finite number.  No student code runs here.
"""

from __future__ import annotations

import hmac
import json
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from cli.serve.store import MAX_NAME, Refused, Round, Store
from grader.course.questions import Course
from grader.teams.entered import backward_quantities, judge
from grader.teams.result import TeamResult
from grader.teams.roster import Member, Team

#: The largest request body read (an entry is a few dozen bytes; a roster a few kilobytes).
MAX_BODY = 64 << 10


class Refusal(Exception):
    """A request refused: its HTTP status and why."""

    def __init__(self, status: int, why: str) -> None:
        super().__init__(why)
        self.status, self.why = status, why


def make_app(course: Course, store: Store, token: str, digest: str = "") -> Starlette:
    """The API for ``course``'s rounds, kept in ``store``; ``token`` is the teacher's;
    ``digest`` names the course a round is made with (grader.grading.fingerprint)."""
    api = Api(course, store, token, digest)
    return Starlette(
        routes=[
            Route("/api/rounds", api.create, methods=["POST"]),
            Route("/api/join/{code}", api.join, methods=["GET"]),
            Route("/api/rounds/{round}/entries", api.enter, methods=["POST"]),
            Route("/api/rounds/{round}/board", api.board, methods=["GET"]),
        ],
        exception_handlers={Refusal: _refused},
    )


def _refused(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, Refusal)
    return JSONResponse({"error": exc.why}, status_code=exc.status)


async def _body(request: Request) -> dict[str, Any]:
    raw = await request.body()
    if len(raw) > MAX_BODY:
        raise Refusal(413, "the request is too large")
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        raise Refusal(400, "the request is not JSON") from None
    if not isinstance(data, dict):
        raise Refusal(400, "the request is not a JSON object")
    return data


class Api:
    """The endpoints, over one course and one store."""

    def __init__(self, course: Course, store: Store, token: str, digest: str) -> None:
        self.course, self.store, self.token, self.digest = course, store, token, digest
        self.model = course.model
        self.nodes = {n.name for n in self.model.nodes}

    def quantities(self, node: str) -> dict[str, str]:
        """A node's quantities → the direction of the link each one makes."""
        back = dict.fromkeys(backward_quantities(self.model, node).values(), "backward")
        return {node: "forward", **back}

    def teams_of(self, round_id: str) -> dict[str, Team]:
        members: dict[str, list[Member]] = {}
        for i, (team, student, node) in enumerate(self.store.members(round_id), 2):
            members.setdefault(team, []).append(Member(team, student, node, i))
        return {team: Team(team, tuple(m)) for team, m in members.items()}

    def known(self, round_id: str) -> Round:
        try:
            return self.store.round(round_id)
        except KeyError:
            raise Refusal(404, "no such round") from None

    def judged(self, made: Round, team: Team) -> TeamResult:
        """The team judged on its own members' entries (read for them alone: an entry in a
        hall of 300 volunteers reads its team's, not the round's)."""
        entries = self.store.latest(made.id, team.students)
        return judge(self.course, team, made.point, entries)

    async def create(self, request: Request) -> JSONResponse:
        given = request.headers.get("authorization", "")
        if not hmac.compare_digest(given.encode(), f"Bearer {self.token}".encode()):
            raise Refusal(401, "the teacher's token is required")
        data = await _body(request)
        point, members = data.get("point"), data.get("members")
        leaves = self.model.leaves
        if not isinstance(point, dict) or set(point) != set(leaves):
            raise Refusal(400, f"point: a value for each of {', '.join(leaves)}")
        if not isinstance(members, list) or not members:
            raise Refusal(400, "members: a list of [team, student, node]")
        for m in members:
            if not (isinstance(m, list) and len(m) == 3 and m[2] in self.nodes):
                nodes = ", ".join(sorted(self.nodes))
                raise Refusal(400, f"members: [team, student, node], a node of {nodes}")
        try:
            made = self.store.create(self.digest, point, [tuple(m) for m in members])
        except Refused as err:
            raise Refusal(400, str(err)) from None
        return JSONResponse({"id": made.id, "join_code": made.join_code}, status_code=201)

    async def join(self, request: Request) -> JSONResponse:
        code = request.path_params["code"]
        found = self.store.by_join_code(code) if len(code) <= MAX_NAME else None
        if found is None:
            raise Refusal(404, "no such round")
        return JSONResponse({"round": found.id, "members": self.store.members(found.id)})

    async def enter(self, request: Request) -> JSONResponse:
        round_id = request.path_params["round"]
        made = self.known(round_id)
        data = await _body(request)
        student, node, quantity = (str(data.get(k)) for k in ("student", "node", "quantity"))
        teams = self.teams_of(round_id).values()
        team = next((t for t in teams if node in t.owned(student)), None)
        if team is None:
            raise Refusal(403, "you may enter only for a node the round gives you")
        direction = self.quantities(node).get(quantity)
        if direction is None:
            raise Refusal(400, f"quantity: one of {', '.join(self.quantities(node))}")
        try:
            self.store.enter(round_id, student, node, quantity, data.get("value"))
        except Refused as err:
            raise Refusal(400, str(err)) from None
        link = next(
            x
            for x in self.judged(made, team).links
            if x.node == node and x.direction == direction and x.student == student
        )
        return JSONResponse({"status": link.status, "feedback": dict(link.feedback)})

    async def board(self, request: Request) -> JSONResponse:
        round_id = request.path_params["round"]
        made = self.known(round_id)
        teams = self.teams_of(round_id).values()
        return JSONResponse({"round": round_id, "teams": [self.team_state(made, t) for t in teams]})

    def team_state(self, made: Round, team: Team) -> dict[str, Any]:
        """A team on the board: its links as judged now (never the reference's values)."""
        result = self.judged(made, team)
        first = result.first_broken
        links = [
            {"node": x.node, "direction": x.direction, "student": x.student, "status": x.status}
            for x in result.links
        ]
        return {
            "team": team.name,
            "links": links,
            "first_broken": [first.node, first.direction] if first else None,
            "gradient_correct": result.gradient_correct,
        }
