"""Preparatory questions

Today we take a complex function and look at how gradient descent works on it:

    F(x1, x2, x3) = σ(w1·x1 + w2·x2 + w3·x3)

Let us decompose it into the functions A, B, C, G, S, L, each of which has an entry in the
table of derivatives:

    A = w1·x1,  B = w2·x2,  C = w3·x3,  G = A + B + C,  S = σ(G),  L = (gold − S)²

so F(x1, x2, x3) = S(G). For the model to learn, its prediction S is compared with
the correct answer gold: that is what the loss L = (gold − S)² does. Here x1, x2, x3 are the
inputs, w1, w2, w3 the parameters, gold the data.

Before the functions are handed out to the volunteers, let us answer the preparatory
questions.

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


# prep.functions_with_parameters — 1 point
# 1. Which of the functions have parameters? Mark every such function: write their
# letters as a set, e.g. {"X", "Y"}.
#
# Hint: A parameter is what gradient descent tunes. The inputs x1, x2, x3 and the correct
# answer gold are not parameters: they are given to us.
# A set of the options that apply, out of:
#   "A": A = w1·x1
#   "B": B = w2·x2
#   "C": C = w3·x3
#   "G": G = A + B + C
#   "S": S = σ(G)
#   "L": L = (gold − S)²
functions_with_parameters = {'A', 'B', 'C'}


# prep.arguments — 2 points
# 2. Describe which arguments are fed into the functions A, B, C, G, S and into the
# loss L. The answer is a dict "function → list of the names of everything it takes as
# input", parameters and data included. Format: {"A": ["…", …], "B": […], …}.
#
# Hint: Look at the decomposition above: the right-hand side of each function holds exactly
# its arguments. The order within a list does not matter.
# A dict name → list of names, with the keys: A, B, C, G, S, L
arguments = {'A': ['x1', 'w1'], 'B': ['x2', 'w2'], 'C': ['x3', 'w3'], 'G': ['A', 'B', 'C'], 'S': ['G'], 'L': ['S', 'gold']}


# prep.outputs — 2 points
# 3. Describe what each function outputs. The answer is a dict "function → what it
# outputs" for A, B, C, G, S, L: for each function one of the options below, e.g.
# {"A": "product", …}.
#
# Hint: Look at what the function does last: that is its row in the table of derivatives. The
# loss is a function too, but what it outputs has a name of its own.
# A dict function → one of the options below, with the keys A, B, C, G, S, L:
#   "product": a product of a parameter and an input (w·x)
#   "sum": the sum of its arguments
#   "probability": a probability: a number between 0 and 1
#   "between_-1_and_1": a number between −1 and 1
#   "non_negative": a non-negative number (≥ 0)
#   "loss": the loss: how wrong the prediction is, ≥ 0
outputs = {'A': 'product', 'B': 'product', 'C': 'product', 'G': 'sum', 'S': 'probability', 'L': 'loss'}


# prep.dG_dA_formula — 1 point
# 4. Find the derivative of your function with respect to each of its arguments. That
# is the volunteers' main work, in the exercises A, B, C, G, S, L. Here is a warm-up:
# write the derivative of G with respect to the argument A as a formula, a string in
# G's argument names (A, B, C); a formula may also be just a number.
#
# Hint: The table of derivatives, row f(a, b) = a + b: df/da = 1, df/db = 1.
# A formula as a string (what it may contain: see the top).
# A node may be written by its name here: G = A + B + C.
dG_dA_formula = '1'


# prep.dB_dw2_formula — 1 point
# 5. Find the derivative of the function with respect to each of its parameters, if it
# has any. In full, in the exercises A, B, C. Here: write the derivative of B with
# respect to the parameter w2 as a formula, a string in B's argument names (x2, w2).
#
# Hint: The table of derivatives, row f(w1, a) = w1·a: df/da = w1, df/dw1 = a. There w1 and
# a are the table's generic names: a parameter and an argument.
# A formula as a string (what it may contain: see the top).
# A node may be written by its name here: B = w2*x2.
dB_dw2_formula = 'x2'


# prep.G_change_B — 1 point
# 6. For each function: what does its derivative with respect to one argument say
# about the output of that function? Let's check it on G at your values: if B grows by
# 0.01 while A and C stay the same, by about how much does the output G change?
# Estimate it with the derivative; do not recompute the function.
#
# Hint: The derivative is how many times the change of the output exceeds a small change of
# the argument. Take the derivative of G with respect to B itself from the table of
# derivatives: the row f(a, b) = a + b.
# A number computed by hand at your own values (`python check.py --id YOUR_ID` prints them).
# Give at least 4 significant digits.
G_change_B = 0.01


# prep.S_sign_G — 1 point
# 6 (continued). Now the function S and its argument G. At your values: if G is
# increased a little, does the output S go up or down?
#
# Hint: The sign of a derivative tells which way the function's output moves when the
# argument grows a little. Look at the row f(a) = σ(a): df/da = σ(a)·(1 − σ(a)) of the table of
# derivatives: what
# sign does the derivative have?
# One of:
#   "up": S goes up
#   "down": S goes down
#   "zero": S does not change
S_sign_G = 'up'


# prep.B_sign_w2 — 1 point
# 7. For each function with a parameter: what does its derivative with respect to that
# parameter say about the output of that function? Let's check it on B at your values:
# if the parameter w2 is increased a little while x2 stays the same, does the output B
# go up or down?
#
# Hint: The derivative of B with respect to the parameter w2 comes from the row
# f(w1, a) = w1·a of the table of derivatives: what does its sign depend on?
# One of:
#   "up": B goes up
#   "down": B goes down
#   "zero": B does not change
B_sign_w2 = 'down'


# prep.meaning_free_text — 2 points
# In your own words: what does the derivative of your function with respect to one
# argument say about the function's output? And the derivative with respect to a
# parameter, if it has one? Answer in two or three sentences: what do the derivative's
# sign and its size mean?
# Your answer in your own words (graded by the teacher).
meaning_free_text = '(free text: graded by the teacher)'
