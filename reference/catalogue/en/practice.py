"""The practice domain in English: fresh variants judged by the grader (``course serve``)."""

TEXT = {
    # an answer of the wrong form (grader/practice.py)
    "practice.answer_number": "Write a number, such as -0.125 or 1.5e-3.",
    "practice.answer_too_long": "Too long: at most {n} characters.",
    "practice.answer_formula": "Write the formula as text, such as w1*x1.",
    "practice.answer_option": "Choose one of the options.",
    "practice.answer_set": "Choose the options as a list of their names.",
    "practice.answer_mapping": "Write a dict: each name to one option, or to a list of names.",
    "practice.answer_code": "Write the function's code.",
    "practice.not_practised": "This question is not practised here: the teacher grades it.",
    # the API's refusals (cli/serve/practice.py)
    "practice.no_question": "No question {question} to practise.",
    "practice.no_variant": "No such variant: start a fresh one.",
    "practice.variant_closed": (
        "This variant is closed (its solution was shown): start a fresh one."
    ),
    "practice.not_on_roster": "{student} is not on the class's roster.",
    "practice.bad_student": "A student id: 1 to {n} characters, no control characters.",
    "practice.too_many": "Too many requests at once: wait a moment and send again.",
    "practice.too_large": "The request is too large.",
    "practice.not_json": "The request is not a JSON object.",
    "practice.token_required": "The teacher's token is required.",
    "practice.grader_failed": (
        "The grader could not check this answer. It is not your mistake and it is not "
        "counted: send it again in a moment."
    ),
    # course serve's printout
    "practice.students_url": "students practise at: {url}",
    "practice.teacher_url": "the class's practice (keep this link to yourself): {url}",
    # the pages
    "practice.language_name": "English",
    "practice.needs_script": "This page needs JavaScript.",
    "practice.title": "Practice",
    "practice.intro": (
        "Practise any question on fresh values as often as you like. Each answer is judged by "
        "the grader, as at grading time; nothing here counts toward your grade."
    ),
    "practice.your_id": "Your student id",
    "practice.id_needed": "Type your student id first.",
    "practice.id_hint": "The id your work is graded under (the one check.py --id takes).",
    "practice.question_label": "Question",
    "practice.start": "Practise this question",
    "practice.variant_heading": "{question}, variant {n}",
    "practice.points": "{n:g} {n:plural:point|points} in the assignment",
    "practice.hint_label": "Hint",
    "practice.values_heading": "The values of this variant",
    "practice.values_note": (
        "Here “your values” are this variant's values, not those of your graded assignment."
    ),
    "practice.random_points": "Your answer is checked at random points drawn for this variant.",
    "practice.answer_label": "Your answer",
    "practice.code_label": "Your code",
    "practice.names_hint": "names separated by commas",
    "practice.choose": "choose…",
    "practice.send": "Check",
    "practice.checking": "Checking…",
    "practice.fresh": "A fresh variant",
    "practice.show_solution": "Show the solution (this variant closes)",
    "practice.solution_confirm": (
        "Show the solution? This variant closes; you go on with a fresh one."
    ),
    "practice.solution_heading": "The solution of variant {n}",
    "practice.closed_note": "This variant is closed: practise on a fresh one.",
    "practice.verdict_right": "right",
    "practice.verdict_partial": "partly right",
    "practice.verdict_wrong": "not right",
    "practice.unavailable": "not checked",
    "practice.answers_count": "{n} {n:plural:answer|answers}",
    "practice.solved": "solved",
    "practice.server_silent": "The server did not answer: try again.",
    "practice.refused": "Refused: {why}",
    "practice.empty_answer": "Write an answer first.",
    # the teacher's page
    "practice.teacher_title": "Practice: the class",
    "practice.no_token": (
        "This page needs the teacher's link that course serve printed (with its token)."
    ),
    "practice.nobody_yet": "Nobody has practised yet.",
    "practice.summary_students": "{n} {n:plural:student|students} practised.",
    "practice.col_question": "question",
    "practice.col_students": "students who practised",
    "practice.col_success": "succeeded",
    "practice.col_answers": "answers",
    "practice.col_diagnoses": "most frequent diagnoses",
    "practice.refresh": "Refresh",
}
