"""Exercises for the chapter "Anatomy of a GRU" (chapters/anatomy.md).

1  numeric  counting parameters with one bias and with PyTorch's two
2  code     d2l's update gate from gru_lib's fields
3  choice   which of PyTorch's tensors is b_z_rec
4  choice   which index of trace.h holds h_3 of the second sequence
"""

from __future__ import annotations

from typing import Any

import numpy as np

from gru_course.exercises import ExerciseSet, Incorrect, call_student, expect_callable, expect_close
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


# ------------------------------------------------------------------ 4: which index holds h_t
q4 = SET.choice(
    "Which index holds $h_3$?",
    options={
        "a": ("`trace.h[3, 1]`", "Index 3 is the fourth step: trace.h[0] already holds h_1, since h_0 is trace.h0."),
        "b": ("`trace.h[2, 1]`", ""),
        "c": ("`trace.h[2, 2]`", "The batch axis counts from 0 too: the second sequence is index 1."),
        "d": ("`trace.h[3, 2]`", "Both axes count from 0, and trace.h[0] already holds h_1 (h_0 is trace.h0)."),
    },
    correct="b",
    hint="The sequence starts at h_0, which the trace keeps apart as trace.h0; trace.h[0] is the state after step 1.",
    solution="b: trace.h[2, 1]. The first axis is time: trace.h[t] is h_{t+1}, because h_0 is stored "
    "as trace.h0, so h_3 is at index 2. The second axis is the batch, counted from 0: the second "
    "sequence is index 1.",
)

# Points, estimated minutes and the learning objective of each exercise (the instructor's guide and
# the graded mode read them; an objective completes "Students can ...").
SET.plan(
    {
        q1: (2, 10, "count a GRU's parameters from the shapes of its three gates' weights and biases"),
        q2: (3, 20, "translate between d2l's row-vector weights and gru_lib's column-vector fields"),
        q3: (1, 5, "name the role of PyTorch's second (recurrent) bias in each gate"),
        q4: (1, 5, "find which index of a run's trace holds a given state"),
    }
)
