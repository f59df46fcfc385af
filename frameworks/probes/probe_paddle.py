"""PaddlePaddle ``paddle.nn.GRU`` (CPU), time-major, float32 and float64."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import paddle
from _common import D, H, T, float64_or_reason, inputs, layout_check, main, randomize, rng_for, save

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


def layout_paddle(outdir: Path) -> None:
    """gru_lib.layouts.to_paddle into paddle.nn.GRU (set_state_dict) and GRUCell; its own init read back."""

    def run_native(state, xs, h0, reset=None):
        m = paddle.nn.GRU(D, H, time_major=True)
        m.set_state_dict({k: paddle.to_tensor(v) for k, v in state.items()})
        out, _ = m(paddle.to_tensor(xs), paddle.to_tensor(h0)[None])
        cell = paddle.nn.GRUCell(D, H)  # the same weights under GRUCell's names, stepped
        cell.set_state_dict(
            {k: paddle.to_tensor(state[k + "_l0"]) for k in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")}
        )
        h, outs = paddle.to_tensor(h0), []
        for t in range(T):
            h, _ = cell(paddle.to_tensor(xs[t]), h)
            outs.append(h.numpy())
        assert np.allclose(np.stack(outs), out.numpy(), rtol=0, atol=1e-5), "GRU and GRUCell disagree"
        return out.numpy()

    def init():
        return {k: v.numpy() for k, v in paddle.nn.GRU(D, H, time_major=True).state_dict().items()}

    version = f"paddlepaddle {paddle.__version__}"
    layout_check(outdir, "paddle", "paddle", "all", ("after",), run_native, init, "paddle.nn.GRU(3, 4)", version)


if __name__ == "__main__":
    raise SystemExit(main({"paddle_gru": gru, "layout_paddle": layout_paddle}))
