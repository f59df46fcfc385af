"""Exercises for the chapter "Exact in math, not in floats" (chapters/floats.md).

1  numeric  the x below which 1 − σ(−x) is exactly 0 in float32
2  numeric  the relative error of 1 − σ(30) as a value of σ(−30), in float64
3  code     1 − σ(a) to full relative precision, without a subtraction
4  choice   what the O(1) drift of the formula-as-written conventions in a chaotic network means

References are closed forms (q1: ln of the unit roundoff) or 50-digit mpmath values (q2, q3).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from gru_course.exercises import ExerciseSet, Incorrect, call_student, expect_callable, expect_number

SET = ExerciseSet("floats")

# ------------------------------------------------------------------ q1: numeric
Q1_REFERENCE = math.log(2.0**-24)  # 1 + e^x rounds to 1 in float32 once e^x <= u = 2^-24


q1 = SET.numeric(
    "Where float32 gives 0",
    expected=lambda: Q1_REFERENCE,
    names=("threshold",),
    wrong=lambda: [
        (math.log(2.0**-53), "That is the float64 threshold, ln 2⁻⁵³. In float32 the unit roundoff is u = 2⁻²⁴."),
        (
            math.log(2.0**-23),
            "That is ln ε with ε = 2⁻²³, the gap between 1 and the next float. 1 + e^x rounds "
            "back to 1 as soon as e^x ≤ ε/2 = u.",
        ),
    ],
    wrong_types=[(-Q1_REFERENCE, "wrong sign"), (-30.0, "is off"), (-16.6, "right to 3 significant figures")],
    hint=[
        "σ(−x) = 1 / (1 + e^x). When does 1 + e^x round to exactly 1 in float32?",
        "Round to nearest: 1 + δ rounds to 1 when δ ≤ u = 2⁻²⁴ (ties go to the even neighbour, 1).",
    ],
    solution="threshold = np.log(2.0 ** -24)   # = ln u, about −16.64",
)


# ------------------------------------------------------------------ q2: numeric
def _sigma_neg30() -> float:
    import mpmath

    with mpmath.workdps(50):
        return float(1 / (1 + mpmath.exp(30)))


def _q2_values() -> dict[str, float]:
    sigma30 = 1.0 / (1.0 + math.exp(-30.0))  # float64: σ(30) is ≥ ½, computed without cancellation
    computed = 1.0 - sigma30
    exact = _sigma_neg30()
    return {"relative": abs(computed - exact) / exact, "absolute": abs(computed - exact)}


q2 = SET.numeric(
    "How wrong is 1 − σ(30)?",
    expected=lambda: _q2_values()["relative"],
    names=("rel",),
    wrong=lambda: [
        (
            0.0,
            "0 would mean the subtraction is exact. Compare 1 − σ(30) with an accurate σ(−30), such as "
            "gru_lib.sigmoid(-30.0), not with itself.",
        ),
        (_q2_values()["absolute"], "That is the absolute error |1 − σ(30) − σ(−30)|; divide it by σ(−30)."),
    ],
    wrong_types=[(1.0, "rel is off")],
    atol=0.0,
    hint="Compute a = 1 - gru_lib.sigmoid(30.0) and b = gru_lib.sigmoid(-30.0) in float64; "
    "the relative error is |a − b| / b.",
    solution="a, b = 1 - sigmoid(30.0), sigmoid(-30.0)\nrel = abs(a - b) / b   # about 1e-3",
)


# ------------------------------------------------------------------ q3: code
Q3_POINTS = np.array([-700.0, -100.0, -40.0, -20.0, -3.0, -0.5, 0.0, 0.5, 3.0, 20.0, 36.0, 40.0, 100.0, 700.0])


def _q3_exact() -> np.ndarray:
    import mpmath

    with mpmath.workdps(50):
        return np.array([float(1 / (1 + mpmath.exp(mpmath.mpf(a)))) for a in Q3_POINTS])


def _check_q3(answer: Any) -> None:
    fn = expect_callable(answer, "your function")
    got = np.array([expect_number(call_student(fn, float(a)), f"one_minus_sigmoid({a:g})") for a in Q3_POINTS])
    exact = _q3_exact()
    rel = np.abs(got - exact) / exact
    bad = rel > 8 * 2.0**-53
    if not bad.any():
        return
    worst = int(np.argmax(rel))
    if got[worst] == 0.0:
        raise Incorrect(
            f"At a = {Q3_POINTS[worst]:g} your function returns 0, but 1 − σ(a) is not 0 there: "
            "every digit is lost. Avoid forming 1 − σ(a) by subtraction (and compute in float64)."
        )
    if np.allclose(got, 1.0 - exact, rtol=1e-12):
        raise Incorrect("That is σ(a); the exercise asks for 1 − σ(a) = σ(−a).")
    raise Incorrect(
        f"At a = {Q3_POINTS[worst]:g} your value has a relative error of {rel[worst]:.2g}; "
        "it should be at most 8 u = 8 · 2⁻⁵³ everywhere."
    )


def _q3_reference(a: float) -> float:
    return float(np.exp(-a) / (1 + np.exp(-a)) if a < 0 else 1 / (1 + np.exp(a)))


q3 = SET.code(
    "One minus sigma, accurately",
    checker=_check_q3,
    tolerance="8 u",
    hint=[
        "1 − σ(a) = σ(−a) = 1 / (1 + e^a): no subtraction at all.",
        "For very negative a, e^(−a) is huge; 1 / (1 + e^a) is fine there, but if you write e^(−a) / "
        "(1 + e^(−a)) use it only for a ≥ 0.",
    ],
    solution="def one_minus_sigmoid(a):\n    return 1 / (1 + np.exp(a))   # a few u everywhere for |a| ≤ 700",
    reference=lambda: _q3_reference,
    wrong_answers=lambda: [
        (lambda a: 1 - 1 / (1 + np.exp(-a)), "every digit is lost"),
        (lambda a: 1 / (1 + np.exp(-a)), "That is σ(a)"),
        (lambda a: float(f"{1 / (1 + np.exp(a)):.6e}"), "relative error"),
    ],
)


# ------------------------------------------------------------------ 4: multiple choice
q4 = SET.choice(
    "Is the drifting run wrong?",
    options={
        "a": (
            "the admit run is the less exact one",
            "Neither run is more exact than the other: each rounds at every step, and each differs from the "
            "exact-arithmetic trajectory by about as much as they differ from each other.",
        ),
        "b": (
            "it is a problem specific to the keep/admit conversion",
            "The chapter measured the same blow-up between float32 and float64 runs of one convention; "
            "the keep/admit difference plays no special role.",
        ),
        "c": (
            "`gru_lib`'s bit-for-bit agreement means its runs are exact",
            "gru_lib's agreement is exact because both runs make the same rounding errors, mirrored; "
            "it does not make either run closer to exact arithmetic.",
        ),
        "d": (
            "neither trajectory is the exact one, and any two implementations that round differently part ways "
            "like this",
            "",
        ),
    },
    correct="d",
    hint="Compare the drift between the two conventions with the gap between a float32 and a float64 run "
    "of the same network in the chapter's chaotic example.",
    solution=(
        "d. In an expanding (chaotic) network every rounding difference grows until it is as large as "
        "the states. The formula-as-written conventions round differently, so they part ways; a float32 "
        "and a float64 run of the same convention part ways just as fast. Neither trajectory is the "
        "exact one; what they share is the statistics, not the bits."
    ),
)

# Points, estimated minutes and the learning objective of each exercise (the instructor's guide and
# the graded mode read them; an objective completes "Students can ...").
SET.plan(
    {
        q1: (2, 10, "find where float32 rounds a sigmoid to exactly 0"),
        q2: (2, 10, "measure the relative error of computing 1 − σ(a) by subtraction"),
        q3: (3, 15, "write 1 − σ(a) without cancellation"),
        q4: (1, 5, "separate a convention's drift from float32 rounding"),
    }
)
