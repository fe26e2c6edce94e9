"""Every question of exercises/*.yml, for every submission: one test a submission.

The submission is a parameter the grading plugin gives; the ``graded`` fixture hands over its
results, the checks (the sandbox, the reference, the diagnoses) run once per submission
(grader.hidden.runs, in ``grade``'s process), and ``record`` hands every question's partial
credit and feedback to the plugin.  One test a submission, not
one a question: pytest's own per-test machinery was most of a class's grading time.
"""


def test_questions(questions, graded, record):
    record([graded(q.qid) for q in questions])
