"""Conversion between the keep and admit update conventions.

Because σ(−a) = 1 − σ(a), negating every parameter that feeds the update gate
turns z into 1 − z, which swaps the two terms of the update:

    run(convert(θ), update="admit")  ==  run(θ, update="keep")   (and vice versa)

The map φ = ``convert`` negates W_z, U_z, b_z and b_z_rec and leaves everything
else alone; φ(φ(θ)) = θ exactly, since negation is exact in floating point.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from . import checks
from .gates import UPDATE_CONVENTIONS
from .params import RECURRENT_BIAS_FIELDS, UPDATE_GATE_FIELDS, WEIGHT_FIELDS, GRUParams, as_params

#: The keys a gradient dict may have: GRUParams fields and a readout's (backprop.Readout.arrays()).
GRADIENT_KEYS = (*WEIGHT_FIELDS, *RECURRENT_BIAS_FIELDS, "W_out", "b_out")


def convert(params: GRUParams) -> GRUParams:
    """φ(θ): negate the update gate's input weights, recurrent weights and bias(es).

    The same function serves both directions (keep → admit and admit → keep):
    it is its own inverse.
    """
    params = as_params(params)
    return params.replace(**{f: -getattr(params, f) for f in UPDATE_GATE_FIELDS if getattr(params, f) is not None})


def other_convention(update: str) -> str:
    """``"admit"`` for ``"keep"`` and ``"keep"`` for ``"admit"``."""
    update = checks.choice("update", update, UPDATE_CONVENTIONS)
    return "admit" if update == "keep" else "keep"


def convert_gradient(grads: Mapping[str, Any]) -> dict[str, np.ndarray]:
    """The gradient seen through φ: negate the update-gate entries of a gradient dict.

    Since φ is linear and its own inverse, ∂L/∂φ(θ) = φ(∂L/∂θ). ``grads`` maps some of the
    :data:`GRADIENT_KEYS` (GRUParams field names, and ``W_out``, ``b_out`` of a readout, left
    alone) to finite real arrays; an unknown key (a misspelling would silently escape the sign
    flip) raises ``ValueError``. Integer arrays become float64, so −1 stays −1.
    """
    if not isinstance(grads, Mapping):
        raise TypeError(f"grads must be a mapping from parameter name to array; got {type(grads).__name__}")
    unknown = sorted(str(k) for k in grads if k not in GRADIENT_KEYS)
    if unknown:
        raise ValueError(f"grads must have keys among {list(GRADIENT_KEYS)}; got unknown {unknown}")
    out = {}
    for k, v in grads.items():
        arr = checks.real_array(f"grads[{k!r}]", v)
        out[k] = -arr if k in UPDATE_GATE_FIELDS else arr
    return out
