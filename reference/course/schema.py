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

from reference.i18n import LANGUAGE_NAMES, LANGUAGES, Text, did_you_mean, t

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


def _error(path: tuple[Any, ...], keyword: str, en: str, ru: str) -> SchemaError:
    return SchemaError(path, keyword, t(en, ru))


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
                f"{where}: {x!r} does not fit any allowed form",
                f"{where}: {x!r} не подходит ни под одну допустимую форму",
            )
        return
    if "enum" in schema and x not in schema["enum"]:
        choices = ", ".join(map(str, schema["enum"]))
        yield _error(
            path,
            "enum",
            f"{where}: {x!r} is not one of: {choices}",
            f"{where}: {x!r} — не одно из: {choices}",
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
                f"{where}: expected {want}, found {x!r}",
                f"{where}: ожидался тип {want}, а записано {x!r}",
            )
            return
    if isinstance(x, dict):
        yield from _object(x, schema, root, path)
    elif isinstance(x, list):
        if len(x) < schema.get("minItems", 0):
            yield _error(
                path,
                "minItems",
                f"{where}: needs at least {schema['minItems']} items",
                f"{where}: нужно не меньше {schema['minItems']} элементов",
            )
        if "maxItems" in schema and len(x) > schema["maxItems"]:
            yield _error(
                path,
                "maxItems",
                f"{where}: at most {schema['maxItems']} items",
                f"{where}: не больше {schema['maxItems']} элементов",
            )
        if "items" in schema:
            for i, item in enumerate(x):
                yield from _check(item, schema["items"], root, (*path, i))
    elif isinstance(x, str):
        if len(x) < schema.get("minLength", 0):
            yield _error(
                path, "minLength", f"{where}: must not be empty", f"{where}: не может быть пустым"
            )
        if "pattern" in schema and not re.search(schema["pattern"], x):
            yield _error(
                path,
                "pattern",
                f"{where}: {x!r} is not a valid name (letters, digits, _)",
                f"{where}: {x!r} — недопустимое имя (латинские буквы, цифры, _)",
            )
    elif TYPES["number"](x):
        for key, ok, en, ru in (
            ("minimum", lambda v, m: v >= m, "at least", "не меньше"),
            ("maximum", lambda v, m: v <= m, "at most", "не больше"),
            ("exclusiveMinimum", lambda v, m: v > m, "greater than", "больше"),
        ):
            if key in schema and not ok(x, schema[key]):
                yield _error(
                    path,
                    key,
                    f"{where}: must be {en} {schema[key]}",
                    f"{where}: должно быть {ru} {schema[key]}",
                )


def _object(x: dict, schema: dict, root: dict, path: tuple) -> Iterator[SchemaError]:
    where = _where(path)
    props = schema.get("properties", {})
    for key in schema.get("required", ()):
        if key not in x:
            if key in LANGUAGES:
                lang = LANGUAGE_NAMES.get(key, key)
                yield _error(
                    path,
                    "required",
                    f"{where}: the {lang} text ('{key}:') is missing",
                    f"{where}: нет текста на языке '{key}'",
                )
            else:
                yield _error(
                    path,
                    "required",
                    f"{where}: missing required key '{key}'",
                    f"{where}: нет обязательного ключа '{key}'",
                )
    if not schema.get("minProperties", 0) <= len(x) <= schema.get("maxProperties", len(x)):
        yield _error(
            path, "properties", f"{where}: write exactly one key", f"{where}: нужен ровно один ключ"
        )
    extra = schema.get("additionalProperties", True)
    for key, value in x.items():
        if key in props:
            yield from _check(value, props[key], root, (*path, key))
        elif extra is False:
            hint = did_you_mean(str(key), props)
            yield _error(
                (*path, key),
                "additionalProperties",
                f"unknown key '{key}'{hint['en']}",
                f"неизвестный ключ '{key}'{hint['ru']}",
            )
        elif isinstance(extra, dict):
            yield from _check(value, extra, root, (*path, key))
