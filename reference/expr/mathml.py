"""Formula trees as presentation MathML: math in a page with no JavaScript and no fonts to fetch.

Built from the parsed tree, never from text, so what a page shows is what the grader read.
Parentheses appear only where precedence needs them; ``a/b`` is a fraction, ``a**b`` a
superscript, ``x1`` a subscript, ``sigmoid`` is σ.  Every token is escaped: a tree holds only
whitelisted names, but the markup must stay safe whoever builds the tree.
"""

from __future__ import annotations

import re
from html import escape

from reference.expr.trees import Call, Expr, Name, Num
from reference.expr.unparse import unparse

_ADD, _MUL, _NEG, _POW, _ATOM = 1, 2, 3, 4, 5
_INFIX = {"add": ("+", _ADD), "sub": ("\u2212", _ADD), "mul": ("\u00b7", _MUL)}
_SYMBOLS = {"sigmoid": "\u03c3"}
_INDEXED = re.compile(r"^([A-Za-z]+)(\d+)$")
NAMESPACE = "http://www.w3.org/1998/Math/MathML"


def mathml(tree: Expr, *, display: str = "inline") -> str:
    """``tree`` as a ``<math>`` element; its ``alttext`` is the formula as plain text."""
    return (
        f'<math xmlns="{NAMESPACE}" display="{escape(display)}" '
        f'alttext="{escape(unparse(tree))}"><mrow>{_node(tree)[0]}</mrow></math>'
    )


def _wrap(markup: str) -> str:
    return f"<mrow><mo>(</mo>{markup}<mo>)</mo></mrow>"


def _at_least(tree: Expr, level: int) -> str:
    markup, own = _node(tree)
    return markup if own >= level else _wrap(markup)


def _name(name: str) -> str:
    m = _INDEXED.match(name)
    if m:
        return f"<msub><mi>{escape(m.group(1))}</mi><mn>{m.group(2)}</mn></msub>"
    return f"<mi>{escape(name)}</mi>"


def _node(tree: Expr) -> tuple[str, int]:
    """The markup of ``tree`` and its precedence (how tightly it binds)."""
    if isinstance(tree, Num):
        return f"<mn>{escape(unparse(tree))}</mn>", _ATOM
    if isinstance(tree, Name):
        return _name(tree.id), _ATOM
    fn, args = tree.fn, tree.args
    if fn in _INFIX and len(args) == 2:
        symbol, level = _INFIX[fn]
        left = _at_least(args[0], level)
        right = _at_least(args[1], level + 1)  # a − (b − c), a·(b·c) keep their brackets
        return f"{left}<mo>{symbol}</mo>{right}", level
    if fn == "div" and len(args) == 2:
        return f"<mfrac><mrow>{_node(args[0])[0]}</mrow><mrow>{_node(args[1])[0]}</mrow></mfrac>", (
            _ATOM
        )
    if fn == "neg" and len(args) == 1:
        return f"<mo>\u2212</mo>{_at_least(args[0], _NEG + 1)}", _NEG
    if fn == "pow" and len(args) == 2:
        base = _at_least(args[0], _ATOM)
        return f"<msup><mrow>{base}</mrow><mrow>{_node(args[1])[0]}</mrow></msup>", _POW
    if fn == "exp" and len(args) == 1:
        return f"<msup><mi>e</mi><mrow>{_node(args[0])[0]}</mrow></msup>", _POW
    if fn == "sqrt" and len(args) == 1:
        return f"<msqrt>{_node(args[0])[0]}</msqrt>", _ATOM
    if fn == "abs" and len(args) == 1:
        return f'<mo fence="true">|</mo>{_node(args[0])[0]}<mo fence="true">|</mo>', _ATOM
    return _call(tree), _ATOM


def _call(tree: Call) -> str:
    head = _SYMBOLS.get(tree.fn, tree.fn)
    inner = "<mo>,</mo>".join(_node(a)[0] for a in tree.args)
    return f"<mi>{escape(head)}</mi><mo>\u2061</mo>{_wrap(inner)}"
