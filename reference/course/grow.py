"""What a model that gained an argument asks of the exercises written before it.

Adding ``D(x4, w4)`` and ``G(A, B, C, D)`` leaves G's exercise without ``dG_dD`` and
``dG_dD_formula`` (the stub contract needs them) and the quiz's options that list every node
without D: the course no longer loads.  :func:`grow` adds exactly those, to the exercise
files as the teacher wrote them (their comments and anchors kept: new text is inserted, never
rewritten), and says where each went; ``course new-exercise`` runs it first.  It reads the
files as YAML only to find places: a file that cannot be read is left for ``course
validate`` to report.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reference.course.model import Model
from reference.course.scaffold import LANGS, local_questions, node_option
from reference.course.source import CourseError, read_yaml


@dataclass(frozen=True)
class Added:
    """One addition: the file as shown, the line it starts at, what it is."""

    file: str
    line: int
    what: str


def _end(lines: list[str], start: int) -> int:
    """The index after the block whose first line (a list item ``- …``) is ``lines[start]``:
    the next line as indented as its dash or less, blank lines before it left out."""
    dash = len(lines[start]) - len(lines[start].lstrip())
    end = start + 1
    while end < len(lines) and (
        not lines[end].strip() or len(lines[end]) - len(lines[end].lstrip()) > dash
    ):
        end += 1
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1
    return end


def _insertions(path: Path, shown: str, model: Model, want: tuple[str, ...]) -> list[tuple]:
    """(line index, text, what) to insert in one exercise file."""
    try:
        src = read_yaml(path, shown)
    except CourseError:
        return []
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    doc = src.data if isinstance(src.data, dict) else {}
    found = doc.get("questions")
    questions: list = found if isinstance(found, list) else []
    ids = [q.get("id") if isinstance(q, dict) else None for q in questions]
    nodes = {n.name: n for n in model.nodes}
    out: list[tuple] = []
    name = doc.get("node")
    if isinstance(name, str) and name in nodes and questions:
        node = nodes[name]
        after = None  # the question the next local derivative follows
        for a in node.args:
            local = f"d{name}_d{a}"
            if local in ids:
                after = ids.index(f"{local}_formula") if f"{local}_formula" in ids else None
                after = ids.index(local) if after is None else after
                continue
            at = after if after is not None else (ids.index("forward") if "forward" in ids else 0)
            line = src.line("questions", at) - 1
            end = _end(lines, line)
            text = local_questions(model, node, a, want)
            out.append((end, "\n" + text, f"{local}, {local}_formula"))
    for i, q in enumerate(questions):
        options = q.get("options") if isinstance(q, dict) else None
        if not isinstance(options, list) or not options:
            continue
        values = [o.get("value") for o in options if isinstance(o, dict)]
        if not values or not set(values) <= set(nodes) or len(values) < len(nodes) - 1:
            continue  # not a list of every node
        missing = [n for n in nodes if n not in values]
        if missing:
            last = src.line("questions", i, "options", len(options) - 1) - 1
            end = _end(lines, last)
            text = "".join(node_option(n) for n in missing)
            out.append((end, text, f"{q.get('id')}: {', '.join(missing)}"))
    return out


def grow(
    root: Path, model: Model, exercises: list[str], want: tuple[str, ...] = LANGS
) -> list[Added]:
    """Add to ``exercises`` (ids, in course.yml's order) what ``model`` asks of them and they
    lack; each addition, where it now is."""
    done: list[Added] = []
    for ex_id in exercises:
        path = root / "exercises" / f"{ex_id}.yml"
        shown = f"exercises/{ex_id}.yml"
        if not path.is_file():
            continue
        edits = sorted(_insertions(path, shown, model, want), key=lambda e: e[0])
        if not edits:
            continue
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        shift = 0
        for at, text, what in edits:
            at += shift
            new = text.splitlines(keepends=True)
            lines[at:at] = new
            blank = 1 if new and not new[0].strip() else 0
            done.append(Added(shown, at + 1 + blank, what))
            shift += len(new)
        path.write_text("".join(lines), encoding="utf-8")
    return done
