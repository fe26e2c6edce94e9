"""Живой раунд, API: что он отвечает странице или клиенту, которому отказывает."""

TEXT = {
    "live.bad_at": 'at: число для каждого из {names} или "random"',
    "live.in_another_team": "{student} уже в команде {team}",
    "live.name_bounded": "{what}: имя длиной от 1 до {n} символов",
    "live.no_round": "такого раунда нет",
    "live.node_one_of": "node: одна из вершин {names}",
    "live.node_taken": "вершина {node} в команде {team} уже занята",
    "live.not_in_roster": "{student} нет в командах этого раунда",
    "live.not_json": "запрос — не объект JSON",
    "live.not_your_node": "вводить числа можно только для своей вершины в этом раунде",
    "live.quantity_one_of": "quantity: одно из {names}",
    "live.roster_line": "строка {line}: {message}",
    "live.teams_needed": (
        "teams: список из команды, студента и вершины, список команд (CSV team,student,node) "
        "или свободный вход"
    ),
    "live.token_required": "нужен токен преподавателя",
    "live.too_large": "запрос слишком велик",
    "live.too_many": "слишком много запросов: подождите немного и попробуйте снова",
    "live.value_number": "value: конечное число",
}
