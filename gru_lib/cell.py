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
Pre-activations are computed so that no finite input can turn into a NaN or a warning: when a
rounded product overflows, the affected entries are computed again from inputs and weights scaled
by powers of two (exact), which gives the correctly signed ±inf where the true value exceeds the
largest float and the right finite value where only a partial sum overflowed. ±inf pre-activations
then saturate correctly: σ(+inf) = 1, σ(−inf) = 0, tanh(±inf) = ±1.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np

from . import checks, kernels
from .gates import RESET_PLACEMENTS, UPDATE_CONVENTIONS
from .params import GRUParams, as_params


@dataclasses.dataclass(frozen=True, eq=False)
class Trace:
    """Everything a run computed. T steps, batch B, hidden H, input D.

    ``h``        (T, B, H)  hidden state after each step
    ``z``        (T, B, H)  update gate
    ``r``        (T, B, H)  reset gate
    ``h_tilde``  (T, B, H)  candidate state
    ``h0``       (B, H)     the initial state
    ``update``, ``reset``   the convention and placement used ("keep"/"admit", "before"/"after")
    ``params``, ``xs``      the parameters and the inputs (T, B, D) of the run, or ``None`` for a
                            trace built by hand; :func:`gru_lib.backprop.bptt` needs them to check
                            that it is given the run it differentiates.

    Validated on construction: the names exactly as above, the four (T, B, H) arrays and ``h0``
    of consistent shapes and one float dtype, ``params``/``xs`` matching them. The arrays are
    stored read-only, so a trace cannot drift from the run that made it.
    """

    h: np.ndarray
    z: np.ndarray
    r: np.ndarray
    h_tilde: np.ndarray
    h0: np.ndarray
    update: str
    reset: str
    params: GRUParams | None = dataclasses.field(default=None, repr=False)
    xs: np.ndarray | None = dataclasses.field(default=None, repr=False)

    def __post_init__(self) -> None:
        check_modes(self.update, self.reset)
        h = checks.real_array("h", self.h)
        if h.ndim != 3:
            raise ValueError(f"h must have shape (T, B, H) = (time, batch, hidden); got shape {h.shape}")
        T, B, H = h.shape
        fields = {"h": h}
        for name in ("z", "r", "h_tilde"):
            fields[name] = checks.shape(
                name,
                checks.real_array(name, getattr(self, name), h.dtype),
                h.shape,
                f"(T, B, H) = {h.shape}, the shape of h",
            )
        fields["h0"] = checks.shape(
            "h0",
            checks.real_array("h0", self.h0, h.dtype),
            (B, H),
            f"(B, H) = (batch, hidden) with B={B}, H={H} from h",
        )
        if self.params is not None:
            p = as_params(self.params)
            if p.hidden_size != H or p.dtype != h.dtype:
                raise ValueError(
                    f"params must have hidden_size {H} and dtype {h.dtype} like h; "
                    f"got hidden_size {p.hidden_size} and dtype {p.dtype}"
                )
            if self.xs is not None:
                fields["xs"] = checks.shape(
                    "xs",
                    checks.real_array("xs", self.xs, h.dtype),
                    (T, B, p.input_size),
                    f"(T, B, D) with T={T}, B={B} from h and D={p.input_size} from params",
                )
        elif self.xs is not None:
            raise ValueError("xs needs params: a trace records both or neither")
        for name, arr in fields.items():
            if arr is getattr(self, name):  # never freeze the caller's own array
                arr = arr.copy()
            arr.flags.writeable = False
            object.__setattr__(self, name, arr)

    @property
    def h_last(self) -> np.ndarray:
        """The final state, shape (B, H) (``h0`` for an empty sequence)."""
        return self.h[-1] if len(self.h) else self.h0

    @property
    def kept(self) -> np.ndarray:
        """The share of the old state kept at each step, (T, B, H): z for keep, 1 − z for admit."""
        return self.z if self.update == "keep" else 1.0 - self.z


def check_modes(update: Any, reset: Any) -> tuple[str, str]:
    """``(update, reset)`` validated: ``update`` one of UPDATE_CONVENTIONS, ``reset`` one of RESET_PLACEMENTS."""
    return (checks.choice("update", update, UPDATE_CONVENTIONS), checks.choice("reset", reset, RESET_PLACEMENTS))


def initial_state(h0: Any, batch: int, params: GRUParams) -> np.ndarray:
    """The initial state, (B, H) in the parameters' dtype: zeros for ``None``, else ``h0`` validated."""
    H = params.hidden_size
    if h0 is None:
        return np.zeros((batch, H), dtype=params.dtype)
    h0 = checks.real_array("h0", h0, params.dtype)
    return checks.shape("h0", h0, (batch, H), f"(B, H) = (batch, hidden) with B={batch}, H={H}")


def _bias(params: GRUParams, gate: str, include_rec: bool = True) -> np.ndarray:
    b = getattr(params, f"b_{gate}")
    rec = getattr(params, f"b_{gate}_rec")
    return b + rec if include_rec and rec is not None else b


def step(
    params: GRUParams, x: Any, h_prev: Any = None, *, update: str, reset: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """One GRU step for a batch, written gate by gate as in the papers.

    ``x``: (B, D); ``h_prev``: (B, H) or ``None`` for zeros; both finite, converted to the
    parameters' dtype (a value that overflows it is refused). Returns ``(h, z, r, h_tilde)``, each (B, H).
    """
    params = as_params(params)
    update, reset = check_modes(update, reset)
    D = params.input_size
    x = checks.shape("x", checks.real_array("x", x, params.dtype), (None, D), f"(B, D) = (batch, input) with D={D}")
    return _step(params, x, initial_state(h_prev, x.shape[0], params), update, reset)


def _step(
    p: GRUParams, x: np.ndarray, h_prev: np.ndarray, update: str, reset: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """:func:`step` on inputs already checked."""
    z, one_minus_z = kernels.sigmoid_pair(kernels.preactivation(x, h_prev, p.W_z, p.U_z, _bias(p, "z")))
    r = kernels.logistic(kernels.preactivation(x, h_prev, p.W_r, p.U_r, _bias(p, "r")))
    if reset == "before":
        h_tilde = np.tanh(kernels.preactivation(x, r * h_prev, p.W_h, p.U_h, _bias(p, "h")))
    else:
        h_tilde = np.tanh(kernels.preactivation(x, h_prev, p.W_h, p.U_h, p.b_h, r=r, c=p.b_h_rec))
    return kernels.mix(update, z, one_minus_z, h_prev, h_tilde), z, r, h_tilde


def run(params: GRUParams, xs: Any, h0: Any = None, *, update: str, reset: str) -> Trace:
    """Run a GRU over a sequence, one :func:`step` at a time, and record every gate.

    ``xs``: (T, B, D) = (time, batch, input); ``h0``: (B, H) or ``None`` for zeros; both finite,
    converted to the parameters' dtype (a value that overflows it is refused).
    Returns a :class:`Trace` with arrays of shape (T, B, H): ``trace.h[t]`` is the state after
    step t + 1, i.e. h_{t+1} when the sequence starts from h_0. The trace also records
    ``params`` and ``xs``. Each step is the same computation as :func:`step`, so chaining
    :func:`step` gives the same arrays bit for bit.
    """
    params = as_params(params)
    update, reset = check_modes(update, reset)
    D = params.input_size
    xs = checks.real_array("xs", xs, params.dtype)
    if xs.ndim == 2 and xs.shape[1] == D:
        raise ValueError(
            f"xs must have shape (T, B, D) = (time, batch, input) with D={D}; got shape {xs.shape}. "
            "For a single sequence use xs[:, None, :] (batch of one)."
        )
    checks.shape("xs", xs, (None, None, D), f"(T, B, D) = (time, batch, input) with D={D}")
    h0 = initial_state(h0, xs.shape[1], params)
    h, steps = h0, []
    for x in xs:
        h, z, r, h_tilde = _step(params, x, h, update, reset)
        steps.append((h, z, r, h_tilde))
    if steps:
        hs, zs, rs, cands = (np.stack(parts) for parts in zip(*steps, strict=True))
    else:
        hs, zs, rs, cands = (np.zeros((0, *h0.shape), dtype=params.dtype) for _ in range(4))
    return Trace(h=hs, z=zs, r=rs, h_tilde=cands, h0=h0, update=update, reset=reset, params=params, xs=xs)
