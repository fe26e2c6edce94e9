"""The page frame every HTML report shares: language, stylesheet inlined, a strict policy.

The Content-Security-Policy lets a page load nothing at all (no network, no other file) and
run no script but the one it names by hash, so even a slip in escaping could not run a
student's ``<script>``.  The stylesheet is package data, inlined: a page opens from file://
anywhere, on its own.
"""

from __future__ import annotations

import base64
import hashlib
from functools import cache
from html import escape
from importlib import resources

from reference.i18n import pick, same
from reference.statuses import STATUS

#: Status → (symbol, words): read without colour, on screen and on paper.


@cache
def stylesheet() -> str:
    return (resources.files(__package__) / "style.css").read_text(encoding="utf-8")


def status(code: str, lang: str) -> str:
    """A status as a symbol and words, in a span whose class only adds colour."""
    symbol, words = STATUS.get(code, ("?", same(code)))
    return (
        f'<span class="status s-{escape(code)}"><span aria-hidden="true">{symbol}</span> '
        f"{escape(pick(words, lang))}</span>"
    )


def page(lang: str, title: str, body: str, script: str = "") -> str:
    """A whole document; ``title`` is plain text, ``body`` markup already escaped."""
    scripts = ""
    policy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    if script:
        digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
        policy += f"; script-src 'sha256-{digest}'"
        scripts = f"<script>{script}</script>"
    return (
        f'<!DOCTYPE html>\n<html lang="{escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f"<title>{escape(title)}</title>\n<style>\n{stylesheet()}</style>\n</head>\n"
        f"<body>\n{body}\n{scripts}</body>\n</html>\n"
    )


def number(x: float | None, digits: int = 4) -> str:
    """A value as shown on a page: 4 significant digits, a true minus sign; None is a dash."""
    if x is None:
        return "\u2014"
    return f"{x:.{digits}g}".replace("-", "\u2212")


def table(cls: str, head: str, rows: list[str]) -> str:
    """A table of class ``cls``: ``head`` the header cells, ``rows`` the body rows (markup)."""
    return (
        f'<table class="{escape(cls)}"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
