"""A volunteer's own grade: only the questions of the nodes and exercises the roster gives
them, with their own maximum, and the team's links they made."""

from __future__ import annotations

from typing import Any

from grader.teams.result import TeamResult
from grader.teams.roster import Team


def own_share(obj: dict[str, Any], team: Team) -> dict[str, Any]:
    """``obj`` (a submission's JSON report) cut to what its student owns in ``team``."""
    owned = team.owned(obj["student"])
    questions = [q for q in obj["questions"] if q["id"].split(".")[0] in owned]
    return {
        **obj,
        "team": team.name,
        "owns": sorted(owned),
        "questions": questions,
        "score": round(sum(q.get("score", 0.0) for q in questions), 6),
        "max_score": round(sum(q.get("max_score", 0.0) for q in questions), 6),
    }


def with_links(obj: dict[str, Any], result: TeamResult, lang: str) -> dict[str, Any]:
    """``obj`` with the team's verdicts on the links its student made (score apart)."""
    mine = result.links_of(obj["student"])
    return {**obj, "team_links": [link.as_json(lang) for link in mine]}
