"""The kinds domain in English."""

TEXT = {
    "kinds.backward_must_return_dict_with": (
        "backward must return a dict with exactly the keys {sorted}; got {sorted_2}"
    ),
    "kinds.close_but_not_within_keep": (
        "Close, but not within {digits}: keep more digits in the intermediate steps and round "
        "only the final answer."
    ),
    "kinds.close_right_formula_at_some": (
        "Close to the right formula at some points, but not the same function."
    ),
    "kinds.dict_function_one_options_below": (
        "A dict function → one of the options below, with the keys"
    ),
    "kinds.dict_name_list_names_with": "A dict name → list of names, with the keys",
    "kinds.did_not_answer_time_endless": "{name} did not answer in time (an endless loop?){where}",
    "kinds.formula_as_string_what_may": "A formula as a string (what it may contain: see the top).",
    "kinds.formula_not_read": "{name}: {message}",
    "kinds.formulas_are_strings_function_argument": (
        'Formulas are strings in the function\'s argument names, e.g. "2*a*b": numbers, + - * / '
        "** and parentheses, and the functions {listing}. Also read as you would write them by "
        "hand: x^2, 2(x+1), 2x, e^x, np.exp(x)."
    ),
    "kinds.free_text_graded_by_teacher": "(free text: graded by the teacher)",
    "kinds.give_at_least": "Give at least {digits}.",
    "kinds.hint": "Hint",
    "kinds.keep_at_least_step_old": "Keep at least {digits} of the step (old value − new value).",
    "kinds.learning_rate_missing_from_step": (
        "The learning rate {lr:g} is missing from the step: the microchange is {lr:g} · change."
    ),
    "kinds.no_answer": "no answer",
    "kinds.node_may_written_by_name": "A node may be written by its name here: {listed}.",
    "kinds.not_one_options_write_options": (
        "{said}: not one of the options ({listed}). Write the options' names as they are listed."
    ),
    "kinds.not_right": "Not right.",
    "kinds.not_right_2": "Not right:",
    "kinds.not_right_at_your_values": "Not right at your values.",
    "kinds.not_right_for": "Not right for: {wrong}.",
    "kinds.not_right_returned": "Not right: {name}({at}) returned {k:.6g}.",
    "kinds.number_computed_by_hand_at": (
        "A number computed by hand at your own values (`python check.py --id YOUR_ID` prints them)."
    ),
    "kinds.number_computed_by_hand_at_2": (
        "A number computed by hand at your own values (`my_values()`, defined at the top of this "
        "notebook, prints them)."
    ),
    "kinds.one": "One of",
    "kinds.options_chosen_wrongly": "{n} wrong {n:plural:option|options} chosen",
    "kinds.options_leave_out_which_correct": (
        "the options leave out {missing}, which the correct answer needs"
    ),
    "kinds.options_must_nodes_model_not": "options must be nodes of the model; not: {unknown}",
    "kinds.options_not_chosen": "{n} right {n:plural:option|options} not chosen",
    "kinds.options_outputs_are_some_every": (
        "the options of outputs are some of {outputs}, and every output of the model among them; "
        "not: {unknown}; missing: {missing}"
    ),
    "kinds.read_as": "Read as: {shown}",
    "kinds.set_options_that_apply_out": "A set of the options that apply, out of",
    "kinds.sign_question_options_are_up": "a sign question's options are up, down (and zero)",
    "kinds.significant_digits": "{n} significant {n:plural:digit|digits}",
    "kinds.step_goes_wrong_way_gradient": (
        "The step goes the wrong way: gradient descent subtracts the microchange."
    ),
    "kinds.step_times_right_one_learning": (
        "The step is {factor:g} times the right one: the learning rate is {lr:g}."
    ),
    "kinds.that_change_dl_d_not": (
        "That is the change, dL/d{p}, not the new parameter: from it, get the microchange and "
        "move {p}_old by it."
    ),
    "kinds.that_microchange_itself_subtract_from": (
        "That is the microchange itself: subtract it from {p}_old to get {p}_new."
    ),
    "kinds.that_old_itself_no_step": (
        "That is {p}_old itself: no step was taken (or it was rounded away). Compute the "
        "microchange = {lr:g} · change and subtract it, keeping its digits."
    ),
    "kinds.this_formula_could_not_checked": (
        "This formula could not be checked precisely: its values get astronomically large or "
        "small (such as exp of exp) or take too long to compute. Simplify it and submit it again."
    ),
    "kinds.this_formula_not_right_one": "This formula is not the right one.",
    "kinds.write_dict_name_list_names": "Write a dict name → list of names.",
    "kinds.write_dict_name_one_option": "Write a dict name → one option.",
    "kinds.write_one": "Write one of: {shown}.",
    "kinds.write_set_option_names_e": "Write a set of option names, e.g. {example}.",
    "kinds.write_your_answer_here": "write your answer here",
    "kinds.your_answer_your_own_words": "Your answer in your own words (graded by the teacher).",
}
