"""PyTorch: ``torch.nn.GRU`` and ``torch.nn.GRUCell`` (CPU), float32 and float64."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch
from _common import B, D, H, T, float64_or_reason, inputs, main, randomize, rng_for, save

torch.backends.cudnn.enabled = False  # CPU anyway; frameworks/cudnn_check.py covers cuDNN


def _load(module: torch.nn.Module, weights: dict[str, np.ndarray], dtype: torch.dtype) -> torch.nn.Module:
    module = module.to(dtype)
    module.load_state_dict({k: torch.from_numpy(v).to(dtype) for k, v in weights.items()})
    return module


def gru(outdir: Path) -> None:
    row = "pytorch_gru"
    rng = rng_for(row)
    xs, h0 = inputs(rng)
    w = randomize(rng, {k: tuple(v.shape) for k, v in torch.nn.GRU(D, H).state_dict().items()})

    def run(dtype: torch.dtype) -> np.ndarray:
        m = _load(torch.nn.GRU(D, H), w, dtype)
        with torch.no_grad():
            out, _ = m(torch.from_numpy(xs).to(dtype), torch.from_numpy(h0).to(dtype)[None])
        return out.numpy()

    out64, note = float64_or_reason(lambda: run(torch.float64))
    save(
        outdir,
        row,
        api="torch.nn.GRU(3, 4)",
        version=torch.__version__,
        layout="pytorch_gru",
        weights=w,
        xs=xs,
        h0=h0,
        out32=run(torch.float32),
        out64=out64,
        f64_note=note,
        ran="time-major sequence, h0 given",
    )


def grucell(outdir: Path) -> None:
    row = "pytorch_grucell"
    rng = rng_for(row)
    xs, h0 = inputs(rng)
    w = randomize(rng, {k: tuple(v.shape) for k, v in torch.nn.GRUCell(D, H).state_dict().items()})

    def run(dtype: torch.dtype) -> np.ndarray:
        m = _load(torch.nn.GRUCell(D, H), w, dtype)
        h, outs = torch.from_numpy(h0).to(dtype), []
        with torch.no_grad():
            for t in range(T):
                h = m(torch.from_numpy(xs[t]).to(dtype), h)
                outs.append(h.numpy())
        return np.stack(outs)

    assert run(torch.float32).shape == (T, B, H)
    out64, note = float64_or_reason(lambda: run(torch.float64))
    save(
        outdir,
        row,
        api="torch.nn.GRUCell(3, 4)",
        version=torch.__version__,
        layout="pytorch_grucell",
        weights=w,
        xs=xs,
        h0=h0,
        out32=run(torch.float32),
        out64=out64,
        f64_note=note,
        ran="stepped over the sequence from h0",
    )


if __name__ == "__main__":
    raise SystemExit(main({"pytorch_gru": gru, "pytorch_grucell": grucell}))
