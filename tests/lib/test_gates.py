"""gru_lib.gates: the stable sigmoid, σ(−x) computed directly, and the mixing rule."""

import math
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from gru_lib.gates import mix, sigmoid, sigmoid_pair

finite64 = st.floats(allow_nan=False, allow_infinity=False, width=64)


def reference_sigmoid(x: float) -> float:
    """σ by the textbook formula in Python floats, branch chosen so exp never overflows."""
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


@given(finite64)
def test_sigmoid_matches_textbook_formula(x):
    assert sigmoid(x) == pytest.approx(reference_sigmoid(x), rel=1e-15, abs=0)


@given(arrays(np.float64, st.integers(1, 50), elements=finite64))
def test_symmetry_is_exact(xs):
    """σ(−x) = 1 − σ(x): sigmoid_pair returns both, mirrored exactly, and they sum to 1 to rounding."""
    s, s_neg = sigmoid_pair(xs)
    s2, s2_neg = sigmoid_pair(-xs)
    np.testing.assert_array_equal(s, s2_neg)
    np.testing.assert_array_equal(s_neg, s2)
    np.testing.assert_allclose(s + s_neg, 1.0, rtol=0, atol=4.5e-16)


EXTREMES = {
    np.float32: [1e4, 1e30, 88.8, 104.0, float(np.finfo(np.float32).max)],
    np.float64: [1e4, 1e300, 710.0, 746.0, float(np.finfo(np.float64).max)],
}


@pytest.mark.parametrize("dtype,x", [(d, s * v) for d, vs in EXTREMES.items() for v in vs for s in (1, -1)])
def test_no_overflow_warning_at_extremes(dtype, x):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s, s_neg = sigmoid_pair(np.array([x], dtype=dtype))
    assert s.dtype == dtype
    assert np.all(np.isfinite(s)) and np.all(np.isfinite(s_neg))
    assert (s[0] == 1.0) == (x > 0)
    assert (s_neg[0] == 1.0) == (x < 0)


def test_tiny_tail_keeps_its_digits():
    """1 − σ(40) by subtraction is 0; σ(−40) computed directly is e^−40 to full precision."""
    _, s_neg = sigmoid_pair(np.float64(40.0))
    assert 1.0 - sigmoid(40.0) == 0.0
    assert s_neg == pytest.approx(math.exp(-40.0) / (1 + math.exp(-40.0)), rel=1e-15)


def test_float32_stays_float32():
    s, s_neg = sigmoid_pair(np.linspace(-5, 5, 7, dtype=np.float32))
    assert s.dtype == np.float32 and s_neg.dtype == np.float32


@given(st.floats(0, 1), st.floats(-1, 1), st.floats(-1, 1))
def test_mix_keep_and_admit_mirror(z, h_prev, h_tilde):
    z_arr, omz = np.array([z]), np.array([1.0 - z])
    keep = mix("keep", z_arr, omz, np.array([h_prev]), np.array([h_tilde]))
    admit = mix("admit", omz, z_arr, np.array([h_prev]), np.array([h_tilde]))
    np.testing.assert_array_equal(keep, admit)
    assert keep[0] == pytest.approx(z * h_prev + (1 - z) * h_tilde, abs=1e-15)
