"""Whitelist parser for the arithmetic formulas of the course.

Teachers write node expressions in ``course.yml`` (``(gold - S)**2``) and students type
answers such as ``sigmoid(G)*(1 - sigmoid(G))``.  Student text is hostile input, so nothing
here uses ``eval``/``exec``/``compile``/``ast``/sympy parsing: a hand-written tokenizer and a
recursive-descent parser accept only numbers, the allowed names and functions, ``+ - * / **
^`` and parentheses, under explicit limits (length is checked before anything else, nesting
depth and tree size while parsing), so a megabyte of text or 100000 parentheses are rejected
in microseconds.  Every problem is an :class:`ExprError` carrying an English and a Russian
message, the position and a hint, because students read these messages to fix their answer.

Trees are tiny immutable dataclasses (:class:`Num`, :class:`Name`, :class:`Call`) whose
``pos`` does not take part in ``==``, so trees compare by shape.  Operators become calls:
``+ - * / ** ^`` map to ``add sub mul div pow pow`` (see :data:`BINARY`), unary minus to
``neg``; unary plus is dropped.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from fractions import Fraction

from reference.i18n import plural_en, plural_ru

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
    "unparse",
]


# --------------------------------------------------------------------------- trees


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


# --------------------------------------------------------------------------- errors


class ExprError(ValueError):
    """A formula problem explained in English and Russian, with a position and a hint."""

    def __init__(
        self, en: str, ru: str, pos: int | None = None, hint_en: str = "", hint_ru: str = ""
    ) -> None:
        self.en = en
        self.ru = ru
        self.pos = pos
        self.hint_en = hint_en
        self.hint_ru = hint_ru
        super().__init__(self.message("en"))

    def __reduce__(self):  # keep pickling (multiprocessing graders) working
        return (type(self), (self.en, self.ru, self.pos, self.hint_en, self.hint_ru))

    def __str__(self) -> str:
        return self.message("en")

    def message(self, lang: str = "en") -> str:
        """The message with the 1-based column and the hint, in ``"en"`` or ``"ru"``."""
        ru = str(lang).lower().startswith("ru")
        text = self.ru if ru else self.en
        if self.pos is not None:
            text += f" (позиция {self.pos + 1})" if ru else f" (at column {self.pos + 1})"
        hint = self.hint_ru if ru else self.hint_en
        if hint:
            text += f" — {hint}"
        return text

    def caret(self, text: str, width: int = 72) -> str:
        """Two lines for a terminal: (a window of) the text and a ``^`` under ``pos``."""
        if not isinstance(text, str):
            text = ""
        p = len(text) if self.pos is None else min(max(self.pos, 0), len(text))
        lo, hi = 0, len(text)
        if hi > width:
            lo = max(0, min(p - width // 2, len(text) - width))
            hi = lo + width
        shown = "".join(c if c.isprintable() else " " for c in text[lo:hi])
        prefix = "…" if lo > 0 else ""
        suffix = "…" if hi < len(text) else ""
        if self.pos is None:
            return f"{prefix}{shown}{suffix}\n"
        return f"{prefix}{shown}{suffix}\n{' ' * (p - lo + len(prefix))}^"


def _short(s: str, n: int = 30) -> str:
    """Quote-safe shortening of user text that goes into a message."""
    return s if len(s) <= n else s[: n - 1] + "…"


def _show_char(c: str) -> str:
    if c == "'":
        return '"\'"'
    if c.isprintable() and not c.isspace():
        return f"'{c}'"
    return f"U+{ord(c):04X}"


# --------------------------------------------------------------------------- tokens

_MINUS = "-\u2212\u2013\u2014\u2010\u2011\ufe63\uff0d"  # - − – — ‐ ‑ ﹣ －
_TIMES = "*\u00b7\u00d7\u22c5\u2219\u2217"  # * · × ⋅ ∙ ∗
_DIVIDE = "/\u00f7\u2215"  # / ÷ ∕
_SUPERSCRIPT = {"\u00b2": 2, "\u00b3": 3}  # ² ³
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"  # zero-width characters count as spaces
_SIGMA = "\u03c3"  # σ

_SPACE_RE = re.compile(rf"[\s{_INVISIBLE}]+")
_IDENT_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_NUMBER_RE = re.compile(r"([0-9]*)(?:\.([0-9]*))?(?:[eE]([+-]?)([0-9]+))?")
_ALLOWED = "A-Za-z0-9_+\\-*/^(),." + re.escape(
    _MINUS + _TIMES + _DIVIDE + "".join(_SUPERSCRIPT) + _SIGMA
)
_BAD_CHAR_RE = re.compile(rf"[^\s{_INVISIBLE}{_ALLOWED}]")

_QUOTES = "'\"`\u2018\u2019\u201a\u201c\u201d\u201e\u00ab\u00bb"
_ALLOWED_EN = "allowed are numbers, names, + - * / ** ( ) and functions"
_ALLOWED_RU = "разрешены числа, имена, + - * / ** ( ) и функции"


@dataclass(slots=True)
class _Tok:
    kind: str  # "num" "name" "op" "sup" "(" ")" "," "end"
    text: str  # as typed
    pos: int
    end: int
    op: str = ""  # canonical operator for "op": + - * / **
    value: Fraction | None = None  # "num" value, or the exponent of a superscript


def _literal_cost(int_part: str, frac: str, exp: str | None) -> int:
    """Digits that count against ``max_digits``; leading zeros before the point are free.

    unparse() uses the same measure to pick a spelling that never costs more than the
    literal it came from, which keeps parse(unparse(tree)) within the limits.
    """
    return len(int_part.lstrip("0")) + len(frac) + (len(exp.lstrip("0")) if exp else 0)


def _bad_char_error(text: str, i: int, functions: Mapping[str, int]) -> ExprError:
    c = text[i]
    shown = _show_char(c)
    en, ru = f"the character {shown} is not allowed", f"символ {shown} недопустим"
    hint_en, hint_ru = _ALLOWED_EN, _ALLOWED_RU
    code = ord(c)
    if c == "=":
        rhs = text[i + 1 :].lstrip("=").strip()
        if rhs and _BAD_CHAR_RE.search(rhs) is None:
            hint_en = f"write only the right-hand side, e.g. {_short(rhs)}"
            hint_ru = f"напишите только правую часть, например {_short(rhs)}"
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
        hint_en = "names use Latin letters only (σ may be written for sigmoid)"
        hint_ru = "имена пишутся только латинскими буквами (σ можно писать вместо sigmoid)"
    elif not c.isprintable():
        hint_en = "remove the invisible character (retype this place)"
        hint_ru = "удалите невидимый символ (перепечатайте это место)"
    return ExprError(en, ru, i, hint_en, hint_ru)


class _Lexer:
    """Produces tokens on demand, so an early error stops the work early."""

    def __init__(
        self, text: str, names: Collection[str], functions: Mapping[str, int], limits: Limits
    ) -> None:
        self.text = text
        self.names = names
        self.functions = functions
        self.limits = limits
        self.i = 0

    def next(self) -> _Tok:
        text, n = self.text, len(self.text)
        m = _SPACE_RE.match(text, self.i)
        if m:
            self.i = m.end()
        i = self.i
        if i >= n:
            return _Tok("end", "", n, n)
        c = text[i]
        if "0" <= c <= "9" or (c == "." and i + 1 < n and "0" <= text[i + 1] <= "9"):
            return self._number(i)
        if c == "_" or ("A" <= c <= "Z") or ("a" <= c <= "z"):
            return self._ident(i)
        if c == _SIGMA:
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
        raise _bad_char_error(text, i, self.functions)  # the pre-scan normally gets here first

    def _tok(self, kind: str, start: int, end: int, op: str = "") -> _Tok:
        self.i = end
        return _Tok(kind, self.text[start:end], start, end, op)

    def _ident(self, start: int) -> _Tok:
        text = self.text
        m = _IDENT_RE.match(text, start)
        assert m is not None
        end = m.end()
        if end < len(text) and text[end] == ".":
            ident = text[start:end]
            after = _IDENT_RE.match(text, end + 1)
            if after:
                attr = after.group()
                call = "(...)" if attr in self.functions else ""
                hint_en = f"write {_short(attr)}{call} without '{_short(ident)}.'"
                hint_ru = f"напишите {_short(attr)}{call} без '{_short(ident)}.'"
            else:
                hint_en = "names cannot contain '.'; multiplication is written with '*'"
                hint_ru = "в именах не может быть '.'; умножение пишется через '*'"
            raise ExprError(
                f"'.' cannot follow the name '{_short(ident)}'",
                f"после имени '{_short(ident)}' не может стоять '.'",
                end,
                hint_en,
                hint_ru,
            )
        return self._tok("name", start, end)

    def _number(self, start: int) -> _Tok:
        text, limits = self.text, self.limits
        m = _NUMBER_RE.match(text, start)
        assert m is not None
        end = m.end()
        int_part, frac, sign, exp = m.group(1), m.group(2) or "", m.group(3) or "", m.group(4)
        literal = text[start:end]
        if end < len(text):
            c = text[end]
            if c == ".":
                raise ExprError(
                    f"'{_short(literal)}.' is not a valid number",
                    f"'{_short(literal)}.' — неправильное число",
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
                if word in ("e", "E") and word not in self.names:
                    raise ExprError(
                        f"the number '{_short(literal + c)}' is incomplete",
                        f"число '{_short(literal + c)}' не дописано",
                        end,
                        "after 'e' write the power of ten, e.g. 1e-3",
                        "после 'e' напишите степень десяти, например 1e-3",
                    )
        digits = _literal_cost(int_part, frac, exp)
        if digits > limits.max_digits:
            raise ExprError(
                f"the number '{_short(literal)}' has too many digits "
                f"({digits}, at most {limits.max_digits})",
                f"в числе '{_short(literal)}' слишком много цифр "
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
                    f"the number '{_short(literal)}' is too large or too small",
                    f"число '{_short(literal)}' слишком большое или слишком маленькое",
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


# --------------------------------------------------------------------------- parser

_ATOM_START = ("num", "name", "(")


class _Parser:
    def __init__(
        self,
        text: str,
        names: frozenset[str],
        functions: Mapping[str, int],
        aliases: Mapping[str, str],
        limits: Limits,
    ) -> None:
        self.text = text
        self.names = names
        self.functions = functions
        self.aliases = aliases
        self.limits = limits
        self.lexer = _Lexer(text, names, functions, limits)
        self.toks: list[_Tok] = []
        self.i = 0
        self.depth = 0
        self.nodes = 0
        self.operand_start = 0  # where the most recently finished power/atom began

    # ---- token access
    def peek(self, k: int = 0) -> _Tok:
        while len(self.toks) <= self.i + k:
            if self.toks and self.toks[-1].kind == "end":
                return self.toks[-1]
            self.toks.append(self.lexer.next())
        return self.toks[self.i + k]

    def safe_peek(self, k: int) -> _Tok | None:
        """Lookahead for hints only: a lexing error further right must not replace ours."""
        try:
            return self.peek(k)
        except ExprError:
            return None

    def advance(self) -> _Tok:
        tok = self.peek()
        if tok.kind != "end":
            self.i += 1
        return tok

    def previous(self) -> _Tok | None:
        return self.toks[self.i - 1] if self.i > 0 else None

    # ---- bookkeeping
    def enter(self, tok: _Tok) -> None:
        self.depth += 1
        if self.depth > self.limits.max_depth:
            raise ExprError(
                f"the formula is nested too deeply (more than {self.limits.max_depth} levels "
                "of parentheses, signs or powers)",
                f"слишком глубокая вложенность (больше {self.limits.max_depth} уровней "
                "скобок, знаков или степеней)",
                tok.pos,
                "simplify the formula",
                "упростите формулу",
            )

    def node(self, expr: Expr) -> Expr:
        self.nodes += 1
        if self.nodes > self.limits.max_nodes:
            raise ExprError(
                f"the formula is too large (more than {self.limits.max_nodes} parts)",
                f"формула слишком большая (больше {self.limits.max_nodes} "
                f"{plural_ru(self.limits.max_nodes, 'элемента', 'элементов', 'элементов')})",
                expr.pos,
                "simplify the formula",
                "упростите формулу",
            )
        return expr

    def function_of(self, ident: str) -> str | None:
        if ident in self.functions:
            return ident
        target = self.aliases.get(ident)
        return target if target in self.functions else None

    # ---- grammar
    def parse(self) -> Expr:
        if self.peek().kind == "end":
            raise ExprError("the formula is empty", "формула пустая", 0, "", "")
        expr = self.expr()
        tok = self.peek()
        if tok.kind != "end":
            raise self.after_operand_error(tok, None, in_call=False)
        return expr

    def expr(self) -> Expr:
        left = self.term()
        while True:
            tok = self.peek()
            if tok.kind == "op" and tok.op in ("+", "-"):
                self.advance()
                right = self.term()
                left = self.node(Call(BINARY[tok.op], (left, right), tok.pos))
            else:
                return left

    def term(self) -> Expr:
        left = self.unary()
        while True:
            tok = self.peek()
            if tok.kind == "op" and tok.op in ("*", "/"):
                self.advance()
                right = self.unary()
                left = self.node(Call(BINARY[tok.op], (left, right), tok.pos))
            elif tok.kind in _ATOM_START:
                raise self.implicit_multiplication(tok)
            else:
                return left

    def unary(self) -> Expr:
        tok = self.peek()
        if tok.kind == "op" and tok.op in ("-", "+"):
            self.advance()
            self.enter(tok)
            operand = self.unary()
            self.depth -= 1
            if tok.op == "+":
                return operand
            return self.node(Call("neg", (operand,), tok.pos))
        return self.power()

    def power(self) -> Expr:
        start = self.peek().pos
        base = self.atom()
        tok = self.peek()
        if tok.kind == "sup":
            self.advance()
            assert tok.value is not None
            exponent = self.node(Num(tok.value, tok.pos))
            base = self.node(Call("pow", (base, exponent), tok.pos))
            tok = self.peek()
            if tok.kind == "sup":
                raise ExprError(
                    "two superscripts in a row",
                    "два надстрочных знака подряд",
                    tok.pos,
                    "write the power with **, e.g. x**4",
                    "записывайте степень через **, например x**4",
                )
        if tok.kind == "op" and tok.op == "**":
            self.advance()
            self.enter(tok)
            exponent = self.unary()
            self.depth -= 1
            base = self.node(Call("pow", (base, exponent), tok.pos))
        self.operand_start = start
        return base

    def atom(self) -> Expr:
        tok = self.peek()
        if tok.kind == "num":
            self.advance()
            assert tok.value is not None
            return self.node(Num(tok.value, tok.pos))
        if tok.kind == "name":
            return self.name_or_call(tok)
        if tok.kind == "(":
            self.advance()
            self.enter(tok)
            inner = self.expr()
            close = self.peek()
            if close.kind != ")":
                raise self.after_operand_error(close, tok, in_call=False)
            self.advance()
            self.depth -= 1
            return inner
        raise self.missing_operand(tok)

    def name_or_call(self, tok: _Tok) -> Expr:
        ident = tok.text
        canonical = self.function_of(ident)
        if self.peek(1).kind == "(":
            if canonical is not None:
                return self.call(tok, canonical)
            if ident in self.names:
                group = self.operand_text(self.i + 1)
                return self._raise(
                    f"{ident} is not a function",
                    f"{ident} — не функция",
                    tok.pos,
                    f"to multiply write {ident}*{group}" if group else "to multiply use '*'",
                    f"для умножения напишите {ident}*{group}" if group else "умножение — '*'",
                )
            raise self.unknown_function(tok)
        if ident in self.names:
            self.advance()
            return self.node(Name(ident, tok.pos))
        if canonical is not None:
            nxt = self.safe_peek(1)
            arg = "..."
            if nxt is not None and nxt.kind in ("name", "num"):
                arg = nxt.text
            elif nxt is not None and nxt.kind == "op" and nxt.op == "*":
                after = self.safe_peek(2)
                if after is not None and after.kind in ("name", "num"):
                    arg = after.text
            call = f"{ident}({_short(arg)})"
            return self._raise(
                f"{ident} is a function: it needs parentheses",
                f"{ident} — функция, после неё нужны скобки",
                tok.pos,
                f"write {call}",
                f"напишите {call}",
            )
        raise self.unknown_name(tok)

    def call(self, name_tok: _Tok, canonical: str) -> Expr:
        self.advance()
        open_tok = self.advance()
        self.enter(open_tok)
        args: list[Expr] = []
        commas: list[_Tok] = []
        if self.peek().kind == ")":
            self.advance()
        else:
            while True:
                args.append(self.expr())
                tok = self.peek()
                if tok.kind == ",":
                    commas.append(tok)
                    self.advance()
                elif tok.kind == ")":
                    self.advance()
                    break
                else:
                    raise self.after_operand_error(tok, open_tok, in_call=True)
        self.depth -= 1
        arity = self.functions[canonical]
        if len(args) != arity:
            fn, got = name_tok.text, len(args)
            hint_en, hint_ru = "", ""
            if any(self.decimal_comma(c) for c in commas):
                hint_en, hint_ru = _DECIMAL_COMMA
            passed = "передан" if got % 10 == 1 and got % 100 != 11 else "передано"
            raise ExprError(
                f"{fn} takes {arity} {plural_en(arity, 'argument')}, got {got}",
                f"{fn} принимает {arity} "
                f"{plural_ru(arity, 'аргумент', 'аргумента', 'аргументов')}, а {passed} {got}",
                name_tok.pos,
                hint_en,
                hint_ru,
            )
        return self.node(Call(canonical, tuple(args), name_tok.pos))

    # ---- error helpers
    @staticmethod
    def _raise(en: str, ru: str, pos: int, hint_en: str, hint_ru: str) -> Expr:
        raise ExprError(en, ru, pos, hint_en, hint_ru)

    def decimal_comma(self, tok: _Tok) -> bool:
        """``0,5`` — a decimal comma as written in Russian, not an argument separator."""
        t, p = self.text, tok.pos
        return 0 < p < len(t) - 1 and t[p - 1].isdigit() and t[p + 1].isdigit()

    def operand_text(self, index: int, max_tokens: int = 60) -> str:
        """Source text of the operand starting at token ``index`` ('' if too long/unclear)."""
        first = self.safe_peek(index - self.i)
        if first is None:
            return ""
        if first.kind == "num":
            return _short(first.text) if len(first.text) <= 30 else ""
        j = index
        if first.kind == "name":
            nxt = self.safe_peek(index + 1 - self.i)
            if nxt is None or nxt.kind != "(":
                return first.text if len(first.text) <= 30 else ""
            j += 1
        balance = 0
        for k in range(j, j + max_tokens):
            tok = self.safe_peek(k - self.i)
            if tok is None or tok.kind == "end":
                return ""
            balance += (tok.kind == "(") - (tok.kind == ")")
            if balance == 0:
                text = self.text[first.pos : tok.end]
                return text if len(text) <= 30 else ""
        return ""

    def implicit_multiplication(self, tok: _Tok) -> ExprError:
        prev = self.previous()
        left = self.text[self.operand_start : prev.end] if prev else ""
        right = self.operand_text(self.i)
        if left and right and len(left) <= 30:
            hint_en, hint_ru = f"write {left}*{right}", f"напишите {left}*{right}"
        else:
            hint_en, hint_ru = "put '*' between the factors", "поставьте '*' между множителями"
        return ExprError(
            "missing '*' (multiplication must be written explicitly)",
            "пропущен знак '*' (умножение нужно писать явно)",
            tok.pos,
            hint_en,
            hint_ru,
        )

    def missing_operand(self, tok: _Tok) -> ExprError:
        prev = self.previous()
        what_en, what_ru = "a number, a name or '('", "число, имя или '('"
        if prev is None:
            return ExprError(
                f"expected {what_en} at the start, found '{tok.text}'",
                f"в начале формулы ожидается {what_ru}, а стоит '{tok.text}'",
                tok.pos,
                "",
                "",
            )
        en = f"expected {what_en} after '{prev.text}'"
        ru = f"после '{prev.text}' ожидается {what_ru}"
        hint_en = hint_ru = ""
        if tok.kind == "end":
            return ExprError(en, ru, prev.end, "the formula ends too early", "формула обрывается")
        if prev.kind == "(" and tok.kind == ")":
            hint_en = "the parentheses are empty: put an expression inside"
            hint_ru = "скобки пустые: напишите внутри выражение"
        elif prev.kind == "," and tok.kind == ")":
            hint_en, hint_ru = "remove the extra comma", "уберите лишнюю запятую"
        elif tok.kind == ",":
            hint_en = "an argument is missing before ','"
            hint_ru = "перед ',' пропущен аргумент"
        elif prev.kind == "op" and prev.op == "*" and tok.kind == "op" and tok.op == "*":
            hint_en = "for a power write ** without a space"
            hint_ru = "степень пишется как ** без пробела"
        return ExprError(en, ru, tok.pos, hint_en, hint_ru)

    def after_operand_error(self, tok: _Tok, open_tok: _Tok | None, in_call: bool) -> ExprError:
        if tok.kind in _ATOM_START:
            return self.implicit_multiplication(tok)
        if tok.kind == "end" and open_tok is not None:
            return ExprError(
                "this '(' is never closed",
                "эта '(' не закрыта",
                open_tok.pos,
                "add the missing ')'",
                "добавьте недостающую ')'",
            )
        if tok.kind == ")":
            return ExprError(
                "unmatched ')'",
                "лишняя ')'",
                tok.pos,
                "remove it or add the matching '(' before it",
                "уберите её или добавьте парную '(' раньше",
            )
        if tok.kind == "," and not in_call:
            hint_en = "a comma only separates the arguments of a function"
            hint_ru = "запятая разделяет только аргументы функции"
            if self.decimal_comma(tok):
                hint_en, hint_ru = _DECIMAL_COMMA
            return ExprError(
                "',' is not allowed here", "здесь не может стоять ','", tok.pos, hint_en, hint_ru
            )
        if in_call:
            return ExprError(
                f"expected ',' or ')', found '{tok.text}'",
                f"ожидается ',' или ')', а стоит '{tok.text}'",
                tok.pos,
                "",
                "",
            )
        return ExprError(f"unexpected '{tok.text}'", f"неожиданный '{tok.text}'", tok.pos)

    def unknown_name(self, tok: _Tok) -> ExprError:
        ident = tok.text
        hint_en, hint_ru = [], []
        close = _suggest(ident, self.names)
        if close:
            hint_en.append(f"did you mean {_or_en(close)}?")
            hint_ru.append(f"возможно, имелось в виду {_or_ru(close)}?")
        elif ident in ("e", "E") and self.function_of("exp"):
            hint_en.append("for Euler's number write exp(1)")
            hint_ru.append("число e записывается как exp(1)")
        else:
            fclose = _suggest(ident, self.function_spellings())
            if fclose:
                hint_en.append(f"did you mean {fclose[0]}(...)?")
                hint_ru.append(f"возможно, имелось в виду {fclose[0]}(...)?")
        if self.names:
            listed = _listing(sorted(self.names))
            hint_en.append(f"Allowed names: {listed}")
            hint_ru.append(f"Допустимые имена: {listed}")
        else:
            hint_en.append("This formula may not contain variables")
            hint_ru.append("В этой формуле нельзя использовать переменные")
        return ExprError(
            f"unknown name '{_short(ident)}'",
            f"неизвестное имя '{_short(ident)}'",
            tok.pos,
            _sentences(hint_en),
            _sentences(hint_ru),
        )

    def unknown_function(self, tok: _Tok) -> ExprError:
        ident = tok.text
        hint_en, hint_ru = [], []
        close = _suggest(ident, self.function_spellings())
        if close:
            hint_en.append(f"did you mean {_or_en(close)}?")
            hint_ru.append(f"возможно, имелось в виду {_or_ru(close)}?")
        if self.functions:
            listed = _listing(self.function_listing())
            hint_en.append(f"Allowed functions: {listed}")
            hint_ru.append(f"Допустимые функции: {listed}")
        else:
            hint_en.append("This formula may not contain functions")
            hint_ru.append("В этой формуле нельзя использовать функции")
        return ExprError(
            f"unknown function '{_short(ident)}'",
            f"неизвестная функция '{_short(ident)}'",
            tok.pos,
            _sentences(hint_en),
            _sentences(hint_ru),
        )

    def function_spellings(self) -> list[str]:
        return sorted(set(self.functions) | {a for a in self.aliases if self.function_of(a)})

    def function_listing(self) -> list[str]:
        out = []
        for fn in sorted(self.functions):
            alts = sorted(a for a, t in self.aliases.items() if t == fn and a != fn)
            out.append(f"{fn} ({', '.join(alts)})" if alts else fn)
        return out


_DECIMAL_COMMA = (
    "write decimals with a point: 0.5, not 0,5",
    "дробную часть отделяйте точкой: 0.5, а не 0,5",
)


def _suggest(word: str, candidates: Collection[str]) -> list[str]:
    """Close spellings: a case-insensitive match first, then difflib (cutoff 0.5: w4 → w1)."""
    if len(word) > 60 or not candidates:
        return []
    lowered = {c.lower(): c for c in sorted(candidates)}
    if word.lower() in lowered and lowered[word.lower()] != word:
        return [lowered[word.lower()]]
    return difflib.get_close_matches(word, sorted(candidates), n=3, cutoff=0.5)


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


def parse(
    text: str,
    *,
    names: Collection[str],
    functions: Mapping[str, int],
    aliases: Mapping[str, str] | None = None,
    limits: Limits = Limits(),  # frozen, so a shared default is safe
) -> Expr:
    """Parse ``text`` into a tree, allowing only ``names`` and ``functions`` (name → arity).

    ``aliases`` are extra spellings of functions (``{"ln": "log"}``); ``σ`` → ``sigmoid`` is
    always added when ``sigmoid`` is allowed, unless ``aliases`` maps ``σ`` elsewhere.
    ``Call.fn`` is always the canonical function name.  Raises only :class:`ExprError`.
    """
    if not isinstance(text, str):
        raise ExprError("the formula must be text", "формула должна быть текстом", None)
    if len(text) > limits.max_length:  # before looking at a single character
        n = len(text)
        raise ExprError(
            f"the formula is too long ({n} characters, at most {limits.max_length})",
            f"формула слишком длинная ({n} {plural_ru(n, 'символ', 'символа', 'символов')}, "
            f"максимум {limits.max_length})",
            limits.max_length,
            "shorten it",
            "сократите её",
        )
    merged: dict[str, str] = {_SIGMA: "sigmoid"} if "sigmoid" in functions else {}
    merged.update(aliases or {})
    bad = _BAD_CHAR_RE.search(text)
    if bad is not None:
        raise _bad_char_error(text, bad.start(), functions)
    parser = _Parser(text, frozenset(names), functions, merged, limits)
    try:
        return parser.parse()
    except RecursionError:  # only reachable with a max_depth far above the default
        raise ExprError(
            "the formula is nested too deeply",
            "слишком глубокая вложенность",
            None,
            "simplify the formula",
            "упростите формулу",
        ) from None


# --------------------------------------------------------------------------- unparse

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
    m = _NUMBER_RE.fullmatch(literal)
    assert m is not None
    return _literal_cost(m.group(1), m.group(2) or "", m.group(4))


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
        raise ExprError(
            "the formula is nested too deeply", "слишком глубокая вложенность"
        ) from None


# --------------------------------------------------------------------------- analysis


def names_in(expr: Expr) -> list[str]:
    """Distinct variable names in order of first appearance (left to right in the text)."""
    seen: dict[str, None] = {}
    stack: list[Expr] = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, Name):
            seen.setdefault(node.id, None)
        elif isinstance(node, Call):
            stack.extend(reversed(node.args))
    return list(seen)


_ARITHMETIC = {"add": 2, "sub": 2, "mul": 2, "div": 2, "pow": 2, "neg": 1}


def _is_constant(expr: Expr) -> bool:
    stack: list[Expr] = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, Name):
            return False
        if isinstance(node, Call):
            if _ARITHMETIC.get(node.fn) != len(node.args):
                return False
            stack.extend(node.args)
    return True


def _too_large(pos: int | None, detail_en: str = "", detail_ru: str = "") -> ExprError:
    return ExprError("number too large", "число слишком большое", pos, detail_en, detail_ru)


def _division_by_zero(pos: int | None) -> ExprError:
    return ExprError("division by zero", "деление на ноль", pos)


def fold_constant(expr: Expr, *, max_bits: int = 256, max_exponent: int = 64) -> Fraction | None:
    """Exact value of a subtree made only of numbers and arithmetic, else ``None``.

    ``None`` if the tree contains a Name or a function call (or a power with a non-integer
    exponent, which has no exact rational value in general).  Sizes are checked *before*
    computing, so ``9**9**9**9`` fails at once: integer exponents above ``max_exponent``
    and results wider than ``max_bits`` raise ``ExprError("number too large")``; division
    by zero raises ``ExprError`` too.
    """
    if not _is_constant(expr):
        return None

    def check(value: Fraction, pos: int) -> Fraction:
        if max(value.numerator.bit_length(), value.denominator.bit_length()) > max_bits:
            raise _too_large(
                pos,
                f"exact values are limited to {max_bits} bits",
                f"точные значения ограничены {max_bits} битами",
            )
        return value

    def power(base: Fraction, exponent: Fraction, pos: int) -> Fraction | None:
        if exponent.denominator != 1:
            return None
        n = exponent.numerator
        if base in (0, 1, -1):  # cheap whatever the exponent
            if base == 0 and n < 0:
                raise _division_by_zero(pos)
            if base == 0:
                return Fraction(1 if n == 0 else 0)
            return Fraction(-1 if base == -1 and n % 2 else 1)
        if abs(n) > max_exponent:
            raise _too_large(
                pos,
                f"the exponent {_short(str(n))} is larger than {max_exponent}",
                f"показатель {_short(str(n))} больше {max_exponent}",
            )
        width = max(base.numerator.bit_length(), base.denominator.bit_length())
        if abs(n) * (width - 1) + 1 > max_bits:  # lower bound of the result's width
            raise _too_large(
                pos,
                f"exact values are limited to {max_bits} bits",
                f"точные значения ограничены {max_bits} битами",
            )
        return base**n

    def value_of(node: Expr) -> Fraction | None:
        if isinstance(node, Num):
            return check(Fraction(node.value), node.pos)
        assert isinstance(node, Call)
        args = [value_of(a) for a in node.args]
        if any(a is None for a in args):
            return None
        fn = node.fn
        if fn == "neg":
            return -args[0]
        a, b = args
        assert a is not None and b is not None
        if fn == "add":
            result = a + b
        elif fn == "sub":
            result = a - b
        elif fn == "mul":
            result = a * b
        elif fn == "div":
            if b == 0:
                raise _division_by_zero(node.pos)
            result = a / b
        else:
            maybe = power(a, b, node.pos)
            if maybe is None:
                return None
            result = maybe
        return check(result, node.pos)

    try:
        return value_of(expr)
    except RecursionError:
        raise ExprError(
            "the formula is nested too deeply", "слишком глубокая вложенность"
        ) from None
