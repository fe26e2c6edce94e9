"""The two commands: ``course`` (authoring, release, nbgrader) and ``grade`` (grading).

Each also runs as ``python -m cli.course`` / ``python -m cli.grade`` with the same
interpreter, which is how the tests call them (never whatever comes first on PATH).
"""
