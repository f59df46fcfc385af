"""Exercises for the chapter "A first run" (chapters/first_run.md).

1  numeric  h_2 of a one-unit GRU under both update conventions, same weights
2  code     write the conversion φ yourself
3  proof    with sympy: the admit update with the converted gate simplifies to the keep update
4  choice   what two different hidden states for the same weights mean

The reference values are computed with ``math`` by the textbook formulas, independently of
``gru_lib.run``, so the chapter's solution cells (which use ``gru_lib``) are a real check.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from gru_course.exercises import ExerciseSet, Incorrect, call_student, expect_callable, expect_expression
from gru_lib.params import UPDATE_GATE_FIELDS, GRUParams

SET = ExerciseSet("first_run")

# ------------------------------------------------------------------ 1: numeric
#: The one-unit GRU of exercise 1 (input size 1, hidden size 1), as printed in the chapter.
Q1_WEIGHTS = {
    "w_z": 1.0,
    "u_z": -2.0,
    "b_z": 0.5,
    "w_r": 0.5,
    "u_r": 1.0,
    "b_r": 0.0,
    "w_h": 2.0,
    "u_h": 1.5,
    "b_h": 0.0,
}
#: Its two inputs x_1, x_2; the initial state is h_0 = 0.
Q1_INPUTS = (1.0, -0.5)


def _sigma(a: float) -> float:
    return 1.0 / (1.0 + math.exp(-a))


def scalar_run(update: str, steps: int, *, use_reset: bool = True) -> float:
    """h after ``steps`` steps of the exercise's scalar GRU, written out by hand."""
    w = Q1_WEIGHTS
    h = 0.0
    for x in Q1_INPUTS[:steps]:
        z = _sigma(w["w_z"] * x + w["u_z"] * h + w["b_z"])
        r = _sigma(w["w_r"] * x + w["u_r"] * h + w["b_r"]) if use_reset else 1.0
        c = math.tanh(w["w_h"] * x + w["u_h"] * (r * h) + w["b_h"])
        h = z * h + (1 - z) * c if update == "keep" else (1 - z) * h + z * c
    return h


def _q1_wrong() -> list[tuple[tuple[float | None, ...], str]]:
    keep, admit = scalar_run("keep", 2), scalar_run("admit", 2)
    return [
        (
            (admit, keep),
            "Your two values are swapped: your h2_keep is the admit value and your h2_admit the keep "
            "value. In keep, z multiplies h_prev; in admit, z multiplies the candidate.",
        ),
        (
            (scalar_run("keep", 1), None),
            "That is h_1, the state after the first input; run one more step with x_2 = -0.5.",
        ),
        (
            (None, scalar_run("admit", 1)),
            "That is h_1, the state after the first input; run one more step with x_2 = -0.5.",
        ),
        (
            (scalar_run("keep", 2, use_reset=False), None),
            "You left out the reset gate: at step 2 the candidate uses u_h (r h_1), not u_h h_1.",
        ),
        (
            (admit, None),
            "Your h2_keep is what the admit convention gives; re-read which term z multiplies "
            "(in keep, z multiplies h_prev).",
        ),
        (
            (None, keep),
            "Your h2_admit is what the keep convention gives; re-read which term z multiplies "
            "(in admit, z multiplies the candidate).",
        ),
    ]


q1 = SET.numeric(
    "$h_2$ in both conventions",
    expected=lambda: (scalar_run("keep", 2), scalar_run("admit", 2)),
    names=("h2_keep", "h2_admit"),
    wrong=_q1_wrong,
    wrong_types=[
        ((scalar_run("keep", 2), "0.3"), "h2_admit should be a number"),
        (scalar_run("keep", 2), "Give 2 numbers"),
        ((scalar_run("keep", 2), scalar_run("admit", 2) + 0.1), "h2_keep is right, but h2_admit is right to 1 "),
        ((1.01 * scalar_run("keep", 2), scalar_run("admit", 2)), "h2_keep is right to 2 significant figures"),
        ((True, scalar_run("admit", 2)), "truth value"),
        ((complex(scalar_run("keep", 2)), scalar_run("admit", 2)), "complex"),
    ],
    hint=[
        "Build the weights as a GRUParams with 1x1 matrices (the cell below does it) and run both conventions; "
        "run(...).h[1, 0, 0] is h_2.",
        "Or by hand: z = σ(w_z x + u_z h + b_z), r = σ(w_r x + u_r h + b_r), c = tanh(w_h x + u_h (r h) + b_h); "
        "keep: h = z h + (1 − z) c; admit: h = (1 − z) h + z c. Start from h_0 = 0.",
    ],
    solution=(
        'h2_keep = run(ex_theta, ex_xs, update="keep", reset="before").h[1, 0, 0]\n'
        'h2_admit = run(ex_theta, ex_xs, update="admit", reset="before").h[1, 0, 0]\n'
        f"# h2_keep ≈ {scalar_run('keep', 2):.4g}, h2_admit ≈ {scalar_run('admit', 2):.4g}"
    ),
)


# ------------------------------------------------------------------ 2: code
def _negate_update_gate(theta: GRUParams) -> dict[str, np.ndarray]:
    """The expected result of φ, field by field, written out here rather than taken from ``convert``."""
    return {name: (-arr if name in UPDATE_GATE_FIELDS else arr) for name, arr in theta.arrays().items()}


def _check_q2(answer: Any) -> None:
    fn = expect_callable(answer, "to_admit")
    theta = GRUParams.random(input_size=3, hidden_size=4, seed=7, recurrent_biases=True)
    out = call_student(fn, theta, name="to_admit(theta)")
    if not isinstance(out, GRUParams):
        raise Incorrect(
            f"to_admit(theta) should return a GRUParams (try theta.replace(W_z=..., ...)); "
            f"it returned a {type(out).__name__}"
        )
    given, want, got = theta.arrays(), _negate_update_gate(theta), out.arrays()
    if got.keys() != want.keys():
        lost = sorted(set(want) - set(got))
        raise Incorrect(f"Your result lost the field(s) {lost}: keep every field, and negate the update gate's ones")
    if all(np.array_equal(got[k], given[k]) for k in got):
        raise Incorrect(
            "You returned the parameters unchanged: the update gate's W_z, U_z and b_z (and b_z_rec) must be negated"
        )
    wrong_sign = sorted(k for k in got if k not in UPDATE_GATE_FIELDS and np.array_equal(got[k], -given[k]))
    if wrong_sign:
        raise Incorrect(
            f"You also negated {wrong_sign}: only the update gate's parameters "
            "(W_z, U_z, b_z, b_z_rec) change; the reset gate and the candidate stay as they are"
        )
    one_minus = sorted(k for k in got if k in UPDATE_GATE_FIELDS and np.allclose(got[k], 1 - given[k]))
    if one_minus:
        raise Incorrect(
            f"You replaced {one_minus} by one minus themselves: W_z should become -W_z, not 1 - W_z. "
            "The identity σ(−a) = 1 − σ(a) is about the gate's value; negating the weights negates a"
        )
    unchanged = sorted(k for k in got if k in UPDATE_GATE_FIELDS and np.array_equal(got[k], given[k]))
    if unchanged:
        extra = (
            " (the second bias b_z_rec adds to b_z inside the gate, so it is negated too)"
            if "b_z_rec" in unchanged
            else ""
        )
        raise Incorrect(f"You left {unchanged} unchanged{extra}")
    bad = sorted(k for k in got if not np.array_equal(got[k], want[k]))
    if bad:
        raise Incorrect(
            f"The field(s) {bad} are not what they should be: the update gate's fields are "
            "negated exactly, every other field is copied unchanged"
        )


def _to_admit_reference(theta: GRUParams) -> GRUParams:
    return theta.replace(**{k: -v for k, v in theta.arrays().items() if k in UPDATE_GATE_FIELDS})


def _forgets_return(theta: GRUParams) -> None:
    theta.replace(W_z=-theta.W_z, U_z=-theta.U_z, b_z=-theta.b_z)  # computed, but not returned


def _raises(theta: GRUParams) -> GRUParams:
    return theta.W_q  # type: ignore[attr-defined]  # a typo a student might make


q2 = SET.code(
    "Write the conversion yourself",
    checker=_check_q2,
    hint=[
        "theta.replace(W_z=..., U_z=..., b_z=...) returns a copy with those fields changed.",
        "The second bias b_z_rec may be None; negate it only when it is present.",
    ],
    solution=(
        "def to_admit(theta):\n"
        "    changes = dict(W_z=-theta.W_z, U_z=-theta.U_z, b_z=-theta.b_z)\n"
        "    if theta.b_z_rec is not None:\n"
        '        changes["b_z_rec"] = -theta.b_z_rec\n'
        "    return theta.replace(**changes)"
    ),
    reference=lambda: _to_admit_reference,
    wrong_answers=lambda: [
        (lambda theta: theta, "unchanged"),
        (lambda theta: theta.map(lambda name, arr: -arr), "You also negated"),
        (lambda theta: theta.replace(W_z=-theta.W_z, U_z=-theta.U_z, b_z=-theta.b_z), "b_z_rec"),
        (
            lambda theta: theta.replace(
                W_z=1 - theta.W_z, U_z=1 - theta.U_z, b_z=1 - theta.b_z, b_z_rec=1 - theta.b_z_rec
            ),
            "not 1 - W_z",
        ),
        (lambda theta: theta.arrays(), "should return a GRUParams"),
        (_forgets_return, "returned None"),
        (_raises, "raised AttributeError"),
        (GRUParams.random(1, 1), "should be a function"),
    ],
)


# ------------------------------------------------------------------ 3: proof (sympy)
def _q3_expressions() -> dict[str, Any]:
    import sympy as sp

    a, h, c = sp.symbols("a h c", real=True)

    def sigma(t: Any) -> Any:
        return 1 / (1 + sp.exp(-t))

    return {
        "keep": sigma(a) * h + (1 - sigma(a)) * c,
        "admit_converted": (1 - sigma(-a)) * h + sigma(-a) * c,
        "admit_unconverted": (1 - sigma(a)) * h + sigma(a) * c,
        "odd_sigma": (1 + sigma(a)) * h - sigma(a) * c,  # σ(−a) mistaken for −σ(a)
        "symbols": (a, h, c),
        "exp_a": sp.exp(a),
    }


def _check_q3(answer: Any) -> None:
    import sympy as sp

    if not isinstance(answer, (tuple, list)) or len(answer) != 2:
        raise Incorrect(
            "Give a pair: q3.check((h_admit_conv, difference)), with difference = sp.simplify(h_admit_conv - h_keep)"
        )
    h_admit_conv, difference = answer
    e = _q3_expressions()
    expect_expression(
        h_admit_conv,
        e["keep"],
        e["symbols"],
        name="h_admit_conv",
        wrong={
            "unconverted": (
                e["admit_unconverted"],
                "h_admit_conv is the admit update with the original "
                "pre-activation a, which gives different numbers: the converted gate sees -a, "
                "so z = sigma(-a)",
            ),
            "odd": (
                e["odd_sigma"],
                "σ(−a) is not −σ(a): the sigmoid is not an odd function. Write sigma(-a) "
                "literally and let sympy do the rest",
            ),
        },
    )
    if not h_admit_conv.has(e["exp_a"]):
        raise Incorrect(
            "h_admit_conv must be the admit update with the converted gate z = sigma(-a), "
            "(1 - z) h + z c, written out; what you gave never uses sigma(-a) (it looks like h_keep)"
        )
    if not isinstance(difference, sp.Basic) or isinstance(difference, bool):
        raise Incorrect("difference should be what sp.simplify(h_admit_conv - h_keep) returns, a sympy object")
    if difference != 0:
        raise Incorrect(
            "difference is not sympy's 0 yet: pass h_admit_conv - h_keep through sp.simplify "
            "(or try .rewrite(sp.exp) first); the proof is that sympy reduces it to exactly 0"
        )


q3 = SET.proof(
    "The conversion, symbolically",
    checker=_check_q3,
    hint=[
        "The admit update is (1 − z) h + z c; with the converted gate, z = sigma(-a).",
        "sp.simplify(h_admit_conv - h_keep) should return 0; if it does not, try "
        "sp.simplify((h_admit_conv - h_keep).rewrite(sp.exp)).",
    ],
    solution=(
        "h_admit_conv = (1 - sigma(-a)) * h + sigma(-a) * c\n"
        "difference = sp.simplify(h_admit_conv - h_keep)   # 0: the same update, for every a, h and c"
    ),
    reference=lambda: (_q3_expressions()["admit_converted"], __import__("sympy").Integer(0)),
    wrong_answers=lambda: [
        ((_q3_expressions()["admit_unconverted"], 0), "original pre-activation a"),
        ((_q3_expressions()["odd_sigma"], 0), "not an odd function"),
        ((_q3_expressions()["keep"], __import__("sympy").Integer(0)), "never uses sigma(-a)"),
        (
            (_q3_expressions()["admit_converted"], _q3_expressions()["admit_converted"] - _q3_expressions()["keep"]),
            "not sympy's 0",
        ),
        ((_q3_expressions()["admit_converted"], 0), "a sympy object"),
        (("(1 - sigma(-a))*h + sigma(-a)*c", 0), "should be a sympy expression"),
        ((_q3_expressions()["keep"] + __import__("sympy").Symbol("x"), 0), "uses the symbol(s) ['x']"),
        ((_q3_expressions()["admit_converted"] + 1, 0), "differs from the expected expression"),
        (_q3_expressions()["admit_converted"], "Give a pair"),
    ],
)


# ------------------------------------------------------------------ 4: multiple choice
q4 = SET.choice(
    "What the difference means",
    options={
        "a": (
            "One of the two update equations is wrong.",
            "Both equations are correct: each appears in published work and in major libraries. The same "
            "weights simply mean different things in the two conventions.",
        ),
        "b": (
            "The difference is floating-point rounding.",
            "The gap in this chapter is larger than 0.01, far larger than rounding (around 1e-16 in float64); "
            "and after convert the two runs agree exactly.",
        ),
        "c": (
            "The two read $z$ in opposite ways; negating the update gate's parameters turns one into the "
            "other, so they describe the same family of models.",
            "",
        ),
        "d": (
            "The two runs must have applied the reset gate in different places.",
            'The reset placement was the same ("before") in both runs of this chapter, so it cannot explain '
            "the difference; only the update convention changed.",
        ),
    },
    correct="c",
    hint="Look at what the chapter changed between the run that disagreed and the run that agreed.",
    solution=(
        "c. The two equations read z in opposite ways (the share kept versus the share admitted). Because "
        "σ(−a) = 1 − σ(a), negating the update gate's parameters turns one reading into the other, so every "
        "model of one convention is a model of the other: the same family, different coordinates."
    ),
)

# Points, estimated minutes and the learning objective of each exercise (the instructor's guide and
# the graded mode read them; an objective completes "Students can ...").
SET.plan(
    {
        q1: (2, 10, "run two steps of a one-unit GRU in both conventions: the same weights give different states"),
        q2: (3, 15, "write the conversion between the conventions: negate the update gate's parameters, copy the rest"),
        q3: (3, 20, "prove with sympy that the converted admit update equals the keep update for every input"),
        q4: (1, 5, "explain the disagreement of the two runs as two readings of z, not as an error or rounding"),
    }
)
