"""Backpropagation through time for :func:`gru_lib.run`, and two small losses with their gradients.

Given the upstream gradient ``dh`` = ∂L/∂h_t of a loss with respect to every hidden state
(only the direct part, not what flows back through later steps), :func:`bptt` walks the
sequence backwards and returns ∂L/∂θ for every parameter present, keyed by the
:class:`~gru_lib.GRUParams` field names, and ∂L/∂h_0.

Per step, with g = ∂L/∂h_t (direct part plus what step t+1 sent back), k the kept share and
w = 1 − k the written share (k = z, w = 1 − z for keep; k = 1 − z, w = z for admit):

    ∂L/∂h̃ = g ⊙ w,   ∂L/∂h_prev ∋ g ⊙ k,   ∂L/∂z = ± g ⊙ (h_prev − h̃)   (+ keep, − admit)
    ∂L/∂a_z = ∂L/∂z ⊙ z ⊙ (1 − z),   ∂L/∂a_r = ∂L/∂r ⊙ r ⊙ (1 − r),   ∂L/∂a_h = ∂L/∂h̃ ⊙ (1 − h̃²)

The pair (z, 1 − z) is recomputed from the update gate's pre-activation with
:func:`gru_lib.sigmoid_pair`, as the forward pass computes it, never as ``1 - z``. Because
negating the update-gate parameters negates that pre-activation exactly, the gradients of
``run(convert(θ), update="admit")`` are then bit for bit ``convert_gradient`` of those of
``run(θ, update="keep")``.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np

from . import checks, kernels
from .cell import Trace, run
from .params import GATES, GRUParams, as_params

LOSSES = ("squared", "logistic")
COMPLEMENTS = ("pair", "subtract")


# ------------------------------------------------------------------------------ BPTT
def bptt(
    params: GRUParams, xs: Any, trace: Trace, dh: Any, *, complement: str = "pair"
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Gradients of a loss through a GRU run.

    ``xs``: (T, B, D), the inputs the run saw; ``trace``: what ``run(params, xs, h0, ...)``
    returned (its ``update`` and ``reset`` are used); ``dh``: (T, B, H), the direct gradient
    ∂L/∂h_t of the loss at every step (zeros where the loss does not look).

    The trace must be tied to this run: it records the parameters and inputs it came from, and
    ``params`` and ``xs`` must equal them (a ``ValueError`` otherwise), so a trace from other
    parameters of the same shapes, or a hand-built :class:`~gru_lib.Trace` that records neither,
    is refused rather than differentiated wrongly. A gradient that overflows the dtype (inputs
    near the largest float) raises ``ValueError`` instead of returning inf or NaN.

    ``complement`` says how 1 − z is obtained: ``"pair"`` (default) recomputes the update gate's
    pre-activation and takes σ(−a_z) from :func:`gru_lib.sigmoid_pair`, as the forward pass does;
    ``"subtract"`` takes z from the trace and forms ``1 - z`` literally, as a formula-as-written
    implementation would. Both are correct to rounding; only ``"pair"`` is exactly symmetric
    under the sign flip.

    Returns ``(grads, dh0)``: ``grads`` maps every field present in ``params`` to an array of
    the same shape; ``dh0`` is ∂L/∂h_0, shape (B, H).
    """
    p = as_params(params)
    if not isinstance(trace, Trace):
        raise TypeError(f"trace must be a gru_lib.Trace (what gru_lib.run returns); got {type(trace).__name__}")
    D, H = p.input_size, p.hidden_size
    xs = checks.shape(
        "xs", checks.real_array("xs", xs, p.dtype), (None, None, D), f"(T, B, D) = (time, batch, input) with D={D}"
    )
    T, B, _ = xs.shape
    _check_trace(trace, p, xs)
    dh = checks.shape(
        "dh",
        checks.real_array("dh", dh, p.dtype),
        (T, B, H),
        "(T, B, H) = (time, batch, hidden), the same shape as trace.h",
    )
    complement = checks.choice("complement", complement, COMPLEMENTS)
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        grads, dh0 = _bptt(p, xs, trace, dh, complement)
    bad = [name for name, g in (*grads.items(), ("dh0", dh0)) if not np.all(np.isfinite(g))]
    if bad:
        raise ValueError(
            f"the gradient overflows {p.dtype} in {bad}: xs, h0, dh or params are too large "
            f"(largest |xs| = {float(np.max(np.abs(xs), initial=0)):.3g})"
        )
    return grads, dh0


def _check_trace(trace: Trace, p: GRUParams, xs: np.ndarray) -> None:
    if trace.params is None or trace.xs is None:
        raise ValueError(
            "trace must come from gru_lib.run, which records its params and xs; "
            "got a Trace without them (built by hand?)"
        )
    if trace.params is not p and trace.params != p:
        raise ValueError(
            "trace must come from a run with these params; got a trace computed with other "
            f"parameters ({trace.params!r}, not equal to the given ones)"
        )
    if trace.xs.shape != xs.shape or not np.array_equal(trace.xs, xs):
        raise ValueError(
            f"trace must come from a run over xs; got a trace over other inputs "
            f"(shape {trace.xs.shape}, given xs {xs.shape})"
        )


def _bptt(
    p: GRUParams, xs: np.ndarray, trace: Trace, dh: np.ndarray, complement: str
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """:func:`bptt` on inputs already checked."""
    T, B, D = xs.shape
    H = p.hidden_size
    keep = trace.update == "keep"
    before = trace.reset == "before"

    # Pre-activation of the update gate at every step, recomputed: a_z = (W_z x + b_z) + U_z h_prev.
    h_prevs = np.concatenate([trace.h0[None], trace.h[:-1]])[:T]  # (T, B, H)
    b_z = p.b_z if p.b_z_rec is None else p.b_z + p.b_z_rec
    a_z = kernels.preactivation(xs, h_prevs, p.W_z, p.U_z, b_z)
    if complement == "pair":
        z, one_minus_z = kernels.sigmoid_pair(a_z)
    else:
        z, one_minus_z = trace.z, 1.0 - trace.z
    kept, written = (z, one_minus_z) if keep else (one_minus_z, z)
    r, cand = trace.r, trace.h_tilde
    rec = h_prevs @ p.U_h.T  # U_h h_prev + b_h_rec, the term the reset gate scales (reset after)
    if p.b_h_rec is not None:
        rec = rec + p.b_h_rec

    # Everything that does not depend on the gradient, for all steps at once. Each factor is
    # computed from mirrored quantities, so under the flip it is the same or its exact negative.
    gate_z = z * one_minus_z * ((h_prevs - cand) if keep else (cand - h_prevs))  # ∂h/∂a_z
    cand_in = written * (1.0 - cand * cand)  # ∂h/∂(candidate pre-activation)
    gate_r = r * (1.0 - r)
    scaled = r * h_prevs if before else rec  # what U_h multiplies (before) / what r multiplies (after)

    da = {g: np.empty((T, B, H), dtype=p.dtype) for g in GATES}  # ∂L/∂a_z, ∂L/∂a_r, ∂L/∂a_h
    dq = np.zeros((T, B, H), dtype=p.dtype)  # ∂L/∂(U_h h_prev + b_h_rec) (reset after)
    U_zr = np.concatenate([p.U_z, p.U_r])  # (2H, H): one product for both gates
    carry = np.zeros((B, H), dtype=p.dtype)
    for t in range(T - 1, -1, -1):
        g = dh[t] + carry
        da_z = g * gate_z[t]
        da_h = g * cand_in[t]
        if before:
            d_rh = da_h @ p.U_h  # ∂L/∂(r ⊙ h_prev)
            da_r = (d_rh * h_prevs[t]) * gate_r[t]
            d_hp = g * kept[t] + d_rh * r[t]
        else:
            dq_t = da_h * r[t]
            da_r = (da_h * scaled[t]) * gate_r[t]
            d_hp = g * kept[t] + dq_t @ p.U_h
            dq[t] = dq_t
        carry = d_hp + np.concatenate([da_z, da_r], axis=1) @ U_zr
        da["z"][t], da["r"][t], da["h"][t] = da_z, da_r, da_h

    flat_h = h_prevs.reshape(T * B, H)
    dU = {
        "z": da["z"].reshape(T * B, H).T @ flat_h,
        "r": da["r"].reshape(T * B, H).T @ flat_h,
        "h": (da["h"].reshape(T * B, H).T @ scaled.reshape(T * B, H) if before else dq.reshape(T * B, H).T @ flat_h),
    }

    flat_x = xs.reshape(T * B, D)
    grads: dict[str, np.ndarray] = {}
    for g in GATES:
        flat = da[g].reshape(T * B, H)
        grads[f"W_{g}"] = flat.T @ flat_x
        grads[f"U_{g}"] = dU[g]
        grads[f"b_{g}"] = flat.sum(axis=0)
    for g in GATES:
        if getattr(p, f"b_{g}_rec") is not None:
            src = dq if (g == "h" and not before) else da[g]
            grads[f"b_{g}_rec"] = src.reshape(T * B, H).sum(axis=0)
    ordered = {name: grads[name] for name in p.arrays()}
    return ordered, carry


# ----------------------------------------------------------------------- readout + loss
@dataclasses.dataclass(frozen=True, eq=False)
class Readout:
    """A linear readout y = W h + b from the hidden state: ``W`` (O, H), ``b`` (O,)."""

    W: np.ndarray
    b: np.ndarray

    def __post_init__(self) -> None:
        W = checks.real_array("W", self.W)
        if W.ndim != 2 or min(W.shape) < 1:
            raise ValueError(f"W must be a 2-D array of shape (O, H) = (outputs, hidden); got shape {W.shape}")
        b = checks.shape(
            "b",
            checks.real_array("b", self.b, W.dtype),
            (W.shape[0],),
            f"(O,) = (outputs,) with O={W.shape[0]} taken from W",
        )
        object.__setattr__(self, "W", W.copy())
        object.__setattr__(self, "b", b.copy())

    @classmethod
    def random(
        cls, hidden_size: int, outputs: int = 1, *, seed: int | np.random.Generator | None = 0, dtype: Any = np.float64
    ) -> Readout:
        """Uniform in [−1/√H, 1/√H], reproducible from ``seed``."""
        H = checks.positive_int("hidden_size", hidden_size)
        O = checks.positive_int("outputs", outputs)
        dtype = checks.float_dtype("dtype", dtype)
        rng = checks.rng("seed", seed)
        s = 1.0 / np.sqrt(H)
        return cls(rng.uniform(-s, s, (O, H)).astype(dtype), rng.uniform(-s, s, O).astype(dtype))

    def arrays(self) -> dict[str, np.ndarray]:
        """``{"W_out": W, "b_out": b}``: names that do not clash with GRUParams fields."""
        return {"W_out": self.W, "b_out": self.b}

    def __call__(self, h: Any) -> np.ndarray:
        """y = h Wᵀ + b for h of shape (..., H); returns (..., O).

        Entries whose true value exceeds the largest float are ±inf (never NaN, never a warning).
        """
        h = checks.real_array("h", h, self.W.dtype)
        if h.shape[-1:] != (self.W.shape[1],):
            raise ValueError(f"h must have last axis H={self.W.shape[1]}; got shape {h.shape}")
        return kernels.preactivation(h, None, self.W, None, self.b)


def squared_error(y: Any, target: Any) -> tuple[float, np.ndarray]:
    """L = mean over all entries of ½ (y − target)²; returns ``(L, ∂L/∂y)``.

    ``y``, ``target``: finite, same shape, not empty. L is computed with the differences scaled
    by the largest one, so it is finite whenever its true value is; where the true L (or a
    gradient entry) exceeds the largest float (|y − target| ≳ 1.3e154 in float64) a
    ``ValueError`` says so instead of returning inf.
    """
    y, target = _pair("y", y, "target", target)
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        diff = y - target
        m = np.max(np.abs(diff))
        loss = float(0.5 * np.mean(np.square(diff / m)) * m * m) if m > 0 else 0.0
        grad = diff / diff.size
    if not (np.isfinite(loss) and np.all(np.isfinite(grad))):
        raise ValueError(
            f"the squared error of y against target overflows {y.dtype}: the largest |y - target| is "
            f"{float(np.max(np.abs(y.astype(np.float64) / 2 - target / 2))) * 2:.3g}"
        )
    return loss, grad


def logistic_loss(y: Any, target: Any) -> tuple[float, np.ndarray]:
    """Logistic loss for labels ±1, L = mean of log(1 + e^(−target·y)); returns ``(L, ∂L/∂y)``.

    Computed as softplus(−t y) = max(−t y, 0) + log1p(e^(−|t y|)) and averaged without forming
    an overflowing sum, so neither L nor its gradient overflows for any finite ``y``.
    """
    y, target = _pair("y", y, "target", target)
    if not np.all(np.abs(target) == 1):
        raise ValueError(f"target must hold labels −1 or +1 for the logistic loss; got values {np.unique(target)[:5]}")
    m = -target * y
    with np.errstate(under="ignore"):
        loss = np.maximum(m, 0) + np.log1p(np.exp(-np.abs(m)))
        # ∂/∂y log(1 + e^m) = −t σ(m)
        return float(np.sum(loss / m.size)), -target * kernels.sigmoid_pair(m)[0] / m.size


def _pair(name_a: str, a: Any, name_b: str, b: Any) -> tuple[np.ndarray, np.ndarray]:
    a = checks.real_array(name_a, a)
    b = checks.real_array(name_b, b, a.dtype)
    if a.shape != b.shape:
        raise ValueError(f"{name_a} and {name_b} must have the same shape; got {a.shape} and {b.shape}")
    if a.size == 0:
        raise ValueError(f"{name_a} must not be empty")
    return a, b


def loss_and_grads(
    params: GRUParams,
    readout: Readout,
    xs: Any,
    targets: Any,
    *,
    update: str,
    reset: str,
    at: Any = -1,
    loss: str = "squared",
    h0: Any = None,
    complement: str = "pair",
) -> tuple[float, dict[str, np.ndarray], dict[str, np.ndarray], np.ndarray]:
    """Run the GRU, read out at the steps ``at`` and return the loss with every gradient.

    ``targets``: (len(at), B, O), or (B, O) when ``at`` is a single step (default: the last).
    ``loss``: ``"squared"`` or ``"logistic"`` (labels ±1). The loss is the mean over the
    chosen steps, the batch and the outputs. ``complement`` is passed to :func:`bptt`.

    Returns ``(L, grads, readout_grads, dh0)`` with ``grads`` keyed like ``params.arrays()``,
    ``readout_grads`` keyed ``"W_out"``, ``"b_out"`` and ``dh0`` of shape (B, H).
    """
    p = as_params(params)
    if not isinstance(readout, Readout):
        raise TypeError(f"readout must be a gru_lib.backprop.Readout; got {type(readout).__name__}")
    if readout.W.shape[1] != p.hidden_size:
        raise ValueError(f"readout.W must have shape (O, H) with H={p.hidden_size}; got {readout.W.shape}")
    loss = checks.choice("loss", loss, LOSSES)
    trace = run(p, xs, h0, update=update, reset=reset)
    T = trace.h.shape[0]
    if T == 0:
        raise ValueError("xs must have at least one step (T >= 1) for a loss; got T = 0")
    single = np.ndim(at) == 0
    steps = np.atleast_1d(np.asarray(at))
    if steps.dtype.kind not in "iu" or steps.ndim != 1 or steps.size == 0 or np.any((steps < -T) | (steps >= T)):
        raise ValueError(f"at must be a step index or a list of step indices in [-{T}, {T}); got {at!r}")
    steps = steps % T
    if len(np.unique(steps)) != len(steps):
        raise ValueError(f"at must not repeat a step; got {at!r}")
    hs = trace.h[steps]  # (S, B, H)
    y = readout(hs)
    targets = checks.real_array("targets", targets, p.dtype)
    if single:
        targets = targets[None]
    if targets.shape != y.shape:
        want = y.shape[1:] if single else y.shape
        raise ValueError(
            f"targets must have shape {want} = ({'' if single else 'steps, '}batch, outputs); "
            f"got {targets.shape[1:] if single else targets.shape}"
        )
    value, dy = (squared_error if loss == "squared" else logistic_loss)(y, targets)
    readout_grads = {"W_out": np.einsum("sbo,sbh->oh", dy, hs), "b_out": dy.sum(axis=(0, 1))}
    dh = np.zeros_like(trace.h)
    dh[steps] = dy @ readout.W
    grads, dh0 = bptt(p, xs, trace, dh, complement=complement)
    return value, grads, readout_grads, dh0


def finite_difference_gradient(loss: Any, params: GRUParams, eps: float = 1e-6) -> dict[str, np.ndarray]:
    """Central-difference gradient of ``loss(params) -> float`` at ``params``, one entry at a time.

    Independent of :func:`bptt` (and the numeric twin of :func:`gru_lib.symbolic.gradient`).
    Returns a dict from field name to an array of that field's shape. Cost: two loss
    evaluations per parameter, so keep the model small.
    """
    params = as_params(params)
    checks.function("loss", loss, "a function of a GRUParams returning a number")
    eps = checks.real_scalar("eps", eps)
    if eps <= 0:
        raise ValueError(f"eps must be a finite positive number; got {eps}")

    def value(p: GRUParams) -> float:
        return checks.real_scalar("loss(params)", loss(p))

    grads = {}
    for name, arr in params:
        g = np.zeros(arr.shape, dtype=np.float64)
        for idx in np.ndindex(arr.shape):
            step = np.zeros(arr.shape, dtype=arr.dtype)
            step[idx] = eps
            up = value(params.replace(**{name: arr + step}))
            down = value(params.replace(**{name: arr - step}))
            g[idx] = (up - down) / (2 * eps)
        grads[name] = g
    return grads
