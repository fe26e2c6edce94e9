"""The public checks: what a student's own check may say of an answer, by its form.

Standard library only, and no name from outside this file: ``course release`` copies its
source into the release's ``check.py`` and ``course nbgrader`` into each notebook's helper
cell, so both checkers give the same verdicts in the same words.  A question's public data
(:meth:`grader.kinds.base.Kind.public`) names its *form* and what the form needs (options,
keys); a function is checked on public examples instead.  A new kind that reuses a form
needs nothing here.  Nothing here knows an answer: forms only, and the examples given.

Verdicts: a check returns a note (shown when it passes; may be ""), or raises NotDone (the
answer is still the stub's) or Wrong (a message that names what is wrong).  Whatever the
student's own code raises goes through unchanged, except NotImplementedError (the stub's).
"""

import math

LANG = "en"  # the generated checkers set their language after this source

MESSAGES = {
    "en": {
        "todo": "not attempted",
        "not_function": "{what} should be a function",
        "expected_number": "{what}: expected a number, got {got}",
        "not_finite": "{what}: {got} is not a finite number",
        "expected_dict": "{what}: expected a dict with the keys {keys}, got {got}",
        "missing_keys": "{what}: missing in the dict: {keys}",
        "extra_keys": "{what}: not expected in the dict: {keys}",
        "mismatch": "{what} returned {got}, expected {expected}",
        "expected_str": "{what}: expected a string, got {got}",
        "expected_option": "{what}: expected one of {options}, got {got}",
        "expected_set": "{what}: expected a set of some of {options}, got {got}",
        "not_options": "{what}: not among the options: {values}",
        "mapping_values": "{what}[{name}]: expected a list of names, got {got}",
        "mapping_option": "{what}[{name}]: expected one of {options}, got {got}",
        "formula_ok": "a formula; the grader checks it symbolically",
        "formula_read": "read as {shown}; the grader checks it at its own points",
        "answered": "answered — checked at grading",
        "too_large": "{what}: {got} is too large for a number",
        "number_ok": "a number; the grader checks it at your own values "
        "(python check.py --id YOUR_ID)",
        "text_ok": "written; the teacher grades it",
        "examples_ok": "{n} public examples pass",
        "values_id": "my_values: give your id as the teacher wrote it, e.g. my_values('your_id')",
        "values_of": "Your values (id {student!r}):",
    },
    "ru": {
        "todo": "не сделано",
        "not_function": "{what} должна быть функцией",
        "expected_number": "{what}: ожидалось число, а получено {got}",
        "not_finite": "{what}: {got} — не конечное число",
        "expected_dict": "{what}: ожидался словарь с ключами {keys}, а получено {got}",
        "missing_keys": "{what}: в словаре не хватает: {keys}",
        "extra_keys": "{what}: в словаре лишнее: {keys}",
        "mismatch": "{what} вернула {got}, а ожидалось {expected}",
        "expected_str": "{what}: ожидалась строка, а получено {got}",
        "expected_option": "{what}: ожидалось одно из {options}, а получено {got}",
        "expected_set": "{what}: ожидалось множество из вариантов {options}, а получено {got}",
        "not_options": "{what}: такого варианта нет: {values}",
        "mapping_values": "{what}[{name}]: нужен список имён, а получено {got}",
        "mapping_option": "{what}[{name}]: ожидалось одно из {options}, а получено {got}",
        "formula_ok": "формула есть; при оценке её проверят символьно",
        "formula_read": "прочитано как {shown}; при оценке её проверят в других точках",
        "answered": "ответ есть — его проверят при оценке",
        "too_large": "{what}: {got} — слишком большое число",
        "number_ok": "число есть; при оценке его сверят с ответом при ваших значениях "
        "(python check.py --id ВАШ_ID)",
        "text_ok": "ответ написан; его проверит учитель",
        "examples_ok": "открытых примеров пройдено: {n}",
        "values_id": "my_values: укажите свой id так, как его написал учитель, например "
        "my_values('ваш_id')",
        "values_of": "Ваши значения (id {student!r}):",
    },
}


def say(key, **fields):
    """The message ``key`` in the checker's language."""
    return MESSAGES[LANG][key].format(**fields)


class NotDone(Exception):
    """The answer is still the stub's: NotImplementedError, "", None, an empty set or dict."""


class Wrong(Exception):
    """The answer has the wrong form or value (the message says which)."""


def show(value):
    """A value as a student reads it: floats to 10 digits, long reprs cut."""
    if isinstance(value, float):
        return f"{value:.10g}"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _listed(values):
    return ", ".join(repr(v) for v in values)


def as_number(value, what):
    """``value`` as a finite float, or NotDone (None) or Wrong: the types grade accepts
    (the sandbox child's ``_number``), exactly: float, int, a numpy integer or float
    scalar, a one-element numpy array of them; never bool, str, Decimal or a subclass."""
    if value is None:
        raise NotDone
    kind = type(value)
    if kind is float:
        number = value
    elif kind is int:
        try:
            number = float(value)
        except OverflowError:
            raise Wrong(say("too_large", what=what, got=show(value))) from None
    elif _numpy_number(value):
        number = float(value.reshape(-1)[0] if kind.__name__ == "ndarray" else value)
    else:
        raise Wrong(say("expected_number", what=what, got=show(value)))
    if not math.isfinite(number):
        raise Wrong(say("not_finite", what=what, got=show(number)))
    return number


def _numpy_number(value):
    """A numpy integer or float scalar, or an ndarray of one such number (numpy is the
    student's, never imported here)."""
    kind = type(value)
    if kind.__module__ != "numpy" or getattr(value, "size", 0) != 1:
        return False
    if kind.__name__ != "ndarray" and getattr(value, "ndim", 1) != 0:
        return False  # np.matrix and other array subclasses: grade refuses them too
    return getattr(getattr(value, "dtype", None), "kind", "") in ("i", "u", "f")


def close(got, expected, tol):
    return abs(got - expected) <= tol["abs"] + tol["rel"] * abs(expected)


def example(call, expected, tol, what):
    """One public example: ``call()`` must give ``expected`` (a number, or a dict of
    numbers) within ``tol`` ({"rel", "abs"}); ``what`` is the call as the student reads it."""
    try:
        got = call()
    except NotImplementedError:
        raise NotDone from None
    if not isinstance(expected, dict):
        number = as_number(got, what)
        if not close(number, expected, tol):
            raise Wrong(say("mismatch", what=what, got=show(number), expected=show(expected)))
        return
    _keys(got, list(expected), what)
    for key, want in expected.items():
        where = f"{what}[{key!r}]"
        number = as_number(got[key], where)
        if not close(number, want, tol):
            raise Wrong(say("mismatch", what=where, got=show(number), expected=show(want)))


def _keys(got, keys, what):
    """A dict with exactly ``keys``."""
    if got is None:
        raise NotDone
    if type(got) is not dict:  # exactly, as grade takes it
        raise Wrong(say("expected_dict", what=what, keys=_listed(keys), got=show(got)))
    missing = [k for k in keys if k not in got]
    if missing:
        raise Wrong(say("missing_keys", what=what, keys=_listed(missing)))
    extra = [k for k in got if k not in keys]
    if extra:
        raise Wrong(say("extra_keys", what=what, keys=_listed(extra)))


# --- the forms: each checks a value against the question's public data -----------------------


def _number(value, what, public):
    as_number(value, what)


def as_formula_text(value):
    """A formula as grade reads it: a number written without quotes is that number's text."""
    if type(value) in (int, float):  # exactly: True is no formula
        return repr(value)
    return value


def _str(value, what, public):
    if type(value) is not str:  # exactly, as grade takes it
        raise Wrong(say("expected_str", what=what, got=show(value)))


def _option(value, what, public):
    options = public.get("options", [])
    if type(value) is not str or value not in options:
        raise Wrong(say("expected_option", what=what, options=_listed(options), got=show(value)))


def _set(value, what, public):
    options = public.get("options", [])
    if not isinstance(value, (set, frozenset, list, tuple)):
        raise Wrong(say("expected_set", what=what, options=_listed(options), got=show(value)))
    if not value:
        raise NotDone
    unknown = [v for v in value if type(v) is not str or v not in options]
    if unknown:
        raise Wrong(say("not_options", what=what, values=_listed(unknown)))


def _mapping(value, what, public):
    if isinstance(value, dict) and not value:
        raise NotDone
    _keys(value, public.get("keys", []), what)
    options = public.get("options")
    for key, names in value.items():
        if options is not None:  # one option a key (what each function outputs)
            if type(names) is not str or names not in options:
                raise Wrong(
                    say(
                        "mapping_option",
                        what=what,
                        name=repr(key),
                        options=_listed(options),
                        got=show(names),
                    )
                )
            continue
        if not isinstance(names, (list, tuple, set, frozenset)) or not all(
            isinstance(n, str) for n in names
        ):
            raise Wrong(say("mapping_values", what=what, name=repr(key), got=show(names)))


def _function(value, what, public):
    if not callable(value):
        raise Wrong(say("not_function", what=what))


FORMS = {
    "number": _number,
    "str": _str,
    "formula": _str,  # its reading is check.py's (read_formula), the grader's own parser
    "option": _option,
    "set": _set,
    "mapping": _mapping,
    "function": _function,
}


#: Forms whose answer no public check can verify: the answer is the grader's, at the
#: student's own values or hidden; a right form is "answered", never a pass.
ANSWERED = ("option", "set", "mapping")


def check_form(value, what, public, read_formula=None):
    """The form of an answer (the grader checks the rest): its note, or NotDone or Wrong.
    ``public`` is the question's public data: ``form``, and ``options``, ``keys``, ``note``
    as the form needs.  ``read_formula(text, public)``, where the grader's formula reader is
    at hand, reads a formula as grade does: it returns how it was read or raises Wrong."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise NotDone
    if public["form"] == "formula":
        value = as_formula_text(value)
    FORMS[public["form"]](value, what, public)
    if public["form"] == "formula" and read_formula is not None:
        return say("formula_read", shown=read_formula(value, public))
    note = public.get("note")
    return say(note) if note else ""
