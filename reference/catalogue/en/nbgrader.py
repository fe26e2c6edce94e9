"""The nbgrader domain in English."""

TEXT = {
    "nbgrader.assignment_course_yml_not_valid": (
        "assignment {assignment!r} in course.yml is not a valid nbgrader assignment name "
        "(letters, digits, - and _)"
    ),
    "nbgrader.cannot_read": "cannot read {path}: {err}",
    "nbgrader.helpers": (
        "# Run this cell first. It defines the public checks the test cells use and\n# "
        "my_values(): your own values for the numbers computed by hand.  The course's\n# grader "
        "scores the answers itself, in its sandbox, not with this code."
    ),
    "nbgrader.how": (
        "Fill in every answer cell below, keeping the names, and run the test cell under it: it "
        "checks public examples only. The grader tests other points and more, in hidden tests."
    ),
    "nbgrader.kernel": (
        "this course root grades in the course's sandbox, not in a kernel: its nbgrader_config.py "
        "must keep the autograde_preprocessors `course nbgrader` wrote"
    ),
    "nbgrader.no_reader": (
        "{reader_file} is not beside this notebook: formulas are checked for their form only "
        "here; the grader reads them when it grades"
    ),
    "nbgrader.not_one_course_test_cells": (
        "not one of the course's test cells: the course's grader does not score it"
    ),
    "nbgrader.public_check": (
        "# A public check on public examples; the grader checks other points itself."
    ),
    "nbgrader.readme": (
        "# {title}\n\nAn nbgrader course root, written by `course nbgrader`. The assignment `{a}` "
        "is in `source/{a}/`, one notebook per exercise; its first notebook opens with the table "
        "below. Next: `nbgrader generate_assignment {a}`, and after collecting, `nbgrader "
        "autograde {a}` (it grades in the course's sandbox).\n\n"
    ),
    "nbgrader.summary": (
        "Wrote the nbgrader course ({lang}) to {out}:\n  nbgrader_config.py, course.yml and "
        "exercises/ (a snapshot of the course)\n  source/{a}/: {n} notebooks, {auto:g} points "
        "autograded, {manual:g} by hand\nNext: cd {out} && nbgrader generate_assignment {a}"
    ),
}
