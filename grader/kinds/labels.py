"""Option labels as students type them: ``' A'``, ``'Product'``, ``{'А', 'В'}`` typed on a
Russian keyboard (Cyrillic letters that look like Latin ones), ``'вверх'`` for up.

A label is read after trimming white space and a trailing full stop, mapping the Cyrillic
look-alikes to their Latin letters and folding case; a sign word in either language stands
for its option.  What is still not an option is named in the feedback, never counted as a
wrong choice.
"""

from __future__ import annotations

from collections.abc import Iterable

from reference.i18n import Text, t

# Cyrillic letters drawn like Latin ones (upper and lower case): what a Russian keyboard
# types for A, B, C, E, H, K, M, O, P, T, X, Y.
_LOOKALIKES = str.maketrans(
    "АВСЕНКМОРТХУаеорсухкі",
    "ABCEHKMOPTXYaeopcyxki",
)
#: Sign words of either language, by the option they stand for.
_WORDS = {
    "вверх": "up",
    "вниз": "down",
    "ноль": "zero",
}


def _plain(text: str) -> str:
    return " ".join(text.strip().rstrip(".;!").split())


def _key(text: str) -> str:
    return _plain(text).translate(_LOOKALIKES).casefold()  # look-alikes first: Ве → Be → be


def read(value: str, options: Iterable[str]) -> str | None:
    """The option ``value`` names, as typed; None if it names none."""
    by_key = {_key(o): o for o in options}
    key = _key(value)
    if key in by_key:
        return by_key[key]
    word = _WORDS.get(_plain(value).casefold())
    return word if word is not None and word in by_key.values() else None


def not_an_option(values: Iterable[str], options: Iterable[str]) -> Text:
    """What a student who typed labels that are no options is told."""
    said = ", ".join(repr(v) for v in values)
    listed = ", ".join(options)
    return t("kinds.not_one_options_write_options", said=said, listed=listed)
