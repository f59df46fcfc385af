"""gru_book.plots.frameworks: the reset-placement figure draws exactly the data it is given."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pytest

from gru_book.plots.frameworks import reset_placement_fit


def test_curves_are_the_data():
    grid = np.linspace(-4, 4, 9)
    target, fit, same = np.sin(grid), np.cos(grid), np.full(9, -0.5)
    fig, ax = plt.subplots()
    try:
        reset_placement_fit(ax, grid, target, fit, same)
        lines = ax.get_lines()
        for line, want in zip(lines[:3], (target, fit, same), strict=True):
            np.testing.assert_array_equal(line.get_xdata(), grid)
            np.testing.assert_array_equal(line.get_ydata(), want)
        assert ax.get_legend() is not None and len(ax.get_legend().get_texts()) == 3
    finally:
        plt.close(fig)


def test_bad_input():
    fig, ax = plt.subplots()
    try:
        with pytest.raises(ValueError, match=r"best_before must have shape \(5\)"):
            reset_placement_fit(ax, np.arange(5.0), np.zeros(5), np.zeros(4), np.zeros(5))
        with pytest.raises(TypeError, match="matplotlib Axes; got Figure"):
            reset_placement_fit(fig, np.arange(5.0), np.zeros(5), np.zeros(5), np.zeros(5))
    finally:
        plt.close(fig)


def test_curves_in_the_book_style_and_fonts():
    from gru_book import style

    with matplotlib.rc_context(style.RC):
        fig, ax = plt.subplots()
        reset_placement_fit(ax, np.arange(3.0), np.zeros(3), np.ones(3), np.full(3, 2.0))
        fig.canvas.draw()
    try:
        target, fit, same = ax.get_lines()[:3]
        assert target.get_linestyle() == "-" and fit.get_linestyle() == "--" and same.get_linestyle() == ":"
        assert same.get_color() == style.NEUTRAL.color
        assert len({target.get_color(), fit.get_color(), same.get_color()}) == 3
        assert style.KEEP.color not in (target.get_color(), fit.get_color())  # not a convention's colour
        texts = [t for t in fig.findobj(matplotlib.text.Text) if t.get_text()]
        assert len(texts) > 4 and min(t.get_fontsize() for t in texts) >= style.FONT_SIZE
    finally:
        plt.close(fig)
