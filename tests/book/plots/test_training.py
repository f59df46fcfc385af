"""gru_book.plots.training: the figures draw exactly the data they are given."""
import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from gru_book.plots import training as tplots  # noqa: E402


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
    for ln, values in zip(lines, curves.values()):
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
