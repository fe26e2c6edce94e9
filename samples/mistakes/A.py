"""Volunteer A: the function A = w1·x1

You are a volunteer, and you are given the function A = w1·x1. It takes x1, an input
of the model, and w1, a parameter, the thing gradient descent tunes. In A.py the
arguments come in this order: A(x1, w1).

What to do (as in the lesson):
1. Compute the values of all the derivatives of your function: with respect to x1
   and to w1.
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


# A.forward — 1 point
def A(x1, w1):
    """Write the function itself: def A(x1, w1) returns the output of A.
    """
    return w1*x1


# A.dA_dx1 — 1 point
def dA_dx1(x1, w1):
    """def dA_dx1(x1, w1): return the value of the derivative of A with respect to the
    argument x1 at this point.

    Hint: The table of derivatives, row f(w1, a) = w1·a: df/da = w1, df/dw1 = a.
    There w1 and a are the table's generic names: a parameter and an argument. Look at
    what plays the part of a in your function and what plays the part of the parameter.
    """
    return w1


# A.dA_dx1_formula — 1 point
# dA_dx1_formula = "…": the same derivative of A with respect to x1, written as a
# formula: a string in the function's argument names (x1, w1).
# A formula as a string (what it may contain: see the top).
# A node may be written by its name here: A = w1*x1.
dA_dx1_formula = 'w1'


# A.dA_dw1 — 1 point
def dA_dw1(x1, w1):
    """def dA_dw1(x1, w1): return the value of the derivative of A with respect to the
    parameter w1 at this point.

    Hint: The table of derivatives, row f(w1, a) = w1·a: df/da = w1, df/dw1 = a.
    There w1 and a are the table's generic names: a parameter and an argument. Which of
    the two is the derivative with respect to the parameter?
    """
    return w1  # the derivative by the other argument


# A.dA_dw1_formula — 1 point
# dA_dw1_formula = "…": the derivative of A with respect to the parameter w1 as a
# formula: a string in the function's argument names (x1, w1).
# A formula as a string (what it may contain: see the top).
# A node may be written by its name here: A = w1*x1.
dA_dw1_formula = 'x1'


# A.A_change_w1 — 1 point
# What does the derivative with respect to a parameter say about the function's
# output? Let's check at your values: if w1 grows by 0.01 and x1 stays the same, by
# about how much does the output of A change? Estimate it with the derivative; do not
# recompute the function. Keep the sign: if A goes down, the answer is negative.
# A number computed by hand at your own values (`python check.py --id YOUR_ID` prints them).
# Give at least 4 significant digits.
A_change_w1 = -0.023


# A.A_change_x1 — 1 point
# What does the derivative with respect to an argument say about the function's output? At your
# values: if x1 grows by 0.01 and w1 stays the same, by about how much does the output
# of A change? Estimate it with the derivative, keeping the sign.
# A number computed by hand at your own values (`python check.py --id YOUR_ID` prints them).
# Give at least 4 significant digits.
A_change_x1 = -0.005


# A.backward — 1 point
def backward(x1, w1, dL_dA):
    """The volunteer's second step: the derivatives of the loss with respect to the
    elements of your function. def backward(x1, w1, dL_dA): the last argument dL_dA is
    the derivative of the loss L with respect to the output of your function A; it is
    passed to you by whoever stands further along the chain, closer to the loss. Return
    a dict
    {"x1": dL/dx1, "w1": dL/dw1}.

    Hint: The chain rule from the table: df/dx = df/dg · dg/dx. Here f is the loss L and g is
    your function A: multiply what you were given (dL_dA) by what you found yourself.
    """
    return {"x1": dL_dA*w1, "w1": dL_dA*x1}


# A.L_sign_w1 — 1 point
# At your values (`python check.py --id <your id>`): if the parameter w1 is increased
# a little, does the loss L go up or down? You need the derivative dL/dw1: get dL/dA
# by going along the chain from L at your values, then take the second step.
#
# Hint: The sign of a derivative tells which way the function's output moves when the
# argument grows a little.
# One of:
#   "up": L goes up
#   "down": L goes down
#   "zero": L does not change
L_sign_w1 = 'up'
