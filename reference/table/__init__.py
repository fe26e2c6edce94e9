"""The derivative table: the lesson's table as data, extended with the usual elementary functions.

Each entry writes its forward rule and the local derivative for each argument side by side,
once, against a small math *backend* ``m`` (``m.exp``, ``m.sigmoid`` …).  The same rule is
evaluated with numpy (``NUMERIC``, vectorised over many points) and with sympy
(``reference.table.symbolic.SYMBOLIC``), so the number and the formula of a derivative can never
disagree.  The autograd engine, the formula parser's whitelist, the stubs' docstrings and the
feedback all read this table: add a row here and every one of them knows the new function.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import numpy as np

from reference.i18n import t
from reference.table import names
from reference.table.names import ALIASES

Rule = Callable[..., Any]


@dataclass(frozen=True)
class Entry:
    """One row of the derivative table.

    ``forward(m, *args)`` is the function, ``partials[i](m, *args)`` its derivative with
    respect to ``args[i]``.  ``syntax`` is how a formula writes it: an operator symbol for the
    arithmetic rows, the function name otherwise.  ``domain`` is where the rule is smooth,
    used to draw test points.  ``function_form`` lets an operator row be written as a call
    too (``pow(a, b)`` for ``a**b``): the same tree, so nothing else needs to know.
    """

    name: str
    args: tuple[str, ...]
    forward: Rule
    partials: tuple[Rule, ...]
    title: dict[str, str]
    syntax: str
    lesson: bool = False
    domain: tuple[float, float] = (-4.0, 4.0)
    positive_args: tuple[int, ...] = field(default=())
    function_form: bool = False

    @property
    def arity(self) -> int:
        return len(self.args)

    @property
    def is_function(self) -> bool:
        """True for rows written ``name(a)`` in a formula, False for operators."""
        return self.syntax.isidentifier()

    @property
    def callable_as(self) -> str | None:
        """The name a formula calls this row by, if it may (``sigmoid``, ``pow``)."""
        if self.is_function:
            return self.syntax
        return self.name if self.function_form else None


def _row(name, args, forward, partials, syntax, **kw) -> Entry:
    """A row: its description is the catalogue's ``table.<name>``."""
    return Entry(name, tuple(args), forward, tuple(partials), t(f"table.{name}"), syntax, **kw)


ENTRIES: tuple[Entry, ...] = (
    # --- the lesson's rows ---------------------------------------------------------------
    _row(
        "mul",
        "wa",
        lambda m, w, a: w * a,
        (
            lambda m, w, a: a,  # df/dw = a
            lambda m, w, a: w,
        ),  # df/da = w
        "*",
        lesson=True,
    ),
    _row(
        "add",
        "ab",
        lambda m, a, b: a + b,
        (lambda m, a, b: 1, lambda m, a, b: 1),
        "+",
        lesson=True,
    ),
    _row(
        "square",
        "a",
        lambda m, a: a**2,
        (lambda m, a: 2 * a,),
        "**2",
        lesson=True,
    ),
    _row(
        "sigmoid",
        "a",
        lambda m, a: m.sigmoid(a),
        (lambda m, a: m.sigmoid(a) * (1 - m.sigmoid(a)),),
        "sigmoid",
        lesson=True,
        domain=(-8.0, 8.0),
    ),
    # --- the usual elementary functions ----------------------------------------------------
    _row(
        "sub",
        "ab",
        lambda m, a, b: a - b,
        (lambda m, a, b: 1, lambda m, a, b: -1),
        "-",
    ),
    _row("neg", "a", lambda m, a: -a, (lambda m, a: -1,), "-"),
    _row(
        "div",
        "ab",
        lambda m, a, b: a / b,
        (lambda m, a, b: 1 / b, lambda m, a, b: -a / b**2),
        "/",
        positive_args=(1,),
    ),
    _row(
        "pow",
        "ab",
        lambda m, a, b: a**b,
        (lambda m, a, b: b * a ** (b - 1), lambda m, a, b: a**b * m.log(a)),
        "**",
        domain=(0.2, 3.0),
        positive_args=(0,),
        function_form=True,
    ),
    _row(
        "exp",
        "a",
        lambda m, a: m.exp(a),
        (lambda m, a: m.exp(a),),
        "exp",
    ),
    _row(
        "log",
        "a",
        lambda m, a: m.log(a),
        (lambda m, a: 1 / a,),
        "log",
        domain=(0.05, 6.0),
        positive_args=(0,),
    ),
    _row(
        "sqrt",
        "a",
        lambda m, a: m.sqrt(a),
        (lambda m, a: 1 / (2 * m.sqrt(a)),),
        "sqrt",
        domain=(0.05, 6.0),
        positive_args=(0,),
    ),
    _row(
        "tanh",
        "a",
        lambda m, a: m.tanh(a),
        (lambda m, a: 1 - m.tanh(a) ** 2,),
        "tanh",
    ),
    _row(
        "cosh",
        "a",
        lambda m, a: m.cosh(a),
        (lambda m, a: m.sinh(a),),
        "cosh",
    ),
    _row(
        "sinh",
        "a",
        lambda m, a: m.sinh(a),
        (lambda m, a: m.cosh(a),),
        "sinh",
    ),
    _row(
        "cos",
        "a",
        lambda m, a: m.cos(a),
        (lambda m, a: -m.sin(a),),
        "cos",
    ),
    _row(
        "sin",
        "a",
        lambda m, a: m.sin(a),
        (lambda m, a: m.cos(a),),
        "sin",
    ),
    _row(
        "abs",
        "a",
        lambda m, a: m.abs(a),
        (lambda m, a: m.sign(a),),
        "abs",
    ),
    _row(
        "sign",
        "a",
        lambda m, a: m.sign(a),
        (lambda m, a: 0,),  # almost everywhere; sign is how abs's derivative is written
        "sign",
    ),
    _row(
        "relu",
        "a",
        lambda m, a: m.relu(a),
        (lambda m, a: m.step(a),),
        "relu",
    ),
    _row(
        "step",
        "a",
        lambda m, a: m.step(a),
        (lambda m, a: 0,),  # almost everywhere; step is how relu's derivative is written
        "step",
    ),
)

TABLE: dict[str, Entry] = {e.name: e for e in ENTRIES}

#: Functions a formula may call by name, with their arity, in the table's order: the parser's
#: whitelist, and the list students are shown.
FUNCTIONS: dict[str, int] = {name: e.arity for e in ENTRIES if (name := e.callable_as) is not None}


def spellings(
    functions: Mapping[str, int] = FUNCTIONS, aliases: Mapping[str, str] = ALIASES
) -> list[str]:
    """Every name a formula may call (:func:`reference.table.names.spellings`), the whole
    table's by default."""
    return names.spellings(functions, aliases)


def listing(
    functions: Mapping[str, int] = FUNCTIONS, aliases: Mapping[str, str] = ALIASES, quote: str = ""
) -> list[str]:
    """The allowed functions as shown to a person (:func:`reference.table.names.listing`),
    the whole table's by default."""
    return names.listing(functions, aliases, quote)


#: The chain rule is the lesson's last row; the engine applies it, this text explains it.
CHAIN_RULE: dict[str, str] = t("table.if_f_x_f_g")


def _sigmoid(a):
    # Both branches stay in [0, 1] without overflow: e = exp(-|a|) <= 1.
    e = np.exp(-np.abs(a))
    return np.where(a >= 0, 1 / (1 + e), e / (1 + e))


def _relu(a):
    return np.maximum(a, 0.0)


def _step(a):
    # Convention shared with the symbolic backend: relu'(0) = 0.
    return np.where(a > 0, 1.0, 0.0)


#: The numpy backend: every rule above evaluated on float arrays (or scalars).
#: ``const`` turns a formula's exact constant into a value, ``value`` a given point, and
#: ``full`` gives a result the shape of the loss (a constant derivative like 1 included).
NUMERIC = SimpleNamespace(
    exp=np.exp,
    log=np.log,
    sqrt=np.sqrt,
    tanh=np.tanh,
    cosh=np.cosh,
    sinh=np.sinh,
    cos=np.cos,
    sin=np.sin,
    abs=np.abs,
    sign=np.sign,  # 0 at 0, like sympy.sign and mpmath.sign
    sigmoid=_sigmoid,
    relu=_relu,
    step=_step,
    const=float,
    value=lambda x: np.asarray(x, dtype=float),
    full=lambda x, like: np.broadcast_to(np.asarray(x, dtype=float), np.shape(like)),
)
