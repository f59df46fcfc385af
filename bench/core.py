"""Benchmarks of the gru_lib core (issue: foundation).

- ``runner_vs_loop_speedup``: time of the textbook per-step, per-gate loop (``gru_lib.textbook``)
  divided by ``gru_lib.run``'s. Since the layout issue ``run`` is itself a readable loop over
  ``step`` (the packed, transposed fast runner was removed: no chapter needed it), so this figure
  now says what the readable ``run`` costs against the literal textbook transcription.
- ``runner_vs_torch_ratio``: the runner's time divided by ``torch.nn.GRU``'s on the same data and
  weights, after checking that the outputs agree; left out when torch is not importable.
Sizes: T=100, batch 32, input 64, hidden 64, float32; medians of ``REPEATS`` interleaved rounds.
Timed back to back instead (all runs of one contender, then the next), torch keeps its worker
threads hot and gru_lib loses its share of warm caches; those medians are reported too, under
``*_back_to_back``, because the two ways of timing disagree on this machine.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

from gru_lib import GRUParams, run
from gru_lib.textbook import run_textbook

T, B, D, H = 100, 32, 64, 64
REPEATS = 40


def interleaved_medians(fns: dict[str, Callable[[], object]], repeats: int = REPEATS) -> dict[str, float]:
    """Median wall time of each function, timed in interleaved rounds (one call of each per round).

    Interleaving spreads slow drifts of the machine (other load, clock changes) over all
    contenders instead of charging them to whichever happened to run first. One warm-up
    round is not timed.
    """
    for fn in fns.values():
        fn()
    times: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(repeats):
        for name, fn in fns.items():
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
    return {name: float(np.median(ts)) for name, ts in times.items()}


def _torch_gru(params: GRUParams, xs: np.ndarray, expected_h: np.ndarray) -> Callable[[], object] | None:
    """A call of ``torch.nn.GRU`` on the same weights and data, after checking it agrees; ``None`` without torch."""
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

    def call() -> object:
        with torch.no_grad():
            return gru(x)

    return call


def measure() -> dict:
    params = GRUParams.random(D, H, seed=0, dtype=np.float32, recurrent_biases=True)
    xs = np.random.default_rng(0).normal(size=(T, B, D)).astype(np.float32)
    contenders: dict[str, Callable[[], object]] = {
        "runner": lambda: run(params, xs, update="keep", reset="after"),
        "loop": lambda: run_textbook(params, xs, update="keep", reset="after"),
    }
    torch_call = _torch_gru(params, xs, run(params, xs, update="keep", reset="after").h)
    if torch_call is not None:
        contenders["torch"] = torch_call
    t = interleaved_medians(contenders)
    b2b = {name: interleaved_medians({name: fn})[name] for name, fn in contenders.items()}
    figures: dict = {
        "runner_ms": round(t["runner"] * 1e3, 3),
        "textbook_loop_ms": round(t["loop"] * 1e3, 3),
        "runner_vs_loop_speedup": round(t["loop"] / t["runner"], 3),
    }
    if "torch" in t:
        figures["torch_gru_ms"] = round(t["torch"] * 1e3, 3)
        figures["runner_vs_torch_ratio"] = round(t["runner"] / t["torch"], 3)
        figures["runner_vs_torch_ratio_back_to_back"] = round(b2b["runner"] / b2b["torch"], 3)
    figures["runner_vs_loop_speedup_back_to_back"] = round(b2b["loop"] / b2b["runner"], 3)
    return figures
