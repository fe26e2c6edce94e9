"""Formatting text into Python source: comments and docstrings a student reads."""

from __future__ import annotations

import textwrap


def docstring(text: str) -> str:
    """Text safe inside a triple-quoted docstring."""
    return text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"').strip()


def comment(text: str) -> str:
    """Text as ``#`` comment lines, wrapped to fit the stubs' width."""
    lines = []
    for line in text.strip().splitlines():
        lines += textwrap.wrap(line, 96, break_on_hyphens=False) or [""]
    return "\n".join(f"# {line}".rstrip() for line in lines)
