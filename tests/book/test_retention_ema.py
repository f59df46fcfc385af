"""gru_book.retention.moving_average and chrono_bias: the EMA readings and chrono's biases, from their definitions."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gru_book.retention import chrono_bias, half_life, moving_average
from gru_lib import GRUParams, run
from gru_lib.optim import Adam

series = st.lists(st.floats(-100, 100), min_size=1, max_size=30)
gates = st.floats(0.0, 1.0)


def _ema(xs, kept, start):
    """y_t = kept · y_{t−1} + (1 − kept) · x_t, written out."""
    y, out = start, []
    for x in xs:
        y = kept * y + (1 - kept) * x
        out.append(y)
    return np.array(out)


@settings(max_examples=80, deadline=None)
@given(series, gates, st.floats(-10, 10))
def test_keep_keeps_the_gate_and_admit_its_complement(xs, z, start):
    np.testing.assert_allclose(moving_average(xs, z, update="keep", start=start), _ema(xs, z, start), atol=1e-10)
    np.testing.assert_allclose(moving_average(xs, z, update="admit", start=start), _ema(xs, 1 - z, start), atol=1e-10)


def test_the_ends_of_the_gate():
    xs = [3.0, -1.0, 2.0]
    assert list(moving_average(xs, 1.0, update="keep", start=5.0)) == [5.0, 5.0, 5.0]  # keeps everything
    assert list(moving_average(xs, 1.0, update="admit", start=5.0)) == xs  # admits everything


def test_adam_moments_are_the_keep_average():
    g = np.random.default_rng(0).normal(size=9)
    adam, params, m = Adam(lr=0.1, beta1=0.8), {"w": np.zeros(1)}, []
    for g_t in g:
        params = adam.step(params, {"w": np.array([g_t])})
        m.append(adam.m["w"][0])
    np.testing.assert_allclose(m, _ema(g, 0.8, 0.0), rtol=1e-14)
    np.testing.assert_allclose(m, moving_average(g, 0.8, update="keep"), rtol=1e-14)


@pytest.mark.parametrize("T", [1.5, 2.0, 10.0, 1e4])
def test_chrono_bias_gives_the_kept_share_one_minus_one_over_T(T):
    sig = lambda a: 1 / (1 + math.exp(-a))
    assert sig(chrono_bias(T, "keep")) == pytest.approx(1 - 1 / T, rel=1e-12)
    assert sig(-chrono_bias(T, "admit")) == pytest.approx(1 - 1 / T, rel=1e-12)
    assert chrono_bias(T, "admit") == -chrono_bias(T, "keep")


def test_chrono_layer_remembers_the_same_in_both_conventions():
    T = np.array([2.0, 5.0, 30.0])
    runs = [
        run(
            GRUParams.zeros(1, 3).replace(b_z=chrono_bias(T, u)),
            np.zeros((50, 1, 1)),
            h0=np.ones((1, 3)),
            update=u,
            reset="before",
        )
        for u in ("keep", "admit")
    ]
    assert np.array_equal(runs[0].h, runs[1].h)
    np.testing.assert_allclose(runs[0].h[:, 0, :], (1 - 1 / T) ** np.arange(1, 51)[:, None], rtol=1e-10)
    assert half_life(1 - 1 / 30.0) == pytest.approx(30 * math.log(2), rel=1 / 30)


def test_bad_input():
    with pytest.raises(ValueError, match="time_constant"):
        chrono_bias(1.0, "keep")
    with pytest.raises(ValueError, match="update"):
        chrono_bias(3.0, "forget")
    with pytest.raises(TypeError):
        moving_average("abc", 0.5, update="keep")
