"""Issue 17 in the book's helpers: a clear error naming the argument for bad input, no warning,
and the right answer at the extremes (half_life of a tiny kept share, relative errors below −745)."""

from __future__ import annotations

import warnings

import mpmath
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gru_book import data, floats, placement, retention, tables, tasks
from gru_lib import GRUParams, run, sigmoid
from gru_lib.backprop import Readout
from gru_lib.optim import SGD

NOT_NUMBERS = [
    None,
    "3",
    b"3",
    1j,
    True,
    np.ones(2, bool),
    np.array([1, None], object),
    {"a": 1},
    np.float16(0.5),
    np.nan,
]
NOT_INTS = [2.5, True, "3", None, np.float64(3.0), -1]
BAD_NAMES = ["Keep", "ADMIT", None, 1, b"keep", "keep "]


def raises_naming(arg, fn):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises((TypeError, ValueError)) as info:
            fn()
    assert arg in str(info.value), str(info.value)


# ------------------------------------------------------------------ half-life over the whole domain
def exact_half_life(k: float) -> float:
    with mpmath.workdps(60):
        return float(mpmath.log(0.5) / mpmath.log(mpmath.mpf(k)))


@given(st.floats(-323.0, -1e-3).map(lambda e: 10.0**e) | st.floats(1e-300, 1.0, exclude_max=True))
def test_half_life_is_accurate_from_subnormal_to_next_to_one(k):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = retention.half_life(k)
    assert got == pytest.approx(exact_half_life(k), rel=4e-16)


def test_half_life_values_from_the_issue():
    assert retention.half_life(1e-17) == pytest.approx(0.0177076468037636, rel=1e-15)  # not 0, no warning
    assert retention.half_life(1e-12) == pytest.approx(exact_half_life(1e-12), rel=1e-15)  # all digits
    assert retention.half_life(5e-324) > 0
    # reachable from a demo: z = σ(−690) ≈ 1e−300 kept
    assert retention.half_life(retention.kept_share(sigmoid(-690.0), "keep")) == pytest.approx(
        np.log(2) / 690.0, rel=1e-12
    )


# ------------------------------------------------------------------ memory per unit
def test_memory_steps_refuses_a_trace_of_several_units():
    h = np.ones((9, 1, 3))
    raises_naming("h", lambda: retention.memory_steps(h, at=1))
    assert [retention.memory_steps(h[:, 0, j], at=1) for j in range(3)] == [7, 7, 7]
    raises_naming("fraction", lambda: retention.memory_steps(np.ones(4), at=0, fraction=1.5))
    raises_naming("fraction", lambda: retention.memory_steps(np.ones(4), at=0, fraction=0.0))
    raises_naming("at", lambda: retention.memory_steps(np.ones(4), at=True))


# ------------------------------------------------------------------ relative errors below −745
def test_relative_errors_stay_finite_where_sigma_underflows():
    x = np.array([-800.0, -746.0, -720.0])
    sub, direct = floats.relative_errors(x, np.float64)
    assert np.all(np.isfinite(sub)) and np.all(np.isfinite(direct))
    np.testing.assert_array_equal(sub, 1.0)  # the subtraction gives 0: every digit lost
    assert direct[0] == 1.0 and direct[2] < 1e-9  # σ(−720) is a subnormal, computed to its spacing
    _, direct32 = floats.relative_errors(np.array([-120.0, -95.0]), np.float32)
    assert np.all(np.isfinite(direct32)) and direct32[1] < 1e-2


# ------------------------------------------------------------------ bad input, module by module
@given(st.sampled_from(NOT_NUMBERS))
def test_retention_refuses_non_numbers(bad):
    raises_naming("kept", lambda: retention.half_life(bad))
    raises_naming("a", lambda: retention.half_life_from_logit(bad))
    raises_naming("z", lambda: retention.kept_share(bad, "keep"))
    raises_naming("h0", lambda: retention.closed_form(0.5, bad, 0.0, 3))
    raises_naming("height", lambda: retention.pulse_sequence(5, height=bad))
    raises_naming("noise", lambda: retention.pulse_sequence(5, noise=bad))
    raises_naming("b_z", lambda: retention.pulse_params(bad))
    raises_naming("candidate", lambda: retention.constant_gate_trajectory(0.5, bad, update="keep"))
    raises_naming("h", lambda: retention.memory_steps(bad, at=0))


@given(st.sampled_from(NOT_INTS))
def test_retention_refuses_non_integers(bad):
    raises_naming("steps", lambda: retention.closed_form(0.5, 1.0, 0.0, bad))
    raises_naming("steps", lambda: retention.pulse_sequence(bad))
    raises_naming("at", lambda: retention.pulse_sequence(5, at=bad))


@given(st.sampled_from(BAD_NAMES))
def test_names_are_checked_exactly(name):
    raises_naming("update", lambda: retention.kept_share(0.5, name))
    raises_naming("update", lambda: retention.run_pulse(1.0, update=name))
    raises_naming(
        "implementation",
        lambda: floats.convention_drift(GRUParams.random(1, 1), np.zeros((1, 1, 1)), implementation=name),
    )
    raises_naming("reset", lambda: floats.precision_gap(GRUParams.random(1, 1), np.zeros((1, 1, 1)), reset=name))
    raises_naming("name", lambda: data.load(name))


@given(st.sampled_from([int, np.float16, "abc", None, complex, True]))
def test_floats_refuse_other_dtypes(dt):
    raises_naming("dtype", lambda: floats.unit_roundoff(dt))
    raises_naming("dtype", lambda: floats.relative_errors([1.0], dt))


@given(st.sampled_from(NOT_NUMBERS))
def test_floats_refuse_non_numbers(bad):
    raises_naming("x", lambda: floats.complement_by_subtraction(bad))
    raises_naming("x", lambda: floats.reference_sigmoid(bad))
    raises_naming("xs", lambda: floats.precision_gap(GRUParams.random(1, 1), bad))


def test_precision_gap_says_when_inputs_overflow_float32():
    raises_naming("overflows float32", lambda: floats.precision_gap(GRUParams.random(1, 1), np.full((2, 1, 1), 1e300)))


@given(st.sampled_from(NOT_INTS), st.sampled_from(["a", np.nan, -1.0, True, None]))
def test_tasks_refuse_bad_sizes_and_noise(bad_int, bad_noise):
    raises_naming("steps", lambda: tasks.MemoryTask(steps=bad_int))
    raises_naming("batch", lambda: tasks.MemoryTask(batch=bad_int))
    raises_naming("noise", lambda: tasks.MemoryTask(noise=bad_noise))
    raises_naming("level", lambda: tasks.steps_to_reach([1.0, 0.1], bad_noise if bad_noise != -1.0 else "x"))


def test_tasks_accept_numpy_scalars_and_check_their_arguments():
    task = tasks.MemoryTask(np.int64(3), np.int32(4), np.float32(0.5))
    assert (task.steps, task.batch, task.noise) == (3, 4, 0.5)
    p, ro = GRUParams.random(2, 3), Readout.random(3)
    raises_naming("rng", lambda: task.sample("a"))
    raises_naming("dtype", lambda: task.sample(0, dtype=np.int64))
    raises_naming("targets", lambda: tasks.accuracy(np.ones(3), np.array([0.5, 2.0, 1.0])))
    raises_naming("task", lambda: tasks.evaluate(p, ro, "task", update="keep"))
    raises_naming("readout", lambda: tasks.evaluate(p, Readout.random(5), task, update="keep"))
    raises_naming("params", lambda: tasks.evaluate(GRUParams.random(3, 3), ro, task, update="keep"))
    raises_naming("seed", lambda: tasks.evaluate(p, ro, task, update="keep", seed="a"))
    raises_naming("callback", lambda: tasks.train(p, ro, task, SGD(), steps=1, update="keep", callback=3))
    raises_naming("losses", lambda: tasks.History(losses="a", params=[], readouts=[]))
    assert tasks.steps_to_reach([1.0, 0.1], np.float64(0.5)) == 1


def test_tables_refuse_what_is_not_a_table():
    raises_naming("header", lambda: tables.html_table("ab", [["x", "y"]]))
    raises_naming("header", lambda: tables.html_table([1], [["x"]]))
    raises_naming("rows", lambda: tables.html_table(["a"], None))
    raises_naming("rows[0]", lambda: tables.html_table(["a", "b"], ["xy"]))
    raises_naming("formats[0]", lambda: tables.html_table(["a"], [["x"]], formats=[".2f"]))
    raises_naming("formats", lambda: tables.html_table(["a"], [[1.0]], formats=".2f"))


@given(st.sampled_from(NOT_NUMBERS))
def test_placement_refuses_non_numbers(bad):
    x = np.linspace(-1, 1, 5)
    raises_naming("x", lambda: placement.one_unit_before_step(bad, [1, 2, 3, 4]))
    raises_naming("theta", lambda: placement.one_unit_before_step(0.5, bad))
    raises_naming("target", lambda: placement.fit_one_unit_before(x, bad, starts=1, iters=1))


def test_placement_checks_sizes_and_seed():
    raises_naming("x", lambda: placement.fit_one_unit_before(np.zeros(0), np.zeros(0), starts=1, iters=1))
    raises_naming("seed", lambda: placement.fit_one_unit_before(np.zeros(3), np.zeros(3), starts=1, iters=1, seed="a"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert np.all(np.isfinite(placement.one_unit_before_step(np.array([1e300, -1e300]), [1e10, 0, 1, 0])))


def test_run_pulse_pair_still_exact_and_traces_are_per_run():
    keep, admit = retention.run_pulse_pair(2.0, -3.0, converted=True)
    np.testing.assert_array_equal(keep.h, admit.h)
    assert (
        keep.params is not admit.params
        and run(keep.params, keep.xs, update="keep", reset="before").h.shape == keep.h.shape
    )
