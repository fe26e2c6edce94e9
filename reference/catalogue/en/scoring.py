"""The scoring domain in English."""

TEXT = {
    "scoring.are_swapped_each_holds_value": (
        "'{a}' and '{b}' are swapped: each holds the value meant for the other. The value for "
        "'{a}' multiplies d{name}/d{a}."
    ),
    "scoring.factor_missing_d_d_multiplies": (
        "The factor {d} is missing: d{loss}/d{wrt} multiplies every link of the chain from {wrt} "
        "up to {loss}."
    ),
    "scoring.grader_could_not_run_this": "the grader could not run this submission: {err}",
    "scoring.grader_failed": "the grader failed: {why}",
    "scoring.hidden_test_did_not_run": "the hidden test did not run",
    "scoring.hidden_test_error": "hidden test error: {why}",
    "scoring.learning_rate_missing_from_step": "The learning rate {lr:g} is missing from the step.",
    "scoring.looks_like_product_rule_both": (
        "{d} looks like a product rule: both factors of {node_name} differentiated and added. But "
        "while {arg} changes, the other factor stays put: {node_name} is the table's row {row}."
    ),
    "scoring.not_right": "'{a}': not right.",
    "scoring.off_by_constant_factor_coefficient": (
        "Off by a constant factor (×{c:.4g}): a coefficient is lost or extra."
    ),
    "scoring.right_for_your_own_d": (
        "Right for your own d{name}/d… functions, which have a mistake: this question does not "
        "count it again."
    ),
    "scoring.right_for_your_own_local": (
        "Right for your own local derivatives, some of which have a mistake: the chain itself is "
        "assembled correctly, so it is not counted again."
    ),
    "scoring.sign_flipped": "'{a}': the sign is flipped.",
    "scoring.sign_flipped_check_each_minus": "The sign is flipped: check each minus along the way.",
    "scoring.step_goes_wrong_way_gradient": (
        "The step goes the wrong way: gradient descent subtracts the change."
    ),
    "scoring.that_alone_multiply_by_d": "'{a}': that is {up} alone; multiply it by d{name}/d{a}.",
    "scoring.that_change_when_grows_by": (
        "That is the change when {other} grows by {by:g}; the question changes {wrt}."
    ),
    "scoring.that_d_d_alone_multiply": (
        "'{a}': that is d{name}/d{a} alone; multiply it by {up} (chain rule)."
    ),
    "scoring.that_derivative_d_d_itself": (
        "That is the derivative d{of}/d{wrt} itself, the change per unit of {wrt}; but {wrt} "
        "grows by {by:g}."
    ),
    "scoring.that_function_itself_times_change": (
        "That is the function {of} itself times {by:g}: the change of {of} is its derivative with "
        "respect to {wrt} times {by:g}."
    ),
    "scoring.this_d_d_chain_stops": (
        "This is d{name}/d{p}: the chain stops at {name}. Continue it to the loss {loss} (chain "
        "rule)."
    ),
    "scoring.this_derivative_with_respect_question": (
        "This is the derivative with respect to {other}; the question asks for the derivative "
        "with respect to {wrt}."
    ),
    "scoring.this_dl_d_question_asks": "This is dL/d{other}; the question asks for dL/d{p}.",
    "scoring.this_function_itself_not_derivative": (
        "This is the function {name} itself, not its derivative with respect to {wrt}."
    ),
    "scoring.was_taken_as_1_check": (
        "{d} was taken as σ·(1 + σ): check the sign inside the bracket in the table's sigmoid row."
    ),
}
