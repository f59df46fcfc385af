"""A plain reference GRU, written the way textbooks print it.

Per time step and per gate: three separate input products and three separate
recurrent products, no packing. Slow on purpose; it is the yardstick the
benchmark compares :func:`gru_lib.run` with, and an independent implementation
the tests check the runner against.
"""
from __future__ import annotations

import numpy as np

from .gates import sigmoid
from .params import GRUParams


def run_textbook(params: GRUParams, xs: np.ndarray, h0: np.ndarray | None = None, *,
                 update: str, reset: str) -> np.ndarray:
    """Hidden states (T, B, H) of a GRU over ``xs`` (T, B, D), computed step by step, gate by gate.

    Inputs are assumed valid (this is a reference, not an API); 1 − z is formed literally.
    """
    p = params.with_recurrent_biases()
    T, B, _ = xs.shape
    h = np.zeros((B, p.hidden_size), dtype=p.dtype) if h0 is None else h0
    out = []
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
