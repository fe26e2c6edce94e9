"""Volunteer C: the function C = w3·x3

You are a volunteer, and you are given the function C = w3·x3. It takes x3, an input
of the model, and w3, a parameter, the thing gradient descent tunes. In C.py the
arguments come in this order: C(x3, w3).

What to do (as in the lesson):
1. Compute the values of all the derivatives of your function: with respect to x3
   and to w3.
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


# C.forward — 1 point
def C(x3, w3):
    """Write the function itself: def C(x3, w3) returns the output of C.
    """
    return w3*x3


# C.dC_dx3 — 1 point
def dC_dx3(x3, w3):
    """def dC_dx3(x3, w3): return the value of the derivative of C with respect to the
    argument x3 at this point.

    Hint: The table of derivatives, row f(w1, a) = w1·a: df/da = w1, df/dw1 = a.
    There w1 and a are the table's generic names: a parameter and an argument. Look at
    what plays the part of a in your function and what plays the part of the parameter.
    """
    return w3


# C.dC_dx3_formula — 1 point
# dC_dx3_formula = "…": the same derivative of C with respect to x3, written as a
# formula: a string in the function's argument names (x3, w3).
# A formula as a string (what it may contain: see the top).
# A node may be written by its name here: C = w3*x3.
dC_dx3_formula = 'w3'


# C.dC_dw3 — 1 point
def dC_dw3(x3, w3):
    """def dC_dw3(x3, w3): return the value of the derivative of C with respect to the
    parameter w3 at this point.

    Hint: The table of derivatives, row f(w1, a) = w1·a: df/da = w1, df/dw1 = a.
    There w1 and a are the table's generic names: a parameter and an argument. Which of
    the two is the derivative with respect to the parameter?
    """
    return x3


# C.dC_dw3_formula — 1 point
# dC_dw3_formula = "…": the derivative of C with respect to the parameter w3 as a
# formula: a string in the function's argument names (x3, w3).
# A formula as a string (what it may contain: see the top).
# A node may be written by its name here: C = w3*x3.
dC_dw3_formula = 'x3'


# C.C_change_w3 — 1 point
# What does the derivative with respect to a parameter say about the function's
# output? Let's check at your values: if w3 grows by 0.01 and x3 stays the same, by
# about how much does the output of C change? Estimate it with the derivative; do not
# recompute the function. Keep the sign: if C goes down, the answer is negative.
# A number computed by hand at your own values (`python check.py --id YOUR_ID` prints them).
# Give at least 4 significant digits.
C_change_w3 = -0.01


# C.C_change_x3 — 1 point
# What does the derivative with respect to an argument say about the function's output? At your
# values: if x3 grows by 0.01 and w3 stays the same, by about how much does the output
# of C change? Estimate it with the derivative, keeping the sign.
# A number computed by hand at your own values (`python check.py --id YOUR_ID` prints them).
# Give at least 4 significant digits.
C_change_x3 = -0.002


# C.backward — 1 point
def backward(x3, w3, dL_dC):
    """The volunteer's second step: the derivatives of the loss with respect to the
    elements of your function. def backward(x3, w3, dL_dC): the last argument dL_dC is
    the derivative of the loss L with respect to the output of your function C; it is
    passed to you by whoever stands further along the chain, closer to the loss. Return
    a dict
    {"x3": dL/dx3, "w3": dL/dw3}.

    Hint: The chain rule from the table: df/dx = df/dg · dg/dx. Here f is the loss L and g is
    your function C: multiply what you were given (dL_dC) by what you found yourself.
    """
    return {"x3": dL_dC*w3, "w3": dL_dC*x3}


# C.L_sign_w3 — 1 point
# At your values (`python check.py --id <your id>`): if the parameter w3 is increased
# a little, does the loss L go up or down? You need the derivative dL/dw3: get dL/dC
# by going along the chain from L at your values, then take the second step.
#
# Hint: The sign of a derivative tells which way the function's output moves when the
# argument grows a little.
# One of:
#   "up": L goes up
#   "down": L goes down
#   "zero": L does not change
L_sign_w3 = 'up'
