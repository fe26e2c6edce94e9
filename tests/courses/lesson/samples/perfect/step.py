"""How a model learns (linear regression as the example)

The loss compares the correct answer with the prediction, and the prediction is made by
the model with its parameters:

    Loss = Func1(gold, pred)
    pred = Model(something, param)

For example:

    Loss = (gold − pred)²
    pred = w1·x1 + param·x2 + w3·x3

How should param change so that the next prediction is better?

    param_new   = param_old − microchange
    microchange = 0.001 · change
    change      = dLoss / dparam_old

dLoss/dparam_old tells how param_old influences the Loss: if we increase it a little
now, does the Loss grow or fall, and by how much?

All the functions here take the same arguments in the same order:
(x1, x2, x3, w1, param, w3, gold).

Fill in every function and value below, keeping the names. Check your work with
`python check.py` (public examples only; the grader uses other points).

You may use math and numpy.
"""

import math  # noqa: F401

import numpy as np  # noqa: F401


# step.dLoss_dparam — 1 point
def dLoss_dparam(x1, x2, x3, w1, param, w3, gold):
    """def dLoss_dparam(x1, x2, x3, w1, param, w3, gold): return the change, the
    derivative of the Loss with respect to the parameter param at this point.

    Hint: The Loss depends on param through pred: the chain rule df/dx = df/dg · dg/dx from
    the table of derivatives. For the Loss the row f(a) = a² → 2a helps (and one more
    link, inside the bracket); for pred, the rows f(w1, a) = w1·a and f(a, b) = a + b.
    """
    return x2*(-2*gold + 2*param*x2 + 2*w1*x1 + 2*w3*x3)


# step.dLoss_dparam_at_my_values — 1 point
# Now by hand: what is the change = dLoss/dparam at your values?
# A number computed by hand at your own values (`python check.py --id YOUR_ID` prints them).
# Give at least 4 significant digits.
dLoss_dparam_at_my_values = -1.6720000000000006


# step.Loss_sign_param — 1 point
# At your values: if param is increased a little now, does the Loss grow or fall?
#
# Hint: That is exactly what the sign of dLoss/dparam_old says.
# One of:
#   "up": the Loss grows
#   "down": the Loss falls
#   "zero": the Loss does not change
Loss_sign_param = 'down'


# step.param_new — 1 point
def param_new(x1, x2, x3, w1, param, w3, gold):
    """def param_new(x1, x2, x3, w1, param, w3, gold): take one step of gradient descent on
    param, as in the lesson (microchange and change are above), and return param_new.
    Leave the other parameters alone.
    """
    return param - 1/1000*x2*(-2*gold + 2*param*x2 + 2*w1*x1 + 2*w3*x3)


# step.param_new_at_my_values — 1 point
# Now by hand: what is param_new at your values? What is checked is the step itself:
# how far param_new is from param_old.
# A number computed by hand at your own values (`python check.py --id YOUR_ID` prints them).
# Keep at least 4 significant digits of the step (old value − new value).
param_new_at_my_values = 0.10167200000000001


# step.loss_after_step — 1 point
def loss_after_step(x1, x2, x3, w1, param, w3, gold):
    """def loss_after_step(x1, x2, x3, w1, param, w3, gold): take one step on param and
    return the Loss with the new param (everything else unchanged). It should come out
    lower than before: that is the check that the model has learned something.
    """
    return (gold - w1*x1 - w3*x3 - x2*(param - 1/1000*x2*(-2*gold + 2*param*x2 + 2*w1*x1 + 2*w3*x3)))**2
