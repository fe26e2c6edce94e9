"""The expr domain in Russian."""

TEXT = {
    "expr.add_missing_parenthesis": "добавьте недостающую ')'",
    "expr.allowed_characters": "разрешены числа, имена, + - * / ** ( ) и функции",
    "expr.allowed_functions": "Допустимые функции: {functions}",
    "expr.allowed_names": "Допустимые имена: {names}",
    "expr.ambiguous_after_division": (
        "произведение без '*' сразу после '/' можно прочитать двумя способами"
    ),
    "expr.ambiguous_after_power": (
        "произведение без '*' сразу после степени можно прочитать двумя способами"
    ),
    "expr.at_column": "{message} (позиция {column})",
    "expr.cannot_follow_name": "после имени '{ident}' не может стоять '.'",
    "expr.character_not_allowed": "символ {shown} недопустим",
    "expr.comma_not_allowed_here": "здесь не может стоять ','",
    "expr.comma_separates_arguments": "запятая разделяет только аргументы функции",
    "expr.cyrillic_letter": "{shown} — русская буква",
    "expr.decimal_needs_digits": "в десятичном числе нужны цифры, например 0.5",
    "expr.decimal_point": "дробную часть отделяйте точкой: 0.5, а не 0,5",
    "expr.did_you_mean": "возможно, имелось в виду {choices}?",
    "expr.digits_without_underscore": "пишите цифры без '_'",
    "expr.division_by_zero": "деление на ноль",
    "expr.dot_not_allowed_here": "здесь не может стоять '.'",
    "expr.either": "{first} или {last}",
    "expr.empty_parentheses": "скобки пустые: напишите внутри выражение",
    "expr.euler_number": "число e записывается как exp(1)",
    "expr.exact_values_are_limited_bits": "точные значения ограничены {max_bits} битами",
    "expr.expected_after": "после '{prev}' ожидается число, имя или '('",
    "expr.expected_at_start_found": (
        "в начале формулы ожидается число, имя или '(', а стоит '{text}'"
    ),
    "expr.expected_comma_or_parenthesis": "ожидается ',' или ')', а стоит '{text}'",
    "expr.exponent_larger_than": "показатель {n} больше {max_exponent}",
    "expr.extra_comma": "уберите лишнюю запятую",
    "expr.fewer_digits": "округлите его",
    "expr.formula_empty_write_between_quotes": "формула не написана: запишите её между кавычками",
    "expr.formula_ends_too_early": "формула обрывается",
    "expr.formula_must_text": "формула должна быть текстом",
    "expr.formula_nested_too_deeply": "слишком глубокая вложенность",
    "expr.formula_nested_too_deeply_more": (
        "слишком глубокая вложенность (больше {max_depth} уровней скобок, знаков или степеней)"
    ),
    "expr.formula_too_large_more_than": (
        "формула слишком большая (больше {max_nodes} "
        "{max_nodes:plural:элемента|элементов|элементов})"
    ),
    "expr.formula_too_long_characters_at": (
        "формула слишком длинная ({n} {n:plural:символ|символа|символов}, максимум {max_length})"
    ),
    "expr.function_needs_parentheses": "{ident} — функция, после неё нужны скобки",
    "expr.invisible_character": "удалите невидимый символ (перепечатайте это место)",
    "expr.latin_letters_only": "имена пишутся только латинскими буквами",
    "expr.letter_not_allowed": "буква {shown} недопустима",
    "expr.missing_argument": "перед ',' пропущен аргумент",
    "expr.missing_multiplication_must_written_explicitly": (
        "пропущен знак '*' (умножение нужно писать явно)"
    ),
    "expr.no_comparisons": "сравнения и логические операции недопустимы; {allowed}",
    "expr.no_dot_in_names": "в именах не может быть '.'; умножение пишется через '*'",
    "expr.no_functions": "В этой формуле нельзя использовать функции",
    "expr.no_latex": "команды LaTeX не поддерживаются; пишите, например, sigmoid(G)",
    "expr.no_percent": "'%' не поддерживается; для процентов делите на 100",
    "expr.no_variables": "В этой формуле нельзя использовать переменные",
    "expr.not_allowed": "'{text}' не поддерживается",
    "expr.not_function": "{ident} — не функция",
    "expr.not_valid_number": "'{literal}.' — неправильное число",
    "expr.number_has_too_many_digits": (
        "в числе '{literal}' слишком много цифр ({digits}, максимум {max_digits})"
    ),
    "expr.number_incomplete": "число '{literal}' не дописано",
    "expr.number_range": "числа должны быть в пределах от 1e-{bound} до 1e{bound}",
    "expr.number_too_large": "число слишком большое",
    "expr.number_too_large_too_small": "число '{literal}' слишком большое или слишком маленькое",
    "expr.one_decimal_point": "в числе может быть только одна десятичная точка",
    "expr.power_of_ten": "после 'e' напишите степень десяти, например 1e-3",
    "expr.power_with_stars": "записывайте степень через **, например x**4",
    "expr.power_without_space": "степень пишется как ** без пробела",
    "expr.remove_or_match": "уберите её или добавьте парную '(' раньше",
    "expr.right_hand_side": "напишите только правую часть (саму формулу)",
    "expr.right_hand_side_for_example": "напишите только правую часть, например {formula}",
    "expr.round_parentheses": "для группировки используйте круглые скобки ( )",
    "expr.shorten_it": "сократите её",
    "expr.simplify": "упростите формулу",
    "expr.single_formula": "напишите одну формулу без ';'",
    "expr.slash_for_division": "для деления используйте '/'",
    "expr.star_between_factors": "поставьте '*' между множителями",
    "expr.star_for_multiplication": "для умножения используйте '*'",
    "expr.star_where_product": "поставьте '*' там, где произведение",
    "expr.switch_keyboard": "переключите раскладку на английскую: имена пишутся латинскими буквами",
    "expr.symbol_for_function": "({symbol} можно писать вместо {function})",
    "expr.takes_got": (
        "{fn} принимает {arity} {arity:plural:аргумент|аргумента|аргументов}, а "
        "{got:plural:передан|передано|передано} {got}"
    ),
    "expr.this_never_closed": "эта '(' не закрыта",
    "expr.to_multiply_use_star": "умножение — '*'",
    "expr.to_multiply_write": "для умножения напишите {formula}",
    "expr.two_superscripts_row": "два надстрочных знака подряд",
    "expr.underscore_inside_number": "внутри числа не может стоять '_'",
    "expr.unexpected": "неожиданный '{text}'",
    "expr.unknown_function": "неизвестная функция '{ident}'",
    "expr.unknown_name": "неизвестное имя '{ident}'",
    "expr.unmatched": "лишняя ')'",
    "expr.with_hint": "{message} — {hint}",
    "expr.without_module": "напишите {name} без '{module}.'",
    "expr.without_quotes": "напишите формулу без кавычек",
    "expr.write_either": "напишите {first} или {second}",
    "expr.write_formula": "напишите {formula}",
    "expr.write_in_its_place": "напишите на этом месте {product}",
    "expr.write_sqrt": "напишите sqrt(...)",
}
