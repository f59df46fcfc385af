"""gru_lib.layouts, every layout at once: exact round trips both ways, what each layout means
(a numpy transcription of each framework's own equations), refusals and bad input.

The per-layout facts the tests rely on (which architecture a layout runs, which recurrent biases it
stores) are written here from the frameworks' sources, not read from gru_lib.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gru_lib import GRUParams, run
from gru_lib import layouts as L


@dataclass(frozen=True)
class Spec:
    """One layout: the label its errors carry, what it runs, which recurrent biases it stores."""

    name: str
    label: str
    update: str
    resets: tuple[str, ...]
    rec: str  # "all", "h" (candidate only) or "none"
    from_kwargs: Callable[[str], dict] = field(default=lambda reset: {})
    to_kwargs: dict = field(default_factory=dict)


SPECS = [
    Spec("pytorch", "PyTorch", "keep", ("after",), "all"),
    Spec("paddle", "PaddlePaddle", "keep", ("after",), "all"),
    Spec("mxnet", "MXNet", "keep", ("after",), "all"),
    Spec("equinox", "equinox", "keep", ("after",), "h"),
    Spec("mlx", "MLX", "keep", ("after",), "h"),
    Spec("flax_linen", "Flax linen", "keep", ("after",), "h"),
    Spec("flax_nnx", "Flax nnx", "keep", ("after",), "none"),
    Spec("keras", "Keras", "keep", ("after", "before"), "all"),
    Spec("tf_keras", "Keras", "keep", ("after", "before"), "all"),
    Spec("tf1", "TF1 GRUCell", "keep", ("before",), "none"),
    Spec("onnx", "ONNX", "keep", ("after", "before"), "all", lambda r: {"linear_before_reset": int(r == "after")}),
    Spec("haiku", "Haiku", "admit", ("before",), "none"),
    Spec("sonnet", "Sonnet", "admit", ("before",), "none"),
]
BY_NAME = {s.name: s for s in SPECS}
CELL_VARIANTS = {"pytorch": [{}, {"cell": True}], "paddle": [{}, {"cell": True}], "mxnet": [{}, {"cell": True}]}


def stores(spec: Spec, reset: str) -> str:
    """Which recurrent biases the layout stores for that placement."""
    if spec.name in ("keras", "tf_keras") and reset == "before":
        return "none"
    return spec.rec


def shaped(p: GRUParams, rec: str) -> GRUParams:
    """``p`` cut to the recurrent biases a layout can hold."""
    if rec == "none":
        return GRUParams.from_arrays({k: v for k, v in p if not k.endswith("_rec")})
    if rec == "h":
        return p.replace(b_z_rec=None, b_r_rec=None)
    return p


def expected_import(p: GRUParams, rec: str) -> GRUParams:
    """What reading ``p``'s export back gives: stored recurrent biases become explicit (zeros if absent)."""
    return p if rec == "none" else p.with_recurrent_biases()


def to(name: str, p, **kw):
    return getattr(L, f"to_{name}")(p, **kw)


def read(name: str, native, reset: str) -> L.Imported:
    return getattr(L, f"from_{name}")(native, **BY_NAME[name].from_kwargs(reset))


# ------------------------------------------------------------------ tree helpers
def leaves(tree, prefix=()) -> list[tuple[str, ...]]:
    out = []
    for k, v in tree.items():
        out += leaves(v, (*prefix, k)) if isinstance(v, dict) else [(*prefix, k)]
    return out


def get(tree, path):
    for k in path:
        tree = tree[k]
    return tree


def put(tree, path, value):
    """A copy of ``tree`` with ``value`` at ``path`` (``None`` deletes it)."""
    out = dict(tree)
    if len(path) == 1:
        if value is None:
            out.pop(path[0])
        else:
            out[path[0]] = value
        return out
    out[path[0]] = put(tree[path[0]], path[1:], value)
    return out


def same_tree(a, b) -> bool:
    if isinstance(a, dict) or isinstance(b, dict):
        return (
            isinstance(a, dict)
            and isinstance(b, dict)
            and a.keys() == b.keys()
            and all(same_tree(a[k], b[k]) for k in a)
        )
    return a.dtype == b.dtype and a.shape == b.shape and np.array_equal(a, b)


def random_like(tree, rng, dtype):
    """The same tree with new random values (aliases of one parameter, Paddle's 0.cell.*, kept equal)."""
    out = {
        k: random_like(v, rng, dtype) if isinstance(v, dict) else rng.normal(size=v.shape).astype(dtype)
        for k, v in tree.items()
    }
    for k in [k for k in out if k.startswith("0.cell.")]:
        out[k] = out[k[len("0.cell.") :] + "_l0"].copy()
    return out


cases = st.sampled_from([(s.name, r) for s in SPECS for r in s.resets])
params_st = st.builds(
    lambda D, H, seed, rec, f32: GRUParams.random(
        D, H, seed=seed, scale=1.0, recurrent_biases=rec, dtype=np.float32 if f32 else np.float64
    ),
    st.integers(1, 5),
    st.integers(1, 5),
    st.integers(0, 10**6),
    st.booleans(),
    st.booleans(),
)


# ------------------------------------------------------------------ round trips
@settings(max_examples=150, deadline=None)
@given(cases, params_st, st.sampled_from(["keep", "admit"]), st.integers(0, 1))
def test_params_to_layout_to_params_is_exact(case, p, update, variant):
    name, reset = case
    spec = BY_NAME[name]
    kw = CELL_VARIANTS.get(name, [{}])[variant % len(CELL_VARIANTS.get(name, [{}]))]
    p = shaped(p, stores(spec, reset))
    native = to(name, p, update=update, reset=reset, **kw)
    imp = read(name, native, reset)
    assert (imp.update, imp.reset) == (spec.update, reset)
    assert imp.as_update(update).params == expected_import(p, stores(spec, reset))
    assert same_tree(to(name, imp.params, update=imp.update, reset=reset, **kw), native)


@settings(max_examples=150, deadline=None)
@given(cases, st.integers(1, 4), st.integers(1, 4), st.integers(0, 10**6), st.booleans(), st.integers(0, 1))
def test_layout_to_params_to_layout_is_exact(case, D, H, seed, f32, variant):
    """Any native arrays of the right shapes (not only exported ones) come back bit for bit."""
    name, reset = case
    kw = CELL_VARIANTS.get(name, [{}])[variant % len(CELL_VARIANTS.get(name, [{}]))]
    template = to(name, GRUParams.zeros(D, H), update=BY_NAME[name].update, reset=reset, **kw)
    native = random_like(template, np.random.default_rng(seed), np.float32 if f32 else np.float64)
    imp = read(name, native, reset)
    assert same_tree(to(name, imp.params, update=imp.update, reset=reset, **kw), native)


def test_every_layout_is_tested_and_listed():
    assert [s.name for s in SPECS] == list(L.LAYOUTS)
    for n in L.LAYOUTS:
        assert f"from_{n}" in L.__all__ and f"to_{n}" in L.__all__


# ------------------------------------------------------------------ what each layout means
def sigmoid(a):
    return 1.0 / (1.0 + np.exp(-a))


def stacked_step(w_ih, w_hh, b_ih, b_hh, x, h):
    """PyTorch's documented equations (blocks r, z, n; b_hh inside r ⊙ (·) for n); also Paddle's, MXNet's."""
    H = h.shape[1]
    gi, gh = x @ w_ih.T + b_ih, h @ w_hh.T + b_hh
    r, z = sigmoid(gi[:, :H] + gh[:, :H]), sigmoid(gi[:, H : 2 * H] + gh[:, H : 2 * H])
    n = np.tanh(gi[:, 2 * H :] + r * gh[:, 2 * H :])
    return (1 - z) * n + z * h


def equinox_step(w, x, h):  # equinox/nn/_rnn.py, GRUCell.__call__ (batched here)
    ig, hg = np.split(x @ w["weight_ih"].T + w["bias"], 3, axis=1), np.split(h @ w["weight_hh"].T, 3, axis=1)
    reset, inp = sigmoid(ig[0] + hg[0]), sigmoid(ig[1] + hg[1])
    new = np.tanh(ig[2] + reset * (hg[2] + w["bias_n"]))
    return new + inp * (h - new)


def mlx_step(w, x, h):  # mlx/nn/layers/recurrent.py, GRU.__call__
    H = h.shape[1]
    xp, hp = x @ w["Wx"].T + w["b"], h @ w["Wh"].T
    r, z = np.split(sigmoid(xp[:, : 2 * H] + hp[:, : 2 * H]), 2, axis=1)
    n = np.tanh(xp[:, 2 * H :] + r * (hp[:, 2 * H :] + w["bhn"]))
    return (1 - z) * n + z * h


def linen_step(v, x, h):  # flax/linen/recurrent.py, GRUCell.__call__
    p = v["params"]
    r = sigmoid(x @ p["ir"]["kernel"] + p["ir"]["bias"] + h @ p["hr"]["kernel"])
    z = sigmoid(x @ p["iz"]["kernel"] + p["iz"]["bias"] + h @ p["hz"]["kernel"])
    n = np.tanh(x @ p["in"]["kernel"] + p["in"]["bias"] + r * (h @ p["hn"]["kernel"] + p["hn"]["bias"]))
    return (1 - z) * n + z * h


def nnx_step(s, x, h):  # flax/nnx/nn/recurrent.py, GRUCell.__call__
    xr, xz, xn = np.split(x @ s["dense_i"]["kernel"] + s["dense_i"]["bias"], 3, axis=1)
    hr, hz, hn = np.split(h @ s["dense_h"]["kernel"], 3, axis=1)
    r, z = sigmoid(xr + hr), sigmoid(xz + hz)
    n = np.tanh(xn + r * hn)
    return (1 - z) * n + z * h


def tf1_step(w, x, h):  # tensorflow/python/keras/layers/legacy_rnn/rnn_cell_impl.py, GRUCell.call
    value = sigmoid(np.concatenate([x, h], 1) @ w["gates/kernel"] + w["gates/bias"])
    r, u = np.split(value, 2, axis=1)
    c = np.tanh(np.concatenate([x, r * h], 1) @ w["candidate/kernel"] + w["candidate/bias"])
    return u * h + (1 - u) * c


def keras_step(w, x, h):  # keras/src/layers/rnn/gru.py, GRUCell.call
    H = h.shape[1]
    after = w["bias"].ndim == 2
    b_in, b_rec = (w["bias"][0], w["bias"][1]) if after else (w["bias"], 0 * w["bias"])
    xi, hh = x @ w["kernel"] + b_in, h @ w["recurrent_kernel"] + b_rec
    z, r = sigmoid(xi[:, :H] + hh[:, :H]), sigmoid(xi[:, H : 2 * H] + hh[:, H : 2 * H])
    rk = w["recurrent_kernel"][:, 2 * H :]
    cand = np.tanh(xi[:, 2 * H :] + (r * hh[:, 2 * H :] if after else (r * h) @ rk))
    return z * h + (1 - z) * cand


def deepmind_step(w, x, h):  # haiku/_src/recurrent.py and sonnet/src/recurrent.py, GRU.__call__
    H = h.shape[1]
    gx = x @ w["w_i"]
    z, r = np.split(sigmoid(gx[:, : 2 * H] + h @ w["w_h"][:, : 2 * H] + w["b"][: 2 * H]), 2, axis=1)
    a = np.tanh(gx[:, 2 * H :] + (r * h) @ w["w_h"][:, 2 * H :] + w["b"][2 * H :])
    return (1 - z) * h + z * a


STEPS = {
    "pytorch": lambda w, x, h: stacked_step(
        w["weight_ih_l0"], w["weight_hh_l0"], w["bias_ih_l0"], w["bias_hh_l0"], x, h
    ),
    "paddle": lambda w, x, h: stacked_step(
        w["weight_ih_l0"], w["weight_hh_l0"], w["bias_ih_l0"], w["bias_hh_l0"], x, h
    ),
    "mxnet": lambda w, x, h: stacked_step(
        w["l0_i2h_weight"], w["l0_h2h_weight"], w["l0_i2h_bias"], w["l0_h2h_bias"], x, h
    ),
    "equinox": equinox_step,
    "mlx": mlx_step,
    "flax_linen": linen_step,
    "flax_nnx": nnx_step,
    "keras": keras_step,
    "tf_keras": keras_step,
    "tf1": tf1_step,
    "haiku": lambda t, x, h: deepmind_step(t["gru"], x, h),
    "sonnet": deepmind_step,
}


@settings(max_examples=120, deadline=None)
@given(
    st.sampled_from([(n, r) for n, r in ((s.name, r) for s in SPECS for r in s.resets) if n != "onnx"]),
    params_st,
    st.integers(0, 10**6),
    st.sampled_from(["keep", "admit"]),
)
def test_exported_layout_computes_what_gru_lib_computes(case, p, seed, update):
    """ONNX's transcription lives in test_layouts.py."""
    name, reset = case
    p = shaped(p.astype(np.float64), stores(BY_NAME[name], reset))
    rng = np.random.default_rng(seed)
    x, h = rng.normal(size=(2, p.input_size)), rng.uniform(-1, 1, size=(2, p.hidden_size))
    want = run(p, x[None], h, update=update, reset=reset).h[0]
    got = STEPS[name](to(name, p, update=update, reset=reset), x, h)
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-12)


def test_storage_positions_are_what_the_frameworks_document():
    p = GRUParams.random(2, 3, seed=0, recurrent_biases=True).replace(b_z_rec=None, b_r_rec=None)
    e, m = L.to_equinox(p), L.to_mlx(p)
    assert np.array_equal(e["weight_ih"][:3], p.W_r) and np.array_equal(e["bias_n"], p.b_h_rec)
    assert np.array_equal(m["Wh"][3:6], p.U_z) and np.array_equal(m["bhn"], p.b_h_rec)
    lin = L.to_flax_linen(p)["params"]
    assert np.array_equal(lin["iz"]["kernel"], p.W_z.T) and np.array_equal(lin["hn"]["bias"], p.b_h_rec)
    q = L.fold_recurrent_biases(p, reset="before")
    t = L.to_tf1(q)
    assert np.array_equal(t["gates/kernel"][:2, :3], p.W_r.T) and np.array_equal(t["gates/kernel"][2:, 3:], p.U_z.T)
    assert np.array_equal(t["candidate/bias"], p.b_h + p.b_h_rec)
    mx = L.to_mxnet(GRUParams.random(2, 3, seed=1, recurrent_biases=True), prefix="gru0_")
    assert sorted(mx) == ["gru0_l0_h2h_bias", "gru0_l0_h2h_weight", "gru0_l0_i2h_bias", "gru0_l0_i2h_weight"]
    assert L.from_mxnet(mx).params == L.from_mxnet({k[5:]: v for k, v in mx.items()}).params
    pd = L.to_paddle(GRUParams.random(2, 3, seed=1))
    assert np.array_equal(pd["0.cell.weight_hh"], pd["weight_hh_l0"]) and len(pd) == 8
    nnx = L.to_flax_nnx(GRUParams.random(2, 3, seed=1))
    assert list(nnx["dense_h"]) == ["kernel"]


# ------------------------------------------------------------------ refusals
@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
def test_a_placement_the_layout_cannot_run_is_refused(spec):
    others = [r for r in ("before", "after") if r not in spec.resets]
    p = GRUParams.random(2, 3, seed=0)
    for reset in others:
        with pytest.raises(ValueError, match=rf"resets {spec.resets[0]} .*got reset='{reset}'"):
            to(spec.name, p, reset=reset)


@pytest.mark.parametrize("case", [(s.name, r) for s in SPECS for r in s.resets if stores(s, r) != "all"], ids=str)
def test_recurrent_biases_without_a_place_are_refused_and_folding_is_exact(case):
    name, reset = case
    p = GRUParams.random(2, 3, seed=0, recurrent_biases=True)
    with pytest.raises(
        ValueError, match=r"no place for these recurrent biases, which are nonzero: \['b_z_rec', 'b_r_rec'"
    ):
        to(name, p, reset=reset)
    folded = L.fold_recurrent_biases(p, reset=reset)
    xs = np.random.default_rng(0).normal(size=(4, 2, 2))
    assert np.array_equal(run(folded, xs, update="keep", reset=reset).h, run(p, xs, update="keep", reset=reset).h)
    if stores(BY_NAME[name], reset) == "none" and reset == "after":  # nnx: b_h_rec cannot be folded
        with pytest.raises(ValueError, match=r"\['b_h_rec'\]. b_h_rec sits inside r"):
            to(name, folded, reset=reset)
        folded = folded.replace(b_h_rec=None)
    imp = read(name, to(name, folded, reset=reset), reset)
    assert imp.as_update("keep").params.max_abs_diff(folded) == 0.0


def test_fold_checks_reset():
    with pytest.raises(ValueError, match="reset must be one of"):
        L.fold_recurrent_biases(GRUParams.random(2, 2, seed=0), reset="middle")


# ------------------------------------------------------------------ bad input
flat_cases = st.sampled_from(
    [(s.name, r, v) for s in SPECS for r in s.resets for v in range(len(CELL_VARIANTS.get(s.name, [{}])))]
)


def native_for(name, reset, variant, D=3, H=2, seed=0):
    kw = CELL_VARIANTS.get(name, [{}])[variant]
    p = shaped(GRUParams.random(D, H, seed=seed, recurrent_biases=True), stores(BY_NAME[name], reset))
    return to(name, p, update=BY_NAME[name].update, reset=reset, **kw)


@settings(max_examples=120, deadline=None)
@given(flat_cases, st.data(), st.integers(1, 3), st.integers(0, 1))
def test_wrong_shape_names_layout_array_expected_and_given(case, data, extra, axis):
    name, reset, variant = case
    native = native_for(name, reset, variant)
    path = data.draw(st.sampled_from(leaves(native)))
    a = get(native, path)
    ax = min(axis, a.ndim - 1)
    bad = np.concatenate([a, np.ones(tuple(extra if i == ax else n for i, n in enumerate(a.shape)))], axis=ax)
    try:
        imp = read(name, put(native, path, bad), reset)
    except ValueError as err:
        msg = str(err)
    else:  # a longer input axis on the one array that alone holds D is a valid, wider layer
        assert imp.params.input_size == 3 + extra and imp.params.hidden_size == 2
        return
    assert BY_NAME[name].label in msg and "must" in msg
    assert any(f"'{n}'" in msg or f"'{'/'.join(p[-2:])}'" in msg for p in leaves(native) for n in p[-1:])
    assert "got shape" in msg, msg


@settings(max_examples=80, deadline=None)
@given(flat_cases, st.data(), st.sampled_from([np.nan, np.inf, -np.inf]))
def test_non_finite_entries_are_refused_naming_the_array(case, data, value):
    name, reset, variant = case
    native = native_for(name, reset, variant)
    path = data.draw(st.sampled_from(leaves(native)))
    bad = get(native, path).copy()
    bad.flat[data.draw(st.integers(0, bad.size - 1))] = value
    with pytest.raises(ValueError, match="finite") as err:
        read(name, put(native, path, bad), reset)
    assert repr(path[-1])[1:-1] in str(err.value)


@settings(max_examples=80, deadline=None)
@given(flat_cases, st.data())
def test_missing_and_unknown_keys_are_named(case, data):
    name, reset, variant = case
    native = native_for(name, reset, variant)
    path = data.draw(st.sampled_from(leaves(native)))
    if path[-1].startswith("0.cell."):  # Paddle's aliases are optional: the parameter is there under its name
        assert read(name, put(native, path, None), reset).params == read(name, native, reset).params
    elif (name, path) == ("onnx", ("B",)):  # ONNX's optional input B: absent means zeros
        assert not np.any(read(name, put(native, path, None), reset).params.b_h_rec)
    else:
        with pytest.raises(ValueError) as err:
            read(name, put(native, path, None), reset)
        assert path[-1] in str(err.value)
    where = data.draw(st.integers(0, len(path) - 1))
    target = (*path[:where], "bogus")
    with pytest.raises(ValueError, match="bogus"):
        read(name, put(native, target, np.zeros(3)), reset)


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
def test_not_a_dict_is_a_type_error(spec):
    with pytest.raises(TypeError, match=rf"{spec.label} .*must be a dict of arrays; got str"):
        read(spec.name, "weight_ih", spec.resets[0])
