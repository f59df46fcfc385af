"""Figures for the chapters "Anatomy of a GRU", "Two update equations" and "Why libraries write keep".

- :func:`data_flow` draws the data flow through one GRU step (boxes and arrows, labelled with
  gru_lib's field names and, given a parameter set, their shapes).
- :func:`compare_conventions` plots h_t and z_t of two runs, one per update convention.
- :func:`pulse_comparison` and :func:`memory_sweep` show how long a pulse is remembered for a
  given update-gate bias in each convention.

Every function draws into the figure or axes it is given and returns what it drew into; none
calls ``plt.show`` or keeps global state.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from gru_lib import checks
from gru_lib.cell import Trace
from gru_lib.gates import RESET_PLACEMENTS, UPDATE_CONVENTIONS
from gru_lib.params import GRUParams

from .. import style
from . import args

#: The mixing rule of each convention, as shown in the data-flow figure.
MIX_LABEL = {
    "keep": r"$h_t = z_t \odot h_{t-1} + (1 - z_t) \odot \tilde h_t$",
    "admit": r"$h_t = (1 - z_t) \odot h_{t-1} + z_t \odot \tilde h_t$",
}
#: The candidate of each reset placement, as shown in the data-flow figure.
CANDIDATE_LABEL = {
    "before": r"$\tilde h_t = \tanh(W_h x_t + U_h (r_t \odot h_{t-1}) + b_h)$",
    "after": r"$\tilde h_t = \tanh(W_h x_t + b_h + r_t \odot (U_h h_{t-1} + b_h^{\mathrm{rec}}))$",
}
GATE_LABEL = {
    "z": r"$z_t = \sigma(W_z x_t + U_z h_{t-1} + b_z)$",
    "r": r"$r_t = \sigma(W_r x_t + U_r h_{t-1} + b_r)$",
}


def _figure(fig: Any) -> Figure:
    if not isinstance(fig, Figure):
        raise TypeError(f"fig must be a matplotlib Figure; got {type(fig).__name__}")
    return fig


def _trace(name: str, value: Any, update: str) -> Trace:
    if not isinstance(value, Trace):
        raise TypeError(f"{name} must be a gru_lib Trace (the result of gru_lib.run); got {type(value).__name__}")
    if value.update != update:
        raise ValueError(f"{name} must come from a run with update={update!r}; got update={value.update!r}")
    return value


def _index(name: str, value: Any, size: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an integer; got {value!r} ({type(value).__name__})")
    if not 0 <= value < size:
        raise ValueError(f"{name} must lie in [0, {size - 1}]; got {value}")
    return int(value)


# ------------------------------------------------------------------ data flow of one step
#: Fill colours of the boxes: inputs and states grey, the update gate in the keep blue's light tint,
#: the reset gate green, the candidate yellow and the mixing rule in the admit orange's light tint.
BOX_COLORS = {"state": "#ececec", "z": "#d6e6f2", "r": "#d9eedd", "h_tilde": "#fdf1cc", "mix": "#f6dccb"}


def _box(ax: Axes, xy: tuple[float, float], text: str, color: str):
    return ax.text(
        *xy,
        text,
        ha="center",
        va="center",
        multialignment="center",
        bbox=dict(boxstyle="round,pad=0.35", facecolor=color, edgecolor="0.3"),
    )


def _arrow(
    ax: Axes,
    source: Any,
    target: Any,
    start: tuple[float, float],
    end: tuple[float, float],
    *,
    label: str = "",
    corner: bool = False,
) -> None:
    """An arrow from a point of ``source``'s box to a point of ``target``'s box (box fractions).

    ``corner=True`` draws it as two straight legs, first vertical then horizontal; otherwise it
    is straight. A ``label`` sits at the middle of the straight arrow, or of the vertical leg.
    """
    style = "angle,angleA=90,angleB=0,rad=0" if corner else "arc3,rad=0"
    ax.annotate(
        "",
        xy=end,
        xycoords=target,
        xytext=start,
        textcoords=source,
        arrowprops=dict(arrowstyle="-|>", color="0.25", lw=1.2, shrinkA=1, shrinkB=1, connectionstyle=style),
    )
    if label:
        ax.annotate(
            label,
            xy=(0.5, 0.5),
            xycoords=_Midpoint(source, target, start, end, corner),
            color="0.1",
            ha="center",
            va="center",
            bbox=dict(boxstyle="round,pad=0.1", facecolor="white", edgecolor="none"),
        )


class _Midpoint:
    """A callable coordinate system for ``annotate``: a zero-size box at the middle of an arrow.

    For a straight arrow it is the midpoint of its two ends; for a corner arrow, the midpoint of
    its vertical leg.
    """

    def __init__(self, source: Any, target: Any, start: tuple[float, float], end: tuple[float, float], corner: bool):
        self.args = source, target, start, end, corner

    def __call__(self, renderer: Any):
        from matplotlib.transforms import Bbox

        source, target, start, end, corner = self.args
        a, b = source.get_window_extent(renderer), target.get_window_extent(renderer)
        p = (a.x0 + start[0] * a.width, a.y0 + start[1] * a.height)
        q = (b.x0 + end[0] * b.width, b.y0 + end[1] * b.height)
        x = p[0] if corner else (p[0] + q[0]) / 2
        y = (p[1] + q[1]) / 2
        return Bbox.from_extents(x, y, x, y)


#: Centres of the boxes of the data-flow figure, in inches from the lower left of a 7 × 5.6 in
#: axes: the old state top left (its arrows run down the left edge), the input top right (its
#: arrow to the candidate runs down the right edge), the gates side by side below them, the
#: candidate below the reset gate, and the mixing rule below the update gate.
NODES = {
    "h_prev": (0.5, 4.95),
    "x": (6.5, 4.95),
    "z": (1.95, 3.7),
    "r": (5.0, 3.7),
    "h_tilde": (4.45, 2.25),
    "mix": (2.25, 0.6),
    "h": (5.6, 0.6),
}
#: The data-flow figure's size in inches (at most style.MAX_WIDTH wide).
DATA_FLOW_SIZE = (7.0, 5.6)


def data_flow(fig: Figure, *, update: str = "keep", reset: str = "before", params: GRUParams | None = None) -> Axes:
    """Draw the data flow through one GRU step into ``fig`` and return the axes.

    Boxes: the input x_t, the previous state h_{t−1}, the update gate z_t, the reset gate r_t,
    the candidate h̃_t (in the given ``reset`` placement), the mixing rule of the given ``update``
    convention and the new state h_t. Eleven arrows connect them. With ``params`` each box also
    names the gru_lib fields it uses with their shapes, e.g. ``W_z (4, 3)``, and the states
    carry their shapes (B, D) and (B, H). The layout is drawn for a figure of
    :data:`DATA_FLOW_SIZE` inches, with the book's default font size.
    """
    fig = _figure(fig)
    update = checks.choice("update", update, UPDATE_CONVENTIONS)
    reset = checks.choice("reset", reset, RESET_PLACEMENTS)
    if params is not None and not isinstance(params, GRUParams):
        raise TypeError(f"params must be a gru_lib.GRUParams or None; got {type(params).__name__}")

    def fields(gate: str) -> str:
        if params is None:
            return ""
        names = [f"W_{gate}", f"U_{gate}", f"b_{gate}"]
        if gate == "h" and reset == "after":
            names.append("b_h_rec")
        shapes = [
            f"{n} {getattr(params, n).shape if getattr(params, n) is not None else (params.hidden_size,)}"
            for n in names
        ]
        return "\n" + "  ".join(shapes[:2]) + "\n" + "  ".join(shapes[2:])

    def state(label: str, size_attr: str) -> str:
        return label if params is None else f"{label}\n(B, {getattr(params, size_attr)})"

    ax = fig.add_axes((0.0, 0.0, 1.0, 0.94))
    ax.set_xlim(0, DATA_FLOW_SIZE[0])
    ax.set_ylim(0, DATA_FLOW_SIZE[1] * 0.94)
    ax.set_axis_off()
    n, c = NODES, BOX_COLORS
    box = {
        "h_prev": _box(ax, n["h_prev"], state(r"$h_{t-1}$", "hidden_size"), c["state"]),
        "x": _box(ax, n["x"], state(r"$x_t$", "input_size"), c["state"]),
        "z": _box(ax, n["z"], "update gate\n" + GATE_LABEL["z"] + fields("z"), c["z"]),
        "r": _box(ax, n["r"], "reset gate\n" + GATE_LABEL["r"] + fields("r"), c["r"]),
        "h_tilde": _box(
            ax, n["h_tilde"], f"candidate (reset {reset})\n" + CANDIDATE_LABEL[reset] + fields("h"), c["h_tilde"]
        ),
        "mix": _box(ax, n["mix"], f"{update} update\n" + MIX_LABEL[update], c["mix"]),
        "h": _box(ax, n["h"], state(r"$h_t$", "hidden_size"), c["state"]),
    }
    _arrow(ax, box["h_prev"], box["z"], (0.9, 0.0), (0.15, 1.0))
    _arrow(ax, box["h_prev"], box["r"], (1.0, 0.6), (0.3, 1.0))
    _arrow(ax, box["x"], box["z"], (0.0, 0.6), (0.85, 1.0))
    _arrow(ax, box["x"], box["r"], (0.2, 0.0), (0.8, 1.0))
    _arrow(ax, box["x"], box["h_tilde"], (0.8, 0.0), (1.0, 0.5), corner=True)
    _arrow(ax, box["h_prev"], box["h_tilde"], (0.55, 0.0), (0.0, 0.5), corner=True)
    _arrow(ax, box["r"], box["h_tilde"], (0.55, 0.0), (0.65, 1.0), label=r"$r_t$")
    _arrow(ax, box["z"], box["mix"], (0.55, 0.0), (0.45, 1.0), label=r"$z_t$")
    _arrow(ax, box["h_tilde"], box["mix"], (0.2, 0.0), (0.9, 1.0), label=r"$\tilde h_t$")
    _arrow(ax, box["h_prev"], box["mix"], (0.25, 0.0), (0.0, 0.5), label=r"$h_{t-1}$", corner=True)
    _arrow(ax, box["mix"], box["h"], (1.0, 0.5), (0.0, 0.5))
    ax.set_title(f"One GRU step: update={update!r}, reset={reset!r}")
    return ax


# ------------------------------------------------------------------ keep vs admit, same weights
def compare_conventions(
    fig: Figure, trace_keep: Trace, trace_admit: Trace, *, unit: int = 0, batch: int = 0
) -> list[Axes]:
    """Plot one unit's h_t (top) and z_t (bottom) for a keep run and an admit run.

    Both traces must come from ``gru_lib.run`` over the same sequence shape, one with
    ``update="keep"`` and one with ``update="admit"``. The x axis is the step t = 1, …, T.
    Returns the two axes ``[ax_h, ax_z]``.
    """
    fig = _figure(fig)
    keep = _trace("trace_keep", trace_keep, "keep")
    admit = _trace("trace_admit", trace_admit, "admit")
    if keep.h.shape != admit.h.shape:
        raise ValueError(f"both traces must have the same shape (T, B, H); got {keep.h.shape} and {admit.h.shape}")
    T, B, H = keep.h.shape
    if T == 0:
        raise ValueError("the traces are empty (T = 0): there is nothing to plot")
    b = _index("batch", batch, B)
    u = _index("unit", unit, H)
    t = np.arange(1, T + 1)
    ax_h, ax_z = fig.subplots(2, 1, sharex=True)
    for trace in (keep, admit):
        name = trace.update
        ax_h.plot(t, trace.h[:, b, u], **style.line(name), label=f"{name}: $h_t$")
        ax_z.plot(t, trace.z[:, b, u], **style.line(name), label=f"{name}: $z_t$")
    ax_h.set_ylabel(f"$h_t$ (unit {u})")
    ax_z.set_ylabel(f"$z_t$ (unit {u})")
    ax_z.set_xlabel("step t")
    ax_z.set_ylim(0, 1)
    ax_z.set_xticks(t)
    for ax in (ax_h, ax_z):
        ax.legend()
        ax.grid(alpha=0.3)
    return [ax_h, ax_z]


# ------------------------------------------------------------------ what a gate bias means
def pulse_comparison(ax: Axes, trace_keep: Trace, trace_admit: Trace, *, at: int, b_z: float) -> Axes:
    """Plot |h_t| after a pulse at step ``at`` for a keep run and an admit run of one unit.

    Both traces are one-unit runs (shape (T, 1, 1)), typically from
    ``gru_book.retention.run_pulse(b_z, update=...)``. Each curve is normalised by its value at
    the pulse, so a dotted line at 1/2 marks where half of the pulse is left.
    """
    ax = args.axes(ax)
    keep = _trace("trace_keep", trace_keep, "keep")
    admit = _trace("trace_admit", trace_admit, "admit")
    for trace in (keep, admit):
        if trace.h.shape[1:] != (1, 1):
            raise ValueError(f"pulse traces must have one sequence and one unit, shape (T, 1, 1); got {trace.h.shape}")
    T = keep.h.shape[0]
    if admit.h.shape[0] != T:
        raise ValueError(f"both traces must have the same length; got {T} and {admit.h.shape[0]}")
    at = _index("at", at, T)
    b_z = float(checks.real_array("b_z", b_z))
    t = np.arange(T) - at
    for trace in (keep, admit):
        h = np.abs(trace.h[:, 0, 0])
        if h[at] == 0.0:
            raise ValueError(f"the {trace.update} trace is zero at the pulse step {at}; nothing to normalise")
        ax.plot(t[at:], h[at:] / h[at], **style.line(trace.update), label=f"{trace.update}, $b_z$ = {b_z:g}")
    ax.axhline(0.5, color=style.NEUTRAL.color, linestyle=style.NEUTRAL.linestyle, lw=1)
    ax.set_xlabel("steps after the pulse")
    ax.set_ylabel(r"$|h_t| \;/\; |h_{\mathrm{pulse}}|$")
    ax.set_ylim(0, 1.05)
    ax.set_title("What is left of a pulse")
    ax.legend()
    ax.grid(alpha=0.3)
    return ax


def memory_sweep(
    ax: Axes,
    biases: Sequence[float],
    keep_steps: Sequence[int],
    admit_steps: Sequence[int],
    *,
    mark: float | None = None,
) -> Axes:
    """Plot memory (steps a pulse stays above half) against the update-gate bias, one line per convention.

    ``biases``, ``keep_steps`` and ``admit_steps`` are 1-D and of equal length (the steps come from
    ``gru_book.retention.memory_steps``). ``mark`` draws a vertical line at one bias (e.g. 1.0).
    """
    ax = args.axes(ax)
    b = checks.real_array("biases", biases)
    k = checks.real_array("keep_steps", keep_steps)
    a = checks.real_array("admit_steps", admit_steps)
    for name, arr in (("biases", b), ("keep_steps", k), ("admit_steps", a)):
        checks.shape(name, arr, (len(b),), f"(n,) with n={len(b)}, the number of biases")
    ax.plot(b, k, **style.line("keep"), label="keep")
    ax.plot(b, a, **style.line("admit"), label="admit")
    if mark is not None:
        m = float(checks.real_array("mark", mark))
        ax.axvline(m, color=style.NEUTRAL.color, linestyle=style.NEUTRAL.linestyle, lw=1.2, label=f"$b_z$ = {m:g}")
    ax.set_xlabel("update-gate bias $b_z$")
    ax.set_ylabel("steps with half the pulse left")
    ax.set_title("Same bias, opposite memory")
    ax.legend()
    ax.grid(alpha=0.3)
    return ax
