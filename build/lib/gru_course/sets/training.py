"""Exercises for the chapter "Training sees no difference" (chapters/training.md).

q1  numeric     how much of the first step's state survives 15 updates with b_z = +2, keep and admit
q2  code        the admit update-gate bias that keeps a chosen share of the state per step
q3  conceptual  which convention learns the memory task from b_z = −2
q4  conceptual  what would break bit-for-bit agreement between the two training runs

Reference values come from closed forms (σ written out with numpy), not from gru_lib's runner.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from gru_course.exercises import Exercise, call_student, expect_array, expect_callable, expect_choice, expect_number

#: The update-gate bias and the number of updates the remembered sign must survive (T = 16).
Q1_BIAS, Q1_UPDATES = 2.0, 15


def _sig(a: float) -> float:
    return float(1.0 / (1.0 + np.exp(-a)))


def _q1_values(updates: int = Q1_UPDATES, power: bool = True, swap: bool = False) -> list[float]:
    keep, admit = _sig(Q1_BIAS), _sig(-Q1_BIAS)  # kept share: z in keep, 1 − z = σ(−b) in admit
    if swap:
        keep, admit = admit, keep
    return [keep ** updates, admit ** updates] if power else [keep, admit]


def _check_q1(answer: Any) -> None:
    expect_array(answer, _q1_values(), name="your pair [keep, admit]", rtol=1e-4, atol=0.0, wrong={
        "swapped": (_q1_values(swap=True), "The two are swapped: in keep the kept share is z = σ(b_z), "
                                           "in admit it is 1 − z = σ(−b_z)."),
        "one_step": (_q1_values(power=False), "That is the share kept by one update; the sign has to survive "
                                              f"{Q1_UPDATES} of them, so raise it to that power."),
        "sixteen": (_q1_values(updates=16), "That counts 16 updates. The sign is written into the state at the "
                                            f"first step and then goes through the {Q1_UPDATES} updates that follow."),
    })


q1 = Exercise(
    name="Exercise 1 (what survives 15 updates)",
    checker=_check_q1,
    kind="numeric",
    hint_text=["At zero input and state, a_z = b_z. Which share of the old state does one step keep in each "
               "convention?", "Keep: z = σ(b_z). Admit: 1 − z = σ(−b_z). Then take the 15th power."],
    solution_text="sig = lambda a: 1 / (1 + np.exp(-a))\nsurvives = [sig(2.0) ** 15, sig(-2.0) ** 15]",
    reference=_q1_values,
    wrong_answers=lambda: [
        (_q1_values(swap=True), "swapped"),
        (_q1_values(power=False), "one update"),
        (_q1_values(updates=16), "16 updates"),
        ([0.5, 0.5], "off by"),
        (0.15, "shape"),
    ],
)


# ------------------------------------------------------------------ q2: code
Q2_SHARES = (0.5, 0.9, 0.99, 0.2, 0.75)


def _q2_reference(k: float) -> float:
    return float(np.log((1.0 - k) / k))


def _q2_keep_bias(k: float) -> float:
    return float(np.log(k / (1.0 - k)))


def _check_q2(answer: Any) -> None:
    fn = expect_callable(answer, "your function")
    got = np.array([expect_number(call_student(fn, k), f"admit_bias({k})") for k in Q2_SHARES])
    expect_array(got, [_q2_reference(k) for k in Q2_SHARES], name="your biases for the shares "
                 f"{list(Q2_SHARES)}", rtol=1e-9, atol=1e-12, wrong={
                     "keep": ([_q2_keep_bias(k) for k in Q2_SHARES],
                              "Those are the keep biases (z = σ(b_z) = k). In admit the kept share is "
                              "1 − z = σ(−b_z), so the sign flips."),
                     "share": (list(Q2_SHARES), "You returned the share itself; the bias is a log-odds."),
                 })


q2 = Exercise(
    name="Exercise 2 (a recipe for admit)",
    checker=_check_q2,
    kind="code",
    hint_text=["At zero input and state an admit unit keeps 1 − z = σ(−b_z) of its state.",
               "Solve σ(−b) = k for b: −b = log(k / (1 − k))."],
    solution_text="def admit_bias(k):\n    return np.log((1 - k) / k)",
    reference=lambda: _q2_reference,
    wrong_answers=lambda: [
        (_q2_keep_bias, "keep biases"),
        (lambda k: k, "log-odds"),
        (lambda k: float(np.log(1 - k)), "off by"),
        (lambda k: [k, k], "single number"),
    ],
)


# ------------------------------------------------------------------ q3: conceptual
q3 = Exercise(
    name="Exercise 3 (forget by default?)",
    checker=lambda a: expect_choice(a, "b", options={
        "a": "With b_z = −2, keep's z = σ(−2) ≈ 0.12: the unit keeps only 12 % of its state per step, a "
             "forget-by-default start, like admit with b_z = +2 in the chapter.",
        "b": "",
        "c": "Both conventions with the same parameters are two different networks; the chapter's experiment "
             "showed one recipe helping one convention and hurting the other.",
        "d": "One of them is exactly the chapter's successful run, only written the other way round.",
    }),
    kind="conceptual",
    hint_text="Compare admit with b_z = −2 to φ applied to keep with b_z = +2.",
    solution_text=("b. Admit with b_z = −2 keeps 1 − σ(−2) = σ(2) ≈ 0.88 of its state per step, as keep did "
                   "with +2. If the other parameters are φ-related too, it is the same network and trains "
                   "identically."),
    reference=lambda: "b",
    wrong_answers=lambda: [("a", "forget-by-default"), ("c", "two different networks"), ("d", "written the other"),
                           ("e", "one of the letters")],
)


# ------------------------------------------------------------------ q4: conceptual
q4 = Exercise(
    name="Exercise 4 (what breaks bit-for-bit agreement)",
    checker=lambda a: expect_choice(a, "a", options={
        "a": "",
        "b": "Adam's step is odd in the gradient: m changes sign with g, v = mean of g² does not, so "
             "m̂ / (√v̂ + ε) changes sign exactly. The chapter checks this with an Adam run.",
        "c": "Every operation the two runs perform is mirrored exactly in float32 as well (negation is exact "
             "and rounding is symmetric); the chapter runs a float32 pair and finds 0 difference.",
        "d": "A learning rate multiplies both steps by the same number; the steps stay exact negatives.",
    }),
    kind="conceptual",
    hint_text="Look for an operation whose result, under the flip, is not the exact negative or the exact copy "
              "of what the other run computes.",
    solution_text=("a. In keep the backward pass would use 1 − σ(a) and in admit 1 − σ(−a); neither is exactly "
                   "σ(∓a), so the gradients agree only to rounding, and the runs drift apart by a rounding-sized "
                   "amount (the chapter measures it)."),
    reference=lambda: "a",
    wrong_answers=lambda: [("b", "odd in the gradient"), ("c", "float32 as well"), ("d", "same number"),
                           ("f", "one of the letters")],
)
