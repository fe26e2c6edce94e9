"""What the parser says about a name or a function it does not know.

The suggestions and the list of allowed functions come from the whitelist the parser was
given, which is the derivative table's (:data:`reference.table.FUNCTIONS`, ``ALIASES``)
everywhere but in tests; "did you mean" is :func:`reference.i18n.close_matches`.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from reference.expr.errors import ExprError, short
from reference.i18n import close_matches
from reference.table import names as table_names

DECIMAL_COMMA = (
    "write decimals with a point: 0.5, not 0,5",
    "дробную часть отделяйте точкой: 0.5, а не 0,5",
)


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


def _or_en(words: list[str]) -> str:
    quoted = [f"'{w}'" for w in words]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]


def _or_ru(words: list[str]) -> str:
    quoted = [f"'{w}'" for w in words]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " или " + quoted[-1]


def _sentences(parts: list[str]) -> str:
    """Join hint parts: 'did you mean 'w1'? Allowed names: w1, x1'."""
    return " ".join(
        p if p.endswith("?") or i == len(parts) - 1 else p + "." for i, p in enumerate(parts)
    )


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
    hint_en, hint_ru = [], []
    close = _suggest(ident, names)
    if close:
        hint_en.append(f"did you mean {_or_en(close)}?")
        hint_ru.append(f"возможно, имелось в виду {_or_ru(close)}?")
    elif ident in ("e", "E") and _allowed_function("exp", functions, aliases):
        hint_en.append("for Euler's number write exp(1)")
        hint_ru.append("число e записывается как exp(1)")
    elif len(ident) >= 3:  # G or y is no misspelt function: 'log(...)?' would only mislead
        fclose = _suggest(ident, table_names.spellings(functions, aliases), n=1)
        if fclose:
            hint_en.append(f"did you mean {fclose[0]}(...)?")
            hint_ru.append(f"возможно, имелось в виду {fclose[0]}(...)?")
    if names:
        listed = _listing(sorted(names))
        hint_en.append(f"Allowed names: {listed}")
        hint_ru.append(f"Допустимые имена: {listed}")
    else:
        hint_en.append("This formula may not contain variables")
        hint_ru.append("В этой формуле нельзя использовать переменные")
    return ExprError(
        f"unknown name '{short(ident)}'",
        f"неизвестное имя '{short(ident)}'",
        pos,
        _sentences(hint_en),
        _sentences(hint_ru),
    )


def unknown_function(
    ident: str, pos: int, functions: Mapping[str, int], aliases: Mapping[str, str]
) -> ExprError:
    """``sigmod(G)``: the one closest allowed spelling, then the table's list of functions."""
    hint_en, hint_ru = [], []
    close = _meant_functions(ident, table_names.spellings(functions, aliases))
    if close:
        hint_en.append(f"did you mean {_or_en(close)}?")
        hint_ru.append(f"возможно, имелось в виду {_or_ru(close)}?")
    if functions:
        listed = _listing(table_names.listing(functions, aliases))
        hint_en.append(f"Allowed functions: {listed}")
        hint_ru.append(f"Допустимые функции: {listed}")
    else:
        hint_en.append("This formula may not contain functions")
        hint_ru.append("В этой формуле нельзя использовать функции")
    return ExprError(
        f"unknown function '{short(ident)}'",
        f"неизвестная функция '{short(ident)}'",
        pos,
        _sentences(hint_en),
        _sentences(hint_ru),
    )
