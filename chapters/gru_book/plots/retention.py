"""Figures for the retention chapter: draw once into a given figure, then update the artists' data.

Each demo has a ``draw_*`` function that lays out a figure once (fixed axis limits, a legend and a
text read-out in a panel to the right, no automatic layout) and returns a small dataclass holding
its artists, and an ``update_*`` function that recomputes the model with gru_lib and changes only
the data of those artists (``set_ydata``, ``set_text``). The static part of the figure never
changes after drawing, so a widget can cache it and redraw only ``plot.dynamic`` (see
:mod:`gru_book.widgets`), and an animation can call the same update per frame
(see :mod:`gru_book.animations`). Nothing here uses pyplot: the caller passes a
``matplotlib.figure.Figure``.
"""
from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.text import Text

from gru_book import style
from gru_book.retention import (
    constant_gate_trajectory,
    half_life,
    half_life_from_logit,
    memory_steps,
    run_pulse,
    run_pulse_pair,
)
from gru_lib import _checks
from gru_lib.convert import other_convention
from gru_lib.gates import UPDATE_CONVENTIONS, sigmoid_pair

_PANEL_X = 0.70  # the legend and the read-out sit right of this figure fraction
_AXES_BOX = dict(left=0.11, right=0.67, bottom=0.17, top=0.95)


def format_steps(t: float) -> str:
    """A half-life for a read-out: ``'∞'``, ``'3.6e+21'`` or ``'2.41'``."""
    if np.isinf(t):
        return "∞"
    return f"{t:.2g}" if t >= 1e4 else f"{t:.2f}"


def _check_figure(fig: Any) -> Figure:
    if not isinstance(fig, Figure):
        raise TypeError(f"fig must be a matplotlib.figure.Figure; got {type(fig).__name__}")
    if fig.axes:
        raise ValueError(f"fig must be empty (the plot lays out its own axes); it already has {len(fig.axes)} axes")
    return fig


def _check_bool(name: str, value: Any) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be a bool; got {value!r} ({type(value).__name__})")
    return bool(value)


def _panel(fig: Figure, handles: list[Artist], labels: list[str]) -> Text:
    """Legend at the top right of the figure, a static column of ``labels`` under it and an empty
    column of values (the returned text; one line per label) right-aligned beside them.

    Only the short values change on an update, which keeps redrawing cheap.
    """
    fig.legend(handles=handles, loc="upper left", bbox_to_anchor=(_PANEL_X, 0.97), frameon=False,
               handlelength=1.6, handletextpad=0.5, borderaxespad=0.0)
    fig.text(_PANEL_X + 0.01, 0.55, "\n".join(labels), ha="left", va="top", linespacing=1.4)
    return fig.text(0.985, 0.55, "", ha="right", va="top", linespacing=1.4)


# ------------------------------------------------------------------ demo 1: constant gate
@dataclasses.dataclass
class ConstantGatePlot:
    """Artists of the constant-gate figure. ``steps`` + 1 points per curve, from ``h0``."""

    ax: Axes
    keep: Line2D
    admit: Line2D
    candidate: Line2D
    readout: Text
    steps: int
    h0: float

    @property
    def dynamic(self) -> list[Artist]:
        """The artists an update changes (everything else is static)."""
        return [self.candidate, self.keep, self.admit, self.readout]


def draw_constant_gate(fig: Figure, *, z: float, candidate: float, h0: float = 1.0,
                       steps: int = 20) -> ConstantGatePlot:
    """Draw h_t, t = 0 … ``steps``, for a constant gate ``z`` and candidate in both conventions."""
    fig = _check_figure(fig)
    steps = _checks.positive_int("steps", steps)
    h0 = float(_checks.real_array("h0", h0))
    fig.subplots_adjust(**_AXES_BOX)
    ax = fig.add_subplot()
    t = np.arange(steps + 1)
    keep, = ax.plot(t, np.zeros(steps + 1), ms=3, lw=1.5, label="keep", **style.line("keep"))
    admit, = ax.plot(t, np.zeros(steps + 1), ms=3, lw=1.5, label="admit", **style.line("admit"))
    cand = ax.axhline(0.0, lw=1, label="candidate h̃", **style.NEUTRAL.kwargs(markers=False))
    ax.set_xlim(-0.5, steps + 0.5)
    ax.set_ylim(-1.1, 1.1)
    ax.set_xlabel("step t")
    ax.set_ylabel("state $h_t$")
    readout = _panel(fig, [keep, admit, cand], ["z", "candidate h̃", "t½ keep", "t½ admit"])
    plot = ConstantGatePlot(ax=ax, keep=keep, admit=admit, candidate=cand, readout=readout, steps=steps, h0=h0)
    update_constant_gate(plot, z=z, candidate=candidate)
    return plot


def update_constant_gate(plot: ConstantGatePlot, *, z: float, candidate: float) -> dict[str, Any]:
    """Recompute both trajectories and half-lives for ``z`` ∈ [0, 1]; return them as a dict."""
    keep = constant_gate_trajectory(z, candidate, h0=plot.h0, steps=plot.steps, update="keep")
    admit = constant_gate_trajectory(z, candidate, h0=plot.h0, steps=plot.steps, update="admit")
    z = float(z)
    t_keep, t_admit = half_life(z), half_life(1.0 - z)
    plot.keep.set_ydata(keep)
    plot.admit.set_ydata(admit)
    plot.candidate.set_ydata([candidate, candidate])
    plot.readout.set_text(f"{z:.2f}\n{float(candidate):+.2f}\n{format_steps(t_keep)}\n{format_steps(t_admit)}")
    return {"keep": keep, "admit": admit, "half_life_keep": t_keep, "half_life_admit": t_admit}


# ------------------------------------------------------------------ demo 2: gate from weights
@dataclasses.dataclass
class PulsePlot:
    """Artists of the gate-from-weights figure: h_t (top) and z_t (bottom), each with its twin."""

    ax_h: Axes
    ax_z: Axes
    h: Line2D
    h_twin: Line2D
    z: Line2D
    z_twin: Line2D
    readout: Text
    steps: int
    at: int

    @property
    def dynamic(self) -> list[Artist]:
        """The artists an update changes."""
        return [self.h, self.h_twin, self.z, self.z_twin, self.readout]


def draw_pulse(fig: Figure, *, b_z: float, w_z: float, update: str, noise: float = 0.0,
               steps: int = 30, at: int = 2) -> PulsePlot:
    """Draw the pulse run (h_t and z_t) and its twin: the other convention with −b_z, −w_z."""
    fig = _check_figure(fig)
    steps = _checks.positive_int("steps", steps)
    fig.subplots_adjust(hspace=0.12, **_AXES_BOX)
    ax_h, ax_z = fig.subplots(2, 1, sharex=True)
    t = np.arange(steps)
    h, = ax_h.plot(t, np.zeros(steps), lw=2, label="chosen")
    h_twin, = ax_h.plot(t, np.zeros(steps), ls="none", ms=5, mfc="none", label="twin")
    z, = ax_z.plot(t, np.zeros(steps), lw=2, label="z_t")
    z_twin, = ax_z.plot(t, np.zeros(steps), ls="none", ms=5, mfc="none", label="twin's z_t")
    _set_style((h, z), (h_twin, z_twin), update)
    for ax in (ax_h, ax_z):
        ax.axvline(at, color="0.6", lw=6, alpha=0.3, zorder=0)
        ax.set_xlim(-0.5, steps - 0.5)
    ax_h.set_ylim(-1.1, 1.1)
    ax_z.set_ylim(-0.05, 1.05)
    ax_h.set_ylabel("$h_t$")
    ax_z.set_ylabel("$z_t$")
    ax_z.set_xlabel(f"step t (input pulse at t = {at})")
    ax_h.tick_params(labelbottom=False)
    readout = _panel(fig, [h, h_twin], ["b_z", "kept share k", "t½ (steps)", "above half", "max |Δh| twin"])
    plot = PulsePlot(ax_h=ax_h, ax_z=ax_z, h=h, h_twin=h_twin, z=z, z_twin=z_twin, readout=readout,
                     steps=steps, at=at)
    update_pulse(plot, b_z=b_z, w_z=w_z, update=update, noise=noise)
    return plot


def _set_style(lines: tuple[Line2D, Line2D], twins: tuple[Line2D, Line2D], update: str) -> None:
    """The chosen convention's ``lines`` in its book style; the ``twins`` as hollow markers of the other's.

    The legend is drawn once (static), so it shows the styles of the convention the figure was drawn with.
    """
    update = _checks.choice("update", update, UPDATE_CONVENTIONS)
    mine, other = style.STYLES[update], style.STYLES[other_convention(update)]
    for line in lines:
        line.set_color(mine.color)
        line.set_linestyle(mine.linestyle)
    for line in twins:
        line.set_color(other.color)
        line.set_marker(other.marker)


def update_pulse(plot: PulsePlot, *, b_z: float, w_z: float, update: str, noise: float = 0.0) -> dict[str, Any]:
    """Run the pulse model (:func:`gru_book.retention.run_pulse`) and its twin; update the artists.

    Returns the two traces' ``h`` and ``z`` (shape (steps,)), the kept share and half-life after
    the pulse (input 0, so the gate's pre-activation is b_z), and the steps above half.
    """
    update = _checks.choice("update", update, UPDATE_CONVENTIONS)
    b_z = float(_checks.real_array("b_z", b_z))
    w_z = float(_checks.real_array("w_z", w_z))
    other = other_convention(update)
    main = run_pulse(b_z, w_z, update=update, steps=plot.steps, at=plot.at, noise=noise)
    twin = run_pulse(-b_z, -w_z, update=other, steps=plot.steps, at=plot.at, noise=noise)
    h, h_twin = main.h[:, 0, 0], twin.h[:, 0, 0]
    z, z_twin = main.z[:, 0, 0], twin.z[:, 0, 0]
    logit_kept = b_z if update == "keep" else -b_z  # kept share k = σ(±b_z) when the input is 0
    kept = float(sigmoid_pair(logit_kept)[0])
    t_half = half_life_from_logit(logit_kept)
    held = memory_steps(h, at=plot.at)
    diff = float(np.max(np.abs(h - h_twin)))
    _set_style((plot.h, plot.z), (plot.h_twin, plot.z_twin), update)
    plot.h.set_ydata(h)
    plot.h_twin.set_ydata(h_twin)
    plot.z.set_ydata(z)
    plot.z_twin.set_ydata(z_twin)
    plot.readout.set_text(f"{b_z:+.2f}\n{kept:.3f}\n{format_steps(t_half)}\n{held}\n{diff:.2g}")
    return {"h": h, "h_twin": h_twin, "z": z, "z_twin": z_twin, "kept": kept, "half_life": t_half,
            "memory_steps": held, "max_diff": diff}


# ------------------------------------------------------------------ demo 3: two conventions
@dataclasses.dataclass
class TwoConventionsPlot:
    """Artists of the same-weights figure: keep and admit trajectories on one axes."""

    ax: Axes
    keep: Line2D
    admit: Line2D
    readout: Text
    steps: int
    at: int

    @property
    def dynamic(self) -> list[Artist]:
        """The artists an update changes."""
        return [self.keep, self.admit, self.readout]


def draw_two_conventions(fig: Figure, *, b_z: float, w_z: float, converted: bool, noise: float = 0.0,
                         steps: int = 30, at: int = 2) -> TwoConventionsPlot:
    """Draw the keep run with θ and the admit run with θ (``converted=False``) or φ(θ)."""
    fig = _check_figure(fig)
    steps = _checks.positive_int("steps", steps)
    fig.subplots_adjust(**_AXES_BOX)
    ax = fig.add_subplot()
    t = np.arange(steps)
    keep, = ax.plot(t, np.zeros(steps), lw=2.5, label="keep, θ", **style.line("keep", markers=False))
    admit, = ax.plot(t, np.zeros(steps), ms=4, mfc="none", lw=1.2, label="admit", **style.line("admit"))
    ax.axvline(at, color="0.6", lw=6, alpha=0.3, zorder=0)
    ax.set_xlim(-0.5, steps - 0.5)
    ax.set_ylim(-1.1, 1.1)
    ax.set_xlabel(f"step t (input pulse at t = {at})")
    ax.set_ylabel("state $h_t$")
    readout = _panel(fig, [keep, admit], ["b_z", "admit's weights", "max |Δh|"])
    plot = TwoConventionsPlot(ax=ax, keep=keep, admit=admit, readout=readout, steps=steps, at=at)
    update_two_conventions(plot, b_z=b_z, w_z=w_z, converted=converted, noise=noise)
    return plot


def update_two_conventions(plot: TwoConventionsPlot, *, b_z: float, w_z: float, converted: bool,
                           noise: float = 0.0) -> dict[str, Any]:
    """Run both conventions (:func:`gru_book.retention.run_pulse_pair`) and update the artists."""
    converted = _check_bool("converted", converted)
    b_z = float(_checks.real_array("b_z", b_z))
    w_z = float(_checks.real_array("w_z", w_z))
    keep, admit = run_pulse_pair(b_z, w_z, converted=converted, steps=plot.steps, at=plot.at, noise=noise)
    hk, ha = keep.h[:, 0, 0], admit.h[:, 0, 0]
    diff = float(np.max(np.abs(hk - ha)))
    plot.keep.set_ydata(hk)
    plot.admit.set_ydata(ha)
    plot.readout.set_text(f"{b_z:+.2f}\n{'φ(θ)' if converted else 'θ'}\n{diff:.2g}")
    return {"keep": hk, "admit": ha, "max_diff": diff}
