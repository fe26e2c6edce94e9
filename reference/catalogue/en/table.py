"""The table domain in English."""

TEXT = {
    "table.abs": "absolute value |a|",
    "table.add": "sum a + b",
    "table.cos": "cosine cos a",
    "table.cosh": "hyperbolic cosine cosh a",
    "table.div": "quotient a / b",
    "table.exp": "exponential e^a",
    "table.if_f_x_f_g": (
        "if f(x) = f(g(x)), then df/dx = df/dg · dg/dx; where a value feeds several places, the "
        "contributions add up"
    ),
    "table.log": "natural logarithm ln a",
    "table.mul": "product w·a",
    "table.neg": "negation −a",
    "table.pow": "power a^b (a constant b gives the integer or real power a^n)",
    "table.relu": "ReLU max(0, a)",
    "table.sigmoid": "sigmoid σ(a) = 1/(1 + e^(−a))",
    "table.sign": "sign: 1 if a > 0, −1 if a < 0, 0 at 0 (the derivative of abs)",
    "table.sin": "sine sin a",
    "table.sinh": "hyperbolic sine sinh a",
    "table.sqrt": "square root √a",
    "table.square": "square a²",
    "table.step": "step: 1 if a > 0 else 0 (the derivative of relu)",
    "table.sub": "difference a − b",
    "table.tanh": "hyperbolic tangent tanh a",
}
