"""Issue 17 in gru_lib: bad input gets a clear error naming the argument, no warning ever leaks,
and extreme but valid input gets the right answer (run and step agree, the sigmoid's subnormal tail)."""

from __future__ import annotations

import warnings

import mpmath
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gru_lib import GRUParams, Trace, convert, convert_gradient, mix, run, sigmoid, sigmoid_pair, step
from gru_lib.backprop import Readout, bptt, logistic_loss, squared_error
from gru_lib.optim import SGD, Adam
from gru_lib.textbook import run_textbook

MODES = [(u, r) for u in ("keep", "admit") for r in ("before", "after")]
NOT_NUMBERS = [
    None,
    "3",
    b"3",
    1j,
    np.ones(2, complex),
    True,
    np.ones(2, bool),
    np.array([1, None], object),
    {"a": 1},
    [[1, 2], [3]],
    np.ones(2, np.float16),
    np.nan,
    np.array([0.0, np.nan]),
]
BAD_NAMES = ["Keep", "KEEP", "keep ", None, 1, b"keep", "Before", "middle", ""]


def raises_naming(arg, fn):
    """fn() must raise TypeError/ValueError whose message names ``arg``; no warning on the way."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises((TypeError, ValueError)) as info:
            fn()
    assert arg in str(info.value), str(info.value)


# ------------------------------------------------------------------ the sigmoid
def exact_sigmoid(x: float) -> float:
    with mpmath.workdps(60):
        return float(1 / (1 + mpmath.exp(-mpmath.mpf(x))))


@given(st.floats(-746.0, 40.0))
def test_sigmoid_float64_is_correct_to_rounding_including_the_subnormal_tail(x):
    want = exact_sigmoid(x)
    got = float(sigmoid(x))
    # a few ulp for normal results; below 2.2e-308 the spacing of subnormals (4.9e-324) is the limit
    assert abs(got - want) <= 4e-16 * want + 2 * 5e-324


@given(st.floats(-104.0, 17.0, width=32))
def test_sigmoid_float32_is_correct_to_rounding_including_the_subnormal_tail(x):
    got = sigmoid(np.float32(x))
    assert got.dtype == np.float32
    want = exact_sigmoid(float(np.float32(x)))
    assert abs(float(got) - want) <= 3e-7 * want + 2 * 1.5e-45


def test_sigmoid_subnormal_values_from_the_issue():
    assert float(sigmoid(-720.0)) == pytest.approx(exact_sigmoid(-720.0), rel=1e-12)  # 2.03e-313, not 0
    assert float(sigmoid(-710.0)) == pytest.approx(4.47e-309, rel=1e-3)
    assert float(sigmoid(-746.0)) == 0.0  # below half the smallest subnormal: 0 is the rounded value
    assert float(sigmoid(np.float32(-95.0))) > 0


def test_sigmoid_limits_and_dtypes():
    np.testing.assert_array_equal(sigmoid(np.array([np.inf, -np.inf])), [1.0, 0.0])
    assert sigmoid(3).dtype == np.float64 and sigmoid(np.int8(3)).dtype == np.float64
    assert sigmoid(np.float32(3)).dtype == np.float32


@given(st.sampled_from(NOT_NUMBERS))
def test_sigmoid_refuses_what_is_not_a_real_number(bad):
    raises_naming("a", lambda: sigmoid(bad))
    raises_naming("a", lambda: sigmoid_pair(bad))


@given(st.sampled_from(BAD_NAMES[:6]))
def test_mix_refuses_any_name_but_keep_and_admit(name):
    z = np.full((2, 3), 0.3)
    raises_naming("update", lambda: mix(name, z, 1 - z, z, z))


def test_mix_does_not_broadcast():
    z = np.full((2, 3), 0.3)
    raises_naming("h_prev", lambda: mix("keep", z, 1 - z, np.zeros((1, 3)), z))
    raises_naming("one_minus_z", lambda: mix("keep", z, np.full((1, 3), 0.7), z, z))
    raises_naming("z", lambda: mix("keep", z + 1, -z, z, z))


# ------------------------------------------------------------------ run and step on huge input
@st.composite
def huge_problems(draw):
    D, H, B = draw(st.integers(1, 3)), draw(st.integers(1, 4)), draw(st.integers(1, 3))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    dtype = draw(st.sampled_from([np.float32, np.float64]))
    big = float(np.finfo(dtype).max)
    p = GRUParams.random(
        D, H, seed=rng, scale=draw(st.sampled_from([0.5, 3.0])), dtype=dtype, recurrent_biases=draw(st.booleans())
    )
    mag = draw(st.sampled_from([1.0, 1e20, big / 4, big]))
    xs = (rng.choice([-1.0, 1.0], size=(3, B, D)) * mag * rng.uniform(0.5, 1.0, size=(3, B, D))).astype(dtype)
    h0 = rng.uniform(-1, 1, size=(B, H)).astype(dtype) * draw(st.sampled_from([1.0, big / 2]))
    return p, xs, h0


@settings(max_examples=40, deadline=None)
@given(huge_problems(), st.sampled_from(MODES))
def test_run_equals_chained_steps_bit_for_bit_without_warnings_on_huge_input(problem, mode):
    p, xs, h0 = problem
    update, reset = mode
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        tr = run(p, xs, h0, update=update, reset=reset)
        h = h0
        for t in range(len(xs)):
            h, z, r, cand = step(p, xs[t], h, update=update, reset=reset)
            for got, want in ((h, tr.h[t]), (z, tr.z[t]), (r, tr.r[t]), (cand, tr.h_tilde[t])):
                np.testing.assert_array_equal(got, want)
    for arr in (tr.h, tr.z, tr.r, tr.h_tilde):
        assert np.all(np.isfinite(arr)) and arr.dtype == p.dtype
    assert np.all((tr.z >= 0) & (tr.z <= 1)) and np.all(np.abs(tr.h_tilde) <= 1)


def test_overflowing_products_saturate_the_right_way():
    """W x overflows (3 · 1e308), but its sign is known: every gate and candidate saturates."""
    p = GRUParams.zeros(3, 1).replace(W_z=np.ones((1, 3)), W_h=-np.ones((1, 3)))
    h, z, _, cand = step(p, np.full((1, 3), 1e308), np.array([[0.25]]), update="keep", reset="after")
    assert z[0, 0] == 1.0 and cand[0, 0] == -1.0 and h[0, 0] == 0.25
    # partial sums overflow but cancel: 1e308 + 1e308 − 1e308 − 1e308 + 0.5 has the sign of +0.5
    q = GRUParams.zeros(4, 1).replace(W_z=np.array([[1.0, 1.0, -1.0, -1.0]]), b_z=np.array([0.5]))
    _, z, _, _ = step(q, np.full((1, 4), 1e308), update="keep", reset="before")
    assert z[0, 0] == pytest.approx(1 / (1 + np.exp(-0.5)), rel=1e-6)


def test_float64_input_that_overflows_float32_is_named_so():
    p = GRUParams.random(3, 2, dtype=np.float32)
    raises_naming("overflows float32", lambda: run(p, np.full((2, 1, 3), 1e300), update="keep", reset="before"))
    raises_naming("xs", lambda: run(p, np.full((2, 1, 3), 1e300), update="keep", reset="before"))


# ------------------------------------------------------------------ params
@given(st.sampled_from([int, np.int32, np.float16, complex, bool, object, "U3", "nonsense", None]))
def test_params_refuse_every_dtype_but_float32_and_float64(dt):
    raises_naming("dtype", lambda: GRUParams.random(3, 4, dtype=dt))
    raises_naming("dtype", lambda: GRUParams.zeros(3, 4, dtype=dt))
    raises_naming("dtype", lambda: GRUParams.random(3, 4).astype(dt))


def test_float16_arrays_are_refused_not_widened():
    p = GRUParams.random(2, 3)
    raises_naming("float16", lambda: GRUParams(**{k: v.astype(np.float16) for k, v in p}))


def test_allclose_does_not_broadcast_and_checks_its_arguments():
    small, big = GRUParams.zeros(1, 1), GRUParams.zeros(3, 3)
    raises_naming("other", lambda: small.allclose(big))
    raises_naming("other", lambda: small.allclose({"W_z": 0}))
    raises_naming("rtol", lambda: small.allclose(small, rtol=-1.0))
    raises_naming("other", lambda: small.max_abs_diff(big))


@given(st.sampled_from(["a", 1.5, -1, [1], True]), st.sampled_from(["a", -1.0, np.nan, np.inf, [1.0], True]))
def test_random_refuses_bad_seeds_and_scales(seed, scale):
    raises_naming("seed", lambda: GRUParams.random(2, 2, seed=seed))
    raises_naming("scale", lambda: GRUParams.random(2, 2, scale=scale))


# ------------------------------------------------------------------ names, traces, gradients
@given(st.sampled_from(BAD_NAMES))
def test_every_entry_point_refuses_misspelled_names(name):
    p, xs = GRUParams.random(2, 3), np.zeros((2, 1, 2))
    tr = run(p, xs, update="keep", reset="before")
    raises_naming("update", lambda: run_textbook(p, xs, update=name, reset="before"))
    raises_naming("reset", lambda: run_textbook(p, xs, update="keep", reset=name))
    raises_naming("update", lambda: Trace(tr.h, tr.z, tr.r, tr.h_tilde, tr.h0, name, "before"))
    raises_naming("reset", lambda: Trace(tr.h, tr.z, tr.r, tr.h_tilde, tr.h0, "keep", name))


def test_bptt_refuses_a_trace_of_another_run():
    p, xs = GRUParams.random(2, 3, seed=0), np.random.default_rng(0).normal(size=(4, 2, 2))
    tr = run(p, xs, update="keep", reset="after")
    dh = np.ones((4, 2, 3))
    raises_naming("other parameters", lambda: bptt(GRUParams.random(2, 3, seed=1), xs, tr, dh))
    raises_naming("other inputs", lambda: bptt(p, xs + 1.0, tr, dh))
    by_hand = Trace(tr.h, tr.z, tr.r, tr.h_tilde, tr.h0, "keep", "after")
    raises_naming("trace", lambda: bptt(p, xs, by_hand, dh))
    equal = GRUParams.from_arrays(dict(p.arrays()))  # an equal copy is the same run
    assert np.array_equal(bptt(equal, xs, tr, dh)[1], bptt(p, xs, tr, dh)[1])


def test_trace_checks_shapes_and_is_read_only():
    tr = run(GRUParams.random(2, 3), np.zeros((4, 2, 2)), update="keep", reset="before")
    raises_naming("z", lambda: Trace(tr.h, tr.z[:2], tr.r, tr.h_tilde, tr.h0, "keep", "before"))
    raises_naming("h0", lambda: Trace(tr.h, tr.z, tr.r, tr.h_tilde, tr.h0[0], "keep", "before"))
    with pytest.raises(ValueError):
        tr.h[0, 0, 0] = 1.0


def test_convert_gradient_refuses_unknown_keys_and_negates_integers_exactly():
    raises_naming("W_zz", lambda: convert_gradient({"W_zz": np.ones(2)}))
    raises_naming("grads", lambda: convert_gradient([np.ones(2)]))
    out = convert_gradient({"W_z": np.ones(2, np.uint8), "W_out": np.ones((1, 2))})
    np.testing.assert_array_equal(out["W_z"], [-1.0, -1.0])
    np.testing.assert_array_equal(out["W_out"], [[1.0, 1.0]])
    assert convert_gradient({"b_z": np.ones(2, np.float32)})["b_z"].dtype == np.float32


def test_adam_refuses_a_model_of_another_size():
    opt = Adam()
    opt.step({"w": np.ones(3)}, {"w": np.ones(3)})
    raises_naming("params['w']", lambda: opt.step({"w": np.ones(1)}, {"w": np.ones(1)}))
    assert opt.t == 1  # the refused step changed nothing
    raises_naming("step overflows", lambda: SGD(10.0).step({"w": np.array([-1e308])}, {"w": np.array([1e308])}))


def test_losses_are_finite_whenever_their_true_value_is():
    loss, grad = squared_error(np.full(10, 1.5e154), np.zeros(10))
    assert loss == pytest.approx(0.5 * 1.5e154 * 1.5e154, rel=1e-14) and np.all(np.isfinite(grad))
    raises_naming("squared error", lambda: squared_error(np.array([1e300]), np.array([-1e300])))
    loss, grad = logistic_loss(np.array([1e308, 1e308]), np.array([-1.0, -1.0]))
    assert loss == 1e308 and np.all(np.isfinite(grad))
    y = Readout(np.array([[1e308, 1e308]]), np.zeros(1))(np.array([1.0, 1.0]))
    assert y[0] == np.inf  # the true value 2e308 exceeds the largest float: inf, not NaN


def test_bptt_on_saturating_huge_inputs_is_finite_or_refused():
    p = GRUParams.random(3, 2, seed=0)
    xs = np.full((3, 1, 3), 1e300)
    tr = run(p, xs, update="keep", reset="after")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            grads, dh0 = bptt(p, xs, tr, np.ones((3, 1, 2)))
        except ValueError as exc:
            assert "overflows" in str(exc)
        else:
            assert all(np.all(np.isfinite(g)) for g in grads.values()) and np.all(np.isfinite(dh0))


def test_convert_still_maps_keep_onto_admit_bit_for_bit_on_huge_input():
    p = GRUParams.random(3, 4, seed=2, scale=2.0, recurrent_biases=True)
    xs = np.random.default_rng(2).choice([-1e308, 1e308, 0.5], size=(4, 2, 3))
    for reset in ("before", "after"):
        keep = run(p, xs, update="keep", reset=reset)
        admit = run(convert(p), xs, update="admit", reset=reset)
        np.testing.assert_array_equal(keep.h, admit.h)
