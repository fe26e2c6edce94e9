"""A team's graph as inline SVG: the volunteers' round drawn on the lesson's graph.

On each node its owner(s) ("reference" where nobody owns it) and the value the team went on
with; on each edge a → N the dL/da that N's volunteer handed back.  A broken link is drawn
thick and dashed and marked ✗; the first broken one is also named in words (shape, symbol and
words, not colour alone).  Numbers come from :mod:`.team_values`, which hides any value that
would be the answer to a link a volunteer got wrong.
"""

from __future__ import annotations

from html import escape

from cli.html.assets import number
from cli.html.graph import ARROW, BOX_W, layout, owner_label
from cli.html.team_values import Shown, grad_key
from grader.teams.result import TeamResult
from reference.course.model import Model
from reference.i18n import pick, t

BOX_H, ROW_H, LEAF_H = 80, 104, 46
DIRECTION = {"forward": t("pages.forward"), "backward": t("pages.backward")}
HIDDEN = t("pages.hidden")
FIRST = t("pages.first_broken")


def shown_number(value: float | None, hidden: bool, lang: str) -> str:
    return f"({pick(HIDDEN, lang)})" if hidden else number(value)


def svg(model: Model, result: TeamResult, shown: Shown, lang: str) -> str:
    """The team's graph at the round's first point."""
    pos, width, height = layout(model, BOX_H, ROW_H)
    first = result.first_broken
    first_group = (first.node, first.direction) if first else None
    title = pick(t("pages.team_round", team=result.team), lang)
    desc = pick(
        t("pages.on_each_node_volunteer_value"),
        lang,
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="{width:.0f}" height="{height:.0f}" role="img" aria-labelledby="team-title '
        f'team-desc"><title id="team-title">{escape(title)}</title>'
        f'<desc id="team-desc">{escape(desc)}</desc>{ARROW}'
    ]
    for node in model.nodes:  # edges first, boxes over them
        x2, y2 = pos[node.name]
        broken = (node.name, "backward") in shown.broken_groups
        is_first = first_group == (node.name, "backward")
        for a in node.args:
            x1, y1 = pos[a]
            sx, sy, ex, ey = x1 + BOX_W, y1 + BOX_H / 2, x2, y2 + BOX_H / 2
            key = grad_key(model, a)
            hidden = key in shown.hidden
            value = shown_number(shown.edges.get((a, node.name)), hidden, lang)
            label = f"{'✗ ' if broken else ''}\u2202{model.loss}/\u2202{a} = {value}"
            cls = "edge" + (" wrong" if broken else "") + (" first-broken" if is_first else "")
            lx, ly = sx + (ex - sx) * 0.5, sy + (ey - sy) * 0.5 - 5
            parts.append(
                f'<g class="{cls}" data-edge="{escape(a)}-{escape(node.name)}">'
                f'<line x1="{sx:.1f}" y1="{sy:.1f}" x2="{ex:.1f}" y2="{ey:.1f}" '
                f'marker-end="url(#arrow)"/>'
                f'<text x="{lx:.1f}" y="{ly:.1f}" text-anchor="middle" paint-order="stroke" '
                f'stroke="#ffffff" stroke-width="4">{escape(label)}</text></g>'
            )
    for name, (x, y) in pos.items():
        leaf = name in model.leaves
        cx = x + BOX_W / 2
        lines = []
        if leaf:
            cls, head = "node leaf", name
        else:
            broken = (name, "forward") in shown.broken_groups
            owners = result.members.get(name, [])
            cls = "node" + (" wrong" if broken else "") + ("" if owners else " reference")
            if first_group and first_group[0] == name:
                cls += " first-broken"
                way = pick(DIRECTION[first_group[1]], lang)
                lines.append(f"\u2717 {pick(FIRST, lang)} ({way})")
            head = ("\u2717 " if broken else "") + name
            lines.insert(0, owner_label(owners, lang))
        hidden = not leaf and name in shown.hidden
        value = shown_number(shown.values.get(name), hidden, lang)
        extra = "".join(
            f'<text class="{"owner" if i == 0 and not leaf else "flag"}" x="{cx:.1f}" '
            f'y="{y + 54 + 16 * i:.1f}" text-anchor="middle">{escape(line)}</text>'
            for i, line in enumerate(lines)
        )
        owned = ",".join(result.members.get(name, []))
        attr = "" if leaf else f' data-owner="{escape(owned)}"'
        if leaf:  # a smaller box, centred where the edges start
            y += (BOX_H - LEAF_H) / 2
        parts.append(
            f'<g class="{cls}" data-node="{escape(name)}"{attr}><rect x="{x:.1f}" '
            f'y="{y:.1f}" width="{BOX_W}" height="{LEAF_H if leaf else BOX_H}" rx="6"/>'
            f'<text class="name" x="{cx:.1f}" y="{y + 18:.1f}" text-anchor="middle">'
            f"{escape(head)}</text>"
            f'<text x="{cx:.1f}" y="{y + 37:.1f}" text-anchor="middle">= {escape(value)}</text>'
            f"{extra}</g>"
        )
    parts.append("</svg>")
    return "".join(parts)
