"""Keras 3 ``keras.layers.GRU`` on one backend (``KERAS_BACKEND``: torch, jax or tensorflow):
``reset_after=True``, ``reset_after=False`` and the default (argument not given)."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

BACKEND = os.environ.get("KERAS_BACKEND", "")
if BACKEND == "jax":
    import jax

    jax.config.update("jax_enable_x64", True)  # float64 runs need it; float32 arrays stay float32

import keras  # noqa: E402
from _common import B, D, H, T, float64_or_reason, inputs, layout_check, main, randomize, rng_for, save  # noqa: E402


def _to_numpy(y) -> np.ndarray:
    if hasattr(y, "detach"):  # torch backend: read the tensor directly (keras' conversion warns)
        return y.detach().cpu().numpy()
    return np.asarray(y)


def _layer(variant: str, dtype: str) -> keras.layers.GRU:
    kwargs = {} if variant == "default" else {"reset_after": variant == "reset_after"}
    layer = keras.layers.GRU(H, return_sequences=True, dtype=dtype, **kwargs)
    layer.build((B, T, D))
    return layer


def probe(variant: str) -> callable:
    row = f"keras3_{BACKEND}_{variant}"

    def run_probe(outdir: Path) -> None:
        assert keras.backend.backend() == BACKEND, (keras.backend.backend(), BACKEND)
        rng = rng_for(row)
        xs, h0 = inputs(rng)
        names = [v.path.split("/")[-1] for v in _layer(variant, "float32").weights]
        assert names == ["kernel", "recurrent_kernel", "bias"], names
        w = randomize(rng, {n: tuple(v.shape) for n, v in zip(names, _layer(variant, "float32").weights, strict=True)})

        def run(dtype: str) -> np.ndarray:
            layer = _layer(variant, dtype)
            for var, n in zip(layer.weights, names, strict=True):
                var.assign(w[n].astype(dtype))
            x = keras.ops.convert_to_tensor(np.ascontiguousarray(xs.transpose(1, 0, 2)).astype(dtype), dtype=dtype)
            y = layer(x, initial_state=[keras.ops.convert_to_tensor(h0.astype(dtype), dtype=dtype)])
            return _to_numpy(y).transpose(1, 0, 2)

        out64, note = float64_or_reason(lambda: run("float64"))
        arg = "" if variant == "default" else f", reset_after={variant == 'reset_after'}"
        save(
            outdir,
            row,
            api=f"keras.layers.GRU(4{arg}) [KERAS_BACKEND={BACKEND}]",
            version=f"keras {keras.__version__}",
            layout="keras",
            weights=w,
            xs=xs,
            h0=h0,
            out32=run("float32"),
            out64=out64,
            f64_note=note,
            ran="batch-major sequence, initial_state given; "
            f"layer.reset_after={_layer(variant, 'float32').reset_after}",
        )

    return run_probe


def layout_keras(outdir: Path) -> None:
    """gru_lib.layouts.to_keras into keras.layers.GRU (reset_after from the bias shape); its own init read back."""

    def run_native(w, xs, h0, reset=None):
        layer = _layer("reset_after" if w["bias"].ndim == 2 else "reset_before", "float32")
        layer.set_weights([w["kernel"], w["recurrent_kernel"], w["bias"]])
        x = keras.ops.convert_to_tensor(np.ascontiguousarray(xs.transpose(1, 0, 2)), dtype="float32")
        y = layer(x, initial_state=[keras.ops.convert_to_tensor(h0, dtype="float32")])
        return _to_numpy(y).transpose(1, 0, 2)

    def init():
        return dict(
            zip(("kernel", "recurrent_kernel", "bias"), _layer("default", "float32").get_weights(), strict=True)
        )

    api = f"keras.layers.GRU(4) [KERAS_BACKEND={BACKEND}]"
    layout_check(
        outdir,
        f"keras3_{BACKEND}",
        "keras",
        "all",
        ("after", "before"),
        run_native,
        init,
        api,
        f"keras {keras.__version__}",
    )


if __name__ == "__main__":
    raise SystemExit(
        main(
            {
                **{f"keras3_{BACKEND}_{v}": probe(v) for v in ("reset_after", "reset_before", "default")},
                f"layout_keras3_{BACKEND}": layout_keras,
            }
        )
    )
