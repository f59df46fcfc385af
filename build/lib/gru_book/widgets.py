"""Live ipywidgets demos for the retention chapter.

Each demo is a small class that owns its controls (``demo.controls``), one matplotlib
:class:`~matplotlib.figure.Figure` (``demo.fig``, made without pyplot, so it never enters
``plt.get_fignums()`` and the inline backend never shows it by itself) and an
``ipywidgets.Image`` (``demo.image``) that shows the figure as a PNG.

Moving a control calls :meth:`_Demo.update`: the model is rerun with gru_lib, the artists'
data change in place (:mod:`gru_book.plots.retention`), and :class:`PNGRenderer` redraws only
those artists over a cached background and encodes the PNG, which replaces ``image.value``.
In JupyterLab the one ``<img>`` of the widget gets a new ``src``: no flicker, no new outputs.

The build of the website runs the chapter without a front end that could show widgets; there
:func:`show` makes nothing, so the page embeds no widget state and loads no widget JavaScript.
"""
from __future__ import annotations

import io
import os
from typing import Any, Callable

import ipywidgets as widgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

from .plots import retention as rplots

#: Size and resolution of the live figures: small enough for about 5 ms per redraw.
FIGSIZE = (6.4, 2.9)
DPI = 72
LIVE_ENV = "GRU_LIB_LIVE_WIDGETS"


class PNGRenderer:
    """Render a figure to PNG fast by redrawing only its dynamic artists over a cached background.

    The figure's other artists must not change after construction (the plots fix their axis
    limits and layout). ``render()`` returns PNG bytes of the whole figure, as ``savefig`` would
    with ``bbox_inches=None``.
    """

    def __init__(self, fig: Figure, dynamic: list[Any], *, compress_level: int = 1) -> None:
        if not isinstance(fig, Figure):
            raise TypeError(f"fig must be a matplotlib.figure.Figure; got {type(fig).__name__}")
        self.fig = fig
        self.canvas = FigureCanvasAgg(fig)
        self.dynamic = list(dynamic)
        self.compress_level = compress_level
        for artist in self.dynamic:
            artist.set_animated(True)  # excluded from full draws: they go on top of the background
        self.refresh_background()

    def refresh_background(self) -> None:
        """Redraw the static part of the figure (call after changing anything static)."""
        self.canvas.draw()
        self._background = self.canvas.copy_from_bbox(self.fig.bbox)

    def render(self) -> bytes:
        """PNG bytes of the figure with the dynamic artists' current data."""
        self.canvas.restore_region(self._background)
        for artist in self.dynamic:
            self.fig.draw_artist(artist)
        rgba = np.asarray(self.canvas.buffer_rgba())
        buf = io.BytesIO()
        Image.fromarray(rgba[..., :3]).save(buf, format="png", compress_level=self.compress_level)
        return buf.getvalue()


def live_frontend() -> bool:
    """True when a Jupyter front end that can show widgets runs this code.

    The environment variable ``GRU_LIB_LIVE_WIDGETS`` (``1`` or ``0``) decides if set. Otherwise
    the answer is whether an IPython kernel runs the current cell for a front end that accepts
    keyboard input: JupyterLab, Notebook and VS Code send ``allow_stdin=True`` with every
    execution, headless executors (nbclient, used by the book build; papermill) send ``False``.
    """
    forced = os.environ.get(LIVE_ENV)
    if forced is not None:
        if forced not in ("0", "1"):
            raise ValueError(f"{LIVE_ENV} must be '0' or '1' when set; got {forced!r}")
        return forced == "1"
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython ships with ipywidgets
        return False
    shell = get_ipython()
    kernel = getattr(shell, "kernel", None)
    return bool(getattr(kernel, "_allow_stdin", False))


class _Demo:
    """Controls + one figure + one Image widget. Subclasses set ``controls`` and the plot hooks."""

    controls: dict[str, widgets.Widget]

    def __init__(self, draw: Callable[..., Any], redraw: Callable[..., dict[str, Any]],
                 title: str) -> None:
        self.fig = Figure(figsize=FIGSIZE, dpi=DPI)
        self._redraw = redraw
        self.plot = draw(self.fig, **self.values())
        self.renderer = PNGRenderer(self.fig, self.plot.dynamic)
        self.result: dict[str, Any] = {}
        self.png = self.renderer.render()
        width, _ = self.renderer.canvas.get_width_height()
        self.image = widgets.Image(value=self.png, format="png", layout=widgets.Layout(width=f"{width}px"))
        self.updates = 0
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        self._header = widgets.HTML(f"<b>{title}</b>")
        self._row = widgets.HBox(list(self.controls.values()), layout=widgets.Layout(flex_flow="row wrap"))
        self.ui = widgets.VBox([self._header, self._row, self.image])
        self.update()

    def values(self) -> dict[str, Any]:
        """The controls' current values, as keyword arguments for the plot's update function."""
        return {name: control.value for name, control in self.controls.items()}

    def _on_change(self, change: dict[str, Any]) -> None:
        self.update()

    def update(self) -> bytes:
        """Recompute, update the artists, render the PNG into ``image``; return the PNG bytes."""
        self.result = self._redraw(self.plot, **self.values())
        self.png = self.renderer.render()
        self.image.value = self.png
        self.updates += 1
        return self.png

    def set(self, **values: Any) -> bytes:
        """Set several controls at once (one redraw) and return the new PNG. For tests and scripts."""
        unknown = set(values) - set(self.controls)
        if unknown:
            raise ValueError(f"unknown control(s) {sorted(unknown)}; this demo has {sorted(self.controls)}")
        for name, value in values.items():
            control = self.controls[name]
            control.unobserve(self._on_change, names="value")
            try:
                control.value = value
            finally:
                control.observe(self._on_change, names="value")
        return self.update()

    def close(self) -> None:
        """Close the widgets (the figure is freed with the object; it was never in pyplot)."""
        for w in [self.ui, self._header, self._row, self.image, *self.controls.values()]:
            w.close()

    def _ipython_display_(self) -> None:
        from IPython.display import display
        display(self.ui)


def _slider(description: str, value: float, lo: float, hi: float, step: float, fmt: str = ".2f") -> widgets.FloatSlider:
    return widgets.FloatSlider(value=value, min=lo, max=hi, step=step, description=description,
                               readout_format=fmt, continuous_update=True,
                               style={"description_width": "initial"})


class ConstantGateDemo(_Demo):
    """Demo 1: a constant gate ``z`` ∈ [0, 1] and candidate; h_t in both conventions and t½."""

    def __init__(self, *, z: float = 0.8, candidate: float = -0.5, steps: int = 20) -> None:
        self.controls = {"z": _slider("z", z, 0.0, 1.0, 0.01),
                         "candidate": _slider("candidate h̃", candidate, -1.0, 1.0, 0.05)}
        super().__init__(lambda fig, **kw: rplots.draw_constant_gate(fig, steps=steps, **kw),
                         rplots.update_constant_gate, "Constant gate: how long is h₀ remembered?")


class GateFromWeightsDemo(_Demo):
    """Demo 2: the gate computed from b_z and w_z; a pulse, its memory, and the converted twin."""

    def __init__(self, *, b_z: float = 2.0, w_z: float = -4.0, update: str = "keep",
                 b_z_range: tuple[float, float] = (-10.0, 10.0), steps: int = 30) -> None:
        self.controls = {"b_z": _slider("bias b_z", b_z, *b_z_range, 0.1),
                         "w_z": _slider("weight w_z", w_z, -8.0, 8.0, 0.1),
                         "update": widgets.ToggleButtons(options=["keep", "admit"], value=update,
                                                         description="convention"),
                         "noise": widgets.Checkbox(value=False, description="noise after the pulse")}
        super().__init__(lambda fig, **kw: rplots.draw_pulse(fig, steps=steps, **kw), rplots.update_pulse,
                         "Gate from weights: z_t = σ(w_z·x_t + b_z)")

    def values(self) -> dict[str, Any]:
        """The controls' values; the noise checkbox becomes a noise scale (0.3 when ticked)."""
        vals = super().values()
        vals["noise"] = 0.3 if vals["noise"] else 0.0
        return vals


class TwoConventionsDemo(_Demo):
    """Demo 3: one set of weights, both conventions; a checkbox applies φ to the admit run."""

    def __init__(self, *, b_z: float = 1.5, w_z: float = -4.0, converted: bool = False,
                 b_z_range: tuple[float, float] = (-10.0, 10.0), steps: int = 30) -> None:
        self.controls = {"b_z": _slider("bias b_z", b_z, *b_z_range, 0.1),
                         "w_z": _slider("weight w_z", w_z, -8.0, 8.0, 0.1),
                         "converted": widgets.Checkbox(value=converted, description="apply the conversion")}
        super().__init__(lambda fig, **kw: rplots.draw_two_conventions(fig, steps=steps, **kw),
                         rplots.update_two_conventions, "Same weights, two conventions")


DEMOS = {"constant_gate": ConstantGateDemo, "gate_from_weights": GateFromWeightsDemo,
         "two_conventions": TwoConventionsDemo}


_SHOWN: dict[str, _Demo] = {}


def show(name: str, **kwargs: Any) -> _Demo | None:
    """Build and display the demo ``name`` if :func:`live_frontend` says widgets can be shown.

    Returns the demo (or ``None`` when nothing was built, e.g. during the website build).
    Running the cell again closes the demo it showed before, so re-runs do not pile up live
    widgets and figures in the kernel.
    """
    if name not in DEMOS:
        raise ValueError(f"name must be one of {sorted(DEMOS)}; got {name!r}")
    if not live_frontend():
        return None
    previous = _SHOWN.pop(name, None)
    if previous is not None:
        previous.close()
    demo = _SHOWN[name] = DEMOS[name](**kwargs)
    from IPython.display import display
    display(demo.ui)
    return demo


# ------------------------------------------------------------------ timing without widgets
#: For each demo: draw(fig, value), update(plot, value) and the range its main slider sweeps.
_SWEEPS: dict[str, tuple[Callable[..., Any], Callable[..., Any], tuple[float, float]]] = {
    "constant_gate": (lambda fig, v: rplots.draw_constant_gate(fig, z=v, candidate=-0.5),
                      lambda plot, v: rplots.update_constant_gate(plot, z=v, candidate=-0.5), (0.0, 1.0)),
    "gate_from_weights": (lambda fig, v: rplots.draw_pulse(fig, b_z=v, w_z=-4.0, update="keep"),
                          lambda plot, v: rplots.update_pulse(plot, b_z=v, w_z=-4.0, update="keep"), (-10.0, 10.0)),
    "two_conventions": (lambda fig, v: rplots.draw_two_conventions(fig, b_z=v, w_z=-4.0, converted=False),
                        lambda plot, v: rplots.update_two_conventions(plot, b_z=v, w_z=-4.0, converted=False),
                        (-10.0, 10.0)),
}
REDRAW_METHODS = ("blit", "savefig", "fresh")


def redraw_ms(name: str, *, method: str = "blit", moves: int = 30) -> float:
    """Median milliseconds from a new slider value to a PNG of the updated figure, without widgets.

    ``method``: ``"blit"`` (what the demos do: update the artists' data, redraw only them over a
    cached background, encode with :class:`PNGRenderer`), ``"savefig"`` (update the artists'
    data, then a full ``fig.savefig(format="png")``, as the inline backend would) or ``"fresh"``
    (a new figure drawn from scratch for every value, then ``savefig``).
    """
    if name not in _SWEEPS:
        raise ValueError(f"name must be one of {sorted(_SWEEPS)}; got {name!r}")
    if method not in REDRAW_METHODS:
        raise ValueError(f"method must be one of {REDRAW_METHODS}; got {method!r}")
    if isinstance(moves, bool) or not isinstance(moves, int) or moves < 2:
        raise ValueError(f"moves must be an integer of at least 2; got {moves!r}")
    import time

    draw, update, (lo, hi) = _SWEEPS[name]
    values = np.linspace(lo, hi, moves)
    fig = Figure(figsize=FIGSIZE, dpi=DPI)
    plot = draw(fig, float(values[0]))
    renderer = PNGRenderer(fig, plot.dynamic) if method == "blit" else None
    if renderer is None:
        FigureCanvasAgg(fig)
    times = []
    for v in values[::-1]:
        start = time.perf_counter()
        if method == "fresh":
            fig = Figure(figsize=FIGSIZE, dpi=DPI)
            FigureCanvasAgg(fig)
            draw(fig, float(v))
        else:
            update(plot, float(v))
        if renderer is not None:
            png = renderer.render()
        else:
            buf = io.BytesIO()
            fig.savefig(buf, format="png")
            png = buf.getvalue()
        times.append(time.perf_counter() - start)
        if not png.startswith(b"\x89PNG"):
            raise RuntimeError("the renderer did not produce a PNG")
    return float(np.median(times) * 1000.0)
