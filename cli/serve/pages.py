"""The live round's pages: the teacher's, the projector's board and a volunteer's phone.

Each page is a small HTML frame made here, with its texts (from the catalogue, in the page's
language) and its settings embedded as JSON, and a script of ``static/`` that draws it from
the JSON API (cli/serve/app.py) and follows the round's event stream.  Nothing a student
typed is ever part of the HTML: the scripts put names in with ``textContent``.  The policy
lets a page load only this server's own scripts, styles and images, and talk only to it.

    GET /teacher              the teacher: the token from the printed URL (?token=)
    GET /board/<round>        the board for the projector (``?lang=ru|en``)
    GET /join, /join/<code>   a volunteer: type the code, then join and enter numbers
    GET /join/<code>/qr.svg   the join URL as a QR code, for the board
"""

from __future__ import annotations

import json
import re
from functools import cache
from html import escape
from importlib import resources
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from grader.course.questions import Course
from reference.course.model import Model
from reference.i18n import LANGUAGES, pick, say

#: The scripts and the stylesheet the pages load, with their media types.
STATIC = {
    "common.js": "text/javascript",
    "board.js": "text/javascript",
    "teacher.js": "text/javascript",
    "volunteer.js": "text/javascript",
    "live.css": "text/css",
    "icon.svg": "image/svg+xml",
}
#: What an id or a join code in a URL may be (the store makes them URL-safe base64).
TOKEN = re.compile(r"[A-Za-z0-9_-]{1,64}")
#: The pages may load and ask only this server; no frame may hold them.
POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
HEADERS = {
    "content-security-policy": POLICY,
    "referrer-policy": "no-referrer",
    "x-content-type-options": "nosniff",
    "cache-control": "no-store",
}


def page_routes(course: Course, lang: str, public: str | None = None) -> list[BaseRoute]:
    """The pages' routes, in ``lang`` unless a page is asked for with ``?lang=``;
    ``public`` is the address students reach this server at (``http://HOST:PORT``), for the
    join URL the board shows (default: the address the board was opened at)."""
    pages = Pages(course.model, lang, public)
    return [
        Route("/", pages.home, methods=["GET"]),
        Route("/teacher", pages.teacher, methods=["GET"]),
        Route("/board/{round}", pages.board, methods=["GET"]),
        Route("/join", pages.join_form, methods=["GET"]),
        Route("/join/{code}", pages.volunteer, methods=["GET"]),
        Route("/join/{code}/qr.svg", pages.qr, methods=["GET"]),
        Route("/static/{name}", pages.static, methods=["GET"]),
    ]


def embedded(data: object) -> str:
    """JSON safe inside a ``<script type="application/json">``: no ``<``, ``>`` or ``&``
    left to end the element, whatever the data holds."""
    text = json.dumps(data, ensure_ascii=False, allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


@cache
def static_file(name: str) -> bytes:
    """One of :data:`STATIC`, read once (package data)."""
    return (resources.files(__package__) / "static" / name).read_bytes()


def page(
    lang: str,
    title: str,
    config: dict[str, Any],
    *,
    body: str,
    assets: str,
    styles: str,
    scripts: tuple[str, ...],
    noscript: str,
) -> HTMLResponse:
    """A whole page of the server's (the live round's, practice's): the frame its scripts
    fill in, its texts in ``config`` as JSON; ``assets`` is where its files are served."""
    tags = "".join(f'<script src="{assets}/{escape(name)}"></script>\n' for name in scripts)
    text = (
        f'<!DOCTYPE html>\n<html lang="{escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n"
        f'<link rel="icon" href="{assets}/icon.svg" type="image/svg+xml">\n'
        f'<link rel="stylesheet" href="{assets}/{escape(styles)}">\n</head>\n'
        f'<body class="{escape(body)}">\n'
        f"<noscript>{escape(noscript)}</noscript>\n"
        '<main id="app"></main>\n'
        f'<script type="application/json" id="config">{embedded(config)}</script>\n'
        f"{tags}</body>\n</html>\n"
    )
    return HTMLResponse(text, headers=HEADERS)


def frame(lang: str, title: str, script: str, config: dict[str, Any]) -> HTMLResponse:
    """A live round's page: ``script`` fills it in, with common.js; ``title`` is the
    catalogue's text."""
    return page(
        lang,
        title,
        config,
        body=script,
        assets="/static",
        styles="live.css",
        scripts=("common.js", f"{script}.js"),
        noscript=say("board.needs_script", lang),
    )


class Pages:
    """The page handlers, over one course's model."""

    def __init__(self, model: Model, lang: str, public: str | None) -> None:
        self.model, self.lang, self.public = model, lang, public

    def language(self, request: Request) -> str:
        asked = request.query_params.get("lang", "")
        return asked if asked in LANGUAGES else self.lang

    def base(self, request: Request) -> str:
        return self.public or str(request.base_url).rstrip("/")

    def config(self, lang: str, texts: dict[str, str], **more: Any) -> dict[str, Any]:
        """What every page's script is given: its language, the others, its texts."""
        return {
            "lang": lang,
            "languages": [[code, say("board.language_name", code)] for code in LANGUAGES],
            "texts": {**common_texts(lang), **texts},
            "title": pick(self.model.title, lang),
            **more,
        }

    async def home(self, request: Request) -> Response:
        return RedirectResponse(_with_lang("/join", request), status_code=303)

    async def teacher(self, request: Request) -> Response:
        lang = self.language(request)
        texts = teacher_texts(lang, self.model)
        nodes = [n.name for n in self.model.nodes]
        config = self.config(lang, texts, leaves=list(self.model.leaves), nodes=nodes)
        return frame(lang, texts["teacher_title"], "teacher", config)

    async def board(self, request: Request) -> Response:
        lang = self.language(request)
        round_id = request.path_params["round"]
        if not TOKEN.fullmatch(round_id):
            return Response(say("board.no_round", lang), status_code=404, headers=HEADERS)
        texts = board_texts(lang)
        config = self.config(lang, texts, round=round_id, join_base=self.base(request))
        return frame(lang, texts["board_title"], "board", config)

    async def join_form(self, request: Request) -> Response:
        """The form to type a code; sent back here, it goes on to that code's page."""
        lang = self.language(request)
        code = request.query_params.get("code", "").strip()
        if TOKEN.fullmatch(code):
            return RedirectResponse(_with_lang(f"/join/{code}", request), status_code=303)
        texts = volunteer_texts(lang)
        config = self.config(lang, texts, code=None, bad_code=bool(code))
        return frame(lang, texts["join_title"], "volunteer", config)

    async def volunteer(self, request: Request) -> Response:
        lang = self.language(request)
        code = request.path_params["code"]
        if not TOKEN.fullmatch(code):
            return RedirectResponse(_with_lang("/join", request), status_code=303)
        texts = volunteer_texts(lang)
        formulas = {n.name: f"{n.name} = {n.formula}" for n in self.model.nodes}
        config = self.config(lang, texts, code=code, formulas=formulas, loss=self.model.loss)
        return frame(lang, texts["join_title"], "volunteer", config)

    async def qr(self, request: Request) -> Response:
        """The join URL of ``code`` as an SVG QR code (the board shows it)."""
        import qrcode
        import qrcode.image.svg

        code = request.path_params["code"]
        if not TOKEN.fullmatch(code):
            return Response(status_code=404)
        url = f"{self.base(request)}/join/{code}"
        image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, border=2)
        svg = image.to_string(encoding="unicode")
        return Response(svg, media_type="image/svg+xml", headers=HEADERS)

    async def static(self, request: Request) -> Response:
        name = request.path_params["name"]
        if name not in STATIC:
            return Response(status_code=404)
        headers = {**HEADERS, "cache-control": "no-cache"}
        return Response(static_file(name), media_type=STATIC[name], headers=headers)


def _with_lang(path: str, request: Request) -> str:
    asked = request.query_params.get("lang", "")
    return f"{path}?lang={asked}" if asked in LANGUAGES else path


def common_texts(lang: str) -> dict[str, str]:
    """The words every page says: statuses, directions, the connection."""
    return {
        "live": say("board.live", lang),
        "reconnecting": say("board.reconnecting", lang),
        "server_silent": say("board.server_silent", lang),
        "refused": say("board.refused", lang, why="{why}"),
        "team_label": say("board.team_label", lang),
        "forward": say("board.forward", lang),
        "backward": say("board.backward", lang),
        "status_right": say("board.status_right", lang),
        "status_carried": say("board.status_carried", lang),
        "status_wrong": say("board.status_wrong", lang),
        "status_missing": say("board.status_missing", lang),
        "status_reference": say("board.status_reference", lang),
        "waiting": say("board.waiting", lang),
    }


def teacher_texts(lang: str, model: Model) -> dict[str, str]:
    """The teacher's page: a new round, the rounds."""
    return {
        "teacher_title": say("board.teacher_title", lang),
        "no_token": say("board.no_token", lang),
        "bad_token": say("board.bad_token", lang),
        "new_round": say("board.new_round", lang),
        "point": say("board.point", lang),
        "point_at": say("board.point_at", lang),
        "point_hint": say("board.point_hint", lang, leaves=", ".join(model.leaves)),
        "point_random": say("board.point_random", lang),
        "point_unknown": say("board.point_unknown", lang, name="{name}"),
        "point_not_number": say("board.point_not_number", lang, name="{name}"),
        "point_missing": say("board.point_missing", lang, names="{names}"),
        "teams": say("board.teams", lang),
        "teams_roster": say("board.teams_roster", lang),
        "teams_upload": say("board.teams_upload", lang),
        "teams_open": say("board.teams_open", lang),
        "roster_empty": say("board.roster_empty", lang),
        "start": say("board.start", lang),
        "started": say("board.started", lang, code="{code}"),
        "rounds": say("board.rounds", lang),
        "no_rounds": say("board.no_rounds", lang),
        "col_created": say("board.col_created", lang),
        "col_code": say("board.col_code", lang),
        "col_mode": say("board.col_mode", lang),
        "col_reference": say("board.col_reference", lang),
        "mode_open": say("board.mode_open", lang),
        "mode_roster": say("board.mode_roster", lang),
        "revealed": say("board.revealed", lang),
        "not_revealed": say("board.not_revealed", lang),
        "open_board": say("board.open_board", lang),
        "reveal": say("board.reveal", lang),
        "reveal_confirm": say("board.reveal_confirm", lang),
        "export": say("board.export", lang),
    }


def board_texts(lang: str) -> dict[str, str]:
    """The projector's board."""
    slots = {"node": "{node}", "direction": "{direction}", "student": "{student}"}
    return {
        "board_title": say("board.board_title", lang),
        "join_at": say("board.join_at", lang),
        "code": say("board.code", lang),
        "nobody": say("board.nobody", lang),
        "short_right": say("board.short_right", lang),
        "short_carried": say("board.short_carried", lang),
        "short_wrong": say("board.short_wrong", lang),
        "short_missing": say("board.short_missing", lang),
        "short_reference": say("board.short_reference", lang),
        "edge_caption": say("board.edge_caption", lang),
        "first_broken": say("board.first_broken", lang, **slots),
        "first_waiting": say("board.first_waiting", lang, **slots),
        "all_right": say("board.all_right", lang),
        "no_teams": say("board.no_teams", lang),
        "no_round": say("board.no_round", lang),
        "reference_value": say("board.reference_value", lang, value="{value}"),
    }


def volunteer_texts(lang: str) -> dict[str, str]:
    """A volunteer's phone: the code, joining, their node's numbers."""
    return {
        "join_title": say("board.join_title", lang),
        "code_label": say("board.code_label", lang),
        "join_button": say("board.join_button", lang),
        "code_unknown": say("board.code_unknown", lang),
        "code_bad": say("board.code_bad", lang),
        "pick_name": say("board.pick_name", lang),
        "open_join": say("board.open_join", lang),
        "already_joined": say("board.already_joined", lang),
        "team_name": say("board.team_name", lang),
        "your_name": say("board.your_name", lang),
        "your_node": say("board.your_node", lang),
        "node_taken": say("board.node_taken", lang),
        "roster_only": say("board.roster_only", lang),
        "not_you": say("board.not_you", lang),
        "you_are": say("board.you_are", lang, student="{student}", team="{team}"),
        "node_heading": say("board.node_heading", lang, node="{node}"),
        "received": say("board.received", lang),
        "upstream_waiting": say("board.upstream_waiting", lang, name="{name}"),
        "enter_output": say("board.enter_output", lang),
        "enter_local": say("board.enter_local", lang),
        "enter_backward": say("board.enter_backward", lang),
        "send": say("board.send", lang),
        "not_a_number": say("board.not_a_number", lang),
        "too_fast": say("board.too_fast", lang),
        "not_yours": say("board.not_yours", lang),
        "no_node": say("board.no_node", lang),
    }
