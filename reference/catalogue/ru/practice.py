"""Домен practice по-русски: тренировка на свежих вариантах, которые проверяет грейдер."""

TEXT = {
    # ответ не той формы (grader/practice.py)
    "practice.answer_number": "Напишите число, например -0.125 или 1.5e-3.",
    "practice.answer_too_long": "Слишком длинно: не больше {n} символов.",
    "practice.answer_formula": "Напишите формулу текстом, например w1*x1.",
    "practice.answer_option": "Выберите один из вариантов.",
    "practice.answer_set": "Выберите варианты: список их имён.",
    "practice.answer_mapping": "Напишите словарь: каждому имени — один вариант или список имён.",
    "practice.answer_code": "Напишите код функции.",
    "practice.not_practised": "Этот вопрос здесь не тренируется: его оценивает преподаватель.",
    # отказы API (cli/serve/practice.py)
    "practice.no_question": "Вопроса {question} для тренировки нет.",
    "practice.no_variant": "Такого варианта нет: начните новый.",
    "practice.variant_closed": "Этот вариант закрыт (его решение показано): начните новый.",
    "practice.not_on_roster": "{student} нет в списке группы.",
    "practice.bad_student": "Id студента: от 1 до {n} символов, без управляющих символов.",
    "practice.too_many": "Слишком много запросов сразу: подождите немного и отправьте снова.",
    "practice.too_large": "Запрос слишком большой.",
    "practice.not_json": "Запрос — не объект JSON.",
    "practice.token_required": "Нужен токен преподавателя.",
    "practice.grader_failed": (
        "Грейдер не смог проверить этот ответ. Это не ваша ошибка, и ответ не засчитан: "
        "отправьте его ещё раз чуть позже."
    ),
    # что печатает course serve
    "practice.students_url": "студенты тренируются здесь: {url}",
    "practice.teacher_url": "тренировка группы (эту ссылку держите при себе): {url}",
    # страницы
    "practice.language_name": "Русский",
    "practice.needs_script": "Этой странице нужен JavaScript.",
    "practice.title": "Тренировка",
    "practice.intro": (
        "Тренируйте любой вопрос на новых значениях сколько угодно раз. Каждый ответ проверяет "
        "грейдер, как при проверке работы; на оценку здесь ничего не влияет."
    ),
    "practice.your_id": "Ваш id студента",
    "practice.id_needed": "Сначала введите свой id студента.",
    "practice.id_hint": "Id, под которым проверяется ваша работа (тот, что берёт check.py --id).",
    "practice.question_label": "Вопрос",
    "practice.start": "Тренировать этот вопрос",
    "practice.variant_heading": "{question}, вариант {n}",
    "practice.points": "{n:g} {n:plural:балл|балла|баллов} в задании",
    "practice.hint_label": "Подсказка",
    "practice.values_heading": "Значения этого варианта",
    "practice.values_note": (
        "Здесь «ваши значения» — значения этого варианта, а не вашего проверяемого задания."
    ),
    "practice.random_points": (
        "Ответ проверяется в случайных точках, выбранных для этого варианта."
    ),
    "practice.answer_label": "Ваш ответ",
    "practice.code_label": "Ваш код",
    "practice.names_hint": "имена через запятую",
    "practice.choose": "выберите…",
    "practice.send": "Проверить",
    "practice.checking": "Проверяем…",
    "practice.fresh": "Новый вариант",
    "practice.show_solution": "Показать решение (вариант закроется)",
    "practice.solution_confirm": (
        "Показать решение? Этот вариант закроется; дальше — новый вариант."
    ),
    "practice.solution_heading": "Решение варианта {n}",
    "practice.closed_note": "Этот вариант закрыт: тренируйтесь на новом.",
    "practice.verdict_right": "верно",
    "practice.verdict_partial": "частично верно",
    "practice.verdict_wrong": "неверно",
    "practice.unavailable": "не проверено",
    "practice.answers_count": "{n} {n:plural:ответ|ответа|ответов}",
    "practice.solved": "решено",
    "practice.server_silent": "Сервер не ответил: попробуйте ещё раз.",
    "practice.refused": "Отказано: {why}",
    "practice.empty_answer": "Сначала напишите ответ.",
    # страница преподавателя
    "practice.teacher_title": "Тренировка: группа",
    "practice.no_token": (
        "Этой странице нужна ссылка преподавателя, которую напечатал course serve (с токеном)."
    ),
    "practice.nobody_yet": "Пока никто не тренировался.",
    "practice.summary_students": "Тренировались: {n} {n:plural:студент|студента|студентов}.",
    "practice.col_question": "вопрос",
    "practice.col_students": "тренировались",
    "practice.col_success": "справились",
    "practice.col_answers": "ответов",
    "practice.col_diagnoses": "самые частые диагнозы",
    "practice.refresh": "Обновить",
}
