"""Which of a team's numbers a page may show: the team's own, never the reference's answer to a
link a volunteer got wrong.

A link's *group* is its node and direction (several owners may share a node).  In a group with
a broken link the value the team went on with is the broken volunteer's own number only when
the first owner broke it and answered; otherwise it is a co-owner's right value or the
reference standing in for a volunteer whose code gave nothing, i.e. the answer the broken
volunteer should have given.  Such a value is hidden wherever it travels: on the node or edge,
in every teammate's "received", in a co-owner's "handed on", and in every value the chain
computed from it (a node's output from a hidden argument, a dL/da from a hidden output or a
hidden dL/dN: dL/dS = 2(S - gold) gives S back exactly), so in a gradient or step built from it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from grader.teams.result import Link, TeamResult
from reference.course.model import Model


@dataclass
class Shown:
    """The team's values at the first point, with what must stay hidden (None: no number)."""

    values: dict[str, float | None] = field(default_factory=dict)  # leaf or node → value
    edges: dict[tuple[str, str], float | None] = field(
        default_factory=dict
    )  # (arg, node) → dL/d arg
    hidden: set[str] = field(default_factory=set)  # keys of "received" never shown
    broken_groups: set[tuple[str, str]] = field(default_factory=set)  # (node, direction)

    def value(self, key: str, values: dict[str, float | None]) -> float | None:
        return None if key in self.hidden else values.get(key)

    def handed(self, link: Link) -> dict[str, float | None] | None:
        """What ``link`` handed on as the page shows it; None: hidden (a co-owner broke the
        link, so a right value here is the answer they missed)."""
        if (link.node, link.direction) in self.broken_groups and not link.broken:
            return None
        return dict(link.handed)

    def received(self, link: Link) -> dict[str, float | None]:
        """What ``link`` received, a value the page must not show as None."""
        return {k: self.value(k, link.received) for k in link.received}


def grad_key(model: Model, name: str) -> str:
    """The name a link's numbers give dL/d``name`` (``dL_dG``)."""
    return f"d{model.loss}_d{name}"


def shown(model: Model, result: TeamResult) -> Shown:
    out = Shown()
    groups: dict[tuple[str, str], list[Link]] = {}
    for link in result.links:
        groups.setdefault((link.node, link.direction), []).append(link)
    nodes = {n.name: n for n in model.nodes}
    for (name, direction), links in groups.items():
        hands = next((x for x in links if x.hands_on), links[0])
        if any(x.broken for x in links):
            out.broken_groups.add((name, direction))
        hide = (name, direction) in out.broken_groups and not (hands.broken and hands.handed)
        if direction == "forward":
            for k, v in hands.received.items():
                if k in model.leaves:
                    out.values[k] = v
            out.values[name] = None if hide else hands.handed.get(name)
            if hide:  # not the broken volunteer's own number
                out.hidden.add(name)
        elif name in nodes:
            for a in nodes[name].args:
                out.edges[(a, name)] = None if hide else hands.handed.get(grad_key(model, a))
                if hide:
                    out.hidden.add(grad_key(model, a))
    _spread(model, out)
    return out


def _spread(model: Model, out: Shown) -> None:
    """Hide every value computed from a hidden one: forward in the nodes' order, then backward
    (a node's dL/d(argument) from its arguments' values and its own dL/dN)."""
    for node in model.nodes:
        if any(a in out.hidden for a in node.args if a not in model.leaves):
            out.hidden.add(node.name)
            out.values[node.name] = None
    for node in reversed(model.nodes):
        tainted = node.name in out.hidden or grad_key(model, node.name) in out.hidden
        if tainted or any(a in out.hidden for a in node.args):
            for a in node.args:
                out.hidden.add(grad_key(model, a))
                out.edges[(a, node.name)] = None
