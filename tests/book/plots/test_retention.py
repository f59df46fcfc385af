"""Tests for gru_book.plots.retention: the artists hold the model's numbers, updates change data in place."""
from __future__ import annotations

import math

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest
from matplotlib.figure import Figure

from gru_book.plots import retention as rp


def _fig() -> Figure:
    return Figure(figsize=(6.4, 2.9), dpi=72)


def _geometric(k: float, h0: float, c: float, steps: int) -> np.ndarray:
    """h_t = k h_{t-1} + (1 - k) c by hand."""
    out, h = [h0], h0
    for _ in range(steps):
        h = k * h + (1 - k) * c
        out.append(h)
    return np.array(out)


# ------------------------------------------------------------------ demo 1
def test_constant_gate_lines_hold_both_conventions():
    plot = rp.draw_constant_gate(_fig(), z=0.8, candidate=-0.5, steps=10)
    assert np.allclose(plot.keep.get_ydata(), _geometric(0.8, 1.0, -0.5, 10))
    assert np.allclose(plot.admit.get_ydata(), _geometric(0.2, 1.0, -0.5, 10))
    assert list(plot.keep.get_xdata()) == list(range(11))
    assert list(plot.candidate.get_ydata()) == [-0.5, -0.5]


def test_constant_gate_update_changes_the_same_artists():
    fig = _fig()
    plot = rp.draw_constant_gate(fig, z=0.8, candidate=-0.5, steps=10)
    keep_line, n_lines, n_texts = plot.keep, len(plot.ax.lines), len(fig.texts)
    out = rp.update_constant_gate(plot, z=0.5, candidate=0.25)
    assert plot.keep is keep_line and len(plot.ax.lines) == n_lines and len(fig.texts) == n_texts
    assert np.allclose(plot.keep.get_ydata(), _geometric(0.5, 1.0, 0.25, 10))
    assert np.array_equal(plot.keep.get_ydata(), plot.admit.get_ydata())   # z = 1 - z at 0.5
    assert out["half_life_keep"] == 1.0 and out["half_life_admit"] == 1.0


@pytest.mark.parametrize("z, keep_t, admit_t", [(0.0, "0.00", "∞"), (1.0, "∞", "0.00")])
def test_constant_gate_extremes(z, keep_t, admit_t):
    plot = rp.draw_constant_gate(_fig(), z=z, candidate=-0.5, steps=6)
    data = np.concatenate([plot.keep.get_ydata(), plot.admit.get_ydata()])
    assert np.isfinite(data).all()
    lines = plot.readout.get_text().splitlines()
    assert lines[2] == keep_t and lines[3] == admit_t
    held = plot.keep.get_ydata() if z == 1.0 else plot.admit.get_ydata()
    assert np.all(held == 1.0)                 # the convention whose kept share is 1 never moves


def test_readout_shows_half_life():
    plot = rp.draw_constant_gate(_fig(), z=0.9, candidate=0.0)
    assert plot.readout.get_text().splitlines()[2] == f"{math.log(0.5) / math.log(0.9):.2f}"


def test_format_steps():
    assert rp.format_steps(math.inf) == "∞"
    assert rp.format_steps(2.414) == "2.41"
    assert rp.format_steps(3.6e21) == "3.6e+21"


# ------------------------------------------------------------------ demo 2
def test_pulse_plot_twin_coincides_and_z_flips():
    plot = rp.draw_pulse(_fig(), b_z=2.0, w_z=-4.0, update="keep", steps=20)
    h, twin = plot.h.get_ydata(), plot.h_twin.get_ydata()
    assert np.array_equal(h, twin)
    assert np.allclose(plot.z.get_ydata() + plot.z_twin.get_ydata(), 1.0)
    k = 1 / (1 + math.exp(-2.0))
    assert np.allclose(h[4:] / h[3:-1], k)                      # decays by σ(b_z) after the pulse at 2
    assert np.allclose(plot.z.get_ydata()[3:], k)               # gate is σ(b_z) when x = 0
    assert plot.z.get_ydata()[2] == pytest.approx(1 / (1 + math.exp(2.0)))   # σ(w_z + b_z) at the pulse


@pytest.mark.parametrize("b_z", [-50.0, 50.0])
@pytest.mark.parametrize("update", ["keep", "admit"])
def test_pulse_plot_large_bias(b_z, update):
    plot = rp.draw_pulse(_fig(), b_z=b_z, w_z=-4.0, update=update, noise=0.3)
    out = rp.update_pulse(plot, b_z=b_z, w_z=-4.0, update=update, noise=0.3)
    for line in (plot.h, plot.h_twin, plot.z, plot.z_twin):
        assert np.isfinite(line.get_ydata()).all()
    assert out["max_diff"] == 0.0 and np.isfinite(out["half_life"])
    assert "nan" not in plot.readout.get_text()


def test_pulse_plot_convention_switch_changes_memory():
    plot = rp.draw_pulse(_fig(), b_z=3.0, w_z=-4.0, update="keep")
    keep = rp.update_pulse(plot, b_z=3.0, w_z=-4.0, update="keep")
    admit = rp.update_pulse(plot, b_z=3.0, w_z=-4.0, update="admit")
    assert keep["memory_steps"] == math.floor(math.log(0.5) / math.log(1 / (1 + math.exp(-3.0))))
    assert admit["memory_steps"] == 0
    assert np.array_equal(plot.h.get_ydata(), admit["h"])


# ------------------------------------------------------------------ demo 3
def test_two_conventions_checkbox_makes_curves_coincide():
    plot = rp.draw_two_conventions(_fig(), b_z=1.5, w_z=-4.0, converted=False)
    assert np.max(np.abs(plot.keep.get_ydata() - plot.admit.get_ydata())) > 0.5
    assert plot.readout.get_text().splitlines()[1] == "θ"
    out = rp.update_two_conventions(plot, b_z=1.5, w_z=-4.0, converted=True)
    assert np.array_equal(plot.keep.get_ydata(), plot.admit.get_ydata())
    assert out["max_diff"] == 0.0 and plot.readout.get_text().splitlines()[1] == "φ(θ)"


# ------------------------------------------------------------------ bad input
def test_bad_input():
    with pytest.raises(TypeError, match=r"matplotlib\.figure\.Figure"):
        rp.draw_constant_gate("fig", z=0.5, candidate=0.0)
    fig = _fig()
    fig.add_subplot()
    with pytest.raises(ValueError, match="must be empty"):
        rp.draw_pulse(fig, b_z=0.0, w_z=0.0, update="keep")
    with pytest.raises(ValueError, match="'keep', 'admit'"):
        rp.draw_pulse(_fig(), b_z=0.0, w_z=0.0, update="type 1")
    with pytest.raises(TypeError, match="converted must be a bool"):
        rp.draw_two_conventions(_fig(), b_z=0.0, w_z=0.0, converted=1)
    with pytest.raises(ValueError, match=r"z must lie in"):
        rp.draw_constant_gate(_fig(), z=1.5, candidate=0.0)


# ------------------------------------------------------------------ the book's style
def test_conventions_drawn_in_the_book_style():
    from gru_book import style

    plot = rp.draw_constant_gate(_fig(), z=0.8, candidate=-0.5)
    assert (plot.keep.get_color(), plot.keep.get_linestyle(), plot.keep.get_marker()) == (style.KEEP.color, "-", "o")
    admit = (plot.admit.get_color(), plot.admit.get_linestyle(), plot.admit.get_marker())
    assert admit == (style.ADMIT.color, "--", "s")
    pulse = rp.draw_pulse(_fig(), b_z=1.0, w_z=0.0, update="keep")
    assert pulse.h.get_color() == style.KEEP.color and pulse.h_twin.get_color() == style.ADMIT.color
    rp.update_pulse(pulse, b_z=1.0, w_z=0.0, update="admit")   # switching the convention restyles the lines
    assert pulse.h.get_color() == style.ADMIT.color and pulse.h.get_linestyle() == "--"
    assert pulse.z_twin.get_color() == style.KEEP.color and pulse.z_twin.get_marker() == "o"


def test_no_font_below_the_book_minimum():
    from gru_book import style

    with matplotlib.rc_context(style.RC):
        fig = _fig()
        rp.draw_pulse(fig, b_z=1.0, w_z=0.0, update="keep")
    texts = [t for t in fig.findobj(matplotlib.text.Text) if t.get_text()]
    assert len(texts) > 6 and min(t.get_fontsize() for t in texts) >= style.FONT_SIZE
