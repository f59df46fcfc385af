"""Exercises for the chapter "Why libraries write keep" (chapters/why_keep.md).

1  code     chrono initialisation (Tallec & Ollivier 2018) of the update-gate bias, in keep and in admit
2  choice   why PyTorch carries two biases
3  choice   which LSTM gate the admit convention's z plays

(The pulse-memory exercise is retention's exercise 2, porting a bias is first_run's exercise 2:
neither is repeated here.)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from gru_course.exercises import ExerciseSet, call_student, expect_callable, expect_close

SET = ExerciseSet("why_keep")

# ------------------------------------------------------------------ 1: chrono initialisation
Q1_CASES = ((4, 10, 0), (6, 100, 1), (3, 1000, 2))  # (hidden_size, t_max, seed)


def _draw(hidden_size: int, t_max: float, rng: np.random.Generator) -> np.ndarray:
    return rng.uniform(1.0, t_max - 1.0, size=hidden_size)


def _chrono_reference(hidden_size: int, t_max: float, rng: np.random.Generator, update: str) -> np.ndarray:
    u = _draw(hidden_size, t_max, rng)
    return np.log(u) if update == "keep" else -np.log(u)


def _check_q1(answer: Any) -> None:
    fn = expect_callable(answer, "chrono_b_z")
    for hidden, t_max, seed in Q1_CASES:
        u = _draw(hidden, t_max, np.random.default_rng(seed))
        for update, want in (("keep", np.log(u)), ("admit", -np.log(u))):
            label = f"chrono_b_z({hidden}, {t_max}, rng, {update!r})"
            got = call_student(fn, hidden, t_max, np.random.default_rng(seed), update, name=label)
            other = -want
            expect_close(
                got,
                want,
                name=label,
                sig=6,
                wrong={
                    "other": (
                        other,
                        f"{label} gives the bias of the other convention. Chrono draws b_z = log u for "
                        "keep's z, the share kept; in admit z is the share written, so its bias is "
                        "-log u."
                        if update == "admit"
                        else f"{label}: in keep z is the share kept, like the LSTM's forget gate, so b_z = +log u.",
                    ),
                    "raw": (u, f"{label} returned the draws u themselves; the bias is their logarithm."),
                },
            )


q1 = SET.code(
    "Chrono initialisation in both conventions",
    checker=_check_q1,
    tolerance="6 significant figures",
    hint=[
        "Draw u = rng.uniform(1, t_max - 1, size=hidden_size) once; keep's update gate plays the LSTM forget "
        "gate's part, so keep uses b_z = log u.",
        "In admit the kept share is 1 − z = σ(−b_z): the same memory needs the opposite bias.",
    ],
    solution=(
        "def chrono_b_z(hidden_size, t_max, rng, update):\n"
        "    u = rng.uniform(1, t_max - 1, size=hidden_size)\n"
        "    return np.log(u) if update == 'keep' else -np.log(u)"
    ),
    reference=lambda: _chrono_reference,
    wrong_answers=lambda: [
        (lambda H, T, rng, update: np.log(_draw(H, T, rng)), "other convention"),
        (lambda H, T, rng, update: -np.log(_draw(H, T, rng)), "like the LSTM's forget gate"),
        (lambda H, T, rng, update: _draw(H, T, rng), "draws u themselves"),
        (lambda H, T, rng, update: np.log(rng.uniform(1, T, size=H)), "not right to 6 significant figures"),
    ],
)

# ------------------------------------------------------------------ 2: why two biases in PyTorch?
q2 = SET.choice(
    "Two biases in PyTorch",
    options={
        "a": (
            "because Cho et al.'s equations have two biases per gate",
            "Cho et al. wrote no biases at all in their equations; the second bias is not from the paper.",
        ),
        "b": (
            "because the keep convention needs an extra bias that admit does not",
            "Both conventions can use one bias or two; the count of biases says nothing about which term z multiplies.",
        ),
        "c": ("for compatibility with cuDNN, whose GRU has an input-side and a recurrent-side bias per gate", ""),
        "d": (
            "so that the update gate's parameters can be negated",
            "Negating z's parameters needs no extra bias: σ(−a) = 1 − σ(a) holds for any a.",
        ),
    },
    correct="c",
    hint="Read the comment next to b_hh in torch/nn/modules/rnn.py.",
    solution="c: for compatibility with cuDNN, whose GRU has a bias on the input side and one on the "
    "recurrent side of every gate, so that weights move between the cuDNN kernel and the other "
    "implementations unchanged. For z and r the two only ever appear as a sum; for the candidate "
    "the recurrent bias sits inside r ⊙ (U h + b_hn) and changes the model.",
)


# ------------------------------------------------------------------ 3: the LSTM's gates
q3 = SET.choice(
    "Which gate is the forget gate?",
    options={
        "a": (
            "the forget gate $f_t$",
            "That is keep's z: h = z h_prev + (1 − z) h̃ keeps the share z. Admit writes "
            "h = (1 − z) h_prev + z h̃, so its z multiplies the candidate.",
        ),
        "b": (
            "the output gate $o_t$",
            "The output gate scales what the LSTM shows, o ⊙ tanh(c); the GRU has no such gate, and z "
            "sits in the blend of old state and candidate.",
        ),
        "c": (
            "neither: $z_t$ has no counterpart in the LSTM",
            "The GRU's blend is the LSTM's cell update with i = 1 − f: one of the two coupled gates is z.",
        ),
        "d": ("the input gate $i_t$", ""),
    },
    correct="d",
    hint="Write the admit update next to c_t = f c_{t−1} + i c̃ and match the factors of h_{t−1} and of the candidate.",
    solution=(
        "d: in admit, h_t = (1 − z_t) h_{t−1} + z_t h̃_t, so z_t multiplies the candidate like the input gate "
        "i_t, and 1 − z_t is the forget gate. In keep, z_t = f_t."
    ),
)

# Points, estimated minutes and the learning objective of each exercise (the instructor's guide and
# the graded mode read them; an objective completes "Students can ...").
SET.plan(
    {
        q1: (3, 20, "write chrono initialisation of the update-gate bias for both conventions"),
        q2: (1, 5, "read in PyTorch's source which bias the reset gate multiplies"),
        q3: (1, 5, "tell which gate of each convention plays the LSTM's forget gate"),
    }
)
