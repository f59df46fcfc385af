"""gru_book.plots.frameworks: the reset-placement figure draws exactly the data it is given."""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from gru_book.plots.frameworks import reset_placement_fit  # noqa: E402


def test_curves_are_the_data():
    grid = np.linspace(-4, 4, 9)
    target, fit, same = np.sin(grid), np.cos(grid), np.full(9, -0.5)
    fig, ax = plt.subplots()
    try:
        reset_placement_fit(ax, grid, target, fit, same)
        lines = ax.get_lines()
        for line, want in zip(lines[:3], (target, fit, same)):
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
