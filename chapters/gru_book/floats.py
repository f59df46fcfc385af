"""Rounding in the identity σ(x) = 1 − σ(−x) and in the two update conventions.

- :func:`complement_by_subtraction` forms 1 − σ(−x) the way a formula-as-written code does.
- :func:`relative_errors` measures it, and gru_lib's direct σ(x), against a 50-digit reference.
- :func:`zero_threshold` finds where 1 − σ(−x) rounds to exactly 0 (every digit lost).
- :func:`convention_drift` runs keep with θ and admit with φ(θ) and returns, step by step,
  how far apart their hidden states are: exactly 0 for :func:`gru_lib.run`, a few units of
  rounding (or more, in chaotic dynamics) for :func:`gru_lib.run_textbook`, which forms 1 − z literally.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from gru_lib import checks
from gru_lib.cell import run
from gru_lib.convert import convert
from gru_lib.gates import sigmoid, sigmoid_pair
from gru_lib.params import GRUParams, as_params
from gru_lib.textbook import run_textbook

IMPLEMENTATIONS = ("gru_lib", "textbook")


def _dtype(dtype: Any) -> np.dtype:
    return checks.float_dtype("dtype", dtype)


def unit_roundoff(dtype: Any) -> float:
    """u = ε/2, the largest relative error of one correctly rounded operation: 2⁻²⁴ or 2⁻⁵³."""
    return float(np.finfo(_dtype(dtype)).eps) / 2


def complement_by_subtraction(x: Any, dtype: Any = np.float64) -> np.ndarray:
    """1 − σ(−x), evaluated in ``dtype`` with a literal subtraction (σ itself computed stably)."""
    dt = _dtype(dtype)
    x = checks.real_array("x", x, dt)
    return dt.type(1) - sigmoid(-x)


def reference_sigmoid(x: Any) -> np.ndarray:
    """σ(x) to 50 significant digits (mpmath, installed with sympy), rounded to float64. ``x`` is taken exactly.

    Below x ≈ −745.1 the true σ(x) is below half the smallest subnormal and rounds to 0.
    """
    x = checks.real_array("x", x)
    return np.array([float(v) for v in _exact_sigmoid(x)], dtype=np.float64).reshape(x.shape)


def _exact_sigmoid(x: np.ndarray) -> list[Any]:
    """σ of every entry of ``x`` (flattened) as 50-digit mpmath numbers."""
    import mpmath  # only this reference needs it; gru_lib itself depends on numpy alone

    with mpmath.workdps(50):
        return [1 / (1 + mpmath.exp(-mpmath.mpf(float(v)))) for v in x.ravel()]


def relative_errors(x: Any, dtype: Any) -> tuple[np.ndarray, np.ndarray]:
    """Relative errors of two ways to get σ(x) in ``dtype``, for the values of ``x`` rounded to ``dtype``.

    Returns ``(subtract, direct)``: ``subtract`` for 1 − σ(−x) formed by subtraction,
    ``direct`` for σ(x) from :func:`gru_lib.sigmoid_pair` (computed from e^(−|x|), no subtraction).
    Both are measured in 50-digit arithmetic against the exact σ of the same (rounded) x, never
    against a reference rounded to float64, so they stay finite where σ(x) underflows (below
    x ≈ −745 in float64): a result of 0 there has relative error exactly 1. ``x``: finite, any shape.
    """
    import mpmath

    dt = _dtype(dtype)
    xd = checks.real_array("x", x, dt)
    exact = _exact_sigmoid(xd)
    sub = complement_by_subtraction(xd, dt).ravel()
    direct = sigmoid_pair(xd)[0].ravel()
    with mpmath.workdps(50):
        errs = [[float(abs(mpmath.mpf(float(v[i])) - e) / e) for i, e in enumerate(exact)] for v in (sub, direct)]
    return (np.array(errs[0]).reshape(xd.shape), np.array(errs[1]).reshape(xd.shape))


def zero_threshold(dtype: Any) -> float:
    """The largest x (as a float64 number) at which 1 − σ(−x), computed in ``dtype``, is exactly 0.

    Found by bisection on [−200, 0]; for every x at or below it the subtraction returns 0.
    """
    dt = _dtype(dtype)
    lo, hi = -200.0, 0.0
    for _ in range(200):
        mid = (lo + hi) / 2
        if mid in (lo, hi):
            break
        if complement_by_subtraction(mid, dt) == 0:
            lo = mid
        else:
            hi = mid
    return lo


def convention_drift(params: GRUParams, xs: Any, *, implementation: str, reset: str = "before") -> np.ndarray:
    """max |h_keep,t − h_admit,t| at every step t, shape (T,), in the dtype of ``params``.

    h_keep comes from ``params`` with update="keep", h_admit from ``convert(params)`` with
    update="admit", both computed by ``implementation``: ``"gru_lib"`` (:func:`gru_lib.run`,
    1 − z as σ(−a)) or ``"textbook"`` (:func:`gru_lib.run_textbook`, 1 − z by subtraction).
    """
    p = as_params(params)
    implementation = checks.choice("implementation", implementation, IMPLEMENTATIONS)
    xs = checks.shape(
        "xs",
        checks.real_array("xs", xs, p.dtype),
        (None, None, p.input_size),
        f"(T, B, D) = (time, batch, input) with D={p.input_size}",
    )
    if implementation == "gru_lib":
        keep = run(p, xs, update="keep", reset=reset).h
        admit = run(convert(p), xs, update="admit", reset=reset).h
    else:
        checks.choice("reset", reset, ("before", "after"))
        keep = run_textbook(p, xs, update="keep", reset=reset)
        admit = run_textbook(convert(p), xs, update="admit", reset=reset)
    return np.max(np.abs(keep - admit), axis=(1, 2)) if len(xs) else np.zeros(0, dtype=p.dtype)


def precision_gap(params: GRUParams, xs: Any, *, reset: str = "before") -> np.ndarray:
    """max |h_t(float32) − h_t(float64)| at every step for the keep convention, shape (T,).

    The yardstick for :func:`convention_drift`: how far ordinary float32 rounding alone moves the states.
    ``xs``: (T, B, D); values or parameters beyond float32's range are refused with a ``ValueError``.
    """
    p = as_params(params)
    p32, p64 = p.astype(np.float32), p.astype(np.float64)
    xs64 = checks.real_array("xs", xs, np.float64)
    h32 = run(p32, xs64, update="keep", reset=reset).h
    h64 = run(p64, xs64, update="keep", reset=reset).h
    return np.max(np.abs(h32.astype(np.float64) - h64), axis=(1, 2)) if len(xs64) else np.zeros(0)
