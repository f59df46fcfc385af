"""minGRU (Feng et al. 2024) as the ``mingru-pytorch`` package writes it: ``minGRU(dim=4)`` run in its
parallel (log-space scan) form over the whole sequence and in its sequential form (one step at a
time). Its log-space scan takes ``log(prev_hidden)``, so h0 is drawn positive here; its hidden size
equals its input size, so the inputs are (T, B, 4)."""

from __future__ import annotations

from importlib.metadata import version
from pathlib import Path

import numpy as np
import torch
from _common import B, H, T, float64_or_reason, main, randomize, rng_for, save
from minGRU_pytorch import minGRU


def probe(mode: str):
    row = f"mingru_{mode}"

    def run_probe(outdir: Path) -> None:
        rng = rng_for(row)
        xs = rng.normal(size=(T, B, H)).astype(np.float32)
        h0 = rng.uniform(0.05, 0.9, size=(B, H)).astype(np.float32)
        w = randomize(rng, {k: tuple(v.shape) for k, v in minGRU(H).state_dict().items()})

        def run(dtype) -> np.ndarray:
            m = minGRU(H).to(dtype)
            m.load_state_dict({k: torch.from_numpy(v).to(dtype) for k, v in w.items()})
            x = torch.from_numpy(xs.transpose(1, 0, 2).copy()).to(dtype)  # (B, T, dim)
            h = torch.from_numpy(h0).to(dtype)[:, None]
            with torch.no_grad():
                if mode == "parallel":
                    out = m(x, prev_hidden=h)
                else:
                    outs = []
                    for t in range(T):
                        h = m(x[:, t : t + 1], prev_hidden=h)
                        outs.append(h)
                    out = torch.cat(outs, dim=1)
            return out.numpy().transpose(1, 0, 2)

        out64, note = float64_or_reason(lambda: run(torch.float64))
        save(
            outdir,
            row,
            api=f"minGRU_pytorch.minGRU(4), {mode}",
            version=f"mingru-pytorch {version('mingru-pytorch')}, torch {torch.__version__}",
            layout="mingru",
            weights=w,
            xs=xs,
            h0=h0,
            out32=run(torch.float32),
            out64=out64,
            f64_note=note,
            ran=f"{mode} form, prev_hidden = h0 (positive), batch-first",
        )

    return run_probe


if __name__ == "__main__":
    raise SystemExit(main({f"mingru_{m}": probe(m) for m in ("parallel", "sequential")}))
