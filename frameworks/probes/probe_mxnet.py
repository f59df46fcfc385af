"""MXNet 1.x Gluon ``mxnet.gluon.rnn.GRU`` (CPU, layout TNC), float32 and float64."""

from __future__ import annotations

from pathlib import Path

import mxnet as mx
import numpy as np
from _common import D, H, float64_or_reason, inputs, layout_check, main, randomize, rng_for, save


def _layer(dtype: str):
    layer = mx.gluon.rnn.GRU(H, input_size=D, layout="TNC", dtype=dtype)
    layer.initialize(ctx=mx.cpu())
    return layer


def gru(outdir: Path) -> None:
    row = "mxnet_gru"
    rng = rng_for(row)
    xs, h0 = inputs(rng)
    params = _layer("float32").collect_params()
    w = randomize(rng, {k.split("_", 1)[1] if k.startswith("gru") else k: tuple(v.shape) for k, v in params.items()})

    def run(dtype: str) -> np.ndarray:
        layer = _layer(dtype)
        for k, v in layer.collect_params().items():
            v.set_data(mx.nd.array(w[k.split("_", 1)[1] if k.startswith("gru") else k], dtype=dtype))
        out, _ = layer(mx.nd.array(xs, dtype=dtype), [mx.nd.array(h0[None], dtype=dtype)])
        return out.asnumpy()

    out64, note = float64_or_reason(lambda: run("float64"))
    save(
        outdir,
        row,
        api="mxnet.gluon.rnn.GRU(4, input_size=3, layout='TNC')",
        version=f"mxnet {mx.__version__}",
        layout="mxnet_gru",
        weights=w,
        xs=xs,
        h0=h0,
        out32=run("float32"),
        out64=out64,
        f64_note=note,
        ran="time-major sequence, begin state given",
    )


def layout_mxnet(outdir: Path) -> None:
    """gru_lib.layouts.to_mxnet (prefix = the layer's) into gluon.rnn.GRU; its own init read back."""
    layer = _layer("float32")
    own = {k: v.data().asnumpy() for k, v in layer.collect_params().items()}  # before any export

    def run_native(w, xs, h0, reset=None):
        for k, v in layer.collect_params().items():
            v.set_data(mx.nd.array(w[k], dtype="float32"))
        out, _ = layer(mx.nd.array(xs), [mx.nd.array(h0[None])])
        return out.asnumpy()

    version = f"mxnet {mx.__version__}"
    api = "mxnet.gluon.rnn.GRU(4, input_size=3, layout='TNC')"
    kw = {"prefix": layer.prefix}
    layout_check(outdir, "mxnet", "mxnet", "all", ("after",), run_native, lambda: own, api, version, to_kwargs=kw)


if __name__ == "__main__":
    raise SystemExit(main({"mxnet_gru": gru, "layout_mxnet": layout_mxnet}))
