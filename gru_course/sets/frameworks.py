"""Exercises for the chapter "Which GRU does my framework run?" (chapters/frameworks.md).

1  choice   the packed gate order of PyTorch's weight_ih_l0
2  choice   read the convention probe's bias runs: which block is the update gate, keep or admit
3  numeric  the one-unit counterexample: h_1 with reset after and with reset before

The porting exercises moved to ``gru_course/sets/porting.py`` (ONNX's linear_before_reset
as it was; reading Keras weights by hand became porting a PyTorch model to Haiku by hand).
The expected values are written out here from the frameworks' documented equations
(``math`` for the scalars), not taken from ``gru_lib``.
"""

from __future__ import annotations

import math

from gru_course.exercises import ExerciseSet

SET = ExerciseSet("frameworks")

# ------------------------------------------------------------------ 1: multiple choice
q1 = SET.choice(
    "PyTorch's packed gate order",
    options={
        "a": (
            "z, r, n",
            "That is the order Keras and ONNX use (z, r, h). PyTorch's docstring lists W_ir|W_iz|W_in: reset first.",
        ),
        "b": ("n, r, z", "The candidate (n) comes last in every packed layout in this chapter."),
        "c": ("r, z, n", ""),
        "d": (
            "it depends on the version",
            "PyTorch packs the three gates into one (3H, D) matrix; the order is fixed and documented.",
        ),
    },
    correct="c",
    hint="Look at the Attributes section of torch.nn.GRU's docstring, or at gru_lib.layouts.PYTORCH_GATES.",
    solution="c: rows [0, H) belong to the reset gate r, rows [H, 2H) to the update gate z, "
    "rows [2H, 3H) to the candidate n (W_ir|W_iz|W_in).",
)


# ------------------------------------------------------------------ 2: multiple choice
q2 = SET.choice(
    "Read the bias probe",
    options={
        "a": (
            "block 1 is the update gate, keep",
            "With keep, a saturated update gate (z ≈ 1) keeps h: the step would have returned h, not 0.",
        ),
        "b": ("block 1 is the update gate, admit", ""),
        "c": (
            "block 0 is the update gate, keep",
            "h / 2 is what every block but the update gate and the candidate gives: z stays ½ and the "
            "candidate tanh(0) = 0. Saturating the reset gate changes nothing when U = 0.",
        ),
        "d": (
            "block 2 is the update gate, admit",
            "h / 2 + tanh(20) / 2 is half the old state plus half a candidate of about 1: z is ½ there, so "
            "block 2 moved the candidate, not the update gate.",
        ),
    },
    correct="b",
    hint="With U = 0 and x = 0, only the block whose bias is +20 moves away from ½ (a gate) or 0 (the "
    "candidate). Which block's run leaves neither h / 2 nor h / 2 + ½?",
    solution="b: block 1's run returned 0, so z ≈ 1 there and it multiplied a candidate tanh(0) = 0: "
    "the admit update, h = (1 − z) h_prev + z h̃. Block 2 is the candidate (h / 2 + tanh(20) / 2) "
    "and block 0 the reset gate (h / 2).",
)


# ------------------------------------------------------------------ 3: numeric
#: The one-unit reset-after GRU of the chapter's counterexample: 1 − z = 1/2, r = σ(x), b_h = 1, b_h_rec = −3.
Q3_X = 0.0


def _q3_after(x: float = Q3_X) -> float:
    r = 1.0 / (1.0 + math.exp(-x))
    return 0.5 * math.tanh(1.0 + r * (0.0 + (-3.0)))


def _q3_before(x: float = Q3_X) -> float:
    # reset before: with h_0 = 0 the reset gate multiplies zero, and b_h_rec simply adds to b_h
    return 0.5 * math.tanh(1.0 + (-3.0))


q3 = SET.numeric(
    "The counterexample at one input",
    expected=lambda: (_q3_after(), _q3_before()),
    names=("h1_after", "h1_before"),
    wrong=lambda: [
        ((_q3_before(), _q3_after()), "Your two values are swapped: with reset after, r multiplies b_h_rec."),
        (
            (2 * _q3_after(), None),
            "You left out the update gate: z = σ(0) = 1/2, so h_1 = (1 − z) · h̃ is half the candidate.",
        ),
        (
            (None, 2 * _q3_before()),
            "You left out the update gate: z = σ(0) = 1/2, so h_1 = (1 − z) · h̃ is half the candidate.",
        ),
        (
            (0.5 * math.tanh(1.0), None),
            "Your h1_after ignores b_h_rec: with reset after it enters as r · b_h_rec = σ(0) · (−3).",
        ),
    ],
    wrong_types=[((_q3_after(), 0.3), "h1_before is off"), (0.1, "Give 2 numbers")],
    hint="With h_0 = 0: z = σ(0) = 1/2 and r = σ(0) = 1/2. Reset after: h̃ = tanh(b_h + r · b_h_rec). "
    "Reset before: r multiplies h_0 = 0, and b_h_rec adds to b_h.",
    solution=f"h1_after = ½ tanh(1 − 3/2) ≈ {_q3_after():.4g}; h1_before = ½ tanh(1 − 3) ≈ {_q3_before():.4g}",
)

# Points, estimated minutes and the learning objective of each exercise (the instructor's guide and
# the graded mode read them; an objective completes "Students can ...").
SET.plan(
    {
        q1: (1, 5, "read PyTorch's packed gate order from its documentation"),
        q2: (1, 10, "read which block a framework's bias probe moved, and so its gate order and convention"),
        q3: (2, 15, "compute the counterexample that tells reset-before from reset-after at one input"),
    }
)
