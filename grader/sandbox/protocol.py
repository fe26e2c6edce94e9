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

from reference.i18n import Text, plural_en, plural_ru, same, t

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
        text = t(
            f"the submission's time budget ran out ({self.seconds:g} s for all its code "
            "together); this question was not finished",
            f"время на работу истекло ({self.seconds:g} с на весь её код вместе); "
            "этот вопрос не был досчитан",
        )
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
# message key and a few fields, all strings; this table words them in every language.  The
# fields are the student's data: cleaned and cut here, and only ever inserted into our own
# wording, never used as a template.

_BRIEF = ("form", "type", "detail")
_FIELD_LIMIT = {"message": 300, "code": 60, "at": 40, "detail": 60}  # others: 80

#: Common exception types, said in Russian beside their name.
_EXCEPTIONS_RU = {
    "SyntaxError": "синтаксическая ошибка",
    "IndentationError": "ошибка отступов",
    "TabError": "ошибка отступов",
    "NameError": "неизвестное имя",
    "UnboundLocalError": "переменная без значения",
    "ZeroDivisionError": "деление на ноль",
    "TypeError": "ошибка типа",
    "ValueError": "недопустимое значение",
    "AttributeError": "нет такого атрибута",
    "KeyError": "нет такого ключа",
    "IndexError": "индекс вне списка",
    "ImportError": "ошибка импорта",
    "ModuleNotFoundError": "модуль не найден",
    "NotImplementedError": "не реализовано",
    "RecursionError": "слишком глубокая рекурсия",
    "OverflowError": "переполнение",
    "MemoryError": "не хватило памяти",
    "AssertionError": "не выполнено утверждение assert",
    "KeyboardInterrupt": "прервано",
    "OSError": "ошибка ввода-вывода",
}

_EXPECTED = {
    "number": t("a number", "число"),
    "numbers": t("a dict of numbers", "словарь чисел"),
    "str": t("a str", "строка (str)"),
    "values": t("plain values", "простые значения"),
    "plain": t(
        "str, number, bool, None, list or dict", "str, число, bool, None, список или словарь"
    ),
}


def _brief(f: Mapping[str, str], accusative: bool = False) -> Text:
    """A value as the runner described it: 'int 2', 'list of 3 items', 'Foo object'."""
    form, kind, detail = f["form"], f["type"], f["detail"]
    if form == "str":
        return t(f"str {detail}", f"{'строку' if accusative else 'строка'} {detail}")
    if form == "plain":
        return same(f"{kind} {detail}")
    if form == "bigint":
        return t("a very large int", "очень большое целое число")
    if form == "container":
        n = int(detail) if detail.isdigit() else 2
        return t(
            f"{kind} of {detail} {plural_en(n, 'item')}",
            f"{kind} из {detail} {plural_ru(n, 'элемента', 'элементов', 'элементов')}",
        )
    if form == "array":
        return t(f"numpy array of shape {detail}", f"массив numpy формы {detail}")
    if form == "numpy":
        return same(f"numpy {kind}")
    if form == "function":
        return t("a function", "функцию" if accusative else "функция")
    return t(f"{kind} object", f"объект {kind}")


def _exception(f: Mapping[str, str]) -> Text:
    kind, msg = f["type"], f["message"]
    gloss = _EXCEPTIONS_RU.get(kind)
    ru = f"{kind} ({gloss})" if gloss else f"исключение {kind}"
    return t(f"{kind}: {msg}" if msg else kind, f"{ru}: {msg}" if msg else ru)


def _exited(f: Mapping[str, str]) -> Text:
    code, subject = f["code"], f["subject"]
    if f["doing"] == "import":
        doing = t(f"importing {subject}.py", f"при импорте {subject}.py")
    else:
        doing = t(f"computing {subject}", f"при вычислении {subject}")
    return t(
        f"the program exited (sys.exit({code})) while {doing['en']}",
        f"программа завершилась (sys.exit({code})) {doing['ru']}",
    )


def _no_name(f: Mapping[str, str]) -> Text:
    module, name = f["module"], f["name"]
    if f["what"] == "function":
        return t(f"{module}.py has no function {name}", f"в {module}.py нет функции {name}")
    return t(f"{module}.py has no variable {name}", f"в {module}.py нет переменной {name}")


def _not_function(f: Mapping[str, str]) -> Text:
    it = _brief(f)
    return t(
        f"{f['name']} is not a function (it is {it['en']})",
        f"{f['name']} — не функция (это {it['ru']})",
    )


def _returned(f: Mapping[str, str]) -> Text:
    it, expected = _brief(f, accusative=True), _EXPECTED[f["expected"]]
    return t(
        f"returned {it['en']}, expected {expected['en']}",
        f"вернула {it['ru']}, а ожидается {expected['ru']}",
    )


def _bad_key(f: Mapping[str, str]) -> Text:
    it = _brief(f)
    return t(
        f"returned a dict with key {it['en']}, expected str keys",
        f"вернула словарь с ключом {it['ru']}, а ключи должны быть строками",
    )


def _too_large(f: Mapping[str, str]) -> Text:
    it = _brief(f, accusative=True)
    return t(f"returned {it['en']}, too large", f"вернула {it['ru']}: слишком много")


def _too_big(f: Mapping[str, str]) -> Text:
    size, limit = f["size"], f["limit"]
    return t(
        f"returned an answer of {size} bytes, more than {limit}",
        f"вернула ответ в {size} байт, больше {limit}",
    )


def _not_finite(f: Mapping[str, str]) -> Text:
    return t(
        f"returned {f['value']}, expected a finite number",
        f"вернула {f['value']}, а ожидается конечное число",
    )


#: key -> (its fields, its wording); a frame with another key or other fields is refused.
MESSAGES: dict[str, tuple[tuple[str, ...], Callable[[Mapping[str, str]], Text]]] = {
    "exception": (("type", "message"), _exception),
    "exited": (("code", "doing", "subject"), _exited),
    "no_name": (("module", "name", "what"), _no_name),
    "not_function": (("name", *_BRIEF), _not_function),
    "returned": (("expected", *_BRIEF), _returned),
    "bad_key": (_BRIEF, _bad_key),
    "too_large": (_BRIEF, _too_large),
    "too_big": (("size", "limit"), _too_big),
    "not_finite": (("value",), _not_finite),
    "int_too_large": (
        (),
        lambda f: t(
            "returned an int too large for a float, expected a number",
            "вернула целое число, слишком большое для float, а ожидается число",
        ),
    ),
    "too_deep": (
        (),
        lambda f: t(
            "returned a value nested too deeply",
            "вернула значение со слишком глубокой вложенностью",
        ),
    ),
    "unknown_expect": (
        ("expect",),
        lambda f: t(
            f"unknown expectation {f['expect']!r}", f"неизвестный тип ответа {f['expect']!r}"
        ),
    ),
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
        at = clean["at"]
        text = t(f"for key {at!r}: {text['en']}", f"для ключа {at!r}: {text['ru']}")
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
