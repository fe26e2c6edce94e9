"""Recursive descent over the lexer's tokens, under explicit limits of depth and size."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from fractions import Fraction

from reference.expr import hints
from reference.expr.errors import ExprError, short
from reference.expr.hints import DECIMAL_COMMA
from reference.expr.lexer import BAD_CHAR_RE, SYMBOLS, Lexer, Token, bad_char_error
from reference.expr.trees import BINARY, Call, Expr, Limits, Name, Num
from reference.i18n import plural_en, plural_ru

_ATOM_START = ("num", "name", "(")
E = Call("exp", (Num(Fraction(1)),))  # Euler's number as read from a bare ``e``
DEFAULT_LIMITS = Limits()  # frozen, so a shared default is safe


class Parser:
    def __init__(
        self,
        text: str,
        names: frozenset[str],
        functions: Mapping[str, int],
        aliases: Mapping[str, str],
        limits: Limits,
        relaxed: bool = False,
    ) -> None:
        self.text = text
        self.relaxed = relaxed
        self.names = names
        self.functions = functions
        self.aliases = aliases
        self.limits = limits
        self.lexer = Lexer(text, names, functions, limits, relaxed)
        self.toks: list[Token] = []
        self.i = 0
        self.depth = 0
        self.nodes = 0
        self.operand_start = 0  # where the most recently finished power/atom began
        self.bare_power_end = -1  # token index just after a power whose exponent has no ( )

    # ---- token access
    def peek(self, k: int = 0) -> Token:
        while len(self.toks) <= self.i + k:
            if self.toks and self.toks[-1].kind == "end":
                return self.toks[-1]
            self.toks.append(self.lexer.next())
        return self.toks[self.i + k]

    def safe_peek(self, k: int) -> Token | None:
        """Lookahead for hints only: a lexing error further right must not replace ours."""
        try:
            return self.peek(k)
        except ExprError:
            return None

    def advance(self) -> Token:
        tok = self.peek()
        if tok.kind != "end":
            self.i += 1
        return tok

    def previous(self) -> Token | None:
        return self.toks[self.i - 1] if self.i > 0 else None

    # ---- bookkeeping
    def enter(self, tok: Token) -> None:
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
            raise ExprError(  # no position: there is nothing to point at
                "the formula is empty: write it between the quotes",
                "формула не написана: запишите её между кавычками",
                None,
                "",
                "",
            )
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
        start = self.peek().pos
        left = self.unary()
        after_division = False
        while True:
            tok = self.peek()
            if tok.kind == "op" and tok.op in ("*", "/"):
                self.advance()
                right = self.unary()
                left = self.node(Call(BINARY[tok.op], (left, right), tok.pos))
                after_division = tok.op == "/"
            elif tok.kind in _ATOM_START:
                if not self.implicit_product(tok, start if after_division else None):
                    raise self.implicit_multiplication(tok)
                right = self.power()
                left = self.node(Call("mul", (left, right), tok.pos))
            else:
                return left

    def implicit_product(self, tok: Token, division_start: int | None) -> bool:
        """``2(S - gold)``, ``2S``, ``σ(G)(1 - σ(G))``: a product as students write it.

        Only after a number, a ``)`` or a superscript and before a name or ``(``, so a name
        is never split and ``x y`` or ``2 3`` stay errors; never where the reading is
        ambiguous (``1/2S``, ``e^2G``): those get an error that names both readings.
        """
        prev = self.previous()
        if not self.relaxed or prev is None:
            return False
        after_name = prev.kind == "name" and tok.kind == "("  # S(1 - S), name_or_call let by
        if not (prev.kind in ("num", ")", "sup") or after_name) or tok.kind not in ("name", "("):
            return False
        if division_start is not None:
            raise self.ambiguous_product(tok, division_start, "/")
        if self.bare_power_end == self.i:
            raise self.ambiguous_product(tok, self.operand_start, "**")
        return True

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
            last = self.previous()
            if last is not None and last.kind != ")":
                self.bare_power_end = self.i
            if base == E and self.relaxed:  # e^x is exp(x): exact, and reads as written
                base = self.node(Call("exp", (exponent,), tok.pos))
            else:
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

    def name_or_call(self, tok: Token) -> Expr:
        ident = tok.text
        canonical = self.function_of(ident)
        if self.peek(1).kind == "(":
            if canonical is not None:
                return self.call(tok, canonical)
            if ident in self.names and self.relaxed:
                self.advance()  # S(1 - S): a value times a group, as S is no function
                return self.node(Name(ident, tok.pos))
            if ident in self.names:
                group = self.operand_text(self.i + 1)
                whole = self.with_star(tok.end, self.peek(1).pos) if group else ""
                return self._raise(
                    f"{ident} is not a function",
                    f"{ident} — не функция",
                    tok.pos,
                    f"to multiply write {whole}" if whole else "to multiply use '*'",
                    f"для умножения напишите {whole}" if whole else "умножение — '*'",
                )
            raise self.unknown_function(tok)
        if ident in self.names:
            self.advance()
            return self.node(Name(ident, tok.pos))
        if self.relaxed and "_" in ident and ident.replace("_", "") in self.names:
            self.advance()  # x_1 as written on paper: the course's x1
            return self.node(Name(ident.replace("_", ""), tok.pos))
        if ident == "e" and self.relaxed and self.function_of("exp") == "exp":
            self.advance()  # Euler's number, as no variable is named e
            one = self.node(Num(Fraction(1), tok.pos))
            return self.node(Call("exp", (one,), tok.pos))
        if canonical is not None:
            nxt = self.safe_peek(1)
            arg, end = "...", tok.end
            if nxt is not None and nxt.kind in ("name", "num"):
                arg, end = nxt.text, nxt.end
            elif nxt is not None and nxt.kind == "op" and nxt.op == "*":
                after = self.safe_peek(2)
                if after is not None and after.kind in ("name", "num"):
                    arg, end = after.text, after.end
            call = f"{ident}({short(arg)})"
            if arg != "...":  # the whole formula, so a hint never drops what is around it
                call = self.replaced(tok.pos, end, call) or call
            return self._raise(
                f"{ident} is a function: it needs parentheses",
                f"{ident} — функция, после неё нужны скобки",
                tok.pos,
                f"write {call}",
                f"напишите {call}",
            )
        raise self.unknown_name(tok)

    def call(self, name_tok: Token, canonical: str) -> Expr:
        self.advance()
        open_tok = self.advance()
        self.enter(open_tok)
        args: list[Expr] = []
        commas: list[Token] = []
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
                hint_en, hint_ru = DECIMAL_COMMA
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

    def decimal_comma(self, tok: Token) -> bool:
        """``0,5`` — a decimal comma as written in Russian, not an argument separator."""
        t, p = self.text, tok.pos
        return 0 < p < len(t) - 1 and t[p - 1].isdigit() and t[p + 1].isdigit()

    def operand_text(self, index: int, max_tokens: int = 60) -> str:
        """Source text of the operand starting at token ``index`` ('' if too long/unclear)."""
        first = self.safe_peek(index - self.i)
        if first is None:
            return ""
        if first.kind == "num":
            return short(first.text) if len(first.text) <= 30 else ""
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

    def implicit_multiplication(self, tok: Token) -> ExprError:
        prev = self.previous()
        left = self.text[self.operand_start : prev.end] if prev else ""
        right = self.operand_text(self.i)
        whole = self.with_star(prev.end, tok.pos) if prev and left and right else ""
        if whole:
            hint_en, hint_ru = f"write {whole}", f"напишите {whole}"
        elif left and right and len(left) <= 30:
            hint_en = f"write {left}*{right} in its place"
            hint_ru = f"напишите на этом месте {left}*{right}"
        else:
            hint_en, hint_ru = "put '*' between the factors", "поставьте '*' между множителями"
        return ExprError(
            "missing '*' (multiplication must be written explicitly)",
            "пропущен знак '*' (умножение нужно писать явно)",
            tok.pos,
            hint_en,
            hint_ru,
        )

    def ambiguous_product(self, tok: Token, start: int, op: str) -> ExprError:
        prev = self.previous()
        assert prev is not None
        left, right = self.text[start : prev.end], self.operand_text(self.i)
        if op == "/":
            en = "a product without '*' right after '/' can be read two ways"
            ru = "произведение без '*' сразу после '/' можно прочитать двумя способами"
        else:
            en = "a product without '*' right after a power can be read two ways"
            ru = "произведение без '*' сразу после степени можно прочитать двумя способами"
        if left and right and len(left) + len(right) <= 40:
            a, b = f"({left})*{right}", f"{left}*{right}"
            if op == "/":
                num, _, den = left.rpartition("/")
                a, b = f"({left})*{right}", f"{num}/({den}*{right})" if num else b
            else:
                base, _, ex = left.rpartition("**" if "**" in left else "^")
                a, b = f"{left}*{right}", f"{base}**({ex}*{right})" if base else b
            hint_en, hint_ru = f"write {a} or {b}", f"напишите {a} или {b}"
        else:
            hint_en, hint_ru = (
                "put '*' where you mean a product",
                "поставьте '*' там, где произведение",
            )
        return ExprError(en, ru, tok.pos, hint_en, hint_ru)

    def with_star(self, left_end: int, right_start: int) -> str:
        """The whole formula with '*' put between two factors ('' when too long to show).

        A hint shows the whole formula, never one factor pair: ``write 2*(gold - S)`` for
        ``-2(gold - S)`` read alone drops the sign and changes the answer.
        """
        return self.replaced(left_end, right_start, "*")

    def replaced(self, start: int, end: int, by: str) -> str:
        """The whole formula with ``text[start:end]`` replaced ('' when too long to show)."""
        whole = (self.text[:start] + by + self.text[end:]).strip()
        return whole if len(whole) <= 60 else ""

    def missing_operand(self, tok: Token) -> ExprError:
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

    def after_operand_error(self, tok: Token, open_tok: Token | None, in_call: bool) -> ExprError:
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
                hint_en, hint_ru = DECIMAL_COMMA
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

    def unknown_name(self, tok: Token) -> ExprError:
        return hints.unknown_name(tok.text, tok.pos, self.names, self.functions, self.aliases)

    def unknown_function(self, tok: Token) -> ExprError:
        return hints.unknown_function(tok.text, tok.pos, self.functions, self.aliases)


# What students put around a formula: its left-hand side (``dL/dS =``, ``dS_dG =``) and a
# closing ``;``.  Blanked, not cut, so every column an error names is still the student's.
_LEFT_SIDE = re.compile(r"^\s*(?:d\w+\s*/\s*d\w+|\w+)\s*=(?!=)")
_CLOSING = re.compile(r";\s*$")


def _unframed(text: str) -> str:
    """``text`` with a left-hand side and a closing ``;`` turned into spaces."""
    for pattern in (_LEFT_SIDE, _CLOSING):
        m = pattern.search(text)
        if m is None or (pattern is _LEFT_SIDE and not text[m.end() :].strip()):
            continue  # nothing there, or "x =" with nothing after it: said as it is
        text = text[: m.start()] + " " * (m.end() - m.start()) + text[m.end() :]
    return text


def parse(
    text: str,
    *,
    names: Collection[str],
    functions: Mapping[str, int],
    aliases: Mapping[str, str] | None = None,
    limits: Limits = DEFAULT_LIMITS,
    relaxed: bool = False,
) -> Expr:
    """Parse ``text`` into a tree, allowing only ``names`` and ``functions`` (name → arity).

    ``aliases`` are extra spellings of functions (``{"ln": "log"}``); the table's symbols
    (``σ`` → ``sigmoid``, :data:`~reference.expr.lexer.SYMBOLS`) are always added when their
    function is allowed, unless ``aliases`` maps them elsewhere.
    ``Call.fn`` is always the canonical function name.  Raises only :class:`ExprError`.

    ``relaxed`` reads what students write (their answers; never the teacher's course.yml):
    implicit products (``2(S - gold)``, ``2S``, ``)(``), ``e`` for Euler's number when no
    variable is named e (``e^x`` is ``exp(x)``) and ``np.``/``math.`` before a function.
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
    merged = {sym: fn for sym, fn in SYMBOLS.items() if fn in functions}
    merged.update(aliases or {})
    if relaxed:
        text = _unframed(text)
    bad = BAD_CHAR_RE.search(text)
    if bad is not None:
        raise bad_char_error(text, bad.start(), functions)
    parser = Parser(text, frozenset(names), functions, merged, limits, relaxed)
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
