"""The nbgrader domain in Russian."""

TEXT = {
    "nbgrader.assignment_course_yml_not_valid": (
        "assignment {assignment!r} в course.yml не годится как имя задания nbgrader (буквы, "
        "цифры, - и _)"
    ),
    "nbgrader.cannot_read": "не удаётся прочитать {path}: {err}",
    "nbgrader.helpers": (
        "# Запустите эту ячейку первой. Она определяет открытые проверки для ячеек с\n# тестами и "
        "my_values(): ваши значения для чисел, которые считаются вручную.\n# Оценку ставит "
        "грейдер курса: он проверяет ответы сам, в своей песочнице, а\n# не этим кодом."
    ),
    "nbgrader.how": (
        "Заполните все ячейки с ответами ниже, не меняя имён, и запускайте ячейку с тестом под "
        "каждой: она сверяет только открытые примеры. При оценке грейдер проверяет больше и в "
        "других точках, скрытыми тестами."
    ),
    "nbgrader.kernel": (
        "этот курс проверяется в песочнице курса, а не в ядре: в его nbgrader_config.py должны "
        "остаться autograde_preprocessors, которые записал `course nbgrader`"
    ),
    "nbgrader.no_reader": (
        "рядом с тетрадкой нет {reader_file}: здесь у формул проверяется только вид; прочтёт их "
        "грейдер при оценке"
    ),
    "nbgrader.not_one_course_test_cells": (
        "это не ячейка теста курса: грейдер курса её не оценивает"
    ),
    "nbgrader.public_check": (
        "# Открытая проверка на открытых примерах; грейдер сам проверяет другие точки."
    ),
    "nbgrader.readme": (
        "# {title}\n\nПапка курса nbgrader, созданная `course nbgrader`. Задание `{a}` лежит в "
        "`source/{a}/`, по тетрадке на упражнение; первая тетрадка открывается таблицей ниже. "
        "Дальше: `nbgrader generate_assignment {a}`, а после сбора работ `nbgrader autograde {a}` "
        "(он проверяет в песочнице курса).\n\n"
    ),
    "nbgrader.summary": (
        "Курс nbgrader ({lang}) записан в {out}:\n  nbgrader_config.py, course.yml и exercises/ "
        "(снимок курса)\n  source/{a}/: {n} тетрадок, автопроверка {auto:g} б., вручную "
        "{manual:g} б.\nДальше: cd {out} && nbgrader generate_assignment {a}"
    ),
}
