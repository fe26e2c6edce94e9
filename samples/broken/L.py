"""Volunteer L: the loss L = (gold − S)²

You are a volunteer, and you are given the loss L = (gold − S)²: it compares the
model's prediction S with the correct answer gold. It has two arguments: S, the output
of the function S, and gold, the data, the correct answer (not a parameter: nobody tunes
it). In L.py the arguments come in this order: L(S, gold).

The backward pass starts with you: you stand closest to the loss.

What to do (as in the lesson):
1. Compute the values of all the derivatives of your function: with respect to S
   and to gold.
2. Then compute the derivative of the loss with respect to each element of your
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


# L.forward — 1 point
def L(S, gold):
    """Write the function itself: def L(S, gold) returns the value of the loss.
    """
    return (-S + gold)**2


# L.dL_dS — 1 point
def dL_dS(S, gold):
    """def dL_dS(S, gold): return the value of the derivative of L with respect to the
    argument S at this point.

    Hint: L is a composite function: the square of g = gold − S. You need two rows of the
    table of derivatives: f(a) = a² → df/da = 2a, and the chain rule df/dx = df/dg ·
    dg/dx.
    """
    return 2*S - 2*gold


# L.dL_dS_formula — 1 point
# dL_dS_formula = "…": the derivative of L with respect to S as a formula: a string in
# the function's argument names (S, gold).
#
# Hint: L is a composite function: the square of g = gold − S. You need two rows of the
# table of derivatives: f(a) = a² → df/da = 2a, and the chain rule df/dx = df/dg ·
# dg/dx.
# A formula as a string (what it may contain: see the top).
# A node may be written by its name here: L = (gold - S)**2.
dL_dS_formula = ['2*S - 2*gold']


# L.dL_dgold — 1 point
def dL_dgold(S, gold):
    """def dL_dgold(S, gold): return the value of the derivative of L with respect to the
    argument gold at this point. We are not going to change gold, but the function still
    has a derivative with respect to it.

    Hint: L is a composite function: the square of g = gold − S. You need two rows of the
    table of derivatives: f(a) = a² → df/da = 2a, and the chain rule df/dx = df/dg ·
    dg/dx.
    """
    return -2*S + 2*gold


# L.dL_dgold_formula — 1 point
# dL_dgold_formula = "…": the derivative of L with respect to gold as a formula: a
# string in the function's argument names (S, gold).
#
# Hint: L is a composite function: the square of g = gold − S. You need two rows of the
# table of derivatives: f(a) = a² → df/da = 2a, and the chain rule df/dx = df/dg ·
# dg/dx.
# A formula as a string (what it may contain: see the top).
# A node may be written by its name here: L = (gold - S)**2.
dL_dgold_formula = '-2*S + 2*gold'


# L.L_change_S — 1 point
# What does the derivative with respect to an argument say about the function's
# output? Let's check at your values: if S grows by 0.01 while gold stays the same, by
# about how much does the loss L change? Estimate it with the derivative, keeping the
# sign: if the loss goes down, the answer is negative.
#
# Compute S from your values first.
# A number computed by hand at your own values (`python check.py --id YOUR_ID` prints them).
# Give at least 3 significant digits.
L_change_S = -0.002694061039040563


# L.backward — 1 point
def backward(S, gold, dL_dL):
    """The volunteer's second step: the derivatives of the loss with respect to the
    elements of your function. def backward(S, gold, dL_dL): the last argument dL_dL is
    the derivative of the loss with respect to the output of your function, that is by
    the loss itself; at the very start of the backward pass dL/dL = 1, but make your
    function work for any dL_dL. Return a dict {"S": dL/dS, "gold": dL/dgold}.

    Hint: The chain rule from the table: df/dx = df/dg · dg/dx. Multiply what you were given
    (dL_dL) by what you found yourself.
    """
    return {"S": dL_dL*(2*S - 2*gold), "gold": dL_dL*(-2*S + 2*gold)}


# L.L_sign_S — 1 point
# At your values (`python check.py --id <your id>`): if S is increased a little, does
# the loss L go up or down?
#
# Hint: The sign of a derivative tells which way the function's output moves when the
# argument grows a little. You can also reason without formulas: S is the prediction,
# gold is the correct answer.
# One of:
#   "up": L goes up
#   "down": L goes down
#   "zero": L does not change
L_sign_S = 'down'
