"""MLX ``mlx.nn.GRU`` on the Linux CPU wheel (``mlx[cpu]``), batch-first, float32 and float64."""

from __future__ import annotations

from pathlib import Path

import mlx.core as mx
import mlx.nn as nn
import numpy as np
from _common import D, H, float64_or_reason, inputs, layout_check, main, randomize, rng_for, save
from mlx.utils import tree_flatten

mx.set_default_device(mx.cpu)


def gru(outdir: Path) -> None:
    row = "mlx_gru"
    rng = rng_for(row)
    xs, h0 = inputs(rng)
    w = randomize(rng, {k: tuple(v.shape) for k, v in tree_flatten(nn.GRU(D, H).parameters())})

    def run(dtype) -> np.ndarray:
        m = nn.GRU(D, H)
        mdt = mx.float64 if dtype == np.float64 else mx.float32  # mx.array would turn float64 into float32
        m.load_weights([(k, mx.array(v, dtype=mdt)) for k, v in w.items()])
        x = mx.array(xs.transpose(1, 0, 2), dtype=mdt)
        y = m(x, hidden=mx.array(h0, dtype=mdt))
        mx.eval(y)
        out = np.array(y).transpose(1, 0, 2)
        assert out.dtype == dtype, (out.dtype, dtype)
        return out

    out64, note = float64_or_reason(lambda: run(np.float64))
    save(
        outdir,
        row,
        api="mlx.nn.GRU(3, 4)",
        version=f"mlx {mx.__version__} (CPU)",
        layout="mlx",
        weights=w,
        xs=xs,
        h0=h0,
        out32=run(np.float32),
        out64=out64,
        f64_note=note,
        ran="batch-first sequence, hidden given",
    )


def layout_mlx(outdir: Path) -> None:
    """gru_lib.layouts.to_mlx into mlx.nn.GRU (load_weights); its own init read back."""

    def run_native(w, xs, h0, reset=None):
        m = nn.GRU(D, H)
        m.load_weights([(k, mx.array(v)) for k, v in w.items()])
        y = m(mx.array(xs.transpose(1, 0, 2)), hidden=mx.array(h0))
        mx.eval(y)
        return np.array(y).transpose(1, 0, 2)

    def init():
        return {k: np.array(v) for k, v in tree_flatten(nn.GRU(D, H).parameters())}

    version = f"mlx {mx.__version__} (CPU)"
    layout_check(outdir, "mlx", "mlx", "h", ("after",), run_native, init, "mlx.nn.GRU(3, 4)", version)


if __name__ == "__main__":
    raise SystemExit(main({"mlx_gru": gru, "layout_mlx": layout_mlx}))
