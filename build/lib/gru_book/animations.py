"""Kernel-free versions of the retention demos: matplotlib animations over precomputed slider values.

Each builder draws the same figure as the live demo (:mod:`gru_book.plots.retention`) and turns a
sweep of one slider into the frames of a :class:`matplotlib.animation.FuncAnimation`.
:func:`to_jshtml` renders it as a self-contained HTML snippet (PNG frames, a frame slider and
play buttons in plain JavaScript, no kernel, nothing loaded from the network). Pages stay light:
figures at 72 dpi, about 20 frames, each frame a palette PNG (at most 64 colours), which is about
a third of the bytes of a full-colour frame. matplotlib's template links Font Awesome 4 from a
CDN for the button icons; :func:`to_jshtml` drops that link, since the book's theme ships Font
Awesome (with the old icon names) itself.
"""
from __future__ import annotations

import base64
import io
import re
import tempfile
from pathlib import Path
from typing import Any, Callable

import numpy as np
from matplotlib.animation import FuncAnimation, HTMLWriter
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

from gru_lib import _checks
from .plots import retention as rplots

FIGSIZE = (6.4, 2.9)
DPI = 72
MAX_FRAMES = 40


def _frames(name: str, values: Any) -> list[dict[str, Any]] | np.ndarray:
    arr = _checks.real_array(name, values)
    if arr.ndim != 1 or not 2 <= arr.size <= MAX_FRAMES:
        raise ValueError(f"{name} must be a 1-D sequence of 2 to {MAX_FRAMES} values (one per frame); "
                         f"got shape {arr.shape}")
    return arr


def _animate(draw: Callable[[Figure], Any], update: Callable[[Any, Any], Any], frames: list[Any],
             dpi: int) -> FuncAnimation:
    fig = Figure(figsize=FIGSIZE, dpi=dpi)
    FigureCanvasAgg(fig)
    plot = draw(fig)

    def step(frame: Any) -> list[Any]:
        update(plot, frame)
        return plot.dynamic

    return FuncAnimation(fig, step, frames=frames, init_func=lambda: plot.dynamic, blit=False,
                         repeat=False)


def constant_gate_animation(zs: Any = np.linspace(0.0, 1.0, 21), *, candidate: float = -0.5,
                            steps: int = 20, dpi: int = DPI) -> FuncAnimation:
    """Demo 1 without a kernel: one frame per value of z in ``zs`` (z = 0 and z = 1 included)."""
    zs = _frames("zs", zs)
    if np.any((zs < 0) | (zs > 1)):
        raise ValueError(f"zs must lie in [0, 1]; got values from {zs.min()} to {zs.max()}")
    return _animate(lambda fig: rplots.draw_constant_gate(fig, z=float(zs[0]), candidate=candidate, steps=steps),
                    lambda plot, z: rplots.update_constant_gate(plot, z=float(z), candidate=candidate),
                    list(zs), dpi)


def gate_from_weights_animation(b_zs: Any = np.linspace(-6.0, 6.0, 21), *, w_z: float = -4.0,
                                update: str = "keep", steps: int = 30, dpi: int = DPI) -> FuncAnimation:
    """Demo 2 without a kernel: one frame per bias b_z, with the converted twin overlaid."""
    b_zs = _frames("b_zs", b_zs)
    return _animate(lambda fig: rplots.draw_pulse(fig, b_z=float(b_zs[0]), w_z=w_z, update=update, steps=steps),
                    lambda plot, b: rplots.update_pulse(plot, b_z=float(b), w_z=w_z, update=update),
                    list(b_zs), dpi)


def two_conventions_animation(b_zs: Any = np.linspace(-4.0, 4.0, 10), *, w_z: float = -4.0,
                              steps: int = 30, dpi: int = DPI) -> FuncAnimation:
    """Demo 3 without a kernel: the b_z sweep twice, first with the same θ, then with φ(θ) for admit."""
    b_zs = _frames("b_zs", b_zs)
    frames = [(float(b), False) for b in b_zs] + [(float(b), True) for b in b_zs]
    return _animate(lambda fig: rplots.draw_two_conventions(fig, b_z=frames[0][0], w_z=w_z, converted=False,
                                                            steps=steps),
                    lambda plot, f: rplots.update_two_conventions(plot, b_z=f[0], w_z=w_z, converted=f[1]),
                    frames, dpi)


_CDN_LINK = re.compile(r'<link rel="stylesheet"\s+href="https://[^"]*font-awesome[^"]*">\s*')


class PaletteHTMLWriter(HTMLWriter):
    """matplotlib's HTMLWriter with embedded frames stored as palette PNGs of at most ``colors`` colours."""

    def __init__(self, *args: Any, colors: int = 64, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.colors = colors

    def grab_frame(self, **savefig_kwargs: Any) -> None:
        """Render the figure, quantize it and append it (base64) to the embedded frames."""
        canvas = self.fig.canvas
        canvas.draw()
        rgb = Image.fromarray(np.asarray(canvas.buffer_rgba())[..., :3])
        buf = io.BytesIO()
        rgb.quantize(colors=self.colors, method=Image.Quantize.MEDIANCUT).save(buf, format="png", optimize=True)
        self._saved_frames.append(base64.encodebytes(buf.getvalue()).decode("ascii"))


def to_jshtml(anim: FuncAnimation, *, fps: int = 4, colors: int = 64) -> str:
    """The animation as a self-contained HTML snippet: frame slider and buttons, PNG frames, no CDN link."""
    if not isinstance(anim, FuncAnimation):
        raise TypeError(f"anim must be a matplotlib FuncAnimation; got {type(anim).__name__}")
    fps = _checks.positive_int("fps", fps)
    colors = _checks.positive_int("colors", colors)
    writer = PaletteHTMLWriter(fps=fps, embed_frames=True, default_mode="once", colors=colors)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp, "animation.html")
        anim.save(str(path), writer=writer)
        html = path.read_text(encoding="utf-8")
    return _CDN_LINK.sub("", html)
