"""Every sentence the package shows a person, by key: a folder per language, a module per domain.

``t("pages.link")`` is the sentence of the key ``pages.link`` in every language of the
catalogue.  A key's domain (the part before its first dot) names the module that holds it
(``<lang>/pages.py``), so a command loads only the domains it speaks, and a student's
``check.py`` carries only the ones it needs (``expr``, ``checks``).  A sentence is a
``str.format`` template with named fields, formatted when fields are given; a counted noun is
``{n:plural:point|points}``, chosen by the language's own rule (``plural`` in its folder's
``__init__``).  Standard library only: the formula reader carries this file into check.py.

A third language is a folder copied from ``en/`` with its sentences translated and its plural
rule written, and its code added to :data:`LANGUAGES` (or, to try it, the folder that holds
it named by ``BACKPROP_CATALOGUE``): nothing else; tests/test_third_language.py adds one
and reads every door in it.
"""

from __future__ import annotations

import importlib
import os
import string
from collections.abc import Callable, Mapping, Sequence

#: The catalogue's languages, the default first.
LANGUAGES: tuple[str, ...] = ("ru", "en")
#: A folder of further languages (``<lang>/`` as beside ``en/`` here), to try a translation
#: without touching the installed package: they join :data:`LANGUAGES`.
EXTRA = os.environ.get("BACKPROP_CATALOGUE", "")
if EXTRA and os.path.isdir(EXTRA):
    __path__.append(EXTRA)  # the package's own search path
    LANGUAGES += tuple(
        sorted(
            name
            for name in os.listdir(EXTRA)
            if name not in LANGUAGES and os.path.isfile(os.path.join(EXTRA, name, "__init__.py"))
        )
    )
#: The language of last resort, should a sentence be missing from another.
FALLBACK = "en"

_loaded: dict[tuple[str, str], Mapping[str, str]] = {}


def sentences(lang: str, domain: str) -> Mapping[str, str]:
    """The mapping key → template of one domain in one language (empty if it has none)."""
    try:
        return _loaded[lang, domain]
    except KeyError:
        pass
    try:
        module = importlib.import_module(f"{__name__}.{lang}.{domain}")
    except ModuleNotFoundError as missing:
        if missing.name not in (f"{__name__}.{lang}", f"{__name__}.{lang}.{domain}"):
            raise
        found: Mapping[str, str] = {}
    else:
        found = module.TEXT
    _loaded[lang, domain] = found
    return found


def template(key: str, lang: str) -> str:
    """The template of ``key`` in ``lang``, else in :data:`FALLBACK` (a KeyError if neither)."""
    return _found(key, lang)[1]


def _found(key: str, lang: str) -> tuple[str, str]:
    """(the language it is written in, the template) of ``key`` asked for in ``lang``."""
    domain = key.split(".", 1)[0]
    found = sentences(lang, domain).get(key)
    if found is None:
        return FALLBACK, sentences(FALLBACK, domain)[key]
    return lang, found


class _Counting(string.Formatter):
    """``{n:plural:forms}`` through a language's rule; every other field as ``format`` does."""

    def __init__(self, rule: Callable[[float, Sequence[str]], str]):
        self.rule = rule

    def format_field(self, value: object, format_spec: str) -> str:
        if format_spec.startswith("plural:"):
            return self.rule(float(value), format_spec[len("plural:") :].split("|"))  # type: ignore[arg-type]
        return format(value, format_spec)


def plural_rule(lang: str) -> Callable[[float, Sequence[str]], str]:
    """The language's rule: (n, its forms as the language lists them) → the form for n."""
    return importlib.import_module(f"{__name__}.{lang}").plural


def render(key: str, lang: str, fields: Mapping[str, object]) -> str:
    """The sentence ``key`` in ``lang`` with ``fields`` filled in (unformatted when none); a
    field that is itself a text in every language (a mapping) is filled in the same one."""
    written, text = _found(key, lang)
    if not fields:
        return text
    fields = {name: _in(value, written) for name, value in fields.items()}
    if ":plural:" in text:  # counted by the rule of the language it is written in
        return _Counting(plural_rule(written)).vformat(text, (), fields)
    return text.format(**fields)


def _in(value: object, lang: str) -> object:
    """A field's value in ``lang``: a text (a mapping from the catalogue's languages) in that
    language; anything else, a dict of a student's numbers included, as it is."""
    if not (isinstance(value, Mapping) and value and all(k in LANGUAGES for k in value)):
        return value
    for code in (lang, FALLBACK):
        if code in value:
            return value[code]
    return next(iter(value.values()), "")


def t(key: str, /, **fields: object) -> dict[str, str]:
    """The sentence ``key`` in every language of the catalogue, its fields filled in."""
    return {lang: render(key, lang, fields) for lang in LANGUAGES}


def say(key: str, lang: str, /, **fields: object) -> str:
    """The sentence ``key`` in one language (a terminal line, a column's heading)."""
    return render(key, lang, fields)
