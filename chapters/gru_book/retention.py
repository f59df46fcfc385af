"""How long a GRU remembers: closed forms and small set-ups for the retention demos.

With a constant kept share k (k = z in the keep convention, 1 − z in admit) and a constant
candidate c, the update h_t = k h_{t−1} + (1 − k) c unrolls to

    h_t = k^t h_0 + (1 − k^t) c,

so the old state decays geometrically and halves every t½ = ln ½ / ln k steps.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from gru_lib import checks, kernels
from gru_lib.cell import Trace, run
from gru_lib.convert import convert
from gru_lib.gates import UPDATE_CONVENTIONS
from gru_lib.params import GRUParams


def _unit_interval(name: str, value: Any) -> np.ndarray:
    arr = checks.real_array(name, value)
    if np.any((arr < 0) | (arr > 1)):
        raise ValueError(f"{name} must lie in [0, 1]; got values from {arr.min()} to {arr.max()}")
    return arr


def half_life(kept: Any) -> np.ndarray | float:
    """Steps for the old state's weight to halve, t½ = ln ½ / ln k, for a kept share k ∈ [0, 1].

    k = 1 gives ``inf`` (nothing is ever forgotten), k = 0 gives 0. Accurate to a few ulp over
    the whole of (0, 1): ln k is computed as log1p(k − 1) for k ≥ ½ (k − 1 is exact there, so
    nothing is lost next to 1) and as log(k) below ½ (where k − 1 would round away the digits
    of a tiny k: 1e−17 − 1 is −1). No warning for any k, subnormals included.
    """
    k = _unit_interval("kept", kept)
    out = np.full(k.shape, np.inf)
    out[k == 0] = 0.0
    small = (k > 0) & (k < 0.5)
    near_one = (k >= 0.5) & (k < 1)
    out[small] = np.log(0.5) / np.log(k[small])
    out[near_one] = np.log(0.5) / np.log1p(k[near_one] - 1.0)
    return float(out) if out.ndim == 0 else out


def softplus(a: Any) -> np.ndarray:
    """log(1 + e^a) without overflow: max(a, 0) + log1p(e^(−|a|)). Same shape as ``a``."""
    a = checks.real_array("a", a)
    return np.maximum(a, 0.0) + np.log1p(np.exp(-np.abs(a)))


def half_life_from_logit(a: Any) -> np.ndarray | float:
    """t½ for a kept share k = σ(a), straight from the pre-activation ``a``.

    ln σ(a) = −softplus(−a), so t½ = ln 2 / softplus(−a). This stays finite and accurate where
    σ(a) rounds to 1 (a = 50 gives about 3.6e21 steps, not ∞); only when softplus(−a)
    underflows to 0 (a ≳ 745) is the answer ``inf``. No warnings for any finite ``a``.
    """
    sp = softplus(-checks.real_array("a", a))
    out = np.full(sp.shape, np.inf)
    pos = sp > 0
    out[pos] = np.log(2.0) / sp[pos]
    return float(out) if out.ndim == 0 else out


def kept_share(z: Any, update: str) -> np.ndarray | float:
    """The share of the old state a step keeps: z in the keep convention, 1 − z in admit."""
    update = checks.choice("update", update, UPDATE_CONVENTIONS)
    zz = _unit_interval("z", z)
    k = zz if update == "keep" else 1.0 - zz
    return float(k) if k.ndim == 0 else k


def closed_form(kept: Any, h0: float, candidate: float, steps: int) -> np.ndarray:
    """h_0, …, h_steps for a constant kept share and candidate: k^t h_0 + (1 − k^t) c. Shape (steps + 1,)."""
    k = checks.real_scalar("kept", kept, low=0.0, high=1.0)
    h0 = checks.real_scalar("h0", h0)
    candidate = checks.real_scalar("candidate", candidate)
    steps = checks.positive_int("steps", steps)
    t = np.arange(steps + 1)
    decay = k**t  # 0 ** 0 == 1, so h_0 is exact for k = 0 too
    return decay * h0 + (1.0 - decay) * candidate


def constant_gate_params(z: float, candidate: float, update: str) -> GRUParams:
    """A one-unit GRU whose update gate is the constant ``z`` and whose candidate is the constant ``candidate``.

    The gate and candidate weights are zero, so only the biases act: b_z = logit(z) and
    b_h = artanh(candidate). ``z`` must lie strictly inside (0, 1) and ``candidate`` inside (−1, 1)
    (a sigmoid and a tanh reach their ends only at infinity). ``update`` is accepted for symmetry
    and validated; the gate value does not depend on it.
    """
    checks.choice("update", update, UPDATE_CONVENTIONS)
    z = checks.real_scalar("z", z)
    c = checks.real_scalar("candidate", candidate)
    if not 0.0 < z < 1.0:
        raise ValueError(f"z must lie strictly between 0 and 1 for a finite bias; got {z}")
    if not -1.0 < c < 1.0:
        raise ValueError(f"candidate must lie strictly between -1 and 1 (a tanh output); got {c}")
    p = GRUParams.zeros(1, 1)
    return p.replace(b_z=np.array([np.log(z) - np.log1p(-z)]), b_h=np.array([np.arctanh(c)]))


def pulse_sequence(steps: int, *, at: int = 0, height: float = 1.0, noise: float = 0.0, seed: int = 0) -> np.ndarray:
    """A scalar input sequence, shape (steps, 1, 1): ``height`` at step ``at``, zeros (plus optional noise) elsewhere.

    ``at``: an integer in [0, steps − 1]; ``height``: a finite number; ``noise``: the standard
    deviation of Gaussian noise (finite, >= 0) drawn from ``seed`` (a non-negative integer).
    """
    steps = checks.positive_int("steps", steps)
    at = _step_index(at, steps)
    height = checks.real_scalar("height", height)
    noise = checks.real_scalar("noise", noise, low=0.0)
    rng = checks.rng("seed", seed)
    xs = np.zeros((steps, 1, 1))
    if noise:
        xs[:, 0, 0] = rng.normal(scale=noise, size=steps)
    xs[at, 0, 0] = height
    return xs


def _step_index(at: Any, steps: int) -> int:
    if isinstance(at, (bool, np.bool_)) or not isinstance(at, (int, np.integer)) or not 0 <= at < steps:
        raise ValueError(f"at must be an integer step in [0, {steps - 1}]; got {at!r}")
    return int(at)


def pulse_params(b_z: float, w_z: float = 0.0, *, w_h: float = 3.0) -> GRUParams:
    """A one-unit GRU for the pulse demo: update gate σ(w_z x + b_z), candidate tanh(w_h x).

    The reset gate and all recurrent weights are zero, so after the pulse the candidate is 0
    and the state decays by the kept share each step: what is left measures memory.
    """
    b_z = checks.real_scalar("b_z", b_z)
    w_z = checks.real_scalar("w_z", w_z)
    w_h = checks.real_scalar("w_h", w_h)
    p = GRUParams.zeros(1, 1)
    return p.replace(W_z=np.array([[w_z]]), b_z=np.array([b_z]), W_h=np.array([[w_h]]))


def run_pulse(b_z: float, w_z: float = 0.0, *, update: str, steps: int = 40, at: int = 2, noise: float = 0.0) -> Trace:
    """Run :func:`pulse_params` over :func:`pulse_sequence` (reset before; here the placement does not matter)."""
    return run(pulse_params(b_z, w_z), pulse_sequence(steps, at=at, noise=noise), update=update, reset="before")


def constant_gate_trajectory(z: Any, candidate: float, *, h0: float = 1.0, steps: int = 20, update: str) -> np.ndarray:
    """h_0, …, h_steps of one unit whose gate is the constant ``z`` ∈ [0, 1] and candidate the constant ``candidate``.

    Each step is gru_lib's own update rule (:func:`gru_lib.gates.mix`) with 1 − z given as the
    exact complement of ``z``, so z = 0 and z = 1 work too (a bias cannot reach them). Shape (steps + 1,).
    """
    update = checks.choice("update", update, UPDATE_CONVENTIONS)
    zz = np.array([[checks.real_scalar("z", z, low=0.0, high=1.0)]])
    c = np.array([[checks.real_scalar("candidate", candidate)]])
    h = np.array([[checks.real_scalar("h0", h0)]])
    steps = checks.positive_int("steps", steps)
    out = np.empty(steps + 1)
    out[0] = h[0, 0]
    for t in range(1, steps + 1):
        h = kernels.mix(update, zz, 1.0 - zz, h, c)
        out[t] = h[0, 0]
    return out


def run_pulse_pair(
    b_z: float, w_z: float = 0.0, *, converted: bool, steps: int = 40, at: int = 2, noise: float = 0.0
) -> tuple[Trace, Trace]:
    """The pulse model run in both conventions: ``(keep run with θ, admit run with θ or φ(θ))``.

    With ``converted=False`` both runs use the same weights θ (different models); with
    ``converted=True`` the admit run uses φ(θ) = :func:`gru_lib.convert` (θ), which gives the keep
    run's states bit for bit.
    """
    if not isinstance(converted, (bool, np.bool_)):
        raise TypeError(f"converted must be a bool (True or False); got {converted!r} ({type(converted).__name__})")
    theta = pulse_params(b_z, w_z)
    xs = pulse_sequence(steps, at=at, noise=noise)
    keep = run(theta, xs, update="keep", reset="before")
    admit = run(convert(theta) if converted else theta, xs, update="admit", reset="before")
    return keep, admit


def memory_steps(h: Any, *, at: int, fraction: float = 0.5) -> int:
    """Steps after the pulse at ``at`` during which |h_t| stays at least ``fraction`` of |h_at|.

    ``h`` is the trajectory of one unit: shape (T,), or a trace's (T, 1, 1) (batch of one, one
    hidden unit). Memory is a property of each unit, so a (T, B, H) trace with several units
    is refused with a ``ValueError``; pass one unit's trajectory, ``trace.h[:, b, j]``.
    ``fraction`` lies in (0, 1]. Returns 0 if the pulse left nothing.
    """
    arr = checks.real_array("h", h)
    if not (arr.ndim == 1 or (arr.ndim == 3 and arr.shape[1:] == (1, 1))):
        raise ValueError(
            f"h must be one unit's trajectory, shape (T,) or (T, 1, 1); got shape {arr.shape}. "
            "For a trace with several units pass one of them, e.g. trace.h[:, 0, j]"
        )
    traj = arr.reshape(-1)
    fraction = checks.real_scalar("fraction", fraction, low=0.0, high=1.0, open_low=True)
    if len(traj) == 0:
        raise ValueError("h must have at least one step; got an empty trajectory")
    at = _step_index(at, len(traj))
    peak = abs(traj[at])
    if peak == 0.0:
        return 0
    above = np.abs(traj[at + 1 :]) >= fraction * peak
    return int(len(above) if above.all() else np.argmin(above))


def moving_average(xs: Any, gate: float, *, update: str, start: float = 0.0) -> np.ndarray:
    """The GRU update with a constant gate and the input as candidate: an exponential moving average.

    ``xs``: the inputs x_1, …, x_T, shape (T,); ``gate``: the constant z ∈ [0, 1]; ``start``: the
    state before the first input. Each step is gru_lib's own update rule
    (:func:`gru_lib.gates.mix`) with h̃_t = x_t, so

    - ``"keep"``:  y_t = z y_{t−1} + (1 − z) x_t   (Adam's m_t with z = β₁),
    - ``"admit"``: y_t = (1 − z) y_{t−1} + z x_t   (pandas' ``ewm(alpha=z, adjust=False)``).

    Returns y_1, …, y_T, shape (T,).
    """
    update = checks.choice("update", update, UPDATE_CONVENTIONS)
    x = checks.shape("xs", checks.real_array("xs", xs), (None,), "(T,) = (time,)")
    z = np.array([[checks.real_scalar("gate", gate, low=0.0, high=1.0)]])
    y = np.array([[checks.real_scalar("start", start)]])
    out = np.empty(len(x))
    for t, value in enumerate(x):
        y = kernels.mix(update, z, 1.0 - z, y, np.array([[value]]))
        out[t] = y[0, 0]
    return out


def chrono_bias(time_constant: Any, update: str) -> np.ndarray | float:
    """The update-gate bias whose kept share is 1 − 1/T, for time constants T > 1.

    keep: σ(b_z) = 1 − 1/T gives b_z = log(T − 1); admit: σ(−b_z) = 1 − 1/T gives b_z = −log(T − 1).
    Chrono initialisation (Tallec & Ollivier 2018) draws T − 1 uniformly from [1, T_max − 1].
    """
    update = checks.choice("update", update, UPDATE_CONVENTIONS)
    T = checks.real_array("time_constant", time_constant)
    if np.any(T <= 1):
        raise ValueError(f"time_constant must be greater than 1 (a kept share 1 − 1/T > 0); got minimum {T.min()}")
    b = np.log(T - 1.0)
    b = b if update == "keep" else -b
    return float(b) if b.ndim == 0 else b
