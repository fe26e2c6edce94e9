"""The teams domain in English."""

TEXT = {
    "teams.already_team": "«{student}» is already in team «{team}»",
    "teams.backward_must_return_dict_with": (
        "backward must return a dict with exactly the keys {sorted}; got {shown}"
    ),
    "teams.did_not_answer": "{what} did not answer ({status}): {message}",
    "teams.link_carried": "right for what it got",
    "teams.link_right": "right",
    "teams.link_wrong": "wrong",
    "teams.listed_twice": "«{student}, {node}» is listed twice",
    "teams.nobody_team_owns_reference_stands": (
        "nobody in the team owns {name}: the reference stands in"
    ),
    "teams.not_entered": "not entered yet",
    "teams.not_right_for_values_this": "not right for the values this volunteer received",
    "teams.reference": "reference",
    "teams.right": "right",
    "teams.right_for_values_received_earlier": (
        "right for the values received (an earlier link was wrong): full marks"
    ),
    "teams.roster_lists_no_one": "the roster lists no one",
    "teams.team_roster": "team roster",
    "teams.unknown_node_model_nodes_other": (
        "unknown node «{clean_id}»{hint} (the model's nodes: {nodes}; other exercises: {others})"
    ),
    "teams.unknown_student_no_submission_that": (
        "unknown student «{student}»{hint}: no submission of that id among those graded"
    ),
    "teams.upstream_factor_teammate_handed_on": (
        "the upstream factor {up_name} the teammate handed on is left out: multiply it by the "
        "local derivative"
    ),
    "teams.wrong_because": "{verdict}: {hint}",
}
