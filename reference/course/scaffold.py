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

#: (ru, en) texts; ``{n}`` the node, ``{a}`` an argument, ``{args}`` all of them
FORWARD = (
    "Напишите саму функцию: def {n}({args}) возвращает выход функции {n} = {{math:{n}}}.",
    "Write the function itself: def {n}({args}) returns the output of {n} = {{math:{n}}}.",
)
LOCAL = (
    "def d{n}_d{a}({args}): верните значение производной {n} по аргументу {a} в этой точке.",
    "def d{n}_d{a}({args}): return the value of the derivative of {n} with respect to the "
    "argument {a} at this point.",
)
FORMULA = (
    'd{n}_d{a}_formula = "…": производная {n} по {a} формулой — строкой в именах аргументов '
    "функции ({args}).",
    'd{n}_d{a}_formula = "…": the derivative of {n} with respect to {a} as a formula: a '
    "string in the function's argument names ({args}).",
)
HINT = (
    "Таблица производных, строка {{rule:{n}}}.",
    "The table of derivatives, row {{rule:{n}}}.",
)
CHANGE = (
    "Если {a} вырастет на 0.01, а остальные аргументы останутся прежними, примерно на сколько "
    "изменится выход {n}? Оцените через производную, со знаком. Ваши значения {{leaves}} "
    "печатает команда `python check.py --id <ваш id>`. Ответ — число, не меньше 4 значащих "
    "цифр.",
    "If {a} grows by 0.01 and the other arguments stay the same, by about how much does the "
    "output of {n} change? Estimate it with the derivative, keeping the sign. Your values of "
    "{{leaves}} are printed by `python check.py --id <your id>`. The answer is a number, at "
    "least 4 significant digits.",
)
BACKWARD = (
    "def backward({args}, d{loss}_d{n}): последний аргумент — производная лосса {loss} по "
    "выходу функции {n}. Верните словарь {{returns:{n}}}.",
    "def backward({args}, d{loss}_d{n}): the last argument is the derivative of the loss "
    "{loss} by the output of {n}. Return a dict {{returns:{n}}}.",
)
BACKWARD_HINT = (
    "Правило цепочки из таблицы: df/dx = df/dg · dg/dx.",
    "The chain rule from the table: df/dx = df/dg · dg/dx.",
)
TITLE = (
    "Доброволец {n}: функция {n} = {{math:{n}}}",
    "Volunteer {n}: the function {n} = {{math:{n}}}",
)
INTRO = (
    "Вам дана функция {n} = {{math:{n}}}, в файле {n}.py — {{header:{n}}}. Посчитайте её "
    "производные по каждому аргументу ({args}), потом производные лосса по ним — правило "
    "цепочки.",
    "You are given the function {n} = {{math:{n}}}, in {n}.py {{header:{n}}}. Compute its "
    "derivatives with respect to each argument ({args}), then the derivatives of the loss "
    "with respect to them: the chain rule.",
)
CHAIN_TITLE = ("Складываем все производные", "Putting all the derivatives together")
CHAIN_INTRO = (
    "Модель: {{equations}}. Все функции принимают ({{leaves}}).",
    "The model: {{equations}}. Every function takes ({{leaves}}).",
)
GRAD = (
    "def d{loss}_d{a}({{leaves}}): верните производную лосса {loss} по {a} в этой точке.",
    "def d{loss}_d{a}({{leaves}}): return the derivative of the loss {loss} with respect to "
    "{a} at this point.",
)
SIGN = (
    "При ваших значениях (`python check.py --id <ваш id>`): если {a} чуть увеличить, лосс "
    "{loss} вырастет или упадёт? Для этого нужна производная d{loss}/d{a}: возьмите "
    "d{loss}/d{n}, посчитав её по цепочке от {loss} при ваших значениях, и сделайте второй "
    "шаг.",
    "At your values (`python check.py --id <your id>`): if {a} is increased a little, does "
    "the loss {loss} go up or down? You need the derivative d{loss}/d{a}: get d{loss}/d{n} by "
    "going along the chain from {loss} at your values, then take the second step.",
)
SIGN_HINT = (
    "Знак производной говорит, в какую сторону меняется выход функции, когда аргумент чуть растёт.",
    "The sign of a derivative tells which way the function's output moves when the argument "
    "grows a little.",
)
#: the sign question's options: (value, text, why)
SIGN_OPTIONS = (
    (
        "up",
        ("{loss} вырастет", "{loss} goes up"),
        (
            "{loss} растёт с ростом {a}, только если d{loss}/d{a} при ваших значениях "
            "положительна. Найдите её знак звено за звеном: знаки звеньев перемножаются.",
            "{loss} grows as {a} grows only if d{loss}/d{a} is positive at your values. Find "
            "its sign link by link: the links' signs multiply.",
        ),
    ),
    (
        "down",
        ("{loss} упадёт", "{loss} goes down"),
        (
            "{loss} падает с ростом {a}, только если d{loss}/d{a} при ваших значениях "
            "отрицательна. Найдите её знак звено за звеном: знаки звеньев перемножаются.",
            "{loss} falls as {a} grows only if d{loss}/d{a} is negative at your values. Find "
            "its sign link by link: the links' signs multiply.",
        ),
    ),
    (
        "zero",
        ("{loss} не изменится", "{loss} does not change"),
        (
            "{loss} стоит на месте, только если d{loss}/d{a} в точности равна 0; при ваших "
            "значениях она не 0 — найдите её знак.",
            "{loss} stays put only where d{loss}/d{a} is exactly 0; at your values it is not "
            "0, so find its sign.",
        ),
    ),
)
LANGS = ("ru", "en")
TODO = "TODO ({lang}): "
#: the widest line written, as in the shipped exercises
WIDTH = 92


def _text(pair: tuple[str, str], want: tuple[str, ...], indent: int, **kw: str) -> str:
    """``ru:``/``en:`` lines of one text at ``indent``; a language not in ``want`` gets the
    first wanted one's text marked TODO.  A text that fits is quoted on its line; a longer
    one is a block scalar wrapped within WIDTH columns."""
    texts = dict(zip(LANGS, (p.format(**kw) for p in pair)))
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
    kw = {"n": n, "args": args, "loss": model.loss}
    parts = [
        f"# Written by `course new-exercise {n}`: edit the wording, add known mistakes.\n",
        f"node: {n}\n",
        "title:\n" + _text(TITLE, want, 2, **kw) + "\n",
        "intro:\n" + _text(INTRO, want, 2, **kw) + "\n",
        "questions:\n",
        _question("forward", "function", "value", _text(FORWARD, want, 6, **kw)),
    ]
    for a in node.args:
        parts.append(local_questions(model, node, a, want))
    for a in node.args:
        parts.append(
            _question(
                f"{n}_change_{a}",
                "number",
                f"{{change: {{of: {n}, wrt: {a}, by: 0.01}}}}",
                _text(CHANGE, want, 6, a=a, **kw),
            )
        )
    parts.append(
        _question(
            "backward",
            "function",
            "backward",
            _text(BACKWARD, want, 6, **kw),
            _text(BACKWARD_HINT, want, 6, **kw),
        )
    )
    parts.append(_sign(model, node, want))
    return "".join(parts)


def local_questions(model: Model, node: Node, a: str, want: tuple[str, ...] = LANGS) -> str:
    """The node's local derivative with respect to ``a``, as a value and as a formula."""
    n = node.name
    kw = {"n": n, "args": f"{{args:{n}}}", "loss": model.loss}  # stays true when args change
    hint = _text(HINT, want, 6, **kw)
    return _question(
        f"d{n}_d{a}", "function", f"{{local: {a}}}", _text(LOCAL, want, 6, a=a, **kw), hint
    ) + _question(
        f"d{n}_d{a}_formula", "formula", f"{{local: {a}}}", _text(FORMULA, want, 6, a=a, **kw), hint
    )


def node_option(name: str) -> str:
    """An option naming node ``name`` (its text is the model's, through a placeholder)."""
    return (
        f"      - value: {name}\n"
        f'        text: {{ru: "{name} = {{math:{name}}}", en: "{name} = {{math:{name}}}"}}\n'
    )


def _sign(model: Model, node: Node, want: tuple[str, ...]) -> str:
    """L_sign_<a>, as A.yml asks it: does the loss go up or down when the node's parameter
    (its first argument if it has none) grows a little."""
    a = next((x for x in node.args if x in model.parameters), node.args[0])
    kw = {"n": node.name, "a": a, "loss": model.loss}
    out = _question(
        f"{model.loss}_sign_{a}",
        "choice",
        f"{{sign: {{of: {model.loss}, wrt: {a}}}}}",
        _text(SIGN, want, 6, **kw),
        _text(SIGN_HINT, want, 6, **kw),
    )
    out += "    options:\n"
    for value, text, why in SIGN_OPTIONS:
        out += f"      - value: {value}\n        text:\n{_text(text, want, 10, **kw)}\n"
        out += f"        why:\n{_text(why, want, 10, **kw)}\n"
    return out


def chain_questions(model: Model, names: list[str], want: tuple[str, ...] = LANGS) -> str:
    """The chain questions dL/d(name) for ``names``: items of a ``questions:`` list."""
    return "".join(
        _question(
            f"d{model.loss}_d{a}",
            "function",
            f"{{grad: {a}}}",
            _text(GRAD, want, 6, a=a, loss=model.loss),
        )
        for a in names
    )


def chain_exercise(model: Model, names: list[str], want: tuple[str, ...] = LANGS) -> str:
    """A whole chain exercise asking dL/d(name) for ``names``."""
    return (
        "# Written by `course new-exercise --chain`: edit the wording, add known mistakes.\n"
        "title:\n" + _text(CHAIN_TITLE, want, 2) + "\n"
        "intro:\n" + _text(CHAIN_INTRO, want, 2) + "\n"
        "questions:\n" + chain_questions(model, names, want)
    )
