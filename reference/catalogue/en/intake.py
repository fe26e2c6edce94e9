"""The intake domain in English."""

TEXT = {
    "intake.answer_cell_appears_times_cells": (
        "The answer cell of {qid} appears {n_answers} times in {name} (cells {where}): the last "
        "one counts here, but nbgrader refuses to grade a notebook with duplicated cells; delete "
        "the copies."
    ),
    "intake.answer_cell_cell_has_changed": (
        "The answer cell of {qid} (cell {number}) has changed type or metadata: nbgrader may not "
        "grade it; use the released cell."
    ),
    "intake.answer_cell_lost_nbgrader_metadata": (
        "The answer cell of {qid} in {name} lost its nbgrader metadata (was it retyped or copied "
        "into a new cell?): {name_2} was graded from cell {elsewhere}. nbgrader grades only the "
        "original cell: put your answer back into it."
    ),
    "intake.answer_cell_not_deleted_restore": (
        "The answer cell of {qid} is not in {name} (deleted?); restore it from the released "
        "notebook."
    ),
    "intake.blank_student_file": "# your id goes here: python check.py --id YOUR_ID",
    "intake.both_were_filled_both_were": (
        "both {label} and {label_2} were filled in: both were graded, the better ({label_2}, "
        "{max:g} against {min:g}) is kept"
    ),
    "intake.cannot_open_zip": "{name}: cannot open the zip ({err})",
    "intake.cannot_read_2": "{name}: cannot read it ({err})",
    "intake.cannot_read_3": "{label}: cannot read it ({err})",
    "intake.csv_cannot_read": "cannot read the {what}",
    "intake.csv_not_utf8": "the {what} is not UTF-8 text",
    "intake.csv_too_large": "the {what} is too large",
    "intake.each_line_needs": "each line needs: {wanted}",
    "intake.first_line_must_header": "the first line must be the header: {wanted}",
    "intake.given_two_students": "«{name}» is given two students: «{name_2}» and «{student}»",
    "intake.holds_more_than_kb_code": (
        "{name} holds more than {max_source_bytes} KB of code: not graded"
    ),
    "intake.larger_than_bytes_not_graded": "{label} is larger than {max_file} bytes: not graded",
    "intake.name_of_folder": "folder",
    "intake.name_of_zip": "zip",
    "intake.no_no_roster_id_name": (
        "no {student_file} and no --roster: the id «{id}» is the {what}'s name, and the numbers "
        "computed by hand were checked at that id's values. If it is not the student's id, grade "
        "with --roster (CSV submission,student), or have the student run `python check.py --id "
        "ID`."
    ),
    "intake.not_csv": "not CSV: {err}",
    "intake.not_folder_zip": "{clean_id}: not a folder or a .zip",
    "intake.not_regular_file_not_graded": "{label} is not a regular file: not graded",
    "intake.not_utf_8_text_not": "{label} is not UTF-8 text: not graded",
    "intake.notebook_bad_json": (
        "{name} is not a valid notebook (broken JSON at line {line}, column {column}: {msg}); "
        "open it in Jupyter, save it again and resubmit"
    ),
    "intake.notebook_damaged_cell": (
        "{name}: cell {cell} is damaged (not a notebook cell): not graded"
    ),
    "intake.notebook_huge_number": (
        "{name} is not a notebook that can be read (a number thousands of digits long)"
    ),
    "intake.notebook_not_format_4": "{name} is not a Jupyter notebook of format 4",
    "intake.notebook_not_utf8": "{name} is not UTF-8 text: not graded",
    "intake.notebook_old_format": (
        "{name} is not a Jupyter notebook of format 4 (it has the old format 3)"
    ),
    "intake.notebook_place": "{module}.ipynb, cell {cell}, line {line}",
    "intake.notebook_too_deep": "{name} is not a notebook (JSON nested too deeply)",
    "intake.notebook_too_large": "{name} is larger than {max_notebook} MB: not graded",
    "intake.notebook_too_many_cells": "{name} has more than {max_cells} cells: not graded",
    "intake.other_same_student_id": (
        "{n} other {n:plural:submission|submissions} {n:plural:has|have} the same student id "
        "{student!r}: {names}"
    ),
    "intake.roster": "roster",
    "intake.roster_says_says_graded_as": (
        "the roster says «{listed}», {student_file} says «{written}»: graded as «{listed}»"
    ),
    "intake.says_named_graded_as": (
        "{student_file} says «{written}», {what} is named «{named}»: graded as «{written}»"
    ),
    "intake.symbolic_link_not_followed_not": (
        "{clean_id} is a symbolic link: not followed, not graded"
    ),
    "intake.symbolic_link_not_followed_not_2": (
        "{label} is a symbolic link: not followed, not graded"
    ),
    "intake.test_cell_appears_times_nbgrader": (
        "The test cell of {qid} appears {n_tests} times in {name}: nbgrader refuses to grade such "
        "a notebook; delete the copies."
    ),
    "intake.test_cell_was_deleted_from": (
        "The test cell of {qid} was deleted from {name}: nbgrader leaves this question ungraded "
        "(for the teacher to grade by hand)."
    ),
    "intake.the_folder": "the folder",
    "intake.the_zip": "the zip",
    "intake.too_many_too_large_files": "{name}: too many or too large files inside",
}
