"""``course new-exercise``: a node's exercise, or the chain questions, written as YAML a teacher
then edits.  Every model fact in the text is a placeholder (``{math:D}``, ``{rule:D}``,
``{returns:D}``), so the scaffold stays true when course.yml changes again; a language the
teacher did not ask for gets the asked one's text marked TODO, which ``course validate`` lists.
Texts are written like the shipped exercises: a short one quoted on its line, a longer one as
a block scalar wrapped within :data:`WIDTH` columns.
"""

from __future__ import annotations

import json
import textwrap

from reference.course.model import Model, Node
from reference.i18n import LANGUAGES, Text, t

LANGS = LANGUAGES
TODO = "TODO ({lang}): "
#: the widest line written, as in the shipped exercises
WIDTH = 92


def _text(texts: Text, want: tuple[str, ...], indent: int) -> str:
    """``ru:``/``en:`` lines of one text at ``indent``; a language not in ``want`` gets the
    first wanted one's text marked TODO.  A text that fits is quoted on its line; a longer
    one is a block scalar wrapped within WIDTH columns."""
    lines = []
    for lang in LANGS:
        text = texts[lang] if lang in want else TODO.format(lang=lang) + texts[want[0]]
        one = f"{' ' * indent}{lang}: {json.dumps(text, ensure_ascii=False)}"
        if len(one) <= WIDTH:
            lines.append(one)
            continue
        lines.append(f"{' ' * indent}{lang}: |")
        pad = " " * (indent + 2)
        lines += textwrap.wrap(
            text,
            WIDTH,
            initial_indent=pad,
            subsequent_indent=pad,
            break_long_words=False,
            break_on_hyphens=False,
        )
    return "\n".join(lines)


def _question(qid: str, kind: str, answer: str, prompt: str, hint: str | None = None) -> str:
    out = [
        f"  - id: {qid}",
        f"    kind: {kind}",
        f"    answer: {answer}",
        "    points: 1",
        "    prompt:",
        prompt,
    ]
    if hint:
        out += ["    hint:", hint]
    return "\n".join(out) + "\n"


def node_exercise(model: Model, node: Node, want: tuple[str, ...] = LANGS) -> str:
    """exercises/<node>.yml: forward, each local derivative (value and formula), the change
    per argument, backward, the loss's sign; the stub contract's names."""
    n, args = node.name, ", ".join(node.args)
    parts = [
        f"# Written by `course new-exercise {n}`: edit the wording, add known mistakes.\n",
        f"node: {n}\n",
        "title:\n" + _text(t("course.scaffold_title", n=n), want, 2) + "\n",
        "intro:\n" + _text(t("course.scaffold_intro", n=n, args=args), want, 2) + "\n",
        "questions:\n",
        _question(
            "forward",
            "function",
            "value",
            _text(t("course.scaffold_forward", n=n, args=args), want, 6),
        ),
    ]
    for a in node.args:
        parts.append(local_questions(model, node, a, want))
    for a in node.args:
        parts.append(
            _question(
                f"{n}_change_{a}",
                "number",
                f"{{change: {{of: {n}, wrt: {a}, by: 0.01}}}}",
                _text(t("course.scaffold_change", n=n, a=a), want, 6),
            )
        )
    parts.append(
        _question(
            "backward",
            "function",
            "backward",
            _text(t("course.scaffold_backward", n=n, args=args, loss=model.loss), want, 6),
            _text(t("course.scaffold_backward_hint"), want, 6),
        )
    )
    parts.append(_sign(model, node, want))
    return "".join(parts)


def local_questions(model: Model, node: Node, a: str, want: tuple[str, ...] = LANGS) -> str:
    """The node's local derivative with respect to ``a``, as a value and as a formula."""
    n = node.name
    args = f"{{args:{n}}}"  # a placeholder: stays true when the node's arguments change
    hint = _text(t("course.scaffold_hint", n=n), want, 6)
    value = _text(t("course.scaffold_local", n=n, a=a, args=args), want, 6)
    formula = _text(t("course.scaffold_formula", n=n, a=a, args=args), want, 6)
    return _question(f"d{n}_d{a}", "function", f"{{local: {a}}}", value, hint) + _question(
        f"d{n}_d{a}_formula", "formula", f"{{local: {a}}}", formula, hint
    )


def node_option(name: str) -> str:
    """An option naming node ``name`` (its text is the model's, through a placeholder)."""
    same = ", ".join(f'{lang}: "{name} = {{math:{name}}}"' for lang in LANGS)
    return f"      - value: {name}\n        text: {{{same}}}\n"


def _sign(model: Model, node: Node, want: tuple[str, ...]) -> str:
    """L_sign_<a>, as A.yml asks it: does the loss go up or down when the node's parameter
    (its first argument if it has none) grows a little."""
    a = next((x for x in node.args if x in model.parameters), node.args[0])
    n, loss = node.name, model.loss
    out = _question(
        f"{model.loss}_sign_{a}",
        "choice",
        f"{{sign: {{of: {model.loss}, wrt: {a}}}}}",
        _text(t("course.scaffold_sign", n=n, a=a, loss=loss), want, 6),
        _text(t("course.scaffold_sign_hint"), want, 6),
    )
    out += "    options:\n"
    options = (  # (value, text, why)
        (
            "up",
            t("course.scaffold_sign_up", loss=loss),
            t("course.scaffold_up_why", loss=loss, a=a),
        ),
        (
            "down",
            t("course.scaffold_sign_down", loss=loss),
            t("course.scaffold_down_why", loss=loss, a=a),
        ),
        (
            "zero",
            t("course.scaffold_sign_zero", loss=loss),
            t("course.scaffold_zero_why", loss=loss, a=a),
        ),
    )
    for value, text, why in options:
        out += f"      - value: {value}\n        text:\n{_text(text, want, 10)}\n"
        out += f"        why:\n{_text(why, want, 10)}\n"
    return out


def chain_questions(model: Model, names: list[str], want: tuple[str, ...] = LANGS) -> str:
    """The chain questions dL/d(name) for ``names``: items of a ``questions:`` list."""
    return "".join(
        _question(
            f"d{model.loss}_d{a}",
            "function",
            f"{{grad: {a}}}",
            _text(t("course.scaffold_grad", a=a, loss=model.loss), want, 6),
        )
        for a in names
    )


def chain_exercise(model: Model, names: list[str], want: tuple[str, ...] = LANGS) -> str:
    """A whole chain exercise asking dL/d(name) for ``names``."""
    return (
        "# Written by `course new-exercise --chain`: edit the wording, add known mistakes.\n"
        "title:\n" + _text(t("course.scaffold_chain_title"), want, 2) + "\n"
        "intro:\n"
        + _text(
            t("course.scaffold_chain_intro", equations="{equations}", leaves="{leaves}"), want, 2
        )
        + "\n"
        "questions:\n" + chain_questions(model, names, want)
    )
