"""Conversion between the keep and admit update conventions.

Because σ(−a) = 1 − σ(a), negating every parameter that feeds the update gate
turns z into 1 − z, which swaps the two terms of the update:

    run(convert(θ), update="admit")  ==  run(θ, update="keep")   (and vice versa)

The map φ = ``convert`` negates W_z, U_z, b_z and b_z_rec and leaves everything
else alone; φ(φ(θ)) = θ exactly, since negation is exact in floating point.
"""
from __future__ import annotations

import numpy as np

from . import _checks
from .gates import UPDATE_CONVENTIONS
from .params import UPDATE_GATE_FIELDS, GRUParams, as_params


def convert(params: GRUParams) -> GRUParams:
    """φ(θ): negate the update gate's input weights, recurrent weights and bias(es).

    The same function serves both directions (keep → admit and admit → keep):
    it is its own inverse.
    """
    params = as_params(params)
    return params.replace(**{f: -getattr(params, f) for f in UPDATE_GATE_FIELDS if getattr(params, f) is not None})


def other_convention(update: str) -> str:
    """``"admit"`` for ``"keep"`` and ``"keep"`` for ``"admit"``."""
    update = _checks.choice("update", update, UPDATE_CONVENTIONS)
    return "admit" if update == "keep" else "keep"


def convert_gradient(grads: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The gradient seen through φ: negate the update-gate entries of a gradient dict.

    Since φ is linear and its own inverse, ∂L/∂φ(θ) = φ(∂L/∂θ).
    """
    return {k: (-v if k in UPDATE_GATE_FIELDS else v) for k, v in grads.items()}
