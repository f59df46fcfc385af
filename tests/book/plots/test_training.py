"""gru_book.plots.training: the figures draw exactly the data they are given."""

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from gru_book import style
from gru_book.plots import training as tplots


@pytest.fixture
def ax():
    fig, ax = plt.subplots()
    yield ax
    plt.close(fig)


def test_loss_curves_one_line_per_run_against_the_step(ax):
    curves = {"keep": [0.7, 0.5, 0.2], "admit": [0.7, 0.6, 0.6]}
    out = tplots.loss_curves(ax, curves, styles={"admit": {"ls": "--"}})
    assert out is ax
    lines = ax.get_lines()
    assert [ln.get_label() for ln in lines] == ["keep", "admit"]
    for ln, values in zip(lines, curves.values(), strict=True):
        np.testing.assert_array_equal(ln.get_xdata(), [0, 1, 2])
        np.testing.assert_array_equal(ln.get_ydata(), values)
    assert lines[1].get_linestyle() == "--"


def test_flip_distance_uses_symlog_so_zeros_are_drawn(ax):
    tplots.flip_distance(ax, {"pair": np.zeros(4), "subtract": [0.0, 1e-17, 3e-16, 2e-15]}, linthresh=1e-18)
    assert ax.get_yscale() == "symlog"
    lines = ax.get_lines()
    np.testing.assert_array_equal(lines[0].get_ydata(), np.zeros(4))
    np.testing.assert_array_equal(lines[1].get_ydata(), [0.0, 1e-17, 3e-16, 2e-15])


def test_bad_input(ax):
    with pytest.raises(TypeError, match="Axes"):
        tplots.loss_curves(None, {"a": [1.0]})
    with pytest.raises(TypeError, match="mapping"):
        tplots.loss_curves(ax, [1.0, 2.0])
    with pytest.raises(ValueError, match=r"\(steps,\)"):
        tplots.loss_curves(ax, {"a": np.ones((2, 2))})
    with pytest.raises(ValueError, match="distances"):
        tplots.flip_distance(ax, {"a": [-1.0, 0.0]})
    with pytest.raises(ValueError, match="linthresh"):
        tplots.flip_distance(ax, {"a": [0.0]}, linthresh=0)


def test_mirrored_losses_use_the_convention_styles(ax):
    pairs = {"SGD": ([0.7, 0.5], [0.7, 0.5]), "Adam": ([0.7, 0.1], [0.7, 0.1])}
    tplots.mirrored_losses(ax, pairs)
    lines = {ln.get_label(): ln for ln in ax.get_lines()}
    assert lines["SGD, keep"].get_color() == style.KEEP.color and lines["SGD, keep"].get_linestyle() == "-"
    assert lines["SGD, admit"].get_color() == style.ADMIT.color and lines["SGD, admit"].get_linestyle() == "--"
    assert lines["SGD, keep"].get_marker() in ("None", None, "")  # the first optimizer: no markers
    assert lines["Adam, keep"].get_marker() == "o" and lines["Adam, admit"].get_marker() == "s"
    np.testing.assert_array_equal(lines["Adam, admit"].get_ydata(), [0.7, 0.1])
    with pytest.raises(ValueError, match="pair"):
        tplots.mirrored_losses(ax, {"SGD": [0.7, 0.5]})


def test_symlog_ticks_are_few_and_start_at_zero(ax):
    tplots.flip_distance(ax, {"a": [0.0, 1e-15, 3.0]}, linthresh=1e-17)
    ticks = list(ax.get_yticks())
    assert ticks[0] == 0.0 and 2 <= len(ticks) <= 7 and max(ticks) >= 3.0


def test_init_styles_baseline_grey_and_conventions_in_their_style():
    looks = tplots.init_styles(["keep, b_z = 0", "keep, b_z = +2", "admit, b_z = +2"])
    assert looks["keep, b_z = 0"]["color"] == style.NEUTRAL.color
    assert looks["keep, b_z = +2"]["color"] == style.KEEP.color
    assert looks["admit, b_z = +2"]["linestyle"] == "--"
    with pytest.raises(ValueError, match="keep"):
        tplots.init_styles(["mine"])


def test_no_font_below_the_book_minimum():
    with matplotlib.rc_context(style.RC):
        fig, (ax1, ax2) = plt.subplots(2, 1)
        tplots.flip_distance(ax1, {"SGD, pair": [0.0, 1e-15]}, styles=tplots.distance_styles(["SGD"]))
        tplots.mirrored_losses(ax2, {"SGD": ([0.7, 0.5], [0.7, 0.5])})
        fig.canvas.draw()
    texts = [t for t in fig.findobj(matplotlib.text.Text) if t.get_text()]
    plt.close(fig)
    assert len(texts) > 6 and min(t.get_fontsize() for t in texts) >= style.FONT_SIZE
