"""The status domain in Russian."""

TEXT = {
    "status.error": "ошибка в коде",
    "status.failed": "неверно",
    "status.manual": "проверяет учитель",
    "status.missing": "не сделано",
    "status.partial": "частично",
    "status.passed": "верно",
    "status.timeout": "превышено время",
}
