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
from reference.i18n import Text, t

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
                t("expr.formula_nested_too_deeply_more", max_depth=self.limits.max_depth),
                tok.pos,
                t("expr.simplify"),
            )

    def node(self, expr: Expr) -> Expr:
        self.nodes += 1
        if self.nodes > self.limits.max_nodes:
            raise ExprError(
                t("expr.formula_too_large_more_than", max_nodes=self.limits.max_nodes),
                expr.pos,
                t("expr.simplify"),
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
            # no position: there is nothing to point at
            raise ExprError(t("expr.formula_empty_write_between_quotes"))
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
                raise ExprError(t("expr.two_superscripts_row"), tok.pos, t("expr.power_with_stars"))
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
                    t("expr.not_function", ident=ident),
                    tok.pos,
                    t("expr.to_multiply_write", formula=whole)
                    if whole
                    else t("expr.to_multiply_use_star"),
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
                t("expr.function_needs_parentheses", ident=ident),
                tok.pos,
                t("expr.write_formula", formula=call),
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
            hint = DECIMAL_COMMA if any(self.decimal_comma(c) for c in commas) else None
            raise ExprError(t("expr.takes_got", fn=fn, arity=arity, got=got), name_tok.pos, hint)
        return self.node(Call(canonical, tuple(args), name_tok.pos))

    # ---- error helpers
    @staticmethod
    def _raise(text: Text, pos: int, hint: Text) -> Expr:
        raise ExprError(text, pos, hint)

    def decimal_comma(self, tok: Token) -> bool:
        """``0,5`` — a decimal comma as written in Russian, not an argument separator."""
        text, p = self.text, tok.pos
        return 0 < p < len(text) - 1 and text[p - 1].isdigit() and text[p + 1].isdigit()

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
            hint = t("expr.write_formula", formula=whole)
        elif left and right and len(left) <= 30:
            hint = t("expr.write_in_its_place", product=f"{left}*{right}")
        else:
            hint = t("expr.star_between_factors")
        return ExprError(t("expr.missing_multiplication_must_written_explicitly"), tok.pos, hint)

    def ambiguous_product(self, tok: Token, start: int, op: str) -> ExprError:
        prev = self.previous()
        assert prev is not None
        left, right = self.text[start : prev.end], self.operand_text(self.i)
        said = t("expr.ambiguous_after_division") if op == "/" else t("expr.ambiguous_after_power")
        if left and right and len(left) + len(right) <= 40:
            a, b = f"({left})*{right}", f"{left}*{right}"
            if op == "/":
                num, _, den = left.rpartition("/")
                a, b = f"({left})*{right}", f"{num}/({den}*{right})" if num else b
            else:
                base, _, ex = left.rpartition("**" if "**" in left else "^")
                a, b = f"{left}*{right}", f"{base}**({ex}*{right})" if base else b
            hint = t("expr.write_either", first=a, second=b)
        else:
            hint = t("expr.star_where_product")
        return ExprError(said, tok.pos, hint)

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
        if prev is None:
            return ExprError(t("expr.expected_at_start_found", text=tok.text), tok.pos)
        said = t("expr.expected_after", prev=prev.text)
        hint = None
        if tok.kind == "end":
            return ExprError(said, prev.end, t("expr.formula_ends_too_early"))
        if prev.kind == "(" and tok.kind == ")":
            hint = t("expr.empty_parentheses")
        elif prev.kind == "," and tok.kind == ")":
            hint = t("expr.extra_comma")
        elif tok.kind == ",":
            hint = t("expr.missing_argument")
        elif prev.kind == "op" and prev.op == "*" and tok.kind == "op" and tok.op == "*":
            hint = t("expr.power_without_space")
        return ExprError(said, tok.pos, hint)

    def after_operand_error(self, tok: Token, open_tok: Token | None, in_call: bool) -> ExprError:
        if tok.kind in _ATOM_START:
            return self.implicit_multiplication(tok)
        if tok.kind == "end" and open_tok is not None:
            return ExprError(
                t("expr.this_never_closed"), open_tok.pos, t("expr.add_missing_parenthesis")
            )
        if tok.kind == ")":
            return ExprError(t("expr.unmatched"), tok.pos, t("expr.remove_or_match"))
        if tok.kind == "," and not in_call:
            hint = DECIMAL_COMMA if self.decimal_comma(tok) else t("expr.comma_separates_arguments")
            return ExprError(t("expr.comma_not_allowed_here"), tok.pos, hint)
        if in_call:
            return ExprError(t("expr.expected_comma_or_parenthesis", text=tok.text), tok.pos)
        return ExprError(t("expr.unexpected", text=tok.text), tok.pos)

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
        raise ExprError(t("expr.formula_must_text"))
    if len(text) > limits.max_length:  # before looking at a single character
        raise ExprError(
            t("expr.formula_too_long_characters_at", n=len(text), max_length=limits.max_length),
            limits.max_length,
            t("expr.shorten_it"),
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
        raise ExprError(t("expr.formula_nested_too_deeply"), None, t("expr.simplify")) from None
