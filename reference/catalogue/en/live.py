"""The live round's API: what it answers a page or a client it refuses."""

TEXT = {
    "live.bad_at": 'at: a number for each of {names}, or "random"',
    "live.in_another_team": "{student} is already in team {team}",
    "live.name_bounded": "{what}: a name of 1 to {n} characters",
    "live.no_round": "no such round",
    "live.node_one_of": "node: one of {names}",
    "live.node_taken": "{node} is already taken in team {team}",
    "live.not_in_roster": "{student} is not in this round's teams",
    "live.not_json": "the request is not a JSON object",
    "live.not_your_node": "you may enter only for a node the round gives you",
    "live.quantity_one_of": "quantity: one of {names}",
    "live.roster_line": "line {line}: {message}",
    "live.teams_needed": (
        "teams: a list of team, student and node, a roster (CSV team,student,node) or open join"
    ),
    "live.token_required": "the teacher's token is required",
    "live.too_large": "the request is too large",
    "live.too_many": "too many requests: wait a moment and try again",
    "live.value_number": "value: a finite number",
}
