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
_ALLOWED_EN = "allowed are numbers, names, + - * / ** ( ) and functions"
_ALLOWED_RU = "разрешены числа, имена, + - * / ** ( ) и функции"


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
    en, ru = f"the character {shown} is not allowed", f"символ {shown} недопустим"
    hint_en, hint_ru = _ALLOWED_EN, _ALLOWED_RU
    code = ord(c)
    if c == "=":
        rhs = text[i + 1 :].lstrip("=").strip()
        if rhs and BAD_CHAR_RE.search(rhs) is None:
            hint_en = f"write only the right-hand side, e.g. {short(rhs)}"
            hint_ru = f"напишите только правую часть, например {short(rhs)}"
        else:
            hint_en = "write only the right-hand side (the formula itself)"
            hint_ru = "напишите только правую часть (саму формулу)"
    elif c in "[]{}":
        hint_en = "use round parentheses ( ) for grouping"
        hint_ru = "для группировки используйте круглые скобки ( )"
    elif c in _QUOTES:
        hint_en, hint_ru = "write the formula without quotes", "напишите формулу без кавычек"
    elif c == "\\":
        hint_en = "LaTeX commands are not supported; write e.g. sigmoid(G)"
        hint_ru = "команды LaTeX не поддерживаются; пишите, например, sigmoid(G)"
    elif c == "@":
        hint_en, hint_ru = "use '*' for multiplication", "для умножения используйте '*'"
    elif c == ";":
        hint_en, hint_ru = "write a single formula without ';'", "напишите одну формулу без ';'"
    elif c == "%":
        hint_en = "'%' is not supported; for a percentage divide by 100"
        hint_ru = "'%' не поддерживается; для процентов делите на 100"
    elif c in "<>!&|~":
        hint_en = "comparisons and logical operators are not allowed; " + _ALLOWED_EN
        hint_ru = "сравнения и логические операции недопустимы; " + _ALLOWED_RU
    elif c == "\u221a" and "sqrt" in functions:  # √
        hint_en, hint_ru = "write sqrt(...)", "напишите sqrt(...)"
    elif c in "\u2070\u00b9\u2074\u2075\u2076\u2077\u2078\u2079\u207b":  # other superscripts
        hint_en = "write the power with **, e.g. x**4"
        hint_ru = "записывайте степень через **, например x**4"
    elif 0x400 <= code <= 0x4FF:
        en = f"{shown} is a Cyrillic letter"
        ru = f"{shown} — русская буква"
        hint_en = "switch the keyboard to English: names use Latin letters"
        hint_ru = "переключите раскладку на английскую: имена пишутся латинскими буквами"
    elif c.isalpha():
        en, ru = f"the letter {shown} is not allowed", f"буква {shown} недопустима"
        hint_en = "names use Latin letters only" + "".join(
            f" ({s} may be written for {fn})" for s, fn in SYMBOLS.items() if fn in functions
        )
        hint_ru = "имена пишутся только латинскими буквами" + "".join(
            f" ({s} можно писать вместо {fn})" for s, fn in SYMBOLS.items() if fn in functions
        )
    elif not c.isprintable():
        hint_en = "remove the invisible character (retype this place)"
        hint_ru = "удалите невидимый символ (перепечатайте это место)"
    return ExprError(en, ru, i, hint_en, hint_ru)


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
                    f"'{text[i : i + 2]}' is not allowed",
                    f"'{text[i : i + 2]}' не поддерживается",
                    i,
                    "use '/' for division",
                    "для деления используйте '/'",
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
            raise ExprError(
                "'.' is not allowed here",
                "здесь не может стоять '.'",
                i,
                "a decimal number needs digits, e.g. 0.5",
                "в десятичном числе нужны цифры, например 0.5",
            )
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
                hint_en = f"write {short(attr)}{call} without '{short(ident)}.'"
                hint_ru = f"напишите {short(attr)}{call} без '{short(ident)}.'"
            else:
                hint_en = "names cannot contain '.'; multiplication is written with '*'"
                hint_ru = "в именах не может быть '.'; умножение пишется через '*'"
            raise ExprError(
                f"'.' cannot follow the name '{short(ident)}'",
                f"после имени '{short(ident)}' не может стоять '.'",
                end,
                hint_en,
                hint_ru,
            )
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
                    f"'{short(literal)}.' is not a valid number",
                    f"'{short(literal)}.' — неправильное число",
                    end,
                    "a number has at most one decimal point",
                    "в числе может быть только одна десятичная точка",
                )
            if c == "_":
                raise ExprError(
                    "'_' is not allowed inside a number",
                    "внутри числа не может стоять '_'",
                    end,
                    "write the digits without '_'",
                    "пишите цифры без '_'",
                )
            if c in "eE":
                ident = _IDENT_RE.match(text, end)
                word = ident.group() if ident else c
                if word in ("e", "E") and word not in self.names and not self._euler_power(end):
                    raise ExprError(
                        f"the number '{short(literal + c)}' is incomplete",
                        f"число '{short(literal + c)}' не дописано",
                        end,
                        "after 'e' write the power of ten, e.g. 1e-3",
                        "после 'e' напишите степень десяти, например 1e-3",
                    )
        digits = literal_cost(int_part, frac, exp)
        if digits > limits.max_digits:
            raise ExprError(
                f"the number '{short(literal)}' has too many digits "
                f"({digits}, at most {limits.max_digits})",
                f"в числе '{short(literal)}' слишком много цифр "
                f"({digits}, максимум {limits.max_digits})",
                start,
                "round it to fewer digits",
                "округлите его",
            )
        mantissa = int_part + frac
        significant = mantissa.lstrip("0")
        if not significant:
            value = Fraction(0)
        else:
            x = int(sign + exp) if exp is not None else 0
            magnitude = x + len(int_part) - 1 - (len(mantissa) - len(significant))
            if abs(magnitude) > limits.max_magnitude:
                b = limits.max_magnitude
                raise ExprError(
                    f"the number '{short(literal)}' is too large or too small",
                    f"число '{short(literal)}' слишком большое или слишком маленькое",
                    start,
                    f"numbers must lie between 1e-{b} and 1e{b}",
                    f"числа должны быть в пределах от 1e-{b} до 1e{b}",
                )
            shift = x - len(frac)  # |shift| <= max_magnitude + len(text): cheap to compute
            if shift >= 0:
                value = Fraction(int(significant) * 10**shift)
            else:
                value = Fraction(int(significant), 10**-shift)
        tok = self._tok("num", start, end)
        tok.value = value
        return tok
