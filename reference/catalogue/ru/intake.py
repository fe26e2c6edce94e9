"""The intake domain in Russian."""

TEXT = {
    "intake.answer_cell_appears_times_cells": (
        "Ячейка ответа {qid} встречается в {name} {n_answers} раза (ячейки {where}): здесь "
        "засчитана последняя, но nbgrader не проверяет тетрадку с повторёнными ячейками; удалите "
        "копии."
    ),
    "intake.answer_cell_cell_has_changed": (
        "У ячейки ответа {qid} (ячейка {number}) изменён тип или метаданные: nbgrader может её не "
        "проверить; пользуйтесь выданной ячейкой."
    ),
    "intake.answer_cell_lost_nbgrader_metadata": (
        "Ячейка ответа {qid} в {name} потеряла метаданные nbgrader (её перепечатали или "
        "скопировали в новую ячейку?): {name_2} проверено по ячейке {elsewhere}. nbgrader "
        "проверяет только исходную ячейку: верните ответ в неё."
    ),
    "intake.answer_cell_not_deleted_restore": (
        "Ячейки ответа {qid} нет в {name} (удалена?); восстановите её из выданной тетрадки."
    ),
    "intake.blank_student_file": "# впишите сюда свой id: python check.py --id ВАШ_ID",
    "intake.both_were_filled_both_were": (
        "заполнены и {label}, и {label_2}: проверены оба, засчитан лучший ({label_2}, {max:g} "
        "против {min:g})"
    ),
    "intake.cannot_open_zip": "{name}: не удаётся открыть zip ({err})",
    "intake.cannot_read_2": "{name}: не удаётся прочитать ({err})",
    "intake.cannot_read_3": "{label}: не удаётся прочитать ({err})",
    "intake.csv_cannot_read": "не удаётся прочитать {what}",
    "intake.csv_not_utf8": "{what}: не UTF-8",
    "intake.csv_too_large": "{what}: слишком велик",
    "intake.each_line_needs": "в каждой строке нужны: {wanted}",
    "intake.first_line_must_header": "первая строка должна быть заголовком: {wanted}",
    "intake.given_two_students": "для «{name}» указаны два студента: «{name_2}» и «{student}»",
    "intake.holds_more_than_kb_code": "в {name} больше {max_source_bytes} КБ кода: не проверяется",
    "intake.larger_than_bytes_not_graded": "{label} больше {max_file} байт: не проверяется",
    "intake.name_of_folder": "папки",
    "intake.name_of_zip": "zip",
    "intake.no_no_roster_id_name": (
        "нет {student_file} и нет --roster: id «{id}» — это имя {what}, и числа, посчитанные "
        "вручную, проверены при значениях этого id. Если это не id студента, проверяйте с "
        "--roster (CSV submission,student) или пусть студент выполнит `python check.py --id ID`."
    ),
    "intake.not_csv": "не CSV: {err}",
    "intake.not_folder_zip": "{clean_id}: не папка и не .zip",
    "intake.not_regular_file_not_graded": "{label} — не обычный файл: не проверяется",
    "intake.not_utf_8_text_not": "{label} — не текст в UTF-8: не проверяется",
    "intake.notebook_bad_json": (
        "{name} — испорченная тетрадка (ошибка JSON в строке {line}, столбец {column}: {msg}); "
        "откройте её в Jupyter, сохраните заново и сдайте ещё раз"
    ),
    "intake.notebook_damaged_cell": (
        "{name}: ячейка {cell} испорчена (это не ячейка тетрадки): не проверяется"
    ),
    "intake.notebook_huge_number": (
        "{name} — не тетрадка, которую можно прочитать (число из тысяч цифр)"
    ),
    "intake.notebook_not_format_4": "{name} — не тетрадка Jupyter формата 4",
    "intake.notebook_not_utf8": "{name} — не текст в UTF-8: не проверяется",
    "intake.notebook_old_format": "{name} — не тетрадка Jupyter формата 4 (у неё старый формат 3)",
    "intake.notebook_place": "{module}.ipynb, ячейка {cell}, строка {line}",
    "intake.notebook_too_deep": "{name} — не тетрадка (JSON слишком глубокой вложенности)",
    "intake.notebook_too_large": "{name} больше {max_notebook} МБ: не проверяется",
    "intake.notebook_too_many_cells": "в {name} больше {max_cells} ячеек: не проверяется",
    "intake.other_same_student_id": (
        "ещё {n} {n:plural:работа|работы|работ} с тем же id студента {student!r}: {names}"
    ),
    "intake.roster": "список студентов",
    "intake.roster_says_says_graded_as": (
        "в списке «{listed}», в {student_file} «{written}»: проверено как «{listed}»"
    ),
    "intake.says_named_graded_as": (
        "в {student_file} «{written}», а {what} называется «{named}»: проверено как «{written}»"
    ),
    "intake.symbolic_link_not_followed_not": "{clean_id} — символическая ссылка: не проверяется",
    "intake.symbolic_link_not_followed_not_2": (
        "{label} — символическая ссылка: по ней не переходим, не проверяется"
    ),
    "intake.test_cell_appears_times_nbgrader": (
        "Ячейка теста {qid} встречается в {name} {n_tests} раза: nbgrader не проверяет такую "
        "тетрадку; удалите копии."
    ),
    "intake.test_cell_was_deleted_from": (
        "Ячейка теста {qid} удалена из {name}: nbgrader оставит этот вопрос непроверенным "
        "(учителю вручную)."
    ),
    "intake.the_folder": "папка",
    "intake.the_zip": "zip",
    "intake.too_many_too_large_files": "{name}: внутри слишком много или слишком большие файлы",
}
