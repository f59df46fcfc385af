"""Reset placement is not a reparametrisation: the one-unit counterexample of the frameworks chapter.

A one-unit, one-input GRU started from h0 = 0 computes, at its first step, a function of x that a
reset-before cell can try to match. These helpers evaluate that first step and fit it by least
squares, so that the chapter can show how close the best reset-before cell gets to a reset-after one.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from gru_lib import checks

__all__ = ["fit_one_unit_before", "one_unit_before_step"]


def one_unit_before_step(x: Any, theta: Any) -> np.ndarray:
    """First keep-convention step from h0 = 0 of a one-unit, one-input reset-before GRU.

    With h_prev = 0 the reset gate multiplies zero, so only θ = (W_z, b_z, W_h, b_h) matter:
    h1(x) = σ(−(W_z x + b_z)) · tanh(W_h x + b_h). ``x``: any shape; returns the same shape.
    """
    x = checks.real_array("x", x, np.float64)
    a, b, c, d = checks.shape("theta", checks.real_array("theta", theta, np.float64), (4,), "(W_z, b_z, W_h, b_h)")
    with np.errstate(over="ignore"):
        return np.tanh(c * x + d) / (1.0 + np.exp(a * x + b))


def fit_one_unit_before(
    x: Any, target: Any, *, starts: int = 200, iters: int = 300, seed: int = 0
) -> tuple[np.ndarray, float]:
    """Least-squares fit of :func:`one_unit_before_step` to ``target`` on the points ``x``.

    Levenberg–Marquardt from ``starts`` random starting points (normal, scale 3), ``iters``
    steps each. Returns ``(theta, rms)``: the best θ = (W_z, b_z, W_h, b_h) found and its
    root-mean-square residual. ``x`` and ``target``: finite, 1-D, same length N >= 1; ``seed``: a
    non-negative integer.
    """
    x = checks.real_array("x", x, np.float64)
    y = checks.real_array("target", target, np.float64)
    checks.shape("x", x, (None,), "(N,) = points")
    checks.shape("target", y, (x.shape[0],), f"(N,) with N={x.shape[0]} from x")
    if x.shape[0] == 0:
        raise ValueError("x must hold at least one point; got shape (0,)")
    starts = checks.positive_int("starts", starts)
    iters = checks.positive_int("iters", iters)
    rng = checks.rng("seed", seed)

    def residual_and_jacobian(th: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        a, b, c, d = th
        with np.errstate(over="ignore"):
            s = 1.0 / (1.0 + np.exp(a * x + b))
        t = np.tanh(c * x + d)
        ds = -s * (1.0 - s)
        dt = 1.0 - t * t
        J = np.stack([t * ds * x, t * ds, s * dt * x, s * dt], axis=1)
        return s * t - y, J

    best_theta, best_cost = np.zeros(4), np.inf
    for _ in range(starts):
        th = rng.normal(scale=3.0, size=4)
        r, J = residual_and_jacobian(th)
        cost, lam = float(r @ r), 1e-2
        for _ in range(iters):
            A = J.T @ J
            step = np.linalg.solve(A + lam * np.diag(np.diag(A) + 1e-12), -J.T @ r)
            r_new, J_new = residual_and_jacobian(th + step)
            cost_new = float(r_new @ r_new)
            if cost_new < cost:
                th, r, J, cost, lam = th + step, r_new, J_new, cost_new, max(lam / 3.0, 1e-12)
            else:
                lam = min(lam * 4.0, 1e12)
        if cost < best_cost:
            best_theta, best_cost = th, cost
    return best_theta, float(np.sqrt(best_cost / x.shape[0]))
