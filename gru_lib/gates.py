"""The two nonlinearities of a GRU and the update-gate mixing rule.

``sigmoid`` is numerically stable: it never evaluates ``exp`` of a positive
number, so no input, however large, overflows. ``sigmoid_pair`` returns
σ(a) and σ(−a) = 1 − σ(a) from one exponential; neither is computed as a
difference ``1 − σ``, which would lose every digit of a tiny result.
"""
from __future__ import annotations

import numpy as np

UPDATE_CONVENTIONS = ("keep", "admit")
RESET_PLACEMENTS = ("before", "after")


def sigmoid(a: np.ndarray | float) -> np.ndarray:
    """Logistic function σ(a) = 1 / (1 + e^(−a)), elementwise, any shape.

    Computed as 1/(1+e) for a ≥ 0 and e/(1+e) for a < 0 with e = e^(−|a|) ≤ 1,
    so it is exact to rounding for every finite float and never overflows.
    """
    return sigmoid_pair(a)[0]


def sigmoid_pair(a: np.ndarray | float) -> tuple[np.ndarray, np.ndarray]:
    """Return ``(σ(a), σ(−a))`` elementwise, both to full relative precision.

    σ(−a) equals 1 − σ(a) in exact arithmetic; here it is computed directly,
    so for a = 40 it is 4.2e-18 rather than the 0.0 that ``1 - sigmoid(40)`` gives.
    """
    a = np.asarray(a)
    if a.dtype.kind != "f":
        a = a.astype(np.float64)
    e = np.exp(-np.abs(a))
    big = 1.0 / (1.0 + e)  # σ(|a|) ∈ [0.5, 1]
    small = e * big  # σ(−|a|) ∈ (0, 0.5]
    nonneg = a >= 0
    return np.where(nonneg, big, small), np.where(nonneg, small, big)


def mix(update: str, z: np.ndarray, one_minus_z: np.ndarray, h_prev: np.ndarray, h_tilde: np.ndarray) -> np.ndarray:
    """Blend the old state and the candidate with the update gate.

    - ``"keep"``:  h = z ⊙ h_prev + (1 − z) ⊙ h̃   (z is the share of the old state kept)
    - ``"admit"``: h = (1 − z) ⊙ h_prev + z ⊙ h̃   (z is the share of the candidate written)

    ``one_minus_z`` is passed in (computed as σ(−a_z)), never formed as ``1 - z``.
    All arrays have the same shape, (B, H).
    """
    if update == "keep":
        return z * h_prev + one_minus_z * h_tilde
    return one_minus_z * h_prev + z * h_tilde
