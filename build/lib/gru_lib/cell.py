"""One GRU step and the sequence runner, for both update conventions and both reset placements.

Equations (column-vector form; a_* are pre-activations):

    z  = σ(a_z),  a_z = W_z x + U_z h_prev + b_z            update gate
    r  = σ(a_r),  a_r = W_r x + U_r h_prev + b_r            reset gate
    h̃  = tanh(W_h x + U_h (r ⊙ h_prev) + b_h)                reset="before"
    h̃  = tanh(W_h x + b_h + r ⊙ (U_h h_prev + b_h_rec))      reset="after"
    h  = z ⊙ h_prev + (1 − z) ⊙ h̃                            update="keep"
    h  = (1 − z) ⊙ h_prev + z ⊙ h̃                            update="admit"

Second biases (``b_z_rec``, ``b_r_rec``) add to ``b_z``, ``b_r``; with reset="before"
``b_h_rec`` adds to ``b_h`` too. 1 − z is always computed as σ(−a_z).
"""
from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np

from . import _checks
from .gates import RESET_PLACEMENTS, UPDATE_CONVENTIONS, mix, sigmoid_pair
from .params import GRUParams, as_params


@dataclasses.dataclass(frozen=True)
class Trace:
    """Everything a run computed. T steps, batch B, hidden H.

    ``h``        (T, B, H)  hidden state after each step
    ``z``        (T, B, H)  update gate
    ``r``        (T, B, H)  reset gate
    ``h_tilde``  (T, B, H)  candidate state
    ``h0``       (B, H)     the initial state
    ``update``, ``reset``   the convention and placement used
    """

    h: np.ndarray
    z: np.ndarray
    r: np.ndarray
    h_tilde: np.ndarray
    h0: np.ndarray
    update: str
    reset: str

    @property
    def h_last(self) -> np.ndarray:
        """The final state, shape (B, H) (``h0`` for an empty sequence)."""
        return self.h[-1] if len(self.h) else self.h0

    @property
    def kept(self) -> np.ndarray:
        """The share of the old state kept at each step, (T, B, H): z for keep, 1 − z for admit."""
        return self.z if self.update == "keep" else 1.0 - self.z


def _check_modes(update: Any, reset: Any) -> tuple[str, str]:
    return (_checks.choice("update", update, UPDATE_CONVENTIONS),
            _checks.choice("reset", reset, RESET_PLACEMENTS))


def _state(h0: Any, batch: int, params: GRUParams) -> np.ndarray:
    H = params.hidden_size
    if h0 is None:
        return np.zeros((batch, H), dtype=params.dtype)
    h0 = _checks.real_array("h0", h0, params.dtype)
    return _checks.shape("h0", h0, (batch, H), f"(B, H) = (batch, hidden) with B={batch}, H={H}")


def _bias(params: GRUParams, gate: str, include_rec: bool = True) -> np.ndarray:
    b = getattr(params, f"b_{gate}")
    rec = getattr(params, f"b_{gate}_rec")
    return b + rec if include_rec and rec is not None else b


def step(params: GRUParams, x: Any, h_prev: Any = None, *, update: str, reset: str
         ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """One GRU step for a batch, written gate by gate as in the papers.

    ``x``: (B, D); ``h_prev``: (B, H) or ``None`` for zeros.
    Returns ``(h, z, r, h_tilde)``, each (B, H).
    """
    params = as_params(params)
    update, reset = _check_modes(update, reset)
    D = params.input_size
    x = _checks.shape("x", _checks.real_array("x", x, params.dtype), (None, D),
                      f"(B, D) = (batch, input) with D={D}")
    return _step(params, x, _state(h_prev, x.shape[0], params), update, reset)


def _step(p: GRUParams, x: np.ndarray, h_prev: np.ndarray, update: str, reset: str
          ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """:func:`step` on inputs already checked."""
    z, one_minus_z = sigmoid_pair(x @ p.W_z.T + h_prev @ p.U_z.T + _bias(p, "z"))
    r = sigmoid_pair(x @ p.W_r.T + h_prev @ p.U_r.T + _bias(p, "r"))[0]
    if reset == "before":
        h_tilde = np.tanh(x @ p.W_h.T + (r * h_prev) @ p.U_h.T + _bias(p, "h"))
    else:
        rec = h_prev @ p.U_h.T
        if p.b_h_rec is not None:
            rec = rec + p.b_h_rec
        h_tilde = np.tanh(x @ p.W_h.T + p.b_h + r * rec)
    return mix(update, z, one_minus_z, h_prev, h_tilde), z, r, h_tilde


def run(params: GRUParams, xs: Any, h0: Any = None, *, update: str, reset: str) -> Trace:
    """Run a GRU over a sequence, one :func:`step` at a time, and record every gate.

    ``xs``: (T, B, D) = (time, batch, input); ``h0``: (B, H) or ``None`` for zeros.
    Returns a :class:`Trace` with arrays of shape (T, B, H): ``trace.h[t]`` is the state after
    step t + 1, i.e. h_{t+1} when the sequence starts from h_0.
    """
    params = as_params(params)
    update, reset = _check_modes(update, reset)
    D = params.input_size
    xs = _checks.real_array("xs", xs, params.dtype)
    if xs.ndim == 2 and xs.shape[1] == D:
        raise ValueError(f"xs must have shape (T, B, D) = (time, batch, input) with D={D}; got shape {xs.shape}. "
                         "For a single sequence use xs[:, None, :] (batch of one).")
    _checks.shape("xs", xs, (None, None, D), f"(T, B, D) = (time, batch, input) with D={D}")
    h0 = _state(h0, xs.shape[1], params)
    h, steps = h0, []
    for x in xs:
        h, z, r, h_tilde = _step(params, x, h, update, reset)
        steps.append((h, z, r, h_tilde))
    if steps:
        hs, zs, rs, cands = (np.stack(parts) for parts in zip(*steps, strict=True))
    else:
        hs, zs, rs, cands = (np.zeros((0, *h0.shape), dtype=params.dtype) for _ in range(4))
    return Trace(h=hs, z=zs, r=rs, h_tilde=cands, h0=h0.copy(), update=update, reset=reset)
