"""A student's value made plain JSON, against exact types (no rigged __eq__ or __float__
survives), or the problem with it as a message key and fields the grader words."""

from __future__ import annotations

import contextlib
import json
import math
import types


def type_name(value: object) -> str:
    try:
        name = type(value).__name__
        if type(name) is str:
            return name[:60]
    except BaseException:
        pass
    return "object"


def message(key: str, **fields: str) -> dict:
    """A message the grader words in the report's language: a key of its table
    (``grader.sandbox.protocol.MESSAGES``) and the few facts it needs, as strings."""
    return {"key": key, "fields": fields}


_np: types.ModuleType | None = None
_NP_NUMBERS: frozenset = frozenset()
_NP_BOOL: type | None = None
_NP_ARRAY: type | None = None


def init_numpy() -> None:
    """Take numpy's exact scalar types once, in the server, before any student code."""
    global _np, _NP_NUMBERS, _NP_BOOL, _NP_ARRAY
    try:
        import numpy
    except Exception:  # numpy is optional for the runner
        return
    _np = numpy
    _NP_NUMBERS = frozenset(
        t for t in set(numpy.sctypeDict.values()) if issubclass(t, (numpy.integer, numpy.floating))
    )
    _NP_BOOL = numpy.bool_
    _NP_ARRAY = numpy.ndarray


def brief(value: object) -> dict:
    """What a value is, as fields of a message (form, type, detail), running no student code
    (no repr of unknown types); the grader words it."""
    t = type(value)
    if t is str:
        text = value if len(value) <= 40 else value[:39] + "…"  # type: ignore[arg-type, index]
        return {"form": "str", "type": "str", "detail": repr(text)}
    if t in (float, complex, bool, type(None)):
        return {"form": "plain", "type": t.__name__, "detail": repr(value)}
    if t is int:
        if abs(value) < 10**30:  # type: ignore[arg-type]
            return {"form": "plain", "type": "int", "detail": str(value)}
        return {"form": "bigint", "type": "int", "detail": ""}
    if t in (list, tuple, dict, set, frozenset):
        return {"form": "container", "type": t.__name__, "detail": str(len(value))}  # type: ignore[arg-type]
    if _NP_ARRAY is not None and t is _NP_ARRAY:
        shape = str(tuple(value.shape))  # type: ignore[attr-defined]
        return {"form": "array", "type": "ndarray", "detail": shape}
    if t in _NP_NUMBERS or (_NP_BOOL is not None and t is _NP_BOOL):
        return {"form": "numpy", "type": t.__name__, "detail": ""}
    if isinstance(value, types.FunctionType):
        return {"form": "function", "type": "function", "detail": ""}
    return {"form": "object", "type": type_name(value), "detail": ""}


def _returned(value: object, expected: str) -> dict:
    return message("returned", expected=expected, **brief(value))


def _number(value: object) -> tuple[float | None, dict | None]:
    """Exact-type check, then float() on a trusted type: nothing rigged gets through."""
    t = type(value)
    if t is float:
        x = value
    elif t is int:
        try:
            x = float(value)  # type: ignore[arg-type]
        except OverflowError:
            return None, message("int_too_large")
    elif t in _NP_NUMBERS:
        x = float(value)  # type: ignore[arg-type]
    elif _NP_ARRAY is not None and t is _NP_ARRAY:
        if value.size != 1 or value.dtype.kind not in "iuf":  # type: ignore[attr-defined]
            return None, _returned(value, "number")
        x = float(value.reshape(-1)[0])  # type: ignore[attr-defined]
    else:
        return None, _returned(value, "number")
    if not math.isfinite(x):  # type: ignore[arg-type]
        return None, message("not_finite", value=repr(x))
    return float(x), None  # type: ignore[arg-type]


def convert(value: object, expect: str, max_bytes: int) -> tuple[object, dict | None]:
    """(plain JSON value, None) or (None, the problem as a message key and fields)."""
    if expect == "number":
        return _number(value)
    if expect == "numbers":
        if type(value) is not dict:
            return None, _returned(value, "numbers")
        out: dict[str, float] = {}
        for key, item in list(value.items()):  # type: ignore[attr-defined]
            if type(key) is not str:
                return None, message("bad_key", **brief(key))
            x, problem = _number(item)
            if problem:
                problem["fields"]["at"] = key[:40]
                return None, problem
            out[key] = x  # type: ignore[assignment]
        value = out
    elif expect in ("text", "formula"):
        if expect == "formula" and type(value) in (int, float):  # a number, unquoted: its text
            value = repr(value)
        if type(value) is not str:
            return None, _returned(value, "str")
    elif expect == "json":
        value, problem = _jsonable(value, 0, max_bytes)
        if problem:
            return None, problem
    else:
        return None, message("unknown_expect", expect=str(expect)[:40])
    size = len(json.dumps(value, ensure_ascii=True, allow_nan=False))
    if size > max_bytes:
        return None, message("too_big", size=str(size), limit=str(max_bytes))
    return value, None


def _jsonable(value: object, depth: int, max_bytes: int) -> tuple[object, dict | None]:
    if depth > 20:
        return None, message("too_deep")
    t = type(value)
    if value is None or t in (bool, str):
        return value, None
    if t is int:
        if abs(value) < 2**53:  # type: ignore[arg-type]
            return value, None
        return _number(value)
    if t is float or t in _NP_NUMBERS or t is _NP_ARRAY:
        if t in _NP_NUMBERS and issubclass(t, _np.integer):  # type: ignore[union-attr]
            return _jsonable(int(value), depth, max_bytes)  # type: ignore[call-overload]
        if t is _NP_ARRAY:
            if value.dtype.kind not in "biuf" or value.size > max_bytes:  # type: ignore[attr-defined]
                return None, _returned(value, "values")
            return _jsonable(value.tolist(), depth, max_bytes)  # type: ignore[attr-defined]
        return _number(value)
    if _NP_BOOL is not None and t is _NP_BOOL:
        return bool(value), None
    if t in (list, tuple, set, frozenset):
        if len(value) > max_bytes:  # type: ignore[arg-type]
            return None, message("too_large", **brief(value))
        items = []
        for item in list(value):  # type: ignore[call-overload]
            conv, problem = _jsonable(item, depth + 1, max_bytes)
            if problem:
                return None, problem
            items.append(conv)
        if t in (set, frozenset):
            with contextlib.suppress(TypeError):
                items.sort(key=lambda v: (type(v).__name__, v))
        return items, None
    if t is dict:
        if len(value) > max_bytes:  # type: ignore[arg-type]
            return None, message("too_large", **brief(value))
        out = {}
        for key, item in list(value.items()):  # type: ignore[attr-defined]
            if type(key) is not str:
                return None, message("bad_key", **brief(key))
            conv, problem = _jsonable(item, depth + 1, max_bytes)
            if problem:
                return None, problem
            out[key] = conv
        return out, None
    return None, _returned(value, "plain")
