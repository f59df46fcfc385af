"""Self-checking exercises: ``q1.check(answer)``, ``q1.hint()``, ``q1.solution()``.

A chapter's set lives in ``gru_course/sets/<chapter>.py``. It makes one :class:`ExerciseSet` and
adds its exercises in the order the chapter shows them, with the factories
:meth:`ExerciseSet.numeric`, :meth:`ExerciseSet.choice`, :meth:`ExerciseSet.code` and
:meth:`ExerciseSet.proof`::

    SET = ExerciseSet("first_run")
    q1 = SET.numeric("Two numbers", expected=(0.25, 0.5), names=("a", "b"), hint=..., solution=...)

The k-th exercise of chapter n (its number taken from ``_toc.yml``, see :mod:`gru_course.toc`) is
"Exercise n.k": in the chapter's box on the website, in every line a check or a hint prints, and in
the coursework index (:mod:`gru_course.index`). Nothing else names it.

What a check accepts
    - A stub (``...``, ``None``, a function whose body is still ``...`` or ``pass``, or a tuple of
      those) reports "not attempted"; a tuple with some parts still ``...`` names the missing part.
    - A number is right when it agrees with the reference to :data:`SIG_FIGS` significant figures
      (within one unit in the 4th figure), so an answer worked by hand and rounded passes. A less
      precise answer is told "right to N significant figures, need 4"; the reference is never shown.
      ``True``/``False`` are not numbers, a complex number is not its real part, text is not a number.
    - Multiple choice takes one letter as a string (``"b"``, ``"B"``, ``"(b)"``).
    - Nothing a student passes makes a check raise, print a traceback or leak a warning.

Time limit
    A check whose answer contains a function (and every proof check, whose sympy expressions can take
    arbitrarily long) runs under a time limit, :data:`TIME_LIMIT` seconds, see :func:`run_with_time_limit`.
"""

from __future__ import annotations

import dataclasses
import dis
import json
import math
import numbers
import os
import select
import signal
import threading
import time
import warnings
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from gru_course.toc import chapter_number

NOT_ATTEMPTED = "not attempted"
CORRECT = "correct"
INCORRECT = "incorrect"
#: The kinds of exercise, and how the coursework index names them.
KINDS = {"numeric": "numeric", "code": "code", "proof": "proof", "choice": "multiple choice"}
#: Significant figures a numeric answer must get right.
SIG_FIGS = 4
#: The phrase every numeric exercise's text carries (a test checks it is there).
SIG_FIGS_TEXT = f"{SIG_FIGS} significant figures"
#: Seconds a check may spend on a student's function.
TIME_LIMIT = 10.0

_STUB_MESSAGE = "Replace the ... with your answer, run the cell, then check again."
_SYMBOLS = {CORRECT: "✓ Correct", INCORRECT: "✗ Not yet", NOT_ATTEMPTED: "○ Not attempted"}
_MAX_MESSAGE = 4000


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


def show(value: Any) -> str:
    """A short, safe description of a student's value (never calls a student's ``__repr__``)."""
    if isinstance(value, (bool, int, float, complex, str, bytes, type(None))) and not isinstance(value, np.generic):
        text = repr(value) if not isinstance(value, int) or abs(value) < 10**30 else "a very large integer"
        return text if len(text) <= 60 else text[:57] + "..."
    return f"a {type(value).__name__}"


# ------------------------------------------------------------------ stubs
_TRIVIAL_OPS = {"RESUME", "NOP", "CACHE", "COPY_FREE_VARS", "MAKE_CELL", "EXTENDED_ARG"}


def is_stub_function(fn: Any) -> bool:
    """True for a function whose body does nothing but return ``None`` or ``...``.

    That is a body of ``...``, ``pass`` or ``return ...``, with or without a docstring or
    comments: the stub a student has not filled in yet.
    """
    code = getattr(fn, "__code__", None)
    if code is None or not hasattr(code, "co_code"):
        return False
    ops = [(ins.opname, ins.argval) for ins in dis.get_instructions(code) if ins.opname not in _TRIVIAL_OPS]
    if len(ops) == 1 and ops[0][0] == "RETURN_CONST":  # Python 3.12+
        return ops[0][1] is None or ops[0][1] is ...
    return (
        len(ops) == 2
        and ops[0][0] == "LOAD_CONST"
        and (ops[0][1] is None or ops[0][1] is ...)
        and ops[1][0] == "RETURN_VALUE"
    )


def _is_single_stub(answer: Any) -> bool:
    if answer is ... or answer is None:
        return True
    if isinstance(answer, np.ndarray) and answer.dtype == object and answer.size:
        return all(a is ... or a is None for a in answer.flat)
    return callable(answer) and is_stub_function(answer)


def is_stub(answer: Any) -> bool:
    """True for an untouched answer: ``...``, ``None``, a stub function, or a tuple/list of those."""
    if isinstance(answer, (tuple, list)) and answer:
        return all(_is_single_stub(a) for a in answer)
    return _is_single_stub(answer)


def _missing_parts(answer: Any) -> list[int]:
    """1-based positions of the parts of a tuple/list answer that are still stubs."""
    if isinstance(answer, (tuple, list)):
        return [i + 1 for i, a in enumerate(answer) if _is_single_stub(a)]
    return []


def _has_function(answer: Any) -> bool:
    if isinstance(answer, (tuple, list)):
        return any(callable(a) for a in answer)
    return callable(answer)


# ------------------------------------------------------------------ running a check under a time limit
def _judge(checker: Callable[[Any], None], answer: Any, *, in_child: bool) -> tuple[str, str]:
    """Run ``checker(answer)`` and turn every outcome into ``(status, message)``; never raises.

    Warnings raised meanwhile (by the student's code: the checkers raise none) are mentioned in
    the message instead of being shown. In the parent process a ``KeyboardInterrupt`` (the
    student pressing stop) still stops the cell.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            checker(answer)
            status, message = CORRECT, "Well done."
        except NotAttempted as exc:
            status, message = NOT_ATTEMPTED, str(exc) or _STUB_MESSAGE
        except Incorrect as exc:
            status, message = INCORRECT, str(exc)
        except SystemExit:
            status, message = INCORRECT, "Your code called sys.exit() (or raised SystemExit): return a value instead."
        except KeyboardInterrupt:
            if not in_child:
                raise
            status, message = INCORRECT, "Your code raised KeyboardInterrupt."
        except RecursionError:
            status, message = INCORRECT, "Checking your answer hit Python's recursion limit (endless recursion?)."
        except Exception as exc:  # the student's code failed: report it as feedback
            status, message = INCORRECT, f"Checking your answer raised {type(exc).__name__}: {_safe_str(exc)}"
    if caught:
        first = caught[0]
        message += f" (Your code also warned: {first.category.__name__}: {_safe_str(first.message)})"
    return status, message[:_MAX_MESSAGE]


def _safe_str(exc: Any) -> str:
    try:
        return str(exc)[:500]
    except Exception:
        return f"<a {type(exc).__name__} that cannot be printed>"


def _timeout_message(seconds: float) -> str:
    return (
        f"Your function did not return within {seconds:g} s (an endless loop?), so the check stopped it. "
        "Make sure every loop ends."
    )


def run_with_time_limit(checker: Callable[[Any], None], answer: Any, seconds: float = TIME_LIMIT) -> tuple[str, str]:
    """``(status, message)`` of ``checker(answer)``, computed in a forked child process killed after ``seconds``.

    Why a fork: a check runs in the student's Jupyter kernel, and a student's function may loop
    forever (``while True: pass`` ignores every Python-level interruption), call ``sys.exit()``,
    or crash the interpreter. A thread cannot be stopped: ``join(timeout)`` returns but the loop
    keeps burning a core until the kernel restarts. A forked child (Linux and macOS) starts in
    milliseconds with the kernel's whole state (the student's function, numpy, sympy), runs the
    whole checker, sends back two strings through a pipe and exits with ``os._exit`` (so it never
    runs the kernel's clean-up); when the time is up it is killed with SIGKILL and nothing of it
    survives. A child that dies without answering (``os._exit``, a segfault) is reported as such.
    The child cannot change the kernel's variables, which a check never needs.

    Where ``os.fork`` is missing (Windows) the check falls back to a daemon thread: the check
    still returns after ``seconds``, but an endless loop keeps running in the background.
    """
    if not hasattr(os, "fork"):
        return _run_in_thread(checker, answer, seconds)
    read_end, write_end = os.pipe()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # Python 3.12+: fork() in a threaded process
        pid = os.fork()
    if pid == 0:  # the child: judge, answer, exit without clean-up
        try:
            os.close(read_end)
            payload = json.dumps(_judge(checker, answer, in_child=True)).encode()
            while payload:
                payload = payload[os.write(write_end, payload) :]
        finally:
            os._exit(0)
    os.close(write_end)
    chunks: list[bytes] = []
    deadline = time.monotonic() + seconds
    timed_out = False
    try:
        while True:
            left = deadline - time.monotonic()
            ready = select.select([read_end], [], [], left)[0] if left > 0 else []
            if not ready:
                timed_out = True
                break
            data = os.read(read_end, 65536)
            if not data:
                break
            chunks.append(data)
    finally:
        os.close(read_end)
        if timed_out:
            os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    if timed_out:
        return INCORRECT, _timeout_message(seconds)
    try:
        status, message = json.loads(b"".join(chunks).decode())
    except (ValueError, TypeError):
        return INCORRECT, (
            "Your code ended the Python process that checked it (os._exit, a crash or a signal) before it could return."
        )
    return str(status), str(message)


def _run_in_thread(checker: Callable[[Any], None], answer: Any, seconds: float) -> tuple[str, str]:
    box: list[tuple[str, str]] = []
    thread = threading.Thread(target=lambda: box.append(_judge(checker, answer, in_child=True)), daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive() or not box:
        return INCORRECT, _timeout_message(seconds) + " (It may still be running: restart the kernel.)"
    return box[0]


# ------------------------------------------------------------------ the exercise
@dataclasses.dataclass(eq=False)
class Exercise:
    """One exercise: a checker, hints and a reference solution (shown only on request).

    ``checker(answer)`` returns normally when the answer is right and raises :class:`Incorrect`
    with feedback otherwise. ``reference()`` produces a correct answer and ``wrong_answers()``
    known wrong ones, each with a phrase its feedback must contain; the tests use both.
    ``tolerance`` is the phrase (such as "4 significant figures") the chapter's text must state.
    ``options`` (multiple choice) maps each letter to the option's text as the chapter shows it.
    ``points`` (its weight in a graded course), ``minutes`` (the time a student typically needs) and
    ``objective`` (what it practises, one sentence) come from the set's :meth:`ExerciseSet.plan`.
    Made by the factories of :class:`ExerciseSet`, which give it its chapter and position.
    """

    title: str
    checker: Callable[[Any], None]
    hint_text: str | Sequence[str]
    solution_text: str
    kind: str
    reference: Callable[[], Any]
    wrong_answers: Callable[[], list[tuple[Any, str]]]
    tolerance: str | None = None
    options: Mapping[str, str] | None = None
    correct: str | None = None
    time_limit: float = TIME_LIMIT
    chapter: str = ""
    position: int = 0
    points: int = 0
    minutes: int = 0
    objective: str = ""
    _hints_shown: int = dataclasses.field(default=0, init=False, repr=False)

    def __post_init__(self) -> None:
        if not callable(self.checker):
            raise TypeError(f"Exercise checker must be callable; got {type(self.checker).__name__}")
        if self.kind not in KINDS:
            raise ValueError(f"Exercise kind must be one of {sorted(KINDS)}; got {self.kind!r}")

    @property
    def number(self) -> str:
        """ "3.1" for the first exercise of chapter 3 (just "1" in an unnumbered chapter)."""
        chapter = chapter_number(self.chapter) if self.chapter else None
        return f"{chapter}.{self.position}" if chapter is not None else str(self.position)

    @property
    def name(self) -> str:
        """The label the website shows: "Exercise 3.1"."""
        return f"Exercise {self.number}"

    @property
    def label(self) -> str:
        """The exercise's MyST label in its chapter, ``<chapter>-ex<k>``."""
        return f"{self.chapter}-ex{self.position}"

    def check(self, answer: Any = ...) -> Result:
        """Check ``answer``, print specific feedback and return a :class:`Result`."""
        result = self.evaluate(answer)
        print(f"{self.name}: {_SYMBOLS[result.status]}. {result.message}")
        return result

    def evaluate(self, answer: Any = ...) -> Result:
        """Like :meth:`check`, without printing. Never raises, never hangs beyond :attr:`time_limit`."""
        if is_stub(answer):
            return Result(NOT_ATTEMPTED, _STUB_MESSAGE)
        missing = _missing_parts(answer)
        if missing:
            parts = ", ".join(str(i) for i in missing)
            return Result(INCORRECT, f"Part {parts} of your answer is still ... (or None): fill in every part.")
        if _has_function(answer) or self.kind == "proof":
            status, message = run_with_time_limit(self.checker, answer, self.time_limit)
        else:
            status, message = _judge(self.checker, answer, in_child=False)
        return Result(status, message)

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
        print(f"Solution to {self.name}:\n{self.solution_text}")

    def __repr__(self) -> str:
        return f"<{self.name} ({self.title}), {KINDS[self.kind]}: call .check(answer), .hint() or .solution()>"


# ------------------------------------------------------------------ numbers
def _real_array(answer: Any, name: str) -> np.ndarray:
    """``answer`` as a float array, or :class:`Incorrect`: no bools, complex numbers, text or objects."""
    if callable(answer):
        raise Incorrect(f"{name} is a function; call it (or give the number it computes) instead")
    if isinstance(answer, (str, bytes)):
        raise Incorrect(f"{name} should be a number; got the text {show(answer)}")
    if isinstance(answer, (bool, np.bool_)):
        raise Incorrect(f"{name} should be a number; got {show(answer)}, a truth value")
    if isinstance(answer, (Mapping, set, frozenset)):
        raise Incorrect(f"{name} should be a number or a list of numbers; got {show(answer)}")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            arr = np.asarray(answer)
    except Exception as exc:
        raise Incorrect(f"{name} should be a number or a list of numbers; got {show(answer)}") from exc
    kind = arr.dtype.kind
    if kind == "b":
        raise Incorrect(f"{name} should be numbers; got truth values (True/False)")
    if kind == "c":
        raise Incorrect(f"{name} is complex; give a real number (a complex number is not its real part)")
    if kind in "iu":
        if arr.size and max(abs(int(arr.max())), abs(int(arr.min()))) > 2**53:
            raise Incorrect(f"{name} holds an integer too large to be a sensible answer")
        return arr.astype(float)
    if kind == "f":
        return arr.astype(float)
    if kind == "O":
        items = list(arr.flat)
        if not all(isinstance(x, numbers.Real) and not isinstance(x, (bool, np.bool_)) for x in items):
            raise Incorrect(f"{name} should hold real numbers only; got {show(answer)}")
        try:
            return np.array([float(x) for x in items], dtype=float).reshape(arr.shape)
        except (OverflowError, ValueError, TypeError) as exc:
            raise Incorrect(f"{name} holds a number too large for a float") from exc
    raise Incorrect(f"{name} should be a number or a list of numbers; got {show(answer)}")


def expect_number(answer: Any, name: str = "your answer") -> float:
    """``answer`` as one finite float (a one-element array counts), else :class:`Incorrect`."""
    got = _real_array(answer, name)
    if got.size != 1:
        raise Incorrect(f"{name} should be a single number; got an array of shape {got.shape}")
    value = float(got.reshape(()))
    if not math.isfinite(value):
        raise Incorrect(f"{name} is {value}; check for a division by zero or an overflow")
    return value


def significant_figures(got: float, want: float) -> int:
    """How many significant figures of ``want`` ``got`` has right: the largest n with
    |got − want| ≤ one unit in the n-th significant figure of ``want`` (capped at 17; 0 when none)."""
    if got == want:
        return 17
    if want == 0.0 or not (math.isfinite(got) and math.isfinite(want)):
        return 0
    err = abs(got - want)
    if not math.isfinite(err):
        return 0
    exponent = math.floor(math.log10(abs(want)))
    return int(min(17, max(0, math.floor(exponent + 1 - math.log10(err) + 1e-12))))


def close_enough(got: float, want: float, sig: int = SIG_FIGS, atol: float = 0.0) -> bool:
    """True when ``got`` matches ``want`` to ``sig`` significant figures (or within ``atol`` of a zero ``want``)."""
    if want == 0.0:
        return abs(got) <= atol
    return significant_figures(got, want) >= sig


def _numbers(answer: Any, names: Sequence[str]) -> list[float]:
    """The parts of an answer of ``len(names)`` numbers, as floats."""
    if len(names) == 1:
        return [expect_number(answer, names[0])]
    wanted = "(" + ", ".join(names) + ")"
    if isinstance(answer, np.ndarray):
        if answer.ndim != 1 or answer.shape[0] != len(names):
            raise Incorrect(f"Give {len(names)} numbers {wanted}; got an array of shape {answer.shape}")
        answer = list(answer)
    if not isinstance(answer, (tuple, list)) or len(answer) != len(names):
        raise Incorrect(f"Give {len(names)} numbers as a tuple {wanted}; got {show(answer)}")
    return [expect_number(v, n) for v, n in zip(answer, names, strict=False)]


def _numeric_checker(
    expected: Callable[[], Sequence[float]],
    names: Sequence[str],
    wrong: Callable[[], Sequence[tuple[Sequence[float | None], str]]],
    sig: int,
    atol: float,
    integer: bool,
) -> Callable[[Any], None]:
    def check(answer: Any) -> None:
        got = _numbers(answer, names)
        want = [float(v) for v in expected()]
        if integer:
            bad = [n for n, g in zip(names, got, strict=False) if g != round(g)]
            if bad:
                raise Incorrect(f"{', '.join(bad)} should be a whole number")
            if got == want:
                return
        elif all(close_enough(g, w, sig, atol) for g, w in zip(got, want, strict=False)):
            return
        for pattern, feedback in wrong():
            pat = [None if p is None else float(p) for p in pattern]
            if all(
                p is None or (g == p if integer else close_enough(g, p, sig, atol))
                for g, p in zip(got, pat, strict=False)
            ):
                raise Incorrect(feedback)
        problems, right = [], []
        for n, g, w in zip(names, got, want, strict=False):
            if (g == w) if integer else close_enough(g, w, sig, atol):
                right.append(n)
            elif integer or w == 0.0:
                problems.append(f"{n} is not right yet")
            elif w != 0.0 and close_enough(-g, w, sig, atol):
                problems.append(f"{n} has the right size but the wrong sign")
            elif significant_figures(g, w) == 0:
                problems.append(f"{n} is off (not even its first significant figure is right)")
            else:
                right_to = significant_figures(g, w)
                figures = "figure" if right_to == 1 else "figures"
                problems.append(f"{n} is right to {right_to} significant {figures}, need {sig}")
        lead = f"{', '.join(right)} {'is' if len(right) == 1 else 'are'} right, but " if right else ""
        raise Incorrect(lead + "; ".join(problems) + ".")

    return check


def expect_close(
    got: Any, want: Any, *, name: str, sig: int, wrong: Mapping[str, tuple[Any, str]] | None = None
) -> None:
    """Raise :class:`Incorrect` unless the array ``got`` equals ``want`` (same shape) to ``sig`` significant figures.

    Each entry is compared on the scale of the largest entry of ``want`` (so near-zero entries need
    no more than ``sig`` figures of that scale). ``wrong`` maps a label to ``(value, feedback)`` for
    known wrong answers.
    """
    g = _real_array(got, name)
    w = np.asarray(want, dtype=float)
    if g.size == 1 and w.size == 1:
        g, w = g.reshape(()), w.reshape(())
    if g.shape != w.shape:
        extra = ""
        if g.ndim == 2 and g.T.shape == w.shape:
            extra = " (it looks transposed)"
        elif g.squeeze().shape == w.squeeze().shape:
            extra = " (the same entries, with extra axes of size 1: index or squeeze them away)"
        raise Incorrect(f"{name} should have shape {w.shape}; got shape {g.shape}{extra}")
    if not np.all(np.isfinite(g)):
        raise Incorrect(f"{name} contains NaN or infinity; check for a division by zero or an overflow")

    def near(a: np.ndarray, b: np.ndarray) -> bool:
        scale = float(np.max(np.abs(b))) if b.size else 0.0
        with np.errstate(all="ignore"):
            return bool(np.all(np.abs(a - b) <= 10.0 ** (-sig) * scale + 1e-300))

    if near(g, w):
        return
    for value, feedback in (wrong or {}).values():
        v = np.asarray(value, dtype=float)
        if v.size == g.size and near(g, v.reshape(g.shape)):
            raise Incorrect(feedback)
    if np.any(w != 0) and near(-g, w):
        raise Incorrect(f"{name} has the right size but the opposite sign everywhere")
    raise Incorrect(f"{name} is not right to {sig} significant figures. Check each step again.")


# ------------------------------------------------------------------ multiple choice
def choice_key(answer: Any) -> str | None:
    """The letter a string answer names (``" (B). "`` → ``"b"``), or None."""
    if not isinstance(answer, str):
        return None
    key = answer.strip().strip("().:*").strip().lower()
    return key or None


def expect_choice(answer: Any, correct: str, *, feedback: Mapping[str, str]) -> None:
    """Multiple choice: ``feedback`` maps each wrong letter to what choosing it misses."""
    letters = sorted(set(feedback) | {correct})
    key = choice_key(answer)
    if key not in letters:
        raise Incorrect(
            f'Answer with one of the letters {", ".join(letters)} as a string, such as "a"; got {show(answer)}'
        )
    if key != correct:
        raise Incorrect(feedback[key])


# ------------------------------------------------------------------ code
def expect_callable(answer: Any, name: str = "your answer") -> Callable[..., Any]:
    """Return ``answer`` if it is a function; otherwise raise :class:`Incorrect` saying what it is."""
    if not callable(answer):
        raise Incorrect(f"{name} should be a function (pass its name without calling it); got {show(answer)}")
    return answer


def call_student(fn: Callable[..., Any], *args: Any, name: str | None = None, **kwargs: Any) -> Any:
    """Call a student's function and return what it returns.

    ``None`` or ``...`` as the result raises :class:`NotAttempted` (the body is unfinished or
    lacks a ``return``); an exception inside it becomes :class:`Incorrect` naming it. Run inside a
    check, the call is under the check's time limit.
    """
    label = name or f"your function {getattr(fn, '__name__', '')}".rstrip()
    try:
        out = fn(*args, **kwargs)
    except (Incorrect, NotAttempted):
        raise
    except Exception as exc:
        raise Incorrect(f"{label} raised {type(exc).__name__}: {_safe_str(exc)}") from exc
    if out is None or out is ...:
        raise NotAttempted(f"{label} returned {out!r}: finish its body and end it with a return statement.")
    return out


# ------------------------------------------------------------------ sympy
def expect_expression(
    answer: Any,
    expected: Any,
    symbols: Sequence[Any],
    *,
    name: str = "your expression",
    wrong: Mapping[str, tuple[Any, str]] | None = None,
    points: int = 6,
    seed: int = 0,
    domain: Mapping[str, tuple[float, float]] | None = None,
    rtol: float = 1e-9,
) -> None:
    """Raise :class:`Incorrect` unless the sympy expression ``answer`` equals ``expected`` as a function.

    Both are evaluated at ``points`` random points of the ``symbols``, each drawn from ``domain[name]``
    (default [−2, 2]) at 30 significant digits: that decides equality of the smooth expressions a
    GRU exercise produces without depending on how far ``simplify`` gets. Values are compared as
    complex numbers (no real part is taken). ``wrong`` maps a label to ``(expression, feedback)``.
    """
    import sympy as sp

    if isinstance(answer, (bool, np.bool_)):
        raise Incorrect(f"{name} should be a sympy expression; got {show(answer)}, a truth value")
    if isinstance(answer, (int, float)) and not isinstance(answer, np.generic):
        answer = sp.sympify(answer)
    if not isinstance(answer, sp.Expr):
        raise Incorrect(f"{name} should be a sympy expression; got {show(answer)}")
    names = [str(s) for s in symbols]
    extra = {str(s) for s in answer.free_symbols} - set(names)
    if extra:
        raise Incorrect(f"{name} uses the symbol(s) {sorted(extra)}; write it with {sorted(names)} only")
    rng = np.random.default_rng(seed)
    bounds = {n: (domain or {}).get(n, (-2.0, 2.0)) for n in names}
    samples = [{n: sp.Float(rng.uniform(*bounds[n]), 30) for n in names} for _ in range(points)]

    def values(expr: Any) -> np.ndarray | None:
        # Substitute by symbol name, so Symbol("a") and Symbol("a", real=True) both count as a.
        try:
            expr = sp.sympify(expr)
            out = [complex(expr.subs({s: pt[str(s)] for s in expr.free_symbols}).evalf(30)) for pt in samples]
        except (TypeError, ValueError, ZeroDivisionError, KeyError, AttributeError, OverflowError):
            return None
        arr = np.array(out, dtype=complex)
        return arr if np.all(np.isfinite(arr)) else None

    def same(a: np.ndarray, b: np.ndarray) -> bool:
        with np.errstate(all="ignore"):
            return bool(np.all(np.abs(a - b) <= rtol * np.abs(b) + 1e-12))

    want = values(expected)
    if want is None:
        raise ValueError("expect_expression: the expected expression does not evaluate to finite numbers")
    got = values(answer)
    if got is None:
        raise Incorrect(f"{name} does not evaluate to a finite number at every test point")
    if same(got, want):
        return
    for other, feedback in (wrong or {}).values():
        vals = values(other)
        if vals is not None and same(got, vals):
            raise Incorrect(feedback)
    raise Incorrect(f"{name} differs from the expected expression at the test points; build it again step by step")


# ------------------------------------------------------------------ sets and factories
def _as_hints(hint: str | Sequence[str]) -> str | Sequence[str]:
    if not hint or (not isinstance(hint, str) and not all(isinstance(h, str) and h for h in hint)):
        raise ValueError("an exercise needs a hint (a string or a list of strings)")
    return hint


class ExerciseSet:
    """The exercises of one chapter, numbered in the order they are added (1, 2, …)."""

    def __init__(self, chapter: str) -> None:
        self.chapter = chapter
        self.exercises: list[Exercise] = []

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.exercises)

    def __len__(self) -> int:
        return len(self.exercises)

    def add(self, exercise: Exercise) -> Exercise:
        """Append ``exercise`` as the next one of this chapter and return it."""
        exercise.chapter, exercise.position = self.chapter, len(self.exercises) + 1
        self.exercises.append(exercise)
        return exercise

    def plan(self, rows: Mapping[Exercise, tuple[int, int, str]]) -> None:
        """Give every exercise of the set its ``(points, minutes, objective)``.

        ``rows`` must name each exercise of the set exactly once; points and minutes are positive
        whole numbers, the objective a non-empty sentence (it completes "Students can ...").
        """
        if not isinstance(rows, Mapping):
            raise TypeError(
                f"plan: rows must be a mapping {{exercise: (points, minutes, objective)}}; got {type(rows).__name__}"
            )
        missing = [ex.name for ex in self.exercises if ex not in rows]
        foreign = [getattr(ex, "name", repr(ex)) for ex in rows if ex not in self.exercises]
        if missing or foreign:
            raise ValueError(f"plan for {self.chapter}: missing {missing}, not in this set {foreign}")
        for ex, row in rows.items():
            if not (isinstance(row, tuple) and len(row) == 3):
                raise TypeError(f"plan: the row of {ex.name} must be (points, minutes, objective); got {row!r}")
            points, minutes, objective = row
            for field, value in (("points", points), ("minutes", minutes)):
                if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
                    raise ValueError(f"plan: {field} of {ex.name} must be a positive int; got {value!r}")
            if not isinstance(objective, str) or not objective.strip():
                raise ValueError(f"plan: the objective of {ex.name} must be a non-empty string; got {objective!r}")
            ex.points, ex.minutes, ex.objective = points, minutes, objective.strip()

    def numeric(
        self,
        title: str,
        *,
        expected: Callable[[], Sequence[float] | float],
        names: Sequence[str],
        hint: str | Sequence[str],
        solution: str,
        wrong: Callable[[], Sequence[tuple[Sequence[float | None] | float, str]]] = lambda: [],
        wrong_types: Sequence[tuple[Any, str]] = (),
        sig: int = SIG_FIGS,
        atol: float = 1e-12,
        integer: bool = False,
    ) -> Exercise:
        """A number or a tuple of numbers, right to ``sig`` significant figures (whole numbers: exactly).

        ``expected()`` gives the reference (one number per name). ``wrong()`` lists known wrong
        answers as ``(values, feedback)``; a ``None`` among the values matches anything. A part that
        is merely imprecise is told how many significant figures it has right. ``wrong_types`` are
        extra (answer, phrase) pairs for the tests, such as a text instead of a number.
        """
        names = tuple(names)

        def as_tuple(v: Any) -> tuple[Any, ...]:
            return tuple(v) if isinstance(v, (tuple, list, np.ndarray)) else (v,)

        def expected_tuple() -> tuple[float, ...]:
            return tuple(float(v) for v in as_tuple(expected()))

        def wrong_tuples() -> list[tuple[tuple[Any, ...], str]]:
            return [(as_tuple(v), f) for v, f in wrong()]

        def reference() -> Any:
            values = expected_tuple()
            if integer:
                values = tuple(round(v) for v in values)
            return values[0] if len(names) == 1 else values

        def known_wrong() -> list[tuple[Any, str]]:
            out, right = [], expected_tuple()
            for values, feedback in wrong_tuples():
                values = tuple(r if v is None else v for v, r in zip(values, right, strict=True))
                answer = values[0] if len(names) == 1 else values
                out.append((answer, feedback[:40]))
            return out + list(wrong_types)

        return self.add(
            Exercise(
                title=title,
                kind="numeric",
                hint_text=_as_hints(hint),
                solution_text=solution,
                checker=_numeric_checker(expected_tuple, names, wrong_tuples, sig, atol, integer),
                reference=reference,
                wrong_answers=known_wrong,
                tolerance="whole number" if integer else f"{sig} significant figures",
            )
        )

    def choice(
        self,
        title: str,
        *,
        options: Mapping[str, tuple[str, str]],
        correct: str,
        hint: str | Sequence[str],
        solution: str,
    ) -> Exercise:
        """Multiple choice. ``options`` maps each letter to ``(text as in the chapter, feedback when chosen)``;
        the feedback of the ``correct`` letter is not used and may be empty."""
        if correct not in options:
            raise ValueError(f"correct must be one of the letters {sorted(options)}; got {correct!r}")
        feedback = {k: f for k, (_, f) in options.items() if k != correct}
        if not all(feedback.values()):
            raise ValueError("every wrong option needs its feedback")

        def wrong() -> list[tuple[Any, str]]:
            return [(k, f[:40]) for k, f in feedback.items()] + [
                ("e", "one of the letters"),
                (True, "one of the letters"),
            ]

        return self.add(
            Exercise(
                title=title,
                kind="choice",
                hint_text=_as_hints(hint),
                solution_text=solution,
                checker=lambda answer: expect_choice(answer, correct, feedback=feedback),
                reference=lambda: correct,
                wrong_answers=wrong,
                options={k: text for k, (text, _) in options.items()},
                correct=correct,
            )
        )

    def code(
        self,
        title: str,
        *,
        checker: Callable[[Any], None],
        reference: Callable[[], Any],
        wrong_answers: Callable[[], list[tuple[Any, str]]],
        hint: str | Sequence[str],
        solution: str,
        tolerance: str | None = None,
        time_limit: float = TIME_LIMIT,
    ) -> Exercise:
        """A function the student writes; ``checker`` calls it (through :func:`call_student`) under a time limit."""
        return self.add(
            Exercise(
                title=title,
                kind="code",
                checker=checker,
                hint_text=_as_hints(hint),
                solution_text=solution,
                reference=reference,
                wrong_answers=wrong_answers,
                tolerance=tolerance,
                time_limit=time_limit,
            )
        )

    def proof(
        self,
        title: str,
        *,
        checker: Callable[[Any], None],
        reference: Callable[[], Any],
        wrong_answers: Callable[[], list[tuple[Any, str]]],
        hint: str | Sequence[str],
        solution: str,
    ) -> Exercise:
        """A derivation, checked through sympy expressions (see :func:`expect_expression`)."""
        return self.add(
            Exercise(
                title=title,
                kind="proof",
                checker=checker,
                hint_text=_as_hints(hint),
                solution_text=solution,
                reference=reference,
                wrong_answers=wrong_answers,
            )
        )

    def choices(
        self,
        title: str,
        *,
        items: Sequence[str],
        allowed: Sequence[str],
        correct: Sequence[str],
        hint: str | Sequence[str],
        solution: str,
        wrong: Sequence[tuple[Sequence[str], str]] = (),
    ) -> Exercise:
        """Several short answers from a fixed vocabulary at once, such as keep/admit for three snippets.

        The feedback says how many are wrong, not which (so it cannot be found by trying)."""
        n, allowed_set = len(items), {a.lower() for a in allowed}
        answers = "(" + ", ".join(f'"{a}"' for a in allowed) + ")"

        def check(answer: Any) -> None:
            if not isinstance(answer, (tuple, list)) or len(answer) != n:
                raise Incorrect(
                    f"Give a tuple of {n} answers, one per {items[0].split()[0].lower()}, each one of "
                    f"{answers}; got {show(answer)}"
                )
            got = []
            for item, a in zip(items, answer, strict=False):
                if not isinstance(a, str) or a.strip().lower() not in allowed_set:
                    raise Incorrect(f"For {item} answer one of {answers} as a string; got {show(a)}")
                got.append(a.strip().lower())
            wrong_count = sum(g != c for g, c in zip(got, correct, strict=False))
            if wrong_count:
                raise Incorrect(
                    f"{wrong_count} of your {n} answers {'is' if wrong_count == 1 else 'are'} not right "
                    "yet. For each one, find the line that forms the new state and ask which term the "
                    "gate multiplies."
                )

        def known_wrong() -> list[tuple[Any, str]]:
            flipped = tuple(allowed[1] if c == allowed[0] else allowed[0] for c in correct)
            return [
                (flipped, f"{n} of your {n} answers"),
                (tuple(correct[:-1]), f"tuple of {n}"),
                ((*correct[:-1], "both"), "answer one of"),
            ] + [(tuple(w), f) for w, f in wrong]

        return self.add(
            Exercise(
                title=title,
                kind="choice",
                checker=check,
                hint_text=_as_hints(hint),
                solution_text=solution,
                reference=lambda: tuple(correct),
                wrong_answers=known_wrong,
            )
        )
