"""The course model: course.yml parsed into a graph of derivative-table entries.

Every formula goes through the whitelist parser (never eval or sympify), every name is
checked against what the course declares, and every problem found is reported at once as
``course.yml:LINE: message``.  What comes out is all the grader and the builders need to
know about the lesson's function: its leaves, its nodes in an order where each node's
arguments come first, the loss, the learning rate and where random points come from.
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from reference import expr as ex
from reference.autograd import Tape, Trace, compile_expr, run
from reference.course.sampling import student_values
from reference.course.source import CourseError, Source, check_keys, read_yaml
from reference.i18n import LANGUAGES, did_you_mean, join, same, t
from reference.table import ALIASES, FUNCTIONS

CATEGORIES = {"inputs": "input", "parameters": "parameter", "data": "data"}
TOP_KEYS = (
    "course",
    "title",
    "languages",
    "seed",
    "inputs",
    "parameters",
    "data",
    "nodes",
    "loss",
    "learning_rate",
    "ranges",
    "tolerance",
    "near_miss_credit",
    "points",
    "time_budget",
    "feedback",
    "exercises",
    "assignment",
    "gradescope",  # the Gradescope bundle's settings: publish/gradescope/settings.py
    "similarity_threshold",  # grade --similarity: the code score that flags a pair
)
REQUIRED = ("inputs", "parameters", "nodes", "loss", "learning_rate", "ranges", "seed")
FEEDBACK = ("detailed", "brief")  # how much a wrong multi or mapping answer is told
TIME_BUDGET = 60.0  # seconds, when course.yml does not say
SIMILARITY_THRESHOLD = 0.4  # grade --similarity's code score that flags a pair, by default
HEADER = re.compile(r"^\s*([A-Za-z_]\w*)\s*\((.*)\)\s*$")


@dataclass(frozen=True)
class Node:
    """One function of the lesson, e.g. ``A(x1, w1) = w1*x1``."""

    name: str
    args: tuple[str, ...]
    formula: str
    tree: ex.Expr
    tape: Tape
    line: int


@dataclass(frozen=True)
class Tolerance:
    rel: float = 1e-6
    abs: float = 1e-9


@dataclass(frozen=True)
class Model:
    course: str
    title: dict[str, str]
    languages: tuple[str, ...]
    seed: int
    inputs: tuple[str, ...]
    parameters: tuple[str, ...]
    data: tuple[str, ...]
    nodes: tuple[Node, ...]
    loss: str
    learning_rate: float
    ranges: dict[str, tuple[float, float]]
    tolerance: Tolerance
    near_miss_credit: float  # share of points for a hand-computed number just outside tolerance
    points: int
    time_budget: float  # wall-clock seconds for all of one submission's code together
    raw: dict[str, Any] = field(repr=False, compare=False)
    source: Source = field(repr=False, compare=False)
    #: detailed: a wrong multi or mapping answer is told how many choices are missing or extra,
    #: or which keys are wrong; brief: only "not right", so resubmitting cannot search for it.
    feedback: str = "detailed"
    #: ``grade --similarity``: a pair whose code score (the mean share of each one's own code
    #: found in the other's) reaches it is flagged; ``--similarity-threshold`` overrides it.
    similarity_threshold: float = SIMILARITY_THRESHOLD

    @property
    def leaves(self) -> tuple[str, ...]:
        return self.inputs + self.parameters + self.data

    @property
    def names(self) -> tuple[str, ...]:
        return self.leaves + tuple(n.name for n in self.nodes)

    def node(self, name: str) -> Node:
        for n in self.nodes:
            if n.name == name:
                return n
        raise KeyError(name)

    def kind(self, name: str) -> str:
        """'input', 'parameter', 'data' or 'node'."""
        for key, kind in CATEGORIES.items():
            if name in getattr(self, key):
                return kind
        self.node(name)
        return "node"

    def leaf_ranges(self) -> dict[str, list[float]]:
        """Each leaf's range, in the leaves' order: the order :func:`student_values` draws in,
        so this dict is what the grader, check.py and the nbgrader notebooks all pass it."""
        return {n: [float(v) for v in self.ranges[n]] for n in self.leaves}

    def own_values(self, student: str) -> dict[str, float]:
        """A student's own values (the ones ``check.py --id`` prints): the one function every
        door uses for them (tests/test_model.py pins an id's values)."""
        return student_values(self.seed, student, self.leaf_ranges())

    def sample(self, rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
        """``n`` random points, each leaf uniform in its range."""
        return {name: rng.uniform(*self.ranges[name], size=n) for name in self.leaves}

    def trace(self, point: Mapping[str, Any]) -> Trace:
        """Values, local derivatives and the gradient at ``point`` (floats or arrays)."""
        return run(self, point)


def load_model(path: Path | str, name: str | None = None) -> Model:
    """Parse and check course.yml; raises CourseError listing every problem found."""
    path = Path(path)
    source = read_yaml(path, name or path.name)
    model = build_model(source)
    if source.problems or model is None:
        raise CourseError(source.problems, declared_languages(source.data))
    return model


def declared_languages(doc: Any) -> tuple[str, ...]:
    """The languages course.yml asks for, when it says so clearly (even if other parts of it
    are wrong): the language its problems are reported in; () when it cannot tell."""
    if not isinstance(doc, dict):
        return ()
    value = doc.get("languages", list(LANGUAGES))
    if isinstance(value, list) and value and all(v in LANGUAGES for v in value):
        return tuple(value)
    return ()


def build_model(src: Source) -> Model | None:
    """The model, or None when a problem makes it impossible; problems go to ``src.problems``."""
    doc = src.data
    before = len(src.problems)
    if not isinstance(doc, dict):
        src.error(
            (),
            t("course.course_yml_must_mapping_keys"),
        )
        return None
    check_keys(src, (), doc, TOP_KEYS, REQUIRED)

    languages = _languages(src, doc.get("languages", list(LANGUAGES)))
    leaves = {key: _names(src, key, doc.get(key, [])) for key in CATEGORIES}
    declared = _declared(src, leaves)
    headers = _headers(src, doc.get("nodes"), declared)
    order = _topological(src, headers)
    nodes = _nodes(src, headers, [*declared, *headers])
    loss_node = _loss(src, doc, headers)
    if loss_node is not None and order is not None and len(src.problems) == before:
        _reachability(src, headers, order, loss_node, declared)
    lr, seed, points, time_budget, feedback = _settings(src, doc)
    ranges = _ranges(src, doc.get("ranges"), leaves)
    tolerance = _tolerance(src, doc.get("tolerance", {}))
    near_miss_credit = _share(src, "near_miss_credit", doc.get("near_miss_credit", 0.5))
    similarity = _similarity(src, doc.get("similarity_threshold", SIMILARITY_THRESHOLD))
    title = doc.get("title", {lg: str(doc.get("course", "")) for lg in languages})
    if not isinstance(title, dict) or any(not isinstance(title.get(lg), str) for lg in languages):
        src.error(
            ("title",),
            t("course.title_needs_text_for_each", languages=", ".join(languages)),
        )
        title = {}
    # A missing required key is a problem already; the checks below only tell mypy.
    if len(src.problems) > before or order is None:
        return None
    if seed is None or loss_node is None or lr is None or time_budget is None:
        return None
    return Model(
        course=str(doc.get("course", "course")),
        title=title,
        languages=languages,
        seed=seed,
        inputs=leaves["inputs"],
        parameters=leaves["parameters"],
        data=leaves["data"],
        nodes=tuple(nodes[n] for n in order),
        loss=loss_node,
        learning_rate=lr,
        ranges=ranges,
        tolerance=tolerance,
        near_miss_credit=near_miss_credit,
        points=points,
        time_budget=time_budget,
        feedback=feedback,
        similarity_threshold=similarity,
        raw=doc,
        source=src,
    )


def _declared(src: Source, leaves: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """Each leaf's category; a name declared twice is a problem at its second place."""
    declared: dict[str, str] = {}
    for key, names in leaves.items():
        for i, nm in enumerate(names):
            if nm in declared:
                src.error(
                    (key, i),
                    t("course.declared_twice_also", name=nm, also=declared[nm]),
                )
            declared[nm] = key
    return declared


def _loss(src: Source, doc: dict, headers: dict[str, Header]) -> str | None:
    """The loss node, or None (a name that is not a node is a problem)."""
    loss = doc.get("loss")
    loss_node = loss if isinstance(loss, str) and loss in headers else None
    if "loss" in doc and loss_node is None:
        hint = did_you_mean(str(loss), headers)
        src.error(
            ("loss",),
            join([t("course.loss_not_one_nodes", loss=loss), hint], sep=""),
        )
    return loss_node


def _settings(src: Source, doc: dict) -> tuple[float | None, int | None, Any, float | None, Any]:
    """learning_rate, seed, points, time_budget and feedback, each checked (None: wrong)."""
    raw_lr = doc.get("learning_rate")
    lr = _as_number(raw_lr)
    if "learning_rate" in doc and (lr is None or lr <= 0):
        shown = raw_lr if lr is None else lr
        src.error(
            ("learning_rate",),
            t("course.learning_rate_must_positive_number", shown=shown),
        )
    raw_seed = doc.get("seed")
    seed = raw_seed if isinstance(raw_seed, int) and not isinstance(raw_seed, bool) else None
    if "seed" in doc and (seed is None or seed < 0):
        src.error(
            ("seed",),
            t("course.seed_must_non_negative_integer", raw_seed=raw_seed),
        )
    points = doc.get("points", 5)
    if not (isinstance(points, int) and not isinstance(points, bool) and 1 <= points <= 1000):
        src.error(
            ("points",),
            t("course.points_random_points_per_question"),
        )
    raw_budget = doc.get("time_budget", TIME_BUDGET)
    time_budget = _as_number(raw_budget)
    if time_budget is None or time_budget <= 0:
        src.error(
            ("time_budget",),
            t("course.time_budget_seconds_for_all", raw_budget=raw_budget),
        )
    feedback = doc.get("feedback", "detailed")
    if feedback not in FEEDBACK:
        src.error(
            ("feedback",),
            t("course.feedback_must_one_not", feedback=", ".join(FEEDBACK), feedback_2=feedback),
        )
    return lr, seed, points, time_budget, feedback


def _as_number(x: Any) -> float | None:
    """A finite number; also the text PyYAML leaves for ``1e-6`` (YAML 1.1 wants ``1.0e-6``)."""
    if isinstance(x, bool) or not isinstance(x, (int, float, str)):
        return None
    try:
        value = float(x)
    except ValueError:
        return None
    return value if np.isfinite(value) else None


def _languages(src: Source, value: Any) -> tuple[str, ...]:
    if (
        not isinstance(value, list)
        or not value
        or any(v not in LANGUAGES for v in value)
        or len(set(value)) != len(value)
    ):
        src.error(
            ("languages",),
            t("course.languages_must_list_drawn_from"),
        )
        return LANGUAGES
    return tuple(value)


def _valid_name(name: Any) -> bool:
    return (
        isinstance(name, str)
        and name.isidentifier()
        and name.isascii()
        and not keyword.iskeyword(name)
        and name not in FUNCTIONS
        and name not in ALIASES
    )


def _bad_name(src: Source, path: tuple, name: Any) -> None:
    src.error(
        path,
        t("course.cannot_name_use_letters_digits", name=name),
    )


def _names(src: Source, key: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        src.error(
            (key,),
            t("course.must_list_names_e_g", key=key),
        )
        return ()
    for i, name in enumerate(value):
        if not _valid_name(name):
            _bad_name(src, (key, i), name)
    return tuple(v for v in value if _valid_name(v))


Header = tuple[str, tuple[str, ...], Any]  # (the key as written, arguments, formula)


def _headers(src: Source, value: Any, declared: dict[str, str]) -> dict[str, Header]:
    """Node name → header, from keys like ``A(x1, w1)``; the graph's shape before any formula."""
    if not isinstance(value, dict) or not value:
        if value is not None:
            src.error(
                ("nodes",),
                t("course.nodes_must_map_header_formula"),
            )
        return {}
    headers: dict[str, Header] = {}
    for key, formula in value.items():
        match = HEADER.match(str(key))
        args = tuple(a.strip() for a in match.group(2).split(",")) if match else ()
        if not match or not all(args):
            src.error(
                ("nodes", key),
                t("course.node_header_must_look_like", key=key),
            )
            continue
        name = match.group(1)
        if not _valid_name(name):
            _bad_name(src, ("nodes", key), name)
        elif name in declared or name in headers:
            src.error(
                ("nodes", key),
                t("course.node_defined_twice_clashes_with", name=name),
            )
        elif len(set(args)) != len(args):
            src.error(
                ("nodes", key),
                t("course.argument_listed_twice", key=key),
            )
        else:
            headers[name] = (str(key), args, formula)
    return headers


def _nodes(src: Source, headers: dict[str, Header], known: list[str]) -> dict[str, Node]:
    nodes = {}
    for name, (key, args, formula) in headers.items():
        node = _node(src, key, name, args, formula, known)
        if node is not None:
            nodes[name] = node
    return nodes


def _node(
    src: Source, key: str, name: str, args: tuple[str, ...], formula: Any, known: list[str]
) -> Node | None:
    path = ("nodes", key)
    ok = True
    for a in args:
        if a not in known:
            hint = did_you_mean(a, known)
            src.error(
                path,
                join([t("course.not_input_parameter_data_node", key=key, a=a), hint], sep=""),
            )
            ok = False
    if not isinstance(formula, (str, int, float)) or isinstance(formula, bool):
        src.error(
            path,
            t("course.formula_must_text_such_as", key=key),
        )
        return None
    try:
        tree = ex.parse(str(formula), names=[*known, *args], functions=FUNCTIONS, aliases=ALIASES)
        tape = compile_expr(tree, args) if set(ex.names_in(tree)) <= set(args) else None
    except ex.ExprError as err:
        src.error(path, join([same(f"{key}:"), err.problems[0].text]))
        return None
    used = ex.names_in(tree)
    for u in used:
        if u not in args:
            src.error(
                path,
                t(
                    "course.uses_which_not_among_arguments",
                    key=key,
                    u=u,
                    name=name,
                    args=", ".join((*args, u)),
                ),
            )
            ok = False
    for a in args:
        if a not in used:
            src.error(
                path,
                t("course.lists_but_formula_does_not", key=key, a=a),
            )
            ok = False
    if not ok or tape is None:
        return None
    return Node(name, args, str(formula), tree, tape, src.line(*path) or 1)


def _topological(src: Source, headers: dict[str, Header]) -> list[str] | None:
    """Node names with each one's node arguments first, keeping the teacher's order otherwise."""
    done: list[str] = []
    state: dict[str, str] = {}

    def visit(name: str, stack: list[str]) -> bool:
        if state.get(name) == "done":
            return True
        if state.get(name) == "open":
            cycle = " → ".join([*stack[stack.index(name) :], name])
            src.error(
                ("nodes", headers[name][0]),
                t("course.cycle_node_cannot_depend_on", cycle=cycle),
            )
            return False
        state[name] = "open"
        ok = all(visit(a, [*stack, name]) for a in headers[name][1] if a in headers)
        state[name] = "done"
        done.append(name)
        return ok

    ok = all([visit(name, []) for name in headers])
    return done if ok and headers else None


def _reachability(
    src: Source, headers: dict[str, Header], order: list[str], loss: str, declared: dict[str, str]
) -> None:
    """Every node must feed the loss, and every declared leaf must be used by some node."""
    feeds = {loss}
    for name in reversed(order):
        if name in feeds:
            feeds.update(headers[name][1])
    for name in order:
        if name not in feeds:
            src.error(
                ("nodes", headers[name][0]),
                t("course.node_does_not_lead_loss", name=name, loss=loss),
            )
    for name, key in declared.items():
        if name not in feeds:
            src.error(
                (key,),
                t("course.declared_but_does_not_lead", name=name, key=key, loss=loss),
            )


def _ranges(
    src: Source, value: Any, leaves: dict[str, tuple[str, ...]]
) -> dict[str, tuple[float, float]]:
    """Ranges by leaf name or by category (``inputs: [-3, 3]``); a name overrides its category."""
    if not isinstance(value, dict):
        if value is not None:
            src.error(
                ("ranges",),
                t("course.ranges_must_map_names_categories"),
            )
        return {}
    allowed = [*CATEGORIES, *(n for names in leaves.values() for n in names)]
    check_keys(src, ("ranges",), value, allowed)
    found: dict[str, tuple[float, float]] = {}
    for key, pair in value.items():
        ends = [_as_number(v) for v in pair] if isinstance(pair, list) else []
        low, high = ends if len(ends) == 2 else (None, None)
        if low is None or high is None or not low < high:
            src.error(
                ("ranges", key),
                t("course.range_must_low_high_with", key=key),
            )
        else:
            found[str(key)] = (low, high)
    ranges = {}
    for category, names in leaves.items():
        for name in names:
            r = found.get(name, found.get(category))
            if r is None:
                src.error(
                    ("ranges",),
                    t("course.no_range_for_add_low", name=name, category=category),
                )
            else:
                ranges[name] = r
    return ranges


def _share(src: Source, key: str, value: Any) -> float:
    """A share of a question's points, in [0, 1]."""
    number = _as_number(value)
    if number is None or not 0 <= number <= 1:
        src.error(
            (key,),
            t("course.must_share_points_number_0", key=key, value=value),
        )
        return 0.0
    return number


def _similarity(src: Source, value: Any) -> float:
    """``similarity_threshold``: a share of a submission's own code, in [0, 1]."""
    number = _as_number(value)
    if number is None or not 0 <= number <= 1:
        src.error(("similarity_threshold",), t("course.similarity_threshold_share", value=value))
        return SIMILARITY_THRESHOLD
    return number


def _tolerance(src: Source, value: Any) -> Tolerance:
    if not isinstance(value, dict):
        src.error(
            ("tolerance",),
            t("course.tolerance_must_be_mapping", example="{rel: 1e-6, abs: 1e-9}"),
        )
        return Tolerance()
    check_keys(src, ("tolerance",), value, ("rel", "abs"))
    found: dict[str, float] = {}
    for key in ("rel", "abs"):
        if key not in value:
            continue
        number = _as_number(value[key])
        if number is None or not 0 <= number < 1:
            src.error(
                ("tolerance", key),
                t("course.tolerance_must_number_0_1", key=key),
            )
            return Tolerance()
        found[key] = number
    return Tolerance(**found)
