"""The derivative table each release opens with: whole, from the table module, in both languages."""

from __future__ import annotations

import re

import pytest

from publish.derivative_table import markdown
from reference import expr as ex
from reference.autograd import compile_expr
from reference.table import ENTRIES
from reference.table.printed import derivatives


def _table_rows(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("| `")]


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_every_row_once_lesson_rows_first_with_the_engines_derivatives(lang):
    text = markdown(lang, 0.001)
    rows = _table_rows(text)
    assert len(rows) == len(ENTRIES)
    lesson = [e for e in ENTRIES if e.lesson]
    assert {e.name for e in lesson} >= {"mul", "add", "square", "sigmoid"}
    for row, entry in zip(rows, [*lesson, *(e for e in ENTRIES if not e.lesson)]):
        names = list(entry.args)
        tape = compile_expr(ex.Call(entry.name, tuple(ex.Name(n) for n in names)), names)
        for name, d in derivatives(tape).items():
            assert f"df/d{name} = {d}" in row, (row, d)
        # three cells: a title's |a| is escaped, never a fourth column
        assert len(re.findall(r"(?<!\\)\|", row)) == 4, row


def test_the_chain_rule_and_the_courses_learning_rate():
    for lang in ("ru", "en"):
        text = markdown(lang, 0.01)
        assert "df/dx = df/dg · dg/dx" in text
        assert "param_new = param_old - 0.01 * dLoss/dparam" in text
        assert "0.001" not in text  # the lesson's default must not leak into another course
    assert markdown("ru", 0.001) != markdown("en", 0.001)
    assert "Таблица производных" in markdown("ru", 0.001)


def test_a_changed_model_puts_its_own_rows_first():
    """S = tanh(G): the student's table lists tanh among the course's rows and sigmoid under
    the other functions; the lesson's model keeps the lesson's table as it is."""
    from conftest import LESSON, TANH

    from publish.derivative_table import markdown, used_rows
    from reference.course.model import load_model

    for lang in ("en", "ru"):
        tanh = markdown(lang, 0.001, used=used_rows(load_model(TANH / "course.yml")))
        first, _, rest = tanh.partition("f(a) = sigmoid(a)")
        assert "f(a) = tanh(a)" in first and "f(a) = tanh(a)" not in rest
        assert (
            "The rows of this course's functions:" if lang == "en" else "Строки функций"
        ) in first
        lesson = load_model(LESSON / "course.yml")  # the twin: the lesson's table, unchanged
        assert markdown(lang, 0.001, used=used_rows(lesson)) == markdown(lang, 0.001)
        assert markdown(lang, 0.001).index("sigmoid(a)") < markdown(lang, 0.001).index("tanh(a)")
