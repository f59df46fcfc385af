"""gru_lib.cell: the step and the runner against an independent textbook loop, extremes and bad input."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gru_lib import GRUParams, run, step
from gru_lib.textbook import run_textbook

MODES = [(u, r) for u in ("keep", "admit") for r in ("before", "after")]


@st.composite
def problems(draw):
    D, H, T, B = (draw(st.integers(1, n)) for n in (5, 6, 7, 3))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    params = GRUParams.random(
        D, H, seed=rng, scale=draw(st.sampled_from([0.3, 1.0, 3.0])), recurrent_biases=draw(st.booleans())
    )
    xs = rng.normal(size=(T, B, D))
    h0 = rng.uniform(-1, 1, size=(B, H))
    return params, xs, h0


@settings(max_examples=60, deadline=None)
@given(problems(), st.sampled_from(MODES))
def test_runner_matches_textbook_loop(problem, mode):
    params, xs, h0 = problem
    update, reset = mode
    trace = run(params, xs, h0, update=update, reset=reset)
    np.testing.assert_allclose(trace.h, run_textbook(params, xs, h0, update=update, reset=reset), rtol=0, atol=1e-12)


@settings(max_examples=30, deadline=None)
@given(problems(), st.sampled_from(MODES))
def test_runner_equals_chained_steps(problem, mode):
    params, xs, h0 = problem
    update, reset = mode
    trace = run(params, xs, h0, update=update, reset=reset)
    h = h0
    for t in range(len(xs)):
        h, z, r, cand = step(params, xs[t], h, update=update, reset=reset)
        np.testing.assert_allclose(h, trace.h[t], rtol=0, atol=1e-13)
        np.testing.assert_allclose(z, trace.z[t], rtol=0, atol=1e-13)
        np.testing.assert_allclose(r, trace.r[t], rtol=0, atol=1e-13)
        np.testing.assert_allclose(cand, trace.h_tilde[t], rtol=0, atol=1e-13)


def test_trace_shapes_and_gate_ranges():
    params = GRUParams.random(3, 4, seed=0)
    xs = np.random.default_rng(0).normal(size=(6, 2, 3))
    tr = run(params, xs, update="keep", reset="after")
    for arr in (tr.h, tr.z, tr.r, tr.h_tilde):
        assert arr.shape == (6, 2, 4)
    assert np.all((tr.z > 0) & (tr.z < 1)) and np.all((tr.r > 0) & (tr.r < 1))
    assert np.all(np.abs(tr.h_tilde) < 1)
    np.testing.assert_array_equal(tr.h_last, tr.h[-1])
    np.testing.assert_array_equal(tr.h0, np.zeros((2, 4)))
    np.testing.assert_allclose(tr.kept, tr.z)


def test_empty_sequence_returns_initial_state():
    params = GRUParams.random(2, 3, seed=0)
    h0 = np.ones((4, 3)) * 0.5
    tr = run(params, np.zeros((0, 4, 2)), h0, update="admit", reset="before")
    assert tr.h.shape == (0, 4, 3)
    np.testing.assert_array_equal(tr.h_last, h0)


def saturated(b_z: float, D=2, H=3) -> GRUParams:
    """Parameters whose update gate is pinned at σ(b_z) whatever the input."""
    p = GRUParams.random(D, H, seed=3)
    return p.replace(W_z=np.zeros((H, D)), U_z=np.zeros((H, H)), b_z=np.full(H, b_z))


@pytest.mark.parametrize("reset", ["before", "after"])
def test_gate_extremes(reset):
    rng = np.random.default_rng(1)
    x, h_prev = rng.normal(size=(2, 2)), rng.uniform(-1, 1, size=(2, 3))
    for update, b_z, expect in [
        ("keep", 60.0, "prev"),
        ("keep", -60.0, "cand"),
        ("admit", 60.0, "cand"),
        ("admit", -60.0, "prev"),
    ]:
        h, z, _, cand = step(saturated(b_z), x, h_prev, update=update, reset=reset)
        assert z[0, 0] == (1.0 if b_z > 0 else pytest.approx(0.0, abs=1e-25))
        np.testing.assert_allclose(h, h_prev if expect == "prev" else cand, rtol=0, atol=1e-15)


def test_float32_in_float32_out():
    params = GRUParams.random(3, 4, seed=0, dtype=np.float32)
    tr = run(params, np.ones((2, 1, 3)), update="keep", reset="before")
    assert tr.h.dtype == np.float32 and tr.z.dtype == np.float32


def test_huge_inputs_saturate_without_warning():
    params = GRUParams.random(2, 3, seed=0)
    tr = run(params, np.full((3, 1, 2), 1e300), update="keep", reset="after")
    assert np.all(np.isfinite(tr.h))


P = GRUParams.random(3, 4, seed=0)


@pytest.mark.parametrize(
    "xs,exc,msg",
    [
        (np.zeros((5, 3)), ValueError, r"\(T, B, D\).*got shape \(5, 3\).*xs\[:, None, :\]"),
        (np.zeros((5, 1, 2)), ValueError, r"xs must have shape \(any, any, 3\).*got shape \(5, 1, 2\)"),
        (np.zeros(3), ValueError, r"xs must have shape.*got shape \(3,\)"),
        (np.full((2, 1, 3), np.nan), ValueError, "xs must be finite"),
        (np.zeros((2, 1, 3), dtype=bool), TypeError, "booleans"),
        ("abc", TypeError, "real numeric array"),
        ([[[1, 2, 3]], [[1, 2]]], TypeError, "real numeric array"),
    ],
)
def test_bad_sequences(xs, exc, msg):
    with pytest.raises(exc, match=msg):
        run(P, xs, update="keep", reset="before")


@pytest.mark.parametrize(
    "kwargs,msg",
    [
        (dict(update="type1", reset="before"), r"update must be one of 'keep', 'admit'; got 'type1'"),
        (dict(update="keep", reset="middle"), r"reset must be one of 'before', 'after'; got 'middle'"),
        (dict(update="Keep", reset="before"), "got 'Keep'"),
    ],
)
def test_unknown_names(kwargs, msg):
    with pytest.raises(ValueError, match=msg):
        run(P, np.zeros((1, 1, 3)), **kwargs)


def test_conventions_are_required():
    with pytest.raises(TypeError):
        run(P, np.zeros((1, 1, 3)))  # no silent default convention


@pytest.mark.parametrize(
    "h0,msg",
    [
        (np.zeros((2, 4)), r"h0 must have shape \(1, 4\).*got shape \(2, 4\)"),
        (np.zeros(4), r"h0 must have shape \(1, 4\).*got shape \(4,\)"),
        (np.full((1, 4), np.inf), "h0 must be finite"),
    ],
)
def test_bad_initial_state(h0, msg):
    with pytest.raises(ValueError, match=msg):
        run(P, np.zeros((2, 1, 3)), h0, update="keep", reset="before")


def test_step_rejects_wrong_input_width():
    with pytest.raises(ValueError, match=r"x must have shape \(any, 3\).*got shape \(2, 4\)"):
        step(P, np.zeros((2, 4)), update="keep", reset="after")
