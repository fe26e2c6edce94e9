"""The terminal domain in English."""

TEXT = {
    "terminal.1_values_forward_pass": "1. Values (forward pass)",
    "terminal.2_local_derivatives_each_function": "2. Local derivatives of each function",
    "terminal.3_derivative_loss_with_respect": (
        "3. Derivative of the loss with respect to every element (chain rule)"
    ),
    "terminal.4_gradient_descent_step": "4. Gradient-descent step",
    "terminal.added": "{file}:{line}: added {what}",
    "terminal.answer_key_at": "Answer key at",
    "terminal.backward": "backward",
    "terminal.chain_rule": "chain rule",
    "terminal.course": "course: {path}",
    "terminal.course_inside_submission_being_graded": (
        "--course {course_path}: is inside a submission being graded"
    ),
    "terminal.course_no_course_yml_there": "--course {course_path}: no course.yml there",
    "terminal.data": "data",
    "terminal.derivative": "derivative",
    "terminal.every_parameter_input_has_chain": "every parameter and input has its chain question",
    "terminal.exercises_questions_points_graded_automatically": (
        "{n_ex} exercises, {n_q} questions, {total:g} points: {auto:g} graded automatically, "
        "{manual:g} by the teacher"
    ),
    "terminal.exists_but_not_listed_course": "{path} exists but is not listed in course.yml",
    "terminal.exists_never_overwritten_move_away": (
        "{path} exists: it is never overwritten (move it away first)"
    ),
    "terminal.feedback": "feedback",
    "terminal.files_setup_sh_run_autograder": (
        "{out}: {n_names} files (setup.sh, run_autograder, {wheels}, course/); upload it as the "
        "assignment's autograder on Gradescope"
    ),
    "terminal.first_broken_link_gradient_came": (
        "first broken link: {link} (the gradient came out right all the same)"
    ),
    "terminal.formula": "formula",
    "terminal.forward": "forward",
    "terminal.free_text_questions_points_are": (
        "Free-text questions ({points} points) are graded by the teacher (nbgrader) and not "
        "counted here."
    ),
    "terminal.function": "function",
    "terminal.grade_cluster_cannot_grade_nothing": (
        "grade: the cluster cannot grade, nothing was graded: {e}"
    ),
    "terminal.grade_ignored_inside_submission_being": (
        "grade: {display} ignored: it is inside a submission being graded"
    ),
    "terminal.grade_isolation_namespaces_student_code": (
        "grade --isolation namespaces: student code cannot run in Linux namespaces on this "
        "machine ({why}); nothing was graded"
    ),
    "terminal.grade_output_file_could_not": "grade: an output file could not be written: {why}",
    "terminal.graded_weaker_sandbox_refused_by": (
        "graded in the weaker {isolation} sandbox, refused by --isolation namespaces"
    ),
    "terminal.gradescope_writes_results_exactly_one": (
        "--gradescope writes the results of exactly one submission."
    ),
    "terminal.grading": "Grading",
    "terminal.handed_on": "handed on",
    "terminal.hands_on": "hands on",
    "terminal.ids_taken_from_folder_zip": (
        "ids taken from a folder's or zip's name (no student.txt, no --roster), {n}: {ids}"
    ),
    "terminal.input": "input",
    "terminal.json_another_grade_run_writing": (
        "--json {path}: another grade run is writing this file; wait for it to finish or choose "
        "another file"
    ),
    "terminal.json_cannot_written": "--json {path}: cannot be written ({err})",
    "terminal.json_keeps_being_replaced_by": (
        "--json {path}: keeps being replaced by another program"
    ),
    "terminal.json_not_grade_report_written": (
        "--json {path}:{n}: not a grade report written by grade; choose another file (or remove "
        "that line)"
    ),
    "terminal.link": "link",
    "terminal.loss": "loss",
    "terminal.name": "name",
    "terminal.name_node_give_chain": "name a NODE, or give --chain",
    "terminal.new_value": "new value",
    "terminal.no_course_yml_found_this": (
        "no course.yml found in this folder or above it (outside the submissions); run grade from "
        "the course folder or give --course"
    ),
    "terminal.no_submission_found_there": "No submission found there.",
    "terminal.no_such_file_folder": "{path}: no such file or folder",
    "terminal.nobody_teacher": "(nobody: the teacher)",
    "terminal.not_finite_number_here": "not a finite number here",
    "terminal.not_graded_grader_failed": "{submission}: not graded, the grader failed: {why}",
    "terminal.not_node_model": "{node} is not a node of the model ({names}){hint}",
    "terminal.not_roster_exported_by_id": (
        "not in --roster, exported by the id graded (check them on the platform): {students}"
    ),
    "terminal.ok_nodes": "{name}: OK — nodes {nodes}",
    "terminal.option_goes_with": "{option} goes with {output}: give both, or neither",
    "terminal.parameter": "parameter",
    "terminal.problems_in_course_files": "{n} {n:plural:problem|problems} in the course files",
    "terminal.question": "question",
    "terminal.questions_not_last_key_so": (
        "{path}: questions: is not its last key, so nothing can be added"
    ),
    "terminal.received": "received",
    "terminal.receives": "receives",
    "terminal.reference": "(reference)",
    "terminal.refuse_grading_without_namespaces_grade": (
        "To refuse grading without namespaces: grade --isolation namespaces"
    ),
    "terminal.sandbox": "sandbox: {isolation}",
    "terminal.scheduler_address_needed": "--scheduler: an address is needed",
    "terminal.scheduler_needs_dask_distributed_pip": (
        "--scheduler needs Dask distributed: pip install 'backprop-course[dask]'"
    ),
    "terminal.score": "score",
    "terminal.status": "status",
    "terminal.step": "step",
    "terminal.student": "student",
    "terminal.student_id_carried_by_submissions": (
        "student id {student!r} is carried by {n} submissions: {submissions}"
    ),
    "terminal.student_only_applies_with_solutions": "--student only applies with --solutions",
    "terminal.submission_not_graded_because_grader": (
        "{n} submission(s) not graded because the grader failed (nothing saved for them); fix the "
        "cause and run grade again to grade them."
    ),
    "terminal.team": "team {team}: {score} / {max}",
    "terminal.team_gradient_off_first_broken": (
        "the team's gradient is off; first broken link: {link}"
    ),
    "terminal.team_gradient_step_are_right": "the team's gradient and step are right",
    "terminal.teams_rounds_could_not_run": (
        "The teams' rounds could not run, the grader failed (team lines not saved): {why}"
    ),
    "terminal.total": "total",
    "terminal.unchanged_submission_kept_from_earlier": (
        "{n} unchanged submission(s) kept from the earlier run."
    ),
    "terminal.value": "value",
    "terminal.volunteer": "volunteer",
    "terminal.volunteers_round_at": "The volunteers' round at",
    "terminal.what": "what",
    "terminal.workers_at_least_1": "--workers: at least 1",
    "terminal.workers_scheduler_choose_one_cluster": (
        "--workers and --scheduler: choose one (the cluster has its own workers)"
    ),
    "terminal.wrote": "wrote {path}",
}
