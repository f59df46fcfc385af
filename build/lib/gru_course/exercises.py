"""Self-checking exercises, in the style of Kaggle Learn: ``q1.check(answer)``, ``q1.hint()``, ``q1.solution()``.

An exercise set for a chapter lives in ``gru_course/sets/<chapter>.py`` and defines
``q1``, ``q2``, … as :class:`Exercise` objects. A chapter imports them::

    from gru_course.sets.first_run import q1, q2, q3

A student's answer cell starts as a stub, ``answer = ...``; ``q1.check(answer)`` then reports
"not attempted" instead of raising. So does a function whose body is still ``...`` (or
``pass``), and a tuple or list of answers that are all still ``...``; a tuple with only some
parts filled in gets feedback naming the part still missing.

A checker either accepts the answer or raises :class:`Incorrect` with specific feedback (or
:class:`NotAttempted`, for example when a student's function returns ``None``); any other
exception, raised by the student's code, is reported as feedback too, never as a traceback.

Helpers for writing checkers: :func:`expect_number`, :func:`expect_array` (numbers and arrays, with feedback for known
wrong values), :func:`expect_choice` (multiple choice), :func:`expect_expression` (sympy
expressions, compared at random points), :func:`expect_callable` and :func:`call_student`
(code exercises).
"""
from __future__ import annotations

import dataclasses
import dis
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

NOT_ATTEMPTED = "not attempted"
CORRECT = "correct"
INCORRECT = "incorrect"
KINDS = ("numeric", "code", "proof", "conceptual")

_STUB_MESSAGE = "Replace the ... with your answer, run the cell, then check again."
_SYMBOLS = {CORRECT: "✓ Correct", INCORRECT: "✗ Not yet", NOT_ATTEMPTED: "○ Not attempted"}


class Incorrect(Exception):
    """Raised by a checker with feedback that tells the student what went wrong."""


class NotAttempted(Exception):
    """Raised by a checker when the answer is still a stub (say, a function that returns ``None``)."""


@dataclasses.dataclass(frozen=True)
class Result:
    """The outcome of a check. Truthy only when correct, so ``assert q1.check(x)`` works."""

    status: str
    message: str

    def __bool__(self) -> bool:
        return self.status == CORRECT

    def _ipython_display_(self) -> None:
        """Show nothing: ``check`` has already printed the feedback."""


# ------------------------------------------------------------------ stubs
_TRIVIAL_OPS = {"RESUME", "NOP", "CACHE", "COPY_FREE_VARS", "MAKE_CELL", "EXTENDED_ARG"}


def is_stub_function(fn: Any) -> bool:
    """True for a function whose body does nothing but return ``None`` or ``...``.

    That is a body of ``...``, ``pass`` or ``return ...``, with or without a docstring or
    comments: the stub a student has not filled in yet.
    """
    code = getattr(fn, "__code__", None)
    if code is None:
        return False
    ops = [(ins.opname, ins.argval) for ins in dis.get_instructions(code) if ins.opname not in _TRIVIAL_OPS]
    if len(ops) == 1 and ops[0][0] == "RETURN_CONST":  # Python 3.12+
        return ops[0][1] is None or ops[0][1] is ...
    return (len(ops) == 2 and ops[0][0] == "LOAD_CONST" and (ops[0][1] is None or ops[0][1] is ...)
            and ops[1][0] == "RETURN_VALUE")


def _is_single_stub(answer: Any) -> bool:
    if answer is ... or answer is None:
        return True
    if isinstance(answer, np.ndarray) and answer.dtype == object and answer.size:
        return all(a is ... or a is None for a in answer.flat)
    return callable(answer) and is_stub_function(answer)


def is_stub(answer: Any) -> bool:
    """True for an untouched answer.

    ``...``; ``None`` (what a stub function returns); a function whose body is still ``...``;
    or a tuple/list whose every part is one of those.
    """
    if isinstance(answer, (tuple, list)) and answer:
        return all(_is_single_stub(a) for a in answer)
    return _is_single_stub(answer)


def _missing_parts(answer: Any) -> list[int]:
    """1-based positions of the parts of a tuple/list answer that are still stubs."""
    if isinstance(answer, (tuple, list)):
        return [i + 1 for i, a in enumerate(answer) if _is_single_stub(a)]
    return []


# ------------------------------------------------------------------ the exercise
@dataclasses.dataclass
class Exercise:
    """One exercise: a checker, a hint and a reference solution (shown only on request).

    ``checker(answer)`` returns normally when the answer is right and raises :class:`Incorrect`
    with feedback otherwise. ``solution_text`` is what ``solution()`` prints (code or a model
    answer). ``kind`` is one of ``"numeric"``, ``"code"``, ``"proof"``, ``"conceptual"``.
    ``reference`` and ``wrong_answers`` let the test suite check every exercise generically:
    the reference must pass, each wrong answer must fail with its intended feedback.
    ``hint_text`` may be a list of hints, given one more per call to :meth:`hint`.
    """

    name: str
    checker: Callable[[Any], None]
    hint_text: str | Sequence[str]
    solution_text: str
    kind: str = "numeric"
    #: Produces a correct answer (a value, or a function for code exercises); the tests use it.
    reference: Callable[[], Any] | None = None
    #: Produces known wrong answers, each with a phrase its feedback must contain; the tests use it.
    wrong_answers: Callable[[], list[tuple[Any, str]]] | None = None
    _hints_shown: int = dataclasses.field(default=0, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not callable(self.checker):
            raise TypeError(f"Exercise checker must be callable; got {type(self.checker).__name__}")

    def check(self, answer: Any = ...) -> Result:
        """Check ``answer``, print specific feedback and return a :class:`Result`."""
        result = self.evaluate(answer)
        print(f"{self.name}: {_SYMBOLS[result.status]}. {result.message}")
        return result

    def evaluate(self, answer: Any = ...) -> Result:
        """Like :meth:`check`, without printing. Never raises."""
        if is_stub(answer):
            return Result(NOT_ATTEMPTED, _STUB_MESSAGE)
        missing = _missing_parts(answer)
        if missing:
            parts = ", ".join(str(i) for i in missing)
            return Result(INCORRECT, f"Part {parts} of your answer is still ... (or None): fill in every part.")
        try:
            self.checker(answer)
        except NotAttempted as exc:
            return Result(NOT_ATTEMPTED, str(exc) or _STUB_MESSAGE)
        except Incorrect as exc:
            return Result(INCORRECT, str(exc))
        except Exception as exc:  # the student's code failed: report it as feedback
            return Result(INCORRECT, f"Checking your answer raised {type(exc).__name__}: {exc}")
        return Result(CORRECT, "Well done.")

    def hint(self) -> None:
        """Print the hint (for a list of hints: one more each call)."""
        hints = [self.hint_text] if isinstance(self.hint_text, str) else list(self.hint_text)
        shown = min(self._hints_shown + 1, len(hints))
        self._hints_shown = shown
        for i, text in enumerate(hints[:shown], start=1):
            label = f"Hint {i}/{len(hints)}" if len(hints) > 1 else "Hint"
            print(f"{label} for {self.name}: {text}")

    def solution(self) -> None:
        """Print the reference solution or model answer."""
        print(f"Solution for {self.name}:\n{self.solution_text}")

    def __repr__(self) -> str:
        return f"<{self.kind} exercise {self.name!r}: call .check(answer), .hint() or .solution()>"


# ------------------------------------------------------------------ checker helpers
def _as_float_array(answer: Any, name: str) -> np.ndarray:
    if callable(answer):
        raise Incorrect(f"{name} is a function; call it (or give the number it computes) instead")
    if isinstance(answer, (str, bytes)):
        raise Incorrect(f"{name} should be a number or an array of numbers; got the text {answer!r}")
    try:
        got = np.asarray(answer, dtype=float)
    except (TypeError, ValueError) as exc:
        raise Incorrect(f"{name} should be a number or an array of numbers; got {type(answer).__name__}") from exc
    return got


def expect_number(answer: Any, name: str = "your answer") -> float:
    """Return ``answer`` as a float if it is one number (or an array holding exactly one); else :class:`Incorrect`."""
    got = _as_float_array(answer, name)
    if got.size != 1:
        raise Incorrect(f"{name} should be a single number; got an array of shape {got.shape}")
    value = float(got.reshape(()))
    if not np.isfinite(value):
        raise Incorrect(f"{name} is {value}; check for a division by zero or an overflow")
    return value


def expect_array(answer: Any, expected: np.ndarray, *, name: str = "your answer",
                 rtol: float = 1e-6, atol: float = 1e-9,
                 wrong: dict[str, tuple[np.ndarray, str]] | None = None) -> None:
    """Raise :class:`Incorrect` unless ``answer`` equals ``expected`` within tolerance.

    ``wrong`` maps a label to ``(value, feedback)`` for known wrong answers (for example the
    value the other convention gives); matching one of them raises with that feedback.
    A one-element answer is compared with a one-element ``expected`` whatever its shape, so
    ``0.5``, ``[0.5]`` and ``[[0.5]]`` are all accepted for a scalar.
    """
    got = _as_float_array(answer, name)
    expected = np.asarray(expected, dtype=float)
    if got.size == 1 and expected.size == 1:
        got, expected = got.reshape(()), expected.reshape(())
    if got.shape != expected.shape:
        extra = ""
        if got.ndim == 2 and got.T.shape == expected.shape:
            extra = " (it looks transposed)"
        elif got.squeeze().shape == expected.squeeze().shape:
            extra = " (the same numbers of entries, with extra axes of size 1: index or squeeze them away)"
        raise Incorrect(f"{name} should have shape {expected.shape}; got shape {got.shape}{extra}")
    if not np.all(np.isfinite(got)):
        raise Incorrect(f"{name} contains NaN or infinity; check for a division by zero or an overflow")
    if np.allclose(got, expected, rtol=rtol, atol=atol):
        return
    for value, feedback in (wrong or {}).values():
        value = np.asarray(value, dtype=float)
        if value.size == got.size and np.allclose(got, value.reshape(got.shape), rtol=rtol, atol=atol):
            raise Incorrect(feedback)
    if np.any(expected != 0) and np.allclose(got, -expected, rtol=rtol, atol=atol):
        raise Incorrect(f"{name} has the right size but the opposite sign everywhere")
    raise Incorrect(f"{name} is off by up to {np.max(np.abs(got - expected)):.3g}. Check each step again.")


def _choice_key(answer: Any) -> str | None:
    if not isinstance(answer, str):
        return None
    key = answer.strip().strip("().:").strip().lower()
    return key or None


def expect_choice(answer: Any, correct: str, *, options: dict[str, str]) -> None:
    """Multiple choice: ``options`` maps each letter to the feedback for choosing it.

    ``"b"``, ``"B"``, ``" (b) "`` and ``"b."`` all count as choosing b.
    """
    key = _choice_key(answer)
    if key not in options:
        raise Incorrect(f"Answer with one of the letters {sorted(options)} as a string, such as \"a\"; got {answer!r}")
    if key != correct:
        raise Incorrect(options[key])


def expect_callable(answer: Any, name: str = "your answer") -> Callable[..., Any]:
    """Return ``answer`` if it is a function; otherwise raise :class:`Incorrect` saying what it is."""
    if not callable(answer):
        raise Incorrect(f"{name} should be a function (pass its name without calling it); "
                        f"got a {type(answer).__name__}")
    return answer


def call_student(fn: Callable[..., Any], *args: Any, name: str | None = None, **kwargs: Any) -> Any:
    """Call a student's function and return what it returns.

    A function that returns ``None`` or ``...`` raises :class:`NotAttempted` (its body is not
    finished, or it lacks a ``return``); an exception inside it becomes :class:`Incorrect`
    with the exception's type and message.
    """
    label = name or f"your function {getattr(fn, '__name__', '')}".rstrip()
    try:
        out = fn(*args, **kwargs)
    except (Incorrect, NotAttempted):
        raise
    except Exception as exc:
        raise Incorrect(f"{label} raised {type(exc).__name__}: {exc}") from exc
    if out is None or out is ...:
        raise NotAttempted(f"{label} returned {out!r}: finish its body and end it with a return statement.")
    return out


def expect_expression(answer: Any, expected: Any, symbols: Sequence[Any], *, name: str = "your expression",
                      wrong: Mapping[str, tuple[Any, str]] | None = None, points: int = 6,
                      seed: int = 0, rtol: float = 1e-9) -> None:
    """Raise :class:`Incorrect` unless the sympy expression ``answer`` equals ``expected`` as a function.

    Both are evaluated at ``points`` random points of the ``symbols`` (each drawn from
    [−2, 2], at 30 significant digits), which decides equality of the smooth expressions a
    GRU exercise produces without depending on how far ``simplify`` gets. ``wrong`` maps a label
    to ``(expression, feedback)`` for known wrong answers. Uses sympy (imported here only).
    """
    import sympy as sp

    if isinstance(answer, (int, float)):
        answer = sp.sympify(answer)
    if not isinstance(answer, sp.Basic):
        raise Incorrect(f"{name} should be a sympy expression; got a {type(answer).__name__}")
    names = [str(s) for s in symbols]
    extra = {str(s) for s in answer.free_symbols} - set(names)
    if extra:
        raise Incorrect(f"{name} uses the symbol(s) {sorted(extra)}; write it with {sorted(names)} only")
    rng = np.random.default_rng(seed)
    samples = [{n: sp.Float(rng.uniform(-2.0, 2.0), 30) for n in names} for _ in range(points)]

    def values(expr: Any) -> np.ndarray | None:
        # Substitute by symbol name, so Symbol("a") and Symbol("a", real=True) both count as a.
        try:
            expr = sp.sympify(expr)
            out = [complex(expr.subs({s: pt[str(s)] for s in expr.free_symbols}).evalf(30)) for pt in samples]
        except (TypeError, ValueError, ZeroDivisionError, KeyError):
            return None
        arr = np.array(out)
        return arr if np.all(np.isfinite(arr)) else None

    want = values(expected)
    if want is None:
        raise ValueError("expect_expression: the expected expression does not evaluate to finite numbers")
    got = values(answer)
    if got is None:
        raise Incorrect(f"{name} does not evaluate to a finite number at every test point")
    if np.allclose(got, want, rtol=rtol, atol=1e-12):
        return
    for other, feedback in (wrong or {}).values():
        vals = values(other)
        if vals is not None and np.allclose(got, vals, rtol=rtol, atol=1e-12):
            raise Incorrect(feedback)
    raise Incorrect(f"{name} differs from the expected expression (for example {got[0].real:.6g} instead of "
                    f"{want[0].real:.6g} at one test point); build it again step by step")
