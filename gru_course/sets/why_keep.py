"""Exercises for the chapter "Why libraries write keep" (chapters/why_keep.md).

1  numeric  memory of a pulse for b_z = 1 (whole steps), keep and admit
2  code     chrono initialisation (Tallec & Ollivier 2018) of the update-gate bias, in keep and in admit
3  choice   why PyTorch carries two biases
4  code     port an update-gate bias between conventions
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from gru_course.exercises import ExerciseSet, call_student, expect_callable, expect_close

SET = ExerciseSet("why_keep")

# ------------------------------------------------------------------ 1: memory of a pulse for b_z = 1
Q1_BIAS, Q1_AT = 1.0, 2


def _steps_above_half(kept: float) -> int:
    """Whole steps n ≥ 1 with kept**n ≥ ½, written out independently of gru_book.retention."""
    return math.floor(math.log(0.5) / math.log(kept))


def _q1_expected() -> tuple[int, int]:
    sig = 1.0 / (1.0 + math.exp(-Q1_BIAS))
    return _steps_above_half(sig), _steps_above_half(1.0 - sig)


q1 = SET.numeric(
    "Memory with TensorFlow 1's bias",
    expected=_q1_expected,
    names=("memory_keep", "memory_admit"),
    integer=True,
    wrong=lambda: [
        (
            _q1_expected()[::-1],
            "Swapped: with b_z = 1 the gate z ≈ 0.73 is the kept share in keep, "
            "so keep is the convention that remembers longer.",
        )
    ],
    wrong_types=[((2.2, 0.53), "whole number")],
    hint="Use gru_book.retention: run_pulse(1.0, update=...) and memory_steps(trace.h, at=2).",
    solution="[memory_steps(run_pulse(1.0, update=u).h, at=2) for u in ('keep', 'admit')]  # [2, 0]",
)

# ------------------------------------------------------------------ 2: chrono initialisation
Q2_CASES = ((4, 10, 0), (6, 100, 1), (3, 1000, 2))  # (hidden_size, t_max, seed)


def _draw(hidden_size: int, t_max: float, rng: np.random.Generator) -> np.ndarray:
    return rng.uniform(1.0, t_max - 1.0, size=hidden_size)


def _chrono_reference(hidden_size: int, t_max: float, rng: np.random.Generator, update: str) -> np.ndarray:
    u = _draw(hidden_size, t_max, rng)
    return np.log(u) if update == "keep" else -np.log(u)


def _check_q2(answer: Any) -> None:
    fn = expect_callable(answer, "chrono_b_z")
    for hidden, t_max, seed in Q2_CASES:
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


q2 = SET.code(
    "Chrono initialisation in both conventions",
    checker=_check_q2,
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

# ------------------------------------------------------------------ 3: why two biases in PyTorch?
q3 = SET.choice(
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


# ------------------------------------------------------------------ 4: port an update-gate bias
def _q4_reference(b_z: Any, source: str, target: str) -> np.ndarray:
    b_z = np.asarray(b_z, dtype=float)
    return b_z if source == target else -b_z


def _q4_check(fn: Any) -> None:
    fn = expect_callable(fn, "port_bias")
    b = np.array([1.0, -0.5, 2.0])
    for source, target in [("keep", "admit"), ("admit", "keep"), ("keep", "keep"), ("admit", "admit")]:
        got = call_student(fn, b.copy(), source, target)
        if source != target:
            wrong = {
                "same": (
                    b,
                    f"From {source} to {target} you carried the bias over unchanged: it would now "
                    "mean the opposite (remember becomes overwrite). Negate it.",
                )
            }
        else:
            wrong = {"negated": (-b, f"From {source} to {target} nothing changes meaning: leave the bias alone.")}
        expect_close(
            got, _q4_reference(b, source, target), name=f"port_bias(b, {source!r}, {target!r})", sig=6, wrong=wrong
        )


q4 = SET.code(
    "Port a bias",
    checker=_q4_check,
    tolerance="6 significant figures",
    hint="Across conventions the kept share σ(b) must become 1 − σ(b') for the same behaviour.",
    solution="def port_bias(b_z, source, target):\n"
    "    b_z = np.asarray(b_z, dtype=float)\n"
    "    return b_z if source == target else -b_z",
    reference=lambda: _q4_reference,
    wrong_answers=lambda: [
        (lambda b, s, t: np.asarray(b, dtype=float), "unchanged"),
        (lambda b, s, t: -np.asarray(b, dtype=float), "leave the bias alone"),
    ],
)
