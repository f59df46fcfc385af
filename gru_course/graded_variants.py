"""Per-student variants of the graded assignments: the numbers a student sees, never the answers.

This module is shipped beside every graded student notebook (``make assignments`` copies it as
``graded_variants.py``), so it imports nothing but the standard library and holds no reference
values: it draws each student's parameters from a hash of ``(student id, chapter, exercise)``,
writes the question text with those numbers, shuffles the letters of multiple-choice options,
and records a student's answers as the answer cells run. The references are computed from the
same parameters by :mod:`gru_course.graded`, which only the autograder holds.

Usage in a graded notebook::

    from graded_variants import show_question, record
    STUDENT_ID = "s1234567"
    p = show_question(STUDENT_ID, "first_run", 1)   # shows the text with this student's numbers
    ...
    record("q1", answer_1)                          # the answer the autograder grades
"""

from __future__ import annotations

import copy
import hashlib
import math
import random
from collections.abc import Callable, Sequence
from typing import Any

#: Answers recorded by :func:`record`, by question name ("q1"), as they were when the cell ran.
ANSWERS: dict[str, Any] = {}


def rng_for(student_id: str, chapter: str, position: int) -> random.Random:
    """A random generator seeded by the student id, the chapter and the exercise's position."""
    if not isinstance(student_id, str) or not student_id.strip():
        raise ValueError(f"student_id must be a non-empty string (your student id); got {student_id!r}")
    key = f"{student_id.strip()}|{chapter}|{position}".encode()
    return random.Random(int.from_bytes(hashlib.sha256(key).digest()[:8], "big"))


def _pick(rng: random.Random, values: Sequence[float]) -> float:
    return values[rng.randrange(len(values))]


def _tenths(rng: random.Random, low: float, high: float, *, nonzero: bool = False) -> float:
    """A number with one decimal in [low, high] (never 0 when ``nonzero``)."""
    while True:
        value = round(rng.randint(round(10 * low), round(10 * high)) / 10, 1)
        if not (nonzero and value == 0.0):
            return value


# ------------------------------------------------------------------ the varied exercises
def _first_run_1(rng: random.Random) -> dict[str, Any]:
    w = {
        "w_z": _tenths(rng, 0.5, 1.5),
        "u_z": _tenths(rng, -2.5, -1.0),
        "b_z": _tenths(rng, 0.2, 0.8),
        "w_r": _tenths(rng, 0.2, 0.8),
        "u_r": _tenths(rng, 0.5, 1.5),
        "b_r": 0.0,
        "w_h": _tenths(rng, 1.5, 2.5),
        "u_h": _tenths(rng, 1.0, 2.0),
        "b_h": 0.0,
    }
    return {"weights": w, "inputs": (_tenths(rng, 0.5, 1.5), _tenths(rng, -1.0, -0.3))}


def _first_run_1_text(p: dict[str, Any]) -> str:
    w, (x1, x2) = p["weights"], p["inputs"]
    return (
        "A GRU with one input and one hidden unit has the scalar weights "
        f"$w_z = {w['w_z']:g}$, $u_z = {w['u_z']:g}$, $b_z = {w['b_z']:g}$ (update gate), "
        f"$w_r = {w['w_r']:g}$, $u_r = {w['u_r']:g}$, $b_r = {w['b_r']:g}$ (reset gate) and "
        f"$w_h = {w['w_h']:g}$, $u_h = {w['u_h']:g}$, $b_h = {w['b_h']:g}$ (candidate, reset applied before "
        f"$u_h$). Starting from $h_0 = 0$ it reads $x_1 = {x1:g}$ and then $x_2 = {x2:g}$. Compute $h_2$ once "
        "with the keep update and once with the admit update, using these same weights for both, to at "
        "least 4 significant figures. `p['weights']` and `p['inputs']` hold these numbers."
    )


def _anatomy_1(rng: random.Random) -> dict[str, Any]:
    return {"D": rng.randint(3, 9), "H": rng.randint(4, 16)}


def _anatomy_1_text(p: dict[str, Any]) -> str:
    return (
        f"A GRU layer reads inputs of size $D = {p['D']}$ and has $H = {p['H']}$ hidden units. How many "
        "parameters does it have with one bias per gate (gru_lib's layout without recurrent biases), and "
        "how many in PyTorch's layout, which keeps a second bias per gate? Give the two counts as whole "
        "numbers, `(one_bias, pytorch)`."
    )


def _two_updates_4(rng: random.Random) -> dict[str, Any]:
    return {"z": _pick(rng, (0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9)), "steps": rng.randint(3, 6)}


def _two_updates_4_text(p: dict[str, Any]) -> str:
    return (
        f"A one-unit GRU has a constant update gate $z = {p['z']:g}$ and a candidate that is always 0. "
        f"Starting from $h_0 = 1$, what is $h_{{{p['steps']}}}$ after {p['steps']} steps, in the keep "
        "convention and in the admit convention? Give `(h_keep, h_admit)` to 4 significant figures."
    )


def _training_1(rng: random.Random) -> dict[str, Any]:
    return {"bias": _pick(rng, (1.5, 2.0, 2.5, 3.0)), "updates": rng.randint(10, 20)}


def _training_1_text(p: dict[str, Any]) -> str:
    return (
        f"The update gate's bias is $b_z = +{p['bias']:g}$ and the input and the state are 0 after the first "
        f"step. Which share of the first step's state survives the {p['updates']} updates that follow, in the "
        "keep and in the admit convention? Give `(keep, admit)` to 4 significant figures."
    )


def _why_keep_1(rng: random.Random) -> dict[str, Any]:
    return {"bias": _pick(rng, (1.0, 1.5, 2.0, 2.5, 3.0, 3.5))}


def _why_keep_1_text(p: dict[str, Any]) -> str:
    return (
        f"With the update gate's bias $b_z = {p['bias']:g}$ (and zero weights), for how many whole steps "
        "n ≥ 1 does the kept share of a pulse, raised to the n-th power, stay at or above ½? Give "
        "`(memory_keep, memory_admit)` as whole numbers."
    )


def _floats_2(rng: random.Random) -> dict[str, Any]:
    return {"a": float(rng.randint(25, 35))}


def _floats_2_text(p: dict[str, Any]) -> str:
    a = p["a"]
    return (
        f"In float64, compute $1 - \\sigma({a:g})$ and compare it with an accurate $\\sigma(-{a:g})$ "
        f"(such as `gru_lib.sigmoid(-{a:g})`). What is the relative error "
        f"$|(1 - \\sigma({a:g})) - \\sigma(-{a:g})| / \\sigma(-{a:g})$? Give `rel` to 4 significant figures."
    )


def _retention_2(rng: random.Random) -> dict[str, Any]:
    """b_z of either sign, away from a half-life that is (nearly) a whole number of steps."""
    while True:
        bias = _tenths(rng, 1.5, 3.5) * rng.choice((1, -1))
        kept = 1.0 / (1.0 + math.exp(-abs(bias)))
        half_life = math.log(0.5) / math.log(kept)
        if 0.1 < half_life % 1.0 < 0.9:
            return {"b_z": bias, "w_z": _tenths(rng, -5.0, -3.0)}


def _retention_2_text(p: dict[str, Any]) -> str:
    return (
        "The pulse unit of Demo 2, now with $b_z = " + f"{p['b_z']:g}$ and $w_z = {p['w_z']:g}$: one input, one "
        "hidden unit, update gate $z = \\sigma(w_z x + b_z)$, candidate $\\tanh(3x)$, every other weight and "
        "bias 0, $h_0 = 0$, reset before. It reads a pulse $x = 1$ at one step and $x = 0$ at every step "
        "after it. For how many steps after the pulse does $|h_t|$ stay at least half of its value at the "
        "pulse, in the keep convention and in the admit convention (same weights)? Answer with a pair of "
        "whole numbers `(steps_keep, steps_admit)`."
    )


def _proof_2(rng: random.Random) -> dict[str, Any]:
    return {"seed": rng.randint(1, 999), "input_seed": rng.randint(1, 999), "steps": rng.randint(4, 8)}


def _proof_2_text(p: dict[str, Any]) -> str:
    return (
        "Someone converts a keep model to the admit convention by negating the update gate's bias $b_z$ "
        "only, leaving $W_z$ and $U_z$ as they are. Take the model "
        f"`theta = GRUParams.random(input_size=3, hidden_size=4, seed={p['seed']})` and the inputs "
        f"`xs = np.random.default_rng({p['input_seed']}).normal(size=({p['steps']}, 1, 3))` (reset before). "
        "How far off is the admit run? Give `gap`, the largest absolute difference between the two runs' "
        "hidden states over all steps and units, to at least 4 significant figures. `p` holds these numbers."
    )


def _training_2(rng: random.Random) -> dict[str, Any]:
    return {
        "seed": rng.randint(1, 999),
        "lr": _pick(rng, (0.2, 0.25, 0.3, 0.4, 0.5)),
        "decay": _pick(rng, (0.05, 0.1, 0.15, 0.2)),
        "steps": rng.randint(3, 6),
    }


def _training_2_text(p: dict[str, Any]) -> str:
    s = p["seed"]
    return (
        "Does L2 weight decay commute with the conversion $\\varphi$? Show it by running both. Build "
        f"`wd_theta = GRUParams.random(input_size=3, hidden_size=4, seed={s}, scale=1.0)`, "
        f"`wd_readout = Readout.random(4, seed={s + 1})` (`Readout` and `loss_and_grads` come from "
        f"`gru_lib.backprop`) and, with "
        f"`rng = np.random.default_rng({s + 2})`, `wd_xs = rng.normal(size=(6, 8, 3))` and then "
        "`wd_targets = rng.normal(size=(8, 1))`. Train the keep GRU from `wd_theta` and the admit GRU from "
        f"`convert(wd_theta)` for {p['steps']} steps of "
        f"$\\theta \\leftarrow \\theta - {p['lr']:g}\\,(g + {p['decay']:g}\\,\\theta)$, with "
        '`loss_and_grads(params, wd_readout, wd_xs, wd_targets, update=..., reset="before")` for $g$ and '
        "the readout held fixed. Give `(gap, norm_admit)`: the largest "
        "$|\\varphi(\\theta_\\mathrm{keep}) - \\theta_\\mathrm{admit}|$ over all fields (a gap below "
        "$10^{-12}$ counts as 0) and the Euclidean norm of all of $\\theta_\\mathrm{admit}$'s parameters "
        "after training, to at least 4 significant figures. `p` holds these numbers."
    )


def _frameworks_3(rng: random.Random) -> dict[str, Any]:
    """b_h, b_h_rec and x with a reset-after pre-activation b_h + σ(x) b_h_rec away from 0."""
    while True:
        p = {"b_h": _tenths(rng, 0.5, 1.5), "b_h_rec": _tenths(rng, -4.0, -2.0), "x": _tenths(rng, -1.0, 1.0)}
        if abs(p["b_h"] + p["b_h_rec"] / (1.0 + math.exp(-p["x"]))) > 0.2:
            return p


def _frameworks_3_text(p: dict[str, Any]) -> str:
    return (
        "For the one-unit GRU of the proposition ($z = \\tfrac12$, $r = \\sigma(x)$, "
        f"$b_h = {p['b_h']:g}$, $b_h^{{\\mathrm{{rec}}}} = {p['b_h_rec']:g}$, all other weights 0, "
        f"$h_0 = 0$), compute $h_1$ at $x = {p['x']:g}$ with reset after and with reset before (same "
        "weights, keep convention), to at least 4 significant figures. Give `(h1_after, h1_before)`."
    )


def _floats_1(rng: random.Random) -> dict[str, Any]:
    return {"w": _tenths(rng, 0.5, 3.0), "b": _tenths(rng, -3.0, 3.0)}


def _floats_1_text(p: dict[str, Any]) -> str:
    return (
        f"A gate's pre-activation is $a = {p['w']:g}\\,x {'+' if p['b'] >= 0 else '-'} {abs(p['b']):g}$. "
        "Below which $x$ does $1 - \\sigma(-a)$, computed in float32, return exactly 0? Derive it from the "
        "unit roundoff (do not use `zero_threshold`) and give `threshold` (a value of $x$) to at least 4 "
        "significant figures."
    )


#: (chapter, position) -> (draw the parameters, write the question text).
VARIANTS: dict[tuple[str, int], tuple[Callable[[random.Random], dict[str, Any]], Callable[[dict[str, Any]], str]]] = {
    ("first_run", 1): (_first_run_1, _first_run_1_text),
    ("anatomy", 1): (_anatomy_1, _anatomy_1_text),
    ("two_updates", 4): (_two_updates_4, _two_updates_4_text),
    ("training", 1): (_training_1, _training_1_text),
    ("retention", 2): (_retention_2, _retention_2_text),
    ("proof", 2): (_proof_2, _proof_2_text),
    ("training", 2): (_training_2, _training_2_text),
    ("why_keep", 1): (_why_keep_1, _why_keep_1_text),
    ("frameworks", 3): (_frameworks_3, _frameworks_3_text),
    ("floats", 1): (_floats_1, _floats_1_text),
    ("floats", 2): (_floats_2, _floats_2_text),
}


def parameters(student_id: str, chapter: str, position: int) -> dict[str, Any]:
    """This student's parameters of a varied exercise (``{}`` for an exercise that is not varied)."""
    entry = VARIANTS.get((chapter, position))
    return entry[0](rng_for(student_id, chapter, position)) if entry else {}


def question_text(student_id: str, chapter: str, position: int) -> str:
    """The question text with this student's numbers (``""`` for an exercise that is not varied)."""
    entry = VARIANTS.get((chapter, position))
    return entry[1](parameters(student_id, chapter, position)) if entry else ""


def letter_order(student_id: str, chapter: str, position: int, letters: Sequence[str]) -> list[str]:
    """The book's option letters in the order this student sees them: shown letter ``i`` is ``order[i]``."""
    order = sorted(letters)
    rng_for(student_id, chapter, position).shuffle(order)
    return order


def show_question(student_id: str, chapter: str, position: int) -> dict[str, Any]:
    """Display this student's question text (in Jupyter as Markdown) and return its parameters."""
    text = question_text(student_id, chapter, position)
    try:
        from IPython.display import Markdown, display

        display(Markdown(text))
    except ImportError:  # plain Python
        print(text)
    return parameters(student_id, chapter, position)


def show_options(student_id: str, chapter: str, position: int, options: dict[str, str]) -> None:
    """Display the options of a multiple-choice exercise in this student's order, lettered a, b, c, …"""
    order = letter_order(student_id, chapter, position, list(options))
    shown = "\n".join(f"- **{chr(97 + i)}** {options[key]}" for i, key in enumerate(order))
    try:
        from IPython.display import Markdown, display

        display(Markdown(shown))
    except ImportError:
        print(shown)


def record(name: str, answer: Any) -> None:
    """Keep a copy of ``answer`` as the answer to question ``name`` (what the autograder grades).

    A later cell that reuses a variable name does not change what was recorded."""
    try:
        ANSWERS[name] = copy.deepcopy(answer)
    except Exception:  # an object that cannot be copied (a generator, a module): keep it as it is
        ANSWERS[name] = answer
