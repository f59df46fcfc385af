"""TensorFlow's own GRUs: tf_keras (Keras 2) ``GRU`` (reset_after True, False, default) and TF 1's
legacy ``tf.compat.v1.nn.rnn_cell.GRUCell`` (which needs tf_keras and ``TF_USE_LEGACY_KERAS=1`` on
TF 2.16+, set here before TensorFlow is imported); Sonnet 2's ``snt.GRU``."""

from __future__ import annotations

import os

os.environ["TF_USE_LEGACY_KERAS"] = "1"
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from pathlib import Path

import numpy as np
import tensorflow as tf
from _common import B, D, H, T, float64_or_reason, inputs, layout_check, main, randomize, rng_for, save

tf.config.set_visible_devices([], "GPU")


def keras2(variant: str):
    row = f"tf_keras_{variant}"

    def run_probe(outdir: Path) -> None:
        import tf_keras

        assert tf.keras is tf_keras or tf.keras.__name__.startswith("tf_keras"), tf.keras.__name__
        kwargs = {} if variant == "default" else {"reset_after": variant == "reset_after"}

        def layer(dtype: str):
            lay = tf_keras.layers.GRU(H, return_sequences=True, dtype=dtype, **kwargs)
            lay.build((B, T, D))
            return lay

        rng = rng_for(row)
        xs, h0 = inputs(rng)
        names = [v.name.split("/")[-1].split(":")[0] for v in layer("float32").weights]
        assert names == ["kernel", "recurrent_kernel", "bias"], names
        w = randomize(rng, {n: tuple(v.shape) for n, v in zip(names, layer("float32").weights, strict=True)})

        def run(dtype: str) -> np.ndarray:
            lay = layer(dtype)
            lay.set_weights([w[n].astype(dtype) for n in names])
            y = lay(tf.constant(xs.transpose(1, 0, 2).astype(dtype)), initial_state=[tf.constant(h0.astype(dtype))])
            return y.numpy().transpose(1, 0, 2)

        out64, note = float64_or_reason(lambda: run("float64"))
        arg = "" if variant == "default" else f", reset_after={variant == 'reset_after'}"
        save(
            outdir,
            row,
            api=f"tf_keras.layers.GRU(4{arg}) (Keras 2)",
            version=f"tf_keras {tf_keras.__version__}, tensorflow {tf.__version__}",
            layout="keras",
            weights=w,
            xs=xs,
            h0=h0,
            out32=run("float32"),
            out64=out64,
            f64_note=note,
            ran=f"batch-major sequence, initial_state given; layer.reset_after={layer('float32').reset_after}",
        )

    return run_probe


def tf1_grucell(outdir: Path) -> None:
    row = "tf1_grucell"
    rng = rng_for(row)
    xs, h0 = inputs(rng)

    def cell(dtype):
        c = tf.compat.v1.nn.rnn_cell.GRUCell(H, dtype=dtype)
        c.build(tf.TensorShape([B, D]))
        return c

    names = [v.name.split(":")[0].split("gru_cell/")[-1] for v in cell(tf.float32).weights]
    assert sorted(names) == ["candidate/bias", "candidate/kernel", "gates/bias", "gates/kernel"], names
    w = randomize(rng, {n: tuple(v.shape) for n, v in zip(names, cell(tf.float32).weights, strict=True)})

    def run(dtype) -> np.ndarray:
        c = cell(dtype)
        for var, n in zip(c.weights, names, strict=True):
            var.assign(w[n].astype(dtype.as_numpy_dtype))
        h, outs = tf.constant(h0.astype(dtype.as_numpy_dtype)), []
        for t in range(T):
            h, _ = c(tf.constant(xs[t].astype(dtype.as_numpy_dtype)), h)
            outs.append(h.numpy())
        return np.stack(outs)

    out64, note = float64_or_reason(lambda: run(tf.float64))
    save(
        outdir,
        row,
        api="tf.compat.v1.nn.rnn_cell.GRUCell(4) (TF_USE_LEGACY_KERAS=1)",
        version=f"tensorflow {tf.__version__}",
        layout="tf1_grucell",
        weights=w,
        xs=xs,
        h0=h0,
        out32=run(tf.float32),
        out64=out64,
        f64_note=note,
        ran="eager, stepped over the sequence from h0",
    )


def sonnet_gru(outdir: Path) -> None:
    import sonnet as snt

    row = "sonnet_gru"
    rng = rng_for(row)
    xs, h0 = inputs(rng)

    def core(dtype):
        c = snt.GRU(H, dtype=dtype)
        c(tf.zeros([B, D], dtype), tf.zeros([B, H], dtype))  # creates w_i, w_h, b
        return c

    names = [v.name.split("/")[-1].split(":")[0] for v in core(tf.float32).variables]
    assert sorted(names) == ["b", "w_h", "w_i"], names
    w = randomize(rng, {n: tuple(v.shape) for n, v in zip(names, core(tf.float32).variables, strict=True)})

    def run(dtype) -> np.ndarray:
        c = core(dtype)
        for var, n in zip(c.variables, names, strict=True):
            var.assign(w[n].astype(dtype.as_numpy_dtype))
        h, outs = tf.constant(h0.astype(dtype.as_numpy_dtype)), []
        for t in range(T):
            _, h = c(tf.constant(xs[t].astype(dtype.as_numpy_dtype)), h)
            outs.append(h.numpy())
        return np.stack(outs)

    out64, note = float64_or_reason(lambda: run(tf.float64))
    save(
        outdir,
        row,
        api="snt.GRU(4)",
        version=f"dm-sonnet {snt.__version__}, tensorflow {tf.__version__}",
        layout="sonnet",
        weights=w,
        xs=xs,
        h0=h0,
        out32=run(tf.float32),
        out64=out64,
        f64_note=note,
        ran="stepped over the sequence from h0",
    )


# ------------------------------------------------------------------ gru_lib.layouts, live
def layout_tf_keras(outdir: Path) -> None:
    import tf_keras

    def layer(reset_after: bool):
        lay = tf_keras.layers.GRU(H, return_sequences=True, reset_after=reset_after)
        lay.build((B, T, D))
        return lay

    def run_native(w, xs, h0, reset=None):
        lay = layer(w["bias"].ndim == 2)
        lay.set_weights([w["kernel"], w["recurrent_kernel"], w["bias"]])
        y = lay(tf.constant(xs.transpose(1, 0, 2)), initial_state=[tf.constant(h0)])
        return y.numpy().transpose(1, 0, 2)

    def init():
        lay = tf_keras.layers.GRU(H)  # the default: reset_after=True
        lay.build((B, T, D))
        return dict(zip(("kernel", "recurrent_kernel", "bias"), lay.get_weights(), strict=True))

    version = f"tf_keras {tf_keras.__version__}, tensorflow {tf.__version__}"
    api = "tf_keras.layers.GRU(4) (Keras 2)"
    layout_check(outdir, "tf_keras", "tf_keras", "all", ("after", "before"), run_native, init, api, version)


def layout_tf1(outdir: Path) -> None:
    def cell():
        c = tf.compat.v1.nn.rnn_cell.GRUCell(H, dtype=tf.float32)
        c.build(tf.TensorShape([B, D]))
        return c

    def names(c):  # "gru_cell_1/gates/kernel:0" -> "gates/kernel"
        return ["/".join(v.name.split(":")[0].split("/")[-2:]) for v in c.weights]

    def run_native(w, xs, h0, reset=None):
        c = cell()
        for var, n in zip(c.weights, names(c), strict=True):
            var.assign(w[n])
        h, outs = tf.constant(h0), []
        for t in range(T):
            h, _ = c(tf.constant(xs[t]), h)
            outs.append(h.numpy())
        return np.stack(outs)

    def init():
        c = cell()
        return {n: v.numpy() for n, v in zip(names(c), c.weights, strict=True)}

    version = f"tensorflow {tf.__version__}"
    api = "tf.compat.v1.nn.rnn_cell.GRUCell(4) (TF_USE_LEGACY_KERAS=1)"
    layout_check(outdir, "tf1", "tf1", "none", ("before",), run_native, init, api, version)


def layout_sonnet(outdir: Path) -> None:
    import sonnet as snt

    def core():
        c = snt.GRU(H)
        c(tf.zeros([B, D]), tf.zeros([B, H]))  # creates w_i, w_h, b
        return c

    def run_native(w, xs, h0, reset=None):
        c = core()
        for var in c.variables:
            var.assign(w[var.name.split("/")[-1].split(":")[0]])
        h, outs = tf.constant(h0), []
        for t in range(T):
            _, h = c(tf.constant(xs[t]), h)
            outs.append(h.numpy())
        return np.stack(outs)

    def init():
        return {v.name.split("/")[-1].split(":")[0]: v.numpy() for v in core().variables}

    version = f"dm-sonnet {snt.__version__}, tensorflow {tf.__version__}"
    layout_check(outdir, "sonnet", "sonnet", "none", ("before",), run_native, init, "snt.GRU(4)", version)


if __name__ == "__main__":
    raise SystemExit(
        main(
            {
                **{f"tf_keras_{v}": keras2(v) for v in ("reset_after", "reset_before", "default")},
                "tf1_grucell": tf1_grucell,
                "sonnet_gru": sonnet_gru,
                "layout_tf_keras": layout_tf_keras,
                "layout_tf1": layout_tf1,
                "layout_sonnet": layout_sonnet,
            }
        )
    )
