"""A small interpreter of the JSON Schema subset exercise.schema.json uses.

The schema file is for editors (completion and checks while a teacher types); the course
checks files against the very same file at load time.  ``jsonschema`` would do, but it
imports its optional format checkers, which costs over a second at every ``grade`` start;
this covers the keywords the schema uses, reports every error (not just the first), and
phrases each for a teacher in English and Russian.  The test suite checks it against
``jsonschema`` on mutated files.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from reference.i18n import LANGUAGES, Text, did_you_mean, join, t

TYPES = {
    "object": lambda x: isinstance(x, dict),
    "array": lambda x: isinstance(x, list),
    "string": lambda x: isinstance(x, str),
    "number": lambda x: isinstance(x, (int, float)) and not isinstance(x, bool),
    "integer": lambda x: isinstance(x, int) and not isinstance(x, bool),
    "boolean": lambda x: isinstance(x, bool),
    "null": lambda x: x is None,
}


@dataclass(frozen=True)
class SchemaError:
    """One place where a file breaks the schema: a finding the caller reports (at the line of
    ``path``) as a course problem, not an exception."""

    path: tuple[Any, ...]
    keyword: str
    text: Text


def _error(path: tuple[Any, ...], keyword: str, text: Text) -> SchemaError:
    return SchemaError(path, keyword, text)


def validate(data: Any, schema: dict) -> list[SchemaError]:
    return list(_check(data, schema, schema, ()))


def _deref(schema: dict, root: dict) -> dict:
    """Follow local ``$ref``s (``#/$defs/name``)."""
    for _ in range(20):
        if "$ref" not in schema:
            return schema
        target = root
        for part in schema["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        schema = target
    raise ValueError("schema $ref loop")


def _where(path: tuple) -> str:
    return ".".join(str(p) for p in path) or "the file"


def _check(x: Any, schema: dict, root: dict, path: tuple) -> Iterator[SchemaError]:
    schema = _deref(schema, root)
    where = _where(path)
    if "oneOf" in schema:
        matches = [s for s in schema["oneOf"] if not any(_check(x, s, root, path))]
        if len(matches) != 1:
            yield _error(
                path,
                "oneOf",
                t("course.does_not_fit_any_allowed", where=where, x=x),
            )
        return
    if "enum" in schema and x not in schema["enum"]:
        choices = ", ".join(map(str, schema["enum"]))
        yield _error(
            path,
            "enum",
            t("course.not_one", where=where, x=x, choices=choices),
        )
        return
    kinds = schema.get("type")
    if kinds is not None:
        kinds = [kinds] if isinstance(kinds, str) else kinds
        if not any(TYPES[k](x) for k in kinds):
            want = " or ".join(kinds)
            yield _error(
                path,
                "type",
                t("course.expected_found", where=where, want=want, x=x),
            )
            return
    if isinstance(x, dict):
        yield from _object(x, schema, root, path)
    elif isinstance(x, list):
        if len(x) < schema.get("minItems", 0):
            yield _error(
                path,
                "minItems",
                t("course.needs_at_least_items", where=where, minitems=schema["minItems"]),
            )
        if "maxItems" in schema and len(x) > schema["maxItems"]:
            yield _error(
                path,
                "maxItems",
                t("course.at_most_items", where=where, maxitems=schema["maxItems"]),
            )
        if "items" in schema:
            for i, item in enumerate(x):
                yield from _check(item, schema["items"], root, (*path, i))
    elif isinstance(x, str):
        if len(x) < schema.get("minLength", 0):
            yield _error(path, "minLength", t("course.must_not_empty", where=where))
        if "pattern" in schema and not re.search(schema["pattern"], x):
            yield _error(
                path,
                "pattern",
                t("course.not_valid_name_letters_digits", where=where, x=x),
            )
    elif TYPES["number"](x):
        yield from _bounds(x, schema, path, where)


def _bounds(x: float, schema: dict, path: tuple, where: str) -> Iterator[SchemaError]:
    low, high, above = (schema.get(k) for k in ("minimum", "maximum", "exclusiveMinimum"))
    if low is not None and not x >= low:
        yield _error(path, "minimum", t("course.must_be_at_least", where=where, bound=low))
    if high is not None and not x <= high:
        yield _error(path, "maximum", t("course.must_be_at_most", where=where, bound=high))
    if above is not None and not x > above:
        yield _error(
            path, "exclusiveMinimum", t("course.must_be_greater_than", where=where, bound=above)
        )


def _object(x: dict, schema: dict, root: dict, path: tuple) -> Iterator[SchemaError]:
    where = _where(path)
    props = schema.get("properties", {})
    for key in schema.get("required", ()):
        if key not in x:
            if key in LANGUAGES:
                yield _error(path, "required", _text_missing(where, key))
            else:
                yield _error(
                    path,
                    "required",
                    t("course.missing_required_key", where=where, key=key),
                )
    if not schema.get("minProperties", 0) <= len(x) <= schema.get("maxProperties", len(x)):
        yield _error(path, "properties", t("course.write_exactly_one_key", where=where))
    extra = schema.get("additionalProperties", True)
    for key, value in x.items():
        if key in props:
            yield from _check(value, props[key], root, (*path, key))
        elif extra is False:
            hint = did_you_mean(str(key), props)
            yield _error(
                (*path, key),
                "additionalProperties",
                join([t("course.unknown_key", key=key), hint], sep=""),
            )
        elif isinstance(extra, dict):
            yield from _check(value, extra, root, (*path, key))


def _text_missing(where: str, code: str) -> Text:
    """``where: the Russian text ('ru:') is missing``: a sentence of its own for each language
    the catalogue names (``course.text_missing_<code>``), any other language by its code."""
    try:
        return t(f"course.text_missing_{code}", where=where)
    except KeyError:
        return t("course.text_missing", where=where, code=code)
