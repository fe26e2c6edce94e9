"""The table's names as plain data: what a formula may call, without the table's numpy rules.

The formula reader (:mod:`reference.expr`) needs only these names, and it is shipped to
students in the release's check.py, which runs on the standard library alone; so they live
here, and :mod:`reference.table` (numpy) re-exports them.  ``FUNCTIONS`` itself is derived
from the table's rows and handed over as data (``course release`` writes it into check.py).
"""

from __future__ import annotations

from collections.abc import Mapping

#: Other spellings students reach for: alias → the function in ``FUNCTIONS`` it stands for.
#: A one-character alias (``σ``) is also a character the parser accepts.
ALIASES: dict[str, str] = {"σ": "sigmoid", "ln": "log"}


def spellings(functions: Mapping[str, int], aliases: Mapping[str, str] = ALIASES) -> list[str]:
    """Every name a formula may call: the functions and the aliases of those allowed."""
    return [*functions, *(a for a, fn in aliases.items() if fn in functions and a not in functions)]


def listing(
    functions: Mapping[str, int], aliases: Mapping[str, str] = ALIASES, quote: str = ""
) -> list[str]:
    """The allowed functions as shown to a person: ``["sigmoid (σ)", "exp", "log (ln)", …]``;
    ``quote="`"`` marks each spelling as code for Markdown."""
    out = []
    for fn in functions:
        alts = [f"{quote}{a}{quote}" for a, target in aliases.items() if target == fn and a != fn]
        shown = f"{quote}{fn}{quote}"
        out.append(f"{shown} ({', '.join(alts)})" if alts else shown)
    return out
