"""Figures for the chapter "Training sees no difference".

- :func:`loss_curves` draws training losses against the optimizer step, one line per run.
- :func:`mirrored_losses` draws the losses of mirrored pairs (keep from θ₀, admit from φ(θ₀)) in
  the book's convention styles, one pair per optimizer.
- :func:`flip_distance` draws max |φ(θ_keep) − θ_admit| against the step on a symmetric-log
  axis, so that an exact 0 and a rounding-sized gap can share one panel.
- :func:`distance_styles`, :func:`setting_styles` and :func:`init_styles` give the chapter's
  curves their colours and line styles from :mod:`gru_book.style`.

All draw into the axes they are given and return them; none calls ``plt.show``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
from matplotlib.axes import Axes

from .. import style
from . import args

#: Colours for curves that are not one of the two conventions (Okabe–Ito, after keep's blue and
#: admit's vermillion): bluish green, reddish purple, orange, sky blue.
OTHER_COLORS = ("#009E73", "#CC79A7", "#E69F00", "#56B4E9")


def loss_curves(
    ax: Any, curves: Mapping[str, Any], *, styles: Mapping[str, dict] | None = None, title: str = ""
) -> Axes:
    """One line per run: label -> losses (steps,), plotted against the step 0, 1, … ."""
    ax = args.axes(ax)
    curves = args.curves("curves", curves)
    for label, losses in curves.items():
        ax.plot(np.arange(len(losses)), losses, label=label, **dict((styles or {}).get(label, {})))
    ax.set_xlabel("optimizer step")
    ax.set_ylabel("training loss")
    if title:
        ax.set_title(title)
    ax.legend()
    return ax


def mirrored_losses(ax: Any, pairs: Mapping[str, Any], *, marker_every: int = 10) -> Axes:
    """optimizer name -> (keep history, admit history): keep solid blue, admit dashed orange.

    The first optimizer is drawn without markers, the others with the convention's markers
    every ``marker_every`` steps, so optimizers differ in greyscale too.
    """
    if not isinstance(pairs, Mapping) or not pairs:
        raise TypeError(f"pairs must be a non-empty mapping of name -> (keep, admit); got {type(pairs).__name__}")
    curves, styles = {}, {}
    for i, (name, pair) in enumerate(pairs.items()):
        if not (isinstance(pair, tuple) and len(pair) == 2):
            raise ValueError(f"pairs[{name!r}] must be a (keep, admit) pair of histories; got {type(pair).__name__}")
        for update, hist in zip(("keep", "admit"), pair, strict=True):
            label = f"{name}, {update}"
            curves[label] = getattr(hist, "losses", hist)
            styles[label] = style.line(update, markers=i > 0)
            if i > 0:
                styles[label]["markevery"] = marker_every
            if update == "admit":
                styles[label]["lw"] = 1.4
    return loss_curves(ax, curves, styles=styles)


def flip_distance(
    ax: Any,
    curves: Mapping[str, Any],
    *,
    linthresh: float = 1e-17,
    title: str = "",
    styles: Mapping[str, dict] | None = None,
) -> Axes:
    """One line per run: label -> distances (steps + 1,), on a symlog y axis (exact zeros sit on 0)."""
    ax = args.axes(ax)
    curves = args.curves("curves", curves)
    if not (isinstance(linthresh, (int, float)) and linthresh > 0):
        raise ValueError(f"linthresh must be a positive number; got {linthresh!r}")
    for label, dist in curves.items():
        if np.any(dist < 0):
            raise ValueError(f"curves[{label!r}] must be distances (>= 0); got a minimum of {dist.min()}")
        ax.plot(np.arange(len(dist)), dist, label=label, **dict((styles or {}).get(label, {})))
    ax.set_yscale("symlog", linthresh=linthresh)
    ax.set_yticks(_symlog_ticks(linthresh, max(float(d.max()) for d in curves.values())))
    ax.set_xlabel("optimizer step")
    ax.set_ylabel(r"max $|\varphi(\theta_{\mathrm{keep}}) - \theta_{\mathrm{admit}}|$")
    if title:
        ax.set_title(title)
    ax.legend(loc="upper left")
    return ax


def _symlog_ticks(linthresh: float, top: float, most: int = 7) -> list[float]:
    """0 and every k-th decade from ``linthresh`` up to ``top``, with k chosen for at most ``most`` ticks."""
    lo = int(np.ceil(np.log10(linthresh)))
    hi = max(lo, int(np.ceil(np.log10(top)))) if top > 0 else lo
    step = max(1, int(np.ceil((hi - lo + 1) / (most - 1))))
    return [0.0, *[10.0**k for k in range(hi, lo - 1, -step)][::-1]]


def distance_styles(optimizers: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Styles for ``"<optimizer>, pair"`` (solid) and ``"<optimizer>, subtract"`` (dashed), a colour per optimizer."""
    out = {}
    for color, name in zip(OTHER_COLORS, optimizers, strict=False):
        out[f"{name}, pair"] = {"color": color, "ls": "-", "lw": 2.5}
        out[f"{name}, subtract"] = {"color": color, "ls": "--"}
    return out


def setting_styles(settings: Iterable[str]) -> dict[str, dict[str, Any]]:
    """One colour and line style per regularisation setting; the line widths shrink so overlaid zeros stay visible."""
    names = list(settings)
    dashes = ("-", "--", ":", "-.")
    return {
        name: {
            "color": OTHER_COLORS[i % len(OTHER_COLORS)],
            "ls": dashes[i % len(dashes)],
            "lw": max(3.5 - 0.8 * i, 1.8),
        }
        for i, name in enumerate(names)
    }


def init_styles(labels: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Styles for the initialisation experiment: labels starting with ``keep`` or ``admit`` get that
    convention's style, except a baseline with ``b_z = 0``, which is drawn dotted grey."""
    out = {}
    for label in labels:
        update = str(label).split(",")[0].strip()
        if "b_z = 0" in str(label):
            out[label] = {**style.NEUTRAL.kwargs(markers=False), "lw": 2}
        elif update in style.STYLES:
            out[label] = style.line(update, markers=False)
        else:
            raise ValueError(f"labels must start with 'keep' or 'admit'; got {label!r}")
    return out
