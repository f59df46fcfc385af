"""gru_lib.backprop: BPTT gradients against finite differences, the sign flip, PyTorch, bad input."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gru_lib import GRUParams, convert, convert_gradient, other_convention, run
from gru_lib.backprop import Readout, bptt, logistic_loss, loss_and_grads, squared_error
from gru_lib.params import UPDATE_GATE_FIELDS

MODES = [(u, r) for u in ("keep", "admit") for r in ("before", "after")]


def _loss(p, ro_W, ro_b, xs, h0, targets, at, update, reset, kind):
    """The loss written out independently of gru_lib.backprop (forward pass from gru_lib.run)."""
    h = run(p, xs, h0, update=update, reset=reset).h[at]
    y = h @ ro_W.T + ro_b
    if kind == "squared":
        return 0.5 * np.mean((y - targets) ** 2)
    return np.mean(np.log1p(np.exp(-targets * y)))


def _rel_err(num, ana):
    """max |num − ana| relative to the larger of the two gradients (floored to ignore all-zero fields)."""
    scale = max(np.max(np.abs(num)), np.max(np.abs(ana)), 1e-3)
    return np.max(np.abs(num - ana)) / scale


def _central(f, a, eps=1e-6):
    num = np.zeros_like(a)
    for idx in np.ndindex(a.shape):
        ap, am = a.copy(), a.copy()
        ap[idx] += eps
        am[idx] -= eps
        num[idx] = (f(ap) - f(am)) / (2 * eps)
    return num


@settings(max_examples=25, deadline=None)
@given(
    st.integers(1, 3),
    st.integers(1, 4),
    st.integers(1, 4),
    st.integers(1, 3),
    st.integers(1, 2),
    st.integers(0, 10**6),
    st.booleans(),
    st.sampled_from(MODES),
    st.sampled_from(["squared", "logistic"]),
    st.booleans(),
)
def test_gradients_match_central_differences(D, H, T, B, O, seed, rec, mode, kind, several_steps):
    update, reset = mode
    rng = np.random.default_rng(seed)
    p = GRUParams.random(D, H, seed=rng, scale=1.0, recurrent_biases=rec)
    ro = Readout.random(H, O, seed=rng)
    xs, h0 = rng.normal(size=(T, B, D)), rng.uniform(-1, 1, size=(B, H))
    at = sorted(set(rng.integers(0, T, size=2).tolist())) if several_steps else -1
    S = len(at) if several_steps else 1
    if kind == "squared":
        targets = rng.normal(size=(S, B, O))
    else:
        targets = rng.choice([-1.0, 1.0], size=(S, B, O))
    given_targets = targets if several_steps else targets[0]
    steps = np.atleast_1d(at)
    L, grads, rgrads, dh0 = loss_and_grads(
        p, ro, xs, given_targets, update=update, reset=reset, at=at, loss=kind, h0=h0
    )
    assert set(grads) == set(p.arrays())
    assert pytest.approx(_loss(p, ro.W, ro.b, xs, h0, targets, steps, update, reset, kind), rel=1e-12) == L
    for name, arr in p.arrays().items():
        assert grads[name].shape == arr.shape
        num = _central(
            lambda a, name=name: _loss(p.replace(**{name: a}), ro.W, ro.b, xs, h0, targets, steps, update, reset, kind),
            arr,
        )
        assert _rel_err(num, grads[name]) <= 1e-6, name
    num = _central(lambda a: _loss(p, ro.W, ro.b, xs, a, targets, steps, update, reset, kind), h0)
    assert _rel_err(num, dh0) <= 1e-6
    num = _central(lambda a: _loss(p, a, ro.b, xs, h0, targets, steps, update, reset, kind), ro.W)
    assert _rel_err(num, rgrads["W_out"]) <= 1e-6
    num = _central(lambda a: _loss(p, ro.W, a, xs, h0, targets, steps, update, reset, kind), ro.b)
    assert _rel_err(num, rgrads["b_out"]) <= 1e-6


@settings(max_examples=40, deadline=None)
@given(
    st.integers(1, 4),
    st.integers(1, 6),
    st.integers(1, 12),
    st.integers(1, 4),
    st.integers(0, 10**6),
    st.booleans(),
    st.sampled_from(MODES),
    st.sampled_from([0.3, 1.0, 3.0]),
)
def test_gradient_of_converted_params_is_converted_gradient(D, H, T, B, seed, rec, mode, scale):
    update, reset = mode
    rng = np.random.default_rng(seed)
    p = GRUParams.random(D, H, seed=rng, scale=scale, recurrent_biases=rec)
    ro = Readout.random(H, 1, seed=rng)
    xs, h0, targets = rng.normal(size=(T, B, D)), rng.uniform(-1, 1, size=(B, H)), rng.normal(size=(B, 1))
    L, g, rg, dh0 = loss_and_grads(p, ro, xs, targets, update=update, reset=reset, h0=h0)
    L2, g2, rg2, dh02 = loss_and_grads(convert(p), ro, xs, targets, update=other_convention(update), reset=reset, h0=h0)
    expected = convert_gradient(g)
    # 1 − z taken from sigmoid_pair: exactly the flipped gradient, bit for bit
    assert L == L2
    for name in g:
        np.testing.assert_array_equal(g2[name], expected[name])
    np.testing.assert_array_equal(dh0, dh02)
    for name in rg:
        np.testing.assert_array_equal(rg[name], rg2[name])
    # 1 − z by subtraction: the same gradient to rounding
    _, g3, _, _ = loss_and_grads(
        convert(p), ro, xs, targets, update=other_convention(update), reset=reset, h0=h0, complement="subtract"
    )
    for name in g:
        np.testing.assert_allclose(g3[name], expected[name], rtol=1e-9, atol=1e-12)


def test_update_gate_gradients_flip_sign_and_others_do_not():
    rng = np.random.default_rng(3)
    p = GRUParams.random(2, 3, seed=rng, scale=1.0, recurrent_biases=True)
    ro = Readout.random(3, seed=rng)
    xs, targets = rng.normal(size=(5, 2, 2)), rng.normal(size=(2, 1))
    _, g, _, _ = loss_and_grads(p, ro, xs, targets, update="keep", reset="after")
    _, g2, _, _ = loss_and_grads(convert(p), ro, xs, targets, update="admit", reset="after")
    for name in g:
        sign = -1 if name in UPDATE_GATE_FIELDS else 1
        np.testing.assert_array_equal(g2[name], sign * g[name])
        assert np.any(g[name] != 0), name


@pytest.mark.live
def test_pytorch_autograd_agrees():
    """PyTorch's GRU is keep + reset after with both biases; its autograd must give our gradients."""
    import torch  # a test extra (requirements-test.txt)

    rng = np.random.default_rng(5)
    D, H, T, B = 3, 4, 6, 2
    p = GRUParams.random(D, H, seed=rng, scale=0.8, recurrent_biases=True)
    ro = Readout.random(H, seed=rng)
    xs, h0, targets = rng.normal(size=(T, B, D)), rng.uniform(-1, 1, (B, H)), rng.normal(size=(B, 1))
    gru = torch.nn.GRU(D, H).double()
    with torch.no_grad():  # PyTorch stacks the gates as r, z, n
        gru.weight_ih_l0.copy_(torch.tensor(np.concatenate([p.W_r, p.W_z, p.W_h])))
        gru.weight_hh_l0.copy_(torch.tensor(np.concatenate([p.U_r, p.U_z, p.U_h])))
        gru.bias_ih_l0.copy_(torch.tensor(np.concatenate([p.b_r, p.b_z, p.b_h])))
        gru.bias_hh_l0.copy_(torch.tensor(np.concatenate([p.b_r_rec, p.b_z_rec, p.b_h_rec])))
    h0_t = torch.tensor(h0[None], requires_grad=True)
    out, _ = gru(torch.tensor(xs), h0_t)
    y = out[-1] @ torch.tensor(ro.W).T + torch.tensor(ro.b)
    loss = 0.5 * ((y - torch.tensor(targets)) ** 2).mean()
    loss.backward()
    L, g, _, dh0 = loss_and_grads(p, ro, xs, targets, update="keep", reset="after", h0=h0)
    assert pytest.approx(loss.item(), rel=1e-12) == L
    gi, gh = gru.weight_ih_l0.grad.numpy(), gru.weight_hh_l0.grad.numpy()
    bi, bh = gru.bias_ih_l0.grad.numpy(), gru.bias_hh_l0.grad.numpy()
    for k, gate in enumerate("rzh"):
        rows = slice(k * H, (k + 1) * H)
        np.testing.assert_allclose(g[f"W_{gate}"], gi[rows], rtol=1e-10, atol=1e-13)
        np.testing.assert_allclose(g[f"U_{gate}"], gh[rows], rtol=1e-10, atol=1e-13)
        np.testing.assert_allclose(g[f"b_{gate}"], bi[rows], rtol=1e-10, atol=1e-13)
        np.testing.assert_allclose(g[f"b_{gate}_rec"], bh[rows], rtol=1e-10, atol=1e-13)
    np.testing.assert_allclose(dh0, h0_t.grad.numpy()[0], rtol=1e-10, atol=1e-13)


def test_float32_gradients_stay_float32_and_close_to_float64():
    rng = np.random.default_rng(2)
    p = GRUParams.random(2, 3, seed=rng)
    ro = Readout.random(3, seed=rng)
    xs, targets = rng.normal(size=(4, 2, 2)), rng.normal(size=(2, 1))
    _, g64, _, _ = loss_and_grads(p, ro, xs, targets, update="keep", reset="before")
    _, g32, _, _ = loss_and_grads(p.astype(np.float32), ro, xs, targets, update="keep", reset="before")
    for name in g64:
        assert g32[name].dtype == np.float32
        np.testing.assert_allclose(g32[name], g64[name], rtol=1e-3, atol=1e-5)


def test_empty_sequence_gives_zero_gradients_and_passes_nothing_back():
    p = GRUParams.random(2, 3, seed=0)
    xs = np.zeros((0, 4, 2))
    tr = run(p, xs, update="keep", reset="before")
    grads, dh0 = bptt(p, xs, tr, np.zeros((0, 4, 3)))
    assert all(np.all(v == 0) for v in grads.values())
    assert dh0.shape == (4, 3) and np.all(dh0 == 0)


def test_loss_pieces_and_their_gradients():
    y = np.array([[0.5], [-2.0], [3.0]])
    t = np.array([[1.0], [-1.0], [-1.0]])
    L, d = squared_error(y, t)
    assert pytest.approx((0.25 + 1.0 + 16.0) / 2 / 3) == L
    np.testing.assert_allclose(d, (y - t) / 3)
    L, d = logistic_loss(y, t)
    expect = np.mean(np.log1p(np.exp(-t * y)))
    assert pytest.approx(expect, rel=1e-14) == L
    num = _central(lambda a: logistic_loss(a, t)[0], y)
    np.testing.assert_allclose(d, num, rtol=1e-7, atol=1e-10)
    # huge margins: no overflow, the loss of a confidently wrong answer is the margin itself
    L, d = logistic_loss(np.array([1e6, -1e6]), np.array([-1.0, -1.0]))
    assert pytest.approx(1e6 / 2) == L and np.all(np.isfinite(d))


def test_readout_shapes_and_call():
    ro = Readout(np.ones((2, 3)), np.array([1.0, -1.0]))
    np.testing.assert_allclose(ro(np.ones((4, 3))), np.tile([4.0, 2.0], (4, 1)))
    assert set(ro.arrays()) == {"W_out", "b_out"}
    with pytest.raises(ValueError, match="shape"):
        Readout(np.ones(3), np.ones(1))
    with pytest.raises(ValueError, match=r"\(O,\)"):
        Readout(np.ones((2, 3)), np.ones(3))
    with pytest.raises(ValueError, match="H=3"):
        ro(np.ones((4, 2)))


def test_bad_input_is_refused_with_a_clear_message():
    rng = np.random.default_rng(0)
    p = GRUParams.random(2, 3, seed=0)
    ro = Readout.random(3, seed=1)
    xs = rng.normal(size=(4, 2, 2))
    tr = run(p, xs, update="keep", reset="before")
    with pytest.raises(TypeError, match="Trace"):
        bptt(p, xs, tr.h, np.zeros((4, 2, 3)))
    with pytest.raises(TypeError, match="GRUParams"):
        bptt(p.arrays(), xs, tr, np.zeros((4, 2, 3)))
    with pytest.raises(ValueError, match=r"\(T, B, H\)"):
        bptt(p, xs, tr, np.zeros((4, 3)))
    with pytest.raises(ValueError, match="run over xs"):
        bptt(p, xs[:3], tr, np.zeros((3, 2, 3)))
    with pytest.raises(ValueError, match="complement"):
        bptt(p, xs, tr, np.zeros((4, 2, 3)), complement="one_minus")
    with pytest.raises(ValueError, match="loss"):
        loss_and_grads(p, ro, xs, np.ones((2, 1)), update="keep", reset="before", loss="hinge")
    with pytest.raises(ValueError, match="at must be"):
        loss_and_grads(p, ro, xs, np.ones((2, 1)), update="keep", reset="before", at=4)
    with pytest.raises(ValueError, match="repeat"):
        loss_and_grads(p, ro, xs, np.ones((2, 2, 1)), update="keep", reset="before", at=[1, -3])
    with pytest.raises(ValueError, match="targets must have shape"):
        loss_and_grads(p, ro, xs, np.ones((3, 1)), update="keep", reset="before")
    with pytest.raises(ValueError, match="update"):
        loss_and_grads(p, ro, xs, np.ones((2, 1)), update="forget", reset="before")
    with pytest.raises(ValueError, match=r"-1 or \+1|−1 or \+1"):
        loss_and_grads(p, ro, xs, np.full((2, 1), 0.5), update="keep", reset="before", loss="logistic")
    with pytest.raises(TypeError, match="Readout"):
        loss_and_grads(p, (ro.W, ro.b), xs, np.ones((2, 1)), update="keep", reset="before")
    with pytest.raises(ValueError, match="H=3"):
        loss_and_grads(p, Readout.random(4), xs, np.ones((2, 1)), update="keep", reset="before")
    with pytest.raises(ValueError, match="same shape"):
        squared_error(np.ones(3), np.ones(2))
