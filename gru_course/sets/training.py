"""Exercises for the chapter "Training sees no difference" (chapters/training.md).

1  numeric  how much of the first step's state survives 15 updates with b_z = +2, keep and admit
2  numeric  L2 weight decay under φ: train both conventions with it and compare
3  proof    the gradient flip by hand: ∂h_1/∂b_z of admit at −b is minus that of keep at b
4  choice   what would break bit-for-bit agreement between the two training runs

Reference values come from closed forms (σ written out with math) and, for 2, from five
training steps written out here with gru_lib's gradients.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from gru_course.exercises import ExerciseSet, expect_expression
from gru_lib.backprop import Readout, loss_and_grads
from gru_lib.params import UPDATE_GATE_FIELDS, GRUParams

SET = ExerciseSet("training")

#: The update-gate bias and the number of updates the remembered sign must survive (T = 16).
Q1_BIAS, Q1_UPDATES = 2.0, 15


def _sig(a: float) -> float:
    return 1.0 / (1.0 + math.exp(-a))


def _q1(updates: int = Q1_UPDATES, power: bool = True) -> tuple[float, float]:
    keep, admit = _sig(Q1_BIAS), _sig(-Q1_BIAS)  # kept share: z in keep, 1 − z = σ(−b) in admit
    return (keep**updates, admit**updates) if power else (keep, admit)


q1 = SET.numeric(
    "What survives 15 updates",
    expected=_q1,
    names=("keep", "admit"),
    wrong=lambda: [
        (_q1()[::-1], "The two are swapped: in keep the kept share is z = σ(b_z), in admit it is 1 − z = σ(−b_z)."),
        (
            _q1(power=False),
            "That is the share kept by one update; the sign has to survive "
            f"{Q1_UPDATES} of them, so raise it to that power.",
        ),
        (
            _q1(updates=16),
            "That counts 16 updates. The sign is written into the state at the first step and then "
            f"goes through the {Q1_UPDATES} updates that follow.",
        ),
    ],
    wrong_types=[((0.5, 0.5), "is off"), (0.15, "Give 2 numbers")],
    hint=[
        "At zero input and state, a_z = b_z. Which share of the old state does one step keep in each convention?",
        "Keep: z = σ(b_z). Admit: 1 − z = σ(−b_z). Then take the 15th power.",
    ],
    solution="sig = lambda a: 1 / (1 + np.exp(-a))\nsurvives = (sig(2.0) ** 15, sig(-2.0) ** 15)",
)

# ------------------------------------------------------------------ 2: weight decay under φ
Q2 = {"lr": 0.5, "decay": 0.1, "steps": 5}


def q2_setup() -> tuple[GRUParams, Readout, np.ndarray, np.ndarray]:
    """θ, a fixed readout, inputs (T, B, D) = (6, 8, 3) and targets (B, 1) for exercise 2."""
    theta = GRUParams.random(input_size=3, hidden_size=4, seed=31, scale=1.0)
    readout = Readout.random(4, seed=32)
    rng = np.random.default_rng(33)
    return theta, readout, rng.normal(size=(6, 8, 3)), rng.normal(size=(8, 1))


def _flip(arrays: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    return {k: (-v if k in UPDATE_GATE_FIELDS else v) for k, v in arrays.items()}


def _train(update: str, start: dict[str, np.ndarray], decay: float) -> dict[str, np.ndarray]:
    _, readout, xs, targets = q2_setup()
    arrays = dict(start)
    for _ in range(Q2["steps"]):
        _, grads, _, _ = loss_and_grads(
            GRUParams.from_arrays(arrays), readout, xs, targets, update=update, reset="before"
        )
        arrays = {k: a - Q2["lr"] * (grads[k] + decay * a) for k, a in arrays.items()}
    return arrays


def _q2_values(decay: float = Q2["decay"]) -> dict[str, float]:
    theta = q2_setup()[0].arrays()
    keep, admit = _train("keep", theta, decay), _train("admit", _flip(theta), decay)
    return {
        "gap": max(float(np.max(np.abs(_flip(keep)[k] - admit[k]))) for k in keep),
        "unconverted_gap": max(float(np.max(np.abs(keep[k] - admit[k]))) for k in keep),
        "norm": math.sqrt(sum(float(np.sum(a**2)) for a in admit.values())),
        "norm_start": math.sqrt(sum(float(np.sum(a**2)) for a in theta.values())),
    }


q2 = SET.numeric(
    "Weight decay under the flip",
    expected=lambda: (_q2_values()["gap"], _q2_values()["norm"]),
    names=("gap", "norm_admit"),
    wrong=lambda: [
        (
            (_q2_values()["unconverted_gap"], None),
            "That gap compares θ_keep with θ_admit directly; their update "
            "gates have opposite signs. Compare convert(θ_keep) with θ_admit.",
        ),
        ((None, _q2_values()["norm_start"]), "norm_admit is the norm before training; take it after the five steps."),
        (
            (None, _q2_values(decay=0.0)["norm"]),
            "norm_admit is the norm after five steps without weight decay: add decay * θ to every gradient.",
        ),
    ],
    hint=[
        "One step with L2 weight decay is θ ← θ − lr · (g + decay · θ), for every field.",
        "Train keep from θ and admit from convert(θ) with the same data, then compare convert(θ_keep) with "
        "θ_admit field by field.",
    ],
    solution=(
        "def train(update, params):\n"
        "    for _ in range(5):\n"
        "        _, grads, _, _ = loss_and_grads(params, wd_readout, wd_xs, wd_targets, update=update, "
        "reset='before')\n"
        "        params = params.map(lambda k, a: a - 0.5 * (grads[k] + 0.1 * a))\n"
        "    return params\n"
        "keep_t, admit_t = train('keep', wd_theta), train('admit', convert(wd_theta))\n"
        "gap = max(np.max(np.abs(a - b)) for (_, a), (_, b) in zip(convert(keep_t), admit_t))\n"
        "norm_admit = np.sqrt(sum(np.sum(a ** 2) for _, a in admit_t))"
    ),
)


# ------------------------------------------------------------------ 3: proof: the gradient flip by hand
def _q3_expressions() -> dict[str, Any]:
    import sympy as sp

    b, h0, c = sp.symbols("b h0 c", real=True)
    s = 1 / (1 + sp.exp(-b))  # σ(b); σ'(b) = σ(b)(1 − σ(b))
    slope = s * (1 - s) * (h0 - c)  # keep's ∂h_1/∂b_z at b_z = b
    return {
        "reference": -slope,
        "keep": slope,
        "no_inner": s * (1 - s),
        "no_chain": -(h0 - c),
        "symbols": (b, h0, c),
    }


def _check_q3(answer: Any) -> None:
    e = _q3_expressions()
    expect_expression(
        answer,
        e["reference"],
        e["symbols"],
        name="your ∂h_1/∂b_z (admit, at b_z = −b)",
        wrong={
            "keep": (
                e["keep"],
                "That is keep's derivative at b_z = b. In admit, h_1 = (1 − σ(β)) h_0 + σ(β) c: "
                "differentiate in β and then set β = −b; the sign flips.",
            ),
            "no_inner": (e["no_inner"], "You kept σ'(b) but dropped the factor (c − h_0) that σ multiplies."),
            "no_chain": (e["no_chain"], "You dropped σ'(β) = σ(β)(1 − σ(β)), the derivative of the gate itself."),
        },
    )


q3 = SET.proof(
    "The gradient flip, by hand",
    checker=_check_q3,
    hint=[
        "Admit with the bias β: h_1 = (1 − σ(β)) h_0 + σ(β) c, so ∂h_1/∂β = σ'(β) (c − h_0).",
        "Set β = −b and use σ'(−b) = σ(−b) σ(b) = σ'(b): σ' is even.",
    ],
    solution=(
        "∂h_1/∂β = σ'(β)(c − h_0); at β = −b, σ'(−b) = σ'(b), so the admit derivative is\n"
        "−σ(b)(1 − σ(b))(h_0 − c), minus keep's σ(b)(1 − σ(b))(h_0 − c) at b_z = b.\n"
        "grad_admit = -(1 / (1 + sp.exp(-b))) * (1 - 1 / (1 + sp.exp(-b))) * (h0 - c)"
    ),
    reference=lambda: _q3_expressions()["reference"],
    wrong_answers=lambda: [
        (_q3_expressions()["keep"], "keep's derivative"),
        (_q3_expressions()["no_inner"], "dropped the factor"),
        (_q3_expressions()["no_chain"], "derivative of the gate"),
        (0.0, "differs from the expected expression"),
    ],
)

# ------------------------------------------------------------------ 4: multiple choice
q4 = SET.choice(
    "What breaks bit-for-bit agreement",
    options={
        "a": ("forming $1 - z$ by subtraction in the backward pass", ""),
        "b": (
            "Adam instead of SGD",
            "Adam's step is odd in the gradient: m changes sign with g, v = mean of g² does "
            "not, so m̂ / (√v̂ + ε) changes sign exactly. The chapter checks this with an "
            "Adam run.",
        ),
        "c": (
            "float32 instead of float64",
            "Every operation the two runs perform is mirrored exactly in float32 as "
            "well (negation is exact and rounding is symmetric); the chapter runs a "
            "float32 pair and finds 0 difference.",
        ),
        "d": (
            "a larger learning rate",
            "A learning rate multiplies both steps by the same number; the steps stay exact negatives.",
        ),
    },
    correct="a",
    hint="Look for an operation whose result, under the flip, is not the exact negative or the exact copy "
    "of what the other run computes.",
    solution=(
        "a. In keep the backward pass would use 1 − σ(a) and in admit 1 − σ(−a); neither is exactly "
        "σ(∓a), so the gradients agree only to rounding, and the runs drift apart by a rounding-sized "
        "amount (the chapter measures it)."
    ),
)

# Points, estimated minutes and the learning objective of each exercise (the instructor's guide and
# the graded mode read them; an objective completes "Students can ...").
SET.plan(
    {
        q1: (2, 10, "compute the share of the state that survives many steps at zero input in both conventions"),
        q2: (2, 15, "check whether weight decay commutes with the conversion"),
        q3: (3, 20, "derive by hand how a gradient transforms under the flip"),
        q4: (1, 5, "identify which operations of training break bit-for-bit agreement of mirrored runs"),
    }
)
