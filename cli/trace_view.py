"""The answer key as tables in the order of the lesson: values, local derivatives, the chain
rule assembling dL/d(every name), and the gradient-descent step."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from reference.course.model import Model
from reference.i18n import pick, say, t
from reference.table.printed import derivatives

#: A leaf's kind and a pass's direction, as the tables name them.
KINDS = {
    "input": t("terminal.input"),
    "parameter": t("terminal.parameter"),
    "data": t("terminal.data"),
}
DIRECTIONS = {"forward": t("terminal.forward"), "backward": t("terminal.backward")}


def fmt(x: float | None, lang: str) -> str:
    return say("terminal.not_finite_number_here", lang) if x is None else f"{x:.6g}"


def render_trace(
    model: Model, key: dict[str, Any], lang: str, console: Console | None = None
) -> None:
    console = console or Console(highlight=False)
    at = ", ".join(f"{n}={v:g}" for n, v in key["at"].items())
    title = say("terminal.answer_key_at", lang)
    console.print(f"[bold]{model.title.get(lang, model.course)}[/bold] — {title} {at}\n")

    value = say("terminal.value", lang)
    values = _table(
        say("terminal.1_values_forward_pass", lang),
        say("terminal.name", lang),
        say("terminal.what", lang),
        say("terminal.formula", lang),
        value,
    )
    for name in model.leaves:
        values.add_row(
            name, pick(KINDS[model.kind(name)], lang), "", fmt(key["values"][name], lang)
        )
    for node in model.nodes:
        if node.name == model.loss:
            kind = say("terminal.loss", lang)
        else:
            kind = say("terminal.function", lang)
        values.add_row(
            node.name,
            kind,
            f"{node.name}({', '.join(node.args)}) = {node.formula}",
            fmt(key["values"][node.name], lang),
        )
    console.print(values)

    formulas = {node.name: derivatives(node.tape) for node in model.nodes}
    local = _table(
        say("terminal.2_local_derivatives_each_function", lang),
        say("terminal.function", lang),
        say("terminal.derivative", lang),
        say("terminal.formula", lang),
        value,
    )
    for node in model.nodes:
        for arg in node.args:
            local.add_row(
                node.name,
                f"d{node.name}/d{arg}",
                formulas[node.name][arg],
                fmt(key["local"][node.name][arg], lang),
            )
    console.print(local)

    grad = _table(
        say("terminal.3_derivative_loss_with_respect", lang),
        say("terminal.name", lang),
        say("terminal.derivative", lang),
        say("terminal.chain_rule", lang),
        value,
    )
    loss = model.loss
    order = [n.name for n in reversed(model.nodes)] + [
        *model.parameters,
        *model.inputs,
        *model.data,
    ]
    for name in order:
        grad.add_row(
            name, f"d{loss}/d{name}", _chain(model, key, name, lang), fmt(key["grad"][name], lang)
        )
    console.print(grad)

    console.print(_step_table(model, key, lang))


def _table(title: str, *columns: str) -> Table:
    """One of the answer key's tables: its title and columns, the last (a value) aligned right."""
    table = Table(title=title, title_justify="left")
    for i, col in enumerate(columns):
        table.add_column(col, justify="right" if i == len(columns) - 1 else "left")
    return table


def _step_table(model: Model, key: dict[str, Any], lang: str) -> Table:
    """The gradient-descent step from ``key``'s ``at``, ``grad`` and ``update``."""
    loss = model.loss
    step = Table(
        title=say("terminal.4_gradient_descent_step", lang),
        title_justify="left",
        caption=f"w_new = w − {model.learning_rate:g}·d{loss}/dw",
        caption_justify="left",
    )
    param = say("terminal.parameter", lang)
    for col in (param, say("terminal.value", lang), f"d{loss}/dw", say("terminal.new_value", lang)):
        step.add_column(col, justify="left" if col == param else "right")
    for p in model.parameters:
        step.add_row(
            p, fmt(key["at"][p], lang), fmt(key["grad"][p], lang), fmt(key["update"][p], lang)
        )
    return step


def _chain(model: Model, key: dict[str, Any], name: str, lang: str) -> str:
    """How dL/dname is assembled: one product per function that uses ``name``, added up."""
    loss = model.loss
    symbols, numbers = [], []
    for node in model.nodes:
        if name not in node.args:
            continue
        local = fmt(key["local"][node.name][name], lang)
        if node.name == loss:
            symbols.append(f"d{loss}/d{name}")
            numbers.append(local)
        else:
            symbols.append(f"d{loss}/d{node.name}·d{node.name}/d{name}")
            numbers.append(f"({fmt(key['grad'][node.name], lang)})·({local})")
    if not symbols:
        return "1"
    if symbols == [f"d{loss}/d{name}"]:
        return symbols[0]
    return f"{' + '.join(symbols)} = {' + '.join(numbers)}"


def _pairs(values: dict[str, float | None], lang: str) -> str:
    return ", ".join(f"{k} = {fmt(v, lang)}" for k, v in values.items())


def render_board(
    model: Model, shown: dict[str, Any], lang: str, console: Console | None = None
) -> None:
    """``course trace --team``: one row a volunteer and pass, in the order they speak."""
    console = console or Console(highlight=False)
    at = ", ".join(f"{n}={v:g}" for n, v in shown["at"].items())
    title = say("terminal.volunteers_round_at", lang)
    console.print(f"[bold]{model.title.get(lang, model.course)}[/bold] — {title} {at}\n")
    table = Table(title_justify="left")
    for col in (
        "#",
        say("terminal.step", lang),
        say("terminal.volunteer", lang),
        say("terminal.receives", lang),
        say("terminal.hands_on", lang),
    ):
        table.add_column(col, overflow="fold")
    several = len(shown["teams"]) > 1
    for k, step in enumerate(shown["volunteers"], 1):
        owners = step["owners"]
        names = "; ".join(
            (f"{team}: " if several else "") + ", ".join(escape(s) for s in students)
            for team, students in owners.items()
        )
        arrow = "→" if step["direction"] == "forward" else "←"
        table.add_row(
            str(k),
            f"{arrow} {step['node']} ({pick(DIRECTIONS[step['direction']], lang)})",
            names or say("terminal.nobody_teacher", lang),
            _pairs(step["receives"], lang),
            _pairs(step["hands_on"], lang),
        )
    console.print(table)
    console.print(_step_table(model, shown, lang))
