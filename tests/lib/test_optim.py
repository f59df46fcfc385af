"""gru_lib.optim: SGD and Adam do what their update rules say, minimise a convex quadratic, and are odd."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gru_lib import GRUParams, convert, convert_gradient
from gru_lib.optim import SGD, Adam

arrays_st = st.integers(0, 10**6).map(
    lambda s: {
        "a": np.random.default_rng(s).normal(size=(3, 2)),
        "b": np.random.default_rng(s + 1).normal(size=4) * 10.0 ** np.random.default_rng(s).integers(-3, 3),
    }
)


@settings(deadline=None)
@given(arrays_st, arrays_st, st.floats(1e-4, 10.0))
def test_sgd_step_is_theta_minus_lr_times_gradient(params, grads, lr):
    out = SGD(lr).step(params, grads)
    for k in params:
        np.testing.assert_allclose(out[k], params[k] - lr * grads[k], rtol=1e-15, atol=0)


def test_sgd_on_gru_params_returns_gru_params_and_leaves_the_input_alone():
    p = GRUParams.random(2, 3, seed=0)
    g = {k: np.ones_like(v) for k, v in p.arrays().items()}
    q = SGD(0.5).step(p, g)
    assert isinstance(q, GRUParams)
    np.testing.assert_array_equal(q.U_h, p.U_h - 0.5)
    assert p == GRUParams.random(2, 3, seed=0)


@settings(deadline=None)
@given(arrays_st, arrays_st, st.floats(1e-3, 1.0))
def test_adam_first_step_moves_each_coordinate_by_lr(params, grads, lr):
    """After one step m̂ = g and v̂ = g², so the step is lr·g/(|g| + ε) ≈ lr·sign(g)."""
    out = Adam(lr).step(params, grads)
    for k in params:
        g = grads[k]
        big = np.abs(g) > 1e-4  # where ε = 1e-8 is negligible
        step = params[k] - out[k]
        np.testing.assert_allclose(step[big], lr * np.sign(g[big]), rtol=1e-4)


def test_adam_second_step_with_constant_gradient_is_lr_again():
    theta = {"w": np.array([1.0, -2.0])}
    g = {"w": np.array([0.3, -5.0])}
    opt = Adam(0.1)
    one = opt.step(theta, g)
    two = opt.step(one, g)
    np.testing.assert_allclose(one["w"] - two["w"], 0.1 * np.sign(g["w"]), rtol=1e-6)


@pytest.mark.parametrize("make", [lambda: SGD(0.1), lambda: Adam(0.05)])
def test_minimises_a_convex_quadratic(make):
    """f(θ) = ½ (θ − c)ᵀ A (θ − c) with A positive definite; the minimiser is c."""
    rng = np.random.default_rng(0)
    M = rng.normal(size=(5, 5))
    A = M @ M.T / 5 + np.eye(5)
    c = rng.normal(size=5)
    theta = {"x": np.zeros(5)}
    opt = make()
    f0 = 0.5 * c @ A @ c
    for _ in range(1500):
        theta = opt.step(theta, {"x": A @ (theta["x"] - c)})
    d = theta["x"] - c
    assert 0.5 * d @ A @ d < 1e-8 * f0
    np.testing.assert_allclose(theta["x"], c, atol=1e-4)


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10**6), st.integers(1, 5))
def test_both_steps_commute_exactly_with_the_sign_flip(seed, n_steps):
    """Negating the update-gate parameters and their gradients negates every step, bit for bit."""
    rng = np.random.default_rng(seed)
    p = GRUParams.random(2, 3, seed=rng, recurrent_biases=True)
    grads = [{k: rng.normal(size=v.shape) for k, v in p.arrays().items()} for _ in range(n_steps)]
    for make in (lambda: SGD(0.3), lambda: Adam(0.01)):
        o1, o2 = make(), make()
        a, b = p, convert(p)
        for g in grads:
            a, b = o1.step(a, g), o2.step(b, convert_gradient(g))
        assert convert(a) == b


def test_float32_stays_float32():
    p = {"w": np.ones(3, dtype=np.float32)}
    g = {"w": np.full(3, 0.5, dtype=np.float32)}
    assert SGD(0.1).step(p, g)["w"].dtype == np.float32
    assert Adam(0.1).step(p, g)["w"].dtype == np.float32


def test_bad_input_is_refused():
    p = {"w": np.ones(3)}
    with pytest.raises(ValueError, match="same keys"):
        SGD(0.1).step(p, {"v": np.ones(3)})
    with pytest.raises(ValueError, match="shape"):
        SGD(0.1).step(p, {"w": np.ones(2)})
    with pytest.raises(TypeError, match="GRUParams or a mapping"):
        SGD(0.1).step([1.0], {"w": np.ones(3)})
    with pytest.raises(TypeError, match="mapping"):
        SGD(0.1).step(p, np.ones(3))
    with pytest.raises(ValueError, match="lr"):
        SGD(0.0)
    with pytest.raises(TypeError, match="lr"):
        Adam("0.1")
    with pytest.raises(ValueError, match="beta2"):
        Adam(0.1, beta2=1.0)
    with pytest.raises(ValueError, match="finite"):
        SGD(0.1).step(p, {"w": np.array([1.0, np.nan, 0.0])})
    opt = Adam(0.1)
    opt.step(p, {"w": np.ones(3)})
    with pytest.raises(ValueError, match="used with the keys"):
        opt.step({"v": np.ones(3)}, {"v": np.ones(3)})
