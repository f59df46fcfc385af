"""Tests for gru_book.widgets (the live demos) and gru_book.animations (their kernel-free versions).

Headless: the demos are built without a front end; setting a slider's value runs the same
observer a browser drag would, so the tests read the model output, the figure's line data and
the PNG in the Image widget after each move.
"""
from __future__ import annotations

import gc
import io
import math
import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from PIL import Image  # noqa: E402

from gru_book import animations, widgets  # noqa: E402


def _sigma(a: float) -> float:
    return 1.0 / (1.0 + math.exp(-a))


def _png_size(data) -> tuple[int, int]:
    return Image.open(io.BytesIO(bytes(data))).size


@pytest.fixture
def constant():
    demo = widgets.ConstantGateDemo()
    yield demo
    demo.close()


@pytest.fixture
def weights():
    demo = widgets.GateFromWeightsDemo(b_z_range=(-50.0, 50.0))
    yield demo
    demo.close()


@pytest.fixture
def two():
    demo = widgets.TwoConventionsDemo()
    yield demo
    demo.close()


# ------------------------------------------------------------------ demo 1
def test_constant_gate_controls(constant):
    z = constant.controls["z"]
    assert z.description == "z" and (z.min, z.max) == (0.0, 1.0)
    assert type(z).__name__ == "FloatSlider"
    assert set(constant.controls) == {"z", "candidate"}


def test_constant_gate_slider_move_updates_lines_and_image(constant):
    before_png = bytes(constant.image.value)
    constant.controls["z"].value = 0.6
    keep = constant.plot.keep.get_ydata()
    # h_t = 0.6^t h0 + (1 - 0.6^t) c, with h0 = 1 and the default candidate -0.5
    t = np.arange(len(keep))
    assert np.allclose(keep, 0.6 ** t + (1 - 0.6 ** t) * -0.5)
    assert np.allclose(constant.plot.admit.get_ydata(), 0.4 ** t + (1 - 0.4 ** t) * -0.5)
    assert constant.result["half_life_keep"] == pytest.approx(math.log(0.5) / math.log(0.6))
    after_png = bytes(constant.image.value)
    assert after_png != before_png and after_png.startswith(b"\x89PNG")
    w, h = _png_size(after_png)
    assert abs(w - widgets.FIGSIZE[0] * widgets.DPI) < 2 and abs(h - widgets.FIGSIZE[1] * widgets.DPI) < 2


def test_constant_gate_candidate_slider(constant):
    constant.controls["candidate"].value = 0.75
    assert list(constant.plot.candidate.get_ydata()) == [0.75, 0.75]
    assert constant.plot.keep.get_ydata()[-1] == pytest.approx(0.8 ** 20 + (1 - 0.8 ** 20) * 0.75)


@pytest.mark.parametrize("z", [0.0, 1.0])
def test_constant_gate_extremes(constant, z, recwarn):
    constant.controls["z"].value = z
    res = constant.result
    assert np.isfinite(res["keep"]).all() and np.isfinite(res["admit"]).all()
    if z == 1.0:
        assert res["half_life_keep"] == math.inf and res["half_life_admit"] == 0.0
        assert np.all(constant.plot.keep.get_ydata() == 1.0)
        assert "∞" in constant.plot.readout.get_text()
    else:
        assert res["half_life_keep"] == 0.0 and res["half_life_admit"] == math.inf
    assert len(recwarn) == 0


# ------------------------------------------------------------------ demo 2
def test_gate_from_weights_sliders_drive_a_real_run(weights):
    weights.controls["b_z"].value = 1.0
    weights.controls["w_z"].value = -3.0
    h = weights.plot.h.get_ydata()
    z = weights.plot.z.get_ydata()
    assert z[2] == pytest.approx(_sigma(-3.0 + 1.0))            # the pulse (x = 1) at step 2
    assert np.allclose(z[3:], _sigma(1.0))                      # x = 0 afterwards
    assert h[2] == pytest.approx((1 - _sigma(-2.0)) * math.tanh(3.0))   # keep writes (1 - z) h̃
    assert np.allclose(h[3:] / h[2:-1], _sigma(1.0))
    assert weights.result["kept"] == pytest.approx(_sigma(1.0))


def test_gate_from_weights_flip_convention_and_sign_gives_the_same_curve(weights):
    weights.set(b_z=2.0, w_z=-4.0, update="keep")
    keep_curve = weights.plot.h.get_ydata().copy()
    weights.set(b_z=-2.0, w_z=4.0, update="admit")
    assert np.array_equal(weights.plot.h.get_ydata(), keep_curve)
    assert np.array_equal(weights.plot.h_twin.get_ydata(), keep_curve)   # twin: keep with +2, -4
    weights.controls["update"].value = "keep"   # flip only the convention: a different curve
    assert not np.allclose(weights.plot.h.get_ydata(), keep_curve)
    assert weights.result["max_diff"] == 0.0


@pytest.mark.parametrize("b_z", [-50.0, 50.0])
@pytest.mark.parametrize("update", ["keep", "admit"])
def test_gate_from_weights_large_bias(weights, b_z, update, recwarn):
    weights.set(update=update, noise=True)
    weights.controls["b_z"].value = b_z
    assert weights.controls["b_z"].value == b_z          # not clamped: the slider spans ±50 here
    for line in (weights.plot.h, weights.plot.z, weights.plot.h_twin, weights.plot.z_twin):
        assert np.isfinite(line.get_ydata()).all()
    kept_logit = b_z if update == "keep" else -b_z
    assert weights.result["half_life"] == pytest.approx(math.log(2) / math.log1p(math.exp(-kept_logit)))
    assert len(recwarn) == 0


def test_gate_from_weights_noise_checkbox(weights):
    weights.set(b_z=0.0, w_z=0.0)
    quiet = weights.plot.h.get_ydata().copy()
    weights.controls["noise"].value = True
    assert not np.allclose(weights.plot.h.get_ydata(), quiet)


# ------------------------------------------------------------------ demo 3
def test_two_conventions_checkbox(two):
    two.set(b_z=1.0, w_z=-2.0, converted=False)
    assert two.result["max_diff"] > 0.1
    assert not np.allclose(two.plot.keep.get_ydata(), two.plot.admit.get_ydata())
    two.controls["converted"].value = True
    assert np.array_equal(two.plot.keep.get_ydata(), two.plot.admit.get_ydata())
    assert two.result["max_diff"] == 0.0
    # one slider drives both curves
    two.controls["b_z"].value = 4.0
    assert np.array_equal(two.plot.keep.get_ydata(), two.plot.admit.get_ydata())
    assert two.plot.keep.get_ydata()[4] / two.plot.keep.get_ydata()[3] == pytest.approx(_sigma(4.0))


def test_set_rejects_unknown_controls(two):
    with pytest.raises(ValueError, match="unknown control"):
        two.set(b_x=1.0)


# ------------------------------------------------------------------ leaks and redraw cost
@pytest.mark.slow
@pytest.mark.parametrize("cls, name, lo, hi", [(widgets.ConstantGateDemo, "z", 0.0, 1.0),
                                               (widgets.GateFromWeightsDemo, "b_z", -10.0, 10.0),
                                               (widgets.TwoConventionsDemo, "b_z", -10.0, 10.0)])
def test_200_moves_leak_nothing(cls, name, lo, hi):
    plt.close("all")
    demo = cls()
    gc.collect()
    figs_before = plt.get_fignums()
    n_figures = sum(type(o) is Figure for o in gc.get_objects())
    artists = [len(ax.get_children()) for ax in demo.fig.axes], len(demo.fig.texts)
    pngs = set()
    for v in np.linspace(lo, hi, 200):
        demo.controls[name].value = float(v)
        pngs.add(bytes(demo.image.value)[-64:])
    gc.collect()
    assert plt.get_fignums() == figs_before == []
    assert sum(type(o) is Figure for o in gc.get_objects()) == n_figures
    assert ([len(ax.get_children()) for ax in demo.fig.axes], len(demo.fig.texts)) == artists
    assert demo.updates >= 200 and len(pngs) > 100          # each move rendered a new image
    assert len(demo.ui.children) == 3                        # header, controls, one image: nothing piles up
    demo.close()


def test_blit_png_matches_a_full_draw():
    demo = widgets.ConstantGateDemo(z=0.3)
    fast = np.asarray(Image.open(io.BytesIO(demo.png)).convert("RGB"), dtype=int)
    for artist in demo.plot.dynamic:
        artist.set_animated(False)
    demo.renderer.canvas.draw()
    full = np.asarray(demo.renderer.canvas.buffer_rgba())[..., :3].astype(int)
    assert fast.shape == full.shape
    assert np.mean(np.abs(fast - full)) < 0.5          # the same picture, up to antialiasing order
    demo.close()


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(widgets.DEMOS))
def test_redraw_ms_measures_every_method(name):
    for method in widgets.REDRAW_METHODS:
        ms = widgets.redraw_ms(name, method=method, moves=3)
        assert ms > 0.0 and np.isfinite(ms)
    with pytest.raises(ValueError, match="method must be one of"):
        widgets.redraw_ms(name, method="fast")


# ------------------------------------------------------------------ front-end detection
def test_show_builds_nothing_without_a_front_end(monkeypatch):
    monkeypatch.delenv(widgets.LIVE_ENV, raising=False)
    assert widgets.live_frontend() is False          # no IPython kernel in pytest
    assert widgets.show("constant_gate") is None
    monkeypatch.setenv(widgets.LIVE_ENV, "0")
    assert widgets.show("two_conventions") is None


def test_show_builds_when_forced(monkeypatch, capsys):
    monkeypatch.setenv(widgets.LIVE_ENV, "1")
    demo = widgets.show("constant_gate", z=0.25)
    assert isinstance(demo, widgets.ConstantGateDemo) and demo.controls["z"].value == 0.25
    again = widgets.show("constant_gate")          # a re-run closes the previous demo's widgets
    assert again is not demo and demo.image.comm is None and again.image.comm is not None
    again.close()
    monkeypatch.setenv(widgets.LIVE_ENV, "yes")
    with pytest.raises(ValueError, match="'0' or '1'"):
        widgets.live_frontend()
    with pytest.raises(ValueError, match="name must be one of"):
        widgets.show("sliders")


# ------------------------------------------------------------------ kernel-free animations
@pytest.fixture(scope="module")
def htmls():
    return {"constant_gate": animations.to_jshtml(animations.constant_gate_animation()),
            "gate_from_weights": animations.to_jshtml(animations.gate_from_weights_animation()),
            "two_conventions": animations.to_jshtml(animations.two_conventions_animation())}


def _frames(html: str) -> list[bytes]:
    import base64

    found = re.findall(r'frames\[\d+\] = "data:image/png;base64,([^"]*)"', html)
    return [base64.b64decode(re.sub(r"[^A-Za-z0-9+/=]", "", f.replace("\\n", ""))) for f in found]


@pytest.mark.slow
@pytest.mark.parametrize("name, n_frames", [("constant_gate", 21), ("gate_from_weights", 21), ("two_conventions", 20)])
def test_animation_frames_light_and_offline(htmls, name, n_frames):
    html = htmls[name]
    frames = _frames(html)
    assert len(frames) == n_frames
    assert len({f for f in frames}) == n_frames                   # every frame shows a different state
    w, h = Image.open(io.BytesIO(frames[0])).size
    assert abs(w - animations.FIGSIZE[0] * animations.DPI) < 3 and abs(h - animations.FIGSIZE[1] * animations.DPI) < 3
    assert len(html) < 250_000                                     # three of them stay well under 1.5 MB
    for needle in ("unpkg", "jsdelivr", "require.js", "maxcdn", "<link", "widget-state"):
        assert needle not in html, needle
    assert "play_animation" in html                                # the buttons are there


def test_animation_sweeps_include_the_extremes():
    html = animations.to_jshtml(animations.constant_gate_animation(np.array([0.0, 1.0])))
    first, last = _frames(html)
    assert first != last


def test_animation_bad_input():
    with pytest.raises(ValueError, match="1-D sequence of 2 to"):
        animations.constant_gate_animation([0.5])
    with pytest.raises(ValueError, match=r"zs must lie in \[0, 1\]"):
        animations.constant_gate_animation([0.5, 1.5])
    with pytest.raises(TypeError, match="FuncAnimation"):
        animations.to_jshtml("not an animation")
