"""PyTorch: ``torch.nn.GRU`` and ``torch.nn.GRUCell`` (CPU), float32 and float64."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch
from _common import B, D, H, T, float64_or_reason, inputs, layout_check, main, randomize, rng_for, save

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


def layout_pytorch(outdir: Path) -> None:
    """gru_lib.layouts.to_pytorch into nn.GRU (and, cell=True, nn.GRUCell); its own init read back."""

    def run_native(state, xs, h0, reset=None):
        out = _load(torch.nn.GRU(D, H), state, torch.float32)
        cell = _load(torch.nn.GRUCell(D, H), {k[:-3]: v for k, v in state.items()}, torch.float32)
        with torch.no_grad():
            y, _ = out(torch.from_numpy(xs), torch.from_numpy(h0)[None])
            h = torch.from_numpy(h0)
            for t in range(T):
                h = cell(torch.from_numpy(xs[t]), h)
        assert np.allclose(h.numpy(), y[-1].numpy(), rtol=0, atol=1e-5), "GRU and GRUCell disagree"
        return y.numpy()

    def init():
        torch.manual_seed(1)
        return {k: v.numpy() for k, v in torch.nn.GRU(D, H).state_dict().items()}

    layout_check(
        outdir, "pytorch", "pytorch", "all", ("after",), run_native, init, "torch.nn.GRU(3, 4)", torch.__version__
    )


if __name__ == "__main__":
    raise SystemExit(main({"pytorch_gru": gru, "pytorch_grucell": grucell, "layout_pytorch": layout_pytorch}))
