"""Benchmarks of the gru_lib core (issue: foundation).

- ``runner_vs_loop_speedup``: time of the textbook per-step, per-gate loop divided by the runner's.
- ``runner_vs_torch_ratio``: the runner's time divided by ``torch.nn.GRU``'s on the same data and
  weights, after checking that the outputs agree; left out when torch is not importable.
Sizes: T=100, batch 32, input 64, hidden 64, float32; median of ``REPEATS`` runs.
"""
from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

from gru_lib import GRUParams, run, run_textbook

T, B, D, H = 100, 32, 64, 64
REPEATS = 30


def median_seconds(fn: Callable[[], object], repeats: int = REPEATS) -> float:
    """Median wall time of ``fn()`` over ``repeats`` calls, after one warm-up call."""
    fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def _torch_seconds(params: GRUParams, xs: np.ndarray, expected_h: np.ndarray) -> float | None:
    try:
        import torch
    except ImportError:
        return None
    from gru_lib.layouts import to_pytorch

    gru = torch.nn.GRU(D, H)
    with torch.no_grad():
        for name, value in to_pytorch(params).items():
            getattr(gru, name).copy_(torch.from_numpy(np.ascontiguousarray(value)))
        x = torch.from_numpy(xs)
        out, _ = gru(x)
        gap = float(np.max(np.abs(out.numpy() - expected_h)))
        if gap > 1e-4:
            raise AssertionError(f"torch.nn.GRU and gru_lib disagree by {gap:.2e}; not timing different functions")
        return median_seconds(lambda: gru(x))


def measure() -> dict:
    params = GRUParams.random(D, H, seed=0, dtype=np.float32, recurrent_biases=True)
    xs = np.random.default_rng(0).normal(size=(T, B, D)).astype(np.float32)
    runner = median_seconds(lambda: run(params, xs, update="keep", reset="after"))
    loop = median_seconds(lambda: run_textbook(params, xs, update="keep", reset="after"))
    figures: dict = {
        "runner_ms": round(runner * 1e3, 3),
        "textbook_loop_ms": round(loop * 1e3, 3),
        "runner_vs_loop_speedup": round(loop / runner, 3),
    }
    torch_s = _torch_seconds(params, xs, run(params, xs, update="keep", reset="after").h)
    if torch_s is not None:
        figures["torch_gru_ms"] = round(torch_s * 1e3, 3)
        figures["runner_vs_torch_ratio"] = round(runner / torch_s, 3)
    return figures
