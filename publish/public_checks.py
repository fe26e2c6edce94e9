"""The public checks: what a student's own check may say of an answer, by its form.

Standard library only, and no name from outside this file: ``course release`` copies its
source into the release's ``check.py`` and ``course nbgrader`` into each notebook's helper
cell, so both checkers give the same verdicts in the same words: the catalogue's (its
``checks`` domain, reference/catalogue), which the generated file writes into
:data:`MESSAGES`, since a student's Python has no catalogue.  A question's public data
(:meth:`grader.kinds.base.Kind.public`) names its *form* and what the form needs (options,
keys); a function is checked on public examples instead.  A new kind that reuses a form
needs nothing here.  Nothing here knows an answer: forms only, and the examples given.

Verdicts: a check returns a note (shown when it passes; may be ""), or raises NotDone (the
answer is still the stub's) or Wrong (a message that names what is wrong).  Whatever the
student's own code raises goes through unchanged, except NotImplementedError (the stub's).
"""

import math

#: What the checks say, by key (``checks.<name>``, and ``status.missing``): each sentence's
#: template in the checker's language.  Empty here: the file this source is copied into (a
#: release's check.py, a notebook's helper cell) sets it after it, with the sentences of the
#: course's catalogue that its code names (publish.release.messages).
MESSAGES: dict = {}

#: A question's public ``note`` (a kind's ``public_note``) → what says it.
NOTES = {
    "number_ok": lambda: say("checks.number_ok"),
    "formula_ok": lambda: say("checks.formula_ok"),
    "text_ok": lambda: say("checks.text_ok"),
}


def say(key, **fields):
    """The sentence ``key`` in the checker's language, its fields filled in (a template
    without fields is said as it is)."""
    return MESSAGES[key].format(**fields) if fields else MESSAGES[key]


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
            raise Wrong(say("checks.too_large", what=what, got=show(value))) from None
    elif _numpy_number(value):
        number = float(value.reshape(-1)[0] if kind.__name__ == "ndarray" else value)
    else:
        raise Wrong(say("checks.expected_number", what=what, got=show(value)))
    if not math.isfinite(number):
        raise Wrong(say("checks.not_finite", what=what, got=show(number)))
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
            raise Wrong(
                say("checks.mismatch", what=what, got=show(number), expected=show(expected))
            )
        return
    _keys(got, list(expected), what)
    for key, want in expected.items():
        where = f"{what}[{key!r}]"
        number = as_number(got[key], where)
        if not close(number, want, tol):
            raise Wrong(say("checks.mismatch", what=where, got=show(number), expected=show(want)))


def _keys(got, keys, what):
    """A dict with exactly ``keys``."""
    if got is None:
        raise NotDone
    if type(got) is not dict:  # exactly, as grade takes it
        raise Wrong(say("checks.expected_dict", what=what, keys=_listed(keys), got=show(got)))
    missing = [k for k in keys if k not in got]
    if missing:
        raise Wrong(say("checks.missing_keys", what=what, keys=_listed(missing)))
    extra = [k for k in got if k not in keys]
    if extra:
        raise Wrong(say("checks.extra_keys", what=what, keys=_listed(extra)))


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
        raise Wrong(say("checks.expected_str", what=what, got=show(value)))


def _option(value, what, public):
    options = public.get("options", [])
    if type(value) is not str or value not in options:
        raise Wrong(
            say("checks.expected_option", what=what, options=_listed(options), got=show(value))
        )


def _set(value, what, public):
    options = public.get("options", [])
    if not isinstance(value, (set, frozenset, list, tuple)):
        raise Wrong(
            say("checks.expected_set", what=what, options=_listed(options), got=show(value))
        )
    if not value:
        raise NotDone
    unknown = [v for v in value if type(v) is not str or v not in options]
    if unknown:
        raise Wrong(say("checks.not_options", what=what, values=_listed(unknown)))


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
                        "checks.mapping_option",
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
            raise Wrong(say("checks.mapping_values", what=what, name=repr(key), got=show(names)))


def _function(value, what, public):
    if not callable(value):
        raise Wrong(say("checks.not_function", what=what))


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
        return say("checks.formula_read", shown=read_formula(value, public))
    note = public.get("note")
    return NOTES[note]() if note else ""
