"""The status domain in English."""

TEXT = {
    "status.error": "error in the code",
    "status.failed": "wrong",
    "status.manual": "graded by the teacher",
    "status.missing": "not attempted",
    "status.partial": "partly right",
    "status.passed": "passed",
    "status.timeout": "time out",
}
