"""The one error of the formula reader: a message in English and Russian, a position, a hint."""

from __future__ import annotations

from reference.i18n import BilingualError, t


class ExprError(BilingualError, ValueError):
    """A formula problem explained in English and Russian, with a position and a hint.

    A :class:`~reference.i18n.BilingualError` whose one problem is the whole message (with
    the column and the hint) in each language; ``en``, ``ru``, ``pos`` and the hints stay
    readable on their own for callers that place the message themselves.
    """

    def __init__(
        self, en: str, ru: str, pos: int | None = None, hint_en: str = "", hint_ru: str = ""
    ) -> None:
        self.en = en
        self.ru = ru
        self.pos = pos
        self.hint_en = hint_en
        self.hint_ru = hint_ru
        super().__init__(
            t(self._compose(en, hint_en, ru=False), self._compose(ru, hint_ru, ru=True))
        )

    def __reduce__(self):  # keep pickling (multiprocessing graders) working
        return (type(self), (self.en, self.ru, self.pos, self.hint_en, self.hint_ru))

    def __str__(self) -> str:
        return self.message("en")

    def _compose(self, text: str, hint: str, ru: bool) -> str:
        if self.pos is not None:
            text += f" (позиция {self.pos + 1})" if ru else f" (at column {self.pos + 1})"
        return f"{text} — {hint}" if hint else text

    def message(self, lang: str = "en") -> str:
        """The message with the 1-based column and the hint, in ``"en"`` or ``"ru"``."""
        return super().message("ru" if str(lang).lower().startswith("ru") else "en")

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
