"""The answer key as tables in the order of the lesson: values, local derivatives, the chain
rule assembling dL/d(every name), and the gradient-descent step."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from reference.course.model import Model
from reference.table.printed import derivatives

TEXT = {
    "title": {"en": "Answer key at", "ru": "Ключ ответов в точке"},
    "values": {"en": "1. Values (forward pass)", "ru": "1. Значения (прямой проход)"},
    "local": {
        "en": "2. Local derivatives of each function",
        "ru": "2. Производные каждой функции по её аргументам",
    },
    "grad": {
        "en": "3. Derivative of the loss with respect to every element (chain rule)",
        "ru": "3. Производная лосса по каждому элементу (правило цепочки)",
    },
    "step": {"en": "4. Gradient-descent step", "ru": "4. Шаг градиентного спуска"},
    "name": {"en": "name", "ru": "имя"},
    "kind": {"en": "what", "ru": "что это"},
    "formula": {"en": "formula", "ru": "формула"},
    "value": {"en": "value", "ru": "значение"},
    "function": {"en": "function", "ru": "функция"},
    "derivative": {"en": "derivative", "ru": "производная"},
    "chain": {"en": "chain rule", "ru": "правило цепочки"},
    "param": {"en": "parameter", "ru": "параметр"},
    "new": {"en": "new value", "ru": "новое значение"},
    "input": {"en": "input", "ru": "вход"},
    "parameter": {"en": "parameter", "ru": "параметр"},
    "data": {"en": "data", "ru": "данные"},
    "node": {"en": "function", "ru": "функция"},
    "loss": {"en": "loss", "ru": "лосс"},
    "undefined": {"en": "not a finite number here", "ru": "здесь не конечное число"},
    "board": {"en": "The volunteers' round at", "ru": "Раунд добровольцев в точке"},
    "forward": {"en": "forward", "ru": "вперёд"},
    "backward": {"en": "backward", "ru": "назад"},
    "step_no": {"en": "step", "ru": "шаг"},
    "volunteer": {"en": "volunteer", "ru": "участник"},
    "receives": {"en": "receives", "ru": "получает"},
    "hands_on": {"en": "hands on", "ru": "передаёт дальше"},
    "nobody": {"en": "(nobody: the teacher)", "ru": "(никто: учитель)"},
}


def fmt(x: float | None, lang: str) -> str:
    return TEXT["undefined"][lang] if x is None else f"{x:.6g}"


def render_trace(
    model: Model, key: dict[str, Any], lang: str, console: Console | None = None
) -> None:
    console = console or Console(highlight=False)
    t = {k: v[lang] for k, v in TEXT.items()}
    at = ", ".join(f"{n}={v:g}" for n, v in key["at"].items())
    console.print(f"[bold]{model.title.get(lang, model.course)}[/bold] — {t['title']} {at}\n")

    values = Table(title=t["values"], title_justify="left")
    for col in (t["name"], t["kind"], t["formula"], t["value"]):
        values.add_column(col, justify="right" if col == t["value"] else "left")
    for name in model.leaves:
        values.add_row(name, t[model.kind(name)], "", fmt(key["values"][name], lang))
    for node in model.nodes:
        kind = t["loss"] if node.name == model.loss else t["node"]
        values.add_row(
            node.name,
            kind,
            f"{node.name}({', '.join(node.args)}) = {node.formula}",
            fmt(key["values"][node.name], lang),
        )
    console.print(values)

    formulas = {node.name: derivatives(node.tape) for node in model.nodes}
    local = Table(title=t["local"], title_justify="left")
    for col in (t["function"], t["derivative"], t["formula"], t["value"]):
        local.add_column(col, justify="right" if col == t["value"] else "left")
    for node in model.nodes:
        for arg in node.args:
            local.add_row(
                node.name,
                f"d{node.name}/d{arg}",
                formulas[node.name][arg],
                fmt(key["local"][node.name][arg], lang),
            )
    console.print(local)

    grad = Table(title=t["grad"], title_justify="left")
    for col in (t["name"], t["derivative"], t["chain"], t["value"]):
        grad.add_column(col, justify="right" if col == t["value"] else "left")
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

    console.print(_step_table(model, key, t, lang))


def _step_table(model: Model, key: dict[str, Any], t: dict[str, str], lang: str) -> Table:
    """The gradient-descent step from ``key``'s ``at``, ``grad`` and ``update``."""
    loss = model.loss
    step = Table(
        title=t["step"],
        title_justify="left",
        caption=f"w_new = w − {model.learning_rate:g}·d{loss}/dw",
        caption_justify="left",
    )
    for col in (t["param"], t["value"], f"d{loss}/dw", t["new"]):
        step.add_column(col, justify="left" if col == t["param"] else "right")
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
    t = {k: v[lang] for k, v in TEXT.items()}
    at = ", ".join(f"{n}={v:g}" for n, v in shown["at"].items())
    console.print(f"[bold]{model.title.get(lang, model.course)}[/bold] — {t['board']} {at}\n")
    table = Table(title_justify="left")
    for col in ("#", t["step_no"], t["volunteer"], t["receives"], t["hands_on"]):
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
            f"{arrow} {step['node']} ({t[step['direction']]})",
            names or t["nobody"],
            _pairs(step["receives"], lang),
            _pairs(step["hands_on"], lang),
        )
    console.print(table)
    console.print(_step_table(model, shown, t, lang))
