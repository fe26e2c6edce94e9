"""The one error of the formula reader: a message in every language, a position, a hint."""

from __future__ import annotations

from reference.i18n import FALLBACK, BilingualError, Text, t


class ExprError(BilingualError, ValueError):
    """A formula problem explained in every language, with a position and a hint.

    A :class:`~reference.i18n.BilingualError` whose one problem is the whole message (with
    the column and the hint) in each language; ``text``, ``pos`` and ``hint`` stay readable
    on their own for callers that place the message themselves.
    """

    def __init__(self, text: Text, pos: int | None = None, hint: Text | None = None) -> None:
        self.text = text
        self.pos = pos
        self.hint = hint
        super().__init__(self._compose())

    def __reduce__(self):  # keep pickling (multiprocessing graders) working
        hint = None if self.hint is None else dict(self.hint)
        return (type(self), (dict(self.text), self.pos, hint))

    def __str__(self) -> str:
        return self.message(FALLBACK)

    def _compose(self) -> Text:
        composed = self.text
        if self.pos is not None:
            composed = t("expr.at_column", message=composed, column=self.pos + 1)
        if self.hint and any(self.hint.values()):
            composed = t("expr.with_hint", message=composed, hint=self.hint)
        return composed

    def message(self, lang: str = FALLBACK) -> str:
        """The message with the 1-based column and the hint, in ``lang`` (``"ru_RU"`` is
        ``"ru"``; a language it lacks falls back)."""
        return super().message(str(lang).lower().replace("-", "_").split("_")[0])

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


def short(s: str, n: int = 30) -> str:
    """Quote-safe shortening of user text that goes into a message."""
    return s if len(s) <= n else s[: n - 1] + "…"
