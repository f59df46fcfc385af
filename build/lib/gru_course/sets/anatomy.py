"""Exercises for the chapter "Anatomy of a GRU": counting parameters, d2l's row-vector names,
PyTorch's names, and the shapes a run records."""
from __future__ import annotations

from typing import Any

import numpy as np

from gru_lib.cell import step
from gru_course.exercises import Exercise, Incorrect, call_student, expect_array, expect_callable, expect_choice
from gru_lib.params import GRUParams

# ------------------------------------------------------------------ q1: counting parameters
Q1_D, Q1_H = 5, 8


def _q1_answer() -> np.ndarray:
    one_bias = 3 * (Q1_H * Q1_D + Q1_H * Q1_H + Q1_H)
    return np.array([one_bias, one_bias + 3 * Q1_H])


def _q1_wrong() -> dict[str, tuple[np.ndarray, str]]:
    right = _q1_answer()
    no_recurrent = 3 * (Q1_H * Q1_D + Q1_H)
    return {
        "swapped": (right[::-1], "Your two counts are the right numbers in the wrong order: the first is the "
                                 "one-bias layout, the second PyTorch's (which adds a second bias per gate)."),
        "no_recurrent": (np.array([no_recurrent, no_recurrent + 3 * Q1_H]),
                         "You left out the recurrent matrices U_z, U_r, U_h, each (H, H)."),
        "one_gate": (right / 3, "Those are the counts for one gate; a GRU has three blocks (z, r and the candidate)."),
        "same": (np.array([right[0], right[0]]),
                 "PyTorch keeps two biases per gate (bias_ih and bias_hh), so its count is larger by 3H."),
    }


def _q1_check(answer: Any) -> None:
    expect_array(answer, _q1_answer(), name="your pair of counts", rtol=0, atol=0.5, wrong=_q1_wrong())


q1 = Exercise(
    name="q1",
    checker=_q1_check,
    hint_text="Each of the three blocks (z, r, candidate) has one W (H, D), one U (H, H) and one bias (H,). "
              "PyTorch adds a second bias (H,) per block.",
    solution_text="one bias per block: 3 (H D + H H + H) = 3 (40 + 64 + 8) = 336; "
                  "PyTorch: 336 + 3 H = 360.\n"
                  "counts = [3 * (8*5 + 8*8 + 8), 3 * (8*5 + 8*8 + 2*8)]",
    kind="numeric",
    reference=lambda: _q1_answer().tolist(),
    wrong_answers=lambda: [(_q1_wrong()[key][0].tolist(), phrase) for key, phrase in
                           [("swapped", "wrong order"), ("no_recurrent", "recurrent matrices"),
                            ("one_gate", "three blocks"), ("same", "two biases")]],
)


# ------------------------------------------------------------------ q2: d2l's update gate from gru_lib fields
def _q2_case() -> tuple[GRUParams, np.ndarray, np.ndarray]:
    theta = GRUParams.random(input_size=3, hidden_size=4, seed=11, scale=1.0)
    rng = np.random.default_rng(12)
    return theta, rng.normal(size=(2, 3)), rng.normal(size=(2, 4))


def _q2_reference(theta: GRUParams, X: np.ndarray, H_prev: np.ndarray) -> np.ndarray:
    W_xz, W_hz, b_z = theta.W_z.T, theta.U_z.T, theta.b_z  # d2l's (D, H), (H, H), (H,)
    return 1.0 / (1.0 + np.exp(-(X @ W_xz + H_prev @ W_hz + b_z)))


def _q2_check(fn: Any) -> None:
    fn = expect_callable(fn, "d2l_update_gate")
    theta, X, H_prev = _q2_case()
    try:
        got = call_student(fn, theta, X, H_prev)
    except Incorrect as exc:
        if "ValueError" not in str(exc):
            raise
        raise Incorrect(f"{exc}. The shapes do not fit: d2l's W_xz has shape (D, H) because d2l multiplies "
                        "row vectors, X @ W_xz, while gru_lib's W_z has shape (H, D). Transpose it.") from exc
    expected = step(theta, X, H_prev, update="keep", reset="before")[1]
    untransposed_U = 1.0 / (1.0 + np.exp(-(X @ theta.W_z.T + H_prev @ theta.U_z + theta.b_z)))
    expect_array(got, expected, name="your Z_t", wrong={
        "U": (untransposed_U, "W_xz is right, but H_{t-1} W_hz needs U_z transposed too: d2l's W_hz is U_z.T."),
        "reset": (step(theta, X, H_prev, update="keep", reset="before")[2],
                  "That is the reset gate R_t; the update gate uses W_z, U_z and b_z."),
    })


def _q2_wrong_untransposed_U(theta: GRUParams, X: np.ndarray, H_prev: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-(X @ theta.W_z.T + H_prev @ theta.U_z + theta.b_z)))


def _q2_wrong_no_transpose(theta: GRUParams, X: np.ndarray, H_prev: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-(X @ theta.W_z + H_prev @ theta.U_z + theta.b_z)))


q2 = Exercise(
    name="q2",
    checker=_q2_check,
    hint_text="d2l writes Z_t = σ(X_t W_xz + H_{t−1} W_hz + b_z) with row vectors: W_xz is (D, H). "
              "gru_lib stores W_z as (H, D). What is W_xz in terms of theta.W_z?",
    solution_text="def d2l_update_gate(theta, X, H_prev):\n"
                  "    W_xz, W_hz, b_z = theta.W_z.T, theta.U_z.T, theta.b_z\n"
                  "    return 1 / (1 + np.exp(-(X @ W_xz + H_prev @ W_hz + b_z)))",
    kind="code",
    reference=lambda: _q2_reference,
    wrong_answers=lambda: [(_q2_wrong_untransposed_U, "U_z transposed"),
                           (_q2_wrong_no_transpose, "Transpose it")],
)


# ------------------------------------------------------------------ q3: PyTorch's names
Q3_OPTIONS = {
    "a": "b_iz is the input-side bias of the update gate: that is gru_lib's b_z.",
    "b": "",
    "c": "b_hn is the recurrent-side bias of the candidate (PyTorch's n_t): gru_lib's b_h_rec.",
    "d": "d2l has only one bias per gate; its b_z is gru_lib's b_z.",
}


def _q3_check(answer: Any) -> None:
    expect_choice(answer, "b", options=Q3_OPTIONS)


q3 = Exercise(
    name="q3",
    checker=_q3_check,
    hint_text="In PyTorch, 'i' marks the input side (weight_ih, bias_ih) and 'h' the hidden, recurrent side.",
    solution_text="(b) b_hz. PyTorch's update gate is σ(W_iz x + b_iz + W_hz h + b_hz): b_iz is gru_lib's b_z "
                  "and b_hz, the bias on the recurrent side, is b_z_rec. For z and r the two biases only ever "
                  "appear as a sum; for the candidate, b_hn sits inside r ⊙ (…) and is not redundant.",
    kind="conceptual",
    reference=lambda: "b",
    wrong_answers=lambda: [(k, v.split(":")[0]) for k, v in Q3_OPTIONS.items() if v],
)


# ------------------------------------------------------------------ q4: shapes of a trace
def _q4_check(answer: Any) -> None:
    try:
        got = tuple(int(s) for s in answer)
    except (TypeError, ValueError) as exc:
        raise Incorrect(f"Give the shape as a tuple of integers, like (1, 2, 3); got {answer!r}") from exc
    if got == (6, 2, 4):
        return
    feedback = {
        (6, 4): "A Trace keeps the batch axis even when it is 1: arrays are (T, B, H).",
        (6, 2, 3): "The candidate lives in the hidden space, so its last axis is H = 4, not D = 3.",
        (2, 4): "That is the shape of one step's candidate; the trace stacks all T = 6 steps.",
        (4,): "That is the shape of a bias; the trace records every step and every sequence of the batch.",
    }
    raise Incorrect(feedback.get(got, f"Not quite: got {got}. Axes are (time, batch, hidden)."))


q4 = Exercise(
    name="q4",
    checker=_q4_check,
    hint_text="run takes xs of shape (T, B, D) and records one (B, H) array per step.",
    solution_text="(6, 2, 4): T = 6 steps, B = 2 sequences, H = 4 hidden units.\n"
                  "trace = run(GRUParams.random(3, 4), np.zeros((6, 2, 3)), update='keep', reset='before')\n"
                  "trace.h_tilde.shape",
    kind="numeric",
    reference=lambda: (6, 2, 4),
    wrong_answers=lambda: [((6, 4), "batch axis"), ((6, 2, 3), "hidden space"), ((2, 4), "one step")],
)
