"""gru_book.plots.ema and gru_book.plots.gradients: the figures draw exactly the data they are given."""

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from gru_book import style
from gru_book.plots.ema import chrono_half_lives, two_readings
from gru_book.plots.gradients import leak_products


@pytest.fixture
def ax():
    fig, ax = plt.subplots()
    yield ax
    plt.close(fig)


def test_two_readings_draw_data_keep_and_admit(ax):
    data, keep, admit = [1.0, 0.0, 2.0], [0.1, 0.09, 0.281], [0.1, 0.09, 0.28]
    assert two_readings(ax, data, keep, admit, beta=0.9, alpha=0.1) is ax
    lines = ax.get_lines()
    np.testing.assert_array_equal(lines[0].get_ydata(), data)
    np.testing.assert_array_equal(lines[1].get_ydata(), keep)
    np.testing.assert_array_equal(lines[2].get_ydata(), admit)
    np.testing.assert_array_equal(lines[1].get_xdata(), [1, 2, 3])
    assert lines[1].get_color() == style.KEEP.color and lines[1].get_linestyle() == "-"
    assert lines[2].get_color() == style.ADMIT.color and lines[2].get_linestyle() == "--"
    assert "β = 0.9" in lines[1].get_label() and "α = 0.1" in lines[2].get_label()


def test_chrono_half_lives_log_axis_and_styles(ax):
    T = [2.0, 10.0]
    chrono_half_lives(ax, T, {"keep": [1.0, 6.6], "copied": [1.0, 0.3]}, styles={"keep": {"ls": "-"}, "copied": {}})
    assert ax.get_yscale() == "log"
    np.testing.assert_array_equal(ax.get_lines()[1].get_ydata(), [1.0, 0.3])


def test_leak_products_pairs_keep_and_admit(ax):
    keep = {0.0: [0.5, 0.25], 2.0: [0.9, 0.8]}
    admit = {0.0: [0.5, 0.25], 2.0: [0.9, 0.8]}
    leak_products(ax, keep, admit)
    lines = ax.get_lines()
    assert len(lines) == 4 and ax.get_yscale() == "log"
    assert [ln.get_color() for ln in lines] == [style.KEEP.color, style.ADMIT.color] * 2
    np.testing.assert_array_equal(lines[3].get_ydata(), [0.9, 0.8])
    assert {t.get_text() for t in ax.texts} == {"$b = 0$", "$b = 2$"}


def test_bad_input(ax):
    with pytest.raises(TypeError, match="Axes"):
        two_readings(None, [1.0], [1.0], [1.0], beta=0.9, alpha=0.1)
    with pytest.raises(ValueError, match="keep"):
        two_readings(ax, [1.0, 2.0], [1.0], [1.0, 2.0], beta=0.9, alpha=0.1)
    with pytest.raises(ValueError, match="styles"):
        chrono_half_lives(ax, [2.0], {"a": [1.0]}, styles={})
    with pytest.raises(ValueError, match="shape"):
        chrono_half_lives(ax, [2.0, 3.0], {"a": [1.0]}, styles={"a": {}})
    with pytest.raises(ValueError, match="same biases"):
        leak_products(ax, {0.0: [0.5]}, {1.0: [0.5]})
    with pytest.raises(ValueError, match="positive"):
        leak_products(ax, {0.0: [0.0]}, {0.0: [0.5]})


def test_no_font_below_the_book_minimum():
    with matplotlib.rc_context(style.RC):
        fig, (a1, a2) = plt.subplots(2, 1)
        two_readings(a1, [1.0, 0.0], [0.1, 0.09], [0.1, 0.09], beta=0.9, alpha=0.1)
        leak_products(a2, {1.0: [0.7, 0.5]}, {1.0: [0.7, 0.5]})
        fig.canvas.draw()
    texts = [t for t in fig.findobj(matplotlib.text.Text) if t.get_text()]
    plt.close(fig)
    assert len(texts) > 6 and min(t.get_fontsize() for t in texts) >= style.FONT_SIZE
