"""Characters to tokens, produced on demand so an early error stops the work early.

The characters a formula may hold are checked before anything else; a character that is not
allowed gets a hint that says what was probably meant (``=``, quotes, a Cyrillic letter …).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from fractions import Fraction

from reference.expr.errors import ExprError, short
from reference.expr.trees import Limits
from reference.i18n import join, t
from reference.table.names import ALIASES

_MINUS = "-\u2212\u2013\u2014\u2010\u2011\ufe63\uff0d"  # - − – — ‐ ‑ ﹣ －
_TIMES = "*\u00b7\u00d7\u22c5\u2219\u2217"  # * · × ⋅ ∙ ∗
_DIVIDE = "/\u00f7\u2215"  # / ÷ ∕
_SUPERSCRIPT = {"\u00b2": 2, "\u00b3": 3}  # ² ³
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"  # zero-width characters count as spaces
#: The table's one-character aliases (σ → sigmoid): letters a formula may hold besides Latin.
SYMBOLS: dict[str, str] = {a: fn for a, fn in ALIASES.items() if len(a) == 1 and not a.isascii()}

_SPACE_RE = re.compile(rf"[\s{_INVISIBLE}]+")
_IDENT_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
NUMBER_RE = re.compile(r"([0-9]*)(?:\.([0-9]*))?(?:[eE]([+-]?)([0-9]+))?")
_ALLOWED = "A-Za-z0-9_+\\-*/^(),." + re.escape(
    _MINUS + _TIMES + _DIVIDE + "".join(_SUPERSCRIPT) + "".join(SYMBOLS)
)
BAD_CHAR_RE = re.compile(rf"[^\s{_INVISIBLE}{_ALLOWED}]")

MODULES = ("np", "numpy", "math")  # np.exp(G) and math.exp(G) are read as exp(G) when relaxed
_QUOTES = "'\"`\u2018\u2019\u201a\u201c\u201d\u201e\u00ab\u00bb"


@dataclass(slots=True)
class Token:
    kind: str  # "num" "name" "op" "sup" "(" ")" "," "end"
    text: str  # as typed
    pos: int
    end: int
    op: str = ""  # canonical operator for "op": + - * / **
    value: Fraction | None = None  # "num" value, or the exponent of a superscript


def literal_cost(int_part: str, frac: str, exp: str | None) -> int:
    """Digits that count against ``max_digits``; leading zeros before the point are free.

    unparse() uses the same measure to pick a spelling that never costs more than the
    literal it came from, which keeps parse(unparse(tree)) within the limits.
    """
    return len(int_part.lstrip("0")) + len(frac) + (len(exp.lstrip("0")) if exp else 0)


def _show_char(c: str) -> str:
    if c == "'":
        return '"\'"'
    if c.isprintable() and not c.isspace():
        return f"'{c}'"
    return f"U+{ord(c):04X}"


def bad_char_error(text: str, i: int, functions: Mapping[str, int]) -> ExprError:
    c = text[i]
    shown = _show_char(c)
    said = t("expr.character_not_allowed", shown=shown)
    hint = t("expr.allowed_characters")
    code = ord(c)
    if c == "=":
        rhs = text[i + 1 :].lstrip("=").strip()
        if rhs and BAD_CHAR_RE.search(rhs) is None:
            hint = t("expr.right_hand_side_for_example", formula=short(rhs))
        else:
            hint = t("expr.right_hand_side")
    elif c in "[]{}":
        hint = t("expr.round_parentheses")
    elif c in _QUOTES:
        hint = t("expr.without_quotes")
    elif c == "\\":
        hint = t("expr.no_latex")
    elif c == "@":
        hint = t("expr.star_for_multiplication")
    elif c == ";":
        hint = t("expr.single_formula")
    elif c == "%":
        hint = t("expr.no_percent")
    elif c in "<>!&|~":
        hint = t("expr.no_comparisons", allowed=t("expr.allowed_characters"))
    elif c == "\u221a" and "sqrt" in functions:  # √
        hint = t("expr.write_sqrt")
    elif c in "\u2070\u00b9\u2074\u2075\u2076\u2077\u2078\u2079\u207b":  # other superscripts
        hint = t("expr.power_with_stars")
    elif 0x400 <= code <= 0x4FF:
        said = t("expr.cyrillic_letter", shown=shown)
        hint = t("expr.switch_keyboard")
    elif c.isalpha():
        said = t("expr.letter_not_allowed", shown=shown)
        symbols = [
            t("expr.symbol_for_function", symbol=s, function=fn)
            for s, fn in SYMBOLS.items()
            if fn in functions
        ]
        hint = join([t("expr.latin_letters_only"), *symbols])
    elif not c.isprintable():
        hint = t("expr.invisible_character")
    return ExprError(said, i, hint)


class Lexer:
    """Produces tokens on demand, so an early error stops the work early."""

    def __init__(
        self,
        text: str,
        names: Collection[str],
        functions: Mapping[str, int],
        limits: Limits,
        relaxed: bool = False,
    ) -> None:
        self.text = text
        self.relaxed = relaxed
        self.names = names
        self.functions = functions
        self.limits = limits
        self.i = 0

    def next(self) -> Token:
        text, n = self.text, len(self.text)
        m = _SPACE_RE.match(text, self.i)
        if m:
            self.i = m.end()
        i = self.i
        if i >= n:
            return Token("end", "", n, n)
        c = text[i]
        if "0" <= c <= "9" or (c == "." and i + 1 < n and "0" <= text[i + 1] <= "9"):
            return self._number(i)
        if c == "_" or ("A" <= c <= "Z") or ("a" <= c <= "z"):
            return self._ident(i)
        if c in SYMBOLS:
            return self._tok("name", i, i + 1)
        if c == "*" and text.startswith("**", i):
            return self._tok("op", i, i + 2, "**")
        if c == "^":
            return self._tok("op", i, i + 1, "**")
        if c in _TIMES:
            return self._tok("op", i, i + 1, "*")
        if c in _DIVIDE:
            if i + 1 < n and text[i + 1] in _DIVIDE:
                raise ExprError(
                    t("expr.not_allowed", text=text[i : i + 2]), i, t("expr.slash_for_division")
                )
            return self._tok("op", i, i + 1, "/")
        if c in _MINUS:
            return self._tok("op", i, i + 1, "-")
        if c == "+":
            return self._tok("op", i, i + 1, "+")
        if c in "(),":
            return self._tok(c, i, i + 1)
        if c in _SUPERSCRIPT:
            tok = self._tok("sup", i, i + 1)
            tok.value = Fraction(_SUPERSCRIPT[c])
            return tok
        if c == ".":
            raise ExprError(t("expr.dot_not_allowed_here"), i, t("expr.decimal_needs_digits"))
        raise bad_char_error(text, i, self.functions)  # the pre-scan normally gets here first

    def _tok(self, kind: str, start: int, end: int, op: str = "") -> Token:
        self.i = end
        return Token(kind, self.text[start:end], start, end, op)

    def _ident(self, start: int) -> Token:
        text = self.text
        m = _IDENT_RE.match(text, start)
        assert m is not None
        end = m.end()
        if end < len(text) and text[end] == ".":
            ident = text[start:end]
            after = _IDENT_RE.match(text, end + 1)
            if after:
                attr = after.group()
                if (
                    self.relaxed
                    and ident in MODULES
                    and (attr in self.functions or attr in ALIASES)
                ):
                    return self._tok("name", after.start(), after.end())  # np.exp is exp
                call = "(...)" if attr in self.functions else ""
                hint = t("expr.without_module", name=f"{short(attr)}{call}", module=short(ident))
            else:
                hint = t("expr.no_dot_in_names")
            raise ExprError(t("expr.cannot_follow_name", ident=short(ident)), end, hint)
        return self._tok("name", start, end)

    def _euler_power(self, at: int) -> bool:
        """``2e^G``: relaxed, an ``e`` after a number and before a power is Euler's number,
        a factor (2·e^G), not an unfinished exponent like ``2e`` or ``2e-G``."""
        if not self.relaxed or self.text[at] != "e" or "exp" not in self.functions:
            return False
        m = _SPACE_RE.match(self.text, at + 1)
        after = self.text[m.end() if m else at + 1 :]
        return after.startswith(("^", "**"))

    def _number(self, start: int) -> Token:
        text, limits = self.text, self.limits
        m = NUMBER_RE.match(text, start)
        assert m is not None
        end = m.end()
        int_part, frac, sign, exp = m.group(1), m.group(2) or "", m.group(3) or "", m.group(4)
        literal = text[start:end]
        if end < len(text):
            c = text[end]
            if c == ".":
                raise ExprError(
                    t("expr.not_valid_number", literal=short(literal)),
                    end,
                    t("expr.one_decimal_point"),
                )
            if c == "_":
                raise ExprError(
                    t("expr.underscore_inside_number"), end, t("expr.digits_without_underscore")
                )
            if c in "eE":
                ident = _IDENT_RE.match(text, end)
                word = ident.group() if ident else c
                if word in ("e", "E") and word not in self.names and not self._euler_power(end):
                    raise ExprError(
                        t("expr.number_incomplete", literal=short(literal + c)),
                        end,
                        t("expr.power_of_ten"),
                    )
        digits = literal_cost(int_part, frac, exp)
        if digits > limits.max_digits:
            raise ExprError(
                t(
                    "expr.number_has_too_many_digits",
                    literal=short(literal),
                    digits=digits,
                    max_digits=limits.max_digits,
                ),
                start,
                t("expr.fewer_digits"),
            )
        mantissa = int_part + frac
        significant = mantissa.lstrip("0")
        if not significant:
            value = Fraction(0)
        else:
            x = int(sign + exp) if exp is not None else 0
            magnitude = x + len(int_part) - 1 - (len(mantissa) - len(significant))
            if abs(magnitude) > limits.max_magnitude:
                raise ExprError(
                    t("expr.number_too_large_too_small", literal=short(literal)),
                    start,
                    t("expr.number_range", bound=limits.max_magnitude),
                )
            shift = x - len(frac)  # |shift| <= max_magnitude + len(text): cheap to compute
            if shift >= 0:
                value = Fraction(int(significant) * 10**shift)
            else:
                value = Fraction(int(significant), 10**-shift)
        tok = self._tok("num", start, end)
        tok.value = value
        return tok
