"""Tests for gru_book.placement: the one-unit reset-before step and its least-squares fit."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gru_book.placement import fit_one_unit_before, one_unit_before_step
from gru_lib import GRUParams, run


@settings(deadline=None)
@given(st.floats(-3, 3), st.floats(-3, 3), st.floats(-3, 3), st.floats(-3, 3))
def test_one_unit_before_step_is_gru_libs_first_step(a, b, c, d):
    rng = np.random.default_rng(0)
    p = GRUParams(
        W_z=[[a]],
        W_r=[[rng.normal()]],
        W_h=[[c]],
        U_z=[[rng.normal()]],
        U_r=[[rng.normal()]],
        U_h=[[rng.normal()]],
        b_z=[b],
        b_r=[rng.normal()],
        b_h=[d],
    )
    x = np.linspace(-4, 4, 9)
    h1 = run(p, x[None, :, None], update="keep", reset="before").h[0, :, 0]
    np.testing.assert_allclose(one_unit_before_step(x, [a, b, c, d]), h1, rtol=1e-12, atol=1e-15)


def test_fit_recovers_a_member_of_the_family():
    x = np.linspace(-6, 6, 61)
    target = one_unit_before_step(x, [0.7, -0.3, 1.2, 0.4])
    theta, rms = fit_one_unit_before(x, target, starts=10, iters=200, seed=1)
    assert rms < 1e-8
    np.testing.assert_allclose(one_unit_before_step(x, theta), target, atol=1e-7)


def test_fit_bad_input():
    with pytest.raises(ValueError, match=r"target must have shape \(3\).*got shape \(4,\)"):
        fit_one_unit_before(np.zeros(3), np.zeros(4))
    with pytest.raises(ValueError, match="theta must have shape"):
        one_unit_before_step(np.zeros(3), [1.0, 2.0])
    with pytest.raises(ValueError, match="starts must be a positive integer"):
        fit_one_unit_before(np.zeros(3), np.zeros(3), starts=0)
