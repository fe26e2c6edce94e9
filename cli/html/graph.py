"""The lesson's computation graph as inline SVG, drawn from the course model (any model).

Leaves on the left, each node one column right of its deepest argument; on each node the
value the student's own code gives, on each edge the student's local derivative.  A node
whose function, or an edge whose local derivative, the grade found wrong is drawn thick and
dashed and marked ✗ (shape and symbol, not colour alone).  Only the student's values are
drawn: the reference's never appear here.

In team mode each node also carries its owner(s) (the student's own node says so) and a node
nobody owns is marked "reference"; :mod:`.team_graph` draws a team's graph on this layout.
"""

from __future__ import annotations

from html import escape

from cli.html.assets import number
from grader.scoring.trace import Trace
from reference.course.model import Model
from reference.i18n import pick, t

BOX_W, BOX_H, COL_W, ROW_H, PAD = 128, 46, 300, 78, 24
#: A box one line taller, for the owner(s) under the value.
OWNED_H, OWNED_ROW_H = 62, 90
_OK = ("passed", "missing", "manual", "")
REFERENCE = t("teams.reference")  # the reference standing in for a volunteer
ARROW = (
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
    'markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" '
    'fill="#555555"/></marker></defs>'
)


def _columns(model: Model) -> list[list[str]]:
    depth: dict[str, int] = dict.fromkeys(model.leaves, 0)
    for node in model.nodes:  # the model's nodes come in topological order
        depth[node.name] = 1 + max(depth[a] for a in node.args)
    leaves: list[str] = []
    for node in model.nodes:
        leaves += [a for a in node.args if a in model.leaves and a not in leaves]
    cols = [leaves] + [[] for _ in range(max(depth.values()))]
    for node in model.nodes:
        cols[depth[node.name]].append(node.name)
    return cols


def layout(
    model: Model, box_h: int = BOX_H, row_h: int = ROW_H
) -> tuple[dict[str, tuple[float, float]], int, int]:
    """Each name's box corner, and the drawing's width and height."""
    cols = _columns(model)
    rows = max(len(c) for c in cols)
    height = rows * row_h + 2 * PAD
    width = (len(cols) - 1) * COL_W + BOX_W + 2 * PAD
    pos: dict[str, tuple[float, float]] = {}
    for i, col in enumerate(cols):
        top = PAD + (rows - len(col)) * row_h / 2
        for j, name in enumerate(col):
            pos[name] = (PAD + i * COL_W, top + j * row_h + (row_h - box_h) / 2)
    return pos, width, height


def owner_label(owners: list[str], lang: str, me: str | None = None) -> str:
    """Who owns a node, as plain text: their names ("you" for ``me``), or "reference"."""
    if not owners:
        return f"[{pick(REFERENCE, lang)}]"
    you = pick(t("pages.you"), lang)
    return ", ".join(you if o == me else o for o in owners)


def svg(
    model: Model,
    tr: Trace,
    statuses: dict[str, str],
    lang: str,
    owners: dict[str, list[str]] | None = None,
    me: str | None = None,
) -> str:
    """The graph; ``statuses``: question id → status (``N.forward``, ``N.dN_da``);
    ``owners`` (team mode): node → its owners, drawn on the node (``me`` as "you")."""
    box_h = BOX_H if owners is None else OWNED_H
    pos, width, height = layout(model, box_h, ROW_H if owners is None else OWNED_ROW_H)
    title = pick(t("pages.computation_graph_with_your_values"), lang)
    desc = pick(
        t("pages.on_each_node_value_your"),
        lang,
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="{width:.0f}" height="{height:.0f}" role="img" aria-labelledby="graph-title '
        f'graph-desc"><title id="graph-title">{escape(title)}</title>'
        f'<desc id="graph-desc">{escape(desc)}</desc>'
    ]
    for node in model.nodes:  # edges first, boxes over them
        x2, y2 = pos[node.name]
        for a in node.args:
            x1, y1 = pos[a]
            sx, sy, ex, ey = x1 + BOX_W, y1 + box_h / 2, x2, y2 + box_h / 2
            code = statuses.get(f"{node.name}.d{node.name}_d{a}", "")
            wrong = code not in _OK
            value = tr.local.get(node.name, {}).get(a)
            label = f"\u2202{node.name}/\u2202{a} = {number(value)}"
            mark = "\u2717 " if wrong else ""
            lx, ly = sx + (ex - sx) * 0.5, sy + (ey - sy) * 0.5 - 5
            parts.append(
                f'<g class="edge{" wrong" if wrong else ""}" '
                f'data-edge="{escape(a)}-{escape(node.name)}">'
                f'<line x1="{sx:.1f}" y1="{sy:.1f}" x2="{ex:.1f}" y2="{ey:.1f}" '
                f'marker-end="url(#arrow)"/>'
                f'<text x="{lx:.1f}" y="{ly:.1f}" text-anchor="middle" paint-order="stroke" '
                f'stroke="#ffffff" stroke-width="4">{escape(mark + label)}</text></g>'
            )
    for name, (x, y) in pos.items():
        leaf = name in model.leaves
        value = tr.point.get(name) if leaf else tr.values.get(name)
        wrong = not leaf and statuses.get(f"{name}.forward", "") not in _OK
        cls = "node leaf" if leaf else "node" + (" wrong" if wrong else "")
        head = ("\u2717 " if wrong else "") + name
        owned = ""
        if owners is not None and not leaf:
            mine = owners.get(name, [])
            cls += " mine" if me in mine else ""
            cls += "" if mine else " reference"
            owned = (
                f'<text class="owner" x="{x + BOX_W / 2:.1f}" y="{y + 54:.1f}" '
                f'text-anchor="middle" data-owner="{escape(",".join(mine))}">'
                f"{escape(owner_label(mine, lang, me))}</text>"
            )
        parts.append(
            f'<g class="{cls}" data-node="{escape(name)}"><rect x="{x:.1f}" y="{y:.1f}" '
            f'width="{BOX_W}" height="{box_h}" rx="6"/>'
            f'<text class="name" x="{x + BOX_W / 2:.1f}" y="{y + 18:.1f}" '
            f'text-anchor="middle">{escape(head)}</text>'
            f'<text x="{x + BOX_W / 2:.1f}" y="{y + 37:.1f}" text-anchor="middle">'
            f"= {escape(number(value))}</text>{owned}</g>"
        )
    parts.insert(1, ARROW)
    parts.append("</svg>")
    return "".join(parts)
