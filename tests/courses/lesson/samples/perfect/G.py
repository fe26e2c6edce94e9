"""Volunteer G: the function G = A + B + C

You are a volunteer, and you are given the function G = A + B + C. It takes the arguments
A, B, C, the outputs of the functions of those names; it has no parameters. In G.py the
arguments come in this order: G(A, B, C).

What to do (as in the lesson):
1. Compute the values of all the derivatives of your function: with respect to each
   of A, B, C.
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


# G.forward — 1 point
def G(A, B, C):
    """Write the function itself: def G(A, B, C) returns the output of G.
    """
    return A + B + C


# G.dG_dA — 1 point
def dG_dA(A, B, C):
    """def dG_dA(A, B, C): return the value of the derivative of G with respect to the
    argument A at this point.

    Hint: The table of derivatives, row f(a, b) = a + b: df/da = 1, df/db = 1. G has more than
    two terms, but the reasoning is the same: while one term changes, the others stay
    put.
    """
    return 1


# G.dG_dA_formula — 1 point
# dG_dA_formula = "…": the derivative of G with respect to A as a formula: a string in
# the function's argument names (A, B, C). A formula may also be just a number.
# A formula as a string (what it may contain: see the top).
# A node may be written by its name here: G = A + B + C.
dG_dA_formula = '1'


# G.dG_dB — 1 point
def dG_dB(A, B, C):
    """def dG_dB(A, B, C): return the value of the derivative of G with respect to the
    argument B at this point.

    Hint: The table of derivatives, row f(a, b) = a + b: df/da = 1, df/db = 1. G has more than
    two terms, but the reasoning is the same: while one term changes, the others stay
    put.
    """
    return 1


# G.dG_dB_formula — 1 point
# dG_dB_formula = "…": the derivative of G with respect to B as a formula: a string in
# the function's argument names (A, B, C).
# A formula as a string (what it may contain: see the top).
# A node may be written by its name here: G = A + B + C.
dG_dB_formula = '1'


# G.dG_dC — 1 point
def dG_dC(A, B, C):
    """def dG_dC(A, B, C): return the value of the derivative of G with respect to the
    argument C at this point.

    Hint: The table of derivatives, row f(a, b) = a + b: df/da = 1, df/db = 1. G has more than
    two terms, but the reasoning is the same: while one term changes, the others stay
    put.
    """
    return 1


# G.dG_dC_formula — 1 point
# dG_dC_formula = "…": the derivative of G with respect to C as a formula: a string in
# the function's argument names (A, B, C).
# A formula as a string (what it may contain: see the top).
# A node may be written by its name here: G = A + B + C.
dG_dC_formula = '1'


# G.G_change_A — 1 point
# What does the derivative with respect to one argument say about the function's
# output? Let's check at your values: if A grows by 0.01 while B and C stay the same,
# by about how much does the output of G change? Estimate it with the derivative,
# keeping the sign.
#
# Compute A, B and C from your values first.
# A number computed by hand at your own values (`python check.py --id YOUR_ID` prints them).
# Give at least 4 significant digits.
G_change_A = 0.01


# G.backward — 1 point
def backward(A, B, C, dL_dG):
    """The volunteer's second step: the derivatives of the loss with respect to the
    elements of your function. def backward(A, B, C, dL_dG): the last argument dL_dG is
    the derivative of the loss L with respect to the output of your function G; it is
    passed to you by whoever stands further along the chain, closer to the loss. Return
    a dict
    {"A": dL/dA, "B": dL/dB, "C": dL/dC}.

    Hint: The chain rule from the table: df/dx = df/dg · dg/dx. Here f is the loss L and g is
    your function G: multiply what you were given (dL_dG) by what you found yourself.
    """
    return {"A": dL_dG, "B": dL_dG, "C": dL_dG}


# G.L_sign_A — 1 point
# At your values (`python check.py --id <your id>`): if A is increased a little, does
# the loss L go up or down? You need the derivative dL/dA: get dL/dG by going along
# the chain from L at your values, then take the second step.
#
# Hint: The sign of a derivative tells which way the function's output moves when the
# argument grows a little.
# One of:
#   "up": L goes up
#   "down": L goes down
#   "zero": L does not change
L_sign_A = 'up'
