"""A convention probe: nine one-step runs that tell how an unknown GRU reads its packed weights.

The implementation is seen only through ``step(U, b, h) -> h_new``: its recurrent weights ``U``
(3H, H) and one bias ``b`` (3H,) written as three blocks of H rows in *its own* storage order,
input weights zero, input x = 0, one step from ``h`` (1, H). Nothing about the order, the
update convention or the reset placement is assumed; the probe finds them:

* **bias probes** ``bias k``: U = 0, block k's bias = +20, every other bias 0. Then the update
  gate is about ½ unless block k is it, and the candidate is tanh(0) = 0 unless block k is it:

  ===================  ===========================
  block k is           the step returns
  ===================  ===========================
  update gate, keep    h (z ≈ 1 keeps it)
  update gate, admit   0 (z ≈ 1 writes tanh(0))
  reset gate           h / 2
  candidate            h / 2 + tanh(20) / 2
  ===================  ===========================

* **placement probes** ``placement i j``: block j's U = all ones (the candidate's, once found),
  block i's bias = [+20, −20, +20, …] (the reset gate's: r ≈ [1, 0, 1, …]). Reset before gives
  the candidate tanh(U (r ⊙ h)), reset after tanh(r ⊙ (U h)): different numbers for the H = 2
  state ``H_PREV``. All nine runs are fixed in advance (:func:`probe_blocks`), so a framework's
  outputs can be stored and read later by :func:`read_probe`.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Callable, Mapping

import numpy as np

from gru_lib import GRUParams, step

__all__ = ["BIG", "H_PREV", "Finding", "gru_lib_step", "probe_blocks", "read_probe", "run_probe"]

#: The probe's state h (1, H) with H = 2, and the bias that saturates a gate.
H_PREV = np.array([[0.6, -0.2]], dtype=np.float32)
BIG = 20.0
_TOL = 1e-3

Step = Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray]


def probe_blocks(H: int = 2) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """The nine probes by name: ``{name: (U (3H, H), b (3H,))}``, float32."""
    out = {}
    for k in range(3):
        b = np.zeros(3 * H, np.float32)
        b[k * H : (k + 1) * H] = BIG
        out[f"bias {k}"] = (np.zeros((3 * H, H), np.float32), b)
    signs = np.where(np.arange(H) % 2 == 0, BIG, -BIG).astype(np.float32)
    for i, j in itertools.permutations(range(3), 2):
        U, b = np.zeros((3 * H, H), np.float32), np.zeros(3 * H, np.float32)
        U[j * H : (j + 1) * H] = 1.0
        b[i * H : (i + 1) * H] = signs
        out[f"placement {i} {j}"] = (U, b)
    return out


def run_probe(step_fn: Step, h: np.ndarray = H_PREV) -> dict[str, np.ndarray]:
    """Every probe run once: ``{name: step_fn(U, b, h)}`` as float64 (1, H) arrays."""
    return {name: np.asarray(step_fn(U, b, h), np.float64) for name, (U, b) in probe_blocks(h.shape[1]).items()}


@dataclasses.dataclass(frozen=True)
class Finding:
    """What the probe found: each stored block's gate (``"z"``, ``"r"`` or ``"h"``), the update
    convention, the reset placement, and the worst distance between a run and the pattern it was
    read as (small: the reading fits; :func:`read_probe` refuses above 1e-3)."""

    order: tuple[str, str, str]
    update: str
    reset: str
    worst_fit: float


def _bias_patterns(h: np.ndarray) -> dict[tuple[str, str | None], np.ndarray]:
    half = 0.5 * h
    return {
        ("z", "keep"): h,
        ("z", "admit"): np.zeros_like(h),
        ("r", None): half,
        ("h", None): half + 0.5 * np.tanh(BIG),
    }


def _placement_patterns(h: np.ndarray) -> dict[str, np.ndarray]:
    r = (np.arange(h.shape[1]) % 2 == 0).astype(float)
    ones = np.ones((h.shape[1], h.shape[1]))
    before = np.tanh((r * h) @ ones.T)
    after = np.tanh(r * (h @ ones.T))
    return {"before": 0.5 * h + 0.5 * before, "after": 0.5 * h + 0.5 * after}


def _nearest(value: np.ndarray, patterns: Mapping) -> tuple[object, float]:
    gaps = {key: float(np.max(np.abs(value - p))) for key, p in patterns.items()}
    best = min(gaps, key=gaps.get)
    return best, gaps[best]


def read_probe(outputs: Mapping[str, np.ndarray], h: np.ndarray = H_PREV) -> Finding:
    """The :class:`Finding` from the nine outputs (as :func:`run_probe` returns or a framework
    stored). ``ValueError`` if no GRU reading fits them."""
    h = np.asarray(h, np.float64)
    order, update, worst = [], None, 0.0
    for k in range(3):
        (gate, conv), gap = _nearest(outputs[f"bias {k}"], _bias_patterns(h))
        order.append(gate)
        update = conv or update
        worst = max(worst, gap)
    if sorted(order) != ["h", "r", "z"] or worst > _TOL:
        raise ValueError(f"the bias probes fit no GRU reading: blocks read as {order}, worst gap {worst:.2g}")
    i, j = order.index("r"), order.index("h")
    reset, gap = _nearest(outputs[f"placement {i} {j}"], _placement_patterns(h))
    worst = max(worst, gap)
    if worst > _TOL:
        raise ValueError(f"the placement probe fits neither placement: gap {gap:.2g}")
    return Finding(tuple(order), update, reset, worst)


def gru_lib_step(order: tuple[str, str, str], update: str, reset: str) -> Step:
    """A ``step(U, b, h)`` that stores its blocks in ``order`` and runs gru_lib (x = 0, D = 1)."""

    def step_fn(U: np.ndarray, b: np.ndarray, h: np.ndarray) -> np.ndarray:
        H = U.shape[1]
        arrays = {}
        for k, g in enumerate(order):
            arrays[f"W_{g}"] = np.zeros((H, 1))
            arrays[f"U_{g}"] = np.asarray(U[k * H : (k + 1) * H], np.float64)
            arrays[f"b_{g}"] = np.asarray(b[k * H : (k + 1) * H], np.float64)
        params = GRUParams.from_arrays(arrays)
        x = np.zeros((h.shape[0], 1))
        return step(params, x, np.asarray(h, np.float64), update=update, reset=reset)[0]

    return step_fn
