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


#: (chapter, position) -> (draw the parameters, write the question text).
VARIANTS: dict[tuple[str, int], tuple[Callable[[random.Random], dict[str, Any]], Callable[[dict[str, Any]], str]]] = {
    ("first_run", 1): (_first_run_1, _first_run_1_text),
    ("anatomy", 1): (_anatomy_1, _anatomy_1_text),
    ("two_updates", 4): (_two_updates_4, _two_updates_4_text),
    ("training", 1): (_training_1, _training_1_text),
    ("why_keep", 1): (_why_keep_1, _why_keep_1_text),
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
