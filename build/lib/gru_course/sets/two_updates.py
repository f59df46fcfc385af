"""Exercises for the chapter "Two update equations": the same weights under keep and admit."""
from __future__ import annotations

from typing import Any

import numpy as np

from gru_lib.cell import run, step
from gru_course.exercises import Exercise, call_student, expect_array, expect_callable, expect_choice
from gru_lib.params import GRUParams

# ------------------------------------------------------------------ q1: h_2 under both conventions
#: A one-unit GRU small enough to step through by hand (D = H = 1).
Q1_PARAMS = GRUParams(
    W_z=[[0.5]], W_r=[[1.0]], W_h=[[2.0]],
    U_z=[[-1.0]], U_r=[[0.5]], U_h=[[1.0]],
    b_z=[0.2], b_r=[0.0], b_h=[0.0],
)
#: The inputs x_1, x_2, shape (T, B, D) = (2, 1, 1); h_0 = 0.
Q1_XS = np.array([[[1.0]], [[-0.5]]])


def _q1_runs() -> tuple[np.ndarray, np.ndarray]:
    keep = run(Q1_PARAMS, Q1_XS, update="keep", reset="before").h[:, 0, 0]
    admit = run(Q1_PARAMS, Q1_XS, update="admit", reset="before").h[:, 0, 0]
    return keep, admit


def _q1_wrong() -> dict[str, tuple[np.ndarray, str]]:
    keep, admit = _q1_runs()
    return {
        "swapped": ([admit[1], keep[1]], "Your two numbers are swapped: your first h_2 is what the admit "
                                         "convention gives. Re-read which term z multiplies in each."),
        "both_admit": ([admit[1], admit[1]], "Your keep h_2 is what the admit convention gives; in keep, "
                                             "z multiplies the old state h_1, not the candidate."),
        "both_keep": ([keep[1], keep[1]], "Your admit h_2 is what the keep convention gives; in admit, "
                                          "z multiplies the candidate."),
        "h1": ([keep[0], admit[0]], "Those are h_1 in each convention; take one more step (x_2 = -0.5)."),
    }


def _q1_check(answer: Any) -> None:
    keep, admit = _q1_runs()
    expect_array(answer, [keep[1], admit[1]], name="your [h2_keep, h2_admit]", rtol=1e-4, atol=1e-6,
                 wrong=_q1_wrong())


q1 = Exercise(
    name="q1",
    checker=_q1_check,
    hint_text=["Step 1: with h_0 = 0, z_1 = σ(0.5·1 + 0.2), the candidate is tanh(2·1); then mix.",
               "Step 2 uses h_1 of the same convention: each convention carries its own state forward."],
    solution_text="keep = run(Q1_PARAMS, Q1_XS, update='keep', reset='before').h[-1, 0, 0]\n"
                  "admit = run(Q1_PARAMS, Q1_XS, update='admit', reset='before').h[-1, 0, 0]\n"
                  "answer = [keep, admit]",
    kind="numeric",
    reference=lambda: [float(v[1]) for v in _q1_runs()],
    wrong_answers=lambda: [(v, phrase) for (v, _), phrase in
                           zip(_q1_wrong().values(), ["swapped", "admit convention gives",
                                                      "keep convention gives", "one more step"])],
)


# ------------------------------------------------------------------ q2: write one admit step
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
    expect_array(got, step(theta, x, h_prev, update="admit", reset="before")[0], name="your h_t", wrong={
        "keep": (step(theta, x, h_prev, update="keep", reset="before")[0],
                 "Your function computes the keep convention: in admit, z multiplies the candidate h̃."),
        "after": (step(theta, x, h_prev, update="admit", reset="after")[0],
                  "The update is right, but the reset acts after U_h; here it multiplies h_prev before U_h."),
        "tilde": (step(theta, x, h_prev, update="admit", reset="before")[3],
                  "You returned the candidate h̃; mix it with h_prev using z."),
    })


q2 = Exercise(
    name="q2",
    checker=_q2_check,
    hint_text="Compute z, r and h̃ from the fields of p (weights act on column vectors, so a batch of "
              "row vectors multiplies by the transpose: x @ p.W_z.T), then mix with (1 − z) on h_prev.",
    solution_text="def step_admit(p, x, h_prev):\n"
                  "    sig = lambda a: 1 / (1 + np.exp(-a))\n"
                  "    z = sig(x @ p.W_z.T + h_prev @ p.U_z.T + p.b_z)\n"
                  "    r = sig(x @ p.W_r.T + h_prev @ p.U_r.T + p.b_r)\n"
                  "    h_tilde = np.tanh(x @ p.W_h.T + (r * h_prev) @ p.U_h.T + p.b_h)\n"
                  "    return (1 - z) * h_prev + z * h_tilde",
    kind="code",
    reference=lambda: _q2_reference,
    wrong_answers=lambda: [(_q2_keep_instead, "keep convention"), (_q2_reset_after, "reset acts after")],
)


# ------------------------------------------------------------------ q3: which convention remembers?
Q3_OPTIONS = {
    "a": "",
    "b": "In admit, z = 0.9 writes 90 % of the candidate each step: the old state fades fast.",
    "c": "The same number z means opposite things: kept share z in keep, 1 − z in admit.",
    "d": "The reset gate shapes the candidate; how much of the old state survives is set by z alone.",
}


def _q3_check(answer: Any) -> None:
    expect_choice(answer, "a", options=Q3_OPTIONS)


q3 = Exercise(
    name="q3",
    checker=_q3_check,
    hint_text="Write the share of h_{t−1} that survives one step in each convention.",
    solution_text="(a) keep. The kept share is z = 0.9 in keep and 1 − z = 0.1 in admit; after 10 steps "
                  "0.9**10 ≈ 0.35 of the old state is left in keep and 0.1**10 = 1e-10 in admit.",
    kind="conceptual",
    reference=lambda: "a",
    wrong_answers=lambda: [("b", "fades fast"), ("c", "opposite things"), ("d", "set by z alone")],
)


# ------------------------------------------------------------------ q4: three steps with a constant gate
def _q4_answer() -> np.ndarray:
    z, steps = 0.8, 3
    return np.array([z ** steps, (1 - z) ** steps])  # h_0 = 1, candidate 0: only the kept share survives


def _q4_check(answer: Any) -> None:
    right = _q4_answer()
    expect_array(answer, right, name="your [h3_keep, h3_admit]", wrong={
        "swapped": (right[::-1], "Swapped: in keep the kept share is z = 0.8, in admit it is 1 − z = 0.2."),
        "one_step": (np.array([0.8, 0.2]), "That is h_1; the share is applied once per step, three times."),
        "candidate": (1 - right, "That is how much the candidate (here 0) would have been written; "
                                 "with h̃ = 0 only the kept share of h_0 survives."),
    })


q4 = Exercise(
    name="q4",
    checker=_q4_check,
    hint_text="With candidate 0 each step multiplies the state by the kept share: z in keep, 1 − z in admit.",
    solution_text="keep: 0.8**3 = 0.512; admit: 0.2**3 = 0.008. answer = [0.512, 0.008]",
    kind="numeric",
    reference=lambda: _q4_answer().tolist(),
    wrong_answers=lambda: [(_q4_answer()[::-1].tolist(), "Swapped"), ([0.8, 0.2], "three times"),
                           ((1 - _q4_answer()).tolist(), "kept share of h_0")],
)

