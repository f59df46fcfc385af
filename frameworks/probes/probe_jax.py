"""JAX family: Flax linen ``nn.GRUCell``, Flax nnx ``nnx.GRUCell``, Haiku ``hk.GRU`` and equinox
``eqx.nn.GRUCell``, each stepped over the sequence in float32 and (x64 enabled) float64.

The ``layout_*`` checks write random gru_lib models into each with ``gru_lib.layouts.to_<x>`` and
record the framework's outputs, and record each framework's own initialised parameters with its
outputs for ``from_<x>`` (compared in frameworks/compare.py).

The ``porting_haiku_*`` checks run the porting chapter's stored models again in real Haiku: the
two trained PyTorch models (read from chapters/gru_book/data/porting_torch.npz) ported by
``gru_book.porting`` and run by ``hk.GRU``, and the convention probe (``gru_book.probe``) on
``hk.GRU``; frameworks/run.py compares them with the stored porting_haiku.npz."""

from __future__ import annotations

from pathlib import Path

import jax

jax.config.update("jax_enable_x64", True)

import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402
from _common import (  # noqa: E402
    B,
    D,
    H,
    book,
    float64_or_reason,
    inputs,
    layout_check,
    main,
    randomize,
    rng_for,
    save,
    save_porting_check,
    stored,
    stored_state,
)


def _flat(tree, prefix: str = "") -> dict[str, tuple[int, ...]]:
    out = {}
    for k, v in tree.items():
        name = f"{prefix}{k}"
        out.update(_flat(v, name + "/") if isinstance(v, dict) else {name: tuple(v.shape)})
    return out


def _nest(flat: dict[str, np.ndarray], dtype) -> dict:
    tree: dict = {}
    for k, v in flat.items():
        *path, leaf = k.split("/")
        node = tree
        for p in path:
            node = node.setdefault(p, {})
        node[leaf] = jnp.asarray(v.astype(dtype))
    return tree


def _steps(step, h0, xs, dtype) -> np.ndarray:
    h, outs = jnp.asarray(h0.astype(dtype)), []
    for t in range(xs.shape[0]):
        h = step(h, jnp.asarray(xs[t].astype(dtype)))
        outs.append(np.asarray(h))
    out = np.stack(outs)
    assert out.dtype == dtype, (out.dtype, dtype)
    return out


def flax_linen(outdir: Path) -> None:
    import flax
    from flax import linen as nn

    row = "flax_linen_grucell"
    rng = rng_for(row)
    xs, h0 = inputs(rng)
    cell = nn.GRUCell(features=H)
    shapes = _flat(flax.core.unfreeze(cell.init(jax.random.PRNGKey(0), jnp.zeros((B, H)), jnp.zeros((B, D))))["params"])
    w = randomize(rng, shapes)

    def run(dtype) -> np.ndarray:
        c = nn.GRUCell(features=H, dtype=dtype, param_dtype=dtype)
        params = {"params": _nest(w, dtype)}
        return _steps(lambda h, x: c.apply(params, h, x)[0], h0, xs, dtype)

    out64, note = float64_or_reason(lambda: run(np.float64))
    save(
        outdir,
        row,
        api="flax.linen.GRUCell(features=4)",
        version=f"flax {flax.__version__}, jax {jax.__version__}",
        layout="flax_linen",
        weights=w,
        xs=xs,
        h0=h0,
        out32=run(np.float32),
        out64=out64,
        f64_note=note,
        ran="cell.apply stepped over the sequence from h0",
    )


def flax_nnx(outdir: Path) -> None:
    import flax
    from flax import nnx

    row = "flax_nnx_grucell"
    rng = rng_for(row)
    xs, h0 = inputs(rng)

    def make(dtype):
        return nnx.GRUCell(D, H, dtype=dtype, param_dtype=dtype, rngs=nnx.Rngs(0))

    state = nnx.state(make(np.float32), nnx.Param).to_pure_dict()
    w = randomize(rng, _flat(state))

    def run(dtype) -> np.ndarray:
        cell = make(dtype)
        nnx.update(cell, _nest(w, dtype))
        return _steps(lambda h, x: cell(h, x)[0], h0, xs, dtype)

    out64, note = float64_or_reason(lambda: run(np.float64))
    save(
        outdir,
        row,
        api="flax.nnx.GRUCell(3, 4)",
        version=f"flax {flax.__version__}, jax {jax.__version__}",
        layout="flax_nnx",
        weights=w,
        xs=xs,
        h0=h0,
        out32=run(np.float32),
        out64=out64,
        f64_note=note,
        ran="cell(h, x) stepped over the sequence from h0",
    )


def haiku(outdir: Path) -> None:
    import haiku as hk

    row = "haiku_gru"
    rng = rng_for(row)
    xs, h0 = inputs(rng)
    f = hk.without_apply_rng(hk.transform(lambda x, h: hk.GRU(H, name="gru")(x, h)))
    shapes = _flat(f.init(jax.random.PRNGKey(0), jnp.zeros((B, D)), jnp.zeros((B, H))))
    w = randomize(rng, shapes)

    def run(dtype) -> np.ndarray:
        params = _nest(w, dtype)
        return _steps(lambda h, x: f.apply(params, x, h)[1], h0, xs, dtype)

    out64, note = float64_or_reason(lambda: run(np.float64))
    save(
        outdir,
        row,
        api="hk.GRU(4)",
        version=f"dm-haiku {hk.__version__}, jax {jax.__version__}",
        layout="haiku",
        weights={k.split("/")[-1]: v for k, v in w.items()},
        xs=xs,
        h0=h0,
        out32=run(np.float32),
        out64=out64,
        f64_note=note,
        ran="transform(hk.GRU) stepped over the sequence from h0",
    )


def equinox(outdir: Path) -> None:
    import equinox as eqx

    row = "equinox_grucell"
    rng = rng_for(row)
    xs, h0 = inputs(rng)
    names = ("weight_ih", "weight_hh", "bias", "bias_n")
    cell32 = eqx.nn.GRUCell(D, H, key=jax.random.PRNGKey(0))
    w = randomize(rng, {n: tuple(getattr(cell32, n).shape) for n in names})

    def run(dtype) -> np.ndarray:
        cell = eqx.nn.GRUCell(D, H, key=jax.random.PRNGKey(0), dtype=dtype)
        new = [jnp.asarray(w[n].astype(dtype)) for n in names]
        cell = eqx.tree_at(lambda c: [getattr(c, n) for n in names], cell, new)
        step = jax.vmap(lambda x, h: cell(x, h))  # equinox cells take one example
        return _steps(lambda h, x: step(x, h), h0, xs, dtype)

    out64, note = float64_or_reason(lambda: run(np.float64))
    save(
        outdir,
        row,
        api="eqx.nn.GRUCell(3, 4)",
        version=f"equinox {eqx.__version__}, jax {jax.__version__}",
        layout="equinox",
        weights=w,
        xs=xs,
        h0=h0,
        out32=run(np.float32),
        out64=out64,
        f64_note=note,
        ran="jax.vmap over the batch, stepped over the sequence from h0",
    )


# ------------------------------------------------------------------ gru_lib.layouts, live
def _numpy_tree(tree) -> dict:
    return {k: _numpy_tree(v) if hasattr(v, "items") else np.asarray(v) for k, v in tree.items()}


def _jnp_tree(tree) -> dict:
    return {k: _jnp_tree(v) if isinstance(v, dict) else jnp.asarray(v) for k, v in tree.items()}


def layout_flax_linen(outdir: Path) -> None:
    import flax
    from flax import linen as nn

    cell = nn.GRUCell(features=H)

    def run_native(variables, xs, h0, reset=None):
        v = _jnp_tree(variables)
        return _steps(lambda h, x: cell.apply(v, h, x)[0], h0, xs, np.float32)

    def init():
        return _numpy_tree(
            flax.core.unfreeze(
                cell.init(jax.random.PRNGKey(1), jnp.zeros((B, H), np.float32), jnp.zeros((B, D), np.float32))
            )
        )

    version = f"flax {flax.__version__}, jax {jax.__version__}"
    layout_check(
        outdir, "flax_linen", "flax_linen", "h", ("after",), run_native, init, "flax.linen.GRUCell(features=4)", version
    )


def layout_flax_nnx(outdir: Path) -> None:
    import flax
    from flax import nnx

    def run_native(state, xs, h0, reset=None):
        cell = nnx.GRUCell(D, H, param_dtype=np.float32, rngs=nnx.Rngs(0))
        nnx.update(cell, _jnp_tree(state))
        return _steps(lambda h, x: cell(h, x)[0], h0, xs, np.float32)

    def init():
        return _numpy_tree(
            nnx.state(nnx.GRUCell(D, H, param_dtype=np.float32, rngs=nnx.Rngs(1)), nnx.Param).to_pure_dict()
        )

    version = f"flax {flax.__version__}, jax {jax.__version__}"
    layout_check(
        outdir, "flax_nnx", "flax_nnx", "none", ("after",), run_native, init, "flax.nnx.GRUCell(3, 4)", version
    )


def layout_haiku(outdir: Path) -> None:
    import haiku as hk

    f = hk.without_apply_rng(hk.transform(lambda x, h: hk.GRU(H)(x, h)))  # default module name: "gru"

    def run_native(tree, xs, h0, reset=None):
        t = _jnp_tree(tree)
        return _steps(lambda h, x: f.apply(t, x, h)[1], h0, xs, np.float32)

    def init():
        return _numpy_tree(f.init(jax.random.PRNGKey(1), jnp.zeros((B, D), np.float32), jnp.zeros((B, H), np.float32)))

    version = f"dm-haiku {hk.__version__}, jax {jax.__version__}"
    layout_check(outdir, "haiku", "haiku", "none", ("before",), run_native, init, "hk.GRU(4)", version)


def layout_equinox(outdir: Path) -> None:
    import equinox as eqx

    names = ("weight_ih", "weight_hh", "bias", "bias_n")

    def run_native(fields, xs, h0, reset=None):
        cell = eqx.nn.GRUCell(D, H, key=jax.random.PRNGKey(0), dtype=np.float32)
        cell = eqx.tree_at(lambda c: [getattr(c, n) for n in names], cell, [jnp.asarray(fields[n]) for n in names])
        step = jax.vmap(lambda x, h: cell(x, h))
        return _steps(lambda h, x: step(x, h), h0, xs, np.float32)

    def init():
        cell = eqx.nn.GRUCell(D, H, key=jax.random.PRNGKey(1), dtype=np.float32)
        return {n: np.asarray(getattr(cell, n)) for n in names}

    version = f"equinox {eqx.__version__}, jax {jax.__version__}"
    layout_check(outdir, "equinox", "equinox", "h", ("after",), run_native, init, "eqx.nn.GRUCell(3, 4)", version)


# ------------------------------------------------------------------ the porting chapter's runs, again
def _haiku_run(tree: dict, xs: np.ndarray, h0: np.ndarray) -> np.ndarray:
    """``hk.GRU`` with the params tree ``{module: {w_i, w_h, b}}``, stepped over xs (T, B, D) from
    h0 (B, H) in float32; (T, B, H)."""
    import haiku as hk

    (module,) = tree
    f = hk.without_apply_rng(hk.transform(lambda x, h: hk.GRU(h0.shape[1], name=module)(x, h)))
    params = _jnp_tree({module: {k: np.asarray(v, np.float32) for k, v in tree[module].items()}})
    return _steps(lambda h, x: f.apply(params, x, h)[1], h0, xs, np.float32)


def _haiku_version() -> str:
    import haiku as hk

    return f"dm-haiku {hk.__version__}, jax {jax.__version__}"


def porting_haiku(name: str):
    """The stored PyTorch model ``name`` ported to Haiku (portable: ``haiku_port``, exact; general:
    ``naive_haiku_port``, read as if it reset before) and run by ``hk.GRU`` on the stored inputs."""

    def run_check(outdir: Path) -> None:
        porting, _ = book()
        port = porting.haiku_port if name == "portable" else porting.naive_haiku_port
        tree = port(stored_state(name))
        torch_side = stored("porting_torch")
        arrays = {f"{name}.{k}": np.asarray(v) for k, v in tree["gru"].items()}
        arrays[f"{name}.haiku"] = _haiku_run(tree, torch_side["xs"], torch_side["h0"])
        api = f"hk.GRU(4) with gru_book.porting.{port.__name__} of the stored {name} nn.GRU"
        save_porting_check(outdir, f"haiku_{name}", api=api, version=_haiku_version(), arrays=arrays)

    return run_check


def porting_haiku_probe(outdir: Path) -> None:
    """The convention probe (``gru_book.probe.run_probe``, nine one-step runs) on ``hk.GRU``."""
    _, probe = book()

    def step(U: np.ndarray, b: np.ndarray, h: np.ndarray) -> np.ndarray:
        tree = {"gru": {"w_i": np.zeros((1, U.shape[0]), np.float32), "w_h": U.T.copy(), "b": b}}
        return _haiku_run(tree, np.zeros((1, h.shape[0], 1), np.float32), h)[0]

    arrays = {f"probe.{k}": v.astype(np.float32) for k, v in probe.run_probe(step).items()}
    save_porting_check(outdir, "haiku_probe", api="hk.GRU(2), one step", version=_haiku_version(), arrays=arrays)


if __name__ == "__main__":
    raise SystemExit(
        main(
            {
                "flax_linen_grucell": flax_linen,
                "flax_nnx_grucell": flax_nnx,
                "haiku_gru": haiku,
                "equinox_grucell": equinox,
                "layout_flax_linen": layout_flax_linen,
                "layout_flax_nnx": layout_flax_nnx,
                "layout_haiku": layout_haiku,
                "layout_equinox": layout_equinox,
                "porting_haiku_portable": porting_haiku("portable"),
                "porting_haiku_general": porting_haiku("general"),
                "porting_haiku_probe": porting_haiku_probe,
            }
        )
    )
