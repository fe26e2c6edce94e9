"""Putting all the derivatives together

Every volunteer has computed the derivatives of their function and the derivatives of
the loss with respect to its elements. Now we put together all the derivatives from
them: the derivative of the loss L with respect to each parameter w1, w2, w3 and each
input x1, x2, x3.

The model again:

    A = w1·x1,  B = w2·x2,  C = w3·x3,  G = A + B + C,  S = σ(G),  L = (gold − S)²

The chain rule from the table: df/dx = df/dg · dg/dx. Walk back from
the loss through the graph, link by link, until you reach the name you need; at each
link take the derivative that the volunteer of that function found.

All the functions here take the same arguments in the same order:
(x1, x2, x3, w1, w2, w3, gold). First do the forward pass (A, B, C, G, S, L), then walk
back. You may use numpy.

Fill in every function and value below, keeping the names. Check your work with
`python check.py` (public examples only; the grader uses other points).

You may use math and numpy.
"""

import math  # noqa: F401

import numpy as np  # noqa: F401


# chain.dL_dw1 — 1 point
def dL_dw1(x1, x2, x3, w1, w2, w3, gold):
    """def dL_dw1(x1, x2, x3, w1, w2, w3, gold): return the derivative of the loss L with
    respect to the parameter w1 at this point.
    """
    return x1*(1 - 1/(math.exp(-w1*x1 - w2*x2 - w3*x3) + 1))*(-2*gold + 2/(math.exp(-w1*x1 - w2*x2 - w3*x3) + 1))/(math.exp(-w1*x1 - w2*x2 - w3*x3) + 1)


# chain.dL_dw2 — 1 point
def dL_dw2(x1, x2, x3, w1, w2, w3, gold):
    """def dL_dw2(x1, x2, x3, w1, w2, w3, gold): return the derivative of the loss L with
    respect to the parameter w2 at this point.
    """
    return x2*(1 - 1/(math.exp(-w1*x1 - w2*x2 - w3*x3) + 1))*(-2*gold + 2/(math.exp(-w1*x1 - w2*x2 - w3*x3) + 1))/(math.exp(-w1*x1 - w2*x2 - w3*x3) + 1)


# chain.dL_dw3 — 1 point
def dL_dw3(x1, x2, x3, w1, w2, w3, gold):
    """def dL_dw3(x1, x2, x3, w1, w2, w3, gold): return the derivative of the loss L with
    respect to the parameter w3 at this point.
    """
    return x3*(1 - 1/(math.exp(-w1*x1 - w2*x2 - w3*x3) + 1))*(-2*gold + 2/(math.exp(-w1*x1 - w2*x2 - w3*x3) + 1))/(math.exp(-w1*x1 - w2*x2 - w3*x3) + 1)


# chain.dL_dx1 — 1 point
def dL_dx1(x1, x2, x3, w1, w2, w3, gold):
    """def dL_dx1(x1, x2, x3, w1, w2, w3, gold): return the derivative of the loss L with respect to the input
    x1 at this point. We are not going to change the inputs, but the loss does have a
    derivative with respect to them, and in bigger networks it is exactly what is passed
    further back, to the previous layer.
    """
    return w1*(1 - 1/(math.exp(-w1*x1 - w2*x2 - w3*x3) + 1))*(-2*gold + 2/(math.exp(-w1*x1 - w2*x2 - w3*x3) + 1))/(math.exp(-w1*x1 - w2*x2 - w3*x3) + 1)


# chain.dL_dx2 — 1 point
def dL_dx2(x1, x2, x3, w1, w2, w3, gold):
    """def dL_dx2(x1, x2, x3, w1, w2, w3, gold): return the derivative of the loss L with
    respect to the input x2 at this point.
    """
    return w2*(1 - 1/(math.exp(-w1*x1 - w2*x2 - w3*x3) + 1))*(-2*gold + 2/(math.exp(-w1*x1 - w2*x2 - w3*x3) + 1))/(math.exp(-w1*x1 - w2*x2 - w3*x3) + 1)


# chain.dL_dx3 — 1 point
def dL_dx3(x1, x2, x3, w1, w2, w3, gold):
    """def dL_dx3(x1, x2, x3, w1, w2, w3, gold): return the derivative of the loss L with
    respect to the input x3 at this point.
    """
    return w3*(1 - 1/(math.exp(-w1*x1 - w2*x2 - w3*x3) + 1))*(-2*gold + 2/(math.exp(-w1*x1 - w2*x2 - w3*x3) + 1))/(math.exp(-w1*x1 - w2*x2 - w3*x3) + 1)


# chain.dL_dS_at_my_values — 1 point
# Now the same by hand, at your values, as in the lesson: link by link.
#
# The first link: what is the derivative of the loss L with respect to S?
# A number computed by hand at your own values (`python check.py --id YOUR_ID` prints them).
# Give at least 4 significant digits.
dL_dS_at_my_values = 0.09298796667532438


# chain.dL_dG_at_my_values — 1 point
# The next link: what is the derivative of the loss L with respect to G at your
# values?
# A number computed by hand at your own values (`python check.py --id YOUR_ID` prints them).
# Give at least 4 significant digits.
dL_dG_at_my_values = 0.017597109409605287


# chain.dL_dw1_at_my_values — 1 point
# The derivative of the loss L with respect to the parameter w1 at your values.
# A number computed by hand at your own values (`python check.py --id YOUR_ID` prints them).
# Give at least 4 significant digits.
dL_dw1_at_my_values = 0.0369539297601711


# chain.dL_dw2_at_my_values — 1 point
# The derivative of the loss L with respect to the parameter w2 at your values.
# A number computed by hand at your own values (`python check.py --id YOUR_ID` prints them).
# Give at least 4 significant digits.
dL_dw2_at_my_values = -0.03871364070113163


# chain.dL_dw3_at_my_values — 1 point
# The derivative of the loss L with respect to the parameter w3 at your values.
# A number computed by hand at your own values (`python check.py --id YOUR_ID` prints them).
# Give at least 4 significant digits.
dL_dw3_at_my_values = 0.0017597109409605287


# chain.L_sign_w2 — 1 point
# At your values: if the parameter w2 is increased a little, does the loss L go up or
# down? (And so which way will gradient descent move w2? Think it over yourself.)
#
# Hint: The sign of a derivative tells which way the function's output moves when the
# argument grows a little.
# One of:
#   "up": L goes up
#   "down": L goes down
#   "zero": L does not change
L_sign_w2 = 'down'
