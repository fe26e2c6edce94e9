"""The scoring domain in Russian."""

TEXT = {
    "scoring.are_swapped_each_holds_value": (
        "'{a}' и '{b}' перепутаны местами: в каждом значение, нужное другому. Значение для '{a}' "
        "умножается на d{name}/d{a}."
    ),
    "scoring.factor_missing_d_d_multiplies": (
        "Не хватает множителя {d}: d{loss}/d{wrt} — произведение всех звеньев цепочки от {wrt} до "
        "{loss}."
    ),
    "scoring.grader_could_not_run_this": "не удалось запустить эту работу: {err}",
    "scoring.grader_failed": "сбой проверки: {why}",
    "scoring.hidden_test_did_not_run": "скрытый тест не запустился",
    "scoring.hidden_test_error": "ошибка теста: {why}",
    "scoring.learning_rate_missing_from_step": "В шаге пропущена скорость обучения {lr:g}.",
    "scoring.looks_like_product_rule_both": (
        "{d} похожа на правило произведения: продифференцированы оба множителя {node_name} и "
        "сложены. Но пока меняется {arg}, другой множитель стоит на месте: {node_name} — это "
        "строка таблицы «{row}»."
    ),
    "scoring.not_right": "'{a}': неверно.",
    "scoring.off_by_constant_factor_coefficient": (
        "Отличается в постоянное число раз (×{c:.4g}): потерян или лишний коэффициент."
    ),
    "scoring.right_for_your_own_d": (
        "Верно для ваших собственных функций d{name}/d…, в которых есть ошибка: здесь она "
        "повторно не учитывается."
    ),
    "scoring.right_for_your_own_local": (
        "Верно для ваших собственных локальных производных, в некоторых из которых есть ошибка: "
        "сама цепочка собрана верно, поэтому ошибка повторно не учитывается."
    ),
    "scoring.sign_flipped": "'{a}': перепутан знак.",
    "scoring.sign_flipped_check_each_minus": "Знак перепутан: проверьте каждый минус по дороге.",
    "scoring.step_goes_wrong_way_gradient": (
        "Шаг сделан не в ту сторону: в градиентном спуске изменение вычитают."
    ),
    "scoring.that_alone_multiply_by_d": "'{a}': это только {up}; умножьте на d{name}/d{a}.",
    "scoring.that_change_when_grows_by": (
        "Это изменение при росте {other} на {by:g}, а в вопросе меняется {wrt}."
    ),
    "scoring.that_d_d_alone_multiply": (
        "'{a}': это только d{name}/d{a}; умножьте на {up} (правило цепочки)."
    ),
    "scoring.that_derivative_d_d_itself": (
        "Это сама производная d{of}/d{wrt} — изменение на единицу роста {wrt}; а {wrt} растёт на "
        "{by:g}."
    ),
    "scoring.that_function_itself_times_change": (
        "Это сама функция {of}, умноженная на {by:g}: изменение {of} — это её производная по "
        "{wrt}, умноженная на {by:g}."
    ),
    "scoring.this_d_d_chain_stops": (
        "Это d{name}/d{p}: цепочка обрывается на {name}. Доведите её до лосса {loss} (правило "
        "цепочки)."
    ),
    "scoring.this_derivative_with_respect_question": (
        "Это производная по {other}, а спрашивают производную по {wrt}."
    ),
    "scoring.this_dl_d_question_asks": "Это dL/d{other}, а спрашивают dL/d{p}.",
    "scoring.this_function_itself_not_derivative": (
        "Это сама функция {name}, а не её производная по {wrt}."
    ),
    "scoring.was_taken_as_1_check": (
        "{d} взята как σ·(1 + σ): проверьте знак в скобке в строке сигмоиды таблицы производных."
    ),
}
