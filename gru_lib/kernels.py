"""The arithmetic of a GRU step, on arrays that their callers have already validated.

:mod:`gru_lib.gates`, :mod:`gru_lib.cell`, :mod:`gru_lib.backprop` and :mod:`gru_lib.textbook`
check their arguments at the boundary (with :mod:`gru_lib.checks`) and then call these functions,
which check nothing: float32/float64 arrays of matching shapes, ±inf allowed where stated.
Keeping them in one module lets every caller use the same numerics without private imports.
"""

from __future__ import annotations

import numpy as np

__all__ = ["TAIL", "logistic", "mix", "preactivation", "sigmoid_pair"]

#: Below −TAIL, σ(a) = e^a / (1 + e^a) is e^a to within a relative 1e−300 (float64) or 1e−34
#: (float32), so the tail is e^a itself, which stays representable (as a subnormal) where
#: e^(−a) would overflow; above −TAIL, e^(−a) < 1e304 (float64) or 6e34 (float32) cannot overflow.
TAIL = {np.dtype(np.float64): 700.0, np.dtype(np.float32): 80.0}


def sigmoid_pair(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(σ(a), σ(−a)) of a float32/float64 array (±inf allowed): :func:`gru_lib.gates.sigmoid_pair` unchecked."""
    return logistic(a), logistic(np.negative(a))


def logistic(a: np.ndarray) -> np.ndarray:
    """σ(a) for a float32/float64 array (±inf allowed), as 1/(1 + e^(−a)), or e^a below −TAIL."""
    lim = TAIL[a.dtype]
    out = np.negative(a, out=np.empty_like(a))
    if out.size and out.max() > lim:  # some a < −TAIL: e^(−a) could overflow there
        return _logistic_with_tail(a, lim)
    with np.errstate(under="ignore"):
        np.exp(out, out=out)  # e^(−a) for a >= −TAIL: never overflows
    out += 1.0
    return np.reciprocal(out, out=out)


def _logistic_with_tail(a: np.ndarray, lim: float) -> np.ndarray:
    """:func:`logistic` where some entries lie below −TAIL: those are e^a (subnormal if need be)."""
    with np.errstate(under="ignore"):
        out = np.negative(np.maximum(a, -lim), out=np.empty_like(a))
        np.exp(out, out=out)
        out += 1.0
        np.reciprocal(out, out=out)
        tail = a < -lim
        out[tail] = np.exp(a[tail])
    return out


def mix(
    update: str,
    z: np.ndarray,
    one_minus_z: np.ndarray,
    h_prev: np.ndarray,
    h_tilde: np.ndarray,
    out: np.ndarray | None = None,
) -> np.ndarray:
    """:func:`gru_lib.gates.mix` on arrays already checked."""
    kept, written = (z, one_minus_z) if update == "keep" else (one_minus_z, z)
    out = np.multiply(kept, h_prev, out=out)
    out += written * h_tilde
    return out


def preactivation(
    x: np.ndarray,
    h: np.ndarray | None,
    W: np.ndarray,
    U: np.ndarray | None,
    b: np.ndarray,
    r: np.ndarray | None = None,
    c: np.ndarray | None = None,
) -> np.ndarray:
    """W x + U h + b, or with ``r`` (reset after) W x + b + r ⊙ (U h + c), for x (..., D), h (..., H).

    ``h`` and ``U`` may both be ``None`` (W x + b alone).

    Never NaN and never a warning for finite arguments: entries whose rounded products overflow
    are recomputed from x, h scaled by 2^−e and the weights by 2^−f (so every product is at most 1),
    then scaled back by 2^(e+f), which is ±inf only where the true value exceeds the largest float.
    """
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        a = _combine(x, h, W, U, b, r, c)
        bad = ~np.isfinite(a)
        if np.any(bad):
            e, f = _exponent(x, h), _exponent(W, U, b, c)
            scaled = _combine(
                np.ldexp(x, -e),
                _ldexp(h, -e),
                np.ldexp(W, -f),
                _ldexp(U, -f),
                np.ldexp(b, -e - f),
                r,
                _ldexp(c, -e - f),
            )
            a[bad] = np.ldexp(scaled, e + f)[bad]
    return a


def _ldexp(a: np.ndarray | None, e: int) -> np.ndarray | None:
    return None if a is None else np.ldexp(a, e)


def _combine(
    x: np.ndarray,
    h: np.ndarray | None,
    W: np.ndarray,
    U: np.ndarray | None,
    b: np.ndarray,
    r: np.ndarray | None,
    c: np.ndarray | None,
) -> np.ndarray:
    if h is None or U is None:
        return x @ W.T + b
    if r is None:
        return x @ W.T + h @ U.T + b
    rec = h @ U.T
    if c is not None:
        rec = rec + c
    return x @ W.T + b + r * rec


def _exponent(*arrays: np.ndarray | None) -> int:
    """The smallest e >= 0 with every |entry| < 2^e."""
    biggest = max(float(np.max(np.abs(a), initial=0.0)) for a in arrays if a is not None)
    return max(0, int(np.frexp(biggest)[1]))
