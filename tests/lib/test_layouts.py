"""gru_lib.layouts: exact round trips, the meaning of each layout, refusals and bad input."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gru_lib import GRUParams, convert, run
from gru_lib import layouts as L

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


def sigmoid(a):
    return 1.0 / (1.0 + np.exp(-a))


def same_arrays(a: dict, b: dict) -> bool:
    return a.keys() == b.keys() and all(a[k].dtype == b[k].dtype and np.array_equal(a[k], b[k]) for k in a)


# ------------------------------------------------------------------ round trips
@settings(deadline=None)
@given(params_st, st.sampled_from(["keep", "admit"]), st.booleans())
def test_pytorch_round_trip(p, update, cell):
    state = L.to_pytorch(p, update=update, reset="after", cell=cell)
    imp = L.from_pytorch(state)
    assert (imp.update, imp.reset) == ("keep", "after")
    keep = convert(p) if update == "admit" else p
    assert imp.params == keep.with_recurrent_biases()
    assert imp.as_update(update).params == p.with_recurrent_biases()
    assert same_arrays(L.to_pytorch(imp.params, cell=cell), state)


@settings(deadline=None)
@given(params_st, st.sampled_from(["before", "after"]))
def test_onnx_round_trip(p, reset):
    arrays = L.to_onnx(p, reset=reset)
    imp = L.from_onnx(arrays, linear_before_reset=int(reset == "after"))
    assert imp.reset == reset and imp.params == p.with_recurrent_biases()
    assert same_arrays(L.to_onnx(imp.params, reset=reset), arrays)


@settings(deadline=None)
@given(params_st)
def test_keras_reset_after_round_trip(p):
    w = L.to_keras(p, reset="after")
    assert w["bias"].shape == (2, 3 * p.hidden_size)
    imp = L.from_keras(w)
    assert imp.reset == "after" and imp.params == p.with_recurrent_biases()
    assert same_arrays(L.to_keras(imp.params, reset="after"), w)
    assert L.from_keras([w["kernel"], w["recurrent_kernel"], w["bias"]]).params == imp.params


@settings(deadline=None)
@given(params_st)
def test_keras_reset_before_round_trip(p):
    p = GRUParams.from_arrays({k: v for k, v in p if not k.endswith("_rec")})
    w = L.to_keras(p, reset="before")
    assert w["bias"].shape == (3 * p.hidden_size,)
    imp = L.from_keras(w)
    assert imp.reset == "before" and imp.params == p
    assert same_arrays(L.to_keras(imp.params, reset="before"), w)


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 4), st.integers(1, 4), st.integers(0, 10**6))
def test_layout_to_params_to_layout_is_identity(D, H, seed):
    rng = np.random.default_rng(seed)
    torch_state = {
        "weight_ih_l0": rng.normal(size=(3 * H, D)),
        "weight_hh_l0": rng.normal(size=(3 * H, H)),
        "bias_ih_l0": rng.normal(size=3 * H),
        "bias_hh_l0": rng.normal(size=3 * H),
    }
    assert same_arrays(L.to_pytorch(L.from_pytorch(torch_state).params), torch_state)
    keras_w = {
        "kernel": rng.normal(size=(D, 3 * H)),
        "recurrent_kernel": rng.normal(size=(H, 3 * H)),
        "bias": rng.normal(size=(2, 3 * H)),
    }
    assert same_arrays(L.to_keras(L.from_keras(keras_w).params), keras_w)
    onnx_a = {
        "W": rng.normal(size=(1, 3 * H, D)),
        "R": rng.normal(size=(1, 3 * H, H)),
        "B": rng.normal(size=(1, 6 * H)),
    }
    assert same_arrays(L.to_onnx(L.from_onnx(onnx_a, linear_before_reset=0).params, reset="before"), onnx_a)


# ------------------------------------------------------------------ what each layout means
# One step written from each framework's documented equations, independently of gru_lib.
def torch_step(s, x, h):
    H = h.shape[1]
    gi, gh = x @ s["weight_ih_l0"].T + s["bias_ih_l0"], h @ s["weight_hh_l0"].T + s["bias_hh_l0"]
    r, z = sigmoid(gi[:, :H] + gh[:, :H]), sigmoid(gi[:, H : 2 * H] + gh[:, H : 2 * H])
    n = np.tanh(gi[:, 2 * H :] + r * gh[:, 2 * H :])
    return (1 - z) * n + z * h


def keras_step(w, x, h, reset_after):
    H = h.shape[1]
    b_in, b_rec = (w["bias"][0], w["bias"][1]) if reset_after else (w["bias"], 0 * w["bias"])
    xi, hh = x @ w["kernel"] + b_in, h @ w["recurrent_kernel"] + b_rec
    z, r = sigmoid(xi[:, :H] + hh[:, :H]), sigmoid(xi[:, H : 2 * H] + hh[:, H : 2 * H])
    if reset_after:
        cand = np.tanh(xi[:, 2 * H :] + r * hh[:, 2 * H :])
    else:
        cand = np.tanh(xi[:, 2 * H :] + (r * h) @ w["recurrent_kernel"][:, 2 * H :])
    return z * h + (1 - z) * cand


def onnx_step(a, x, h, lbr):
    W, R, B = a["W"][0], a["R"][0], a["B"][0]
    H = h.shape[1]
    Wz, Wr, Wh = np.split(W, 3)
    Rz, Rr, Rh = np.split(R, 3)
    wbz, wbr, wbh, rbz, rbr, rbh = np.split(B, 6)
    z = sigmoid(x @ Wz.T + h @ Rz.T + wbz + rbz)
    r = sigmoid(x @ Wr.T + h @ Rr.T + wbr + rbr)
    if lbr:
        cand = np.tanh(x @ Wh.T + r * (h @ Rh.T + rbh) + wbh)
    else:
        cand = np.tanh(x @ Wh.T + (r * h) @ Rh.T + rbh + wbh)
    assert cand.shape[1] == H
    return (1 - z) * cand + z * h


@settings(max_examples=40, deadline=None)
@given(params_st, st.integers(0, 10**6), st.sampled_from(["keep", "admit"]))
def test_exported_layouts_compute_what_gru_lib_computes(p, seed, update):
    p = p.astype(np.float64)
    rng = np.random.default_rng(seed)
    x, h = rng.normal(size=(2, p.input_size)), rng.uniform(-1, 1, size=(2, p.hidden_size))
    for reset in ("before", "after"):
        want = run(p, x[None], h, update=update, reset=reset).h[0]
        np.testing.assert_allclose(
            onnx_step(L.to_onnx(p, update=update, reset=reset), x, h, reset == "after"), want, rtol=0, atol=1e-12
        )
    after = run(p, x[None], h, update=update, reset="after").h[0]
    np.testing.assert_allclose(torch_step(L.to_pytorch(p, update=update), x, h), after, rtol=0, atol=1e-12)
    np.testing.assert_allclose(
        keras_step(L.to_keras(p, update=update, reset="after"), x, h, True), after, rtol=0, atol=1e-12
    )
    one_bias = GRUParams.from_arrays({k: v for k, v in p if not k.endswith("_rec")})
    before = run(one_bias, x[None], h, update=update, reset="before").h[0]
    np.testing.assert_allclose(
        keras_step(L.to_keras(one_bias, update=update, reset="before"), x, h, False), before, rtol=0, atol=1e-12
    )


def test_gate_orders_are_what_the_frameworks_document():
    p = GRUParams.random(2, 3, seed=0, recurrent_biases=True)
    t, k, o = L.to_pytorch(p), L.to_keras(p), L.to_onnx(p)
    assert np.array_equal(t["weight_ih_l0"][:3], p.W_r) and np.array_equal(t["weight_ih_l0"][3:6], p.W_z)
    assert np.array_equal(t["bias_hh_l0"][6:], p.b_h_rec)
    assert np.array_equal(k["kernel"][:, :3], p.W_z.T) and np.array_equal(k["recurrent_kernel"][:, 3:6], p.U_r.T)
    assert np.array_equal(k["bias"][1, 6:], p.b_h_rec)
    assert np.array_equal(o["W"][0, :3], p.W_z) and np.array_equal(o["B"][0, 9:12], p.b_z_rec)


def test_admit_export_equals_export_of_converted():
    p = GRUParams.random(3, 4, seed=1, recurrent_biases=True)
    assert same_arrays(L.to_pytorch(p, update="admit"), L.to_pytorch(convert(p)))
    assert same_arrays(L.to_onnx(p, update="admit", reset="before"), L.to_onnx(convert(p), reset="before"))


def test_imported_as_update_and_validation():
    imp = L.from_pytorch(L.to_pytorch(GRUParams.random(2, 2, seed=3)))
    assert imp.as_update("keep") is imp
    assert imp.as_update("admit").as_update("keep").params == imp.params
    with pytest.raises(ValueError, match="update must be one of"):
        imp.as_update("forget")
    with pytest.raises(TypeError, match="GRUParams"):
        L.Imported({"W_z": 1}, "keep", "after")
    with pytest.raises(ValueError, match="reset must be one of"):
        L.Imported(imp.params, "keep", "sideways")


def test_torch_without_bias_and_tensor_like_input():
    H, D = 2, 3
    rng = np.random.default_rng(0)
    state = {"weight_ih_l0": rng.normal(size=(3 * H, D)), "weight_hh_l0": rng.normal(size=(3 * H, H))}
    imp = L.from_pytorch(state)
    assert not np.any(imp.params.b_z) and not np.any(imp.params.b_h_rec)

    class FakeTensor:  # what a CPU torch tensor offers
        def __init__(self, a):
            self.a = a

        def detach(self):
            return self

        def cpu(self):
            return self

        def numpy(self):
            return self.a

    imp2 = L.from_pytorch({k: FakeTensor(v) for k, v in state.items()})
    assert imp2.params == imp.params


# ------------------------------------------------------------------ refusals
def test_pytorch_refuses_reset_before():
    with pytest.raises(ValueError, match="reset='before'"):
        L.to_pytorch(GRUParams.random(2, 2, seed=0), reset="before")


def test_keras_reset_before_refuses_nonzero_recurrent_biases():
    p = GRUParams.random(2, 3, seed=0, recurrent_biases=True)
    with pytest.raises(ValueError, match=r"b_z_rec', 'b_r_rec', 'b_h_rec"):
        L.to_keras(p, reset="before")
    only_h = p.replace(b_z_rec=None, b_r_rec=np.zeros(3))
    with pytest.raises(ValueError, match=r"\['b_h_rec'\]"):
        L.to_keras(only_h, reset="before")
    zero = p.with_recurrent_biases().replace(b_z_rec=np.zeros(3), b_r_rec=np.zeros(3), b_h_rec=np.zeros(3))
    assert L.to_keras(zero, reset="before")["bias"].shape == (9,)


def test_exporters_check_their_arguments():
    p = GRUParams.random(2, 2, seed=0)
    with pytest.raises(TypeError, match="GRUParams"):
        L.to_onnx({"W_z": 1})
    with pytest.raises(ValueError, match="update must be one of"):
        L.to_keras(p, update="retain")
    with pytest.raises(ValueError, match="reset must be one of"):
        L.to_onnx(p, reset="middle")


# ------------------------------------------------------------------ bad input
def torch_state(H=2, D=3):
    rng = np.random.default_rng(0)
    return {
        "weight_ih_l0": rng.normal(size=(3 * H, D)),
        "weight_hh_l0": rng.normal(size=(3 * H, H)),
        "bias_ih_l0": rng.normal(size=3 * H),
        "bias_hh_l0": rng.normal(size=3 * H),
    }


@pytest.mark.parametrize(
    "change, error, message",
    [
        (lambda s: s.pop("weight_hh_l0"), ValueError, r"missing \['weight_hh_l0'\]"),
        (lambda s: s.update(weight_ih_l1=s["weight_ih_l0"]), ValueError, r"unknown \['weight_ih_l1'\]"),
        (lambda s: s.pop("bias_hh_l0"), ValueError, "both 'bias_ih_l0' and 'bias_hh_l0' or neither"),
        (lambda s: s.update(weight_hh_l0=np.zeros((9, 3))), ValueError, r"\(6, 2\).*got shape \(9, 3\)"),
        (lambda s: s.update(weight_ih_l0=np.zeros((7, 3))), ValueError, "3H.*got shape \\(7, 3\\)"),
        (lambda s: s.update(weight_ih_l0=np.zeros(6)), ValueError, "2-D"),
        (lambda s: s.update(bias_ih_l0=np.zeros(9)), ValueError, r"'bias_ih_l0' must have shape \(6,\).*\(9,\)"),
        (lambda s: s["weight_ih_l0"].__setitem__((0, 0), np.nan), ValueError, "finite"),
        (lambda s: s.update(bias_hh_l0=np.array(["a"] * 6)), TypeError, "real numbers"),
    ],
)
def test_pytorch_bad_input(change, error, message):
    s = torch_state()
    change(s)
    with pytest.raises(error, match=message):
        L.from_pytorch(s)


def test_not_a_mapping():
    with pytest.raises(TypeError, match="dict of arrays; got list"):
        L.from_pytorch([np.zeros((6, 3))])
    with pytest.raises(TypeError, match="dict of arrays; got str"):
        L.from_onnx("W", linear_before_reset=0)
    with pytest.raises(ValueError, match="got 4 arrays"):
        L.from_keras([np.zeros((3, 6))] * 4)


def keras_w(H=2, D=3, after=True):
    rng = np.random.default_rng(1)
    return {
        "kernel": rng.normal(size=(D, 3 * H)),
        "recurrent_kernel": rng.normal(size=(H, 3 * H)),
        "bias": rng.normal(size=(2, 3 * H) if after else 3 * H),
    }


def test_keras_bad_input():
    w = keras_w()
    with pytest.raises(ValueError, match=r"'recurrent_kernel' must have shape \(2, 6\)"):
        L.from_keras({**w, "recurrent_kernel": np.zeros((3, 9))})
    with pytest.raises(ValueError, match=r"\(2, 6\) \(reset_after=True\) or \(6,\).*got shape \(3, 6\)"):
        L.from_keras({**w, "bias": np.zeros((3, 6))})
    with pytest.raises(ValueError, match=r"reset_after=False needs a bias of shape \(6,\); got shape \(2, 6\)"):
        L.from_keras(w, reset_after=False)
    with pytest.raises(ValueError, match="pass reset_after"):
        L.from_keras({"kernel": w["kernel"], "recurrent_kernel": w["recurrent_kernel"]})
    with pytest.raises(TypeError, match="reset_after must be"):
        L.from_keras(w, reset_after="yes")
    with pytest.raises(ValueError, match=r"missing \['kernel'\]"):
        L.from_keras({"recurrent_kernel": w["recurrent_kernel"]})
    no_bias = L.from_keras({"kernel": w["kernel"], "recurrent_kernel": w["recurrent_kernel"]}, reset_after=False)
    assert no_bias.reset == "before" and not np.any(no_bias.params.b_h)


def test_onnx_bad_input():
    a = L.to_onnx(GRUParams.random(3, 2, seed=0), reset="after")
    with pytest.raises(TypeError, match="linear_before_reset must be an int"):
        L.from_onnx(a, linear_before_reset=True)
    with pytest.raises(TypeError, match="linear_before_reset"):
        L.from_onnx(a)  # the attribute must be given: ONNX's default (0) is not PyTorch's placement
    with pytest.raises(ValueError, match=r"one direction.*got shape \(2, 6, 3\)"):
        L.from_onnx({**a, "W": np.concatenate([a["W"], a["W"]])}, linear_before_reset=1)
    with pytest.raises(ValueError, match=r"'R' must have shape \(1, 6, 2\)"):
        L.from_onnx({**a, "R": np.zeros((1, 6, 3))}, linear_before_reset=1)
    with pytest.raises(ValueError, match=r"'B' must have shape \(1, 12\)"):
        L.from_onnx({**a, "B": np.zeros((1, 6))}, linear_before_reset=1)
    with pytest.raises(ValueError, match="finite"):
        L.from_onnx({**a, "B": np.full((1, 12), np.inf)}, linear_before_reset=1)
    no_b = L.from_onnx({"W": a["W"], "R": a["R"]}, linear_before_reset=0)
    assert no_b.reset == "before" and not np.any(no_b.params.b_r_rec)
