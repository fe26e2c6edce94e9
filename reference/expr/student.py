"""How a student's formula is read: the one reading ``grade`` and the release's check.py share.

Relaxed (``2(S - gold)``, ``e^x``, ``np.exp``, ``S(1 - S)``), in the question's arguments and
the names of the nodes that stand for their own trees (S in dS/dG).  The table's functions
come as data, so this runs in check.py on the standard library alone.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from reference.expr.fold import names_in
from reference.expr.parser import parse
from reference.expr.trees import Expr
from reference.expr.unparse import unparse
from reference.table.names import ALIASES


def read_answer(
    text: str,
    args: Collection[str],
    nodes: Collection[str],
    functions: Mapping[str, int],
    aliases: Mapping[str, str] = ALIASES,
) -> Expr:
    """The tree of a student's ``text`` as written (node names kept); raises ExprError."""
    return parse(text, names=(*args, *nodes), functions=functions, aliases=aliases, relaxed=True)


def reading(tree: Expr, nodes: Mapping[str, str]) -> str:
    """How a formula was read, so a student sees what is graded: ``2*(S - gold)``, and the
    meaning of each node named (``S*(1 - S), S = sigmoid(G)``); ``nodes``: name -> its
    formula as text."""
    used = [n for n in names_in(tree) if n in nodes]
    return unparse(tree) + "".join(f", {n} = {nodes[n]}" for n in used)
