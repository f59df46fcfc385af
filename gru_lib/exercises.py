"""Self-checking exercises, in the style of Kaggle Learn: ``q1.check(answer)``, ``q1.hint()``, ``q1.solution()``.

An exercise set for a chapter lives in ``gru_lib/exercise_sets/<chapter>.py`` and defines
``q1``, ``q2``, … as :class:`Exercise` objects. A chapter imports them::

    from gru_lib.exercise_sets.first_run import q1, q2, q3

A student's answer cell starts as a stub, ``answer = ...``; ``q1.check(answer)`` then reports
"not attempted" instead of raising. A code exercise passes a function whose body is still
``...`` (it returns ``None``): also "not attempted". A checker either accepts the answer or
raises :class:`Incorrect` with specific feedback; any other exception in the student's code is
reported as feedback too, never as a traceback.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import numpy as np

NOT_ATTEMPTED = "not attempted"
CORRECT = "correct"
INCORRECT = "incorrect"


class Incorrect(Exception):
    """Raised by a checker with feedback that tells the student what went wrong."""


@dataclasses.dataclass(frozen=True)
class Result:
    """The outcome of a check. Truthy only when correct, so ``assert q1.check(x)`` works."""

    status: str
    message: str

    def __bool__(self) -> bool:
        return self.status == CORRECT

    def _ipython_display_(self) -> None:
        """Show nothing: ``check`` has already printed the feedback."""


def is_stub(answer: Any) -> bool:
    """True for an untouched answer: ``...``, or ``None`` (what a stub function returns)."""
    return answer is ... or answer is None


@dataclasses.dataclass
class Exercise:
    """One exercise: a checker, a hint and a reference solution (shown only on request).

    ``checker(answer)`` returns normally when the answer is right and raises :class:`Incorrect`
    with feedback otherwise. ``solution_text`` is what ``solution()`` prints (code or a model
    answer). ``kind`` is one of ``"numeric"``, ``"code"``, ``"proof"``, ``"conceptual"``.
    ``reference`` and ``wrong_answers`` let the test suite check every exercise generically:
    the reference must pass, each wrong answer must fail with its intended feedback.
    """

    name: str
    checker: Callable[[Any], None]
    hint_text: str
    solution_text: str
    kind: str = "numeric"
    #: Produces a correct answer (a value, or a function for code exercises); the tests use it.
    reference: Callable[[], Any] | None = None
    #: Produces known wrong answers, each with a phrase its feedback must contain; the tests use it.
    wrong_answers: Callable[[], list[tuple[Any, str]]] | None = None

    def check(self, answer: Any = ...) -> Result:
        """Check ``answer``, print specific feedback and return a :class:`Result`."""
        result = self.evaluate(answer)
        symbol = {CORRECT: "✓ Correct", INCORRECT: "✗ Not yet", NOT_ATTEMPTED: "○ Not attempted"}[result.status]
        print(f"{self.name}: {symbol}. {result.message}")
        return result

    def evaluate(self, answer: Any = ...) -> Result:
        """Like :meth:`check`, without printing."""
        if is_stub(answer):
            return Result(NOT_ATTEMPTED, "Replace the ... with your answer, run the cell, then check again.")
        try:
            self.checker(answer)
        except Incorrect as exc:
            return Result(INCORRECT, str(exc))
        except Exception as exc:  # the student's code failed: report it as feedback
            return Result(INCORRECT, f"Your answer raised {type(exc).__name__}: {exc}")
        return Result(CORRECT, "Well done.")

    def hint(self) -> None:
        """Print the hint."""
        print(f"Hint for {self.name}: {self.hint_text}")

    def solution(self) -> None:
        """Print the reference solution or model answer."""
        print(f"Solution for {self.name}:\n{self.solution_text}")


# ------------------------------------------------------------------ checker helpers
def expect_array(answer: Any, expected: np.ndarray, *, name: str = "your answer",
                 rtol: float = 1e-6, atol: float = 1e-9,
                 wrong: dict[str, tuple[np.ndarray, str]] | None = None) -> None:
    """Raise :class:`Incorrect` unless ``answer`` equals ``expected`` within tolerance.

    ``wrong`` maps a label to ``(value, feedback)`` for known wrong answers (for example the
    value the other convention gives); matching one of them raises with that feedback.
    """
    try:
        got = np.asarray(answer, dtype=float)
    except (TypeError, ValueError) as exc:
        raise Incorrect(f"{name} should be a number or an array of numbers; got {type(answer).__name__}") from exc
    expected = np.asarray(expected, dtype=float)
    if got.shape != expected.shape:
        raise Incorrect(f"{name} should have shape {expected.shape}; got shape {got.shape}")
    if np.allclose(got, expected, rtol=rtol, atol=atol):
        return
    for value, feedback in (wrong or {}).values():
        if np.allclose(got, np.asarray(value, dtype=float), rtol=rtol, atol=atol):
            raise Incorrect(feedback)
    raise Incorrect(f"{name} is off by up to {np.max(np.abs(got - expected)):.3g}. Check each step again.")


def expect_choice(answer: Any, correct: str, *, options: dict[str, str]) -> None:
    """Multiple choice: ``options`` maps each letter to the feedback for choosing it."""
    if not isinstance(answer, str) or answer.strip().lower() not in options:
        raise Incorrect(f"Answer with one of the letters {sorted(options)}; got {answer!r}")
    key = answer.strip().lower()
    if key != correct:
        raise Incorrect(options[key])
