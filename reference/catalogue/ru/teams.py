"""The teams domain in Russian."""

TEXT = {
    "teams.already_team": "«{student}» уже в команде «{team}»",
    "teams.backward_must_return_dict_with": (
        "backward должна вернуть словарь ровно с ключами {sorted}; получено {shown}"
    ),
    "teams.did_not_answer": "{what} не дала ответа ({status}): {message}",
    "teams.link_carried": "верно для полученного",
    "teams.link_right": "верно",
    "teams.link_wrong": "неверно",
    "teams.listed_twice": "«{student}, {node}» указано дважды",
    "teams.nobody_team_owns_reference_stands": (
        "узел {name} никому в команде не достался: его считает эталон"
    ),
    "teams.not_entered": "ещё не введено",
    "teams.not_right_for_values_this": "неверно для значений, которые получил этот участник",
    "teams.reference": "эталон",
    "teams.right": "верно",
    "teams.right_for_values_received_earlier": (
        "верно для полученных значений (ошибка раньше по цепочке): полный балл"
    ),
    "teams.roster_lists_no_one": "в списке никого нет",
    "teams.team_roster": "список команд",
    "teams.unknown_node_model_nodes_other": (
        "неизвестный узел «{clean_id}»{hint} (узлы модели: {nodes}; другие упражнения: {others})"
    ),
    "teams.unknown_student_no_submission_that": (
        "неизвестный студент «{student}»{hint}: среди проверяемых работ нет работы с этим id"
    ),
    "teams.upstream_factor_teammate_handed_on": (
        "множитель {up_name}, переданный товарищем по команде, не учтён: умножьте на него "
        "локальную производную"
    ),
    "teams.wrong_because": "{verdict}: {hint}",
}
