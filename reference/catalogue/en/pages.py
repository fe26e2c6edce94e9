"""The pages domain in English."""

TEXT = {
    "pages.at_first_point": "At the first point",
    "pages.backward": "backward",
    "pages.class": "Class",
    "pages.class_2": "← the class",
    "pages.computation_graph_with_your_values": "The computation graph with your values",
    "pages.correct": "correct",
    "pages.could_not_read_as_formula": "could not be read as a formula",
    "pages.derivatives": "Derivatives",
    "pages.each_function_each_arrow_local": (
        "Each function and each arrow (its local derivative) coloured and labelled by the share "
        "of the class's answers to its questions that were right: red 0 %, amber 50 %, green 100 "
        "%."
    ),
    "pages.exercise": "Exercise",
    "pages.feedback": "Feedback",
    "pages.feedback_2": "{student}: feedback",
    "pages.first_broken": "first broken",
    "pages.first_broken_link": "First broken link",
    "pages.forward": "forward",
    "pages.function": "Function",
    "pages.gradient": "Gradient",
    "pages.gradient_step": "Gradient and step",
    "pages.handed_on": "Handed on",
    "pages.hidden": "hidden",
    "pages.html_cannot_written_permission_denied": (
        "--html {folder}: cannot be written (permission denied)"
    ),
    "pages.html_file_not_folder": "--html {folder}: is a file, not a folder",
    "pages.html_folder_does_not_exist": "--html {folder}: the folder {parent} does not exist",
    "pages.link": "Link",
    "pages.links": "Links",
    "pages.mean_points": "Mean points",
    "pages.mean_score": "mean score",
    "pages.members": "Members",
    "pages.most_frequent_mistakes": "Most frequent mistakes",
    "pages.node_exercise": "Node or exercise",
    "pages.none": "none",
    "pages.not_asked_another_volunteer_node": "not asked (another volunteer's node)",
    "pages.not_correct": "not correct",
    "pages.notes": "Notes",
    "pages.on_each_node_value_your": (
        "On each node: the value your function gives at the point on the left; on each arrow: "
        "your local derivative there. Marked ✗, drawn thick and dashed: checked and found wrong."
    ),
    "pages.on_each_node_volunteer_value": (
        "On each node: its volunteer(s) and the value the team handed on; on each arrow a → N: "
        "the dL/da that N's volunteer handed back. Marked ✗, drawn thick and dashed: a broken "
        "link; the first one is named."
    ),
    "pages.parameter": "Parameter",
    "pages.passed": "Passed",
    "pages.points": "Points",
    "pages.question": "Question",
    "pages.questions": "Questions",
    "pages.received": "Received",
    "pages.reference_where_team_right": "Reference (where the team's is right)",
    "pages.round": "The round",
    "pages.row": "Row",
    "pages.score": "Score",
    "pages.score_distribution": "Score distribution",
    "pages.score_maximum_each_bar_from": (
        "score, % of the maximum (each bar from the % under it); above a bar: students"
    ),
    "pages.share": "Share",
    "pages.status": "Status",
    "pages.step": "Step",
    "pages.student": "Student",
    "pages.students": "Students",
    "pages.students_by_score_percent": "Students by score, in percent",
    "pages.submission": "Submission",
    "pages.submissions": "Submissions",
    "pages.table_derivatives": "The table of derivatives",
    "pages.team": "Team",
    "pages.team_2": "Team {name}",
    "pages.team_dl_dp": "The team's dL/dp",
    "pages.team_new_value": "The team's new value",
    "pages.team_round": "Team {team}: the round",
    "pages.teams": "Teams",
    "pages.unknown_question": "unknown question",
    "pages.value_marked_hidden_would_show": (
        "A value marked hidden would show the answer to a link a volunteer got wrong."
    ),
    "pages.verdict": "Verdict",
    "pages.volunteer": "Volunteer",
    "pages.volunteer_2": "Volunteer(s)",
    "pages.where_class_breaks": "Where the class breaks",
    "pages.you": "you",
    "pages.you_own": "you own",
    "pages.your_computation_graph": "Your computation graph",
    "pages.your_formula": "Your formula",
    "pages.your_formulas": "Your formulas",
    "pages.your_functions_chained_at_values": (
        "Your functions, chained, at the values of «{student}» (the ones `python check.py --id "
        "{student}` prints):"
    ),
    "pages.your_team": "Your team",
}
