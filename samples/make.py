"""Regenerate the sample submissions from the reference (run after changing the course).

    python3 samples/make.py

perfect/  every stub filled from the reference (full marks);
mistakes/ the same with the slips students make, one per line of MISTAKES below;
broken/   code that does not run: a syntax error, an exception, an endless loop, a file left
          out, wrong types.
Each folder's name is the student id its hand-computed numbers are made for.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from publish.stubs import stubs  # noqa: E402
from reference.course.exercises import load_course  # noqa: E402

# (file, what the reference wrote, the slip)
MISTAKES = [
    ("A.py", "    return x1\n", "    return w1  # the derivative by the other argument\n"),
    (
        "S.py",
        "    return (1 - 1/(1 + math.exp(-G)))/(1 + math.exp(-G))\n",
        "    return 1/(1 + math.exp(-G))  # the function itself\n",
    ),
    ("L.py", "dL_dS_formula = '2*S - 2*gold'", "dL_dS_formula = '2*(gold - S)'"),
    (
        "G.py",
        '    return {"A": dL_dG, "B": dL_dG, "C": dL_dG}',
        '    return {"A": 1, "B": 1, "C": 1}  # the upstream dL_dG forgotten',
    ),
    ("prep.py", "'S': ['G'],", "'S': ['G', 'A'],"),
    ("prep.py", "'S': 'probability',", "'S': 'sum',"),  # S is fed the sum, it is not one
]
BROKEN = [
    ("A.py", "def A(x1, w1):", "def A(x1, w1)"),  # syntax error: the whole file is lost
    ("G.py", "    return A + B + C\n", "    return A + B + C + undefined_name\n"),
    ("S.py", "    return 1/(1 + math.exp(-G))\n", "    while True:\n        pass\n"),
    ("L.py", "dL_dS_formula = '2*S - 2*gold'", "dL_dS_formula = ['2*S', '-2*gold']"),
]
LEFT_OUT = "chain.py"


def write(folder: Path, files: dict[str, str]) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")


def edited(files: dict[str, str], edits: list[tuple[str, str, str]]) -> dict[str, str]:
    files = dict(files)
    for name, old, new in edits:
        assert files[name].count(old) == 1, (name, old)
        files[name] = files[name].replace(old, new)
    return files


def make(out: Path = HERE, lang: str = "en", course_dir: Path = HERE.parent) -> None:
    """Write the three samples of the course in ``course_dir`` (the live one by default; the
    tests keep a copy made from their fixture course) to ``out``."""
    course = load_course(course_dir / "course.yml")
    for student, edits in (("perfect", []), ("mistakes", MISTAKES), ("broken", BROKEN)):
        files = edited(dict(stubs(course, lang, solution=True, student=student)), edits)
        if student == "broken":
            files.pop(LEFT_OUT)
        write(out / student, files)


if __name__ == "__main__":
    # python3 samples/make.py [COURSE_DIR OUT]: the live course's samples, or another's
    if len(sys.argv) == 3:
        make(out=Path(sys.argv[2]), course_dir=Path(sys.argv[1]))
    else:
        make()
