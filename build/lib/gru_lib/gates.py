"""The two nonlinearities of a GRU and the update-gate mixing rule.

``sigmoid`` is numerically stable: no finite input, however large, produces a
warning, a NaN or a loss of relative precision in either tail. ``sigmoid_pair``
returns σ(a) and σ(−a) = 1 − σ(a), each by its own formula; neither is computed
as a difference ``1 − σ``, which would lose every digit of a tiny result.
"""
from __future__ import annotations

import numpy as np

UPDATE_CONVENTIONS = ("keep", "admit")
RESET_PLACEMENTS = ("before", "after")


def sigmoid(a: np.ndarray | float) -> np.ndarray:
    """Logistic function σ(a) = 1 / (1 + e^(−a)), elementwise, any shape.

    Accurate to a few ulp in both tails for every finite float. For a very negative a,
    e^(−a) overflows to +inf and 1/(1 + inf) = 0 is the correctly rounded result; that
    overflow is expected and not reported as a warning.
    """
    return sigmoid_pair(a)[0]


def sigmoid_pair(a: np.ndarray | float) -> tuple[np.ndarray, np.ndarray]:
    """Return ``(σ(a), σ(−a))`` elementwise, each computed directly: 1/(1 + e^(−a)) and 1/(1 + e^a).

    σ(−a) equals 1 − σ(a) in exact arithmetic; computing it directly keeps its relative
    precision: for a = 40 it is 4.2e-18, where ``1 - sigmoid(40)`` gives 0.0. The pair is an
    exact mirror image: ``sigmoid_pair(-a)`` returns the same two arrays swapped, bit for bit.
    """
    a = np.asarray(a)
    if a.dtype.kind != "f":
        a = a.astype(np.float64)
    with np.errstate(over="ignore"):
        return _sigmoid(np.negative(a, out=np.empty_like(a))), _sigmoid(np.array(a, copy=True))


def _sigmoid(minus_a: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """σ(a) = 1/(1 + e^(−a)) given −a, written into ``out`` (default: over ``minus_a`` itself).

    Given +a instead, the same call returns σ(−a) = 1 − σ(a) without any subtraction.

    Call inside ``np.errstate(over="ignore")``: e^(−a) = inf for a ≪ 0 yields the correct 0.
    """
    out = minus_a if out is None else out
    np.exp(minus_a, out=out)
    out += 1.0
    return np.reciprocal(out, out=out)


def mix(update: str, z: np.ndarray, one_minus_z: np.ndarray, h_prev: np.ndarray, h_tilde: np.ndarray,
        out: np.ndarray | None = None) -> np.ndarray:
    """Blend the old state and the candidate with the update gate.

    - ``"keep"``:  h = z ⊙ h_prev + (1 − z) ⊙ h̃   (z is the share of the old state kept)
    - ``"admit"``: h = (1 − z) ⊙ h_prev + z ⊙ h̃   (z is the share of the candidate written)

    ``one_minus_z`` is passed in (computed as σ(−a_z)), never formed as ``1 - z``.
    All arrays have the same shape, (B, H); ``out`` (optional) receives the result.
    """
    kept, written = (z, one_minus_z) if update == "keep" else (one_minus_z, z)
    out = np.multiply(kept, h_prev, out=out)
    out += written * h_tilde
    return out
