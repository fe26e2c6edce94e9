"""The checks domain in English."""

TEXT = {
    "checks.all_good": (
        "All done. The grader checks your functions at other points and your numbers at your own "
        "values, so a pass here is a good sign, not a score."
    ),
    "checks.answered": "answered — checked at grading",
    "checks.arg_exercises": (
        "exercises to check (default: all), e.g. A or A.py or notebooks/A.ipynb"
    ),
    "checks.arg_id": (
        "print your own values for the numbers you compute by hand (use the id your teacher gave "
        "you)"
    ),
    "checks.arg_notebooks": "check the notebooks in notebooks/ instead of the .py files",
    "checks.at": "{file}, line {line}",
    "checks.cell_at": "{file}, cell {cell}, line {line}",
    "checks.description": "Check your answers against the public examples before you hand them in.",
    "checks.error": "error",
    "checks.examples_ok": "{n} public examples pass",
    "checks.expected_dict": "{what}: expected a dict with the keys {keys}, got {got}",
    "checks.expected_number": "{what}: expected a number, got {got}",
    "checks.expected_option": "{what}: expected one of {options}, got {got}",
    "checks.expected_set": "{what}: expected a set of some of {options}, got {got}",
    "checks.expected_str": "{what}: expected a string, got {got}",
    "checks.extra_keys": "{what}: not expected in the dict: {keys}",
    "checks.file_error": "{file} cannot be run: {error}",
    "checks.formula_ok": "a formula; the grader checks it symbolically",
    "checks.formula_read": "read as {shown}; the grader checks it at its own points",
    "checks.id_bad": "An id is one line of text, not empty and not starting with #.",
    "checks.id_not_saved": "Could not write student.txt ({error}): write your id in it yourself.",
    "checks.id_replaced": "student.txt said {old!r}; it now says {new!r}.",
    "checks.id_saved": (
        "Your id is saved in student.txt: the grader reads it to know whose work this is. Hand it "
        "in with your answers."
    ),
    "checks.keep_going": "Not everything passes yet: fix the lines above and run check.py again.",
    "checks.mapping_option": "{what}[{name}]: expected one of {options}, got {got}",
    "checks.mapping_values": "{what}[{name}]: expected a list of names, got {got}",
    "checks.mismatch": "{what} returned {got}, expected {expected}",
    "checks.missing": "{name} is not defined: keep the names of the stub",
    "checks.missing_keys": "{what}: missing in the dict: {keys}",
    "checks.no_examples": (
        "public_examples.json is missing next to check.py; the function questions cannot be checked"
    ),
    "checks.no_file": "{file} not found",
    "checks.no_numpy": (
        "numpy is not installed for this Python ({python}). The stubs import it, so check.py "
        "cannot run them. Install it with\n\n    {python} -m pip install numpy\n\nand run "
        "check.py again."
    ),
    "checks.not_finite": "{what}: {got} is not a finite number",
    "checks.not_function": "{what} should be a function",
    "checks.not_notebook": "not a notebook that can be read ({why})",
    "checks.not_options": "{what}: not among the options: {values}",
    "checks.number_ok": (
        "a number; the grader checks it at your own values (python check.py --id YOUR_ID)"
    ),
    "checks.skipped": "not checked: the file did not run",
    "checks.summary": (
        "{passed} of {total} questions pass the public checks; answered, checked at grading: "
        "{answered}; wrong: {wrong}; not attempted: {todo}; errors: {errors}."
    ),
    "checks.text_ok": "written; the teacher grades it",
    "checks.timeout": "did not finish in {seconds} s (an endless loop?)",
    "checks.too_large": "{what}: {got} is too large for a number",
    "checks.unknown": "unknown exercise '{name}'; the exercises are: {names}",
    "checks.values_for": (
        "Your values (id {student!r}); the grader uses exactly these for the numbers you compute "
        "by hand:"
    ),
    "checks.values_id": (
        "my_values: give your id as the teacher wrote it, e.g. my_values('your_id')"
    ),
    "checks.values_note": (
        "Use the id your teacher gave you, spelled exactly the same: another spelling gives other "
        "values."
    ),
    "checks.values_of": "Your values (id {student!r}):",
    "checks.values_own": "Exercise {exercise} ({title}) has its own model; its values:",
}
