"""The live round's JSON API (an ASGI app, Starlette): what the pages use and the tests drive.

    POST /api/rounds                    teacher: a round at a point (``at``, or random) with
                                        ``teams`` [{team, student, node}], a ``roster`` (CSV
                                        text) or ``open`` join → {round, code}
    GET  /api/rounds                    teacher: the rounds, newest first
    GET  /api/join/<code>               anyone with the code: the round, its nodes and members
    POST /api/rounds/<id>/join          {student, node, team?} → the student's place
    POST /api/rounds/<id>/entries       the node's owner: {student, node, quantity, value}
                                        → {verdict, status, feedback, seq}
    GET  /api/rounds/<id>/me            a volunteer's view: what they received, their entries
    GET  /api/rounds/<id>/board         every team's numbers, verdicts and links
    GET  /api/rounds/<id>/events        the board's changes as they happen (server-sent events)
    POST /api/rounds/<id>/reveal        teacher: the reference's values on the board
    GET  /api/rounds/<id>/export        teacher: JSON lines as ``grade --teams --json`` writes

An entry is judged as ``grade --teams`` judges code (grader/teams/entered.py), on what the
volunteer received; a response never holds the reference's value (until the teacher reveals
it on the board).  A quantity is the node's output (``S``), a local derivative (``dS/dG``) or
what the volunteer hands back (``dL/dG``); only a finite number.  No student code runs here.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import math
import tempfile
import threading
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import BaseRoute, Route

from cli.serve import views
from cli.serve.events import Hub, Message
from cli.serve.http import Refusal, json_body, language, refused
from cli.serve.limits import Limiter
from cli.serve.store import MAX_NAME, Round, Store
from grader.course.questions import Course
from grader.teams.entered import Judged, quantities
from grader.teams.roster import Member, Team, TeamError, load_team_roster
from reference.course.answers import answer_key
from reference.i18n import t

#: The largest request body read (an entry is a few dozen bytes; a roster a few kilobytes).
MAX_BODY = 64 << 10


def make_app(
    course: Course,
    store: Store,
    token: str,
    digest: str = "",
    *,
    lang: str = "en",
    pages: list[BaseRoute] | None = None,
    announce: Callable[[Round], None] | None = None,
) -> Starlette:
    """The API for ``course``'s rounds, kept in ``store``; ``token`` is the teacher's;
    ``digest`` names the course a round is made with (grader.grading.fingerprint); ``pages``
    are served beside it; ``announce`` hears of each new round (the command prints its URL)."""
    api = Api(course, store, token, digest, lang, announce)
    r = "/api/rounds/{round}"
    routes: list[BaseRoute] = [
        Route("/api/rounds", api.create, methods=["POST"]),
        Route("/api/rounds", api.listed, methods=["GET"]),
        Route("/api/join/{code}", api.opened, methods=["GET"]),
        Route(f"{r}/join", api.join, methods=["POST"]),
        Route(f"{r}/entries", api.enter, methods=["POST"]),
        Route(f"{r}/me", api.me, methods=["GET"]),
        Route(f"{r}/board", api.board, methods=["GET"]),
        Route(f"{r}/events", api.events, methods=["GET"]),
        Route(f"{r}/reveal", api.reveal, methods=["POST"]),
        Route(f"{r}/export", api.export, methods=["GET"]),
        *(pages or []),
    ]
    return Starlette(routes=routes, exception_handlers={Refusal: api.refused})


def _name(value: object, what: str) -> str:
    if not isinstance(value, str) or not 0 < len(value.strip()) <= MAX_NAME:
        raise Refusal(400, t("live.name_bounded", what=what, n=MAX_NAME))
    return value.strip()


def _finite(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise Refusal(422, t("live.value_number"))
    return float(value)


class Api:
    """The endpoints, over one course and one store."""

    def __init__(
        self,
        course: Course,
        store: Store,
        token: str,
        digest: str,
        lang: str,
        announce: Callable[[Round], None] | None,
    ) -> None:
        self.course, self.store, self.token, self.digest = course, store, token, digest
        self.lang, self.announce = lang, announce
        self.model = course.model
        self.nodes = [n.name for n in self.model.nodes]
        self.hub = Hub()
        self.entries = Limiter(rate=5.0, burst=20.0)  # a volunteer's numbers and joins
        self.guesses = Limiter(rate=1.0, burst=10.0)  # wrong tokens, by address
        self._team_locks: dict[tuple[str, str], threading.Lock] = {}
        self._teams: dict[str, dict[str, Team]] = {}  # a round's teams, as last read
        self._joins: dict[str, int] = {}  # how many joined a round (a stale read is not kept)
        self._versions: dict[tuple[str, str], int] = {}  # (round, team) → entries taken
        self._judged: dict[tuple[str, str], tuple[int, Judged]] = {}  # … and its judgement
        self._locks = threading.Lock()

    # -- the request's parts

    def lang_of(self, request: Request) -> str:
        return language(request, self.lang)

    def refused(self, request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, Refusal)
        return refused(exc, self.lang_of(request))

    async def body(self, request: Request) -> dict[str, Any]:
        return await json_body(request, MAX_BODY, t("live.too_large"), t("live.not_json"))

    def teacher(self, request: Request) -> None:
        """The teacher's token, compared in constant time; guesses are rate limited."""
        given = request.headers.get("authorization", "")
        if hmac.compare_digest(given.encode(), f"Bearer {self.token}".encode()):
            return
        if not self.guesses.allow(_address(request)):
            raise Refusal(429, t("live.too_many"))
        raise Refusal(401, t("live.token_required"))

    def known(self, request: Request) -> Round:
        try:
            return self.store.round(request.path_params["round"])
        except KeyError:
            raise Refusal(404, t("live.no_round")) from None

    def teams_of(self, round_id: str) -> dict[str, Team]:
        """The round's teams, read from the file once (a join reads them again): an entry
        in a hall of 300 volunteers does not read 300 members."""
        known = self._teams.get(round_id)
        if known is not None:
            return known
        joins = self._joins.get(round_id, 0)
        members: dict[str, list[Member]] = {}
        for i, (team, student, node) in enumerate(self.store.members(round_id), 2):
            members.setdefault(team, []).append(Member(team, student, node, i))
        teams = {team: Team(team, tuple(m)) for team, m in members.items()}
        with self._locks:  # kept unless someone joined while it was read
            if self._joins.get(round_id, 0) == joins:
                self._teams[round_id] = teams
        return teams

    def judged(self, made: Round, team: Team) -> Judged:
        """The team judged on its own members' entries (read for them alone: an entry in a
        hall of 300 volunteers reads its team's, not the round's), once an entry: the board
        and the team's six phones that ask after it share one judgement."""
        key = (made.id, team.name)
        version = self._versions.get(key, 0)
        cached = self._judged.get(key)
        if cached is not None and cached[0] == version and cached[1].team is team:
            return cached[1]
        entries = self.store.latest(made.id, team.students)
        judged = Judged(self.course, team, made.point, entries)
        with self._locks:  # kept unless an entry landed while it was made
            if self._versions.get(key, 0) == version:
                self._judged[key] = (version, judged)
        return judged

    def reference(self, made: Round) -> dict[str, Any] | None:
        if not made.revealed:
            return None
        key = answer_key(self.model, made.point)
        return {"values": key["values"], "grad": key["grad"], "update": key["update"]}

    # -- the teacher

    async def create(self, request: Request) -> JSONResponse:
        self.teacher(request)
        data = await self.body(request)
        point = self.point(data.get("at"))
        open_join = data.get("open") is True
        rows = [] if open_join else self.roster(data)
        made = await run_in_threadpool(self.store.create, self.digest, point, rows, open_join)
        if self.announce is not None:
            self.announce(made)
        return JSONResponse({"round": made.id, "code": made.join_code}, status_code=201)

    def point(self, at: object) -> dict[str, float]:
        """The round's point: a finite number for every leaf, or random (one decimal: the class
        computes by hand)."""
        leaves = self.model.leaves
        if at is None or at == "random":
            sample = self.model.sample(np.random.default_rng(), 1)
            return {k: round(float(sample[k][0]), 1) + 0.0 for k in leaves}
        if not isinstance(at, dict) or set(at) != set(leaves):
            raise Refusal(400, t("live.bad_at", names=", ".join(leaves)))
        try:
            return {k: _finite(at[k]) for k in leaves}
        except Refusal:
            raise Refusal(400, t("live.bad_at", names=", ".join(leaves))) from None

    def roster(self, data: dict[str, Any]) -> list[tuple[str, str, str]]:
        """The round's teams, read as ``grade --teams`` reads its CSV (the same checks)."""
        teams, text = data.get("teams"), data.get("roster")
        if isinstance(teams, list) and teams:
            lines = ["team,student,node"]
            for row in teams:
                if not isinstance(row, dict):
                    raise Refusal(400, t("live.teams_needed"))
                cells = [_name(row.get(k), k) for k in ("team", "student", "node")]
                lines.append(",".join(_cell(c) for c in cells))
            text = "\n".join(lines) + "\n"
        if not isinstance(text, str) or not text.strip():
            raise Refusal(400, t("live.teams_needed"))
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "roster.csv"
            path.write_text(text, encoding="utf-8")
            try:
                roster = load_team_roster(path, self.model, [])
            except TeamError as bad:
                first = bad.problems[0]
                raise Refusal(
                    400, t("live.roster_line", line=first.line or 1, message=first.text)
                ) from None
        return [(m.team, m.student, m.node) for m in roster.members()]

    async def listed(self, request: Request) -> JSONResponse:
        self.teacher(request)
        rounds = await run_in_threadpool(self.store.rounds)
        return JSONResponse(
            {
                "rounds": [
                    {
                        "round": r.id,
                        "code": r.join_code,
                        "created": r.created,
                        "open": r.open,
                        "revealed": r.revealed,
                        "at": r.point,
                    }
                    for r in rounds
                ]
            }
        )

    async def reveal(self, request: Request) -> JSONResponse:
        self.teacher(request)
        made = self.known(request)
        await run_in_threadpool(self.store.reveal, made.id)
        revealed, loop = self.store.round(made.id), asyncio.get_running_loop()
        await run_in_threadpool(self.tell, revealed, "board", self.board_state(revealed), loop)
        return JSONResponse({"revealed": True})

    async def export(self, request: Request) -> Response:
        self.teacher(request)
        made, lang = self.known(request), self.lang_of(request)

        def lines() -> str:
            out = []
            for team in self.teams_of(made.id).values():
                out += views.export(self.judged(made, team), made.id, lang)
            return "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in out)

        text = await run_in_threadpool(lines)
        name = f"round-{made.id}.jsonl"
        return Response(
            text,
            media_type="application/x-ndjson",
            headers={"content-disposition": f'attachment; filename="{name}"'},
        )

    # -- the volunteers

    async def opened(self, request: Request) -> JSONResponse:
        code = request.path_params["code"]
        found = self.store.by_join_code(code) if len(code) <= MAX_NAME else None
        if found is None:
            raise Refusal(404, t("live.no_round"))
        return JSONResponse(self.round_info(found))

    def round_info(self, made: Round) -> dict[str, Any]:
        return {
            "round": made.id,
            "code": made.join_code,
            "open": made.open,
            "nodes": self.nodes,
            "members": self.store.members(made.id),
        }

    async def join(self, request: Request) -> JSONResponse:
        made = self.known(request)
        data = await self.body(request)
        student = _name(data.get("student"), "student")
        if not self.entries.allow((_address(request), made.id, student)):
            raise Refusal(429, t("live.too_many"))
        mine = [(t, n) for t, s, n in self.store.members(made.id) if s == student]
        if not made.open:
            if not mine:
                raise Refusal(403, t("live.not_in_roster", student=student))
            place = {"team": mine[0][0], "nodes": [n for _, n in mine]}
            return JSONResponse({"round": made.id, "student": student, **place})
        node, team = data.get("node"), _name(data.get("team", "1"), "team")
        if node not in self.nodes:
            raise Refusal(400, t("live.node_one_of", names=", ".join(self.nodes)))
        if mine and mine[0][0] != team:
            raise Refusal(409, t("live.in_another_team", student=student, team=mine[0][0]))
        took = await run_in_threadpool(self.store.join, made.id, team, student, node)
        with self._locks:  # read again with the newcomer
            self._joins[made.id] = self._joins.get(made.id, 0) + 1
            self._teams.pop(made.id, None)
        if not took:
            raise Refusal(409, t("live.node_taken", node=node, team=team))
        joined = self.teams_of(made.id)[team]
        reference = self.reference(made)

        def state(lang: str) -> dict[str, Any]:
            return views.team_state(self.judged(made, joined), lang, reference)

        await run_in_threadpool(self.tell, made, "team", state, asyncio.get_running_loop(), team)
        nodes = [n for t, s, n in self.store.members(made.id) if s == student]
        body = {"round": made.id, "student": student, "team": team, "nodes": nodes}
        return JSONResponse(body, status_code=201)

    async def enter(self, request: Request) -> JSONResponse:
        made = self.known(request)
        data = await self.body(request)
        student, node = _name(data.get("student"), "student"), data.get("node")
        if not self.entries.allow((_address(request), made.id, student)):
            raise Refusal(429, t("live.too_many"))
        team = next((t for t in self.teams_of(made.id).values() if node in t.owned(student)), None)
        if team is None or not isinstance(node, str):
            raise Refusal(403, t("live.not_your_node"))
        quantity = data.get("quantity")
        if quantity not in quantities(self.model, node):
            names = ", ".join(quantities(self.model, node))
            raise Refusal(400, t("live.quantity_one_of", names=names))
        entry = (student, node, quantity, _finite(data.get("value")))
        loop = asyncio.get_running_loop()
        return JSONResponse(await run_in_threadpool(self.entered, made, team, entry, loop))

    def entered(
        self,
        made: Round,
        team: Team,
        entry: tuple[str, str, str, float],
        loop: asyncio.AbstractEventLoop,
    ) -> dict:
        """Keep the entry (on disk before the answer), judge the team, tell its listeners.  One
        team's entries are judged one at a time, and handed to the event loop in that order,
        so its pages see its states in order."""
        with self._locks:
            lock = self._team_locks.setdefault((made.id, team.name), threading.Lock())
        with lock:
            seq = self.store.enter(made.id, *entry)
            with self._locks:
                key = (made.id, team.name)
                self._versions[key] = self._versions.get(key, 0) + 1
            judged = self.judged(made, team)
            status, feedback = judged.verdict(*entry)
            reference = self.reference(made)
            state = partial(views.team_state, judged, reference=reference)
            phones = partial(views.team_phones, judged, reference=reference)
            self.tell(made, "team", state, loop, team.name, phones)
        verdict = views.VERDICT[status]
        return {"verdict": verdict, "status": status, "feedback": dict(feedback), "seq": seq}

    def tell(
        self,
        made: Round,
        name: str,
        data: Callable[[str], Any],
        loop: asyncio.AbstractEventLoop,
        team: str | None = None,
        to_team: Callable[[str], Any] | None = None,
    ) -> None:
        """From a worker thread: a message to the round's listeners (of ``team`` only, when
        given; its phones get ``to_team``'s if given), made here (off the event loop) in each
        language they read."""
        message = Message(name, data)
        heard = (
            self.hub.languages(made.id, team)
            if to_team is None
            else self.hub.languages(made.id, None, only=True)  # the boards alone
        )
        for lang in heard:
            message.frame(lang)
        phones = Message(name, to_team) if to_team is not None else None
        if phones is not None:
            for lang in self.hub.languages(made.id, team, only=True):
                phones.frame(lang)
        loop.call_soon_threadsafe(self.hub.publish, made.id, message, team, phones)

    async def me(self, request: Request) -> JSONResponse:
        made, lang = self.known(request), self.lang_of(request)
        student = _name(request.query_params.get("student"), "student")
        team = next((t for t in self.teams_of(made.id).values() if student in t.students), None)
        if team is None:
            raise Refusal(403, t("live.not_in_roster", student=student))

        def view() -> dict[str, Any]:
            judged = self.judged(made, team)
            nodes = views.volunteer(judged, student, lang)
            return {"round": made.id, "student": student, "team": team.name, "nodes": nodes}

        return JSONResponse(await run_in_threadpool(view))

    # -- the board

    def board_state(self, made: Round) -> Callable[[str], dict[str, Any]]:
        """The whole board, made per language when asked."""

        def state(lang: str) -> dict[str, Any]:
            reference = self.reference(made)
            teams = [
                views.team_state(self.judged(made, team), lang, reference)
                for team in self.teams_of(made.id).values()
            ]
            return {
                "round": made.id,
                "code": made.join_code,
                "open": made.open,
                "revealed": made.revealed,
                "at": made.point,
                "graph": views.graph(self.model),
                "teams": teams,
            }

        return state

    async def board(self, request: Request) -> JSONResponse:
        made, lang = self.known(request), self.lang_of(request)
        return JSONResponse(await run_in_threadpool(self.board_state(made), lang))

    async def events(self, request: Request) -> StreamingResponse:
        """The board's stream (the whole board, then each team's news), or with ``?team=`` a
        phone's (its team's state, then its news only)."""
        made, lang = self.known(request), self.lang_of(request)
        team = self.teams_of(made.id).get(request.query_params.get("team", ""))
        if team is not None:
            reference, chosen = self.reference(made), team

            def state(lang: str) -> dict[str, Any]:
                return views.team_phones(self.judged(made, chosen), lang, reference)

            first = Message("team", state)
        else:
            first = Message("board", self.board_state(made))
        await run_in_threadpool(first.frame, lang)  # made off the loop
        follows = team.name if team is not None else None
        return StreamingResponse(
            self.hub.stream(made.id, first, lang, follows),
            media_type="text/event-stream",
            headers={"cache-control": "no-cache", "x-accel-buffering": "no"},
        )


def _address(request: Request) -> str:
    return request.client.host if request.client is not None else ""


def _cell(text: str) -> str:
    """A CSV cell for the roster reader (quoted where it must be)."""
    if any(c in text for c in ',"\n\r'):
        return '"' + text.replace('"', '""') + '"'
    return text
