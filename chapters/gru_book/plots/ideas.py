"""Figures for three ideas the argument rests on: the sigmoid's mirror, the two cells side by side,
and the update as a point on a segment.

- :func:`sigmoid_mirror` draws σ(u) and σ(−u) crossing at (0, ½), with a marked pair a and −a and
  the two values σ(a), σ(−a) stacked into one bar of height 1.
- :func:`update_cells` draws the keep and the admit update side by side: the old-state branch and
  the candidate branch, each with the weight (z or 1 − z) it is multiplied by.
- :func:`update_segment` draws one unit's update as a point on the segment from h_{t−1} to h̃, once
  for keep and once for admit, with what z measures on it.

:data:`BRANCH_WEIGHTS` says which weight sits on which branch; the figure's labels and the
chapters' checks both read it. Every function draws into the figure or axes it is given and
returns what it drew into; none calls ``plt.show``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch

from gru_lib import checks
from gru_lib.gates import UPDATE_CONVENTIONS, sigmoid

from .. import style
from . import args

__all__ = [
    "BRANCH_WEIGHTS",
    "CELLS_SIZE",
    "MIRROR_SIZE",
    "SEGMENT_SIZE",
    "branch_weights",
    "lerp",
    "sigmoid_mirror",
    "update_cells",
    "update_segment",
]

#: Figure sizes in inches (width at most style.MAX_WIDTH).
MIRROR_SIZE = (7.0, 3.6)
CELLS_SIZE = (7.0, 3.4)
SEGMENT_SIZE = (7.0, 3.2)

#: The weight on each branch of the update, as (old-state branch, candidate branch): a label for
#: the figure and the function of z it stands for.
BRANCH_WEIGHTS: dict[str, tuple[tuple[str, Callable], tuple[str, Callable]]] = {
    "keep": ((r"$z_t$", lambda z: z), (r"$(1 - z_t)$", lambda z: 1 - z)),
    "admit": ((r"$(1 - z_t)$", lambda z: 1 - z), (r"$z_t$", lambda z: z)),
}


def _figure(fig: Any) -> Figure:
    if not isinstance(fig, Figure):
        raise TypeError(f"fig must be a matplotlib Figure; got {type(fig).__name__}")
    return fig


def branch_weights(update: str, z: Any) -> tuple[np.ndarray, np.ndarray]:
    """The weights (on h_{t−1}, on h̃_t) of the ``update`` convention for gate values ``z`` (any shape)."""
    update = checks.choice("update", update, UPDATE_CONVENTIONS)
    z = checks.real_array("z", z)
    (_, old), (_, new) = BRANCH_WEIGHTS[update]
    return old(z), new(z)


def lerp(start: Any, end: Any, weight: Any) -> np.ndarray:
    """``start + weight * (end - start)``, elementwise, as ``torch.lerp`` documents it.

    The three arguments must have the same shape (nothing is broadcast).
    """
    s, e, w = (checks.real_array(n, v) for n, v in (("start", start), ("end", end), ("weight", weight)))
    for name, arr in (("end", e), ("weight", w)):
        checks.shape(name, arr, s.shape, f"{s.shape}, the shape of start")
    return s + w * (e - s)


# ------------------------------------------------------------------ σ(a) and σ(−a)
def sigmoid_mirror(fig: Figure, *, a: float = 1.5, span: float = 6.0) -> list[Axes]:
    """σ(u) (solid blue) and σ(−u) (dashed orange) for u in [−span, span], and one bar σ(a) + σ(−a).

    Left axes: the two curves, mirror images in the line u = 0, crossing at (0, ½) (marked), with
    the values at u = a marked on both curves (filled circle and square), the same two values at
    u = −a marked hollow, and dotted grey guides at ½ and u = 0. Right axes: a bar of
    height σ(a) (blue, bottom) with σ(−a) (orange, hatched) stacked on it, reaching 1.
    Returns ``[ax_curves, ax_bar]``.
    """
    fig = _figure(fig)
    a, span = checks.real_scalar("a", a), checks.real_scalar("span", span)
    if a == 0.0:
        raise ValueError("a must be nonzero: at a = 0 both values are ½ and the pair is one point")
    if not span > abs(a):
        raise ValueError(f"span must exceed |a| = {abs(a)}, so that the marked pair lies on the plot; got {span}")
    ax, bar = fig.subplots(1, 2, width_ratios=(4, 1))
    u = np.linspace(-span, span, 401)
    ax.plot(u, sigmoid(u), **style.line("keep", markers=False), label=r"$\sigma(u)$")
    ax.plot(u, sigmoid(-u), **style.line("admit", markers=False), label=r"$\sigma(-u)$")
    ax.axhline(0.5, color=style.NEUTRAL.color, linestyle=style.NEUTRAL.linestyle, lw=1)
    ax.axvline(0.0, color=style.NEUTRAL.color, linestyle=style.NEUTRAL.linestyle, lw=1)
    ax.plot([0.0], [0.5], marker="o", color="black", linestyle="none", markersize=6)
    # no \frac: its numerator and denominator would be set at 0.7 of the book's smallest font
    ax.annotate("(0, 1/2)", (0.0, 0.5), xytext=(-72, 8), textcoords="offset points")
    s_pos, s_neg = float(sigmoid(a)), float(sigmoid(-a))
    for x, top, low, fill in ((a, s_pos, s_neg, True), (-a, s_neg, s_pos, False)):
        # at u = a filled markers; at u = -a hollow ones: the same two values, swapped
        ax.plot([x, x], [min(top, low), max(top, low)], color="0.3", lw=1)
        for y, look in ((top, style.KEEP), (low, style.ADMIT)):
            ax.plot(
                [x],
                [y],
                marker=look.marker,
                color=look.color,
                linestyle="none",
                markersize=8,
                markerfacecolor=look.color if fill else "white",
                markeredgewidth=1.8,
            )
    ax.set_xticks([-a, 0.0, a], ["$-a$", "0", "$a$"])
    ax.set_yticks([0, 0.5, 1], ["0", "1/2", "1"])
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlabel("$u$")
    ax.set_title(r"Mirror images in $u = 0$")
    ax.legend(loc="center left", bbox_to_anchor=(0.0, 0.72), frameon=False)
    ax.grid(alpha=0.3)
    bar.bar([0], [s_pos], color=style.KEEP.color, width=0.6, label=rf"$\sigma(a) = {s_pos:.3f}$")
    bar.bar(
        [0],
        [s_neg],
        bottom=[s_pos],
        color="white",
        edgecolor=style.ADMIT.color,
        hatch="//",
        linewidth=1.5,
        width=0.6,
        label=rf"$\sigma(-a) = {s_neg:.3f}$",
    )
    bar.axhline(1.0, color="black", lw=1)
    bar.text(0, s_pos / 2, r"$\sigma(a)$", ha="center", va="center", color="white", rotation=90)
    bar.set_xlim(-0.6, 0.6)
    bar.set_ylim(-0.02, 1.02)
    bar.set_xticks([0], ["at $a$"])
    bar.set_yticks([0, s_pos, 1], ["0", f"{s_pos:.2f}", "1"])
    bar.yaxis.tick_right()
    bar.set_title("sum = 1")
    return [ax, bar]


# ------------------------------------------------------------------ the two cells side by side
def _node(ax: Axes, xy: tuple[float, float], text: str, color: str = "#ececec", shape: str = "round") -> Any:
    return ax.text(
        *xy,
        text,
        ha="center",
        va="center",
        bbox=dict(boxstyle=f"{shape},pad=0.3", facecolor=color, edgecolor="0.3"),
    )


def _link(ax: Axes, source: Any, target: Any, start: tuple[float, float], end: tuple[float, float]) -> None:
    ax.annotate(
        "",
        xy=end,
        xycoords=target,
        xytext=start,
        textcoords=source,
        arrowprops=dict(arrowstyle="-|>", color="0.25", lw=1.2, shrinkA=1, shrinkB=1),
    )


def update_cells(fig: Figure) -> list[Axes]:
    """The keep update (left, solid blue frame) and the admit update (right, dashed orange frame).

    In each panel the old state h_{t−1} (left branch) and the candidate h̃_t (right branch) pass
    through a product node labelled with the weight of :data:`BRANCH_WEIGHTS`, and a sum node
    gives h_t. Returns the two axes, keep first.
    """
    fig = _figure(fig)
    axes = fig.subplots(1, 2)
    for ax, update in zip(axes, ("keep", "admit"), strict=True):
        look = style.STYLES[update]
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        ax.set_axis_off()
        frame = FancyBboxPatch(
            (0.02, 0.02),
            0.96,
            0.86,
            boxstyle="round,pad=0.0,rounding_size=0.04",
            fill=False,
            edgecolor=look.color,
            linestyle=look.linestyle,
            lw=2,
            transform=ax.transAxes,
        )
        ax.add_patch(frame)
        (w_old, _), (w_new, _) = BRANCH_WEIGHTS[update]
        old = _node(ax, (0.25, 0.74), "old state\n" + r"$h_{t-1}$")
        new = _node(ax, (0.75, 0.74), "candidate\n" + r"$\tilde h_t$")
        times_old = _node(ax, (0.25, 0.46), r"$\times$ " + w_old, "white", "round")
        times_new = _node(ax, (0.75, 0.46), r"$\times$ " + w_new, "white", "round")
        plus = _node(ax, (0.5, 0.24), "$+$", "white", "circle")
        out = _node(ax, (0.5, 0.08), r"$h_t$")
        _link(ax, old, times_old, (0.5, 0.0), (0.5, 1.0))
        _link(ax, new, times_new, (0.5, 0.0), (0.5, 1.0))
        _link(ax, times_old, plus, (0.5, 0.0), (0.0, 0.8))
        _link(ax, times_new, plus, (0.5, 0.0), (1.0, 0.8))
        _link(ax, plus, out, (0.5, 0.0), (0.5, 1.0))
        ax.set_title(update, color=look.color)
    return list(axes)


# ------------------------------------------------------------------ the update on a segment
def update_segment(ax: Axes, h_prev: float, h_tilde: float, z: float) -> Axes:
    """One unit's update as a point on the segment from h_{t−1} to h̃, in both conventions.

    Two rows on one axis of state values: keep on top (its point a blue circle, at
    lerp(h̃, h_{t−1}, z), with a solid blue bracket of length z·|h_{t−1} − h̃| measured from h̃), admit
    below (an orange square at lerp(h_{t−1}, h̃, z), a dashed orange bracket of length z·|h̃ − h_{t−1}|
    measured from h_{t−1}). The same ``z`` in both rows. Returns ``ax``.
    """
    ax = args.axes(ax)
    h_prev, h_tilde = checks.real_scalar("h_prev", h_prev), checks.real_scalar("h_tilde", h_tilde)
    z = checks.real_scalar("z", z)
    if h_prev == h_tilde:
        raise ValueError("h_prev and h_tilde must differ: the segment between them has length 0")
    if not 0.0 < z < 1.0:
        raise ValueError(f"z must lie strictly between 0 and 1 (a sigmoid's value); got {z}")
    rows = {
        "keep": (1.0, h_tilde, h_prev, r"$\tilde h_t$"),  # start of the measured stretch, its end, label
        "admit": (0.0, h_prev, h_tilde, r"$h_{t-1}$"),
    }
    lo, hi = min(h_prev, h_tilde), max(h_prev, h_tilde)
    pad = 0.12 * (hi - lo)
    for update, (y, start, end, start_label) in rows.items():
        look = style.STYLES[update]
        point = float(lerp(start, end, z))
        ax.plot([lo, hi], [y, y], color="0.55", lw=3, solid_capstyle="butt", zorder=1)
        for x, label in ((h_prev, r"$h_{t-1}$"), (h_tilde, r"$\tilde h_t$")):
            ax.plot([x], [y], marker="|", color="0.2", markersize=16, mew=2, zorder=2)
            ax.annotate(label, (x, y), xytext=(0, -22), textcoords="offset points", ha="center", va="top")
        ax.annotate(
            "",
            xy=(point, y + 0.28),
            xytext=(start, y + 0.28),
            arrowprops=dict(
                arrowstyle="|-|",
                color=look.color,
                linestyle=look.linestyle,
                lw=1.6,
                shrinkA=0,
                shrinkB=0,
                mutation_scale=6,
            ),
        )
        ax.annotate(
            f"$z = {z:.2f}$ of the length, from {start_label}",
            ((start + point) / 2, y + 0.34),
            ha="center",
            va="bottom",
            color=look.color,
        )
        ax.plot(
            [point],
            [y],
            marker=look.marker,
            color=look.color,
            linestyle="none",
            markersize=10,
            zorder=3,
            label=f"{update}: $h_t$ = {point:+.3f}",
        )
    ax.set_xlim(lo - pad, hi + pad)
    ax.set_ylim(-0.75, 1.75)
    ax.set_yticks([1.0, 0.0], ["keep", "admit"])
    ax.set_xlabel("state value (one unit)")
    for side in ("left", "right", "top"):
        ax.spines[side].set_visible(False)
    ax.tick_params(axis="y", length=0)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.32), ncol=2, frameon=False)
    return ax
