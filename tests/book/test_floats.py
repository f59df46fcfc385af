"""gru_book.floats and gru_book.plots.floats: σ(x) against 1 − σ(−x), and drift between the conventions."""

import io
import math

import matplotlib
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from gru_book.floats import (
    complement_by_subtraction,
    convention_drift,
    precision_gap,
    reference_sigmoid,
    relative_errors,
    unit_roundoff,
    zero_threshold,
)
from gru_book.plots import floats as fplots
from gru_lib import GRUParams


def test_unit_roundoff_is_half_the_machine_epsilon():
    assert unit_roundoff(np.float32) == 2.0**-24
    assert unit_roundoff("float64") == 2.0**-53
    with pytest.raises(ValueError, match="float32 or float64"):
        unit_roundoff(np.float16)


def test_reference_sigmoid_against_closed_forms():
    x = np.array([0.0, 1.0, -40.0, 40.0, -700.0])
    expect = [0.5, 1 / (1 + math.exp(-1)), math.exp(-40) / (1 + math.exp(-40)), 1 / (1 + math.exp(-40)), math.exp(-700)]
    np.testing.assert_allclose(reference_sigmoid(x), expect, rtol=1e-15)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_subtraction_returns_zero_exactly_below_ln_u(dtype):
    u = unit_roundoff(dtype)
    x0 = zero_threshold(dtype)
    # 1 + e^x rounds to 1 once e^x <= u, so the threshold sits at ln u
    assert abs(x0 - math.log(u)) < 1e-3
    below = np.linspace(x0 - 50, x0, 1001)
    assert np.all(complement_by_subtraction(below, dtype) == 0)
    above = np.linspace(x0 + 1e-3, 0, 1001)
    assert np.all(complement_by_subtraction(above, dtype) > 0)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_direct_sigmoid_is_accurate_and_subtraction_is_not(dtype):
    u = unit_roundoff(dtype)
    x = np.linspace(-60, 60, 601)
    sub, direct = relative_errors(x, dtype)
    assert direct.max() <= 4 * u
    assert sub[x >= 0].max() <= 4 * u  # σ(−x) ≥ ½ there, and 1 − y is exact for y ∈ [½, 1]
    assert sub[x < math.log(u)].min() == 1.0  # a result of 0: every digit lost
    # the error of the subtraction grows like u / σ(x): check the envelope at a few points
    for xi in (-5.0, -10.0):
        i = np.argmin(np.abs(x - xi))
        assert sub[i] <= 2 * u / reference_sigmoid(np.array([xi]))[0]


def test_relative_errors_refuses_bad_dtype():
    with pytest.raises(ValueError, match="float32 or float64"):
        relative_errors([1.0], np.int64)


@settings(max_examples=20, deadline=None)
@given(
    st.integers(1, 4),
    st.integers(1, 6),
    st.integers(1, 40),
    st.integers(0, 10**6),
    st.sampled_from([np.float32, np.float64]),
    st.sampled_from(["before", "after"]),
    st.booleans(),
)
def test_gru_lib_conventions_never_drift(D, H, T, seed, dtype, reset, rec):
    rng = np.random.default_rng(seed)
    p = GRUParams.random(D, H, seed=rng, scale=3.0, dtype=dtype, recurrent_biases=rec)
    xs = rng.normal(size=(T, 3, D))
    d = convention_drift(p, xs, implementation="gru_lib", reset=reset)
    assert d.shape == (T,) and np.all(d == 0)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_textbook_conventions_drift_by_a_few_roundoffs_in_a_contracting_net(dtype):
    rng = np.random.default_rng(0)
    p = GRUParams.random(3, 6, seed=rng, dtype=dtype)
    xs = rng.normal(size=(300, 8, 3))
    d = convention_drift(p, xs, implementation="textbook")
    u = unit_roundoff(dtype)
    assert d.max() > 0
    assert d.max() <= 20 * u


def test_precision_gap_is_small_but_nonzero_for_default_init():
    rng = np.random.default_rng(1)
    p = GRUParams.random(2, 4, seed=rng)
    gap = precision_gap(p, rng.normal(size=(50, 4, 2)))
    assert gap.shape == (50,)
    assert 0 < gap.max() < 100 * unit_roundoff(np.float32)


def test_drift_bad_input():
    p = GRUParams.random(2, 3)
    with pytest.raises(ValueError, match="implementation"):
        convention_drift(p, np.zeros((2, 1, 2)), implementation="torch")
    with pytest.raises(ValueError, match="D=2"):
        convention_drift(p, np.zeros((2, 1, 3)), implementation="gru_lib")
    with pytest.raises(TypeError, match="GRUParams"):
        convention_drift(None, np.zeros((2, 1, 2)), implementation="gru_lib")


# ------------------------------------------------------------------------------ figures
def test_relative_error_plot_draws_the_errors_with_a_floor():
    fig, ax = plt.subplots()
    x = np.array([-1.0, 0.0, 1.0])
    fplots.relative_errors(
        ax,
        x,
        {"a": [0.0, 1e-8, 1e-3], "b": [0.0, 1e-9, 1e-4]},
        roundoffs={"u": 1e-16},
        floor=1e-18,
        styles={"b": {"ls": "none", "marker": "."}},
    )
    line, dots = ax.get_lines()[:2]
    np.testing.assert_array_equal(line.get_xdata(), x)
    np.testing.assert_array_equal(line.get_ydata(), [np.nan, 1e-8, 1e-3])  # a line leaves a gap at an exact 0
    np.testing.assert_array_equal(dots.get_ydata(), [1e-18, 1e-9, 1e-4])  # dots sit on the floor
    assert ax.get_yscale() == "log"
    assert any(np.all(np.asarray(ln.get_ydata()) == 1e-16) for ln in ax.get_lines()[1:])
    with pytest.raises(ValueError, match="length of x"):
        fplots.relative_errors(ax, x, {"a": [1.0, 2.0]})
    plt.close(fig)


def test_drift_plot_draws_running_maxima_in_units_and_names_exact_curves():
    fig, ax = plt.subplots()
    fplots.drift(ax, {"tb": [2e-16, 0.0, 6e-16, 4e-16], "lib": [0.0, 0.0, 0.0, 0.0]}, units={"tb": 2e-16, "lib": 1.0})
    lines = ax.get_lines()
    assert len(lines) == 1
    np.testing.assert_array_equal(lines[0].get_xdata(), [1, 2, 3, 4])
    np.testing.assert_allclose(lines[0].get_ydata(), [1, 1, 3, 3])
    assert "lib" in ax.get_legend().get_title().get_text()
    with pytest.raises(ValueError, match="units"):
        fplots.drift(ax, {"tb": [1.0]}, units={"other": 1.0})
    plt.close(fig)


def test_running_max():
    np.testing.assert_array_equal(fplots.running_max([1.0, 0.0, 3.0, 2.0]), [1, 1, 3, 3])
    with pytest.raises(ValueError, match=r"\(T,\)"):
        fplots.running_max(np.ones((2, 2)))


def test_relative_error_plot_applies_styles():
    fig, ax = plt.subplots()
    fplots.relative_errors(
        ax, [0.0, 1.0], {"a": [1e-3, 1e-4], "b": [1e-5, 1e-6]}, styles={"b": {"ls": "none", "marker": "."}}
    )
    a, b = ax.get_lines()
    assert a.get_linestyle() == "-" and b.get_linestyle() == "None" and b.get_marker() == "."
    plt.close(fig)


def test_route_styles_colour_per_precision_line_or_dots_per_route():
    looks = fplots.route_styles({("subtraction", "float32"): None, ("sigmoid_pair", "float64"): None})
    assert looks["subtraction, float32"]["color"] == fplots.PRECISION_COLORS["float32"]
    assert looks["subtraction, float32"]["ls"] == "-"
    assert looks["sigmoid_pair, float64"]["ls"] == "none" and looks["sigmoid_pair, float64"]["marker"] == "."
    assert fplots.PRECISION_COLORS["float32"] != fplots.PRECISION_COLORS["float64"]
    with pytest.raises(ValueError, match="route"):
        fplots.route_styles({("by hand", "float32"): None})
    with pytest.raises(ValueError, match=r"\(route, precision\)"):
        fplots.route_styles({"subtraction": None})


def test_drift_panel_names_the_exact_runs_once_and_styles_the_rest():
    fig, ax = plt.subplots()
    runs = {
        ("r", "textbook", "float32"): [1e-7, 2e-7],
        ("r", "textbook", "float64"): [1e-16, 3e-16],
        ("r", "gru_lib", "float32"): [0.0, 0.0],
        ("r", "gru_lib", "float64"): [0.0, 0.0],
    }
    fplots.drift_panel(ax, runs, {"r": [6e-8, 6e-8]}, "r", roundoffs={"float32": 2.0**-24, "float64": 2.0**-53})
    assert ax.get_legend().get_title().get_text() == "exactly 0: gru_lib (float32, float64)"
    lines = {ln.get_label(): ln for ln in ax.get_lines()}
    assert set(lines) == {"textbook, float32", "textbook, float64", "float32 run vs float64 run"}
    assert lines["textbook, float64"].get_linestyle() == "--"
    ax.clear()
    fplots.drift_panel(
        ax, runs, {"r": [6e-8, 6e-8]}, "r", roundoffs={"float32": 2.0**-24, "float64": 2.0**-53}, legend=None
    )
    assert ax.get_legend() is None
    plt.close(fig)


def test_relative_error_plot_thins_dense_lines_and_rasterizes_dots():
    fig, ax = plt.subplots(dpi=100)
    x = np.linspace(-1.0, 1.0, 1801)
    err = np.abs(x) + 1e-3
    dotted = {"dots": {"ls": "none", "marker": "."}}
    fplots.relative_errors(ax, x, {"line": err, "dots": err}, styles=dotted, max_points=600)
    line, dots = ax.get_lines()[:2]
    assert len(line.get_xdata()) <= 600
    assert line.get_xdata()[0] == x[0] and line.get_xdata()[-1] == x[-1]  # the ends are kept
    np.testing.assert_array_equal(line.get_ydata(), err[np.isin(x, line.get_xdata())])  # thinned, not resampled
    np.testing.assert_array_equal(dots.get_xdata(), line.get_xdata())
    assert dots.get_rasterized() and not line.get_rasterized()
    assert fig.get_dpi() >= fplots.DOTS_DPI
    with pytest.raises(ValueError, match="max_points"):
        fplots.relative_errors(ax, x, {"line": err}, max_points=1)
    plt.close(fig)


def test_relative_error_figure_stays_small_as_svg():
    fig, ax = plt.subplots(figsize=(6.8, 4.2))
    x = np.linspace(-45, 45, 1801)
    labelled, looks = {}, {}
    for name, dt in {"float32": np.float32, "float64": np.float64}.items():
        sub, direct = relative_errors(x, dt)
        labelled[f"subtraction, {name}"], labelled[f"sigmoid_pair, {name}"] = sub, direct
    looks = fplots.route_styles({tuple(k.split(", ")): None for k in labelled})
    fplots.relative_errors(ax, x, labelled, roundoffs={"u": 2.0**-24}, styles=looks)
    buf = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none"}):  # as gru_book.style sets it: text stays text
        fig.savefig(buf, format="svg", dpi=fig.dpi, bbox_inches="tight")  # as IPython's inline backend
    plt.close(fig)
    svg = buf.getvalue()
    assert len(svg.encode()) < 60_000, len(svg.encode())  # was 448 KB with 3,600 vector dots
    assert 1 <= svg.count("<image") <= 2  # the two dot series, as bitmaps
    assert "relative error" in svg and svg.count("<path") >= 4  # labels as text, lines as vectors
