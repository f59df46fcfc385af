"""Tests for gru_book.retention: half-lives, the closed form against gru_lib.run, the pulse set-up."""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gru_book.retention import (
    closed_form,
    constant_gate_params,
    constant_gate_trajectory,
    half_life,
    half_life_from_logit,
    kept_share,
    memory_steps,
    pulse_params,
    pulse_sequence,
    run_pulse,
    run_pulse_pair,
    softplus,
)
from gru_lib import convert, run

unit_open = st.floats(min_value=1e-6, max_value=1 - 1e-6)
unit_closed = st.floats(min_value=0.0, max_value=1.0)
candidates = st.floats(min_value=-0.99, max_value=0.99)


# ------------------------------------------------------------------ half-life
def test_half_life_known_values():
    assert half_life(0.5) == 1.0  # one step halves it, by definition
    assert half_life(0.25) == pytest.approx(0.5)  # 0.25 ** 0.5 = 0.5
    assert half_life(2**-0.1) == pytest.approx(10.0)  # k ** 10 = 1/2
    assert half_life(1.0) == math.inf
    assert half_life(0.0) == 0.0


def test_half_life_vectorised_with_both_ends_and_no_warning():
    out = half_life(np.array([0.0, 0.5, 1.0]))
    assert out.shape == (3,) and out[0] == 0.0 and out[1] == 1.0 and np.isinf(out[2])


def test_half_life_accurate_next_to_one():
    k = 1.0 - 2.0**-40  # ln k ≈ −2^-40; a naive log would still do, log1p must not do worse
    assert half_life(k) == pytest.approx(math.log(2) * 2.0**40, rel=1e-9)


@given(unit_open)
def test_half_life_defining_property(k):
    assert k ** half_life(k) == pytest.approx(0.5, rel=1e-9)


@given(unit_open, unit_open)
def test_half_life_increases_with_the_kept_share(a, b):
    if a < b:
        assert half_life(a) <= half_life(b)


@pytest.mark.parametrize("a", [-30.0, -2.0, 0.0, 0.7, 3.0, 20.0, 50.0])
def test_half_life_from_logit_matches_the_gate(a):
    with mpmath.workdps(60):  # the naive ln σ(a) in 60 digits as the reference
        k = 1 / (1 + mpmath.exp(-a))
        want = float(mpmath.log(0.5) / mpmath.log(k))
    assert half_life_from_logit(a) == pytest.approx(want, rel=1e-12)


def test_half_life_from_logit_large_logits():
    # ln σ(a) = −ln(1 + e^−a) ≈ −e^−a for large a, so t½ ≈ ln 2 · e^a.
    assert half_life_from_logit(50.0) == pytest.approx(math.log(2) * math.exp(50.0), rel=1e-12)
    assert half_life_from_logit(800.0) == math.inf  # e^−800 underflows: honestly infinite
    assert half_life_from_logit(-800.0) == pytest.approx(math.log(2) / 800.0)
    assert np.isfinite(half_life_from_logit(np.array([-50.0, 50.0]))).all()


def test_softplus_stable():
    assert softplus(0.0) == pytest.approx(math.log(2))
    assert softplus(1000.0) == 1000.0 and softplus(-1000.0) == 0.0
    assert softplus(-50.0) == pytest.approx(math.exp(-50.0), rel=1e-12)


# ------------------------------------------------------------------ closed form
def test_kept_share():
    assert kept_share(0.8, "keep") == 0.8
    assert kept_share(0.8, "admit") == pytest.approx(0.2)


def test_closed_form_by_hand():
    # k = 0.5, h0 = 1, c = 0: 1, 0.5, 0.25, 0.125
    assert np.array_equal(closed_form(0.5, 1.0, 0.0, 3), [1.0, 0.5, 0.25, 0.125])
    # k = 0: the candidate at once; k = 1: h0 forever
    assert np.array_equal(closed_form(0.0, 1.0, -0.5, 2), [1.0, -0.5, -0.5])
    assert np.array_equal(closed_form(1.0, 1.0, -0.5, 2), [1.0, 1.0, 1.0])


@settings(max_examples=40, deadline=None)
@given(
    unit_open.filter(lambda z: 1e-4 < z < 1 - 1e-4), candidates, st.floats(-1, 1), st.sampled_from(["keep", "admit"])
)
def test_closed_form_matches_gru_lib_run(z, cand, h0, update):
    T = 12
    trace = run(constant_gate_params(z, cand, update), np.zeros((T, 1, 1)), h0=[[h0]], update=update, reset="before")
    expected = closed_form(kept_share(z, update), h0, cand, T)
    assert np.allclose(trace.h[:, 0, 0], expected[1:], rtol=1e-9, atol=1e-12)


@given(unit_closed, st.floats(-1, 1), st.sampled_from(["keep", "admit"]))
def test_constant_gate_trajectory_is_the_recursion(z, cand, update):
    k = z if update == "keep" else 1.0 - z
    h, hand = 1.0, [1.0]
    for _ in range(8):
        h = k * h + (1.0 - k) * cand
        hand.append(h)
    got = constant_gate_trajectory(z, cand, h0=1.0, steps=8, update=update)
    assert np.allclose(got, hand, rtol=1e-12, atol=1e-15)
    assert np.allclose(got, closed_form(k, 1.0, cand, 8), rtol=1e-9, atol=1e-12)


# ------------------------------------------------------------------ pulse
def test_pulse_sequence_shape_and_values():
    xs = pulse_sequence(5, at=2, height=1.5)
    assert xs.shape == (5, 1, 1) and xs[2, 0, 0] == 1.5 and np.count_nonzero(xs) == 1
    noisy = pulse_sequence(50, at=3, noise=0.3, seed=1)
    assert noisy[3, 0, 0] == 1.0 and 0.1 < noisy.std() < 0.5


def test_pulse_decays_by_the_kept_share():
    b_z = 1.2
    k = 1.0 / (1.0 + math.exp(-b_z))
    h = run_pulse(b_z, -4.0, update="keep", steps=12, at=2).h[:, 0, 0]
    assert np.allclose(h[3:] / h[2:-1], k, rtol=1e-12)
    h_admit = run_pulse(b_z, -4.0, update="admit", steps=12, at=2).h[:, 0, 0]
    assert np.allclose(h_admit[3:] / h_admit[2:-1], 1.0 - k, rtol=1e-9)


def test_memory_steps_by_hand():
    assert memory_steps(np.array([0.0, 1.0, 0.8, 0.6, 0.4, 0.9]), at=1) == 2
    assert memory_steps(np.array([0.0, -1.0, -0.9, -0.7]), at=1) == 2  # all above half: to the end
    assert memory_steps(np.array([0.0, 0.0, 1.0]), at=1) == 0  # nothing written


@settings(max_examples=30, deadline=None)
@given(st.floats(-50, 50), st.floats(-8, 8))
def test_run_pulse_pair_conversion_is_exact(b_z, w_z):
    keep, admit_conv = run_pulse_pair(b_z, w_z, converted=True, steps=15)
    assert np.array_equal(keep.h, admit_conv.h)
    assert np.isfinite(keep.h).all()
    # the same thing, spelled as "flip the convention and the signs"
    assert np.array_equal(run_pulse(-b_z, -w_z, update="admit", steps=15).h, keep.h)
    theta = pulse_params(b_z, w_z)
    assert convert(theta).b_z[0] == -b_z


def test_run_pulse_pair_unconverted_differs():
    keep, admit = run_pulse_pair(1.5, -4.0, converted=False)
    assert np.max(np.abs(keep.h - admit.h)) > 0.5


# ------------------------------------------------------------------ bad input
@pytest.mark.parametrize(
    "call, exc, words",
    [
        (lambda: half_life(1.5), ValueError, "[0, 1]"),
        (lambda: half_life(-0.1), ValueError, "[0, 1]"),
        (lambda: half_life("0.5"), TypeError, "real numeric"),
        (lambda: half_life(float("nan")), ValueError, "finite"),
        (lambda: half_life_from_logit(True), TypeError, "booleans"),
        (lambda: kept_share(0.5, "forget"), ValueError, "'keep', 'admit'"),
        (lambda: closed_form(0.5, 1.0, 0.0, 0), ValueError, "positive integer"),
        (lambda: closed_form(0.5, 1.0, 0.0, 2.0), TypeError, "positive integer"),
        (lambda: constant_gate_params(1.0, 0.0, "keep"), ValueError, "strictly between 0 and 1"),
        (lambda: constant_gate_params(0.5, 1.0, "keep"), ValueError, "between -1 and 1"),
        (lambda: constant_gate_trajectory(1.2, 0.0, update="keep"), ValueError, "[0, 1]"),
        (lambda: constant_gate_trajectory(0.2, 0.0, update="type 1"), ValueError, "'keep', 'admit'"),
        (lambda: pulse_sequence(5, at=5), ValueError, "[0, 4]"),
        (lambda: memory_steps(np.ones(4), at=7), ValueError, "[0, 3]"),
        (lambda: run_pulse_pair(1.0, converted="yes"), TypeError, "bool"),
    ],
)
def test_bad_input_raises(call, exc, words):
    with pytest.raises(exc, match=None) as info:
        call()
    assert words in str(info.value)
