"""Volunteer S: the function S = sigmoid(G)

You are a volunteer, and you are given the function S = σ(G). It
takes one argument, the output of the function G; it has no parameters. The output S
is the model's prediction F(x1, x2, x3). In S.py the function is written S(G).

What to do (as in the lesson):
1. Compute the value of the derivative of your function with respect to G.
2. Then compute the derivative of the loss L with respect to the element of your
   function: that is the chain rule.

Take the derivative from the lesson's table of derivatives. Don't look for a sigmoid in
numpy, there is none: write it yourself with exp. From your answers and the other
volunteers' we will be able to put together all the derivatives!

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


# S.forward — 1 point
def S(G):
    """Write the function itself: def S(G) returns the output of S, the sigmoid of G.
    """
    while True:
        pass


# S.dS_dG — 1 point
def dS_dG(G):
    """def dS_dG(G): return the value of the derivative of S with respect to the argument G
    at this point.

    Hint: The table of derivatives, row f(a) = σ(a): df/da = σ(a)·(1 − σ(a)).
    """
    return (1 - 1/(1 + math.exp(-G)))/(1 + math.exp(-G))


# S.dS_dG_formula — 1 point
# dS_dG_formula = "…": the derivative of S with respect to G as a formula: a string in
# the argument's name G.
#
# Hint: The table of derivatives, row f(a) = σ(a): df/da = σ(a)·(1 − σ(a)).
# A formula as a string (what it may contain: see the top).
# A node may be written by its name here: S = sigmoid(G).
dS_dG_formula = '(1 - sigmoid(G))*sigmoid(G)'


# S.S_change_G — 1 point
# What does the derivative with respect to an argument say about the function's
# output? Let's check at your values: if G grows by 0.01, by about how much does the
# output S change? Estimate it with the derivative; do not recompute the function.
# Keep the sign.
#
# Compute G from your values first.
# A number computed by hand at your own values (`python check.py --id YOUR_ID` prints them).
# Give at least 4 significant digits.
S_change_G = 0.0011655813974683735


# S.backward — 1 point
def backward(G, dL_dS):
    """The volunteer's second step: the derivative of the loss with respect to the element
    of your function. def backward(G, dL_dS): the last argument dL_dS is the derivative
    of the loss L with respect to the output of your function S; it is passed to you by
    whoever stands further along the chain, closer to the loss. Return a dict
    {"G": dL/dG}.

    Hint: The chain rule from the table: df/dx = df/dg · dg/dx. Here f is the loss L and g is
    your function S: multiply what you were given (dL_dS) by what you found yourself.
    """
    return {"G": dL_dS*(1 - 1/(1 + math.exp(-G)))/(1 + math.exp(-G))}


# S.L_sign_G — 1 point
# At your values (`python check.py --id <your id>`): if G is increased a little, does
# the loss L go up or down? You need the derivative dL/dG: get dL/dS by going along
# the chain from L at your values, then take the second step.
#
# Hint: The sign of a derivative tells which way the function's output moves when the
# argument grows a little. Note that the sigmoid's derivative is always positive, so
# the sign is decided by the other factor of the chain.
# One of:
#   "up": L goes up
#   "down": L goes down
#   "zero": L does not change
L_sign_G = 'down'
