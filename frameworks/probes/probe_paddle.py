"""PaddlePaddle ``paddle.nn.GRU`` (CPU), time-major, float32 and float64."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import paddle
from _common import D, H, float64_or_reason, inputs, main, randomize, rng_for, save

paddle.set_device("cpu")


def gru(outdir: Path) -> None:
    row = "paddle_gru"
    rng = rng_for(row)
    xs, h0 = inputs(rng)
    state = paddle.nn.GRU(D, H, time_major=True).state_dict()
    # The state dict names each tensor twice (weight_ih_l0 and its alias 0.cell.weight_ih): one value each.
    w = randomize(rng, {k: tuple(v.shape) for k, v in state.items() if k.endswith("_l0")})
    alias = {k: k[:-3] for k in w}  # weight_ih_l0 -> weight_ih
    assert sorted(state) == sorted([*w, *(f"0.cell.{a}" for a in alias.values())]), sorted(state)

    def run(dtype: str) -> np.ndarray:
        paddle.set_default_dtype(dtype)
        m = paddle.nn.GRU(D, H, time_major=True)
        values = {k: paddle.to_tensor(v.astype(dtype)) for k, v in w.items()}
        m.set_state_dict({**values, **{f"0.cell.{alias[k]}": t for k, t in values.items()}})
        out, _ = m(paddle.to_tensor(xs.astype(dtype)), paddle.to_tensor(h0.astype(dtype))[None])
        paddle.set_default_dtype("float32")
        return out.numpy()

    out64, note = float64_or_reason(lambda: run("float64"))
    save(
        outdir,
        row,
        api="paddle.nn.GRU(3, 4, time_major=True)",
        version=f"paddlepaddle {paddle.__version__}",
        layout="paddle_gru",
        weights=w,
        xs=xs,
        h0=h0,
        out32=run("float32"),
        out64=out64,
        f64_note=note,
        ran="time-major sequence, initial state given",
    )


if __name__ == "__main__":
    raise SystemExit(main({"paddle_gru": gru}))
