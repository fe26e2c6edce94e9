"""The terminal domain in Russian."""

TEXT = {
    "terminal.1_values_forward_pass": "1. Значения (прямой проход)",
    "terminal.2_local_derivatives_each_function": "2. Производные каждой функции по её аргументам",
    "terminal.3_derivative_loss_with_respect": (
        "3. Производная лосса по каждому элементу (правило цепочки)"
    ),
    "terminal.4_gradient_descent_step": "4. Шаг градиентного спуска",
    "terminal.added": "{file}:{line}: добавлено {what}",
    "terminal.answer_key_at": "Ключ ответов в точке",
    "terminal.backward": "назад",
    "terminal.chain_rule": "правило цепочки",
    "terminal.course": "курс: {path}",
    "terminal.course_inside_submission_being_graded": (
        "--course {course_path}: находится внутри проверяемой работы"
    ),
    "terminal.course_no_course_yml_there": "--course {course_path}: там нет course.yml",
    "terminal.data": "данные",
    "terminal.derivative": "производная",
    "terminal.every_parameter_input_has_chain": (
        "у каждого параметра и входа уже есть вопрос цепочки"
    ),
    "terminal.exercises_questions_points_graded_automatically": (
        "упражнений {n_ex}, вопросов {n_q}, баллов {total:g}: {auto:g} проверяются автоматически, "
        "{manual:g} — учителем"
    ),
    "terminal.exists_but_not_listed_course": "{path} есть, но не указан в course.yml",
    "terminal.exists_never_overwritten_move_away": (
        "{path} уже есть: его не перезаписывают (сначала уберите его)"
    ),
    "terminal.feedback": "комментарий",
    "terminal.files_setup_sh_run_autograder": (
        "{out}: файлов {n_names} (setup.sh, run_autograder, {wheels}, course/); загрузите его как "
        "autograder задания в Gradescope"
    ),
    "terminal.first_broken_link_gradient_came": (
        "первое сломанное звено: {link} (градиент всё же верен)"
    ),
    "terminal.formula": "формула",
    "terminal.forward": "вперёд",
    "terminal.free_text_questions_points_are": (
        "Вопросы со свободным ответом ({points} б.) проверяет учитель (nbgrader); здесь они не "
        "считаются."
    ),
    "terminal.function": "функция",
    "terminal.grade_cluster_cannot_grade_nothing": (
        "grade: кластер не может проверять, ничего не проверено: {e}"
    ),
    "terminal.grade_ignored_inside_submission_being": (
        "grade: {display} не используется: он внутри проверяемой работы"
    ),
    "terminal.grade_isolation_namespaces_student_code": (
        "grade --isolation namespaces: на этой машине код студентов нельзя запустить в "
        "пространствах имён Linux ({why}); ничего не проверено"
    ),
    "terminal.grade_output_file_could_not": "grade: не удалось записать файл результатов: {why}",
    "terminal.graded_weaker_sandbox_refused_by": (
        "проверено в более слабой песочнице {isolation}, а --isolation namespaces это запрещает"
    ),
    "terminal.gradescope_writes_results_exactly_one": (
        "--gradescope записывает результат ровно одной работы."
    ),
    "terminal.grading": "Проверка",
    "terminal.handed_on": "передал(а)",
    "terminal.hands_on": "передаёт дальше",
    "terminal.ids_taken_from_folder_zip": (
        "id взяты из имени папки или zip (нет student.txt и --roster), {n}: {ids}"
    ),
    "terminal.input": "вход",
    "terminal.json_another_grade_run_writing": (
        "--json {path}: в этот файл уже пишет другой запуск grade; дождитесь его окончания или "
        "укажите другой файл"
    ),
    "terminal.json_cannot_written": "--json {path}: запись невозможна ({err})",
    "terminal.json_keeps_being_replaced_by": (
        "--json {path}: файл всё время заменяет другая программа"
    ),
    "terminal.json_not_grade_report_written": (
        "--json {path}:{n}: это не отчёт, записанный grade; укажите другой файл (или удалите эту "
        "строку)"
    ),
    "terminal.link": "звено",
    "terminal.loss": "лосс",
    "terminal.name": "имя",
    "terminal.name_node_give_chain": "укажите УЗЕЛ или --chain",
    "terminal.new_value": "новое значение",
    "terminal.no_course_yml_found_this": (
        "course.yml не найден ни в этой папке, ни выше (вне проверяемых работ); запустите grade "
        "из папки курса или укажите --course"
    ),
    "terminal.no_submission_found_there": "Там не найдено ни одной работы.",
    "terminal.no_such_file_folder": "{path}: нет такого файла или папки",
    "terminal.nobody_teacher": "(никто: учитель)",
    "terminal.not_finite_number_here": "здесь не конечное число",
    "terminal.not_graded_grader_failed": (
        "{submission}: не проверено, сбой проверяющей системы: {why}"
    ),
    "terminal.not_node_model": "{node} — не узел модели ({names}){hint}",
    "terminal.not_roster_exported_by_id": (
        "нет в --roster, выгружены по id, с которым проверены (проверьте их на платформе): "
        "{students}"
    ),
    "terminal.ok_nodes": "{name}: в порядке — узлы {nodes}",
    "terminal.option_goes_with": "{option} даётся вместе с {output}: укажите оба или ни одного",
    "terminal.parameter": "параметр",
    "terminal.problems_in_course_files": "{n} {n:plural:проблема|проблемы|проблем} в файлах курса",
    "terminal.question": "вопрос",
    "terminal.questions_not_last_key_so": (
        "{path}: questions: — не последний ключ, добавить вопросы некуда"
    ),
    "terminal.received": "получил(а)",
    "terminal.receives": "получает",
    "terminal.reference": "(эталон)",
    "terminal.refuse_grading_without_namespaces_grade": (
        "Чтобы не проверять без пространств имён: grade --isolation namespaces"
    ),
    "terminal.sandbox": "песочница: {isolation}",
    "terminal.scheduler_address_needed": "--scheduler: нужен адрес",
    "terminal.scheduler_needs_dask_distributed_pip": (
        "для --scheduler нужен Dask distributed: pip install 'backprop-course[dask]'"
    ),
    "terminal.score": "баллы",
    "terminal.status": "статус",
    "terminal.step": "шаг",
    "terminal.student": "студент",
    "terminal.student_id_carried_by_submissions": (
        "id студента {student!r} указан в {n} работах: {submissions}"
    ),
    "terminal.student_only_applies_with_solutions": (
        "--student имеет смысл только вместе с --solutions"
    ),
    "terminal.submission_not_graded_because_grader": (
        "Не проверено работ из-за сбоя проверяющей системы: {n} (для них ничего не сохранено); "
        "устраните причину и запустите grade снова."
    ),
    "terminal.team": "команда {team}: {score} / {max}",
    "terminal.team_gradient_off_first_broken": (
        "градиент команды неверен; первое сломанное звено: {link}"
    ),
    "terminal.team_gradient_step_are_right": "градиент и шаг команды верны",
    "terminal.teams_rounds_could_not_run": (
        "Цепочки команд не удалось проверить, сбой проверяющей системы (строки команд не "
        "сохранены): {why}"
    ),
    "terminal.total": "итого",
    "terminal.unchanged_submission_kept_from_earlier": (
        "Работ без изменений с прошлого запуска: {n} (не проверяются заново)."
    ),
    "terminal.value": "значение",
    "terminal.volunteer": "участник",
    "terminal.volunteers_round_at": "Раунд добровольцев в точке",
    "terminal.what": "что это",
    "terminal.workers_at_least_1": "--workers: не меньше 1",
    "terminal.workers_scheduler_choose_one_cluster": (
        "--workers и --scheduler: выберите одно (у кластера свои исполнители)"
    ),
    "terminal.wrote": "записан {path}",
}
