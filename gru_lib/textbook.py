"""A plain reference GRU, written the way textbooks print it.

Per time step and per gate: three separate input products and three separate
recurrent products, no packing. Slow on purpose; it is the yardstick the
benchmark compares :func:`gru_lib.run` with, and an independent implementation
the tests check the runner against.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import checks, kernels
from .cell import check_modes, initial_state
from .params import GRUParams, as_params


def run_textbook(params: GRUParams, xs: Any, h0: Any = None, *, update: str, reset: str) -> np.ndarray:
    """Hidden states (T, B, H) of a GRU over ``xs`` (T, B, D), computed step by step, gate by gate.

    Arguments are validated as for :func:`gru_lib.run`; 1 − z is formed literally. The products
    are plain, so inputs large enough to overflow them are refused with a ``ValueError``
    (:func:`gru_lib.run` computes those correctly).
    """
    p = as_params(params)
    update, reset = check_modes(update, reset)
    D = p.input_size
    xs = checks.shape(
        "xs", checks.real_array("xs", xs, p.dtype), (None, None, D), f"(T, B, D) = (time, batch, input) with D={D}"
    )
    h = initial_state(h0, xs.shape[1], p)
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        hs = _loop(p.with_recurrent_biases(), xs, h, update, reset)
    if not np.all(np.isfinite(hs)):
        raise ValueError(
            f"xs or h0 are so large that the textbook loop's products overflow {p.dtype}; gru_lib.run handles them"
        )
    return hs


def _loop(p: GRUParams, xs: np.ndarray, h: np.ndarray, update: str, reset: str) -> np.ndarray:
    T, B, _ = xs.shape
    out = []
    sigmoid = kernels.logistic
    for t in range(T):
        x = xs[t]
        z = sigmoid(x @ p.W_z.T + p.b_z + h @ p.U_z.T + p.b_z_rec)
        r = sigmoid(x @ p.W_r.T + p.b_r + h @ p.U_r.T + p.b_r_rec)
        if reset == "before":
            h_tilde = np.tanh(x @ p.W_h.T + p.b_h + (r * h) @ p.U_h.T + p.b_h_rec)
        else:
            h_tilde = np.tanh(x @ p.W_h.T + p.b_h + r * (h @ p.U_h.T + p.b_h_rec))
        if update == "keep":
            h = z * h + (1 - z) * h_tilde
        else:
            h = (1 - z) * h + z * h_tilde
        out.append(h)
    return np.stack(out) if out else np.zeros((0, B, p.hidden_size), dtype=p.dtype)
