"""Text shown to people, in every language of the course, in one shape.

Every message a teacher or a student reads is a :data:`Text`: a mapping from a language
code to the sentence in that language, made with :func:`t` from the catalogue
(``reference/catalogue``: the sentences by key, a folder per language).  Which language a
command speaks is decided once, by :func:`language`; a missing translation falls back by
:func:`pick`.  Errors a person reads derive from :class:`BilingualError` and carry
:class:`Problem` s (``file:line: message``).  A third language needs its folder in the
catalogue, nothing else.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from reference.catalogue import FALLBACK, LANGUAGES, say, t

__all__ = [
    "FALLBACK",
    "LANGUAGES",
    "BilingualError",
    "Problem",
    "Text",
    "pick",
    "same",
    "say",
    "t",
]

Text = Mapping[str, str]


def same(text: str) -> dict[str, str]:
    """A text that reads the same in every language (a name, a number, a path)."""
    return {lang: text for lang in LANGUAGES}


def pick(text: Text, lang: str) -> str:
    """``text`` in ``lang``, else in the fallback language, else in any it has."""
    if lang in text:
        return text[lang]
    if FALLBACK in text:
        return text[FALLBACK]
    return next(iter(text.values()), "")


def language(asked: str | None, course_languages: Sequence[str] = LANGUAGES) -> str:
    """The language a command speaks: the one asked for, else the course's first."""
    return asked or (course_languages[0] if course_languages else LANGUAGES[0])


def join(texts: Iterable[Text], sep: str = " ") -> dict[str, str]:
    """Texts put together, language by language."""
    texts = list(texts)
    langs = dict.fromkeys(lang for text in texts for lang in text) or dict.fromkeys(LANGUAGES)
    return {lang: sep.join(pick(text, lang) for text in texts) for lang in langs}


# --- suggestions ----------------------------------------------------------------------


def close_matches(word: str, choices: Iterable[str], n: int = 3) -> list[str]:
    """Spellings close to ``word``: a case-insensitive match first, then difflib's."""
    choices = list(dict.fromkeys(choices))
    exact = [c for c in choices if c.lower() == word.lower() and c != word]
    if exact:
        return exact[:n]
    scored = sorted(
        (
            (difflib.SequenceMatcher(None, word.lower(), c.lower()).ratio(), -i, c)
            for i, c in enumerate(choices)
        ),
        reverse=True,
    )
    return [c for ratio, _, c in scored if ratio >= 0.5][:n]


def did_you_mean(word: str, choices: Iterable[str]) -> dict[str, str]:
    """``" — did you mean 'x'?"`` in every language, or empty texts when nothing is close."""
    best = close_matches(word, choices, n=1)
    if not best:
        return same("")
    return t("common.did_you_mean", name=best[0])


# --- errors a person reads --------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One problem at a place: ``file:line: message`` (file and line when known)."""

    file: str | None
    line: int | None
    text: Text

    def message(self, lang: str) -> str:
        return pick(self.text, lang)

    def render(self, lang: str = FALLBACK) -> str:
        where = f"{self.file}:{self.line}" if self.file and self.line else (self.file or "")
        return f"{where}: {self.message(lang)}" if where else self.message(lang)


class BilingualError(Exception):
    """Base of every error meant for a person: one or more problems, in every language."""

    def __init__(self, problems: Iterable[Problem] | Problem | Text):
        if isinstance(problems, Problem):
            problems = [problems]
        elif isinstance(problems, Mapping):
            problems = [Problem(None, None, problems)]
        self.problems: list[Problem] = list(problems)
        super().__init__(self.render(FALLBACK))

    def render(self, lang: str = FALLBACK) -> str:
        return "\n".join(p.render(lang) for p in self.problems)

    def message(self, lang: str = FALLBACK) -> str:
        """The first problem's message, without its place."""
        return self.problems[0].message(lang) if self.problems else ""
