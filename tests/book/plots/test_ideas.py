"""Tests for gru_book.plots.ideas: the figures draw the numbers and labels their captions promise."""

from __future__ import annotations

import math

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.figure import Figure

from gru_book import style
from gru_book.plots import ideas
from gru_lib import GRUParams, step


@pytest.fixture
def fig():
    f = Figure(figsize=(7, 3.6))
    yield f
    plt.close(f)


def logistic(u: float) -> float:
    return 1.0 / (1.0 + math.exp(-u))


# ------------------------------------------------------------------ lerp and the branch weights
@settings(max_examples=50, deadline=None)
@given(
    start=st.floats(-10, 10),
    end=st.floats(-10, 10),
    weight=st.floats(0, 1),
)
def test_lerp_is_start_plus_weight_times_the_way_to_end(start, end, weight):
    got = float(ideas.lerp(start, end, weight))
    assert got == pytest.approx(start + weight * (end - start), abs=1e-12)
    # weight 0 is the start, weight 1 the end; the point lies between them
    assert float(ideas.lerp(start, end, 0.0)) == start
    assert float(ideas.lerp(start, end, 1.0)) == pytest.approx(end, abs=1e-12)
    assert min(start, end) - 1e-12 <= got <= max(start, end) + 1e-12


def test_lerp_refuses_mismatched_shapes_and_bad_values():
    with pytest.raises(ValueError, match="weight"):
        ideas.lerp(np.zeros(3), np.ones(3), np.ones(2))
    with pytest.raises(ValueError, match="end"):
        ideas.lerp(np.zeros(3), np.ones((3, 1)), np.ones(3))
    with pytest.raises(TypeError, match="start"):
        ideas.lerp("0", 1.0, 0.5)
    with pytest.raises(ValueError, match="weight"):
        ideas.lerp(0.0, 1.0, float("nan"))


@pytest.mark.parametrize("update", ["keep", "admit"])
@pytest.mark.parametrize("reset", ["before", "after"])
def test_branch_weights_are_what_gru_lib_computes(update, reset):
    """h = w_old * h_prev + w_new * h_tilde with the weights the figure labels, for a real step."""
    theta = GRUParams.random(3, 4, seed=1, scale=1.0, recurrent_biases=reset == "after")
    rng = np.random.default_rng(2)
    x, h_prev = rng.normal(size=(2, 3)), rng.uniform(-1, 1, size=(2, 4))
    h, z, _, h_tilde = step(theta, x, h_prev, update=update, reset=reset)
    w_old, w_new = ideas.branch_weights(update, z)
    np.testing.assert_allclose(h, w_old * h_prev + w_new * h_tilde, rtol=0, atol=1e-15)
    np.testing.assert_allclose(w_old + w_new, 1.0, rtol=0, atol=0)
    # and the labels say the same: z on the branch whose weight is z
    (old_label, _), (new_label, _) = ideas.BRANCH_WEIGHTS[update]
    z_on_old = np.array_equal(w_old, z)
    assert ("1 -" not in old_label) is z_on_old and ("1 -" in new_label) is z_on_old


def test_branch_weights_refuse_unknown_conventions():
    with pytest.raises(ValueError, match="update"):
        ideas.branch_weights("type 1", 0.5)


# ------------------------------------------------------------------ sigmoid_mirror
@pytest.mark.parametrize("a", [1.5, -2.0, 0.3])
def test_sigmoid_mirror_draws_mirror_curves_and_a_bar_of_height_one(fig, a):
    ax, bar = ideas.sigmoid_mirror(fig, a=a)
    pos, neg = ax.get_lines()[:2]
    u = pos.get_xdata()
    np.testing.assert_allclose(pos.get_ydata(), [logistic(v) for v in u], rtol=0, atol=1e-15)
    np.testing.assert_allclose(neg.get_ydata(), [logistic(-v) for v in u], rtol=0, atol=1e-15)
    # mirror images in u = 0: the second curve is the first read backwards (u is symmetric)
    np.testing.assert_allclose(u, -u[::-1], rtol=0, atol=1e-12)
    np.testing.assert_allclose(neg.get_ydata(), pos.get_ydata()[::-1], rtol=0, atol=1e-15)
    assert pos.get_color() == style.KEEP.color and pos.get_linestyle() == style.KEEP.linestyle
    assert neg.get_color() == style.ADMIT.color and neg.get_linestyle() == style.ADMIT.linestyle
    # the crossing is marked at (0, 1/2)
    crossings = [line for line in ax.get_lines() if list(line.get_xdata()) == [0.0]]
    assert [list(line.get_ydata()) for line in crossings] == [[0.5]]
    # the stacked bar: sigma(a) at the bottom, sigma(-a) on top, reaching 1
    low, high = bar.patches
    assert low.get_height() == pytest.approx(logistic(a), abs=1e-15)
    assert high.get_height() == pytest.approx(logistic(-a), abs=1e-15)
    assert high.get_y() == pytest.approx(low.get_height())
    assert high.get_y() + high.get_height() == pytest.approx(1.0, abs=1e-15)
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert labels == ["$-a$", "0", "$a$"]


def test_sigmoid_mirror_rejects_bad_input(fig):
    with pytest.raises(ValueError, match="a must be nonzero"):
        ideas.sigmoid_mirror(fig, a=0.0)
    with pytest.raises(ValueError, match="span"):
        ideas.sigmoid_mirror(fig, a=3.0, span=2.0)
    with pytest.raises(TypeError, match="Figure"):
        ideas.sigmoid_mirror(fig.subplots())
    with pytest.raises(ValueError, match="a"):
        ideas.sigmoid_mirror(fig, a=float("inf"))


# ------------------------------------------------------------------ update_cells
def test_update_cells_put_z_and_one_minus_z_on_opposite_branches(fig):
    keep, admit = ideas.update_cells(fig)
    assert keep.get_title() == "keep" and admit.get_title() == "admit"
    for ax, update in ((keep, "keep"), (admit, "admit")):
        texts = {t.get_text(): t for t in ax.texts if t.get_text()}
        old = next(t for s, t in texts.items() if "old state" in s)
        new = next(t for s, t in texts.items() if "candidate" in s)
        products = [t for s, t in texts.items() if s.startswith(r"$\times$")]
        assert len(products) == 2
        # the product node under each input (same x) carries that branch's weight
        under_old = next(t for t in products if t.get_position()[0] == old.get_position()[0])
        under_new = next(t for t in products if t.get_position()[0] == new.get_position()[0])
        (w_old, _), (w_new, _) = ideas.BRANCH_WEIGHTS[update]
        assert under_old.get_text().endswith(w_old) and under_new.get_text().endswith(w_new)
        arrows = [t for t in ax.texts if getattr(t, "arrow_patch", None) is not None]
        assert len(arrows) == 5
        frame = ax.patches[0]
        look = style.STYLES[update]
        assert matplotlib.colors.same_color(frame.get_edgecolor(), look.color)
        assert frame.get_linestyle() == look.linestyle
    assert "(1 - z_t)" in "".join(t.get_text() for t in keep.texts)


def test_update_cells_rejects_a_non_figure():
    with pytest.raises(TypeError, match="Figure"):
        ideas.update_cells(None)


# ------------------------------------------------------------------ update_segment
@settings(max_examples=25, deadline=None)
@given(h_prev=st.floats(-1, 1), h_tilde=st.floats(-1, 1), z=st.floats(0.01, 0.99))
def test_update_segment_places_both_points_where_the_updates_land(h_prev, h_tilde, z):
    if abs(h_prev - h_tilde) < 1e-3:
        return
    f = Figure()
    try:
        ax = ideas.update_segment(f.subplots(), h_prev, h_tilde, z)
        points = {line.get_label().split(":")[0]: line for line in ax.get_lines() if line.get_label()[:1] in "ka"}
        keep = float(points["keep"].get_xdata()[0])
        admit = float(points["admit"].get_xdata()[0])
        # written out independently of lerp: the two update equations
        assert keep == pytest.approx(z * h_prev + (1 - z) * h_tilde, abs=1e-12)
        assert admit == pytest.approx((1 - z) * h_prev + z * h_tilde, abs=1e-12)
        # keep's point is z of the way back from h_tilde, admit's z of the way from h_prev
        assert abs(keep - h_tilde) == pytest.approx(z * abs(h_prev - h_tilde), abs=1e-12)
        assert abs(admit - h_prev) == pytest.approx(z * abs(h_prev - h_tilde), abs=1e-12)
        assert points["keep"].get_marker() == style.KEEP.marker
        assert points["admit"].get_marker() == style.ADMIT.marker
    finally:
        plt.close(f)


def test_update_segment_rejects_bad_input(fig):
    ax = fig.subplots()
    with pytest.raises(ValueError, match="differ"):
        ideas.update_segment(ax, 0.5, 0.5, 0.3)
    with pytest.raises(ValueError, match="z must lie"):
        ideas.update_segment(ax, 0.5, -0.5, 1.0)
    with pytest.raises(ValueError, match="single number"):
        ideas.update_segment(ax, np.zeros(2), -0.5, 0.3)
    with pytest.raises(TypeError, match="Axes"):
        ideas.update_segment(fig, 0.5, -0.5, 0.3)


@pytest.mark.parametrize("draw", ["mirror", "cells", "segment"])
def test_figures_fit_the_page_in_the_book_font(draw):
    size = {"mirror": ideas.MIRROR_SIZE, "cells": ideas.CELLS_SIZE, "segment": ideas.SEGMENT_SIZE}[draw]
    assert size[0] <= style.MAX_WIDTH
    with matplotlib.rc_context(style.RC):
        f = plt.figure(figsize=size)
        try:
            if draw == "mirror":
                axes = ideas.sigmoid_mirror(f)
            elif draw == "cells":
                axes = ideas.update_cells(f)
            else:
                axes = [ideas.update_segment(f.subplots(), 0.6, -0.5, 0.7)]
            f.canvas.draw()
            for ax in axes:
                for t in [*ax.texts, ax.title, *ax.get_xticklabels(), *ax.get_yticklabels()]:
                    if t.get_text():
                        assert t.get_fontsize() >= style.FONT_SIZE, t.get_text()
                        # mathtext sets a fraction's parts at 0.7 of the font: below the floor
                        assert r"\frac" not in t.get_text() and r"\tfrac" not in t.get_text(), t.get_text()
        finally:
            plt.close(f)


def test_lerp_is_what_torch_lerp_computes():
    """The chapter's reading of torch.lerp(start, end, weight): start + weight * (end - start)."""
    import torch  # a test extra (requirements-test.txt)

    rng = np.random.default_rng(4)
    start, end, weight = rng.uniform(-1, 1, size=(3, 2, 5))
    got = torch.lerp(torch.from_numpy(start), torch.from_numpy(end), torch.from_numpy(weight)).numpy()
    np.testing.assert_allclose(ideas.lerp(start, end, weight), got, rtol=0, atol=1e-15)
    # keep and admit as lerps, against the two update equations written out
    h_prev, h_tilde, z = start, end, weight
    np.testing.assert_allclose(ideas.lerp(h_tilde, h_prev, z), z * h_prev + (1 - z) * h_tilde, rtol=0, atol=1e-15)
    np.testing.assert_allclose(ideas.lerp(h_prev, h_tilde, z), (1 - z) * h_prev + z * h_tilde, rtol=0, atol=1e-15)
