"""The release domain in English."""

TEXT = {
    "release.cannot_write": "{out}: cannot write {err} ({why})",
    "release.cannot_write_into_permission_denied": (
        "{out}: cannot write into {existing} (permission denied)"
    ),
    "release.cannot_written_permission_denied": (
        "{option} {path}: cannot be written (permission denied)"
    ),
    "release.chain_rule": "The chain rule",
    "release.check_doc": (
        'Self-check for "{title}":\nchecks your answers against the public examples.\n\n    '
        "python check.py                 every exercise in this folder\n    python check.py "
        "{ex:<15} one exercise (or {ex}.py, notebooks/{ex}.ipynb)\n    python check.py "
        "--notebooks     the notebooks instead of the .py files\n    python check.py --id YOUR_ID "
        "   your own values for the hand-computed numbers\n\nWritten by the course's release "
        "tool; you do not need to edit it."
    ),
    "release.course_has_no_texts_languages": (
        "the course has no texts in '{lang}'; its languages: {languages}"
    ),
    "release.course_lists_no_exercises": "the course lists no exercises",
    "release.course_rows": "The rows of this course's functions:",
    "release.derivatives": "derivatives",
    "release.exercise_cannot_called_release_has": (
        "an exercise cannot be called '{stem}': the release has its own {name}"
    ),
    "release.file_not_folder": "{out} is a file, not a folder",
    "release.file_so_no_folder_can": "{out}: {existing} is a file, so no folder can be made there",
    "release.folder_does_not_exist": "{option} {path}: the folder {parent} does not exist",
    "release.folder_not_file": "{option} {path}: is a folder, not a file",
    "release.function": "function",
    "release.how": (
        "Fill in every function and value below, keeping the names. Check your work with\n`python "
        "check.py` (public examples only; the grader uses other points)."
    ),
    "release.lesson_rows": "The lesson's rows:",
    "release.libs": "You may use math and numpy.",
    "release.maximum_full": (
        "{auto} graded automatically, and {manual} for the free-text answers, graded by the "
        "teacher ({total:g} in all)"
    ),
    "release.maximum_short": "{auto} + {manual:g} by the teacher",
    "release.more_functions_you_may_use": "More functions you may use in formulas:",
    "release.not_empty_choose_empty_new": (
        "{out} is not empty; choose an empty or new folder, or add --force to overwrite the files "
        "this command writes (other files are left alone)"
    ),
    "release.not_regular_file_device_fifo": (
        "{option} {path}: is not a regular file (a device, a FIFO or a socket): choose a file"
    ),
    "release.points": "{n:g} {n:plural:point|points}",
    "release.readme": (
        "# $title\n\n$solutions_note## What the lesson is about\n\nToday we see how gradient "
        "descent works on a complex function, and how its derivatives are\nfound by hand: by "
        "backpropagation. The function is decomposed into simple functions, each\nof which has a "
        "row in the table of derivatives:\n\n$nodes\n\nHere $inputs are the inputs, $parameters "
        "the parameters (what gradient descent tunes) and\n$data the data (the correct answer the "
        "prediction is compared with); $loss is the loss.\n\nEach of you is a volunteer who owns "
        "one function. First find the derivatives of your\nfunction by each of its arguments. "
        "Then, with the chain rule, find the derivatives of the\nloss $loss by each element of "
        "your function. Put together, the volunteers' answers give every\nderivative of the loss, "
        "and one step of gradient descent,\n`param_new = param_old − $learning_rate · "
        "d$loss/dparam`, makes the model a little better.\n\n$derivative_table\n## What is in "
        "this folder\n\n| exercise | file | notebook | points |\n| --- | --- | --- | --- |\n"
        "$files_table\n\nAlso here:\n\n- `check.py`: the self-check (see below);\n- "
        "`public_examples.json`: the public examples `check.py` compares your functions with.\n\n"
        "The same questions are in the `.py` file and in the notebook of each exercise: work in\n"
        "whichever you like, and hand in what your teacher asks for.\n\n## What you need\n\n"
        "Python 3.10 or newer with **numpy**: every stub imports it, and `check.py` runs the "
        "stubs.\nInstall it once, with the same `python` you will run `check.py` with:\n\n    "
        "python -m pip install numpy\n\nFor the notebooks you also need Jupyter (`python -m pip "
        "install notebook`, or JupyterLab,\nVS Code…); the `.py` files need nothing more.\n\n## "
        "How to fill in the stubs\n\nEvery question states its task once (in a `.py` file as a "
        "comment or a docstring, in a\nnotebook as the text above the answer cell), followed by "
        "the place for your answer:\n\n- a function whose body is `raise "
        "NotImplementedError(...)`: replace that line with your\n  code, which `return`s the "
        'answer;\n- a formula `… = ""`: write the formula as a string in the function\'s '
        'argument names, for\n  example `"2*a*b"`;\n- a number `… = None`: a number you compute '
        "by hand at **your own** values (see\n  `python check.py --id` below);\n- a choice `… = "
        '""`, a set `… = set()` or a dict `… = {}`: the options are listed right above;\n- a '
        'free-text answer `… = ""`: a few sentences in your own words.\n\n**Do not rename '
        "anything and do not change the functions' arguments**: the grader looks for\nexactly "
        "these names and calls the functions with exactly these arguments. You may use the\n"
        "standard library (`math`) and numpy; the stubs already import them.\n\nIn a notebook, "
        "answer in the code cells under each question and do not delete the cells.\n\n## Check "
        "yourself\n\nOpen a terminal in this folder and run\n\n    python check.py\n\nIt runs "
        "your answers and prints one line per question: ✓ (passes the public checks),\n✗ (wrong: "
        'what was expected and what you gave), "not done yet", or an error with the\nfile and '
        "line where it happened. A summary comes at the end. To check one exercise:\n\n    python "
        "check.py $example\n\nTo check the notebooks instead of the `.py` files:\n\n    python "
        "check.py --notebooks\n\nSome answers are numbers you compute by hand at values of your "
        "own. To see your values:\n\n    python check.py --id <your id>\n\nUse the id your "
        "teacher gave you, spelled exactly as given: another spelling gives other\nvalues.\n\n"
        "`check.py` only checks your functions at a few public examples and the form of the "
        "other\nanswers; passing it is a good sign, not a score.\n\n## How your work is graded\n\n"
        "- Every function is called at several random points of its own for each student, not at "
        "the\n  public examples, and compared with the correct answer up to a small tolerance.\n- "
        "Formulas are checked symbolically: any equivalent form is right (`2*a*(b + 1)` and\n  "
        "`2*a*b + 2*a` are the same answer). You may write `**` or `^` and the functions\n  "
        "$functions.\n- Numbers computed by hand are compared with the correct answer at your own "
        "values\n  (`python check.py --id <your id>`), with a tolerance for rounding on the way.\n"
        "- Typical mistakes are recognised: you get a comment on what went wrong and, for some "
        "of\n  them, part of the points.\n- If one of your functions is wrong, the ones that use "
        "it (backward, the whole chain) are\n  also checked against your own upstream values, so "
        "one mistake is not punished twice.\n- Free-text answers are graded by the teacher.\n\nIn "
        "total: $total_points.\n"
    ),
    "release.solutions_note": (
        "> **Every answer in this release is filled in** (`course release --solutions`, "
        "hand-computed numbers for the id `{student}`): it is a teacher's key, not for students.\n"
        "\n"
    ),
    "release.summary": (
        "Wrote the student release ({lang}) to {out}:\n  stubs:     {stubs}\n  notebooks: "
        "notebooks/ ({n})\n  also:      {others}"
    ),
    "release.summary_solutions": "Note: every answer is filled in (--solutions): not for students.",
    "release.table_title": "The table of derivatives",
    "release.update": "One step of gradient descent",
    "release.update_text": (
        "each parameter moves against its derivative of the loss, with the course's learning rate "
        "{lr}:"
    ),
    "release.what": "what it is",
}
