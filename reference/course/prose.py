"""Placeholders in a course's prose, rendered from the model when the course loads.

A teacher writes model facts as placeholders, so the text follows every edit of course.yml:
``S = {math:S}`` reads "S = σ(G)" today and "S = tanh(G)" after ``S(G): tanh(G)``.  The set
(README, "Placeholders in the prose"):

======================  =====================================================================
``{learning_rate}``     the step's learning rate: 0.001
``{loss}``              the loss node: L
``{nodes}``             every node: A, B, C, G, S, L
``{inputs}`` …          ``{inputs}``, ``{parameters}``, ``{data}``, ``{leaves}`` (all three)
``{equations}``         every node as an equation: A = w1·x1,  B = w2·x2, …,  L = (gold − S)²
``{functions}``         the table functions the nodes call, as a formula writes them:
                        sigmoid(...) (tanh(...) after ``S(G): tanh(G)``; exp(...) if none)
``{formula:N}``         N's formula as course.yml writes it: sigmoid(G)
``{math:N}``            the same for reading: σ(G), w1·x1, (gold − S)²
``{args:N}``            N's arguments: A, B, C
``{header:N}``          N with its arguments: G(A, B, C)
``{function:N}``        the name of N's outermost function in the table, in the text's
                        language: sigmoid (the table's title, in Russian in Russian text)
``{rule:N}``            that table row: f(a) = σ(a): df/da = (1 − σ(a))·σ(a)
``{composed:N}``        N written in the inputs and parameters: σ(w1·x1 + w2·x2 + w3·x3)
``{returns:N}``         what N's ``backward`` returns: {"A": dL/dA, "B": dL/dB, "C": dL/dC}
``{{`` and ``}}``       a literal brace
======================  =====================================================================

Anything else in braces is a problem at its file:line, so a typo never reaches a student.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from reference import expr as ex
from reference.course.model import Model, Node
from reference.course.source import Source
from reference.i18n import BilingualError, Problem, Text, pick, t
from reference.table import TABLE, Entry
from reference.table.printed import PRINTED, Printed, text

TOKEN = re.compile(r"\{\{|\}\}|\{([^{}\n]*)\}|[{}]")

#: placeholders without an argument: name → (model → text)
PLAIN: dict[str, Callable[[Model], str]] = {
    "learning_rate": lambda m: f"{m.learning_rate:g}",
    "loss": lambda m: m.loss,
    "nodes": lambda m: ", ".join(n.name for n in m.nodes),
    "inputs": lambda m: ", ".join(m.inputs),
    "parameters": lambda m: ", ".join(m.parameters),
    "data": lambda m: ", ".join(m.data),
    "leaves": lambda m: ", ".join(m.leaves),
    "equations": lambda m: ",  ".join(f"{n.name} = {pretty(n.formula)}" for n in m.nodes),
    "functions": lambda m: ", ".join(f"{f}(...)" for f in model_functions(m)) or "exp(...)",
}
#: placeholders of a node, ``{name:N}``: name → (model, node, language) → text
OF_NODE: dict[str, Callable[[Model, Node, str], str]] = {
    "formula": lambda m, n, lang: n.formula,
    "math": lambda m, n, lang: pretty(n.formula),
    "args": lambda m, n, lang: ", ".join(n.args),
    "header": lambda m, n, lang: f"{n.name}({', '.join(n.args)})",
    "function": lambda m, n, lang: function_name(n, lang),
    "rule": lambda m, n, lang: rule(n),
    "composed": lambda m, n, lang: composed(m, n),
    "returns": lambda m, n, lang: "{" + ", ".join(f'"{a}": d{m.loss}/d{a}' for a in n.args) + "}",
}
KNOWN = (*PLAIN, *(f"{k}:N" for k in OF_NODE))


class PlaceholderError(BilingualError, ValueError):
    """A brace that is not a known placeholder: ``offset`` in the text, ``text`` what it says."""

    def __init__(self, offset: int, text: Text):
        super().__init__(text)
        self.offset, self.text = offset, text


def render(text: str, model: Model, lang: str) -> str:
    """``text`` with every placeholder replaced from ``model``; PlaceholderError otherwise."""

    known = ", ".join("{" + k + "}" for k in KNOWN)

    def one(match: re.Match[str]) -> str:
        token = match.group(0)
        if token in ("{{", "}}"):
            return token[0]
        inner = match.group(1)
        if inner is None:
            raise PlaceholderError(
                match.start(), t("course.lone_brace", token=token, twice=token * 2, known=known)
            )
        name, _, arg = inner.strip().partition(":")
        name, arg = name.strip(), arg.strip()
        if name in PLAIN and not arg:
            return PLAIN[name](model)
        if name in OF_NODE and arg:
            nodes = {n.name: n for n in model.nodes}
            if arg in nodes:
                return OF_NODE[name](model, nodes[arg], lang)
            raise PlaceholderError(
                match.start(),
                t("course.placeholder_not_node", token=token, arg=arg, nodes=", ".join(nodes)),
            )
        raise PlaceholderError(match.start(), t("course.not_placeholder", token=token, known=known))

    return TOKEN.sub(one, text)


def model_functions(model: Model) -> list[str]:
    """The table functions (not operators) the model's nodes call, in the nodes' order, as a
    formula names them: ["sigmoid"] for the lesson."""
    found: list[str] = []

    def walk(tree: ex.Expr) -> None:
        if isinstance(tree, ex.Call):
            entry = TABLE.get(tree.fn)
            if entry is not None and entry.is_function and entry.syntax not in found:
                found.append(entry.syntax)
            for a in tree.args:
                walk(a)

    for node in model.nodes:
        walk(node.tree)
    return found


def pretty(formula: str) -> str:
    """A formula as prose writes it: σ for sigmoid, · for *, − for -, ² for **2."""
    text = formula.replace("**2", "²").replace("**", "^").replace("*", "·")
    text = re.sub(r"\bsigmoid\(", "σ(", text)
    return text.replace(" - ", " − ").replace("(-", "(−")


def composed(model: Model, node: Node) -> str:
    """The node's formula with every node inside it written out, down to the leaves."""
    exprs: dict[str, Printed] = {}
    for n in model.nodes:  # in topological order
        args = [exprs.get(a) or Printed(ex.Name(a)) for a in n.tape.args]
        exprs[n.name] = n.tape.forward(PRINTED, args)[n.tape.output]
    return pretty(text(exprs[node.name]))


def top_entry(node: Node) -> Entry | None:
    """The table row a node applies last (sigmoid for ``sigmoid(G)``, add for ``A + B``)."""
    tree = node.tree
    if not isinstance(tree, ex.Call):
        return None
    if tree.fn == "pow" and ex.fold_constant(tree.args[1]) == 2:
        return TABLE["square"]  # as the engine reads it: the lesson's a² row
    return TABLE.get(tree.fn)


def function_name(node: Node, lang: str) -> str:
    """The words naming the node's outermost function: "sigmoid", "hyperbolic tangent"."""
    entry = top_entry(node)
    if entry is None:
        return node.formula
    words = []
    for word in pick(entry.title, lang).split():
        if not word.isalpha() or word == entry.syntax:
            break
        words.append(word)
    return " ".join(words) or entry.syntax


def rule(node: Node) -> str:
    """The table's row for the node's outermost function, in the table's own letters."""
    entry = top_entry(node)
    if entry is None:
        return node.formula
    args = [Printed(ex.Name(a)) for a in entry.args]
    f = pretty(text(entry.forward(PRINTED, *args)))
    ds = ", ".join(
        f"df/d{a} = {pretty(text(p(PRINTED, *args)))}" for a, p in zip(entry.args, entry.partials)
    )
    return f"f({', '.join(entry.args)}) = {f}: {ds}"


def line_of(src: Source, path: tuple, text: str, offset: int) -> int:
    """The file line of ``text[offset]``: a block scalar's text starts below its key."""
    return (
        src.line(*path)
        + (1 if "\n" in text.rstrip("\n") or text.endswith("\n") else 0)
        + (text[:offset].count("\n"))
    )


def _text(src: Source, path: tuple, text: Any, model: Model, lang: str) -> Any:
    if not isinstance(text, str):
        return text
    try:
        return render(text, model, lang)
    except PlaceholderError as err:
        src.problems.append(Problem(src.name, line_of(src, path, text, err.offset), err.text))
        return text


def _bilingual(src: Source, path: tuple, value: Any, model: Model) -> Any:
    if not isinstance(value, dict):
        return value
    return {lang: _text(src, (*path, lang), v, model, lang) for lang, v in value.items()}


def render_exercise(src: Source, doc: dict, model: Model) -> dict:
    """A new exercise document with its prose (titles, intros, prompts, hints, options,
    mistakes' feedback and formulas) rendered in every language; problems go to ``src``.
    The document is rebuilt, never edited in place: YAML aliases share their dicts."""
    out = dict(doc)
    for key in ("title", "intro"):
        if key in doc:
            out[key] = _bilingual(src, (key,), doc[key], model)
    questions = []
    for i, q in enumerate(doc.get("questions") or ()):
        if not isinstance(q, dict):
            questions.append(q)
            continue
        path = ("questions", i)
        q = dict(q)
        for key in ("prompt", "hint"):
            if key in q:
                q[key] = _bilingual(src, (*path, key), q[key], model)
        if isinstance(q.get("options"), list):
            q["options"] = [
                {
                    **o,
                    **{
                        k: _bilingual(src, (*path, "options", k_i, k), o[k], model)
                        for k in ("text", "why")
                        if k in o
                    },
                }
                if isinstance(o, dict)
                else o
                for k_i, o in enumerate(q["options"])
            ]
        if isinstance(q.get("mistakes"), list):
            mistakes = []
            for j, m in enumerate(q["mistakes"]):
                if isinstance(m, dict):
                    mpath = (*path, "mistakes", j)
                    m = dict(m)
                    if "feedback" in m:
                        m["feedback"] = _bilingual(src, (*mpath, "feedback"), m["feedback"], model)
                    if "formula" in m:
                        m["formula"] = _text(
                            src, (*mpath, "formula"), m["formula"], model, model.languages[0]
                        )
                mistakes.append(m)
            q["mistakes"] = mistakes
        questions.append(q)
    if "questions" in doc:
        out["questions"] = questions
    return out
