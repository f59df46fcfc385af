"""pandas' ``ewm(alpha=..., adjust=False)`` is the admit-style moving average the retention chapter states.

The chapter quotes pandas' documented recursion, y_0 = x_0, y_t = (1 − α) y_{t−1} + α x_t, and
checks gru_book.retention.moving_average against that transcription; this test holds the
transcription to pandas itself (pinned in requirements-test.txt, which ``make test`` installs).
"""

from __future__ import annotations

import numpy as np
import pandas as pd  # a test extra (requirements-test.txt), installed by make test
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gru_book.retention import half_life, moving_average

series = st.lists(st.floats(-1e3, 1e3), min_size=2, max_size=40)
shares = st.floats(0.001, 1.0)


@settings(max_examples=60, deadline=None)
@given(series, shares)
def test_ewm_adjust_false_is_the_admit_average(xs, alpha):
    x = np.array(xs)
    want = pd.Series(x).ewm(alpha=alpha, adjust=False).mean().to_numpy()
    got = np.concatenate([[x[0]], moving_average(x[1:], alpha, update="admit", start=x[0])])
    np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-9 * np.max(np.abs(x), initial=1.0))


@settings(max_examples=60, deadline=None)
@given(series, shares)
def test_ewm_alpha_is_keep_with_beta_one_minus_alpha(xs, alpha):
    x = np.array(xs)
    want = pd.Series(x).ewm(alpha=alpha, adjust=False).mean().to_numpy()
    got = np.concatenate([[x[0]], moving_average(x[1:], 1.0 - alpha, update="keep", start=x[0])])
    np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-9 * np.max(np.abs(x), initial=1.0))


@pytest.mark.parametrize("hl", [0.5, 1.0, 6.58, 100.0])
def test_ewm_halflife_is_the_half_life_of_the_kept_share(hl):
    x = np.r_[1.0, np.zeros(30)]
    by_halflife = pd.Series(x).ewm(halflife=hl, adjust=False).mean().to_numpy()
    kept = by_halflife[1]  # y_1 = (1 − α) · 1
    assert np.isclose(half_life(kept), hl, rtol=1e-9)
    np.testing.assert_allclose(by_halflife, kept ** np.arange(31), rtol=1e-12)


def test_moving_average_rejects_bad_input():
    with pytest.raises(ValueError, match="gate"):
        moving_average([1.0], 1.5, update="keep")
    with pytest.raises(ValueError, match=r"\(T,\)"):
        moving_average(np.ones((2, 2)), 0.5, update="keep")
    with pytest.raises(ValueError, match="update"):
        moving_average([1.0], 0.5, update="lerp")
