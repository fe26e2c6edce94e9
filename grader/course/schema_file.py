"""Write ``exercise.schema.json`` as the loader composes it: the shipped file (what editors
read to complete the YAML) then names every registered kind and each kind's own fields.

    python -m grader.course.schema_file
"""

from __future__ import annotations

import json
from pathlib import Path

from grader.course.loader import SCHEMA, _schema


def text() -> str:
    return json.dumps(_schema(), ensure_ascii=False, indent=2) + "\n"


def main() -> None:
    path = Path(__file__).with_name(SCHEMA)
    path.write_text(text(), encoding="utf-8")
    print(path)


if __name__ == "__main__":
    main()
