"""gru_lib.convert: φ maps one convention onto the other exactly and is its own inverse."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from gru_lib import GRUParams, convert, convert_gradient, other_convention, run
from gru_lib.params import UPDATE_GATE_FIELDS
from gru_lib.textbook import run_textbook

params_st = st.builds(
    lambda D, H, seed, scale, rec, f32: GRUParams.random(
        D, H, seed=seed, scale=scale, recurrent_biases=rec, dtype=np.float32 if f32 else np.float64
    ),
    st.integers(1, 6),
    st.integers(1, 6),
    st.integers(0, 10**6),
    st.sampled_from([0.1, 1.0, 4.0]),
    st.booleans(),
    st.booleans(),
)


@given(params_st)
def test_convert_is_an_involution(p):
    assert convert(convert(p)) == p


@given(params_st)
def test_convert_negates_exactly_the_update_gate(p):
    q = convert(p)
    for name, arr in p:
        expected = -arr if name in UPDATE_GATE_FIELDS else arr
        np.testing.assert_array_equal(getattr(q, name), expected)


@settings(max_examples=60, deadline=None)
@given(
    st.integers(1, 5),
    st.integers(1, 6),
    st.integers(1, 8),
    st.integers(1, 3),
    st.integers(0, 10**6),
    st.booleans(),
    st.sampled_from(["before", "after"]),
    st.sampled_from(["keep", "admit"]),
)
def test_converted_conventions_agree(D, H, T, B, seed, rec, reset, update):
    rng = np.random.default_rng(seed)
    p = GRUParams.random(D, H, seed=rng, scale=1.5, recurrent_biases=rec)
    xs, h0 = rng.normal(size=(T, B, D)), rng.uniform(-1, 1, size=(B, H))
    a = run(p, xs, h0, update=update, reset=reset)
    b = run(convert(p), xs, h0, update=other_convention(update), reset=reset)
    assert np.max(np.abs(a.h - b.h)) <= 1e-12
    np.testing.assert_allclose(a.z, 1.0 - b.z, rtol=0, atol=1e-15)
    # the independent textbook loop (which forms 1 − z by subtraction) agrees to rounding too
    c = run_textbook(convert(p), xs, h0, update=other_convention(update), reset=reset)
    assert np.max(np.abs(a.h - c)) <= 1e-12


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 5), st.integers(1, 6), st.integers(0, 10**6), st.sampled_from(["before", "after"]))
def test_without_conversion_they_differ(D, H, seed, reset):
    rng = np.random.default_rng(seed)
    p = GRUParams.random(D, H, seed=rng, scale=1.0)
    xs = rng.normal(size=(6, 2, D))
    h0 = rng.uniform(-1, 1, size=(2, H))
    keep = run(p, xs, h0, update="keep", reset=reset)
    admit = run(p, xs, h0, update="admit", reset=reset)
    # z ≠ 1/2 almost surely, and then the two blends differ wherever h_prev ≠ h̃
    assert np.max(np.abs(keep.h - admit.h)) > 1e-6


def test_other_convention_and_gradient_map():
    assert other_convention("keep") == "admit" and other_convention("admit") == "keep"
    g = {"W_z": np.ones((2, 2)), "b_r": np.ones(2)}
    out = convert_gradient(g)
    np.testing.assert_array_equal(out["W_z"], -g["W_z"])
    np.testing.assert_array_equal(out["b_r"], g["b_r"])
