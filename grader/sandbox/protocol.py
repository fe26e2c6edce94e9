"""What crosses the sandbox's boundary, and how an answer is checked on this side of it.

A request goes in (:class:`Request`), an outcome comes back (:class:`Outcome`).  The result frames
the sandboxed runner writes go through :func:`outcome_of`, the one validator that turns a frame
into an Outcome: values are checked again as plain JSON against the expected shape, text is cut and
its control characters shown, whatever the frame claims.  This module runs no student code.
"""

from __future__ import annotations

import contextlib
import math
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

from reference.catalogue import FALLBACK, sentences
from reference.i18n import Text, same, t

__all__ = [
    "EXPECTS",
    "MAX_SOURCE_BYTES",
    "STATUSES",
    "Budget",
    "InvalidFrame",
    "Limits",
    "Outcome",
    "Request",
    "SandboxError",
    "checked_value",
    "clean_text",
    "clean_where",
    "message",
    "outcome_of",
]

EXPECTS = ("number", "numbers", "text", "formula", "json")
STATUSES = ("ok", "error", "timeout", "missing")
MAX_SOURCE_BYTES = 1 << 20


@dataclass(frozen=True)
class Request:
    """One value to fetch from a student module: an attribute, or a call with floats."""

    module: str
    name: str
    args: tuple[float, ...] | None = None
    expect: str = "number"


@dataclass(frozen=True)
class Outcome:
    """What came back for one request; `value` is set only when `status` is "ok".

    `error` is the message in English (what callers read before there was `text`); `text`
    is the same message in every language, when the sandbox knows it in more than one.
    """

    status: str
    value: object = None
    error: str = ""
    where: str = ""
    output: str = ""
    text: Text | None = field(default=None, compare=False)
    budget: bool = field(default=False, compare=False)  # a timeout of the submission's budget

    @property
    def message(self) -> Text:
        """The error in every language (English only where nothing better is known)."""
        return self.text if self.text is not None else same(self.error)


@dataclass(frozen=True)
class Limits:
    """Resource limits of one child; `call_timeout` is per request, import included."""

    call_timeout: float = 2.0
    cpu_seconds: int = 10
    memory_bytes: int = 1 << 30
    file_bytes: int = 1 << 20
    output_bytes: int = 2048
    max_value_bytes: int = 65536


class Budget:
    """Wall-clock seconds one submission's requests may take together, across every
    ``Sandbox.run`` for it (the graded questions and a custom hidden test's calls).

    Only the time spent running this submission counts, so the other submissions of a batch
    do not use it up.  Once it is spent, what is left is ``timeout`` at once.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = float(seconds)
        self.used = 0.0

    @property
    def left(self) -> float:
        return max(0.0, self.seconds - self.used)

    @contextlib.contextmanager
    def running(self) -> Iterator[float]:
        """The deadline (``time.monotonic()``) of a run that starts now; its time is spent."""
        start = time.monotonic()
        try:
            yield start + self.left
        finally:
            self.used += time.monotonic() - start

    def outcome(self) -> Outcome:
        """What a request gets once the budget is spent."""
        text = t("sandbox.budget_ran_out", seconds=self.seconds)
        return Outcome("timeout", error=text["en"], text=text, budget=True)


class SandboxError(RuntimeError):
    """The sandbox itself failed (not the student's code): grading should stop or retry."""


class InvalidFrame(Exception):
    """A result frame that breaks the protocol (an unknown status, a value of a wrong shape)."""


# ---------------------------------------------------------------------------- text

CONTROL = {c: f"\\x{c:02x}" for c in [*range(32), 127] if chr(c) not in "\n\t"}
CONTROL.update({c: f"\\x{c:02x}" for c in range(0x80, 0xA0)})
CONTROL.update({c: "\ufffd" for c in range(0xD800, 0xE000)})  # lone surrogates: not UTF-8


def clean_text(value: object, limit: int, newlines: bool = False) -> str:
    """Truncate, show control characters (terminal escapes) as \\xNN and replace lone
    surrogates (which no UTF-8 file can hold); "" if not a str."""
    if not isinstance(value, str):
        return ""
    value = value if len(value) <= limit else value[: limit - 1] + "…"
    value = value.translate(CONTROL)
    return value if newlines else value.replace("\n", " ").replace("\t", " ")


def clean_where(value: object) -> str:
    """``A.py:12`` as the runner reports a place, or "" for anything else."""
    if not isinstance(value, str) or len(value) > 200:
        return ""
    name, _, line = value.rpartition(":")
    if name.endswith(".py") and name[:-3].isidentifier() and line.isdigit():
        return value
    return ""


# ---------------------------------------------------------------------------- messages

# The runner cannot import the project (it is sent to the sandbox as text), so it sends a
# message key and a few fields, all strings; this table words them in every language, by
# the catalogue's sentences (``sandbox.<key>``).  The fields are the student's data: cleaned
# and cut here, and only ever inserted into our own wording, never used as a template.

_BRIEF = ("form", "type", "detail")
_FIELD_LIMIT = {"message": 300, "code": 60, "at": 40, "detail": 60}  # others: 80

#: What a function was expected to return, as ``returned`` says it.
_EXPECTED = {
    "number": t("sandbox.expected_number"),
    "numbers": t("sandbox.expected_numbers"),
    "str": t("sandbox.expected_str"),
    "values": t("sandbox.expected_values"),
    "plain": t("sandbox.expected_plain"),
}


def _brief(f: Mapping[str, str], accusative: bool = False) -> Text:
    """A value as the runner described it: 'int 2', 'list of 3 items', 'Foo object'
    (``accusative``: as the object of "returned", for the languages that decline it)."""
    form, kind, detail = f["form"], f["type"], f["detail"]
    if form == "str":
        if accusative:
            return t("sandbox.brief_str_accusative", detail=detail)
        return t("sandbox.brief_str", detail=detail)
    if form == "plain":
        return same(f"{kind} {detail}")
    if form == "bigint":
        return t("sandbox.brief_bigint")
    if form == "container":
        n = int(detail) if detail.isdigit() else 2
        return t("sandbox.brief_container", kind=kind, detail=detail, n=n)
    if form == "array":
        return t("sandbox.brief_array", detail=detail)
    if form == "numpy":
        return same(f"numpy {kind}")
    if form == "function":
        if accusative:
            return t("sandbox.brief_function_accusative")
        return t("sandbox.brief_function")
    return t("sandbox.brief_object", kind=kind)


def _exception(f: Mapping[str, str]) -> Text:
    """``ZeroDivisionError: …``; a common type is explained beside its name where the
    catalogue has ``sandbox.exception.<type>``."""
    kind, msg = f["type"], f["message"]
    if f"sandbox.exception.{kind}" in sentences(FALLBACK, "sandbox"):
        name = t(f"sandbox.exception.{kind}")
    else:
        name = t("sandbox.exception_other", kind=kind)
    return t("sandbox.exception", exception=name, message=msg) if msg else name


def _exited(f: Mapping[str, str]) -> Text:
    code, subject = f["code"], f["subject"]
    if f["doing"] == "import":
        return t("sandbox.exited_import", code=code, subject=subject)
    return t("sandbox.exited_call", code=code, subject=subject)


def _no_name(f: Mapping[str, str]) -> Text:
    module, name = f["module"], f["name"]
    if f["what"] == "function":
        return t("sandbox.no_name_function", module=module, name=name)
    return t("sandbox.no_name_variable", module=module, name=name)


#: key -> (its fields, its wording: the catalogue's ``sandbox.<key>``, or a choice among its
#: variants, with what the fields say worded first); a frame with another key or other
#: fields is refused.
MESSAGES: dict[str, tuple[tuple[str, ...], Callable[[Mapping[str, str]], Text]]] = {
    "exception": (("type", "message"), _exception),
    "exited": (("code", "doing", "subject"), _exited),
    "no_name": (("module", "name", "what"), _no_name),
    "not_function": (
        ("name", *_BRIEF),
        lambda f: t("sandbox.not_function", name=f["name"], it=_brief(f)),
    ),
    "returned": (
        ("expected", *_BRIEF),
        lambda f: t(
            "sandbox.returned",
            it=_brief(f, accusative=True),
            expected=_EXPECTED[f["expected"]],
        ),
    ),
    "bad_key": (_BRIEF, lambda f: t("sandbox.bad_key", it=_brief(f))),
    "too_large": (_BRIEF, lambda f: t("sandbox.too_large", it=_brief(f, accusative=True))),
    "too_big": (
        ("size", "limit"),
        lambda f: t("sandbox.too_big", size=f["size"], limit=f["limit"]),
    ),
    "not_finite": (("value",), lambda f: t("sandbox.not_finite", value=f["value"])),
    "int_too_large": ((), lambda f: t("sandbox.int_too_large")),
    "too_deep": ((), lambda f: t("sandbox.too_deep")),
    "unknown_expect": (("expect",), lambda f: t("sandbox.unknown_expect", expect=f["expect"])),
}

#: Fields whose value is one of a few words (anything else breaks the protocol).
_CHOICES = {
    "doing": ("import", "call"),
    "what": ("function", "variable"),
    "expected": tuple(_EXPECTED),
    "form": ("str", "plain", "bigint", "container", "array", "numpy", "function", "object"),
    "value": ("nan", "inf", "-inf"),
}


def message(key: object, fields: object) -> Text:
    """The runner's message `key` with `fields`, in every language; InvalidFrame if the pair
    is not one of :data:`MESSAGES` with exactly its fields (and an optional ``at``: the dict
    key the problem is under)."""
    entry = MESSAGES.get(key) if isinstance(key, str) else None
    if entry is None or not isinstance(fields, dict):
        raise InvalidFrame("an unknown message")
    names, word = entry
    if set(fields) - {"at"} != set(names) or not all(type(v) is str for v in fields.values()):
        raise InvalidFrame("a message with wrong fields")
    clean = {k: clean_text(v, _FIELD_LIMIT.get(k, 80)) for k, v in fields.items()}
    for k, allowed in _CHOICES.items():
        if k in clean and clean[k] not in allowed:
            raise InvalidFrame("a message with wrong fields")
    if not all(clean[k].isdigit() for k in ("size", "limit") if k in clean):
        raise InvalidFrame("a message with wrong fields")
    text = word(clean)
    if "at" in clean:
        text = t("sandbox.at_key", at=clean["at"], message=text)
    return text


# ---------------------------------------------------------------------------- values


def _as_number(value: object) -> float | None:
    if type(value) in (int, float):
        try:
            x = float(value)  # type: ignore[arg-type]
        except OverflowError:
            return None
        return x if math.isfinite(x) else None
    return None


def _json_ok(value: object) -> bool:
    stack = [value]
    while stack:
        item = stack.pop()
        if item is None or type(item) in (bool, str, int):
            continue
        if type(item) is float:
            if not math.isfinite(item):  # type: ignore[arg-type]
                return False
        elif type(item) is list:
            stack.extend(item)  # type: ignore[arg-type]
        elif type(item) is dict:
            if not all(type(k) is str for k in item):  # type: ignore[attr-defined]
                return False
            stack.extend(item.values())  # type: ignore[attr-defined]
        else:
            return False
    return True


def checked_value(value: object, expect: str, max_bytes: int) -> tuple[bool, object]:
    """(valid?, value): a value that came out of student code, checked whatever it claims.

    Exact JSON types only: a finite float for "number", a dict of them for "numbers", a str
    of at most `max_bytes` for "text" and "formula", plain JSON for "json".
    """
    if expect == "number":
        x = _as_number(value)
        return x is not None, x
    if expect == "numbers":
        if type(value) is not dict or not all(type(k) is str for k in value):
            return False, None
        out = {k: _as_number(v) for k, v in value.items()}
        return all(v is not None for v in out.values()), out
    if expect in ("text", "formula"):  # a formula's unquoted number comes as its text
        ok = type(value) is str and len(value.encode("utf-8", "surrogatepass")) <= max_bytes
        return ok, value
    if expect == "json":
        return _json_ok(value), value
    return False, None


def outcome_of(
    frame: Mapping[str, object], expect: str, max_bytes: int, output: str = ""
) -> Outcome:
    """The Outcome a result frame stands for, checked; raises InvalidFrame if it breaks the
    protocol (the caller decides what that costs: the sandbox kills the child)."""
    status = frame.get("status")
    if status == "ok":
        ok, value = checked_value(frame.get("value"), expect, max_bytes)
        if not ok:
            raise InvalidFrame("an invalid value")
        return Outcome("ok", value=value, output=output)
    if status in ("error", "missing"):
        text = message(frame.get("key"), frame.get("fields"))
        return Outcome(
            str(status),
            error=text["en"],
            where=clean_where(frame.get("where")),
            output=output,
            text=text,
        )
    raise InvalidFrame("an unknown status")
