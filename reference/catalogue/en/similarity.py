"""The similarity domain in English: ``grade --similarity``, its page and its messages."""

TEXT = {
    "similarity.a": "Student A",
    "similarity.b": "Student B",
    "similarity.caveat": (
        "Evidence for the teacher to look into, never a verdict: no grade was changed by it. "
        "Code alike beyond the release may come from working together, from a common source, "
        "or in a small class from chance; a number right at a classmate's values and wrong at "
        "one's own was most likely taken from that classmate, but ask the students before "
        "concluding anything."
    ),
    "similarity.cannot_write": "--similarity {folder}: cannot be written (permission denied)",
    "similarity.cell": "{label}, cell {cell}",
    "similarity.code_alike": "Code alike",
    "similarity.code_how": (
        "Only what each student wrote beyond the release is compared (the release's lines and "
        "answers written as literals left out), by winnowing fingerprints (copydetect, "
        "k-grams of {noise} characters of the filtered code, each run of lines on its own); what "
        "more than {common} of the class (or more than {most} students) share is how the class "
        "writes it and does not count. The score is the mean of "
        "the shares of each one's code found in the other's; a pair is flagged from "
        "{threshold:.0%}."
    ),
    "similarity.flagged": "Flagged",
    "similarity.folder_does_not_exist": (
        "--similarity {folder}: the folder {parent} does not exist"
    ),
    "similarity.from": "right at the values of",
    "similarity.matching_code": "Matching code, side by side",
    "similarity.needs_copydetect": (
        "--similarity needs the fingerprinting library copydetect: {pip}"
    ),
    "similarity.no": "no",
    "similarity.no_pairs": "No pair of submissions shows either kind of evidence.",
    "similarity.not_a_folder": "--similarity {folder}: is a file, not a folder",
    "similarity.numbers": "Numbers",
    "similarity.numbers_how": (
        "Each hand-computed number that is wrong at its student's own values and right, within "
        "the question's tolerance, at the values of exactly one classmate (a number right at "
        "several classmates' values names none of them). Two or more from the same classmate "
        "flag the pair."
    ),
    "similarity.numbers_of": "{copier}'s numbers right at {source}'s values",
    "similarity.pairs": "Pairs",
    "similarity.summary": (
        "{n} {n:plural:submission|submissions} compared; "
        "{flagged} {flagged:plural:pair|pairs} flagged, {listed} {listed:plural:pair|pairs} listed."
    ),
    "similarity.terminal": (
        "similarity: {flagged} {flagged:plural:pair|pairs} flagged of "
        "{n} {n:plural:submission|submissions} (evidence, no grade changed): {page}"
    ),
    "similarity.title": "Similarity: evidence for the teacher",
    "similarity.yes": "yes",
}
