"""Trees back to readable text with minimal parentheses; numbers spelled exactly."""

from __future__ import annotations

from fractions import Fraction

from reference.expr.errors import ExprError
from reference.expr.lexer import NUMBER_RE, literal_cost
from reference.expr.trees import Call, Expr, Limits, Name, Num
from reference.i18n import t

_P_ADD, _P_MUL, _P_UNARY, _P_POW, _P_ATOM = 1, 2, 3, 4, 5
_INFIX = {
    "add": (" + ", _P_ADD, _P_MUL),  # symbol, own precedence, least precedence on the right
    "sub": (" - ", _P_ADD, _P_MUL),
    "mul": ("*", _P_MUL, _P_POW),
    "div": ("/", _P_MUL, _P_POW),
    "pow": ("**", _P_POW, _P_POW),
}


def _plain_decimal(digits: str, exp: int) -> str:
    """``int(digits) * 10**exp`` written without an exponent."""
    if exp >= 0:
        return digits + "0" * exp
    point = len(digits) + exp
    if point > 0:
        return digits[:point] + "." + digits[point:]
    return "0." + "0" * -point + digits


def _text_cost(literal: str) -> int:
    m = NUMBER_RE.fullmatch(literal)
    assert m is not None
    return literal_cost(m.group(1), m.group(2) or "", m.group(4))


def _num_text(value: Fraction) -> tuple[str, int]:
    """Exact spelling of a number and its precedence.

    Finite decimals print as decimals ("0.001", "250") or, when that would be long, in
    e-notation ("1e-9", "1e20"), always choosing a spelling that costs no more digits than
    any literal of the same value, so the result parses back under the same limits.
    Other rationals print as "1/3" (which parses back as a division, not a Num).
    """
    if value < 0:
        return "-" + _num_text(-value)[0], _P_UNARY
    if value == 0:
        return "0", _P_ATOM
    n, d = value.numerator, value.denominator
    rest, twos, fives = d, 0, 0
    while rest % 2 == 0:
        rest, twos = rest // 2, twos + 1
    while rest % 5 == 0:
        rest, fives = rest // 5, fives + 1
    if rest != 1:
        return f"{n}/{d}", _P_MUL
    scale = max(twos, fives)
    s = str(n * 10**scale // d)
    digits = s.rstrip("0")
    exp = len(s) - len(digits) - scale
    plain = _plain_decimal(digits, exp)
    candidates = [plain]  # in order of preference when they cost the same
    lead = exp + len(digits) - 1
    if len(digits) > 1 and lead != 0:
        candidates.append(f"{digits[0]}.{digits[1:]}e{lead}")
    if exp != 0:
        candidates.append(f"{digits}e{exp}")
    if len(plain) <= 10 and _text_cost(plain) <= Limits().max_digits:
        return plain, _P_ATOM
    return min(candidates, key=_text_cost), _P_ATOM


def _is_negative(expr: Expr) -> bool:
    return (isinstance(expr, Call) and expr.fn == "neg" and len(expr.args) == 1) or (
        isinstance(expr, Num) and expr.value < 0
    )


def _unparse(expr: Expr) -> tuple[str, int]:
    if isinstance(expr, Num):
        return _num_text(expr.value)
    if isinstance(expr, Name):
        return expr.id, _P_ATOM
    fn, args = expr.fn, expr.args
    if fn in _INFIX and len(args) == 2:
        symbol, prec, right_min = _INFIX[fn]
        left = _operand(args[0], _P_ATOM if fn == "pow" else prec)
        right = _operand(args[1], right_min, paren_negative=True)
        return f"{left}{symbol}{right}", prec
    if fn == "neg" and len(args) == 1:
        return "-" + _operand(args[0], _P_POW, paren_negative=True), _P_UNARY
    return f"{fn}({', '.join(_unparse(a)[0] for a in args)})", _P_ATOM


def _operand(expr: Expr, least: int, paren_negative: bool = False) -> str:
    text, prec = _unparse(expr)
    if prec < least or (paren_negative and _is_negative(expr)):
        return f"({text})"
    return text


def unparse(expr: Expr) -> str:
    """Readable text with minimal parentheses: ``sigmoid(G)*(1 - sigmoid(G))``.

    ``parse(unparse(t)) == t`` for every tree ``parse`` builds (given limits with room for
    the added spaces and for parentheses such as ``x**(-2)``).  Nums that ``parse`` never
    builds (negative or non-decimal values) print as ``-2`` or ``1/3`` and parse back as
    ``neg``/``div`` calls.
    """
    try:
        return _unparse(expr)[0]
    except RecursionError:
        raise ExprError(t("expr.formula_nested_too_deeply")) from None
