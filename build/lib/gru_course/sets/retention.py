"""Exercises for the chapter "Retention: what z does" (chapters/retention.md).

q1  code        write the half-life t½(k) = ln ½ / ln k, with both ends k = 0 and k = 1
q2  numeric     steps a pulse stays above half, b_z = 2.5, in keep and in admit
q3  numeric     h_10 from the closed form, z = 0.9, h_0 = 1, h̃ = −0.5, in keep and in admit
q4  conceptual  copying a keep-trained bias into an admit implementation

Expected values are computed here with ``math`` from the formulas, independently of
``gru_book.retention``, so the chapter's solution cells (which use gru_lib) are a real check.
"""
from __future__ import annotations

import math
from typing import Any

from gru_course.exercises import Exercise, Incorrect, call_student, expect_callable, expect_choice, expect_number


def _sigma(a: float) -> float:
    return 1.0 / (1.0 + math.exp(-a))


def _half_life(k: float) -> float:
    if k == 1.0:
        return math.inf
    if k == 0.0:
        return 0.0
    return math.log(0.5) / math.log(k)


def _close(a: float, b: float, rtol: float = 1e-6) -> bool:
    return math.isclose(a, b, rel_tol=rtol, abs_tol=1e-9)


# ------------------------------------------------------------------ q1: code
Q1_POINTS = (0.5, 0.9, 0.99, 0.1, 0.75)


def _check_q1(answer: Any) -> None:
    fn = expect_callable(answer, "your half_life")
    for k in Q1_POINTS:
        got = expect_number(call_student(fn, k), f"half_life({k})")
        want = _half_life(k)
        if _close(got, want):
            continue
        if _close(got, _half_life(1.0 - k)):
            raise Incorrect(f"half_life({k}) gives the half-life of a kept share 1 − k = {1 - k:g}; "
                            "k is already the share kept per step, use ln k.")
        if _close(got, math.log(2) / math.log(k)):
            raise Incorrect(f"half_life({k}) has the wrong sign: ln k < 0, so use ln ½ (or −ln 2) on top.")
        if _close(got, 0.5 / k) or _close(got, 0.5 * k):
            raise Incorrect("A half-life is a number of steps n with k**n = ½; solve that with logarithms.")
        raise Incorrect(f"half_life({k}) returned {got:.6g}; expected {want:.6g} (k**t½ should be ½).")
    try:
        one = call_student(fn, 1.0, name="your half_life(1.0)")
    except Incorrect as exc:
        raise Incorrect(f"k = 1 keeps everything, so nothing ever halves: return math.inf there. ({exc})") from exc
    if not (isinstance(one, (int, float)) and math.isinf(one) and one > 0):
        raise Incorrect(f"half_life(1.0) returned {one!r}; with k = 1 nothing ever halves: return math.inf.")
    try:
        zero = call_student(fn, 0.0, name="your half_life(0.0)")
    except Incorrect as exc:
        raise Incorrect(f"k = 0 forgets everything at once: return 0.0 there. ({exc})") from exc
    if expect_number(zero, "half_life(0.0)") != 0.0:
        raise Incorrect(f"half_life(0.0) returned {zero!r}; with k = 0 the old state is gone after one step: return 0.0.")


def _forgets_return(k: float) -> None:
    math.log(0.5) / math.log(k)  # computed, but not returned


def _half_life_reference(k: float) -> float:
    return _half_life(float(k))


q1 = Exercise(
    name="Exercise 1 (the half-life)",
    checker=_check_q1,
    kind="code",
    hint_text=[
        "Solve k**n = 1/2 for n: take logarithms of both sides.",
        "math.log(0) raises and math.log(1) is 0: treat k = 0 and k = 1 before dividing.",
    ],
    solution_text=(
        "def half_life(k):\n"
        "    if k == 1.0:\n"
        "        return math.inf\n"
        "    if k == 0.0:\n"
        "        return 0.0\n"
        "    return math.log(0.5) / math.log(k)"
    ),
    reference=lambda: _half_life_reference,
    wrong_answers=lambda: [
        (lambda k: math.log(0.5) / math.log(1 - k) if 0 < k < 1 else _half_life(1 - k), "1 − k"),
        (lambda k: math.log(2) / math.log(k) if 0 < k < 1 else _half_life(k), "wrong sign"),
        (lambda k: 0.5 / k, "logarithms"),
        (lambda k: math.log(0.5) / math.log(k), "return math.inf"),
        (lambda k: math.inf if k == 1 else math.log(0.5) / math.log(k), "return 0.0"),
        (_forgets_return, "returned None"),
        (2.0, "should be a function"),
    ],
)


# ------------------------------------------------------------------ q2: numeric
Q2_B_Z = 2.5


def _steps_above_half(kept: float) -> int:
    """Steps n ≥ 1 after the pulse with k**n ≥ ½: floor(t½) (t½ is not an integer here)."""
    return math.floor(_half_life(kept))


def _q2_expected() -> tuple[int, int]:
    return _steps_above_half(_sigma(Q2_B_Z)), _steps_above_half(_sigma(-Q2_B_Z))


def _check_q2(answer: Any) -> None:
    if not isinstance(answer, (tuple, list)) or len(answer) != 2:
        raise Incorrect("Give a pair of two whole numbers: q2.check((steps_keep, steps_admit))")
    k, a = (expect_number(v, name) for v, name in zip(answer, ("steps_keep", "steps_admit")))
    want_k, want_a = _q2_expected()
    if (k, a) == (want_k, want_a):
        return
    if (k, a) == (want_a, want_k):
        raise Incorrect("Swapped: in keep the kept share is z = σ(b_z), in admit it is 1 − z = σ(−b_z).")
    t_keep, t_admit = _half_life(_sigma(Q2_B_Z)), _half_life(_sigma(-Q2_B_Z))
    if _close(k, t_keep, 1e-3) or _close(a, t_admit, 1e-3):
        raise Incorrect("Those are half-lives; the question asks for whole steps t > pulse with |h_t| ≥ ½ |h_pulse|.")
    if (k, a) == (math.ceil(t_keep), math.ceil(t_admit)):
        raise Incorrect("One too many: at step ⌈t½⌉ the state is already below half. Count steps n with k**n ≥ ½.")
    raise Incorrect(f"Not yet ({k:g}, {a:g}). After the pulse the input is 0, so each step multiplies h by the "
                    "kept share k; count the steps n ≥ 1 with k**n ≥ ½ in each convention.")


q2 = Exercise(
    name="Exercise 2 (how long a pulse lasts)",
    checker=_check_q2,
    kind="numeric",
    hint_text=[
        "After the pulse x = 0 and the candidate is tanh(0) = 0, so h_t = k · h_{t−1} with k the kept share.",
        "keep: k = σ(b_z); admit: k = 1 − σ(b_z) = σ(−b_z). Count n ≥ 1 with k**n ≥ ½.",
    ],
    solution_text=(
        "trace_keep = run_pulse(2.5, -4.0, update='keep'); trace_admit = run_pulse(2.5, -4.0, update='admit')\n"
        "steps = (memory_steps(trace_keep.h, at=2), memory_steps(trace_admit.h, at=2))\n"
        f"# {_q2_expected()}"
    ),
    reference=_q2_expected,
    wrong_answers=lambda: [
        (_q2_expected()[::-1], "Swapped"),
        ((_half_life(_sigma(Q2_B_Z)), _half_life(_sigma(-Q2_B_Z))), "half-lives"),
        ((math.ceil(_half_life(_sigma(Q2_B_Z))), math.ceil(_half_life(_sigma(-Q2_B_Z)))), "One too many"),
        ((3, 3), "Not yet"),
        (8, "Give a pair"),
    ],
)


# ------------------------------------------------------------------ q3: numeric
Q3 = {"z": 0.9, "h0": 1.0, "candidate": -0.5, "t": 10}


def _closed(kept: float, t: int) -> float:
    return kept ** t * Q3["h0"] + (1 - kept ** t) * Q3["candidate"]


def _q3_expected() -> tuple[float, float]:
    return _closed(Q3["z"], Q3["t"]), _closed(1 - Q3["z"], Q3["t"])


def _check_q3(answer: Any) -> None:
    if not isinstance(answer, (tuple, list)) or len(answer) != 2:
        raise Incorrect("Give a pair of two numbers: q3.check((h10_keep, h10_admit))")
    k, a = (expect_number(v, name) for v, name in zip(answer, ("h10_keep", "h10_admit")))
    want_k, want_a = _q3_expected()
    if _close(k, want_k) and _close(a, want_a):
        return
    if _close(k, want_a) and _close(a, want_k):
        raise Incorrect("Swapped: in keep the kept share is z, in admit it is 1 − z.")
    z, t = Q3["z"], Q3["t"]
    if _close(k, z ** t) or _close(a, (1 - z) ** t):
        raise Incorrect("You kept only the decay of h_0; the candidate fills in the rest: add (1 − k**t) · h̃.")
    if _close(k, _closed(z, t - 1)) or _close(k, _closed(z, t + 1)):
        raise Incorrect("Off by one step: h_t uses k**t with t = 10 (h_0 is t = 0).")
    raise Incorrect(f"Not yet: h10_keep is off by {abs(k - want_k):.3g} and h10_admit by {abs(a - want_a):.3g}.")


q3 = Exercise(
    name="Exercise 3 (the closed form)",
    checker=_check_q3,
    kind="numeric",
    hint_text="h_t = k**t · h_0 + (1 − k**t) · h̃ with k = z in keep and k = 1 − z in admit.",
    solution_text=("h10_keep = closed_form(0.9, 1.0, -0.5, 10)[-1]\nh10_admit = closed_form(0.1, 1.0, -0.5, 10)[-1]\n"
                   f"# {_q3_expected()}"),
    reference=_q3_expected,
    wrong_answers=lambda: [
        (_q3_expected()[::-1], "Swapped"),
        ((Q3["z"] ** 10, (1 - Q3["z"]) ** 10), "candidate fills in"),
        ((_closed(Q3["z"], 9), _closed(1 - Q3["z"], 9)), "Off by one"),
        ((0.3, 0.3), "Not yet"),
        (0.02, "Give a pair"),
    ],
)


# ------------------------------------------------------------------ q4: conceptual
Q4_OPTIONS = {
    "a": "No: the same number means the opposite in admit. There z = σ(2.5) ≈ 0.92 is the share of the "
         "candidate written, so only about 8% of the old state is kept per step.",
    "b": "",
    "c": "No: z < 1 for every finite bias, and here the kept share is 1 − σ(2.5) ≈ 0.08, far from 1.",
    "d": "No: both conventions accept any real bias; nothing fails, the model just computes something else.",
}

q4 = Exercise(
    name="Exercise 4 (porting a bias)",
    checker=lambda answer: expect_choice(answer, "b", options=Q4_OPTIONS),
    kind="conceptual",
    hint_text="Which share of the old state does a step keep in admit, for the gate value σ(2.5)?",
    solution_text=("b. In admit the kept share is 1 − z = σ(−2.5) ≈ 0.076: the unit forgets a pulse within "
                   "one step. Negating the bias (and the gate's weights), b_z = −2.5, restores the keep model "
                   "exactly, since σ(−a) = 1 − σ(a)."),
    reference=lambda: "b",
    wrong_answers=lambda: [("a", "opposite"), ("c", "finite bias"), ("d", "nothing fails"), ("e", "one of the letters")],
)
