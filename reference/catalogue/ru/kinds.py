"""The kinds domain in Russian."""

TEXT = {
    "kinds.backward_must_return_dict_with": (
        "backward должна вернуть словарь ровно с ключами {sorted}; получено {sorted_2}"
    ),
    "kinds.close_but_not_within_keep": (
        "Близко, но не с точностью до {digits}: сохраняйте больше цифр в промежуточных шагах и "
        "округляйте только итоговый ответ."
    ),
    "kinds.close_right_formula_at_some": (
        "В некоторых точках близко к верной формуле, но это другая функция."
    ),
    "kinds.dict_function_one_options_below": "Словарь «функция → один из вариантов ниже» с ключами",
    "kinds.dict_name_list_names_with": "Словарь «имя → список имён» с ключами",
    "kinds.did_not_answer_time_endless": "{name} не ответила вовремя (бесконечный цикл?){where}",
    "kinds.formula_as_string_what_may": "Формула строкой (что в ней можно писать — см. в начале).",
    "kinds.formula_not_read": "{name}: {message}",
    "kinds.formulas_are_strings_function_argument": (
        'Формулы пишутся строками в именах аргументов функции, например "2*a*b": числа, + - * / '
        "** и скобки, функции {listing}. Читается и запись, как от руки: x^2, 2(x+1), 2x, e^x, "
        "np.exp(x)."
    ),
    "kinds.free_text_graded_by_teacher": "(свободный ответ: проверяет учитель)",
    "kinds.give_at_least": "Укажите не меньше {digits}.",
    "kinds.hint": "Подсказка",
    "kinds.keep_at_least_step_old": "Сохраните не меньше {digits} шага (старое значение − новое).",
    "kinds.learning_rate_missing_from_step": (
        "В шаге пропущена скорость обучения {lr:g}: microchange = {lr:g} · change."
    ),
    "kinds.no_answer": "ответа нет",
    "kinds.node_may_written_by_name": "Здесь можно писать и имя узла: {listed}.",
    "kinds.not_one_options_write_options": (
        "{said}: таких вариантов нет ({listed}). Пишите названия вариантов так, как они "
        "перечислены."
    ),
    "kinds.not_right": "Неверно.",
    "kinds.not_right_2": "Неверно:",
    "kinds.not_right_at_your_values": "Неверно при ваших значениях.",
    "kinds.not_right_for": "Неверно для: {wrong}.",
    "kinds.not_right_returned": "Неверно: {name}({at}) вернула {k:.6g}.",
    "kinds.number_computed_by_hand_at": (
        "Число, посчитанное вручную при ваших значениях (их печатает `python check.py --id "
        "ВАШ_ID`)."
    ),
    "kinds.number_computed_by_hand_at_2": (
        "Число, посчитанное вручную при ваших значениях (их печатает `my_values()`, определённая "
        "в начале тетрадки)."
    ),
    "kinds.one": "Одно из",
    "kinds.options_chosen_wrongly": (
        "{n} {n:plural:лишний вариант отмечен|лишних варианта отмечены|лишних вариантов отмечены}"
    ),
    "kinds.options_leave_out_which_correct": (
        "среди вариантов нет {missing}, а они нужны для верного ответа"
    ),
    "kinds.options_must_nodes_model_not": (
        "варианты должны быть узлами модели; это не так для: {unknown}"
    ),
    "kinds.options_not_chosen": (
        "{n} {n:plural:верный вариант не отмечен|верных варианта не отмечены|верных вариантов не "
        "отмечены}"
    ),
    "kinds.options_outputs_are_some_every": (
        "варианты для outputs — из {outputs}, и среди них всё, что выдают функции модели; лишние: "
        "{unknown}; не хватает: {missing}"
    ),
    "kinds.read_as": "Прочитано как: {shown}",
    "kinds.set_options_that_apply_out": "Множество подходящих вариантов из этих",
    "kinds.sign_question_options_are_up": "варианты вопроса о знаке: up, down (и zero)",
    "kinds.significant_digits": "{n} {n:plural:значащей цифры|значащих цифр|значащих цифр}",
    "kinds.step_goes_wrong_way_gradient": (
        "Шаг сделан не в ту сторону: в градиентном спуске microchange вычитают."
    ),
    "kinds.step_times_right_one_learning": (
        "Шаг в {factor:g} раз отличается от нужного: скорость обучения — {lr:g}."
    ),
    "kinds.that_change_dl_d_not": (
        "Это change, dL/d{p}, а не новый параметр: получите из него microchange и сдвиньте на "
        "него {p}_old."
    ),
    "kinds.that_microchange_itself_subtract_from": (
        "Это сам microchange: вычтите его из {p}_old, чтобы получить {p}_new."
    ),
    "kinds.that_old_itself_no_step": (
        "Это сам {p}_old: шаг не сделан (или потерян при округлении). Посчитайте microchange = "
        "{lr:g} · change и вычтите его, сохранив его цифры."
    ),
    "kinds.this_formula_could_not_checked": (
        "Эту формулу не удалось точно проверить: её значения становятся астрономически большими "
        "или малыми (как exp от exp) или вычисляются слишком долго. Упростите её и сдайте снова."
    ),
    "kinds.this_formula_not_right_one": "Формула неверна.",
    "kinds.write_dict_name_list_names": "Напишите словарь «имя → список имён».",
    "kinds.write_dict_name_one_option": "Напишите словарь «имя → один вариант».",
    "kinds.write_one": "Напишите одно из: {shown}.",
    "kinds.write_set_option_names_e": "Напишите множество вариантов, например {example}.",
    "kinds.write_your_answer_here": "напишите здесь свой ответ",
    "kinds.your_answer_your_own_words": "Ваш ответ своими словами (проверяет учитель).",
}
