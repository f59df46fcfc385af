"""The dated history of the two update conventions, drawn as a timeline (chapter "Why libraries write keep").

:data:`EVENTS` lists dated events: which code or paper first wrote which convention, and when the
cuDNN-compatible reset placement reached the frameworks. Every date and every convention comes
from a source the chapter cites (a commit, an issue or pull request, a paper's arXiv number);
events whose date could not be found (TensorFlow's first ``GRUCell``, PyTorch's first ``nn.GRU``)
are left out. :func:`timeline` draws them: time runs down the middle, admit events on the left
(dashed orange squares), keep events on the right (solid blue circles), and events about the
reset placement and cuDNN on the right in grey diamonds.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from .. import style

__all__ = ["EVENTS", "KINDS", "Event", "events_of", "spread", "timeline"]

#: What an event is about: one of the two update conventions, or the reset placement / cuDNN.
KINDS = ("keep", "admit", "reset")


@dataclasses.dataclass(frozen=True)
class Event:
    """One dated event: ``date`` (year, month, day), ``label`` for the figure, ``kind`` in :data:`KINDS`.

    ``cite`` is the key of the chapter's bibliography entry that dates it.
    """

    date: dt.date
    label: str
    kind: str
    cite: str

    def __post_init__(self) -> None:
        if not isinstance(self.date, dt.date):
            raise TypeError(f"date must be a datetime.date; got {type(self.date).__name__}")
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}; got {self.kind!r}")
        if not isinstance(self.label, str) or not self.label:
            raise ValueError(f"label must be a non-empty string; got {self.label!r}")


def _e(y: int, m: int, d: int, label: str, kind: str, cite: str) -> Event:
    return Event(dt.date(y, m, d), label, kind, cite)


#: The events of the figure. Papers are dated by their arXiv number (year and month only, so the
#: 1st of the month), code by the commit's author date, issues and pull requests by their opening.
EVENTS: tuple[Event, ...] = (
    _e(2014, 6, 1, "Cho et al., 1406.1078", "keep", "cho2014learning"),
    _e(2014, 6, 3, "GroundHog (Cho's code)", "admit", "hist-groundhog-2014"),
    _e(2014, 9, 1, "Bahdanau et al., 1409.0473", "admit", "hist-bahdanau-2014"),
    _e(2014, 10, 24, "Blocks GatedRecurrent", "admit", "hist-blocks-gatedrecurrent-2014"),
    _e(2014, 12, 11, "Chung et al., 1412.3555", "admit", "chung2014empirical"),
    _e(2015, 3, 27, "Keras, first public version", "keep", "hist-keras-initial-2015"),
    _e(2015, 6, 3, "Lasagne GRULayer", "admit", "hist-lasagne-gru-2015"),
    _e(2015, 7, 3, "dl4mt tutorial (Cho's code)", "keep", "hist-dl4mt-2015"),
    _e(2015, 9, 16, "Chainer GRU", "admit", "hist-chainer-gru-2015"),
    _e(2016, 4, 7, "cuDNN 5 RNNs (Appleyard et al.)", "reset", "hist-appleyard-2016"),
    _e(2017, 1, 20, "PyTorch docs: bias inside r ⊙ (·)", "reset", "hist-pytorch-pr-529"),
    _e(2017, 3, 27, "Chainer NStepGRU (cuDNN)", "keep", "hist-chainer-nstepgru-2017"),
    _e(2017, 4, 6, "Sonnet 1 GRU", "admit", "hist-sonnet1-2017"),
    _e(2017, 11, 3, "ONNX GRU operator", "keep", "hist-onnx-gru-2017"),
    _e(2017, 11, 8, "Paddle issue 5493", "admit", "hist-paddle-issue-5493"),
    _e(2018, 1, 9, "ONNX linear_before_reset", "reset", "hist-onnx-pr-397"),
    _e(2018, 2, 18, "Keras reset_after", "reset", "hist-keras-reset-after-2018"),
    _e(2019, 1, 14, "Paddle origin_mode", "admit", "hist-paddle-pr-15161"),
    _e(2019, 5, 9, "Sonnet 2 GRU", "admit", "hist-sonnet2-recurrent"),
    _e(2019, 12, 18, "d2l GRU section", "keep", "hist-d2l-gru"),
    _e(2020, 1, 10, "Flax GRUCell", "keep", "hist-flax-grucell"),
    _e(2020, 1, 22, "Haiku GRU", "admit", "hist-haiku-recurrent"),
)

_MARKERS = {"keep": style.KEEP, "admit": style.ADMIT, "reset": style.NEUTRAL}


def _year(date: dt.date) -> float:
    start = dt.date(date.year, 1, 1)
    return date.year + (date - start).days / 365.25


def spread(positions: Sequence[float], gap: float) -> np.ndarray:
    """Move sorted ``positions`` apart as little as possible so that neighbours are ≥ ``gap`` apart.

    Returns an array of the same length and order; the mean of each run of pushed labels stays
    where it was, so labels stay near their markers. Used to place the timeline's labels.
    """
    y = np.asarray(positions, dtype=float)
    if y.ndim != 1:
        raise ValueError(f"positions must be 1-D; got shape {y.shape}")
    if np.any(np.diff(y) < 0):
        raise ValueError("positions must be sorted in increasing order")
    if not (isinstance(gap, (int, float)) and gap > 0):
        raise ValueError(f"gap must be a positive number; got {gap!r}")
    # Pool adjacent violators: groups of labels that would collide are centred on their mean.
    groups: list[list[float]] = []  # [start position, count, mean of originals]
    for value in y:
        groups.append([value, 1, value])
        while len(groups) > 1 and groups[-2][0] + groups[-2][1] * gap > groups[-1][0]:
            _, n2, m2 = groups.pop()
            _, n1, m1 = groups.pop()
            n, mean = n1 + n2, (m1 * n1 + m2 * n2) / (n1 + n2)
            groups.append([mean - (n - 1) * gap / 2, n, mean])
    out = [start + i * gap for start, count, _ in groups for i in range(int(count))]
    return np.array(out)


def timeline(fig: Figure, events: Sequence[Event] = EVENTS) -> Axes:
    """Draw ``events`` as a vertical timeline into ``fig`` and return the axes.

    Time runs downwards. Admit events sit left of the time line, keep and reset-placement events
    right of it; each has its convention's marker on the line and a label joined to it by a thin
    leader. Labels are spread so that none overlap (at the book's font size, for a figure about
    7 × 7.5 in).
    """
    if not isinstance(fig, Figure):
        raise TypeError(f"fig must be a matplotlib Figure; got {type(fig).__name__}")
    events = sorted(events, key=lambda e: e.date)
    if not events or not all(isinstance(e, Event) for e in events):
        raise ValueError("events must be a non-empty sequence of Event")
    ax = fig.add_axes((0.0, 0.03, 1.0, 0.92))
    years = np.array([_year(e.date) for e in events])
    first, last = int(np.floor(years.min())), float(years.max()) + 0.2
    height_in = fig.get_size_inches()[1] * 0.92
    gap = 0.27 * (last - first) / height_in  # one label line, in years
    ax.set_ylim(last + 0.05, first - 0.05)
    ax.set_xlim(-1, 1)
    ax.set_axis_off()
    ax.axvline(0, color="0.6", lw=1.5, zorder=0)
    for year in range(first, int(last) + 1):
        ax.axhline(year, color="0.85", lw=0.8, zorder=0)
        ax.text(-1, year, str(year), ha="left", va="bottom", color="0.35")
    for side, kinds in ((-1, ("admit",)), (1, ("keep", "reset"))):
        chosen = [(y, e) for y, e in zip(years, events, strict=True) if e.kind in kinds]
        placed = spread([y for y, _ in chosen], gap)
        for (y, event), y_label in zip(chosen, placed, strict=True):
            look = _MARKERS[event.kind]
            marker = look.marker or "D"
            ax.plot(side * 0.022, y, marker=marker, color=look.color, markersize=7, zorder=3, markeredgecolor="white")
            x_label = side * 0.12
            ax.plot(
                [side * 0.022, side * 0.05, x_label * 0.95],
                [y, y_label, y_label],
                color=look.color,
                lw=0.8,
                linestyle=look.linestyle,
                zorder=1,
            )
            ax.text(
                x_label,
                y_label,
                event.label,
                ha="left" if side > 0 else "right",
                va="center",
                color="0.1",
                bbox=dict(facecolor="white", edgecolor="none", pad=0.5),
            )
    handles = [
        ax.plot(
            [], [], linestyle="none", marker=_MARKERS[k].marker or "D", color=_MARKERS[k].color, markersize=7, label=lab
        )[0]
        for k, lab in (("admit", "admit (left)"), ("keep", "keep (right)"), ("reset", "reset placement, cuDNN"))
    ]
    ax.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=3, frameon=False)
    return ax


def events_of(kind: str, events: Sequence[Event] = EVENTS) -> list[Event]:
    """The events of one ``kind`` (see :data:`KINDS`), in date order."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}; got {kind!r}")
    return sorted((e for e in events if e.kind == kind), key=lambda e: e.date)
