"""The course domain in Russian."""

TEXT = {
    "course.answer_must_name_one_quantity": "answer должен называть одну величину",
    "course.answer_not_a_quantity": (
        "{where}: answer {said!r} — не величина, которую вычисляет эталон: value, backward, факт "
        "(nodes_with_parameters, arguments, consumers, outputs) или {{value, local, grad, update, "
        "loss_after, change, sign}}: ИМЯ"
    ),
    "course.answer_unknown_quantity": "answer: неизвестная величина '{what}'",
    "course.argument_listed_twice": "{key}: аргумент указан дважды",
    "course.at_most_items": "{where}: не больше {maxitems} элементов",
    "course.cannot_name_exercise_becomes_python": (
        "'{ex_id}' не может быть именем упражнения (это имя модуля Python)"
    ),
    "course.cannot_name_use_letters_digits": (
        "'{name}' не может быть именем: используйте латинские буквы, цифры и _ (не ключевое слово "
        "Python и не функцию из таблицы)"
    ),
    "course.cannot_read_file": "не удаётся прочитать файл: {strerror}",
    "course.course_yml_must_mapping_keys": (
        "course.yml должен быть словарём ключей (inputs:, nodes:, …)"
    ),
    "course.cycle_node_cannot_depend_on": "цикл: {cycle}; узел не может зависеть от себя",
    "course.declared_but_does_not_lead": (
        "'{name}' объявлено в {key}, но не ведёт к функции потерь {loss}"
    ),
    "course.declared_twice_also": "'{name}' объявлено дважды (ещё в {also})",
    "course.does_not_depend_on": "{what}: {of} не зависит от {wrt}",
    "course.does_not_fit_any_allowed": "{where}: {x!r} не подходит ни под одну допустимую форму",
    "course.duplicate_key": (
        "ключ '{key}' повторяется (впервые в строке {first}); YAML оставит только последний"
    ),
    "course.exercise_listed_but_yml_does": (
        "упражнение '{ex_id}' указано, но файла {display}/{ex_id}.yml нет"
    ),
    "course.exercises_must_map_each_exercise": (
        "exercises должен сопоставлять имени упражнения его вес"
    ),
    "course.expected_found": "{where}: ожидался тип {want}, а записано {x!r}",
    "course.feedback_must_one_not": "feedback должен быть одним из {feedback}, а не {feedback_2!r}",
    "course.feedback_says_derivative_with_respect": (
        "в отзыве сказано, что {said} — производная {name} по {wrt}, но теперь эта производная "
        "другая"
    ),
    "course.feedback_says_function_itself_but": (
        "в отзыве сказано, что {said} — сама функция {name}, но теперь {name} = {formula}: "
        'напишите formula: "{{formula:{name}}}"'
    ),
    "course.field_questions_not_ones": "{name}: поле вопросов вида {kinds}, а не {kind}",
    "course.file_larger_than_bytes": "файл больше {max_bytes} байт",
    "course.formula_mistake_belongs_formula_question": (
        "ошибка-формула бывает у вопроса вида formula или function, возвращающего число"
    ),
    "course.formula_must_text_such_as": "{key}: формула должна быть текстом, например w1*x1",
    "course.known_mistake_earns_here_but": (
        "типичная ошибка {said} даёт здесь {credit:g}, а в {where} — {first:g}, хотя это та же "
        "ошибка в той же величине: дайте ей один балл"
    ),
    "course.known_mistake_now_right_answer": (
        "типичная ошибка {said} теперь верный ответ на {qid}: ученик, написавший её, получит "
        "баллы; удалите её или опишите ошибку заново"
    ),
    "course.known_mistakes_are_for_questions": (
        "типичные ошибки задаются для вопросов {takes}, а не {name}"
    ),
    "course.languages_must_list_drawn_from": "languages должен быть списком из: ru, en",
    "course.learning_rate_must_positive_number": (
        "learning_rate должен быть положительным числом, а не {shown!r}"
    ),
    "course.lists_but_formula_does_not": "{key} перечисляет '{a}', но формула его не использует",
    "course.local_needs_node": "local: нужен узел упражнения, или напишите {example}",
    "course.local_not_argument": "local: '{wrt}' — не аргумент {of}({args})",
    "course.local_not_node": "local: '{of}' — не узел",
    "course.lone_brace": (
        "одиночная '{token}': скобку саму по себе пишите '{twice}', или подстановку ({known})"
    ),
    "course.loss_not_one_nodes": "loss '{loss}' не является узлом",
    "course.missing_key": "нет обязательного ключа '{key}'",
    "course.missing_key_in": "нет обязательного ключа '{key}' в '{parent}'",
    "course.missing_question_stub_contract_node": (
        "нет вопроса '{qid}' ({kind}): его требует контракт заготовки узла {node}"
    ),
    "course.missing_required_key": "{where}: нет обязательного ключа '{key}'",
    "course.mistake_formula": "формула ошибки:",
    "course.mistake_gives_either_formula_answer": "ошибка задаётся либо formula, либо answer",
    "course.mistaken_quantity_must_take_same": (
        "ошибочная величина должна зависеть от тех же аргументов, что и ответ на вопрос"
    ),
    "course.must_be_at_least": "{where}: должно быть не меньше {bound}",
    "course.must_be_at_most": "{where}: должно быть не больше {bound}",
    "course.must_be_greater_than": "{where}: должно быть больше {bound}",
    "course.must_list_names_e_g": "{key} должен быть списком имён, например [x1, x2]",
    "course.must_not_empty": "{where}: не может быть пустым",
    "course.must_share_points_number_0": (
        "{key} должен быть долей баллов, числом из [0, 1], а не {value!r}"
    ),
    "course.needs_at_least_items": "{where}: нужно не меньше {minitems} элементов",
    "course.needs_exercise_node_write_e": (
        "для '{answer}' нужен узел упражнения: напишите {{{answer}: A}} или задайте node:"
    ),
    "course.no_question_asks_for_dl": (
        "ни один вопрос не спрашивает dL/d{name} ({{grad: {name}}}): `course new-exercise "
        "--chain` создаст вопросы цепочки"
    ),
    "course.no_range_for_add_low": (
        "нет диапазона для {name}: добавьте '{name}: [от, до]' или '{category}: [от, до]' в ranges"
    ),
    "course.node_defined_twice_clashes_with": (
        "узел '{name}' определён дважды или совпадает с объявленным именем"
    ),
    "course.node_does_not_lead_loss": "узел {name} не ведёт к функции потерь {loss}",
    "course.node_has_no_exercise_course": (
        "у узла {name} нет упражнения: `course new-exercise {name}` его создаст"
    ),
    "course.node_header_must_look_like": (
        "заголовок узла '{key}' должен выглядеть как A(x1, w1): имя и аргументы в скобках"
    ),
    "course.node_not_node_model": "'{node}' — не узел модели",
    "course.nodes_must_map_header_formula": (
        "nodes должен сопоставлять заголовку формулу, например 'A(x1, w1): w1*x1'"
    ),
    "course.not_input_parameter_data_node": (
        "{key}: '{a}' — не вход, не параметр, не данные и не узел"
    ),
    "course.not_name_model": "{what}: '{name}' — не имя модели",
    "course.not_one": "{where}: {x!r} — не одно из: {choices}",
    "course.not_parameter": "{what}: '{name}' — не параметр",
    "course.not_placeholder": (
        "{token} — не подстановка; известны: {known} (скобка сама по себе пишется дважды: {{{{ "
        "}}}})"
    ),
    "course.not_utf_8_text_byte": "текст не в кодировке UTF-8 (байт {start})",
    "course.not_valid_name_letters_digits": (
        "{where}: {x!r} — недопустимое имя (латинские буквы, цифры, _)"
    ),
    "course.placeholder_not_node": "{token}: '{arg}' — не узел модели ({nodes})",
    "course.point_given_twice": "{name} задано дважды",
    "course.point_missing": "не заданы {names}",
    "course.point_not_finite": "{name}={raw} — не конечное число",
    "course.point_not_name_value": "'{part}' — не в виде имя=значение",
    "course.point_unknown_name": "неизвестное имя '{name}'",
    "course.points_random_points_per_question": (
        "points (случайных точек на вопрос) должно быть целым числом 1..1000"
    ),
    "course.prose_header_not_node": "в тексте написано {said}, но {name} — не узел модели",
    "course.prose_header_other_args": (
        "в тексте написано {said}, а в модели {name}({args}): напишите {{header:{name}}}"
    ),
    "course.prose_lists_unused_function": (
        "в тексте {said} назван среди того, что можно писать в формуле, но ни один узел модели не "
        "использует {fn}: напишите {{functions}}"
    ),
    "course.prose_names_unused_function": (
        "в тексте упомянута {said}, но ни один узел модели не использует {fn}"
    ),
    "course.prose_older_arguments": (
        "в тексте перечислены {said} из аргументов {name}, а {unsaid} не названы: в модели {model}"
    ),
    "course.prose_other_formula": (
        "в тексте {name} = {said}, а в модели {name} = {formula}: напишите {name} = {{math:{name}}}"
    ),
    "course.prose_todo": "в тексте ещё осталось TODO",
    "course.prose_unknown_name": "в тексте упомянуто {name}, а в модели такого имени нет",
    "course.prose_unknown_number": (
        "в тексте число {said}, которого в модели нет (learning_rate равен {rate:g}: напишите "
        "{{learning_rate}})"
    ),
    "course.question_cannot_ask_for_can": (
        "вопрос вида {kind} не может спрашивать {what}; можно: {answers}"
    ),
    "course.question_graded_by_teacher_has": (
        "вопрос вида {kind} проверяет учитель: у него нет answer"
    ),
    "course.question_has_no_options": "у вопроса вида {name} нет вариантов (options)",
    "course.question_id_used_twice": "id вопроса '{id}' повторяется (впервые в строке {first})",
    "course.question_known_mistakes_are_given": (
        "типичные ошибки вопроса вида {name} задаются так: {mistakes}"
    ),
    "course.question_must_kind_with_answer": (
        "вопрос '{qid}' должен быть вида {kind} с ответом, который задаёт контракт заготовки"
    ),
    "course.question_needs_answer_quantity_reference": (
        "вопросу '{id}' нужен answer: величина, которую вычисляет эталон"
    ),
    "course.question_needs_options": "вопросу вида {name} нужны options",
    "course.question_shares_points_one_way": (
        "вопрос вида {kind} делит баллы только одним способом: credit: {credit}"
    ),
    "course.range_must_low_high_with": "диапазон {key} должен быть [от, до], где от < до",
    "course.ranges_must_map_names_categories": (
        "ranges должен сопоставлять именам или категориям [от, до]"
    ),
    "course.scaffold_backward": (
        "def backward({args}, d{loss}_d{n}): последний аргумент — производная лосса {loss} по "
        "выходу функции {n}. Верните словарь {{returns:{n}}}."
    ),
    "course.scaffold_backward_hint": "Правило цепочки из таблицы: df/dx = df/dg · dg/dx.",
    "course.scaffold_chain_intro": "Модель: {equations}. Все функции принимают ({leaves}).",
    "course.scaffold_chain_title": "Складываем все производные",
    "course.scaffold_change": (
        "Если {a} вырастет на 0.01, а остальные аргументы останутся прежними, примерно на сколько "
        "изменится выход {n}? Оцените через производную, со знаком. Ваши значения {{leaves}} "
        "печатает команда `python check.py --id <ваш id>`. Ответ — число, не меньше 4 значащих "
        "цифр."
    ),
    "course.scaffold_down_why": (
        "{loss} падает с ростом {a}, только если d{loss}/d{a} при ваших значениях отрицательна. "
        "Найдите её знак звено за звеном: знаки звеньев перемножаются."
    ),
    "course.scaffold_formula": (
        'd{n}_d{a}_formula = "…": производная {n} по {a} формулой — строкой в именах аргументов '
        "функции ({args})."
    ),
    "course.scaffold_forward": (
        "Напишите саму функцию: def {n}({args}) возвращает выход функции {n} = {{math:{n}}}."
    ),
    "course.scaffold_grad": (
        "def d{loss}_d{a}({{leaves}}): верните производную лосса {loss} по {a} в этой точке."
    ),
    "course.scaffold_hint": "Таблица производных, строка {{rule:{n}}}.",
    "course.scaffold_intro": (
        "Вам дана функция {n} = {{math:{n}}}, в файле {n}.py — {{header:{n}}}. Посчитайте её "
        "производные по каждому аргументу ({args}), потом производные лосса по ним — правило "
        "цепочки."
    ),
    "course.scaffold_local": (
        "def d{n}_d{a}({args}): верните значение производной {n} по аргументу {a} в этой точке."
    ),
    "course.scaffold_sign": (
        "При ваших значениях (`python check.py --id <ваш id>`): если {a} чуть увеличить, лосс "
        "{loss} вырастет или упадёт? Для этого нужна производная d{loss}/d{a}: возьмите "
        "d{loss}/d{n}, посчитав её по цепочке от {loss} при ваших значениях, и сделайте второй "
        "шаг."
    ),
    "course.scaffold_sign_down": "{loss} упадёт",
    "course.scaffold_sign_hint": (
        "Знак производной говорит, в какую сторону меняется выход функции, когда аргумент чуть "
        "растёт."
    ),
    "course.scaffold_sign_up": "{loss} вырастет",
    "course.scaffold_sign_zero": "{loss} не изменится",
    "course.scaffold_title": "Доброволец {n}: функция {n} = {{math:{n}}}",
    "course.scaffold_up_why": (
        "{loss} растёт с ростом {a}, только если d{loss}/d{a} при ваших значениях положительна. "
        "Найдите её знак звено за звеном: знаки звеньев перемножаются."
    ),
    "course.scaffold_zero_why": (
        "{loss} стоит на месте, только если d{loss}/d{a} в точности равна 0; при ваших значениях "
        "она не 0 — найдите её знак."
    ),
    "course.seed_must_non_negative_integer": (
        "seed должен быть неотрицательным целым числом, а не {raw_seed!r}"
    ),
    "course.similarity_threshold_share": (
        "similarity_threshold должен быть долей кода, числом из [0, 1], а не {value!r}"
    ),
    "course.text_missing": "{where}: нет текста на языке '{code}'",
    "course.text_missing_en": "{where}: нет текста на языке 'en'",
    "course.text_missing_ru": "{where}: нет текста на языке 'ru'",
    "course.time_budget_seconds_for_all": (
        "time_budget (секунд на весь код одной работы вместе) должен быть положительным числом, а "
        "не {raw_budget!r}"
    ),
    "course.title_needs_text_for_each": "title должен иметь текст на каждом языке: {languages}",
    "course.tolerance_must_be_mapping": "tolerance должен быть словарём вида {example}",
    "course.tolerance_must_number_0_1": "tolerance {key} должен быть числом из [0, 1)",
    "course.two_options_have_same_value": "у двух вариантов одинаковое value",
    "course.unknown_key": "неизвестный ключ '{key}'",
    "course.uses_which_not_among_arguments": (
        "{key} использует '{u}', которого нет среди аргументов: напишите {name}({args})"
    ),
    "course.value_not_node": "value: '{arg}' — не узел",
    "course.warning": "предупреждение:",
    "course.weight_must_positive_number": "вес {ex_id} должен быть положительным числом",
    "course.write_exactly_one_key": "{where}: нужен ровно один ключ",
    "course.yaml_syntax": "синтаксис YAML: {problem}",
}
