"""The two nonlinearities of a GRU and the update-gate mixing rule.

``sigmoid`` is numerically stable: no input produces a warning, and every finite input gets
σ to a few ulp of relative precision in either tail, the subnormal range included.
``sigmoid_pair`` returns σ(a) and σ(−a) = 1 − σ(a), each by its own formula; neither is
computed as a difference ``1 − σ``, which would lose every digit of a tiny result.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import checks, kernels

UPDATE_CONVENTIONS = ("keep", "admit")
RESET_PLACEMENTS = ("before", "after")


def sigmoid(a: Any) -> np.ndarray:
    """Logistic function σ(a) = 1 / (1 + e^(−a)), elementwise, any shape.

    ``a``: a real number or array (ints become float64, float32 stays float32); ±inf give the
    limits σ(+inf) = 1 and σ(−inf) = 0; NaN, booleans, complex numbers, strings and ``None``
    are refused. Accurate to a few ulp for every finite float, in both tails: for a very
    negative a (a < −700 in float64, a < −80 in float32) σ(a) is computed as e^a, the correctly
    rounded value even where it is subnormal (σ(−720) ≈ 2.0e−313), and it rounds to 0 only
    below about −745.1 (float64) or −103.3 (float32), where the true value is below half the
    smallest subnormal.
    """
    return kernels.logistic(checks.real_array("a", a, allow_inf=True))


def sigmoid_pair(a: Any) -> tuple[np.ndarray, np.ndarray]:
    """Return ``(σ(a), σ(−a))`` elementwise, each computed directly (see :func:`sigmoid`).

    σ(−a) equals 1 − σ(a) in exact arithmetic; computing it directly keeps its relative
    precision: for a = 40 it is 4.2e-18, where ``1 - sigmoid(40)`` gives 0.0. The pair is an
    exact mirror image: ``sigmoid_pair(-a)`` returns the same two arrays swapped, bit for bit.
    ``a`` is validated as for :func:`sigmoid`.
    """
    return kernels.sigmoid_pair(checks.real_array("a", a, allow_inf=True))


def mix(update: str, z: Any, one_minus_z: Any, h_prev: Any, h_tilde: Any, out: np.ndarray | None = None) -> np.ndarray:
    """Blend the old state and the candidate with the update gate.

    - ``"keep"``:  h = z ⊙ h_prev + (1 − z) ⊙ h̃   (z is the share of the old state kept)
    - ``"admit"``: h = (1 − z) ⊙ h_prev + z ⊙ h̃   (z is the share of the candidate written)

    ``one_minus_z`` is passed in (computed as σ(−a_z)), never formed as ``1 - z``.
    All four arrays must have the same shape, (B, H), and the same dtype (float32 or float64);
    ``z`` and ``one_minus_z`` must lie in [0, 1]; nothing is broadcast. ``out`` (optional, that
    shape and dtype) receives the result.
    """
    update = checks.choice("update", update, UPDATE_CONVENTIONS)
    arrays = [
        checks.real_array(n, v)
        for n, v in (("z", z), ("one_minus_z", one_minus_z), ("h_prev", h_prev), ("h_tilde", h_tilde))
    ]
    names = ("z", "one_minus_z", "h_prev", "h_tilde")
    for n, arr in zip(names[1:], arrays[1:], strict=True):
        if arr.shape != arrays[0].shape or arr.dtype != arrays[0].dtype:
            raise ValueError(
                f"{n} must have the shape and dtype of z, {arrays[0].shape} {arrays[0].dtype}; "
                f"got {arr.shape} {arr.dtype}"
            )
    for n, arr in zip(names[:2], arrays[:2], strict=True):
        if np.any((arr < 0) | (arr > 1)):
            raise ValueError(f"{n} must lie in [0, 1] (a gate value); got values from {arr.min()} to {arr.max()}")
    if out is not None and (
        not isinstance(out, np.ndarray) or out.shape != arrays[0].shape or out.dtype != arrays[0].dtype
    ):
        raise ValueError(
            f"out must be an array of shape {arrays[0].shape} and dtype {arrays[0].dtype}; "
            f"got {getattr(out, 'shape', type(out).__name__)}"
        )
    z, one_minus_z, h_prev, h_tilde = arrays
    return kernels.mix(update, z, one_minus_z, h_prev, h_tilde, out=out)
