"""Tests for gru_book.plots.anatomy: the figures hold the traces' numbers and the labels they promise."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure

from gru_book import style
from gru_book.plots import anatomy
from gru_book.retention import memory_steps, run_pulse
from gru_lib import GRUParams, run


def arrows(ax) -> list:
    """The arrows (annotations with an arrow patch) drawn on ``ax``."""
    return [t for t in ax.texts if getattr(t, "arrow_patch", None) is not None]


@pytest.fixture
def fig():
    f = Figure(figsize=(8, 5), dpi=80)
    yield f
    plt.close(f)


@pytest.fixture
def runs():
    theta = GRUParams.random(input_size=3, hidden_size=4, seed=0, scale=1.0)
    xs = np.random.default_rng(1).normal(size=(6, 2, 3))
    keep = run(theta, xs, update="keep", reset="before")
    admit = run(theta, xs, update="admit", reset="before")
    return keep, admit


def _texts(ax) -> str:
    return " ".join(t.get_text() for t in ax.texts)


# ------------------------------------------------------------------ data_flow
@pytest.mark.parametrize("update", ["keep", "admit"])
@pytest.mark.parametrize("reset", ["before", "after"])
def test_data_flow_draws_every_node_and_arrow(fig, update, reset):
    ax = anatomy.data_flow(fig, update=update, reset=reset)
    text = _texts(ax)
    for symbol in ["x_t", "h_{t-1}", "z_t", "r_t", r"\tilde h_t", "h_t", "update gate", "reset gate", "candidate"]:
        assert symbol in text, symbol
    assert len(arrows(ax)) == 11
    assert update in ax.get_title() and reset in ax.get_title()


def test_data_flow_shows_the_mixing_rule_of_its_convention(fig):
    keep_text = _texts(anatomy.data_flow(fig, update="keep"))
    other = Figure()
    admit_text = _texts(anatomy.data_flow(other, update="admit"))
    # keep: z multiplies the old state; admit: (1 - z) does.
    assert r"z_t \odot h_{t-1}" in keep_text and r"(1 - z_t) \odot h_{t-1}" not in keep_text
    assert r"(1 - z_t) \odot h_{t-1}" in admit_text and r"z_t \odot \tilde h_t" in admit_text


def test_data_flow_reset_placement_changes_the_candidate(fig):
    before = _texts(anatomy.data_flow(fig, reset="before"))
    after = _texts(anatomy.data_flow(Figure(), reset="after"))
    assert r"U_h (r_t \odot h_{t-1})" in before
    assert r"r_t \odot (U_h h_{t-1}" in after


def test_data_flow_labels_shapes_from_params(fig):
    theta = GRUParams.random(input_size=3, hidden_size=5, seed=2)
    text = _texts(anatomy.data_flow(fig, params=theta))
    for field in ["W_z (5, 3)", "U_z (5, 5)", "b_z (5,)", "W_r (5, 3)", "U_h (5, 5)", "(B, 3)", "(B, 5)"]:
        assert field in text, field


@pytest.mark.parametrize("reset", ["before", "after"])
def test_data_flow_fits_the_page_in_the_book_font(reset):
    """At DATA_FLOW_SIZE (≤ MAX_WIDTH) and the book's font size every box lies inside the figure,
    no two boxes overlap, and no text is smaller than style.FONT_SIZE."""
    assert anatomy.DATA_FLOW_SIZE[0] <= style.MAX_WIDTH
    with matplotlib.rc_context(style.RC):
        f = plt.figure(figsize=anatomy.DATA_FLOW_SIZE, dpi=100)
        try:
            theta = GRUParams.random(3, 4, recurrent_biases=reset == "after")
            ax = anatomy.data_flow(f, params=theta, update="admit", reset=reset)
            f.canvas.draw()  # the arrows' box-relative coordinates resolve at draw time
            renderer = f.canvas.get_renderer()
            page = f.bbox
            boxes = [
                t
                for t in ax.texts
                if t.get_bbox_patch() is not None and t.get_text() and not getattr(t, "arrow_patch", None)
            ]
            boxes = [t for t in boxes if t.get_bbox_patch().get_facecolor()[:3] != (1.0, 1.0, 1.0)]
            assert len(boxes) == 7
            extents = [t.get_bbox_patch().get_window_extent(renderer) for t in boxes]
            for t, e in zip(boxes, extents, strict=True):
                assert page.x0 <= e.x0 and e.x1 <= page.x1 and page.y0 <= e.y0 and e.y1 <= page.y1, t.get_text()
            for i, a in enumerate(extents):
                for b in extents[i + 1 :]:
                    assert not a.overlaps(b)
            for t in [*ax.texts, ax.title]:
                assert t.get_fontsize() >= style.FONT_SIZE, t.get_text()
        finally:
            plt.close(f)


def test_data_flow_rejects_bad_input(fig):
    with pytest.raises(ValueError, match="update"):
        anatomy.data_flow(fig, update="type 1")
    with pytest.raises(ValueError, match="reset"):
        anatomy.data_flow(fig, reset="middle")
    with pytest.raises(TypeError, match="Figure"):
        anatomy.data_flow("not a figure")
    with pytest.raises(TypeError, match="GRUParams"):
        anatomy.data_flow(fig, params={"W_z": 1})


# ------------------------------------------------------------------ compare_conventions
def test_compare_conventions_lines_hold_the_traces(fig, runs):
    keep, admit = runs
    ax_h, ax_z = anatomy.compare_conventions(fig, keep, admit, unit=2, batch=1)
    lines_h, lines_z = ax_h.get_lines(), ax_z.get_lines()
    assert len(lines_h) == 2 and len(lines_z) == 2
    for line_h, line_z, trace in zip(lines_h, lines_z, (keep, admit), strict=True):
        np.testing.assert_array_equal(line_h.get_xdata(), np.arange(1, 7))
        np.testing.assert_array_equal(line_h.get_ydata(), trace.h[:, 1, 2])
        np.testing.assert_array_equal(line_z.get_ydata(), trace.z[:, 1, 2])
        assert trace.update in line_h.get_label() and "h_t" in line_h.get_label()
        assert trace.update in line_z.get_label() and "z_t" in line_z.get_label()
    # the two conventions really do give different states for the same weights
    assert np.max(np.abs(lines_h[0].get_ydata() - lines_h[1].get_ydata())) > 1e-3
    assert "step" in ax_z.get_xlabel()


def test_compare_conventions_rejects_swapped_or_mismatched_traces(fig, runs):
    keep, admit = runs
    with pytest.raises(ValueError, match="update='keep'"):
        anatomy.compare_conventions(fig, admit, keep)
    short = run(GRUParams.random(3, 4, seed=0), np.zeros((2, 2, 3)), update="admit", reset="before")
    with pytest.raises(ValueError, match="same shape"):
        anatomy.compare_conventions(fig, keep, short)
    with pytest.raises(ValueError, match="unit"):
        anatomy.compare_conventions(fig, keep, admit, unit=4)
    with pytest.raises(TypeError, match="batch"):
        anatomy.compare_conventions(fig, keep, admit, batch=0.5)
    with pytest.raises(TypeError, match="Trace"):
        anatomy.compare_conventions(fig, keep.h, admit)


# ------------------------------------------------------------------ pulse figures
@matplotlib.rc_context(style.RC)
def test_pulse_and_memory_figures_use_the_book_style():
    """Keep is drawn solid blue with circles and admit dashed orange with squares, as the prose says."""
    fig = Figure()
    ax_pulse, ax_sweep = fig.subplots(2, 1)
    keep, admit = run_pulse(1.0, update="keep", steps=10), run_pulse(1.0, update="admit", steps=10)
    anatomy.pulse_comparison(ax_pulse, keep, admit, at=2, b_z=1.0)
    anatomy.memory_sweep(ax_sweep, [0.0, 1.0], [1, 2], [1, 0])
    for ax in (ax_pulse, ax_sweep):
        for line, look in zip(ax.get_lines()[:2], (style.KEEP, style.ADMIT), strict=True):
            assert line.get_color() == look.color
            assert line.get_linestyle() == look.linestyle
            assert line.get_marker() == look.marker
        assert ax.title.get_fontsize() >= style.FONT_SIZE
        assert ax.get_legend().get_texts()[0].get_fontsize() >= style.FONT_SIZE


def test_pulse_comparison_normalises_each_trace_at_the_pulse(fig):
    ax = fig.subplots()
    keep, admit = run_pulse(1.0, update="keep", steps=20), run_pulse(1.0, update="admit", steps=20)
    anatomy.pulse_comparison(ax, keep, admit, at=2, b_z=1.0)
    lines = ax.get_lines()[:2]
    for line, trace in zip(lines, (keep, admit), strict=True):
        h = np.abs(trace.h[2:, 0, 0])
        np.testing.assert_allclose(line.get_ydata(), h / h[0], rtol=0, atol=0)
        np.testing.assert_array_equal(line.get_xdata(), np.arange(18))
        assert trace.update in line.get_label() and "1" in line.get_label()
    # keep with a positive bias decays more slowly than admit with the same bias
    assert lines[0].get_ydata()[1] > lines[1].get_ydata()[1]


def test_pulse_comparison_rejects_bad_input(fig):
    ax = fig.subplots()
    keep, admit = run_pulse(1.0, update="keep", steps=10), run_pulse(1.0, update="admit", steps=10)
    with pytest.raises(ValueError, match="at"):
        anatomy.pulse_comparison(ax, keep, admit, at=10, b_z=1.0)
    with pytest.raises(ValueError, match="update='admit'"):
        anatomy.pulse_comparison(ax, keep, keep, at=2, b_z=1.0)
    with pytest.raises(ValueError, match="zero at the pulse"):
        anatomy.pulse_comparison(ax, keep, admit, at=0, b_z=1.0)
    with pytest.raises(TypeError, match="Axes"):
        anatomy.pulse_comparison(fig, keep, admit, at=2, b_z=1.0)


def test_memory_sweep_plots_the_given_numbers(fig):
    ax = fig.subplots()
    biases = np.array([-2.0, 0.0, 2.0])
    keep = [memory_steps(run_pulse(b, update="keep", steps=40).h, at=2) for b in biases]
    admit = [memory_steps(run_pulse(b, update="admit", steps=40).h, at=2) for b in biases]
    anatomy.memory_sweep(ax, biases, keep, admit, mark=1.0)
    lines = ax.get_lines()
    np.testing.assert_array_equal(lines[0].get_ydata(), keep)
    np.testing.assert_array_equal(lines[1].get_ydata(), admit)
    np.testing.assert_array_equal(lines[0].get_xdata(), biases)
    assert [line.get_label() for line in lines[:2]] == ["keep", "admit"]
    assert len(lines) == 3  # the marked bias
    assert "bias" in ax.get_xlabel()


def test_memory_sweep_rejects_ragged_input(fig):
    with pytest.raises(ValueError, match="keep_steps"):
        anatomy.memory_sweep(fig.subplots(), [0.0, 1.0], [1], [1, 0])


# ------------------------------------------------------------------ property: any sizes, any unit
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=25, deadline=None)
@given(T=st.integers(1, 6), B=st.integers(1, 3), H=st.integers(1, 4), seed=st.integers(0, 10_000), data=st.data())
def test_compare_conventions_plots_the_chosen_unit_for_any_sizes(T, B, H, seed, data):
    unit, batch = data.draw(st.integers(0, H - 1)), data.draw(st.integers(0, B - 1))
    theta = GRUParams.random(input_size=2, hidden_size=H, seed=seed, scale=1.0)
    xs = np.random.default_rng(seed).normal(size=(T, B, 2))
    keep = run(theta, xs, update="keep", reset="after")
    admit = run(theta, xs, update="admit", reset="after")
    fig = Figure()
    try:
        ax_h, ax_z = anatomy.compare_conventions(fig, keep, admit, unit=unit, batch=batch)
        for line, trace in zip(ax_h.get_lines(), (keep, admit), strict=True):
            np.testing.assert_array_equal(line.get_ydata(), trace.h[:, batch, unit])
        for line, trace in zip(ax_z.get_lines(), (keep, admit), strict=True):
            np.testing.assert_array_equal(line.get_ydata(), trace.z[:, batch, unit])
    finally:
        plt.close(fig)
