"""Volunteer B: the function B = w2·x2

You are a volunteer, and you are given the function B = w2·x2. It takes x2, an input
of the model, and w2, a parameter, the thing gradient descent tunes. In B.py the
arguments come in this order: B(x2, w2).

What to do (as in the lesson):
1. Compute the values of all the derivatives of your function: with respect to x2
   and to w2.
2. Then compute the derivative of the loss L with respect to each element of your
   function: that is the chain rule.

Take the derivatives from the lesson's table of derivatives. From your answers and the
other volunteers' we will be able to put together all the derivatives!

Fill in every function and value below, keeping the names. Check your work with
`python check.py` (public examples only; the grader uses other points).

You may use math and numpy.

Formulas are strings in the function's argument names, e.g. "2*a*b": numbers, + - * / **
and parentheses, and the functions sigmoid (σ), pow, exp, log (ln), sqrt, tanh, cosh,
sinh, cos, sin, abs, sign, relu, step. Also read as you would write them by hand: x^2,
2(x+1), 2x, e^x, np.exp(x).
"""

import math  # noqa: F401

import numpy as np  # noqa: F401


# B.forward — 1 point
def B(x2, w2):
    """Write the function itself: def B(x2, w2) returns the output of B.
    """
    return w2*x2


# B.dB_dx2 — 1 point
def dB_dx2(x2, w2):
    """def dB_dx2(x2, w2): return the value of the derivative of B with respect to the
    argument x2 at this point.

    Hint: The table of derivatives, row f(w1, a) = w1·a: df/da = w1, df/dw1 = a.
    There w1 and a are the table's generic names: a parameter and an argument. Look at
    what plays the part of a in your function and what plays the part of the parameter.
    """
    return w2


# B.dB_dx2_formula — 1 point
# dB_dx2_formula = "…": the same derivative of B with respect to x2, written as a
# formula: a string in the function's argument names (x2, w2).
# A formula as a string (what it may contain: see the top).
# A node may be written by its name here: B = w2*x2.
dB_dx2_formula = 'w2'


# B.dB_dw2 — 1 point
def dB_dw2(x2, w2):
    """def dB_dw2(x2, w2): return the value of the derivative of B with respect to the
    parameter w2 at this point.

    Hint: The table of derivatives, row f(w1, a) = w1·a: df/da = w1, df/dw1 = a.
    There w1 and a are the table's generic names: a parameter and an argument. Which of
    the two is the derivative with respect to the parameter?
    """
    return x2


# B.dB_dw2_formula — 1 point
# dB_dw2_formula = "…": the derivative of B with respect to the parameter w2 as a
# formula: a string in the function's argument names (x2, w2).
# A formula as a string (what it may contain: see the top).
# A node may be written by its name here: B = w2*x2.
dB_dw2_formula = 'x2'


# B.B_change_w2 — 1 point
# What does the derivative with respect to a parameter say about the function's
# output? Let's check at your values: if w2 grows by 0.01 and x2 stays the same, by
# about how much does the output of B change? Estimate it with the derivative; do not
# recompute the function. Keep the sign: if B goes down, the answer is negative.
# A number computed by hand at your own values (`python check.py --id YOUR_ID` prints them).
# Give at least 4 significant digits.
B_change_w2 = -0.022000000000000002


# B.B_change_x2 — 1 point
# What does the derivative with respect to an argument say about the function's output? At your
# values: if x2 grows by 0.01 and w2 stays the same, by about how much does the output
# of B change? Estimate it with the derivative, keeping the sign.
# A number computed by hand at your own values (`python check.py --id YOUR_ID` prints them).
# Give at least 4 significant digits.
B_change_x2 = 0.001


# B.backward — 1 point
def backward(x2, w2, dL_dB):
    """The volunteer's second step: the derivatives of the loss with respect to the
    elements of your function. def backward(x2, w2, dL_dB): the last argument dL_dB is
    the derivative of the loss L with respect to the output of your function B; it is
    passed to you by whoever stands further along the chain, closer to the loss. Return
    a dict
    {"x2": dL/dx2, "w2": dL/dw2}.

    Hint: The chain rule from the table: df/dx = df/dg · dg/dx. Here f is the loss L and g is
    your function B: multiply what you were given (dL_dB) by what you found yourself.
    """
    return {"x2": dL_dB*w2, "w2": dL_dB*x2}


# B.L_sign_w2 — 1 point
# At your values (`python check.py --id <your id>`): if the parameter w2 is increased
# a little, does the loss L go up or down? You need the derivative dL/dw2: get dL/dB
# by going along the chain from L at your values, then take the second step.
#
# Hint: The sign of a derivative tells which way the function's output moves when the
# argument grows a little.
# One of:
#   "up": L goes up
#   "down": L goes down
#   "zero": L does not change
L_sign_w2 = 'down'
