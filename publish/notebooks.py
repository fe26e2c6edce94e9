"""Student notebooks: the stubs of one exercise as a Jupyter notebook (nbformat v4.5 JSON).

The notebook holds exactly what ``<exercise>.py`` holds, cell by cell: the module doc as a
markdown cell, the imports, then per question its header, prompt and hint as markdown and its
snippet as a code cell: the ``.py`` stub's code without the prompt, so each prompt is shown once.
Every answer cell carries ``metadata.course.question = <qid>``, so a grader finds the answers
by reading the JSON, without a kernel.  Cell ids are derived from the qids: the same course
gives the same notebook, byte for byte.  Written with :mod:`json`; nbformat is not needed.
"""

from __future__ import annotations

import json
from typing import Any

from grader.course.questions import Exercise
from grader.course.solutions import SOLUTION_STUDENT
from grader.kinds.snippets import question_text, snippet
from publish.derivative_table import markdown as derivative_table
from publish.derivative_table import used_rows
from publish.stubs import header, module_doc
from reference.course.naming import cell_id

IMPORTS = "import math\nimport numpy as np"


def _source(text: str) -> list[str]:
    """Cell source as Jupyter writes it: lines, each but the last ending in a newline."""
    return text.rstrip("\n").splitlines(keepends=True)


def markdown_cell(cid: str, text: str) -> dict[str, Any]:
    return {"cell_type": "markdown", "id": cid, "metadata": {}, "source": _source(text)}


def code_cell(cid: str, code: str, metadata: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "cell_type": "code",
        "execution_count": None,
        "id": cid,
        "metadata": metadata or {},
        "outputs": [],
        "source": _source(code),
    }


def notebook(
    exercise: Exercise,
    lang: str,
    solution: bool = False,
    student: str = SOLUTION_STUDENT,
    table: bool = False,
) -> dict[str, Any]:
    """The notebook of one exercise, as nbformat v4.5 JSON (a dict ready for json.dump);
    with ``table``, it opens with the lesson's derivative table (the release's first one)."""
    title, _, rest = module_doc(exercise, lang).partition("\n")
    cells = [
        markdown_cell(cell_id(exercise.id, "intro"), f"# {title}\n{rest}"),
        code_cell(cell_id(exercise.id, "imports"), IMPORTS),
    ]
    if table:
        lr = exercise.model.learning_rate
        text = derivative_table(lang, lr, used=used_rows(exercise.model))
        cells.insert(0, markdown_cell(cell_id(exercise.id, "table"), text))
    for q in exercise.questions:
        heading = header(q, lang).lstrip("# ")
        cells.append(
            markdown_cell(cell_id(q.qid, "prompt"), f"## {heading}\n\n{question_text(q, lang)}")
        )
        cells.append(
            code_cell(
                cell_id(q.qid, "answer"),
                snippet(q, lang, solution, student, prompt=False),
                {"course": {"question": q.qid}},
            )
        )
    return {
        "cells": cells,
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
            "course": {"exercise": exercise.id, "lang": lang},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def dumps(nb: dict[str, Any]) -> str:
    """The notebook's file text, formatted as Jupyter saves it."""
    return json.dumps(nb, indent=1, ensure_ascii=False) + "\n"
