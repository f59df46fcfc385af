"""gru_lib.layouts for Haiku's hk.GRU and Sonnet 2's snt.GRU: admit, reset before, one bias per gate."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gru_lib import GRUParams, convert, run
from gru_lib import layouts as L

one_bias_st = st.builds(
    lambda D, H, seed, f32: GRUParams.random(D, H, seed=seed, scale=1.0, dtype=np.float32 if f32 else np.float64),
    st.integers(1, 5),
    st.integers(1, 5),
    st.integers(0, 10**6),
    st.booleans(),
)


def sigmoid(a):
    return 1.0 / (1.0 + np.exp(-a))


def same_arrays(a: dict, b: dict) -> bool:
    return a.keys() == b.keys() and all(a[k].dtype == b[k].dtype and np.array_equal(a[k], b[k]) for k in a)


def deepmind_step(w, x, h):
    """hk.GRU.__call__ / snt.GRU.__call__ transcribed (haiku/_src/recurrent.py, sonnet/src/recurrent.py)."""
    H = h.shape[1]
    gates_x = x @ w["w_i"]
    zr = gates_x[:, : 2 * H] + h @ w["w_h"][:, : 2 * H] + w["b"][: 2 * H]
    z, r = np.split(sigmoid(zr), 2, axis=1)
    a = np.tanh(gates_x[:, 2 * H :] + (r * h) @ w["w_h"][:, 2 * H :] + w["b"][2 * H :])
    return (1 - z) * h + z * a


@settings(deadline=None)
@given(one_bias_st, st.sampled_from(["keep", "admit"]), st.text("abc_/~", min_size=1, max_size=8))
def test_haiku_round_trip(p, update, module):
    tree = L.to_haiku(p, update=update, module=module)
    assert list(tree) == [module] and sorted(tree[module]) == ["b", "w_h", "w_i"]
    imp = L.from_haiku(tree)
    assert (imp.update, imp.reset) == ("admit", "before")
    assert imp.as_update(update).params == p
    assert imp.params == (p if update == "admit" else convert(p))
    again = L.to_haiku(imp.params, update="admit", module=module)
    assert same_arrays(again[module], tree[module])
    assert L.from_haiku(tree[module]).params == imp.params  # the inner dict alone


@settings(deadline=None)
@given(one_bias_st, st.sampled_from(["keep", "admit"]))
def test_sonnet_round_trip(p, update):
    w = L.to_sonnet(p, update=update)
    imp = L.from_sonnet(w)
    assert (imp.update, imp.reset) == ("admit", "before") and imp.as_update(update).params == p
    assert same_arrays(L.to_sonnet(imp.params, update="admit"), w)


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 4), st.integers(1, 4), st.integers(0, 10**6), st.booleans())
def test_native_to_params_to_native_is_identity(D, H, seed, f32):
    rng = np.random.default_rng(seed)
    dt = np.float32 if f32 else np.float64
    w = {"w_i": rng.normal(size=(D, 3 * H)), "w_h": rng.normal(size=(H, 3 * H)), "b": rng.normal(size=3 * H)}
    w = {k: v.astype(dt) for k, v in w.items()}
    assert same_arrays(L.to_haiku(L.from_haiku({"gru": w}).params, update="admit")["gru"], w)
    assert same_arrays(L.to_sonnet(L.from_sonnet(w).params, update="admit"), w)


@settings(max_examples=40, deadline=None)
@given(one_bias_st, st.integers(0, 10**6), st.sampled_from(["keep", "admit"]))
def test_exported_weights_compute_what_gru_lib_computes(p, seed, update):
    p = p.astype(np.float64)
    rng = np.random.default_rng(seed)
    x, h = rng.normal(size=(2, p.input_size)), rng.uniform(-1, 1, size=(2, p.hidden_size))
    want = run(p, x[None], h, update=update, reset="before").h[0]
    np.testing.assert_allclose(deepmind_step(L.to_haiku(p, update=update)["gru"], x, h), want, rtol=0, atol=1e-12)
    np.testing.assert_allclose(deepmind_step(L.to_sonnet(p, update=update), x, h), want, rtol=0, atol=1e-12)


def test_gate_blocks_are_z_r_a():
    p = GRUParams.random(2, 3, seed=0)
    w = L.to_sonnet(p, update="admit")
    assert np.array_equal(w["w_i"][:, :3], p.W_z.T) and np.array_equal(w["w_h"][:, 3:6], p.U_r.T)
    assert np.array_equal(w["b"][6:], p.b_h)
    assert np.array_equal(L.to_sonnet(p, update="keep")["w_i"][:, :3], -p.W_z.T)  # the sign flip


def test_refusals():
    p = GRUParams.random(2, 3, seed=0, recurrent_biases=True)
    with pytest.raises(ValueError, match=r"Haiku resets before.*got reset='after'"):
        L.to_haiku(p.replace(b_z_rec=None, b_r_rec=None, b_h_rec=None), reset="after")
    with pytest.raises(ValueError, match=r"Sonnet has no place.*\['b_z_rec', 'b_r_rec', 'b_h_rec'\]"):
        L.to_sonnet(p)
    folded = L.fold_recurrent_biases(p, reset="before")
    xs = np.random.default_rng(0).normal(size=(4, 2, 2))
    assert np.array_equal(run(folded, xs, update="keep", reset="before").h, run(p, xs, update="keep", reset="before").h)
    assert L.from_sonnet(L.to_sonnet(folded)).as_update("keep").params == folded
    with pytest.raises(TypeError, match="module must be"):
        L.to_haiku(folded, module="")
    with pytest.raises(ValueError, match="update must be one of"):
        L.to_haiku(folded, update="forget")


def haiku_tree(D=3, H=2):
    rng = np.random.default_rng(0)
    return {
        "gru": {"w_i": rng.normal(size=(D, 3 * H)), "w_h": rng.normal(size=(H, 3 * H)), "b": rng.normal(size=3 * H)}
    }


@pytest.mark.parametrize(
    "change, error, message",
    [
        (
            lambda t: t["gru"].pop("b"),
            ValueError,
            r"Haiku weights need the keys \['w_i', 'w_h', 'b'\]; missing \['b'\]",
        ),
        (lambda t: t["gru"].update(w_x=1), ValueError, r"unknown \['w_x'\]"),
        (
            lambda t: t["gru"].update(w_h=np.zeros((3, 6))),
            ValueError,
            r"'w_h' must have shape \(2, 6\).*got shape \(3, 6\)",
        ),
        (lambda t: t["gru"].update(w_i=np.zeros((3, 7))), ValueError, r"'w_i' must have columns = 3H.*\(3, 7\)"),
        (lambda t: t["gru"].update(w_i=np.zeros(6)), ValueError, r"'w_i' must be a non-empty 2-D array.*\(6,\)"),
        (lambda t: t["gru"].update(b=np.zeros((1, 6))), ValueError, r"'b' must have shape \(6,\).*got shape \(1, 6\)"),
        (lambda t: t["gru"]["w_h"].__setitem__((0, 0), np.inf), ValueError, "Haiku array 'w_h'.*finite"),
        (
            lambda t: t.update(other=t["gru"]),
            ValueError,
            r"one hk.GRU module, or name it with module=.*\['gru', 'other'\]",
        ),
        (lambda t: t.update(gru=[1, 2]), TypeError, "Haiku module 'gru' must be a dict of arrays; got list"),
    ],
)
def test_haiku_bad_input(change, error, message):
    t = haiku_tree()
    change(t)
    with pytest.raises(error, match=message):
        L.from_haiku(t)


def test_haiku_module_argument():
    t = haiku_tree()
    t["other"] = haiku_tree(D=1)["gru"]
    assert L.from_haiku(t, module="other").params.input_size == 1
    with pytest.raises(ValueError, match=r"no module 'gro'; modules: \['gru', 'other'\]"):
        L.from_haiku(t, module="gro")
    with pytest.raises(TypeError, match="module must be"):
        L.from_haiku(t, module=3)
    with pytest.raises(TypeError, match="Haiku params must be a dict of arrays; got str"):
        L.from_haiku("gru")


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 4), st.integers(1, 4), st.integers(1, 4), st.sampled_from(["w_i", "w_h", "b"]))
def test_sonnet_wrong_shapes_name_array_expected_and_given(D, H, extra, name):
    rng = np.random.default_rng(0)
    w = {"w_i": rng.normal(size=(D, 3 * H)), "w_h": rng.normal(size=(H, 3 * H)), "b": rng.normal(size=3 * H)}
    bad = list(w[name].shape)
    bad[-1] += 1 + extra % 2 if name == "w_i" else extra  # w_i: no longer a multiple of 3
    w[name] = np.zeros(bad)
    with pytest.raises(ValueError, match=rf"Sonnet array '{name}' must .*got shape \({bad[0]}"):
        L.from_sonnet(w)
