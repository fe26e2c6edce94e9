"""What every endpoint of ``course serve`` shares: a refusal worded in every language, a JSON
body read within a bound (never more of it than the bound), the language a request asks for.
The live round's API (app.py) and practice's (practice.py) both answer through these."""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from reference.i18n import LANGUAGES, Text, pick


class Refusal(Exception):
    """A request refused: its HTTP status and why, in every language."""

    def __init__(self, status: int, why: Text) -> None:
        super().__init__(why.get("en", ""))
        self.status, self.why = status, why


def language(request: Request, default: str) -> str:
    """The request's ``?lang=`` if the catalogue has it, else ``default``."""
    asked = request.query_params.get("lang", default)
    return asked if asked in LANGUAGES else default


def refused(refusal: Refusal, lang: str) -> JSONResponse:
    """The refusal as the pages read it: ``{"error": why}`` in ``lang``."""
    return JSONResponse({"error": pick(refusal.why, lang)}, status_code=refusal.status)


async def json_body(request: Request, limit: int, too_large: Text, not_json: Text) -> dict:
    """The request's JSON object, read a chunk at a time and refused (413) past ``limit``
    bytes; anything but an object is refused (400)."""
    raw = b""
    async for chunk in request.stream():
        raw += chunk
        if len(raw) > limit:
            raise Refusal(413, too_large)
    try:
        data: Any = json.loads(raw)
    except (ValueError, RecursionError):
        data = None
    if not isinstance(data, dict):
        raise Refusal(400, not_json)
    return data
