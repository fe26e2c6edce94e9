"""What the parser says about a name or a function it does not know.

The suggestions and the list of allowed functions come from the whitelist the parser was
given, which is the derivative table's (:data:`reference.table.FUNCTIONS`, ``ALIASES``)
everywhere but in tests; "did you mean" is :func:`reference.i18n.close_matches`.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from reference.expr.errors import ExprError, short
from reference.i18n import LANGUAGES, Text, close_matches, pick, same, t
from reference.table import names as table_names

DECIMAL_COMMA = t("expr.decimal_point")


def _suggest(word: str, candidates: Collection[str], n: int = 3) -> list[str]:
    """Close spellings (a case-insensitive match first); nothing for absurdly long words."""
    if len(word) > 60 or not candidates:
        return []
    return close_matches(word, sorted(candidates), n=n)


def _meant_functions(ident: str, spellings: list[str]) -> list[str]:
    """The closest spelling, and every one that ``ident`` begins (``sig``: sigmoid or sign).

    One guess alone may name a function of another value (``sig`` → sign, where sigmoid
    was meant), so a shortened name gets all the functions it may stand for.
    """
    close = _suggest(ident, spellings, n=1)
    if len(ident) < 2 or len(ident) > 60:
        return close
    started = [s for s in spellings if s.startswith(ident.lower()) and s != ident]
    return (started + [c for c in close if c not in started])[:3] if started else close


def _either(words: list[str]) -> Text:
    """``'a'``, ``'a' or 'b'``, ``'a', 'b' or 'c'`` in every language."""
    quoted = [f"'{w}'" for w in words]
    if len(quoted) == 1:
        return same(quoted[0])
    return t("expr.either", first=", ".join(quoted[:-1]), last=quoted[-1])


def _sentences(parts: list[Text]) -> dict[str, str]:
    """Join hint parts: 'did you mean 'w1'? Allowed names: w1, x1', in every language."""
    return {
        lang: " ".join(
            p if p.endswith("?") or i == len(parts) - 1 else p + "."
            for i, p in enumerate(pick(part, lang) for part in parts)
        )
        for lang in LANGUAGES
    }


def _listing(items: list[str], limit: int = 15) -> str:
    shown = ", ".join(items[:limit])
    return shown + (", …" if len(items) > limit else "")


def _allowed_function(ident: str, functions: Mapping[str, int], aliases: Mapping[str, str]) -> bool:
    return ident in functions or aliases.get(ident) in functions


def unknown_name(
    ident: str,
    pos: int,
    names: Collection[str],
    functions: Mapping[str, int],
    aliases: Mapping[str, str],
) -> ExprError:
    """``w4`` where ``w1`` was meant: the closest names, else a function, then the allowed names."""
    hint: list[Text] = []
    close = _suggest(ident, names)
    if close:
        hint.append(t("expr.did_you_mean", choices=_either(close)))
    elif ident in ("e", "E") and _allowed_function("exp", functions, aliases):
        hint.append(t("expr.euler_number"))
    elif len(ident) >= 3:  # G or y is no misspelt function: 'log(...)?' would only mislead
        fclose = _suggest(ident, table_names.spellings(functions, aliases), n=1)
        if fclose:
            hint.append(t("expr.did_you_mean", choices=f"{fclose[0]}(...)"))
    if names:
        hint.append(t("expr.allowed_names", names=_listing(sorted(names))))
    else:
        hint.append(t("expr.no_variables"))
    return ExprError(t("expr.unknown_name", ident=short(ident)), pos, _sentences(hint))


def unknown_function(
    ident: str, pos: int, functions: Mapping[str, int], aliases: Mapping[str, str]
) -> ExprError:
    """``sigmod(G)``: the one closest allowed spelling, then the table's list of functions."""
    hint: list[Text] = []
    close = _meant_functions(ident, table_names.spellings(functions, aliases))
    if close:
        hint.append(t("expr.did_you_mean", choices=_either(close)))
    if functions:
        listed = _listing(table_names.listing(functions, aliases))
        hint.append(t("expr.allowed_functions", functions=listed))
    else:
        hint.append(t("expr.no_functions"))
    return ExprError(t("expr.unknown_function", ident=short(ident)), pos, _sentences(hint))
