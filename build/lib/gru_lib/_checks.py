"""Input validation shared by every gru_lib module.

Each helper either returns a clean numpy array or raises a ``TypeError`` /
``ValueError`` whose message says what was expected and what was given.
Nothing is broadcast silently.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

FLOAT_DTYPES = (np.float32, np.float64)


def choice(name: str, value: Any, allowed: Sequence[str]) -> str:
    """Return ``value`` if it is one of ``allowed``; otherwise raise ``ValueError``."""
    if not isinstance(value, str) or value not in allowed:
        options = ", ".join(repr(a) for a in allowed)
        raise ValueError(f"{name} must be one of {options}; got {value!r}")
    return value


def real_array(name: str, value: Any, dtype: Any = None) -> np.ndarray:
    """Convert ``value`` to a finite real floating-point array.

    Integers and floats are accepted; booleans, complex numbers, strings and
    objects are refused with a ``TypeError``. NaN or infinity raises
    ``ValueError``. ``dtype`` (float32/float64) casts the result; ``None``
    keeps a float input's own dtype and turns integers into float64.
    """
    if isinstance(value, (str, bytes)):
        raise TypeError(f"{name} must be a real numeric array; got a {type(value).__name__}")
    try:
        arr = np.asarray(value)
    except Exception as exc:  # ragged lists and the like
        raise TypeError(f"{name} must be a real numeric array; got {type(value).__name__} ({exc})") from exc
    kind = arr.dtype.kind
    if kind not in "fiu":
        what = {"b": "booleans", "c": "complex numbers", "U": "strings", "S": "bytes", "O": "Python objects"}
        raise TypeError(
            f"{name} must hold real numbers (float or int); got an array of "
            f"{what.get(kind, arr.dtype.name)} (dtype {arr.dtype})"
        )
    if dtype is not None:
        arr = arr.astype(dtype, copy=False)
    elif kind != "f" or arr.dtype.type not in FLOAT_DTYPES:
        arr = arr.astype(np.float64)
    if not np.all(np.isfinite(arr)):
        bad = int(np.size(arr) - np.count_nonzero(np.isfinite(arr)))
        raise ValueError(f"{name} must be finite; got {bad} NaN or infinite value(s) in an array of shape {arr.shape}")
    return arr


def shape(name: str, arr: np.ndarray, expected: tuple[int | None, ...], meaning: str) -> np.ndarray:
    """Check ``arr.shape`` against ``expected`` (``None`` = any size) and return ``arr``.

    ``meaning`` spells the axes out for the message, e.g. ``"(T, B, D) = (time, batch, input)"``.
    """
    ok = arr.ndim == len(expected) and all(e is None or e == s for e, s in zip(expected, arr.shape))
    if not ok:
        want = "(" + ", ".join("any" if e is None else str(e) for e in expected) + ")"
        raise ValueError(f"{name} must have shape {want}, {meaning}; got shape {arr.shape}")
    return arr


def positive_int(name: str, value: Any) -> int:
    """Return ``value`` as an ``int`` if it is a positive integer, else raise."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be a positive integer; got {value!r} ({type(value).__name__})")
    if value < 1:
        raise ValueError(f"{name} must be a positive integer; got {value}")
    return int(value)
