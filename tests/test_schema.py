"""The course's own schema checker agrees with jsonschema on the published schema."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from conftest import LESSON

from reference.course.schema import validate

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((ROOT / "grader" / "course" / "exercise.schema.json").read_text())
FILES = sorted((LESSON / "exercises").glob("*.yml"))
ODD_VALUES = [3, -1, 0.5, "x", "", [], {}, None, True, ["a"], {"ru": "a"}]


def mutations(doc, path=()):
    """Every single-step change: drop a key, add an unknown one, replace any value."""
    if isinstance(doc, dict):
        for key in doc:
            yield ("drop", path, key)
            yield from mutations(doc[key], (*path, key))
        yield ("add", path, "bogus")
    elif isinstance(doc, list):
        for i, item in enumerate(doc):
            yield from mutations(item, (*path, i))
    for value in ODD_VALUES:
        yield ("set", path, value)


def apply(doc, mutation):
    op, path, arg = mutation
    doc = copy.deepcopy(doc)
    if not path and op == "set":
        return arg
    parent = doc
    for p in path[:-1] if op == "set" else path:
        parent = parent[p]
    if op == "drop":
        del parent[arg]
    elif op == "add":
        parent[arg] = 1
    else:
        parent[path[-1]] = arg
    return doc


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_same_verdict_as_jsonschema_on_every_single_mutation(path):
    oracle = jsonschema.Draft202012Validator(SCHEMA)
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert validate(doc, SCHEMA) == [] and oracle.is_valid(doc)
    every = list(mutations(doc))
    stride = max(1, len(every) // 250)  # a spread-out sample keeps the file fast
    seen = 0
    for m in every[::stride]:
        changed = apply(doc, m)
        mine = validate(changed, SCHEMA)
        assert bool(mine) == (not oracle.is_valid(changed)), (m, mine)
        for err in mine:
            assert err.text["en"] and err.text["ru"]
        seen += 1
    assert seen > 100


def test_every_error_is_reported_not_only_the_first():
    doc = yaml.safe_load((LESSON / "exercises" / "A.yml").read_text(encoding="utf-8"))
    doc["questions"][0]["promt"] = doc["questions"][0].pop("prompt")
    doc["questions"][1]["points"] = "two"
    del doc["title"]["ru"]
    errors = validate(doc, SCHEMA)
    kinds = sorted(e.keyword for e in errors)
    assert kinds == ["additionalProperties", "required", "required", "type"]
    unknown = next(e for e in errors if e.keyword == "additionalProperties")
    assert "did you mean 'prompt'" in unknown.text["en"] and unknown.path == (
        "questions",
        0,
        "promt",
    )
