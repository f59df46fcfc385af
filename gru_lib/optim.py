"""Two small optimizers, plain SGD and Adam, over named parameter arrays.

Both take the parameters either as a :class:`~gru_lib.GRUParams` or as a mapping from names to
arrays (for example a GRU's fields together with a readout's ``W_out``, ``b_out``), a gradient
mapping with the same keys, and return new parameters of the same kind; nothing is changed in place.

Both updates are odd in the gradient: negating a parameter and its gradient negates the
step exactly (in floating point too), which is why training commutes with the sign flip φ.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from . import checks
from .params import GRUParams

Params = GRUParams | Mapping[str, np.ndarray]


def _unpack(params: Any, grads: Any) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    if isinstance(params, GRUParams):
        arrays = params.arrays()
    elif isinstance(params, Mapping):
        if not params:
            raise ValueError("params must hold at least one array; got an empty mapping")
        arrays = {k: checks.real_array(f"params[{k!r}]", v) for k, v in params.items()}
    else:
        raise TypeError(f"params must be a GRUParams or a mapping of name -> array; got {type(params).__name__}")
    if not isinstance(grads, Mapping):
        raise TypeError(f"grads must be a mapping of name -> array; got {type(grads).__name__}")
    if set(grads) != set(arrays):
        raise ValueError(
            f"grads must have the same keys as params; missing {sorted(set(arrays) - set(grads))}, "
            f"unknown {sorted(set(grads) - set(arrays))}"
        )
    out = {}
    for k, a in arrays.items():
        g = checks.real_array(f"grads[{k!r}]", grads[k], a.dtype)
        out[k] = checks.shape(f"grads[{k!r}]", g, a.shape, f"the shape of params[{k!r}]")
    return arrays, out


def _pack(like: Any, arrays: dict[str, np.ndarray]) -> Params:
    return GRUParams.from_arrays(arrays) if isinstance(like, GRUParams) else arrays


def _positive(name: str, value: Any) -> float:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a real number; got {type(value).__name__}")
    if not np.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a finite positive number; got {value}")
    return float(value)


def _finite_step(arrays: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    bad = sorted(k for k, a in arrays.items() if not np.all(np.isfinite(a)))
    if bad:
        raise ValueError(f"the step overflows for {bad}: params or grads are too large for their dtype")
    return arrays


class SGD:
    """Plain gradient descent: θ ← θ − lr · g."""

    def __init__(self, lr: float = 0.1) -> None:
        self.lr = _positive("lr", lr)

    def step(self, params: Params, grads: Mapping[str, np.ndarray]) -> Params:
        """One step; returns new parameters of the same kind as ``params``."""
        arrays, grads = _unpack(params, grads)
        with np.errstate(over="ignore", invalid="ignore"):
            new = {k: a - np.asarray(self.lr, dtype=a.dtype) * grads[k] for k, a in arrays.items()}
        return _pack(params, _finite_step(new))


class Adam:
    """Adam (Kingma & Ba, 2015), with bias correction and no weight decay.

    m ← β₁ m + (1 − β₁) g,  v ← β₂ v + (1 − β₂) g²,
    θ ← θ − lr · m̂ / (√v̂ + ε) with m̂ = m / (1 − β₁ᵗ), v̂ = v / (1 − β₂ᵗ).
    The moment estimates are kept per parameter name; an Adam is tied to the names, shapes and
    dtypes of the parameters it first stepped (stepping another model raises ``ValueError``:
    use a fresh Adam per model).
    """

    def __init__(self, lr: float = 1e-2, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8) -> None:
        self.lr = _positive("lr", lr)
        self.eps = _positive("eps", eps)
        for name, b in (("beta1", beta1), ("beta2", beta2)):
            if isinstance(b, (bool, np.bool_)) or not isinstance(b, (int, float, np.integer, np.floating)):
                raise TypeError(f"{name} must be a real number in [0, 1); got {type(b).__name__}")
            if not 0 <= b < 1:
                raise ValueError(f"{name} must be a number in [0, 1); got {b!r}")
        self.beta1, self.beta2 = float(beta1), float(beta2)
        self.t = 0
        self.m: dict[str, np.ndarray] = {}
        self.v: dict[str, np.ndarray] = {}

    def step(self, params: Params, grads: Mapping[str, np.ndarray]) -> Params:
        """One step; returns new parameters of the same kind as ``params``."""
        arrays, grads = _unpack(params, grads)
        if self.m and set(self.m) != set(arrays):
            raise ValueError(
                "params must have the keys this Adam was used with "
                f"(used with the keys {sorted(self.m)}); "
                f"got {sorted(arrays)}"
            )
        for k, a in arrays.items():
            if k in self.m and (self.m[k].shape != a.shape or self.m[k].dtype != a.dtype):
                raise ValueError(
                    f"params[{k!r}] must have the shape and dtype this Adam was used with, "
                    f"{self.m[k].shape} {self.m[k].dtype}; got {a.shape} {a.dtype} (use a fresh Adam)"
                )
        self.t += 1
        b1, b2 = self.beta1, self.beta2
        c1, c2 = 1.0 - b1**self.t, 1.0 - b2**self.t
        out, moments = {}, {}
        with np.errstate(over="ignore", invalid="ignore", under="ignore"):
            for k, a in arrays.items():
                g = grads[k]
                m = b1 * self.m.get(k, np.zeros_like(a)) + (1.0 - b1) * g
                v = b2 * self.v.get(k, np.zeros_like(a)) + (1.0 - b2) * (g * g)
                moments[k] = (m, v)
                out[k] = (a - self.lr * (m / c1) / (np.sqrt(v / c2) + self.eps)).astype(a.dtype)
        _finite_step(out)
        bad = sorted(k for k, (m, v) in moments.items() if not np.all(np.isfinite(v)))
        if bad:
            raise ValueError(f"grads{bad} are too large: their squares overflow {arrays[bad[0]].dtype}")
        for k, (m, v) in moments.items():
            self.m[k], self.v[k] = m, v
        return _pack(params, out)
