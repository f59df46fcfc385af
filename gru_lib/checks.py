"""Input validation shared by every gru_lib module (and the book's helpers).

Each helper either returns a clean value or raises a ``TypeError`` (wrong kind of thing) /
``ValueError`` (right kind, wrong value or shape) whose message names the argument, says what
was expected and what was given. Nothing is broadcast silently.

One rule for numbers everywhere: Python and numpy integers and floats are accepted (integers
become float64; float32 stays float32 unless a dtype is asked for); booleans, complex numbers,
strings, ``None`` and other objects are refused with a ``TypeError``; float16 and long double are
refused too (gru_lib computes in float32 or float64 only, and says so rather than convert).
NaN is always refused; ±infinity is refused unless a function documents what it means there.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

FLOAT_DTYPES = (np.float32, np.float64)
_KIND_NAMES = {
    "b": "booleans",
    "c": "complex numbers",
    "U": "strings",
    "S": "bytes",
    "O": "Python objects",
    "M": "datetimes",
    "m": "timedeltas",
    "V": "raw records",
}


def choice(name: str, value: Any, allowed: Sequence[str]) -> str:
    """Return ``value`` if it is one of ``allowed`` (exactly, case included); otherwise raise ``ValueError``."""
    if not isinstance(value, str) or value not in allowed:
        options = ", ".join(repr(a) for a in allowed)
        raise ValueError(f"{name} must be one of {options}; got {value!r}")
    return value


def float_dtype(name: str, value: Any) -> np.dtype:
    """``value`` as a numpy dtype if it is float32 or float64 (a type, a dtype or a name such as "float32")."""
    if isinstance(value, bool) or value is None:
        raise TypeError(f"{name} must be float32 or float64; got {value!r}")
    try:
        dt = np.dtype(value)
    except TypeError as exc:
        raise TypeError(f"{name} must be float32 or float64; got {value!r}, which is not a numpy dtype") from exc
    if dt.type not in FLOAT_DTYPES:
        raise ValueError(f"{name} must be float32 or float64; got {dt}")
    return dt


def real_array(name: str, value: Any, dtype: Any = None, *, allow_inf: bool = False) -> np.ndarray:
    """Convert ``value`` to a real floating-point array (float32 or float64), checking every entry.

    Integers and floats are accepted; booleans, complex numbers, strings, ``None``, float16 and
    objects are refused with a ``TypeError``. NaN raises ``ValueError``; so does ±inf unless
    ``allow_inf``. ``dtype`` (float32/float64) casts the result, and a finite value that does not
    fit in it (1e300 as float32) raises ``ValueError`` saying so; ``None`` keeps a float input's
    own dtype and turns integers into float64.
    """
    if value is None or isinstance(value, (str, bytes, Mapping)):
        raise TypeError(f"{name} must be a real numeric array (or a real number); got {type(value).__name__}")
    try:
        arr = np.asarray(value)
    except Exception as exc:  # ragged lists and the like
        raise TypeError(f"{name} must be a real numeric array; got {type(value).__name__} ({exc})") from exc
    kind = arr.dtype.kind
    if kind not in "fiu":
        raise TypeError(
            f"{name} must hold real numbers (float or int); got an array of "
            f"{_KIND_NAMES.get(kind, arr.dtype.name)} (dtype {arr.dtype})"
        )
    if kind == "f" and arr.dtype.type not in FLOAT_DTYPES:
        raise TypeError(f"{name} must be float32 or float64 (or integers); got dtype {arr.dtype}")
    if kind == "f":
        _finite(name, arr, allow_inf)
    target = np.dtype(np.float64) if dtype is None and kind != "f" else (None if dtype is None else np.dtype(dtype))
    if target is not None and arr.dtype != target:
        with np.errstate(over="ignore"):
            cast = arr.astype(target)
        if np.any(np.isinf(cast) & ~np.isinf(arr)):
            biggest = float(np.max(np.abs(arr[np.isfinite(arr)])))
            raise ValueError(
                f"{name} overflows {target}: its largest magnitude {biggest:.4g} exceeds "
                f"{float(np.finfo(target).max):.4g}, the largest {target}"
            )
        arr = cast
    return arr


def _finite(name: str, arr: np.ndarray, allow_inf: bool) -> None:
    nan = int(np.count_nonzero(np.isnan(arr)))
    inf = 0 if allow_inf else int(np.count_nonzero(np.isinf(arr)))
    if nan or inf:
        what = "not NaN" if allow_inf else "finite"
        raise ValueError(
            f"{name} must be {what}; got {nan} NaN and {inf} infinite value(s) in an array of shape {arr.shape}"
        )


def real_scalar(
    name: str, value: Any, *, low: float | None = None, high: float | None = None, open_low: bool = False
) -> float:
    """``value`` as a finite Python float (a Python or numpy real number, or a 0-d array).

    ``low``/``high`` bound it (inclusive; ``open_low`` excludes ``low``).
    """
    arr = real_array(name, value)
    if arr.ndim != 0:
        raise ValueError(f"{name} must be a single number; got an array of shape {arr.shape}")
    x = float(arr)
    if (low is not None and (x < low or (open_low and x == low))) or (high is not None and x > high):
        lo = "(-inf" if low is None else f"{'(' if open_low else '['}{low:g}"
        hi = "inf)" if high is None else f"{high:g}]"
        raise ValueError(f"{name} must lie in {lo}, {hi}; got {x}")
    return x


def shape(name: str, arr: np.ndarray, expected: tuple[int | None, ...], meaning: str) -> np.ndarray:
    """Check ``arr.shape`` against ``expected`` (``None`` = any size) and return ``arr``.

    ``meaning`` spells the axes out for the message, e.g. ``"(T, B, D) = (time, batch, input)"``.
    """
    ok = arr.ndim == len(expected) and all(e is None or e == s for e, s in zip(expected, arr.shape, strict=True))
    if not ok:
        want = "(" + ", ".join("any" if e is None else str(e) for e in expected) + ")"
        raise ValueError(f"{name} must have shape {want}, {meaning}; got shape {arr.shape}")
    return arr


def integer(name: str, value: Any, *, low: int | None = None, high: int | None = None) -> int:
    """``value`` as an ``int`` if it is a Python or numpy integer (not a bool) in [low, high]."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an integer; got {value!r} ({type(value).__name__})")
    if (low is not None and value < low) or (high is not None and value > high):
        raise ValueError(
            f"{name} must be an integer in [{'-inf' if low is None else low}, "
            f"{'inf' if high is None else high}]; got {value}"
        )
    return int(value)


def positive_int(name: str, value: Any) -> int:
    """Return ``value`` as an ``int`` if it is a positive integer, else raise."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be a positive integer; got {value!r} ({type(value).__name__})")
    if value < 1:
        raise ValueError(f"{name} must be a positive integer; got {value}")
    return int(value)


def flag(name: str, value: Any) -> bool:
    """``value`` as a bool if it is ``True``/``False`` (Python or numpy), else ``TypeError``."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False; got {value!r} ({type(value).__name__})")
    return bool(value)


def rng(name: str, value: Any) -> np.random.Generator:
    """A ``numpy.random.Generator`` from a seed (a non-negative integer or ``None``) or a Generator."""
    if isinstance(value, np.random.Generator):
        return value
    if value is not None:
        integer(name, value, low=0)
    return np.random.default_rng(value)


def function(name: str, value: Any, what: str) -> Any:
    """``value`` if it is callable, else a ``TypeError`` saying what it should be."""
    if not callable(value):
        raise TypeError(f"{name} must be {what}; got {type(value).__name__}")
    return value
