"""The course domain in English."""

TEXT = {
    "course.answer_must_name_one_quantity": "answer must name one quantity",
    "course.answer_not_a_quantity": (
        "{where}: answer {said!r} is not one of the quantities the reference computes: value, "
        "backward, a fact (nodes_with_parameters, arguments, consumers, outputs) or one of "
        "{{value, local, grad, update, loss_after, change, sign}}: NAME"
    ),
    "course.answer_unknown_quantity": "answer: unknown quantity '{what}'",
    "course.argument_listed_twice": "{key}: an argument is listed twice",
    "course.at_most_items": "{where}: at most {maxitems} items",
    "course.cannot_name_exercise_becomes_python": (
        "'{ex_id}' cannot name an exercise (it becomes a Python module name)"
    ),
    "course.cannot_name_use_letters_digits": (
        "'{name}' cannot be a name: use letters, digits and _ (not a Python keyword or a function "
        "of the table)"
    ),
    "course.cannot_read_file": "cannot read the file: {strerror}",
    "course.course_yml_must_mapping_keys": (
        "course.yml must be a mapping of keys (inputs:, nodes:, …)"
    ),
    "course.cycle_node_cannot_depend_on": "cycle: {cycle}; a node cannot depend on itself",
    "course.declared_but_does_not_lead": (
        "'{name}' is declared in {key} but does not lead to the loss {loss}"
    ),
    "course.declared_twice_also": "'{name}' is declared twice (also in {also})",
    "course.does_not_depend_on": "{what}: {of} does not depend on {wrt}",
    "course.does_not_fit_any_allowed": "{where}: {x!r} does not fit any allowed form",
    "course.duplicate_key": (
        "duplicate key '{key}' (first at line {first}); YAML keeps only the last"
    ),
    "course.exercise_listed_but_yml_does": (
        "exercise '{ex_id}' is listed but {display}/{ex_id}.yml does not exist"
    ),
    "course.exercises_must_map_each_exercise": (
        "exercises must map each exercise's name to its weight"
    ),
    "course.expected_found": "{where}: expected {want}, found {x!r}",
    "course.feedback_must_one_not": "feedback must be one of {feedback}, not {feedback_2!r}",
    "course.feedback_says_derivative_with_respect": (
        "the feedback says {said} is the derivative of {name} with respect to {wrt}, but that "
        "derivative is another function now"
    ),
    "course.feedback_says_function_itself_but": (
        "the feedback says {said} is the function {name} itself, but {name} = {formula} now: "
        'write formula: "{{formula:{name}}}"'
    ),
    "course.field_questions_not_ones": "{name}: a field of {kinds} questions, not of {kind} ones",
    "course.file_larger_than_bytes": "the file is larger than {max_bytes} bytes",
    "course.formula_mistake_belongs_formula_question": (
        "a formula mistake belongs to a formula question or a function question returning a number"
    ),
    "course.formula_must_text_such_as": "{key}: the formula must be text such as w1*x1",
    "course.known_mistake_earns_here_but": (
        "the known mistake {said} earns {credit:g} here but {first:g} in {where}, the same slip "
        "in the same quantity: give it one credit"
    ),
    "course.known_mistake_now_right_answer": (
        "the known mistake {said} is now the right answer to {qid}: a student who writes it "
        "passes; remove it or write the mistake anew"
    ),
    "course.known_mistakes_are_for_questions": (
        "known mistakes are for {takes} questions, not {name}"
    ),
    "course.languages_must_list_drawn_from": "languages must be a list drawn from: ru, en",
    "course.learning_rate_must_positive_number": (
        "learning_rate must be a positive number, not {shown!r}"
    ),
    "course.lists_but_formula_does_not": "{key} lists '{a}' but its formula does not use it",
    "course.local_needs_node": "local: needs the exercise's node, or write {example}",
    "course.local_not_argument": "local: '{wrt}' is not an argument of {of}({args})",
    "course.local_not_node": "local: '{of}' is not a node",
    "course.lone_brace": (
        "a lone '{token}': write '{twice}' for the brace itself, or a placeholder ({known})"
    ),
    "course.loss_not_one_nodes": "loss '{loss}' is not one of the nodes",
    "course.missing_key": "missing required key '{key}'",
    "course.missing_key_in": "missing required key '{key}' in '{parent}'",
    "course.missing_question_stub_contract_node": (
        "missing question '{qid}' ({kind}): the stub contract of node {node} needs it"
    ),
    "course.missing_required_key": "{where}: missing required key '{key}'",
    "course.mistake_formula": "mistake formula:",
    "course.mistake_gives_either_formula_answer": "a mistake gives either a formula or an answer",
    "course.mistaken_quantity_must_take_same": (
        "the mistaken quantity must take the same arguments as the question's"
    ),
    "course.must_be_at_least": "{where}: must be at least {bound}",
    "course.must_be_at_most": "{where}: must be at most {bound}",
    "course.must_be_greater_than": "{where}: must be greater than {bound}",
    "course.must_list_names_e_g": "{key} must be a list of names, e.g. [x1, x2]",
    "course.must_not_empty": "{where}: must not be empty",
    "course.must_share_points_number_0": (
        "{key} must be a share of the points, a number in [0, 1], not {value!r}"
    ),
    "course.needs_at_least_items": "{where}: needs at least {minitems} items",
    "course.needs_exercise_node_write_e": (
        "'{answer}' needs the exercise's node: write e.g. {{{answer}: A}} or set node:"
    ),
    "course.no_question_asks_for_dl": (
        "no question asks for dL/d{name} ({{grad: {name}}}): `course new-exercise --chain` writes "
        "the chain questions"
    ),
    "course.no_range_for_add_low": (
        "no range for {name}: add '{name}: [low, high]' or '{category}: [low, high]' under ranges"
    ),
    "course.node_defined_twice_clashes_with": (
        "node '{name}' is defined twice or clashes with a declared name"
    ),
    "course.node_does_not_lead_loss": "node {name} does not lead to the loss {loss}",
    "course.node_has_no_exercise_course": (
        "node {name} has no exercise: `course new-exercise {name}` writes one"
    ),
    "course.node_header_must_look_like": (
        "node header '{key}' must look like A(x1, w1): a name and its arguments in parentheses"
    ),
    "course.node_not_node_model": "node '{node}' is not a node of the model",
    "course.nodes_must_map_header_formula": (
        "nodes must map a header to a formula, e.g. 'A(x1, w1): w1*x1'"
    ),
    "course.not_input_parameter_data_node": (
        "{key}: '{a}' is not an input, parameter, data or node"
    ),
    "course.not_name_model": "{what}: '{name}' is not a name of the model",
    "course.not_one": "{where}: {x!r} is not one of: {choices}",
    "course.not_parameter": "{what}: '{name}' is not a parameter",
    "course.not_placeholder": (
        "{token} is not a placeholder; known: {known} (a literal brace is written twice: {{{{ }}}})"
    ),
    "course.not_utf_8_text_byte": "not UTF-8 text (byte {start})",
    "course.not_valid_name_letters_digits": (
        "{where}: {x!r} is not a valid name (letters, digits, _)"
    ),
    "course.placeholder_not_node": "{token}: '{arg}' is not a node of the model ({nodes})",
    "course.point_given_twice": "{name} is given twice",
    "course.point_missing": "missing {names}",
    "course.point_not_finite": "{name}={raw} is not a finite number",
    "course.point_not_name_value": "'{part}' is not name=value",
    "course.point_unknown_name": "unknown name '{name}'",
    "course.points_random_points_per_question": (
        "points (random points per question) must be an integer 1..1000"
    ),
    "course.prose_header_not_node": "the text writes {said}, but {name} is not a node of the model",
    "course.prose_header_other_args": (
        "the text writes {said}, the model has {name}({args}): write {{header:{name}}}"
    ),
    "course.prose_lists_unused_function": (
        "the text lists {said} among what a formula may use, but no node of the model uses {fn}: "
        "write {{functions}}"
    ),
    "course.prose_names_unused_function": (
        "the text names {said}, but no node of the model uses {fn}"
    ),
    "course.prose_older_arguments": (
        "the text lists {said} of {name}'s arguments and never names {unsaid}: the model has "
        "{model}"
    ),
    "course.prose_other_formula": (
        "the text says {name} = {said}, the model has {name} = {formula}: write {name} = "
        "{{math:{name}}}"
    ),
    "course.prose_todo": "the text still says TODO",
    "course.prose_unknown_name": "the text names {name}, which the model does not have",
    "course.prose_unknown_number": (
        "the text says {said}, a number the model does not have (learning_rate is {rate:g}: write "
        "{{learning_rate}})"
    ),
    "course.question_cannot_ask_for_can": (
        "a {kind} question cannot ask for {what}; it can ask for: {answers}"
    ),
    "course.question_graded_by_teacher_has": (
        "a {kind} question is graded by the teacher: it has no answer"
    ),
    "course.question_has_no_options": "a {name} question has no options",
    "course.question_id_used_twice": "question id '{id}' is used twice (first at line {first})",
    "course.question_known_mistakes_are_given": (
        "a {name} question's known mistakes are given as: {mistakes}"
    ),
    "course.question_must_kind_with_answer": (
        "question '{qid}' must be kind {kind} with the answer the stub contract gives it"
    ),
    "course.question_needs_answer_quantity_reference": (
        "question '{id}' needs an answer: the quantity the reference computes"
    ),
    "course.question_needs_options": "a {name} question needs options",
    "course.question_shares_points_one_way": (
        "a {kind} question shares its points one way only: credit: {credit}"
    ),
    "course.range_must_low_high_with": "range of {key} must be [low, high] with low < high",
    "course.ranges_must_map_names_categories": "ranges must map names or categories to [low, high]",
    "course.scaffold_backward": (
        "def backward({args}, d{loss}_d{n}): the last argument is the derivative of the loss "
        "{loss} by the output of {n}. Return a dict {{returns:{n}}}."
    ),
    "course.scaffold_backward_hint": "The chain rule from the table: df/dx = df/dg · dg/dx.",
    "course.scaffold_chain_intro": "The model: {equations}. Every function takes ({leaves}).",
    "course.scaffold_chain_title": "Putting all the derivatives together",
    "course.scaffold_change": (
        "If {a} grows by 0.01 and the other arguments stay the same, by about how much does the "
        "output of {n} change? Estimate it with the derivative, keeping the sign. Your values of "
        "{{leaves}} are printed by `python check.py --id <your id>`. The answer is a number, at "
        "least 4 significant digits."
    ),
    "course.scaffold_down_why": (
        "{loss} falls as {a} grows only if d{loss}/d{a} is negative at your values. Find its sign "
        "link by link: the links' signs multiply."
    ),
    "course.scaffold_formula": (
        'd{n}_d{a}_formula = "…": the derivative of {n} with respect to {a} as a formula: a '
        "string in the function's argument names ({args})."
    ),
    "course.scaffold_forward": (
        "Write the function itself: def {n}({args}) returns the output of {n} = {{math:{n}}}."
    ),
    "course.scaffold_grad": (
        "def d{loss}_d{a}({{leaves}}): return the derivative of the loss {loss} with respect to "
        "{a} at this point."
    ),
    "course.scaffold_hint": "The table of derivatives, row {{rule:{n}}}.",
    "course.scaffold_intro": (
        "You are given the function {n} = {{math:{n}}}, in {n}.py {{header:{n}}}. Compute its "
        "derivatives with respect to each argument ({args}), then the derivatives of the loss "
        "with respect to them: the chain rule."
    ),
    "course.scaffold_local": (
        "def d{n}_d{a}({args}): return the value of the derivative of {n} with respect to the "
        "argument {a} at this point."
    ),
    "course.scaffold_sign": (
        "At your values (`python check.py --id <your id>`): if {a} is increased a little, does "
        "the loss {loss} go up or down? You need the derivative d{loss}/d{a}: get d{loss}/d{n} by "
        "going along the chain from {loss} at your values, then take the second step."
    ),
    "course.scaffold_sign_down": "{loss} goes down",
    "course.scaffold_sign_hint": (
        "The sign of a derivative tells which way the function's output moves when the argument "
        "grows a little."
    ),
    "course.scaffold_sign_up": "{loss} goes up",
    "course.scaffold_sign_zero": "{loss} does not change",
    "course.scaffold_title": "Volunteer {n}: the function {n} = {{math:{n}}}",
    "course.scaffold_up_why": (
        "{loss} grows as {a} grows only if d{loss}/d{a} is positive at your values. Find its sign "
        "link by link: the links' signs multiply."
    ),
    "course.scaffold_zero_why": (
        "{loss} stays put only where d{loss}/d{a} is exactly 0; at your values it is not 0, so "
        "find its sign."
    ),
    "course.seed_must_non_negative_integer": (
        "seed must be a non-negative integer, not {raw_seed!r}"
    ),
    "course.similarity_threshold_share": (
        "similarity_threshold must be a share of the code, a number in [0, 1], not {value!r}"
    ),
    "course.text_missing": "{where}: the '{code}:' text is missing",
    "course.text_missing_en": "{where}: the English text ('en:') is missing",
    "course.text_missing_ru": "{where}: the Russian text ('ru:') is missing",
    "course.time_budget_seconds_for_all": (
        "time_budget (seconds for all of one submission's code together) must be a positive "
        "number, not {raw_budget!r}"
    ),
    "course.title_needs_text_for_each": "title needs a text for each language: {languages}",
    "course.tolerance_must_be_mapping": "tolerance must be a mapping like {example}",
    "course.tolerance_must_number_0_1": "tolerance {key} must be a number in [0, 1)",
    "course.two_options_have_same_value": "two options have the same value",
    "course.unknown_key": "unknown key '{key}'",
    "course.uses_which_not_among_arguments": (
        "{key} uses '{u}', which is not among its arguments: write {name}({args})"
    ),
    "course.value_not_node": "value: '{arg}' is not a node",
    "course.warning": "warning:",
    "course.weight_must_positive_number": "weight of {ex_id} must be a positive number",
    "course.write_exactly_one_key": "{where}: write exactly one key",
    "course.yaml_syntax": "YAML syntax: {problem}",
}
