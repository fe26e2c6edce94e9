"""The lesson's derivative table, rendered whole from the table module for every release.

The lesson is built around one table (w·a, a + b, a², σ and the chain rule); students look
things up in it while they work.  It is printed from the same rules the grader differentiates
with, through the printing backend, so the table students read can never disagree with the one
that grades them, and a course's learning rate reaches the update rule.
"""

from __future__ import annotations

from reference import expr as ex
from reference.autograd import compile_expr
from reference.course.model import Model
from reference.i18n import pick, t
from reference.table import CHAIN_RULE, ENTRIES, Entry
from reference.table.printed import derivatives, formula


def _cells(entry: Entry) -> tuple[str, str]:
    """``f(w, a) = w*a`` and ``df/dw = a, df/da = w`` for one row."""
    names = list(entry.args)
    tape = compile_expr(ex.Call(entry.name, tuple(ex.Name(n) for n in names)), names)
    parts = derivatives(tape)
    left = f"f({', '.join(names)}) = {formula(tape)}"
    right = ", ".join(f"df/d{n} = {parts[n]}" for n in names)
    return left, right


def _rows(entries: list[Entry], lang: str) -> list[str]:
    heads = (t("release.function"), t("release.derivatives"), t("release.what"))
    out = [
        "| " + " | ".join(pick(head, lang) for head in heads) + " |",
        "|---|---|---|",
    ]
    for e in entries:
        left, right = _cells(e)
        title = pick(e.title, lang).replace("|", "\\|")  # |a| must not split the row
        out.append(f"| `{left}` | `{right}` | {title} |")
    return out


def _number(value: float) -> str:
    return format(value, "g")


#: Rows of plain arithmetic: listed first only when the lesson's own table has them.
ARITHMETIC = {"sub", "neg", "div", "pow"}


def used_rows(model: Model) -> set[str]:
    """The table rows the model's nodes are computed by."""
    return {i.entry.name for node in model.nodes for i in node.tape.instrs}


def markdown(lang: str, learning_rate: float, level: int = 2, used: set[str] | None = None) -> str:
    """The whole table as Markdown: the rows the course's functions use (``used``, from
    :func:`used_rows`; the lesson's rows when it is the lesson's model), the other rows, the
    chain rule and the update rule with ``learning_rate``; ``level`` is the heading's depth."""
    lesson = [e for e in ENTRIES if e.lesson]
    if used is not None:  # a changed model (S = tanh(G)): its rows first, sigmoid below
        lesson = [e for e in ENTRIES if e.name in used and (e.lesson or e.name not in ARITHMETIC)]
    whole = lesson == [e for e in ENTRIES if e.lesson]
    first = t("release.lesson_rows") if whole else t("release.course_rows")
    more = [e for e in ENTRIES if e not in lesson]
    lr = _number(learning_rate)
    return "\n".join(
        [
            f"{'#' * level} {pick(t('release.table_title'), lang)}",
            "",
            pick(first, lang),
            "",
            *_rows(lesson, lang),
            "",
            f"**{pick(t('release.chain_rule'), lang)}:** {pick(CHAIN_RULE, lang)}.",
            "",
            f"**{pick(t('release.update'), lang)}:** {pick(t('release.update_text', lr=lr), lang)}",
            f"`param_new = param_old - {lr} * dLoss/dparam`.",
            "",
            pick(t("release.more_functions_you_may_use"), lang),
            "",
            *_rows(more, lang),
            "",
        ]
    )
