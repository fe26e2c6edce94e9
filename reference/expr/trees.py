"""Formula trees: tiny immutable nodes that compare by shape, and the parser's limits.

``pos`` (0-based index in the source) does not take part in ``==``.  Operators are calls:
``+ - * / ** ^`` map to ``add sub mul div pow pow`` (:data:`BINARY`), unary minus to ``neg``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction


@dataclass(frozen=True, slots=True)
class Num:
    """An exact number literal (``pos``: 0-based index in the source, ignored by ``==``)."""

    value: Fraction
    pos: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class Name:
    """A variable from the allowed ``names``."""

    id: str
    pos: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class Call:
    """An operator (``add``, ``neg``, ...) or an allowed function, by canonical name."""

    fn: str
    args: tuple[Expr, ...]
    pos: int = field(default=0, compare=False)


Expr = Num | Name | Call

BINARY = {"+": "add", "-": "sub", "*": "mul", "/": "div", "**": "pow", "^": "pow"}


@dataclass(frozen=True)
class Limits:
    """Hard limits that keep parsing of hostile text cheap and bounded."""

    max_length: int = 1000  # characters in the text (checked first)
    max_depth: int = 50  # nesting of parentheses/calls/unary signs/power exponents
    max_nodes: int = 400  # Num + Name + Call nodes in the tree
    max_digits: int = 20  # digits in one literal (mantissa + exponent, leading zeros free)
    max_magnitude: int = 50  # a literal must lie within 1e-50 .. 9.99e50 (or be 0)
