"""Exercises for the chapter "Two update equations" (chapters/two_updates.md).

1  choice   spot the convention in three short implementations written in different frameworks' styles
2  code     one admit step with numpy
3  choice   which convention holds on to its state for z = 0.9
4  numeric  where on the segment: z from h_prev, h~ and h_t, in keep and in admit
"""

from __future__ import annotations

from typing import Any

import numpy as np

from gru_course.exercises import ExerciseSet, call_student, expect_callable, expect_close
from gru_lib.cell import step
from gru_lib.params import GRUParams

SET = ExerciseSet("two_updates")

# ------------------------------------------------------------------ 1: spot the convention
#: The three snippets of exercise 1, as the chapter prints them, and their conventions.
SNIPPETS = {
    "snippet 1 (PyTorch style)": (
        "r = torch.sigmoid(gi_r + gh_r)\n"
        "z = torch.sigmoid(gi_z + gh_z)\n"
        "n = torch.tanh(gi_n + r * gh_n)\n"
        "h_new = (1 - z) * n + z * h",
        "keep",
    ),
    "snippet 2 (Haiku style)": (
        "z = jax.nn.sigmoid(x @ w_z + state @ u_z + b_z)\n"
        "r = jax.nn.sigmoid(x @ w_r + state @ u_r + b_r)\n"
        "candidate = jnp.tanh(x @ w_a + (r * state) @ u_a + b_a)\n"
        "next_state = (1 - z) * state + z * candidate",
        "admit",
    ),
    "snippet 3 (TensorFlow style)": (
        "u = tf.sigmoid(tf.matmul(x, w_u) + tf.matmul(h_prev, v_u) + b_u)\n"
        "r = tf.sigmoid(tf.matmul(x, w_r) + tf.matmul(h_prev, v_r) + b_r)\n"
        "h_hat = tf.tanh(tf.matmul(x, w_h) + tf.matmul(r * h_prev, v_h) + b_h)\n"
        "h = u * h_hat + (1 - u) * h_prev",
        "admit",
    ),
}

q1 = SET.choices(
    "Spot the convention",
    items=list(SNIPPETS),
    allowed=("keep", "admit"),
    correct=[conv for _, conv in SNIPPETS.values()],
    hint=[
        "Ignore the names and the order of the two terms: find the line that forms the new state and see which "
        "term the gate (z or u) multiplies.",
        "The gate multiplies the old state in keep, and the candidate in admit.",
    ],
    solution=(
        "keep, admit, admit. Snippet 1 writes the candidate first, but z multiplies the old h: keep. "
        "Snippet 2 multiplies the candidate by z: admit. Snippet 3 calls its gate u and writes the "
        "candidate first; u multiplies the candidate: admit."
    ),
)


# ------------------------------------------------------------------ 2: write one admit step
def _q2_reference(p: GRUParams, x: np.ndarray, h_prev: np.ndarray) -> np.ndarray:
    def sig(a: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-a))

    z = sig(x @ p.W_z.T + h_prev @ p.U_z.T + p.b_z)
    r = sig(x @ p.W_r.T + h_prev @ p.U_r.T + p.b_r)
    h_tilde = np.tanh(x @ p.W_h.T + (r * h_prev) @ p.U_h.T + p.b_h)
    return (1 - z) * h_prev + z * h_tilde


def _q2_keep_instead(p: GRUParams, x: np.ndarray, h_prev: np.ndarray) -> np.ndarray:
    return step(p, x, h_prev, update="keep", reset="before")[0]


def _q2_reset_after(p: GRUParams, x: np.ndarray, h_prev: np.ndarray) -> np.ndarray:
    return step(p, x, h_prev, update="admit", reset="after")[0]


def _q2_check(fn: Any) -> None:
    fn = expect_callable(fn, "step_admit")
    theta = GRUParams.random(input_size=3, hidden_size=4, seed=21, scale=1.0)
    rng = np.random.default_rng(22)
    x, h_prev = rng.normal(size=(2, 3)), rng.uniform(-1, 1, size=(2, 4))
    got = call_student(fn, theta, x, h_prev)
    expect_close(
        got,
        step(theta, x, h_prev, update="admit", reset="before")[0],
        name="your h_t",
        sig=6,
        wrong={
            "keep": (
                step(theta, x, h_prev, update="keep", reset="before")[0],
                "Your function computes the keep convention: in admit, z multiplies the candidate h̃.",
            ),
            "after": (
                step(theta, x, h_prev, update="admit", reset="after")[0],
                "The update is right, but the reset acts after U_h; here it multiplies h_prev before U_h.",
            ),
            "tilde": (
                step(theta, x, h_prev, update="admit", reset="before")[3],
                "You returned the candidate h̃; mix it with h_prev using z.",
            ),
        },
    )


q2 = SET.code(
    "One admit step",
    checker=_q2_check,
    tolerance="6 significant figures",
    hint="Compute z, r and h̃ from the fields of p (weights act on column vectors, so a batch of "
    "row vectors multiplies by the transpose: x @ p.W_z.T), then mix with (1 − z) on h_prev.",
    solution="def step_admit(p, x, h_prev):\n"
    "    sig = lambda a: 1 / (1 + np.exp(-a))\n"
    "    z = sig(x @ p.W_z.T + h_prev @ p.U_z.T + p.b_z)\n"
    "    r = sig(x @ p.W_r.T + h_prev @ p.U_r.T + p.b_r)\n"
    "    h_tilde = np.tanh(x @ p.W_h.T + (r * h_prev) @ p.U_h.T + p.b_h)\n"
    "    return (1 - z) * h_prev + z * h_tilde",
    reference=lambda: _q2_reference,
    wrong_answers=lambda: [
        (_q2_keep_instead, "keep convention"),
        (_q2_reset_after, "reset acts after"),
        (lambda p, x, h: x, "should have shape"),
    ],
)

# ------------------------------------------------------------------ 3: which convention remembers?
q3 = SET.choice(
    "Which one remembers?",
    options={
        "a": ("keep", ""),
        "b": ("admit", "In admit, z = 0.9 writes 90 % of the candidate each step: the old state fades fast."),
        "c": ("both equally", "The same number z means opposite things: kept share z in keep, 1 − z in admit."),
        "d": (
            "it depends on the reset gate",
            "The reset gate shapes the candidate; how much of the old state survives is set by z alone.",
        ),
    },
    correct="a",
    hint="Write the share of h_{t−1} that survives one step in each convention.",
    solution="a: keep. The kept share is z = 0.9 in keep and 1 − z = 0.1 in admit; after 10 steps "
    "0.9**10 ≈ 0.35 of the old state is left in keep and 0.1**10 = 1e-10 in admit.",
)

# ------------------------------------------------------------------ 4: where on the segment?
Q4_H_PREV, Q4_H_TILDE, Q4_H = 0.8, -0.4, 0.5
_Q4_ADMIT = (Q4_H - Q4_H_PREV) / (Q4_H_TILDE - Q4_H_PREV)  # fraction of the way from h_prev to h~

q4 = SET.numeric(
    "Where on the segment?",
    expected=lambda: (1 - _Q4_ADMIT, _Q4_ADMIT),
    names=("z_keep", "z_admit"),
    wrong=lambda: [
        (
            (_Q4_ADMIT, 1 - _Q4_ADMIT),
            "Swapped: admit measures z from the old state towards the candidate, keep measures it "
            "back from the candidate towards the old state.",
        ),
        (
            (abs(Q4_H - Q4_H_TILDE), abs(Q4_H - Q4_H_PREV)),
            "Those are distances along the segment; z is a fraction of the segment's length, 1.2.",
        ),
        ((Q4_H, Q4_H), "z is not the new state: it says where on the segment from h_prev to h~ the state lands."),
    ],
    hint="Admit: h_t = h_prev + z (h~ − h_prev), so z is the fraction of the way from h_prev to h~. "
    "Keep: h_t = h~ + z (h_prev − h~), the fraction of the way back from h~.",
    solution="The segment from 0.8 to −0.4 is 1.2 long. Admit: h_t = 0.5 is 0.3 from h_prev, z = 0.25. "
    "Keep: it is 0.9 from h~, z = 0.75. z_pair = (0.75, 0.25)",
)

# Points, estimated minutes and the learning objective of each exercise (the instructor's guide and
# the graded mode read them; an objective completes "Students can ...").
SET.plan(
    {
        q1: (1, 5, "recognise which update convention a piece of code uses from the line that forms the new state"),
        q2: (3, 20, "implement one admit step from a GRU's fields, batch-first"),
        q3: (1, 5, "say which convention keeps more of the old state for a given z"),
        q4: (2, 10, "place the new state on the segment from the old state to the candidate in both conventions"),
    }
)
