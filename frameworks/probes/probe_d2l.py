"""d2l.ai's from-scratch GRU (``GRUScratch``, chapter_recurrent-modern/gru.md of d2l-en), run in torch.

The ``d2l`` package (1.0.3 on PyPI) does not ship ``GRUScratch``: its ``d2l.torch.GRU`` is a wrapper
around ``torch.nn.GRU`` (the PyTorch row), and importing ``d2l.torch`` pins numpy 1.23.5, torch 2.0
and torchvision. So the chapter's equations are transcribed here, as the book writes them
(``X @ W``, one bias per gate, names W_xz, W_hz, b_z, ...)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch
from _common import D, H, T, float64_or_reason, inputs, main, randomize, rng_for, save

NAMES = [f"{p}{g}" for g in "zrh" for p in ("W_x", "W_h", "b_")]
SHAPES = {f"W_x{g}": (D, H) for g in "zrh"} | {f"W_h{g}": (H, H) for g in "zrh"} | {f"b_{g}": (H,) for g in "zrh"}


def gru_scratch(inputs_, H_, p):
    """d2l's GRUScratch.forward, verbatim in its equations: returns the list of states."""
    outputs = []
    for X in inputs_:
        Z = torch.sigmoid(torch.matmul(X, p["W_xz"]) + torch.matmul(H_, p["W_hz"]) + p["b_z"])
        R = torch.sigmoid(torch.matmul(X, p["W_xr"]) + torch.matmul(H_, p["W_hr"]) + p["b_r"])
        H_tilde = torch.tanh(torch.matmul(X, p["W_xh"]) + torch.matmul(R * H_, p["W_hh"]) + p["b_h"])
        H_ = Z * H_ + (1 - Z) * H_tilde
        outputs.append(H_)
    return outputs


def d2l_scratch(outdir: Path) -> None:
    row = "d2l_gru_scratch"
    rng = rng_for(row)
    xs, h0 = inputs(rng)
    w = randomize(rng, SHAPES)

    def run(dtype) -> np.ndarray:
        p = {k: torch.from_numpy(v).to(dtype) for k, v in w.items()}
        outs = gru_scratch(torch.from_numpy(xs).to(dtype), torch.from_numpy(h0).to(dtype), p)
        return torch.stack(outs).numpy()

    assert run(torch.float32).shape[0] == T
    out64, note = float64_or_reason(lambda: run(torch.float64))
    save(
        outdir,
        row,
        api="d2l GRUScratch (transcribed from d2l-en chapter_recurrent-modern/gru.md)",
        version=f"transcription; torch {torch.__version__}",
        layout="d2l_scratch",
        weights=w,
        xs=xs,
        h0=h0,
        out32=run(torch.float32),
        out64=out64,
        f64_note=note,
        ran="the chapter's forward loop; the d2l package has no GRUScratch (d2l.torch.GRU is nn.GRU)",
    )


if __name__ == "__main__":
    raise SystemExit(main({"d2l_gru_scratch": d2l_scratch}))
