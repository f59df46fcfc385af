"""Tests for gru_book.plots.history: the timeline's events, their placement and their look."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.figure import Figure

from gru_book import style
from gru_book.plots import history

BIB = Path(__file__).resolve().parents[3] / "chapters" / "references.bib"


def test_every_event_is_cited_in_the_bibliography():
    keys = set(re.findall(r"^@\w+\{([^,]+),", BIB.read_text(encoding="utf-8"), flags=re.M))
    missing = sorted({e.cite for e in history.EVENTS} - keys)
    assert not missing, missing


def test_events_are_dated_in_order_and_cover_both_conventions():
    dates = [e.date for e in history.EVENTS]
    assert dates == sorted(dates)
    assert dates[0] >= dt.date(2014, 1, 1) and dates[-1] < dt.date(2021, 1, 1)
    # The dates the chapter's argument rests on: Keras wrote keep before cuDNN had RNN kernels.
    keras = next(e for e in history.EVENTS if e.label.startswith("Keras, first"))
    cudnn = next(e for e in history.EVENTS if e.label.startswith("cuDNN 5"))
    assert keras.kind == "keep" and keras.date < cudnn.date
    assert {e.kind for e in history.EVENTS} == set(history.KINDS)
    assert [e.label for e in history.events_of("admit")][:2] == ["GroundHog (Cho's code)", "Bahdanau et al., 1409.0473"]


def test_event_rejects_bad_input():
    with pytest.raises(ValueError, match="kind"):
        history.Event(dt.date(2015, 1, 1), "x", "type 1", "k")
    with pytest.raises(TypeError, match="date"):
        history.Event("2015-01-01", "x", "keep", "k")
    with pytest.raises(ValueError, match="label"):
        history.Event(dt.date(2015, 1, 1), "", "keep", "k")
    with pytest.raises(ValueError, match="kind"):
        history.events_of("both")


@settings(max_examples=100, deadline=None)
@given(st.lists(st.floats(-50, 50, allow_nan=False), min_size=1, max_size=30), st.floats(0.01, 5))
def test_spread_keeps_order_and_gap_and_moves_groups_symmetrically(values, gap):
    y = np.sort(np.array(values))
    out = history.spread(y, gap)
    assert out.shape == y.shape
    assert np.all(np.diff(out) >= gap * (1 - 1e-9))
    # pushing apart never moves the whole set: the mean stays put
    assert np.isclose(out.mean(), y.mean(), rtol=0, atol=1e-9 * (1 + np.abs(y).max() + gap * len(y)))


def test_spread_leaves_separated_positions_alone():
    np.testing.assert_array_equal(history.spread([0.0, 1.0, 3.0], 0.5), [0.0, 1.0, 3.0])
    np.testing.assert_allclose(history.spread([1.0, 1.0], 0.5), [0.75, 1.25])


def test_spread_rejects_bad_input():
    with pytest.raises(ValueError, match="sorted"):
        history.spread([1.0, 0.0], 0.1)
    with pytest.raises(ValueError, match="gap"):
        history.spread([0.0], 0.0)
    with pytest.raises(ValueError, match="1-D"):
        history.spread([[0.0]], 0.1)


@matplotlib.rc_context(style.RC)
def test_timeline_marks_each_event_in_its_conventions_style_and_labels_do_not_overlap():
    fig = plt.figure(figsize=(style.MAX_WIDTH, 7), dpi=100)
    try:
        ax = history.timeline(fig)
        markers = [line for line in ax.get_lines() if len(line.get_xdata()) == 1]
        assert len(markers) == len(history.EVENTS)
        looks = {"keep": style.KEEP, "admit": style.ADMIT, "reset": style.NEUTRAL}
        for event in history.EVENTS:
            y = history._year(event.date)
            (line,) = [
                m for m in markers if np.isclose(m.get_ydata()[0], y) and m.get_color() == looks[event.kind].color
            ]
            assert line.get_marker() == (looks[event.kind].marker or "D")
            # admit left of the time line, keep and reset right of it
            assert (line.get_xdata()[0] < 0) == (event.kind == "admit")
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        labels = [t for t in ax.texts if t.get_text() in {e.label for e in history.EVENTS}]
        assert len(labels) == len(history.EVENTS)
        boxes = [t.get_window_extent(renderer) for t in labels]
        for i, a in enumerate(boxes):
            assert fig.bbox.x0 <= a.x0 and a.x1 <= fig.bbox.x1, labels[i].get_text()
            for b in boxes[i + 1 :]:
                assert not a.overlaps(b)
        for t in ax.texts:
            assert t.get_fontsize() >= style.FONT_SIZE
    finally:
        plt.close(fig)


def test_timeline_rejects_bad_input():
    with pytest.raises(TypeError, match="Figure"):
        history.timeline("figure")
    with pytest.raises(ValueError, match="Event"):
        history.timeline(Figure(), events=[])
