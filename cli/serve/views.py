"""What the live round's pages and export read, made from a team judged now
(:class:`grader.teams.entered.Judged`): the board's state of a team, a volunteer's own view,
and the round's JSON lines for the gradebook.

The reference's values appear only where the lesson puts them: a node nobody owns (the
reference stands in, as in ``grade --teams``) and, once the teacher reveals them, beside the
class's.  What a volunteer received from a teammate who has not entered yet is ``null``
(waiting), never the reference's number the chain stood in with.
"""

from __future__ import annotations

from typing import Any

from grader.teams.entered import Judged, quantities
from grader.teams.result import Link
from reference.course.model import Model
from reference.i18n import pick

#: An entered number's verdict on the board: right for what was received, wrong, or waiting.
VERDICT = {"right": "right", "carried": "right", "wrong": "wrong"}
#: The status of a question in a member's export line (the report's vocabulary).
STATUS = {"right": "passed", "carried": "passed", "wrong": "failed"}


def graph(model: Model) -> dict[str, Any]:
    """The model's graph as a page draws it: leaves, nodes with their arguments, the loss."""
    nodes = [{"name": n.name, "args": list(n.args)} for n in model.nodes]
    return {"leaves": list(model.leaves), "nodes": nodes, "loss": model.loss}


def entered(j: Judged, lang: str) -> list[dict[str, Any]]:
    """Every quantity of every member, in the lesson's order: the number entered (latest) and
    its verdict (``waiting`` until entered); made once a judgement and language."""
    made = j.memo.get(("entered", lang))
    if made is None:
        made = j.memo["entered", lang] = _entered(j, lang)
    assert isinstance(made, list)
    return made


def _entered(j: Judged, lang: str) -> list[dict[str, Any]]:
    model, out = j.course.model, []
    order = {n.name: k for k, n in enumerate(model.nodes)}
    for member in sorted(j.team.members, key=lambda m: order.get(m.node, len(order))):
        if member.node not in order:
            continue
        for quantity, (kind, _) in quantities(model, member.node).items():
            value = j.entries.get((member.student, member.node, quantity))
            row: dict[str, Any] = {
                "node": member.node,
                "quantity": quantity,
                "kind": kind,
                "student": member.student,
                "value": value,
                "verdict": "waiting",
                "status": "missing",
                "feedback": None,
            }
            if value is not None:
                status, feedback = j.verdict(member.student, member.node, quantity, value)
                row.update(verdict=VERDICT[status], status=status, feedback=pick(feedback, lang))
            out.append(row)
    return out


def _chain(link: Link, lang: str) -> dict[str, Any]:
    return {
        "node": link.node,
        "direction": link.direction,
        "student": link.student,
        "status": link.status,
        "handed": link.handed,
        "hands_on": link.hands_on,
        "feedback": pick(link.feedback, lang),
    }


def team_state(j: Judged, lang: str, reference: dict[str, Any] | None) -> dict[str, Any]:
    """A team on the board (:func:`_team_state`), made once a judgement, language and
    whether the reference is shown: a board and a hall of phones reconnecting after a
    restart ask for the same state at once."""
    key = ("state", lang, reference is not None)
    made = j.memo.get(key)
    if made is None:
        made = j.memo[key] = _team_state(j, lang, reference)
    assert isinstance(made, dict)
    return made


def _team_state(j: Judged, lang: str, reference: dict[str, Any] | None) -> dict[str, Any]:
    """A team on the board: its owners, the numbers entered and their verdicts, the chain's
    links (what each node handed on: an edge of the graph), the first broken link; the
    reference's values only when given (revealed)."""
    r = j.result
    first = r.first_broken
    return {
        "team": r.team,
        "owners": {n: next(iter(r.members.get(n, [])), None) for n in r.nodes},
        "links": entered(j, lang),
        "chain": [_chain(link, lang) for link in r.links],
        "first_broken": (
            {"node": first.node, "direction": first.direction, "student": first.student}
            if first
            else None
        ),
        "gradient_correct": r.gradient_correct,
        "step_correct": r.step_correct,
        "reference": reference,
    }


def team_phones(j: Judged, lang: str, reference: dict[str, Any] | None) -> dict[str, Any]:
    """A team's news for its own phones: the board's state and each member's own view (a
    phone shows its view from the news, rather than six phones asking for it again)."""
    key = ("phones", lang, reference is not None)
    made = j.memo.get(key)
    if made is None:
        volunteers = {s: volunteer(j, s, lang) for s in j.team.students}
        made = j.memo[key] = {**team_state(j, lang, reference), "volunteers": volunteers}
    assert isinstance(made, dict)
    return made


def volunteer(j: Judged, student: str, lang: str) -> list[dict[str, Any]]:
    """Each node ``student`` owns: what they received (``null``: not handed on yet), and each
    quantity they enter, with the number entered and its verdict."""
    model, r = j.course.model, j.result
    first = {(x.node, x.direction): x for x in r.links if x.hands_on}
    mine = [row for row in entered(j, lang) if row["student"] == student]
    out = []
    for node in (n.name for n in model.nodes if student in r.members.get(n.name, [])):
        forward = j.received(student, node, "forward")
        received = {
            a: (None if getattr(first.get((a, "forward")), "status", "") == "missing" else v)
            for a, v in forward.items()
        }
        users = [n.name for n in model.nodes if node in n.args]
        waiting = any(first[u, "backward"].status == "missing" for u in users)
        up = f"d{model.loss}_d{node}"
        upstream = None if waiting else j.received(student, node, "backward").get(up)
        out.append(
            {
                "node": node,
                "args": list(model.node(node).args),
                "received": received,
                "upstream": {"name": f"d{model.loss}/d{node}", "value": upstream},
                "quantities": [row for row in mine if row["node"] == node],
            }
        )
    return out


def export(j: Judged, round_id: str, lang: str) -> list[dict[str, Any]]:
    """The team's line as ``grade --teams --json`` writes it, then a line a member: each
    quantity they entered a question (passed, failed or missing), their links' verdicts."""
    r = j.result
    lines = [{**r.as_json(lang), "round": round_id}]
    rows = entered(j, lang)
    for student in j.team.students:
        questions = [
            {
                "id": f"{row['node']}.{row['quantity']}",
                "score": 1.0 if row["verdict"] == "right" else 0.0,
                "max_score": 1.0,
                "status": STATUS.get(row["status"], "missing"),
                "feedback": row["feedback"] or "",
                "value": row["value"],
            }
            for row in rows
            if row["student"] == student
        ]
        lines.append(
            {
                "submission": f"live:{round_id}",
                "student": student,
                "team": r.team,
                "owns": sorted(j.team.owned(student)),
                "score": sum(q["score"] for q in questions),
                "max_score": sum(q["max_score"] for q in questions),
                "questions": questions,
                "team_links": [link.as_json(lang) for link in r.links_of(student)],
            }
        )
    return lines
