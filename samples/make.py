"""Regenerate the sample submissions from the reference (run after changing the course).

    python3 samples/make.py

perfect/  every stub filled from the reference (full marks);
mistakes/ the same with the slips students make, each put where the model has a place for
          it (a node whose derivatives differ, a one-argument function, the loss, a sum);
          a slip the model has no place for is skipped, with a line saying so;
broken/   code that does not run: a syntax error, an exception, an endless loop, a file left
          out, a wrong type.
Each folder's name is the student id its hand-computed numbers are made for.  All three are
built before anything is written: a course the samples cannot follow leaves them as they were.
"""

from __future__ import annotations

import re
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from grader.course.loader import load_course  # noqa: E402
from grader.course.questions import Course  # noqa: E402
from publish.stubs import stubs  # noqa: E402
from reference.course.model import Model  # noqa: E402
from reference.course.targets import upstream_name as upstream  # noqa: E402

Edit = tuple[str, str, str]  # (file, what the reference wrote, the slip)
LEFT_OUT = "chain"  # the exercise broken/ leaves out


def body(text: str, function: str) -> str | None:
    """The ``return …`` line of ``function`` in a solved stub."""
    m = re.search(rf"(?ms)^def {function}\(.*?^(    return .*?)\n", text)
    return m.group(1) if m else None


def _derivative_of_another(model: Model, files: dict[str, str]) -> Edit | None:
    """dN/d(last argument) returning dN/d(first): the derivative by the other argument."""
    for node in model.nodes:
        if len(node.args) < 2 or f"{node.name}.py" not in files:
            continue
        text = files[f"{node.name}.py"]
        first, last = (body(text, f"d{node.name}_d{a}") for a in (node.args[0], node.args[-1]))
        if first and last and first != last:
            slip = f"{first}  # the derivative by the other argument"
            return f"{node.name}.py", last + "\n", slip + "\n"
    return None


def _function_itself(model: Model, files: dict[str, str]) -> Edit | None:
    """A one-argument function's derivative returning the function itself."""
    for node in model.nodes:
        if len(node.args) != 1 or node.name == model.loss or f"{node.name}.py" not in files:
            continue
        text = files[f"{node.name}.py"]
        forward, local = body(text, node.name), body(text, f"d{node.name}_d{node.args[0]}")
        if forward and local and forward != local:
            return f"{node.name}.py", local + "\n", f"{forward}  # the function itself\n"
    return None


def _lost_sign(model: Model, files: dict[str, str]) -> Edit | None:
    """The loss's derivative formula with its sign lost."""
    loss = model.node(model.loss)
    name = f"d{loss.name}_d{loss.args[0]}_formula"
    text = files.get(f"{loss.name}.py", "")
    m = re.search(rf"(?m)^{name} = '(.*)'$", text)
    if m is None:
        return None
    return f"{loss.name}.py", m.group(0), f"{name} = '-({m.group(1)})'"


def _upstream_forgotten(model: Model, files: dict[str, str]) -> Edit | None:
    """A sum's backward that forgets to multiply by what it received."""
    for node in model.nodes:
        text = files.get(f"{node.name}.py", "")
        line = body(text, "backward")
        got = upstream(model, node.name)
        if (
            len(node.args) > 1
            and line
            and re.fullmatch(rf'    return \{{(?:"\w+": {got}, )*"\w+": {got}\}}', line)
        ):
            return (
                f"{node.name}.py",
                line,
                line.replace(got, "1") + f"  # the upstream {got} forgotten",
            )
    return None


def _quiz(model: Model, files: dict[str, str]) -> list[Edit]:
    """A one-argument function said to take a second argument too, and to output a sum."""
    text = files.get("prep.py", "")
    node = next((n for n in model.nodes if len(n.args) == 1 and n.name != model.loss), None)
    if node is None:
        return []
    other = next(n.name for n in model.nodes if n.name != node.name)
    edits = []
    args = f"'{node.name}': {list(node.args)!r},"
    if args in text:
        edits.append(("prep.py", args, f"'{node.name}': {[*node.args, other]!r},"))
    m = re.search(rf"'{node.name}': '(\w+)',", text)
    if m and m.group(1) != "sum":
        edits.append(("prep.py", m.group(0), f"'{node.name}': 'sum',"))  # fed a sum, not one
    return edits


SLIPS = {
    "the derivative by the other argument": _derivative_of_another,
    "the function itself for its derivative": _function_itself,
    "the loss's derivative with its sign lost": _lost_sign,
    "a sum's backward without its upstream": _upstream_forgotten,
}


def mistakes(model: Model, files: dict[str, str], say=print) -> list[Edit]:
    """The slips of mistakes/, each where this model has a place for it."""
    found = []
    for what, where in SLIPS.items():
        edit = where(model, files)
        if edit is None:
            say(f"samples: mistakes/: skipped {what} (the model has no place for it)")
        else:
            found.append(edit)
    return found + _quiz(model, files)


def broken(model: Model, files: dict[str, str]) -> list[Edit]:
    """Code that does not run, wherever the model puts it."""
    first, second = model.nodes[0], model.nodes[min(3, len(model.nodes) - 1)]
    found = []
    signature = re.search(rf"(?m)^def {first.name}\(.*\):$", files.get(f"{first.name}.py", ""))
    if signature:  # a syntax error: the whole file is lost
        found.append((f"{first.name}.py", signature.group(0), signature.group(0)[:-1]))
    line = body(files.get(f"{second.name}.py", ""), second.name)
    if line:  # an exception: a name nobody defined
        found.append((f"{second.name}.py", line + "\n", f"{line} + undefined_name\n"))
    unary = next((n for n in model.nodes if len(n.args) == 1 and n.name != model.loss), None)
    line = body(files.get(f"{unary.name}.py", ""), unary.name) if unary else None
    if unary and line:  # an endless loop
        found.append((f"{unary.name}.py", line + "\n", "    while True:\n        pass\n"))
    loss = model.node(model.loss)
    m = re.search(
        rf"(?m)^d{loss.name}_d{loss.args[0]}_formula = (.*)$", files.get(f"{loss.name}.py", "")
    )
    if m:  # a wrong type for a formula
        found.append(
            (f"{loss.name}.py", m.group(0), m.group(0).replace(m.group(1), f"[{m.group(1)}]"))
        )
    return found


def edited(files: dict[str, str], edits: list[Edit]) -> dict[str, str]:
    files = dict(files)
    for name, old, new in edits:
        assert files[name].count(old) == 1, (name, old)
        files[name] = files[name].replace(old, new)
    return files


def build(course: Course, lang: str = "en", say=print) -> dict[str, dict[str, str]]:
    """The three samples' files, by folder name."""
    model = course.model
    out = {}
    for student in ("perfect", "mistakes", "broken"):
        files = dict(stubs(course, lang, solution=True, student=student))
        if student == "mistakes":
            files = edited(files, mistakes(model, files, say))
        elif student == "broken":
            files = edited(files, broken(model, files))
            files.pop(f"{LEFT_OUT}.py", None)
        out[student] = files
    return out


def make(out: Path = HERE, lang: str = "en", course_dir: Path = HERE.parent, say=print) -> None:
    """Write the three samples of the course in ``course_dir`` (the live one by default; the
    tests keep a copy made from their fixture course) to ``out``: all built first, then each
    folder written beside and swapped in."""
    samples = build(load_course(course_dir / "course.yml"), lang, say)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out, prefix=".new-") as tmp:
        for student, files in samples.items():
            folder = Path(tmp) / student
            folder.mkdir()
            for name, text in files.items():
                (folder / name).write_text(text, encoding="utf-8")
        for student in samples:
            shutil.rmtree(out / student, ignore_errors=True)
            (Path(tmp) / student).rename(out / student)


if __name__ == "__main__":
    # python3 samples/make.py [COURSE_DIR OUT]: the live course's samples, or another's
    if len(sys.argv) == 3:
        make(out=Path(sys.argv[2]), course_dir=Path(sys.argv[1]))
    else:
        make()
