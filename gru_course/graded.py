"""The graded mode: what the autograder runs for each exercise of a chapter.

One graded question per exercise of ``gru_course.sets.<chapter>``, named ``q1``, ``q2``, … after
its position, with one fixed answer variable (``answer_1``, …), its points (the exercise's
``points``, default 1) and a time limit (its ``time_limit``). :func:`grade` judges a student's
answer with the book's own checkers, always in a forked child process killed after the time limit
(:func:`gru_course.exercises.run_with_time_limit`), so an endless loop or ``sys.exit()`` costs
that question only.

Per-student variants (:mod:`gru_course.graded_variants`): for a varied numeric exercise the
reference is computed from the student's parameters and checked by the book's numeric checker;
the options of a multiple-choice exercise are shuffled per student, and the student's letter is
mapped back to the book's before the book's checker sees it. Every other exercise is graded by its
set's checker unchanged.

Feedback never reveals a number: "right to 3 significant figures, need 4" (which would let a
student find an answer digit by digit through resubmissions) becomes "not right to 4 significant
figures yet".
"""

from __future__ import annotations

import dataclasses
import importlib
import math
import re
from collections.abc import Callable
from typing import Any

from gru_course import graded_variants as variants
from gru_course.exercises import (
    CORRECT,
    NOT_ATTEMPTED,
    Exercise,
    _numeric_checker,
    is_stub,
    run_with_time_limit,
)

#: The message of a question whose answer cell never ran (no recorded answer, no answer variable).
NO_ANSWER = "No answer found: run the answer cell (it records your answer) before you submit."


@dataclasses.dataclass(frozen=True)
class Question:
    """One graded question: exercise ``position`` of ``chapter``."""

    chapter: str
    position: int
    exercise: Exercise

    @property
    def name(self) -> str:
        """Otter's question name, ``q<position>``."""
        return f"q{self.position}"

    @property
    def variable(self) -> str:
        """The one variable the answer cell assigns, ``answer_<position>``."""
        return f"answer_{self.position}"

    @property
    def points(self) -> float:
        return float(getattr(self.exercise, "points", 1))

    @property
    def time_limit(self) -> float:
        return float(self.exercise.time_limit)

    @property
    def varied(self) -> bool:
        """True when the student id changes this question (its numbers or its option order)."""
        return (self.chapter, self.position) in variants.VARIANTS or self.shuffled

    @property
    def shuffled(self) -> bool:
        return self.exercise.kind == "choice" and bool(self.exercise.options) and self.exercise.correct is not None


def questions(chapter: str) -> list[Question]:
    """The graded questions of ``chapter``, in the order its set lists the exercises."""
    module = importlib.import_module(f"gru_course.sets.{chapter}")
    return [Question(chapter, ex.position, ex) for ex in module.SET]


def question(chapter: str, position: int) -> Question:
    found = [q for q in questions(chapter) if q.position == position]
    if not found:
        raise ValueError(f"position must name an exercise of {chapter!r}; got {position!r}")
    return found[0]


# ------------------------------------------------------------------ references of the varied exercises
def _sigma(a: float) -> float:
    return 1.0 / (1.0 + math.exp(-a))


def _scalar_run(p: dict[str, Any], update: str, steps: int, *, use_reset: bool = True) -> float:
    """h after ``steps`` steps of first_run's scalar GRU with this student's weights, by hand."""
    w, h = p["weights"], 0.0
    for x in p["inputs"][:steps]:
        z = _sigma(w["w_z"] * x + w["u_z"] * h + w["b_z"])
        r = _sigma(w["w_r"] * x + w["u_r"] * h + w["b_r"]) if use_reset else 1.0
        c = math.tanh(w["w_h"] * x + w["u_h"] * (r * h) + w["b_h"])
        h = z * h + (1 - z) * c if update == "keep" else (1 - z) * h + z * c
    return h


def _counts(d: int, h: int) -> tuple[int, int]:
    one = 3 * (h * d + h * h + h)
    return one, one + 3 * h


def _memory(kept: float) -> int:
    return math.floor(math.log(0.5) / math.log(kept))


def _floats_rel(a: float) -> tuple[float, float]:
    import mpmath

    computed = 1.0 - 1.0 / (1.0 + math.exp(-a))
    with mpmath.workdps(50):
        exact = float(1 / (1 + mpmath.exp(a)))
    return abs(computed - exact) / exact, abs(computed - exact)


# The references below run gru_lib itself on this student's numbers (none is copied from a set).
def _pulse_steps(p: dict[str, Any], update: str, kept_share: bool = False) -> int:
    """Whole steps after the pulse with |h_t| >= |h_pulse| / 2: gru_lib.run on the pulse unit."""
    import numpy as np

    from gru_lib import GRUParams, run

    theta = GRUParams.zeros(1, 1).replace(W_z=[[p["w_z"]]], b_z=[p["b_z"]], W_h=[[3.0]])
    xs = np.zeros((80, 1, 1))
    xs[0, 0, 0] = 1.0
    h = np.abs(run(theta, xs, update=update, reset="before").h[:, 0, 0])
    after = h[1:] >= 0.5 * h[0]
    return int(np.argmin(after)) if not after.all() else len(after)


def _proof_gap(p: dict[str, Any], negate: tuple[str, ...]) -> float:
    """max |h_keep(θ) − h_admit(θ with ``negate`` negated)| with gru_lib.run_textbook."""
    import numpy as np

    from gru_lib import GRUParams
    from gru_lib.textbook import run_textbook

    theta = GRUParams.random(input_size=3, hidden_size=4, seed=p["seed"])
    xs = np.random.default_rng(p["input_seed"]).normal(size=(p["steps"], 1, 3))
    keep = run_textbook(theta, xs, update="keep", reset="before")
    admit = run_textbook(theta.replace(**{f: -getattr(theta, f) for f in negate}), xs, update="admit", reset="before")
    return float(np.max(np.abs(keep - admit)))


def _decay_values(p: dict[str, Any], decay: float | None = None) -> dict[str, float]:
    """Train keep from θ and admit from φ(θ) with weight decay (gru_lib's gradients); the gap and norms."""
    import numpy as np

    from gru_lib import GRUParams
    from gru_lib.backprop import Readout, loss_and_grads
    from gru_lib.params import UPDATE_GATE_FIELDS

    decay = p["decay"] if decay is None else decay
    theta = GRUParams.random(input_size=3, hidden_size=4, seed=p["seed"], scale=1.0)
    readout = Readout.random(4, seed=p["seed"] + 1)
    rng = np.random.default_rng(p["seed"] + 2)
    xs, targets = rng.normal(size=(6, 8, 3)), rng.normal(size=(8, 1))

    def flip(arrays: dict[str, Any]) -> dict[str, Any]:
        return {k: (-v if k in UPDATE_GATE_FIELDS else v) for k, v in arrays.items()}

    def train(update: str, arrays: dict[str, Any]) -> dict[str, Any]:
        for _ in range(p["steps"]):
            params = GRUParams.from_arrays(arrays)
            grads = loss_and_grads(params, readout, xs, targets, update=update, reset="before")[1]
            arrays = {k: a - p["lr"] * (grads[k] + decay * a) for k, a in arrays.items()}
        return arrays

    start = theta.arrays()
    keep, admit = train("keep", start), train("admit", flip(start))
    return {
        "gap": max(float(np.max(np.abs(flip(keep)[k] - admit[k]))) for k in keep),
        "unconverted_gap": max(float(np.max(np.abs(keep[k] - admit[k]))) for k in keep),
        "norm": math.sqrt(sum(float(np.sum(a**2)) for a in admit.values())),
        "norm_start": math.sqrt(sum(float(np.sum(a**2)) for a in start.values())),
    }


def _counterexample(p: dict[str, Any], reset: str, *, b_h_rec: float | None = None) -> float:
    """h_1 of the one-unit GRU (z = ½, r = σ(x), b_h, b_h_rec) at this student's x, with gru_lib.run."""
    import numpy as np

    from gru_lib import GRUParams, run

    rec = p["b_h_rec"] if b_h_rec is None else b_h_rec
    zero = GRUParams.zeros(1, 1)
    theta = zero.replace(W_r=[[1.0]], b_h=[p["b_h"]], b_z_rec=[0.0], b_r_rec=[0.0], b_h_rec=[rec])
    return float(run(theta, np.full((1, 1, 1), p["x"]), update="keep", reset=reset).h[0, 0, 0])


def _float32_threshold(p: dict[str, Any], dtype: Any = None) -> float:
    """The x below which 1 − σ(−(w x + b)) is 0: e^a ≤ u (the unit roundoff, half numpy's eps)."""
    import numpy as np

    u = float(np.finfo(np.float32 if dtype is None else dtype).eps) / 2
    return (math.log(u) - p["b"]) / p["w"]


Expected = Callable[[dict[str, Any]], tuple[float, ...]]
Wrong = Callable[[dict[str, Any]], list[tuple[tuple[float | None, ...], str]]]

#: (chapter, position) -> (names, expected(p), known wrong answers(p), integer?)
_VARIED: dict[tuple[str, int], tuple[tuple[str, ...], Expected, Wrong, bool]] = {
    ("first_run", 1): (
        ("h2_keep", "h2_admit"),
        lambda p: (_scalar_run(p, "keep", 2), _scalar_run(p, "admit", 2)),
        lambda p: [
            (
                (_scalar_run(p, "admit", 2), _scalar_run(p, "keep", 2)),
                "Your two values are swapped: in keep, z multiplies h_prev; in admit, z multiplies the candidate.",
            ),
            ((_scalar_run(p, "keep", 1), None), "That is h_1, the state after the first input; run one more step."),
            ((None, _scalar_run(p, "admit", 1)), "That is h_1, the state after the first input; run one more step."),
            (
                (_scalar_run(p, "keep", 2, use_reset=False), None),
                "You left out the reset gate: at step 2 the candidate uses u_h (r h_1), not u_h h_1.",
            ),
        ],
        False,
    ),
    ("anatomy", 1): (
        ("one_bias", "pytorch"),
        lambda p: _counts(p["D"], p["H"]),
        lambda p: [
            (_counts(p["D"], p["H"])[::-1], "Your two counts are the right numbers in the wrong order."),
            (
                (3 * (p["H"] * p["D"] + p["H"]), 3 * (p["H"] * p["D"] + 2 * p["H"])),
                "You left out the recurrent matrices U_z, U_r, U_h, each (H, H).",
            ),
            (
                tuple(c // 3 for c in _counts(p["D"], p["H"])),
                "Those are the counts for one gate; a GRU has three blocks (z, r and the candidate).",
            ),
            ((None, _counts(p["D"], p["H"])[0]), "PyTorch keeps two biases per gate, so its count is larger by 3H."),
        ],
        True,
    ),
    ("two_updates", 4): (
        ("h_keep", "h_admit"),
        lambda p: (p["z"] ** p["steps"], (1 - p["z"]) ** p["steps"]),
        lambda p: [
            (
                ((1 - p["z"]) ** p["steps"], p["z"] ** p["steps"]),
                "Swapped: in keep the kept share is z, in admit it is 1 − z.",
            ),
            ((p["z"], 1 - p["z"]), "That is h_1; the share is applied once per step."),
        ],
        False,
    ),
    ("training", 1): (
        ("keep", "admit"),
        lambda p: (_sigma(p["bias"]) ** p["updates"], _sigma(-p["bias"]) ** p["updates"]),
        lambda p: [
            (
                (_sigma(-p["bias"]) ** p["updates"], _sigma(p["bias"]) ** p["updates"]),
                "The two are swapped: in keep the kept share is z = σ(b_z), in admit it is 1 − z = σ(−b_z).",
            ),
            (
                (_sigma(p["bias"]), _sigma(-p["bias"])),
                "That is the share kept by one update; raise it to the number of updates.",
            ),
        ],
        False,
    ),
    ("retention", 2): (
        ("steps_keep", "steps_admit"),
        lambda p: (_pulse_steps(p, "keep"), _pulse_steps(p, "admit")),
        lambda p: [
            (
                (_pulse_steps(p, "admit"), _pulse_steps(p, "keep")),
                "Swapped: in keep the kept share is z = σ(b_z), in admit it is 1 − z = σ(−b_z).",
            ),
            (
                (_pulse_steps(p, "keep") + 1, _pulse_steps(p, "admit") + 1),
                "One too many: at step ⌈t½⌉ the state is already below half. Count steps n with k**n ≥ ½.",
            ),
        ],
        True,
    ),
    ("proof", 2): (
        ("gap",),
        lambda p: (_proof_gap(p, ("b_z",)),),
        lambda p: [
            ((0.0,), "Zero is the gap after the full conversion (W_z, U_z and b_z negated). Negate b_z alone."),
            (
                (_proof_gap(p, ()),),
                "That is the gap with no parameter negated at all; negate b_z before the admit run.",
            ),
            (
                (_proof_gap(p, ("W_z", "U_z")),),
                "That is the gap when W_z and U_z are negated but b_z is not: the other half-way fix.",
            ),
        ],
        False,
    ),
    ("training", 2): (
        ("gap", "norm_admit"),
        lambda p: (_decay_values(p)["gap"], _decay_values(p)["norm"]),
        lambda p: [
            (
                (_decay_values(p)["unconverted_gap"], None),
                "That gap compares θ_keep with θ_admit directly; their update gates have opposite signs. "
                "Compare convert(θ_keep) with θ_admit.",
            ),
            ((None, _decay_values(p)["norm_start"]), "norm_admit is the norm before training; take it after training."),
            (
                (None, _decay_values(p, decay=0.0)["norm"]),
                "norm_admit is the norm after training without weight decay: add decay * θ to every gradient.",
            ),
        ],
        False,
    ),
    ("why_keep", 1): (
        ("memory_keep", "memory_admit"),
        lambda p: (_memory(_sigma(p["bias"])), _memory(1 - _sigma(p["bias"]))),
        lambda p: [
            (
                (_memory(1 - _sigma(p["bias"])), _memory(_sigma(p["bias"]))),
                "Swapped: with a positive b_z the gate z is the kept share in keep, so keep remembers longer.",
            )
        ],
        True,
    ),
    ("frameworks", 3): (
        ("h1_after", "h1_before"),
        lambda p: (_counterexample(p, "after"), _counterexample(p, "before")),
        lambda p: [
            (
                (_counterexample(p, "before"), _counterexample(p, "after")),
                "Your two values are swapped: with reset after, r multiplies b_h_rec.",
            ),
            (
                (2 * _counterexample(p, "after"), None),
                "You left out the update gate: z = σ(0) = 1/2, so h_1 = (1 − z) · h̃ is half the candidate.",
            ),
            (
                (None, 2 * _counterexample(p, "before")),
                "You left out the update gate: z = σ(0) = 1/2, so h_1 = (1 − z) · h̃ is half the candidate.",
            ),
            (
                (_counterexample(p, "after", b_h_rec=0.0), None),
                "Your h1_after ignores b_h_rec: with reset after it enters as r · b_h_rec = σ(x) · b_h_rec.",
            ),
        ],
        False,
    ),
    ("floats", 1): (
        ("threshold",),
        lambda p: (_float32_threshold(p),),
        lambda p: [
            (
                (_float32_threshold(p, "float64"),),
                "That is the float64 threshold (from u = 2⁻⁵³). In float32 the unit roundoff is u = 2⁻²⁴.",
            ),
            (
                ((math.log(2.0**-23) - p["b"]) / p["w"],),
                "That uses ln ε with ε = 2⁻²³, the gap between 1 and the next float. 1 + e^a rounds back to 1 "
                "as soon as e^a ≤ ε/2 = u.",
            ),
            ((math.log(2.0**-24),), "That is the threshold of the pre-activation a; solve a = w x + b for x."),
        ],
        False,
    ),
    ("floats", 2): (
        ("rel",),
        lambda p: (_floats_rel(p["a"])[0],),
        lambda p: [
            ((0.0,), "0 would mean the subtraction is exact; compare with an accurate σ(−a), not with itself."),
            ((_floats_rel(p["a"])[1],), "That is the absolute error; divide it by σ(−a)."),
        ],
        False,
    ),
}


def _varied_checker(chapter: str, position: int, student_id: str) -> Callable[[Any], None]:
    names, expected, wrong, integer = _VARIED[(chapter, position)]
    p = variants.parameters(student_id, chapter, position)
    atol = 0.0 if (chapter, position) == ("floats", 2) else 1e-12
    return _numeric_checker(lambda: expected(p), names, lambda: wrong(p), 4, atol, integer)


def _shuffled_checker(q: Question, student_id: str) -> Callable[[Any], None]:
    from gru_course.exercises import choice_key

    order = variants.letter_order(student_id, q.chapter, q.position, list(q.exercise.options or {}))
    book_checker = q.exercise.checker

    def check(answer: Any) -> None:
        key = choice_key(answer)
        if key is not None and len(key) == 1 and 0 <= ord(key) - 97 < len(order):
            answer = order[ord(key) - 97]  # the letter this student saw -> the book's letter
        book_checker(answer)

    return check


def checker(chapter: str, position: int, student_id: str) -> Callable[[Any], None]:
    """The checker of exercise ``position`` of ``chapter`` for this student (raises ``Incorrect``)."""
    q = question(chapter, position)
    if (chapter, position) in _VARIED:
        return _varied_checker(chapter, position, student_id)
    if q.shuffled:
        return _shuffled_checker(q, student_id)
    return q.exercise.checker


def reference(chapter: str, position: int, student_id: str) -> Any:
    """A correct answer for this student (used only by the instructor's master notebook and the tests)."""
    q = question(chapter, position)
    if (chapter, position) in _VARIED:
        names, expected, _, integer = _VARIED[(chapter, position)]
        values = expected(variants.parameters(student_id, chapter, position))
        values = tuple(round(v) for v in values) if integer else values
        return values[0] if len(names) == 1 else values
    answer = q.exercise.reference()
    if q.shuffled:
        order = variants.letter_order(student_id, chapter, position, list(q.exercise.options or {}))
        return chr(97 + order.index(answer))
    return answer


_FIGURES = re.compile(r"is right to \d+ significant figures?, need (\d+)")


def hide_numbers(message: str) -> str:
    """Feedback without the count of right figures (which would reveal a number digit by digit)."""
    return _FIGURES.sub(r"is not right to \1 significant figures yet", message)


def grade(chapter: str, position: int, student_id: str, answer: Any) -> tuple[str, str]:
    """``(status, feedback)`` of ``answer``; the check runs in a forked child under the time limit."""
    if is_stub(answer):
        return NOT_ATTEMPTED, "Not attempted: replace the ... in the answer cell and run it."
    q = question(chapter, position)
    status, message = run_with_time_limit(checker(chapter, position, student_id), answer, q.time_limit)
    return status, hide_numbers(message)


def score(chapter: str, position: int, student_id: str, answer: Any) -> tuple[float, str]:
    """``(points earned, feedback)``: all the points when correct, none otherwise."""
    status, message = grade(chapter, position, student_id, answer)
    return (question(chapter, position).points if status == CORRECT else 0.0), message


# ------------------------------------------------------------------ what an Otter test calls
def student_id(env: dict[str, Any]) -> str:
    """The ``STUDENT_ID`` the notebook set (a non-empty string), else ``AssertionError``."""
    sid = env.get("STUDENT_ID")
    if not isinstance(sid, str) or not sid.strip():
        raise AssertionError("Set STUDENT_ID (your student id, as a string) in the first cell and run every cell.")
    return sid.strip()


def submitted_answer(env: dict[str, Any], q: Question) -> Any:
    """The answer as the answer cell recorded it (``record``), else the answer variable, else ``...``.

    The recorded copy is what the cell computed, so a later cell that reuses a variable name does
    not change the answer that is graded."""
    import sys

    recorder = sys.modules.get("graded_variants")
    recorded = getattr(recorder, "ANSWERS", None)
    if isinstance(recorded, dict) and q.name in recorded:
        return recorded[q.name]
    return env.get(q.variable, ...)


def autograde(env: dict[str, Any], chapter: str, position: int) -> None:
    """The hidden Otter test of one question: returns when the answer is right, else raises
    ``AssertionError`` with the book's feedback (which Otter shows the student)."""
    q = question(chapter, position)
    sid = student_id(env)
    changed = changed_library()
    if changed:
        raise AssertionError(f"{q.exercise.name}: the notebook replaced part of gru_lib ({', '.join(changed[:3])}).")
    answer = submitted_answer(env, q)
    if answer is ... and q.variable not in env:
        raise AssertionError(NO_ANSWER)
    status, message = grade(chapter, position, sid, answer)
    if status != CORRECT:
        raise AssertionError(f"{q.exercise.name}: {message}")


def changed_library() -> list[str]:
    """The functions and methods of the loaded ``gru_lib`` modules that differ from their source files.

    The checkers use gru_lib (its classes must stay the ones the student's answers are made of, so
    the library is not re-imported); a notebook that replaced one of its functions, say
    ``gru_lib.cell.step``, could change what a checker expects. Each module's file is compiled
    afresh and every function (and every method of every class) defined there is compared, by its
    code, with the one in use."""
    import inspect
    import sys

    def code_of(obj: Any) -> Any:
        obj = obj.fget if isinstance(obj, property) else getattr(obj, "__func__", obj)
        try:
            obj = inspect.unwrap(obj)
        except ValueError:
            return None
        return getattr(obj, "__code__", None)

    changed = []
    for name, module in sorted(sys.modules.items()):
        path = getattr(module, "__file__", None)
        if name.split(".")[0] != "gru_lib" or not path or not path.endswith(".py"):
            continue
        with open(path, encoding="utf-8") as f:
            tree = compile(f.read(), path, "exec")
        for code in tree.co_consts:
            if not hasattr(code, "co_code") or code.co_name.startswith("<"):
                continue
            current = vars(module).get(code.co_name)
            if isinstance(current, type):  # a class: compare each method its body defines
                for method in code.co_consts:
                    if hasattr(method, "co_code") and not method.co_name.startswith("<"):
                        now = code_of(vars(current).get(method.co_name))
                        if now is not None and now != method:
                            changed.append(f"{name}.{code.co_name}.{method.co_name}")
            elif code_of(current) != code:
                changed.append(f"{name}.{code.co_name}")
        for attr in getattr(module, "__all__", []):  # a package's re-exports: still the originals?
            value = getattr(module, attr, None)
            if not callable(value):
                continue
            home_name = getattr(value, "__module__", "") or ""
            home = sys.modules.get(home_name)
            if not home_name.startswith("gru_lib") or home is None or getattr(home, attr, None) is not value:
                changed.append(f"{name}.{attr}")
    return changed
