"""The pages domain in Russian."""

TEXT = {
    "pages.at_first_point": "В первой точке",
    "pages.backward": "обратный проход",
    "pages.class": "Группа",
    "pages.class_2": "← вся группа",
    "pages.computation_graph_with_your_values": "Граф вычислений с вашими значениями",
    "pages.correct": "верно",
    "pages.could_not_read_as_formula": "не читается как формула",
    "pages.derivatives": "Производные",
    "pages.each_function_each_arrow_local": (
        "Каждая функция и каждая стрелка (её локальная производная) окрашены и подписаны долей "
        "верных ответов группы на её вопросы: красный 0 %, жёлтый 50 %, зелёный 100 %."
    ),
    "pages.exercise": "Задание",
    "pages.feedback": "Комментарий",
    "pages.feedback_2": "{student}: отзыв",
    "pages.first_broken": "первое сломанное",
    "pages.first_broken_link": "Первое сломанное звено",
    "pages.forward": "прямой проход",
    "pages.function": "Функция",
    "pages.gradient": "Градиент",
    "pages.gradient_step": "Градиент и шаг",
    "pages.handed_on": "Передал(а)",
    "pages.hidden": "скрыто",
    "pages.html_cannot_written_permission_denied": "--html {folder}: запись невозможна (нет прав)",
    "pages.html_file_not_folder": "--html {folder}: это файл, а не папка",
    "pages.html_folder_does_not_exist": "--html {folder}: папки {parent} нет",
    "pages.link": "Звено",
    "pages.links": "Звенья",
    "pages.mean_points": "Средний балл",
    "pages.mean_score": "средний балл",
    "pages.members": "Участники",
    "pages.most_frequent_mistakes": "Частые ошибки",
    "pages.node_exercise": "Узел или упражнение",
    "pages.none": "нет",
    "pages.not_asked_another_volunteer_node": "не спрашивалось (узел другого участника)",
    "pages.not_correct": "неверно",
    "pages.notes": "Замечания",
    "pages.on_each_node_value_your": (
        "На каждом узле: значение вашей функции в точке слева; на каждой стрелке: ваша локальная "
        "производная там. Отмечено ✗, жирным пунктиром: проверено и неверно."
    ),
    "pages.on_each_node_volunteer_value": (
        "На каждом узле: его участник(и) и значение, переданное командой дальше; на стрелке a → "
        "N: dL/da, которую вернул участник узла N. Отмечено ✗, жирным пунктиром: сломанное звено; "
        "первое подписано."
    ),
    "pages.parameter": "Параметр",
    "pages.passed": "Решили",
    "pages.points": "Баллы",
    "pages.question": "Вопрос",
    "pages.questions": "Вопросы",
    "pages.received": "Получил(а)",
    "pages.reference_where_team_right": "Эталон (где у команды верно)",
    "pages.round": "Цепочка",
    "pages.row": "Строка",
    "pages.score": "Баллы",
    "pages.score_distribution": "Распределение баллов",
    "pages.score_maximum_each_bar_from": (
        "балл, % от максимума (столбец — от % под ним); над столбцом — число студентов"
    ),
    "pages.share": "Доля",
    "pages.status": "Статус",
    "pages.step": "Шаг",
    "pages.student": "Студент",
    "pages.students": "Студенты",
    "pages.students_by_score_percent": "Студенты по баллам, в процентах",
    "pages.submission": "Работа",
    "pages.submissions": "Работ",
    "pages.table_derivatives": "Таблица производных",
    "pages.team": "Команда",
    "pages.team_2": "Команда {name}",
    "pages.team_dl_dp": "dL/dp команды",
    "pages.team_new_value": "Новое значение",
    "pages.team_round": "Команда {team}: цепочка",
    "pages.teams": "Команды",
    "pages.unknown_question": "неизвестный вопрос",
    "pages.value_marked_hidden_would_show": (
        "Значение «скрыто» выдало бы ответ на звено, в котором участник ошибся."
    ),
    "pages.verdict": "Вердикт",
    "pages.volunteer": "Участник",
    "pages.volunteer_2": "Участник(и)",
    "pages.where_class_breaks": "Где ошибается группа",
    "pages.you": "вы",
    "pages.you_own": "ваши узлы",
    "pages.your_computation_graph": "Ваш граф вычислений",
    "pages.your_formula": "Ваша формула",
    "pages.your_formulas": "Ваши формулы",
    "pages.your_functions_chained_at_values": (
        "Ваши функции по цепочке при значениях «{student}» (их печатает `python check.py --id "
        "{student}`):"
    ),
    "pages.your_team": "Ваша команда",
}
