"""Exercises for the chapter "Retention: what z does" (chapters/retention.md).

1  code     write the half-life t½(k) = ln ½ / ln k, with both ends k = 0 and k = 1
2  numeric  steps a pulse stays above half, b_z = 2.5, in keep and in admit (whole steps)
3  proof    derive the closed form of the constant-gate trajectory in the admit convention
4  proof    derive the half-life of an admit unit as a function of its update-gate bias

Expected values are computed here with ``math`` and sympy from the formulas, independently of
``gru_book.retention``, so the chapter's solution cells (which use it) are a real check.
"""

from __future__ import annotations

import math
from typing import Any

from gru_course.exercises import (
    ExerciseSet,
    Incorrect,
    call_student,
    close_enough,
    expect_callable,
    expect_expression,
    expect_number,
    significant_figures,
)

SET = ExerciseSet("retention")
_SIG = 6  # figures a student's half_life must get right


def _sigma(a: float) -> float:
    return 1.0 / (1.0 + math.exp(-a))


def _half_life(k: float) -> float:
    if k == 1.0:
        return math.inf
    if k == 0.0:
        return 0.0
    return math.log(0.5) / math.log(k)


# ------------------------------------------------------------------ 1: code
Q1_POINTS = (0.5, 0.9, 0.99, 0.1, 0.75)


def _check_q1(answer: Any) -> None:
    fn = expect_callable(answer, "your half_life")
    for k in Q1_POINTS:
        got = expect_number(call_student(fn, k), f"half_life({k})")
        want = _half_life(k)
        if close_enough(got, want, _SIG):
            continue
        if close_enough(got, _half_life(1.0 - k), _SIG):
            raise Incorrect(
                f"half_life({k}) gives the half-life of a kept share 1 − k = {1 - k:g}; "
                "k is already the share kept per step, use ln k."
            )
        if close_enough(-got, want, _SIG):
            raise Incorrect(f"half_life({k}) has the wrong sign: ln k < 0, so use ln ½ (or −ln 2) on top.")
        if close_enough(got, 0.5 / k, _SIG) or close_enough(got, 0.5 * k, _SIG):
            raise Incorrect("A half-life is a number of steps n with k**n = ½; solve that with logarithms.")
        raise Incorrect(
            f"half_life({k}) is right to {significant_figures(got, want)} significant figures, need "
            f"{_SIG} (k**t½ should be ½)."
        )
    try:
        one = call_student(fn, 1.0, name="your half_life(1.0)")
    except Incorrect as exc:
        raise Incorrect(f"k = 1 keeps everything, so nothing ever halves: return math.inf there. ({exc})") from exc
    if not (isinstance(one, (int, float)) and not isinstance(one, bool) and math.isinf(one) and one > 0):
        raise Incorrect("half_life(1.0) should be math.inf: with k = 1 nothing ever halves.")
    try:
        zero = call_student(fn, 0.0, name="your half_life(0.0)")
    except Incorrect as exc:
        raise Incorrect(f"k = 0 forgets everything at once: return 0.0 there. ({exc})") from exc
    if expect_number(zero, "half_life(0.0)") != 0.0:
        raise Incorrect("half_life(0.0) should be 0.0: with k = 0 the old state is gone after one step.")


def _forgets_return(k: float) -> None:
    math.log(0.5) / math.log(k)  # computed, but not returned


q1 = SET.code(
    "The half-life",
    checker=_check_q1,
    tolerance=f"{_SIG} significant figures",
    hint=[
        "Solve k**n = 1/2 for n: take logarithms of both sides.",
        "math.log(0) raises and math.log(1) is 0: treat k = 0 and k = 1 before dividing.",
    ],
    solution=(
        "def half_life(k):\n"
        "    if k == 1.0:\n"
        "        return math.inf\n"
        "    if k == 0.0:\n"
        "        return 0.0\n"
        "    return math.log(0.5) / math.log(k)"
    ),
    reference=lambda: lambda k: _half_life(float(k)),
    wrong_answers=lambda: [
        (lambda k: math.log(0.5) / math.log(1 - k) if 0 < k < 1 else _half_life(1 - k), "1 − k"),
        (lambda k: math.log(2) / math.log(k) if 0 < k < 1 else _half_life(k), "wrong sign"),
        (lambda k: 0.5 / k, "logarithms"),
        (lambda k: math.log(0.5) / math.log(k), "math.inf"),
        (lambda k: math.inf if k == 1 else math.log(0.5) / math.log(k), "return 0.0"),
        (lambda k: round(_half_life(k), 2) if 0 < k < 1 else _half_life(k), "need 6"),
        (lambda k: True if k == 1 else _half_life(k), "should be math.inf"),
        (_forgets_return, "returned None"),
        (2.0, "should be a function"),
    ],
)

# ------------------------------------------------------------------ 2: numeric
Q2_B_Z = 2.5


def _q2_expected() -> tuple[int, int]:
    """Whole steps n ≥ 1 after the pulse with k**n ≥ ½: floor(t½) (t½ is not an integer here)."""
    return math.floor(_half_life(_sigma(Q2_B_Z))), math.floor(_half_life(_sigma(-Q2_B_Z)))


q2 = SET.numeric(
    "How long a pulse lasts",
    expected=_q2_expected,
    names=("steps_keep", "steps_admit"),
    integer=True,
    wrong=lambda: [
        (_q2_expected()[::-1], "Swapped: in keep the kept share is z = σ(b_z), in admit it is 1 − z = σ(−b_z)."),
        (
            (math.ceil(_half_life(_sigma(Q2_B_Z))), math.ceil(_half_life(_sigma(-Q2_B_Z)))),
            "One too many: at step ⌈t½⌉ the state is already below half. Count steps n with k**n ≥ ½.",
        ),
    ],
    wrong_types=[
        ((_half_life(_sigma(Q2_B_Z)), _half_life(_sigma(-Q2_B_Z))), "whole number"),
        ((3, 3), "not right yet"),
        (8, "Give 2 numbers"),
    ],
    hint=[
        "After the pulse x = 0 and the candidate is tanh(0) = 0, so h_t = k · h_{t−1} with k the kept share.",
        "keep: k = σ(b_z); admit: k = 1 − σ(b_z) = σ(−b_z). Count n ≥ 1 with k**n ≥ ½.",
    ],
    solution=(
        "trace_keep = run_pulse(2.5, -4.0, update='keep'); trace_admit = run_pulse(2.5, -4.0, update='admit')\n"
        "steps = (memory_steps(trace_keep.h, at=2), memory_steps(trace_admit.h, at=2))\n"
        f"# {_q2_expected()}"
    ),
)

# ------------------------------------------------------------------ 3: proof: the closed form in admit
_Q3_DOMAIN = {"z": (0.05, 0.95), "t": (0.0, 12.0), "h0": (-2.0, 2.0), "c": (-2.0, 2.0)}


def _q3_expressions() -> dict[str, Any]:
    import sympy as sp

    z, t, h0, c = sp.symbols("z t h0 c", real=True)
    k = 1 - z  # admit keeps 1 − z
    return {
        "reference": k**t * h0 + (1 - k**t) * c,
        "keep": z**t * h0 + (1 - z**t) * c,
        "no_candidate": k**t * h0,
        "off_by_one": k ** (t - 1) * h0 + (1 - k ** (t - 1)) * c,
        "symbols": (z, t, h0, c),
    }


def _check_q3(answer: Any) -> None:
    e = _q3_expressions()
    expect_expression(
        answer,
        e["reference"],
        e["symbols"],
        name="your h_t",
        domain=_Q3_DOMAIN,
        wrong={
            "keep": (
                e["keep"],
                "That is the keep convention's closed form: in admit the share kept per step is 1 − z.",
            ),
            "no_candidate": (e["no_candidate"], "You kept only the decay of h_0; the candidate fills in the rest."),
            "off_by_one": (e["off_by_one"], "Off by one step: h_1 = (1 − z) h_0 + z c, so at t = 1 the power is 1."),
        },
    )


q3 = SET.proof(
    "The closed form, derived",
    checker=_check_q3,
    hint=[
        "Write one admit step as h_t − c = (1 − z)(h_{t−1} − c): the distance to the candidate shrinks by a "
        "constant factor.",
        "Unroll it t times, then solve for h_t.",
    ],
    solution=(
        "h_t - c = (1 - z) (h_{t-1} - c) = … = (1 - z)**t (h_0 - c), so\nh_t = (1 - z)**t * h0 + (1 - (1 - z)**t) * c"
    ),
    reference=lambda: _q3_expressions()["reference"],
    wrong_answers=lambda: [
        (_q3_expressions()["keep"], "keep convention's closed form"),
        (_q3_expressions()["no_candidate"], "candidate fills in"),
        (_q3_expressions()["off_by_one"], "Off by one"),
        ("(1-z)**t*h0", "should be a sympy expression"),
        (_q3_expressions()["reference"] + __import__("sympy").Symbol("k"), "uses the symbol(s) ['k']"),
    ],
)


# ------------------------------------------------------------------ 4: proof: the half-life as a function of b_z
def _q4_expressions() -> dict[str, Any]:
    import sympy as sp

    b = sp.Symbol("b", real=True)
    return {
        "reference": sp.log(2) / sp.log(1 + sp.exp(b)),
        "keep": sp.log(2) / sp.log(1 + sp.exp(-b)),
        "sign": -sp.log(2) / sp.log(1 + sp.exp(b)),
        "share": 1 / (1 + sp.exp(b)),
        "symbols": (b,),
    }


def _check_q4(answer: Any) -> None:
    e = _q4_expressions()
    expect_expression(
        answer,
        e["reference"],
        e["symbols"],
        name="your t½(b)",
        wrong={
            "keep": (
                e["keep"],
                "That is the half-life of a keep unit, whose kept share is σ(b). In admit the unit "
                "keeps 1 − σ(b) = σ(−b).",
            ),
            "sign": (e["sign"], "A half-life is positive: ln k < 0 for 0 < k < 1, so t½ = ln ½ / ln k = −ln 2 / ln k."),
            "share": (e["share"], "That is the kept share k = σ(−b) itself; the half-life solves k**t = ½ for t."),
        },
    )


q4 = SET.proof(
    "The half-life of an admit unit",
    checker=_check_q4,
    hint=[
        "An admit unit at zero input keeps k = 1 − σ(b) = σ(−b) = 1 / (1 + e^b) of its state per step.",
        "t½ = ln ½ / ln k; simplify ln k = −ln(1 + e^b).",
    ],
    solution=(
        "k = σ(−b) = 1 / (1 + e^b), so ln k = −ln(1 + e^b) and\n"
        "t½(b) = ln ½ / ln k = ln 2 / ln(1 + e^b)\n"
        "t_half = sp.log(2) / sp.log(1 + sp.exp(b))"
    ),
    reference=lambda: _q4_expressions()["reference"],
    wrong_answers=lambda: [
        (_q4_expressions()["keep"], "half-life of a keep unit"),
        (_q4_expressions()["sign"], "A half-life is positive"),
        (_q4_expressions()["share"], "kept share"),
        (0.5, "differs from the expected expression"),
    ],
)

# Points, estimated minutes and the learning objective of each exercise (the instructor's guide and
# the graded mode read them; an objective completes "Students can ...").
SET.plan(
    {
        q1: (3, 15, "compute a unit's half-life from the share of the state it keeps per step"),
        q2: (2, 10, "measure how many steps a pulse lasts in a keep and in an admit unit"),
        q3: (3, 20, "derive the closed form of a unit with a constant gate and candidate"),
        q4: (3, 15, "express an admit unit's half-life through its update-gate bias"),
    }
)
