"""Small helpers for text shown in two languages."""

from __future__ import annotations


def plural_ru(n: float, one: str, few: str, many: str) -> str:
    """Russian plural form for ``n`` (1 аргумент, 2 аргумента, 5 аргументов, 1.5 балла)."""
    if n != int(n):
        return few
    n = abs(int(n))
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def plural_en(n: float, word: str) -> str:
    return word if n == 1 else word + "s"
