"""gru_lib.kernels: the unchecked arithmetic equals the checked public functions on valid input."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from gru_lib import gates, kernels

floats = st.floats(-800, 800, allow_nan=False, width=64)


@given(hnp.arrays(np.float64, st.integers(1, 6), elements=floats))
def test_sigmoid_pair_is_the_checked_one_and_a_mirror(a):
    s, t = kernels.sigmoid_pair(a)
    gs, gt = gates.sigmoid_pair(a)
    assert np.array_equal(s, gs) and np.array_equal(t, gt)
    u, v = kernels.sigmoid_pair(-a)
    assert np.array_equal(u, t) and np.array_equal(v, s)  # bit for bit, swapped
    assert np.all((s >= 0) & (s <= 1))


def test_logistic_of_the_infinities_and_the_subnormal_tail():
    out = kernels.logistic(np.array([-np.inf, -720.0, 0.0, np.inf]))
    assert out[0] == 0.0 and out[3] == 1.0 and out[2] == 0.5
    assert 0 < out[1] < np.finfo(np.float64).tiny  # e^-720 is subnormal, not 0


@given(
    hnp.arrays(np.float64, (2, 3), elements=st.floats(0, 1)),
    hnp.arrays(np.float64, (2, 3), elements=st.floats(-2, 2)),
    hnp.arrays(np.float64, (2, 3), elements=st.floats(-1, 1)),
    st.sampled_from(["keep", "admit"]),
)
def test_mix_is_the_checked_one(z, h_prev, h_tilde, update):
    assert np.array_equal(kernels.mix(update, z, 1 - z, h_prev, h_tilde), gates.mix(update, z, 1 - z, h_prev, h_tilde))


def test_preactivation_without_overflow_is_the_plain_formula():
    rng = np.random.default_rng(0)
    x, h = rng.normal(size=(4, 3)), rng.normal(size=(4, 2))
    W, U, b = rng.normal(size=(2, 3)), rng.normal(size=(2, 2)), rng.normal(size=2)
    np.testing.assert_allclose(kernels.preactivation(x, h, W, U, b), x @ W.T + h @ U.T + b, rtol=1e-15)
    big = kernels.preactivation(np.array([[1e200]]), None, np.array([[1e200]]), None, np.array([-1.0]))
    assert np.isposinf(big).all()  # overflow gives the correctly signed infinity, with no warning
