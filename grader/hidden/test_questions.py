"""One hidden test per question of exercises/*.yml, for every submission.

The question and the submission are parameters the grading plugin gives; the check itself
(the sandbox, the reference, the diagnoses) runs once per submission in the ``graded``
fixture, and ``record`` hands the partial credit and feedback to the plugin.
"""


def test_question(question, graded, record):
    result = graded(question.qid)
    record(result)
    assert result.status == "passed", result.feedback["en"]
