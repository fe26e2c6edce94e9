"""The gradescope domain in English."""

TEXT = {
    "gradescope.field_blank": "your Gradescope {field} is blank: your {key} is your id",
    "gradescope.found": "Found: {names}.",
    "gradescope.graded_as": "Graded as «{student}».",
    "gradescope.gradescope_must_mapping": "gradescope must be a mapping",
    "gradescope.must_one_not": "{path} must be one of {visibilities}, not {value!r}",
    "gradescope.no_user": (
        "Gradescope named no student for this submission (no email, sid, name or id): nothing was "
        "graded. Ask your teacher to check the submission's owner and regrade it."
    ),
    "gradescope.nothing_to_grade": (
        "Nothing could be graded in this upload. Upload the filled stubs (A.py, B.py, …) or their "
        "notebooks, as the release has them."
    ),
    "gradescope.out_cannot_written": "--out {out}: cannot be written ({err})",
    "gradescope.student_id_must_one_not": (
        "student_id must be one of {id_fields}, not {student_id!r}"
    ),
    "gradescope.student_txt_not_theirs": (
        "Your student.txt says «{found}», which is not one of your Gradescope identifiers "
        "({identifiers}): your values (the numbers you compute by hand) are those of «{student}». "
        "Print them with `python check.py --id {student}`."
    ),
    "gradescope.submitted_together": "{n} students submitted together: graded as the first",
    "gradescope.tests_must_mapping": "tests must be a mapping",
    "gradescope.tests_no_exercise_question_course": (
        "tests: {name!r} is no exercise or question of the course"
    ),
    "gradescope.this_package_installed_not_run": (
        "this package is installed, not run from its source: build its wheel (pip wheel --no-deps "
        "SOURCE) and give it with --wheel"
    ),
    "gradescope.two_submissions": (
        "This upload holds more than one submission side by side: nothing was graded. Upload one "
        "folder (or one zip) with your stubs."
    ),
    "gradescope.wheel_could_not_built": "the wheel could not be built: {done}",
    "gradescope.wheel_not_wheel_this_package": (
        "--wheel {wheel}: not a wheel of this package ({wheel_prefix}*.whl)"
    ),
    "gradescope.wheel_not_zip_file": "--wheel {wheel}: not a zip file",
}
