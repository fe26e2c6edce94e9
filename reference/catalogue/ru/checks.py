"""The checks domain in Russian."""

TEXT = {
    "checks.all_good": (
        "Всё готово. При оценке функции проверят в других точках, а числа — при ваших значениях, "
        "так что то, что здесь всё зелёное, — хороший знак, но ещё не оценка."
    ),
    "checks.answered": "ответ есть — его проверят при оценке",
    "checks.arg_exercises": (
        "какие упражнения проверить (по умолчанию все), например A, A.py или notebooks/A.ipynb"
    ),
    "checks.arg_id": (
        "напечатать ваши значения для чисел, которые вы считаете вручную (id — тот, что дал "
        "учитель)"
    ),
    "checks.arg_notebooks": "проверить тетрадки в notebooks/, а не файлы .py",
    "checks.at": "{file}, строка {line}",
    "checks.cell_at": "{file}, ячейка {cell}, строка {line}",
    "checks.description": "Проверьте свои ответы на открытых примерах перед тем, как сдавать.",
    "checks.error": "ошибка",
    "checks.examples_ok": "открытых примеров пройдено: {n}",
    "checks.expected_dict": "{what}: ожидался словарь с ключами {keys}, а получено {got}",
    "checks.expected_number": "{what}: ожидалось число, а получено {got}",
    "checks.expected_option": "{what}: ожидалось одно из {options}, а получено {got}",
    "checks.expected_set": "{what}: ожидалось множество из вариантов {options}, а получено {got}",
    "checks.expected_str": "{what}: ожидалась строка, а получено {got}",
    "checks.extra_keys": "{what}: в словаре лишнее: {keys}",
    "checks.file_error": "{file} не запускается: {error}",
    "checks.formula_ok": "формула есть; при оценке её проверят символьно",
    "checks.formula_read": "прочитано как {shown}; при оценке её проверят в других точках",
    "checks.id_bad": "id — одна строка текста, не пустая и не начинающаяся с #.",
    "checks.id_not_saved": "Не удалось записать student.txt ({error}): впишите туда свой id сами.",
    "checks.id_replaced": "В student.txt было {old!r}; теперь {new!r}.",
    "checks.id_saved": (
        "Ваш id сохранён в student.txt: по нему грейдер узнаёт, чья это работа. Сдайте этот файл "
        "вместе с ответами."
    ),
    "checks.keep_going": (
        "Пока проходит не всё: исправьте строки выше и запустите check.py ещё раз."
    ),
    "checks.mapping_option": "{what}[{name}]: ожидалось одно из {options}, а получено {got}",
    "checks.mapping_values": "{what}[{name}]: нужен список имён, а получено {got}",
    "checks.mismatch": "{what} вернула {got}, а ожидалось {expected}",
    "checks.missing": "{name} не определено: не меняйте имён из заготовки",
    "checks.missing_keys": "{what}: в словаре не хватает: {keys}",
    "checks.no_examples": (
        "рядом с check.py нет public_examples.json: вопросы-функции проверить нельзя"
    ),
    "checks.no_file": "файл {file} не найден",
    "checks.no_numpy": (
        "Для этого Python ({python}) не установлен numpy. Его импортируют заготовки, так что "
        "check.py не может их запустить. Установите его командой\n\n    {python} -m pip install "
        "numpy\n\nи запустите check.py ещё раз."
    ),
    "checks.not_finite": "{what}: {got} — не конечное число",
    "checks.not_function": "{what} должна быть функцией",
    "checks.not_notebook": "это не тетрадка, которую можно прочитать ({why})",
    "checks.not_options": "{what}: такого варианта нет: {values}",
    "checks.number_ok": (
        "число есть; при оценке его сверят с ответом при ваших значениях (python check.py --id "
        "ВАШ_ID)"
    ),
    "checks.skipped": "не проверено: файл не запустился",
    "checks.summary": (
        "Итог: открытые проверки проходят {passed} из {total} вопросов; ответ есть, проверят при "
        "оценке: {answered}; неверно: {wrong}; не сделано: {todo}; ошибок: {errors}."
    ),
    "checks.text_ok": "ответ написан; его проверит учитель",
    "checks.timeout": "не закончилась за {seconds} с (бесконечный цикл?)",
    "checks.too_large": "{what}: {got} — слишком большое число",
    "checks.unknown": "нет упражнения «{name}»; упражнения: {names}",
    "checks.values_for": (
        "Ваши значения (id {student!r}); ровно их грейдер возьмёт для чисел, которые вы считаете "
        "вручную:"
    ),
    "checks.values_id": (
        "my_values: укажите свой id так, как его написал учитель, например my_values('ваш_id')"
    ),
    "checks.values_note": (
        "Используйте id, который дал учитель, в точности как он написан: при другом написании "
        "значения будут другими."
    ),
    "checks.values_of": "Ваши значения (id {student!r}):",
    "checks.values_own": "У упражнения {exercise} ({title}) своя модель; её значения:",
}
