"""Exercises for the chapter "The proof: one family of models" (chapters/proof.md).

1  proof    with sympy: ∂h/∂a_z of the keep update, in terms of z, h_prev and h̃
2  numeric  the half-way fix: negate only b_z, and measure how far off the admit run is
3  code     map a keep gradient at θ to the admit gradient at φ(θ)
4  choice   what gradient descent does with two φ-related starting points

Reference values are computed independently of ``gru_lib.run`` (q2 uses the plain textbook
loop :func:`gru_lib.run_textbook`; q1 a hand-derived expression checked at random points).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from gru_course.exercises import ExerciseSet, Incorrect, call_student, expect_callable, expect_expression
from gru_lib.params import UPDATE_GATE_FIELDS, WEIGHT_FIELDS, GRUParams
from gru_lib.textbook import run_textbook

SET = ExerciseSet("proof")

# ------------------------------------------------------------------ q1: proof (sympy)
Q1_SYMBOL_NAMES = ("z", "h_prev", "h_tilde")


def _q1_expressions() -> dict[str, Any]:
    import sympy as sp

    z, h_prev, h_tilde = sp.symbols(Q1_SYMBOL_NAMES, real=True)
    return {
        "reference": z * (1 - z) * (h_prev - h_tilde),
        "admit_sign": z * (1 - z) * (h_tilde - h_prev),
        "no_sigma_prime": h_prev - h_tilde,
        "sigma_prime_wrong": z * (h_prev - h_tilde),
        "symbols": (z, h_prev, h_tilde),
    }


def _check_q1(answer: Any) -> None:
    e = _q1_expressions()
    expect_expression(
        answer,
        e["reference"],
        e["symbols"],
        name="your derivative",
        wrong={
            "admit": (
                e["admit_sign"],
                "That has the opposite sign: it is the admit update's derivative, where z "
                "multiplies h_tilde. In the keep update z multiplies h_prev.",
            ),
            "no_sigma_prime": (
                e["no_sigma_prime"],
                "That is ∂h/∂z. The question asks for ∂h/∂a_z: multiply by dz/da_z = σ′(a_z), written with z alone.",
            ),
            "sigma_prime_wrong": (
                e["sigma_prime_wrong"],
                "Almost: σ′(a) is σ(a)·(1 − σ(a)), that is z·(1 − z), not z.",
            ),
        },
    )


q1 = SET.proof(
    "The gate's derivative",
    checker=_check_q1,
    hint=[
        "Write h = σ(a)·h_prev + (1 − σ(a))·h_tilde with the opaque sigma from gru_lib.symbolic, "
        "differentiate with sp.diff(h, a), then replace sigma(a) by the symbol z.",
        "The candidate h_tilde does not depend on a_z, so only the two σ(a) factors contribute.",
    ],
    solution=(
        "import sympy as sp\n"
        "from gru_lib.symbolic import sigma\n"
        "a, z, h_prev, h_tilde = sp.symbols('a z h_prev h_tilde', real=True)\n"
        "h = sigma(a) * h_prev + (1 - sigma(a)) * h_tilde\n"
        "dh_da = sp.diff(h, a).subs(sigma(a), z)       # z*(1 - z)*(h_prev - h_tilde), factored\n"
        "q1.check(sp.factor(dh_da))"
    ),
    reference=lambda: _q1_expressions()["reference"],
    wrong_answers=lambda: [
        (_q1_expressions()["admit_sign"], "opposite sign"),
        (_q1_expressions()["no_sigma_prime"], "That is ∂h/∂z"),
        (_q1_expressions()["sigma_prime_wrong"], "z·(1 − z)"),
        (_q1_expressions()["reference"] + __import__("sympy").Symbol("a"), "uses the symbol(s) ['a']"),
        ("z*(1-z)*(h_prev-h_tilde)", "should be a sympy expression"),
    ],
)


# ------------------------------------------------------------------ q2: numeric
#: The model and the inputs of exercise 2, as built in the chapter.
Q2_SIZES = {"input_size": 3, "hidden_size": 4}
Q2_SEED, Q2_INPUT_SEED, Q2_STEPS = 7, 8, 6


def q2_setup() -> tuple[GRUParams, np.ndarray]:
    """The parameters θ and the inputs (T, 1, D) of exercise 2."""
    theta = GRUParams.random(**Q2_SIZES, seed=Q2_SEED)
    xs = np.random.default_rng(Q2_INPUT_SEED).normal(size=(Q2_STEPS, 1, Q2_SIZES["input_size"]))
    return theta, xs


def _q2_gap(negate: tuple[str, ...]) -> float:
    theta, xs = q2_setup()
    keep = run_textbook(theta, xs, update="keep", reset="before")
    changed = theta.replace(**{f: -getattr(theta, f) for f in negate})
    admit = run_textbook(changed, xs, update="admit", reset="before")
    return float(np.max(np.abs(keep - admit)))


q2 = SET.numeric(
    "The half-way fix",
    expected=lambda: _q2_gap(("b_z",)),
    names=("gap",),
    wrong=lambda: [
        (0.0, "Zero is the gap after the full conversion (W_z, U_z and b_z negated). The exercise negates b_z alone."),
        (_q2_gap(()), "That is the gap with no parameter negated at all; negate b_z before the admit run."),
        (
            _q2_gap(("W_z", "U_z")),
            "That is the gap when W_z and U_z are negated but b_z is not: the other half-way fix.",
        ),
    ],
    wrong_types=[(_q2_gap(("b_z",)) / 2, "gap is off"), ("big", "should be a number")],
    hint="theta.replace(b_z=-theta.b_z) negates only the bias; run both conventions and compare all of h.",
    solution=(
        "half = theta.replace(b_z=-theta.b_z)\n"
        "keep = run(theta, xs, update='keep', reset='before')\n"
        "admit = run(half, xs, update='admit', reset='before')\n"
        "gap = np.max(np.abs(keep.h - admit.h))"
    ),
)


# ------------------------------------------------------------------ q3: code
def _q3_probe() -> dict[str, np.ndarray]:
    """A gradient dict with every field, including the second biases."""
    theta = GRUParams.random(2, 3, seed=11, recurrent_biases=True)
    rng = np.random.default_rng(12)
    return {k: rng.normal(size=v.shape) for k, v in theta}


def _check_q3(answer: Any) -> None:
    fn = expect_callable(answer, "your function")
    grads = _q3_probe()
    before = {k: v.copy() for k, v in grads.items()}
    out = call_student(fn, {k: v.copy() for k, v in grads.items()})
    if not isinstance(out, dict):
        raise Incorrect(f"Your function should return a dict from field name to array; got {type(out).__name__}")
    if set(out) != set(grads):
        raise Incorrect(
            f"Your dict should have the same keys as the input; missing {sorted(set(grads) - set(out))}, "
            f"extra {sorted(set(out) - set(grads))}"
        )
    wrong_sign, unflipped = [], []
    for k, g in before.items():
        got = np.asarray(out[k], dtype=float)
        if got.shape != g.shape:
            raise Incorrect(f"{k} should keep its shape {g.shape}; got {got.shape}")
        want = -g if k in UPDATE_GATE_FIELDS else g
        if not np.allclose(got, want, rtol=1e-12, atol=0.0):
            (unflipped if k in UPDATE_GATE_FIELDS else wrong_sign).append(k)
    if unflipped:
        raise Incorrect(
            f"The update gate's entries {sorted(unflipped)} must change sign: the admit loss at φ(θ) "
            "moves the opposite way when these parameters grow."
        )
    if wrong_sign:
        raise Incorrect(
            f"Only the update gate's entries change sign; {sorted(wrong_sign)} should be returned as given."
        )


def _q3_reference(grads: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    return {k: (-v if k in UPDATE_GATE_FIELDS else v) for k, v in grads.items()}


def _q3_forgets_rec(grads: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    return {k: (-v if k in ("W_z", "U_z", "b_z") else v) for k, v in grads.items()}


def _q3_all(grads: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    return {k: -v for k, v in grads.items()}


def _q3_identity(grads: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    return dict(grads)


def _q3_weights_only(grads: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    return {k: v for k, v in grads.items() if k in WEIGHT_FIELDS}


q3 = SET.code(
    "The gradient through the flip",
    checker=_check_q3,
    hint="Differentiate L_admit(φ(θ)) = L_keep(θ) with the chain rule; φ negates the update gate only.",
    solution=(
        "def admit_gradient(grads):\n"
        "    update_gate = ('W_z', 'U_z', 'b_z', 'b_z_rec')\n"
        "    return {k: (-g if k in update_gate else g) for k, g in grads.items()}"
    ),
    reference=lambda: _q3_reference,
    wrong_answers=lambda: [
        (_q3_identity, "must change sign"),
        (_q3_forgets_rec, "['b_z_rec']"),
        (_q3_all, "Only the update gate's entries"),
        (_q3_weights_only, "missing ['b_h_rec', 'b_r_rec', 'b_z_rec']"),
        (np.zeros(3), "should be a function"),
    ],
)


# ------------------------------------------------------------------ q4: multiple choice
q4 = SET.choice(
    "Training from mirrored starts",
    options={
        "a": (
            "The two parameter sets are equal.",
            "They cannot be equal: the two models read z in opposite ways, so their weights differ, but not "
            "arbitrarily. Look at how the update gate's parameters of the two runs compare.",
        ),
        "b": ("The admit parameters are $\\varphi$ of the keep parameters, and both compute the same function.", ""),
        "c": (
            "They are unrelated: each run finds its own solution.",
            "No randomness enters after initialisation in plain gradient descent on the same data, and the "
            "chapter proves that each step keeps the two parameter sets φ-related.",
        ),
        "d": (
            "They were related at the start, but the relation wears off as training goes on.",
            "φ relates the starting points and every gradient step preserves the relation, so it does not wear "
            "off; floating point aside, it holds at every step.",
        ),
    },
    correct="b",
    hint="Apply the corollary on gradient steps of this chapter once per step, as an induction.",
    solution=(
        "b. The gradient of the admit loss at φ(θ) is φ applied to the gradient of the keep loss at θ, and φ is "
        "linear, so one step maps φ-related parameters to φ-related parameters; by induction the relation holds "
        "after 100 steps, and the two networks compute the same function all along."
    ),
)

# Points, estimated minutes and the learning objective of each exercise (the instructor's guide and
# the graded mode read them; an objective completes "Students can ...").
SET.plan(
    {
        q1: (3, 20, "differentiate the update with respect to the gate's pre-activation with sympy"),
        q2: (2, 10, "show numerically that negating only the bias is not enough to convert"),
        q3: (3, 25, "map a gradient through the conversion with the chain rule"),
        q4: (1, 5, "argue by induction that training from mirrored starts stays mirrored"),
    }
)
