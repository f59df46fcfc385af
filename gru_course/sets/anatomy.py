"""Exercises for the chapter "Anatomy of a GRU" (chapters/anatomy.md).

1  numeric  counting parameters with one bias and with PyTorch's two
2  code     d2l's update gate from gru_lib's fields
3  choice   which of PyTorch's tensors is b_z_rec
4  numeric  the shape of a trace's candidate (a tuple of whole numbers)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from gru_course.exercises import Exercise, ExerciseSet, Incorrect, call_student, expect_callable, expect_close, show
from gru_lib.cell import step
from gru_lib.params import GRUParams

SET = ExerciseSet("anatomy")

# ------------------------------------------------------------------ 1: counting parameters
Q1_D, Q1_H = 5, 8
_ONE_BIAS = 3 * (Q1_H * Q1_D + Q1_H * Q1_H + Q1_H)
_NO_RECURRENT = 3 * (Q1_H * Q1_D + Q1_H)

q1 = SET.numeric(
    "Counting parameters",
    expected=lambda: (_ONE_BIAS, _ONE_BIAS + 3 * Q1_H),
    names=("one_bias", "pytorch"),
    integer=True,
    wrong=lambda: [
        (
            (_ONE_BIAS + 3 * Q1_H, _ONE_BIAS),
            "Your two counts are the right numbers in the wrong order: the first is "
            "the one-bias layout, the second PyTorch's (a second bias per gate).",
        ),
        ((_NO_RECURRENT, _NO_RECURRENT + 3 * Q1_H), "You left out the recurrent matrices U_z, U_r, U_h, each (H, H)."),
        (
            (_ONE_BIAS // 3, (_ONE_BIAS + 3 * Q1_H) // 3),
            "Those are the counts for one gate; a GRU has three blocks (z, r and the candidate).",
        ),
        (
            (_ONE_BIAS, _ONE_BIAS),
            "PyTorch keeps two biases per gate (bias_ih and bias_hh), so its count is larger by 3H.",
        ),
    ],
    wrong_types=[((336.5, 360), "whole number"), ((True, 360), "truth value")],
    hint="Each of the three blocks (z, r, candidate) has one W (H, D), one U (H, H) and one bias (H,). "
    "PyTorch adds a second bias (H,) per block.",
    solution="one bias per block: 3 (H D + H H + H) = 3 (40 + 64 + 8) = 336; PyTorch: 336 + 3 H = 360.\n"
    "counts = (3 * (8*5 + 8*8 + 8), 3 * (8*5 + 8*8 + 2*8))",
)


# ------------------------------------------------------------------ 2: d2l's update gate from gru_lib fields
def _q2_case() -> tuple[GRUParams, np.ndarray, np.ndarray]:
    theta = GRUParams.random(input_size=3, hidden_size=4, seed=11, scale=1.0)
    rng = np.random.default_rng(12)
    return theta, rng.normal(size=(2, 3)), rng.normal(size=(2, 4))


def _sig(a: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-a))


def _q2_reference(theta: GRUParams, X: np.ndarray, H_prev: np.ndarray) -> np.ndarray:
    W_xz, W_hz, b_z = theta.W_z.T, theta.U_z.T, theta.b_z  # d2l's (D, H), (H, H), (H,)
    return _sig(X @ W_xz + H_prev @ W_hz + b_z)


def _q2_check(fn: Any) -> None:
    fn = expect_callable(fn, "d2l_update_gate")
    theta, X, H_prev = _q2_case()
    try:
        got = call_student(fn, theta, X, H_prev)
    except Incorrect as exc:
        if "ValueError" not in str(exc):
            raise
        raise Incorrect(
            f"{exc}. The shapes do not fit: d2l's W_xz has shape (D, H) because d2l multiplies "
            "row vectors, X @ W_xz, while gru_lib's W_z has shape (H, D). Transpose it."
        ) from exc
    expected = step(theta, X, H_prev, update="keep", reset="before")[1]
    expect_close(
        got,
        expected,
        name="your Z_t",
        sig=6,
        wrong={
            "U": (
                _sig(X @ theta.W_z.T + H_prev @ theta.U_z + theta.b_z),
                "W_xz is right, but H_{t-1} W_hz needs U_z transposed too: d2l's W_hz is U_z.T.",
            ),
            "reset": (
                step(theta, X, H_prev, update="keep", reset="before")[2],
                "That is the reset gate R_t; the update gate uses W_z, U_z and b_z.",
            ),
        },
    )


def _q2_wrong_untransposed_U(theta: GRUParams, X: np.ndarray, H_prev: np.ndarray) -> np.ndarray:
    return _sig(X @ theta.W_z.T + H_prev @ theta.U_z + theta.b_z)


def _q2_wrong_no_transpose(theta: GRUParams, X: np.ndarray, H_prev: np.ndarray) -> np.ndarray:
    return _sig(X @ theta.W_z + H_prev @ theta.U_z + theta.b_z)


q2 = SET.code(
    "d2l's update gate from gru_lib's fields",
    checker=_q2_check,
    tolerance="6 significant figures",
    hint="d2l writes Z_t = σ(X_t W_xz + H_{t−1} W_hz + b_z) with row vectors: W_xz is (D, H). "
    "gru_lib stores W_z as (H, D). What is W_xz in terms of theta.W_z?",
    solution="def d2l_update_gate(theta, X, H_prev):\n"
    "    W_xz, W_hz, b_z = theta.W_z.T, theta.U_z.T, theta.b_z\n"
    "    return 1 / (1 + np.exp(-(X @ W_xz + H_prev @ W_hz + b_z)))",
    reference=lambda: _q2_reference,
    wrong_answers=lambda: [
        (_q2_wrong_untransposed_U, "U_z transposed"),
        (_q2_wrong_no_transpose, "Transpose it"),
        (lambda theta, X, H: 1j * _q2_reference(theta, X, H), "complex"),
    ],
)

# ------------------------------------------------------------------ 3: PyTorch's names
q3 = SET.choice(
    "PyTorch's second bias",
    options={
        "a": ("$b_{iz}$", "b_iz is the input-side bias of the update gate: that is gru_lib's b_z."),
        "b": ("$b_{hn}$", "b_hn is the recurrent-side bias of the candidate (PyTorch's n_t): gru_lib's b_h_rec."),
        "c": ("d2l's $\\mathbf{b}_z$", "d2l has only one bias per gate; its b_z is gru_lib's b_z."),
        "d": ("$b_{hz}$", ""),
    },
    correct="d",
    hint="In PyTorch, 'i' marks the input side (weight_ih, bias_ih) and 'h' the hidden, recurrent side.",
    solution="d: b_hz. PyTorch's update gate is σ(W_iz x + b_iz + W_hz h + b_hz): b_iz is gru_lib's b_z "
    "and b_hz, the bias on the recurrent side, is b_z_rec. For z and r the two biases only ever "
    "appear as a sum; for the candidate, b_hn sits inside r ⊙ (…) and is not redundant.",
)


# ------------------------------------------------------------------ 4: shapes of a trace
def _q4_check(answer: Any) -> None:
    if not isinstance(answer, tuple):
        raise Incorrect(
            f"Give the shape as a tuple of whole numbers, like (1, 2, 3) (what .shape returns); got {show(answer)}"
        )
    if not all(isinstance(s, (int, np.integer)) and not isinstance(s, (bool, np.bool_)) for s in answer):
        raise Incorrect(
            "Every entry of a shape is a whole number (an int), like (1, 2, 3); "
            f"got entries of type {sorted({type(s).__name__ for s in answer})}"
        )
    got = tuple(int(s) for s in answer)
    if got == (6, 2, 4):
        return
    feedback = {
        (6, 4): "A Trace keeps the batch axis even when it is 1: arrays are (T, B, H).",
        (6, 2, 3): "The candidate lives in the hidden space, so its last axis is H = 4, not D = 3.",
        (2, 4): "That is the shape of one step's candidate; the trace stacks all T = 6 steps.",
        (4,): "That is the shape of a bias; the trace records every step and every sequence of the batch.",
    }
    raise Incorrect(feedback.get(got, "Not quite. A trace's arrays have the axes (time, batch, hidden)."))


q4 = SET.add(
    Exercise(
        title="The shape of a trace",
        kind="numeric",
        checker=_q4_check,
        tolerance="tuple of whole numbers",
        hint_text="run takes xs of shape (T, B, D) and records one (B, H) array per step.",
        solution_text="(6, 2, 4): T = 6 steps, B = 2 sequences, H = 4 hidden units.\n"
        "trace = run(GRUParams.random(3, 4), np.zeros((6, 2, 3)), update='keep', reset='before')\n"
        "trace.h_tilde.shape",
        reference=lambda: (6, 2, 4),
        wrong_answers=lambda: [
            ((6, 4), "batch axis"),
            ((6, 2, 3), "hidden space"),
            ((2, 4), "one step"),
            ("624", "tuple of whole numbers"),
            ([6, 2, 4], "tuple of whole numbers"),
            ((6.9, 2.5, 4.1), "whole number (an int)"),
            ((6.0, 2.0, 4.0), "whole number (an int)"),
            ((True, 2, 4), "whole number (an int)"),
            ((6, 2, 5), "Not quite"),
        ],
    )
)
