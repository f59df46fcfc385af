"""Exercises for the chapter "Why libraries write keep": what an update-gate bias means in each
convention, and carrying weights across conventions."""
from __future__ import annotations

from typing import Any

import numpy as np

from gru_course.exercises import Exercise, call_student, expect_array, expect_callable, expect_choice
from gru_book.retention import memory_steps, run_pulse

# ------------------------------------------------------------------ q1: memory of a pulse for b_z = 1
Q1_BIAS = 1.0
Q1_AT = 2


def _q1_answer() -> np.ndarray:
    return np.array([memory_steps(run_pulse(Q1_BIAS, update=u, at=Q1_AT).h, at=Q1_AT) for u in ("keep", "admit")])


def _q1_check(answer: Any) -> None:
    right = _q1_answer()
    expect_array(answer, right, name="your [memory_keep, memory_admit]", rtol=0, atol=0, wrong={
        "swapped": (right[::-1], "Swapped: with b_z = 1 the gate z ≈ 0.73 is the kept share in keep, "
                                 "so keep is the convention that remembers longer."),
    })


q1 = Exercise(
    name="q1",
    checker=_q1_check,
    hint_text="Use gru_book.retention: run_pulse(1.0, update=...) and memory_steps(trace.h, at=2).",
    solution_text="[memory_steps(run_pulse(1.0, update=u).h, at=2) for u in ('keep', 'admit')]  # [2, 0]",
    kind="numeric",
    reference=lambda: _q1_answer().tolist(),
    wrong_answers=lambda: [(_q1_answer()[::-1].tolist(), "Swapped")],
)


# ------------------------------------------------------------------ q2: the bias that keeps the meaning
def _q2_check(answer: Any) -> None:
    expect_array(answer, -2.0, name="your bias", wrong={
        "same": (2.0, "Carried over unchanged, b_z = 2 makes the admit model overwrite its state: "
                      "z ≈ 0.88 is now the share of the candidate written."),
        "sigmoid": (1.0 / (1.0 + np.exp(2.0)), "That is the gate value 1 − σ(2); the question asks for the "
                                               "bias, the number inside the sigmoid."),
        "reciprocal": (0.5, "Inverting the number does not flip a sigmoid; negating it does: σ(−a) = 1 − σ(a)."),
    })


q2 = Exercise(
    name="q2",
    checker=_q2_check,
    hint_text="You need σ(b_admit) = 1 − σ(2). Which b gives that? (Use σ(−a) = 1 − σ(a).)",
    solution_text="−2. The admit model's kept share is 1 − σ(b) = σ(−b); it equals the keep model's σ(2) "
                  "for b = −2. The update gate's W_z and U_z must be negated too (gru_lib.convert).",
    kind="numeric",
    reference=lambda: -2.0,
    wrong_answers=lambda: [(2.0, "overwrite"), (0.5, "negating it does")],
)


# ------------------------------------------------------------------ q3: why two biases in PyTorch?
Q3_OPTIONS = {
    "a": "Cho et al. wrote no biases at all in their equations; the second bias is not from the paper.",
    "b": "",
    "c": "Both conventions can use one bias or two; the count of biases says nothing about which term z multiplies.",
    "d": "Negating z's parameters needs no extra bias: σ(−a) = 1 − σ(a) holds for any a.",
}


def _q3_check(answer: Any) -> None:
    expect_choice(answer, "b", options=Q3_OPTIONS)


q3 = Exercise(
    name="q3",
    checker=_q3_check,
    hint_text="Read the comment next to b_hh in torch/nn/modules/rnn.py.",
    solution_text="(b) For compatibility with cuDNN, whose GRU has a bias on the input side and one on the "
                  "recurrent side of every gate, so that weights move between the cuDNN kernel and the other "
                  "implementations unchanged. For z and r the two only ever appear as a sum; for the candidate "
                  "the recurrent bias sits inside r ⊙ (U h + b_hn) and changes the model.",
    kind="conceptual",
    reference=lambda: "b",
    wrong_answers=lambda: [("a", "not from the paper"), ("c", "says nothing"), ("d", "needs no extra bias")],
)


# ------------------------------------------------------------------ q4: port an update-gate bias
def _q4_reference(b_z: Any, source: str, target: str) -> np.ndarray:
    b_z = np.asarray(b_z, dtype=float)
    return b_z if source == target else -b_z


def _q4_identity(b_z: Any, source: str, target: str) -> np.ndarray:
    return np.asarray(b_z, dtype=float)


def _q4_always_negate(b_z: Any, source: str, target: str) -> np.ndarray:
    return -np.asarray(b_z, dtype=float)


def _q4_check(fn: Any) -> None:
    fn = expect_callable(fn, "port_bias")
    b = np.array([1.0, -0.5, 2.0])
    cases = [("keep", "admit"), ("admit", "keep"), ("keep", "keep"), ("admit", "admit")]
    for source, target in cases:
        got = call_student(fn, b.copy(), source, target)
        expected = _q4_reference(b, source, target)
        wrong = {}
        if source != target:
            wrong["same"] = (b, f"From {source} to {target} you carried the bias over unchanged: it would now "
                                "mean the opposite (remember becomes overwrite). Negate it.")
        else:
            wrong["negated"] = (-b, f"From {source} to {target} nothing changes meaning: leave the bias alone.")
        expect_array(got, expected, name=f"port_bias(b, {source!r}, {target!r})", wrong=wrong)


q4 = Exercise(
    name="q4",
    checker=_q4_check,
    hint_text="Across conventions the kept share σ(b) must become 1 − σ(b') for the same behaviour.",
    solution_text="def port_bias(b_z, source, target):\n"
                  "    b_z = np.asarray(b_z, dtype=float)\n"
                  "    return b_z if source == target else -b_z",
    kind="code",
    reference=lambda: _q4_reference,
    wrong_answers=lambda: [(_q4_identity, "unchanged"), (_q4_always_negate, "leave the bias alone")],
)
