"""The gradescope domain in Russian."""

TEXT = {
    "gradescope.field_blank": "ваш {field} на Gradescope пуст: ваш id — {key}",
    "gradescope.found": "Найдено: {names}.",
    "gradescope.graded_as": "Проверено как «{student}».",
    "gradescope.gradescope_must_mapping": "gradescope — это словарь",
    "gradescope.must_one_not": "{path} должен быть одним из {visibilities}, а не {value!r}",
    "gradescope.no_user": (
        "Gradescope не указал студента для этой работы (нет email, sid, имени или id): ничего не "
        "проверено. Попросите преподавателя проверить владельца работы и перепроверить её."
    ),
    "gradescope.nothing_to_grade": (
        "В этой загрузке нечего проверять. Загрузите заполненные заготовки (A.py, B.py, …) или их "
        "блокноты — как в выданных материалах."
    ),
    "gradescope.out_cannot_written": "--out {out}: запись невозможна ({err})",
    "gradescope.student_id_must_one_not": (
        "student_id должен быть одним из {id_fields}, а не {student_id!r}"
    ),
    "gradescope.student_txt_not_theirs": (
        "В вашем student.txt указано «{found}», а это не ваш идентификатор на Gradescope "
        "({identifiers}): ваши значения (числа, которые считаются вручную) — значения "
        "«{student}». Выведите их командой `python check.py --id {student}`."
    ),
    "gradescope.submitted_together": "{n} студента сдали вместе: проверено как у первого",
    "gradescope.tests_must_mapping": "tests — это словарь",
    "gradescope.tests_no_exercise_question_course": (
        "tests: {name!r} — не упражнение и не вопрос курса"
    ),
    "gradescope.this_package_installed_not_run": (
        "пакет установлен, а не запущен из исходников: соберите wheel (pip wheel --no-deps "
        "ИСХОДНИКИ) и укажите его в --wheel"
    ),
    "gradescope.two_submissions": (
        "В этой загрузке рядом лежат несколько работ: ничего не проверено. Загрузите одну папку "
        "(или один zip) с вашими заготовками."
    ),
    "gradescope.wheel_could_not_built": "не удалось собрать wheel: {done}",
    "gradescope.wheel_not_wheel_this_package": (
        "--wheel {wheel}: это не wheel этого пакета ({wheel_prefix}*.whl)"
    ),
    "gradescope.wheel_not_zip_file": "--wheel {wheel}: это не zip-файл",
}
