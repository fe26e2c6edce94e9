"""Whitelist parser for the arithmetic formulas of the course.

Teachers write node expressions in ``course.yml`` (``(gold - S)**2``) and students type
answers such as ``sigmoid(G)*(1 - sigmoid(G))``.  Student text is hostile input, so nothing
here uses ``eval``/``exec``/``compile``/``ast``/sympy parsing: a hand-written tokenizer and a
recursive-descent parser accept only numbers, the allowed names and functions (the derivative
table's, :data:`reference.table.FUNCTIONS`), ``+ - * / ** ^`` and parentheses, under explicit
limits (length is checked before anything else, nesting depth and tree size while parsing),
so a megabyte of text or 100000 parentheses are rejected in microseconds.  Every problem is
an :class:`ExprError` carrying a message in every language, the position and a hint,
because students read these messages to fix their answer.

One job a module:

- :mod:`.trees`: the nodes :class:`Num`, :class:`Name`, :class:`Call`; :data:`BINARY`;
  :class:`Limits`
- :mod:`.errors`: :class:`ExprError`
- :mod:`.lexer`: characters to tokens, and the hints for characters that are not allowed
- :mod:`.parser`: tokens to a tree (:func:`parse`)
- :mod:`.hints`: unknown names and functions: did you mean, the allowed list
- :mod:`.unparse`: a tree back to text (:func:`unparse`)
- :mod:`.fold`: :func:`names_in`, :func:`fold_constant`, :func:`substitute`
"""

from __future__ import annotations

from reference.expr.errors import ExprError
from reference.expr.fold import fold_constant, names_in, substitute
from reference.expr.parser import parse
from reference.expr.trees import BINARY, Call, Expr, Limits, Name, Num
from reference.expr.unparse import unparse

__all__ = [
    "BINARY",
    "Call",
    "Expr",
    "ExprError",
    "Limits",
    "Name",
    "Num",
    "fold_constant",
    "names_in",
    "parse",
    "substitute",
    "unparse",
]
