"""Latency of the live retention demos (gru_book.demos; the JavaScript in chapters/gru_book/static).

``site_slider_input_to_paint_ms``: in headless Chromium (Playwright, Debian's /usr/bin/chromium), on
the harness page (tests/site/live_demos_harness.py: the four demos as the website embeds them),
the mouse drags each demo's main slider in ``MOVES`` steps, each once the previous update is
painted (the wait is woken by the page, so no polling runs in the frames measured). For every
``input`` event the page records the time from the event (the first ``input`` listener, before
the demo's own) to the next frame: ``p50``/``p95`` to the ``requestAnimationFrame`` callback after the demo updated the
DOM (the frame that paints the update starts), ``p50_after_paint``/``p95_after_paint`` to a task
queued from that callback, which runs once the frame's style, layout and paint are done.
Percentiles over all moves, normally and with the CPU slowed 4× (CDP
``Emulation.setCPUThrottlingRate``, keys ending in ``_throttled_4x``). Goal: p95 ≤ 16 ms at 4×.
``bare_slider`` is the same measurement, in the same browser, on a page holding nothing but one
range input and the text of its value (:data:`BARE_PAGE`): the floor of this harness on this
machine (Playwright's mouse events, Chromium's hit testing and software painting), which no demo
can beat. Also reported: the machine's 1-minute load average while measuring
(``load_avg_1min``), since the machine is shared.

``jupyterlab_slider_roundtrip_ms``: in a real JupyterLab (localhost, no token, a temporary folder),
from a key press on a slider (→) to the next painted frame after the figure changed, with the
kernel computing the new values in between: ``anywidget`` for the constant-gate demo (the new
arrays reach the same JavaScript, which redraws the SVG) and ``ipympl`` for the same figure
drawn by matplotlib with ``%matplotlib widget`` and ``ipywidgets.interact`` (the new PNG is drawn
into the canvas). p50 and p95 over ``LAB_MOVES`` presses each.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
MOVES = 40
LAB_MOVES = 30
#: Each demo's slider that the benchmark drags.
SLIDERS = {"constant_gate": "z", "gate_from_weights": "b_z", "two_conventions": "b_z", "half_life_dial": "z"}

#: A page with one bare slider and its value as text (the floor of the measurement).
BARE_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>One bare slider</title><link rel="icon" href="data:,"></head>
<body><main style="max-width: 760px; margin: 0 auto; padding: 0 16px">
<div data-gru-demo="bare_slider"><label for="bare-z">z = <span id="bare-value">0.50</span></label>
<input type="range" id="bare-z" min="0" max="1" step="0.01" value="0.5" style="display: block; width: 100%"></div>
<script>
const input = document.getElementById("bare-z"), value = document.getElementById("bare-value").firstChild;
input.addEventListener("input", () => { value.data = Number(input.value).toFixed(2); });
</script>
</main></body></html>
"""

_RECORD_JS = """() => {
  window.__lat = []; window.__paint = []; window.__painted = null;
  document.addEventListener('input', (ev) => {
    const t0 = performance.now();
    requestAnimationFrame(() => {
      window.__lat.push(performance.now() - t0);
      const ch = new MessageChannel();
      ch.port1.onmessage = () => {
        window.__paint.push(performance.now() - t0);
        if (window.__painted) window.__painted();
      };
      ch.port2.postMessage(0);
    });
  }, {capture: true});
}"""

#: Resolves with the number of painted updates once it exceeds ``done`` (or after ``ms`` with the
#: number then): woken by the recorder, so nothing runs in the page while a frame is measured
#: (Playwright's ``wait_for_function`` would run its predicate on every animation frame).
_PAINTED_JS = """([done, ms]) => new Promise((resolve) => {
  if (window.__paint.length > done) { resolve(window.__paint.length); return; }
  const timer = setTimeout(() => { window.__painted = null; resolve(window.__paint.length); }, ms);
  window.__painted = () => {
    if (window.__paint.length <= done) return;
    clearTimeout(timer); window.__painted = null; resolve(window.__paint.length);
  };
})"""


def _harness():
    path = REPO / "tests" / "site" / "live_demos_harness.py"
    spec = importlib.util.spec_from_file_location("live_demos_harness", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _percentiles(samples: list[float]) -> tuple[float, float]:
    arr = np.asarray(samples)
    return round(float(np.percentile(arr, 50)), 2), round(float(np.percentile(arr, 95)), 2)


def _drag(page, name: str, key: str, moves: int) -> list[float]:
    """Drag the slider ``key`` of demo ``name`` across its track in ``moves`` mouse moves; the latencies.

    Each move waits until the frame showing its update is painted before the next (one
    interaction at a time); a move too small for a new slider value gives no input event and no
    sample.
    """
    slider = page.locator(f"[data-gru-demo={name}] input[id$='-{key}']")
    slider.scroll_into_view_if_needed()
    box = slider.bounding_box()
    y = box["y"] + box["height"] / 2
    page.evaluate("window.__lat = []; window.__paint = []")
    page.mouse.move(box["x"] + 8, y)
    page.mouse.down()
    done = 0
    for i in range(1, moves + 1):
        x = box["x"] + 8 + (box["width"] - 16) * (0.5 + 0.5 * np.sin(i * 0.7)) * 0.98
        page.mouse.move(x, y)
        done = page.evaluate(_PAINTED_JS, [done, 1000])
    page.mouse.up()
    page.evaluate(_PAINTED_JS, [page.evaluate("window.__lat.length") - 1, 2000])
    return page.evaluate("[window.__lat, window.__paint]")


def _recording_page(browser, url: str, rate: int):
    """A 1280 × 900 page at ``url`` recording input latencies, with the CPU slowed ``rate``×."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(url)
    page.evaluate(_RECORD_JS)
    cdp = page.context.new_cdp_session(page)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": rate})
    return page


def site_latency(moves: int = MOVES) -> dict:
    """``{p50, p95, p50_throttled_4x, p95_throttled_4x, moves}`` in ms on the harness page."""
    from playwright.sync_api import sync_playwright

    harness = _harness()
    folder = Path(tempfile.mkdtemp(prefix="bench-live-demos-"))
    out: dict = {}
    try:
        harness.build(folder)
        (folder / "chapters" / "bare_slider.html").write_text(BARE_PAGE, encoding="utf-8")
        with harness.serve(folder) as url, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
            try:
                for rate, suffix in ((1, ""), (4, "_throttled_4x")):
                    page = _recording_page(browser, url + harness.PAGE, rate)
                    page.wait_for_function("document.querySelectorAll('[data-gru-demo-ready]').length === 4")
                    to_raf: list[float] = []
                    to_paint: list[float] = []
                    for name, key in SLIDERS.items():
                        raf, paint = _drag(page, name, key, moves)
                        to_raf += raf
                        to_paint += paint
                    out[f"p50{suffix}"], out[f"p95{suffix}"] = _percentiles(to_raf)
                    out[f"p50_after_paint{suffix}"], out[f"p95_after_paint{suffix}"] = _percentiles(to_paint)
                    out[f"moves{suffix}"] = len(to_raf)
                    page.close()
                    page = _recording_page(browser, url + "chapters/bare_slider.html", rate)
                    raf, paint = _drag(page, "bare_slider", "z", moves * len(SLIDERS))
                    bare = out.setdefault("bare_slider", {})
                    bare[f"p50{suffix}"], bare[f"p95{suffix}"] = _percentiles(raf)
                    bare[f"p50_after_paint{suffix}"], bare[f"p95_after_paint{suffix}"] = _percentiles(paint)
                    page.close()
            finally:
                browser.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    out["load_avg_1min"] = round(os.getloadavg()[0], 1)
    return out


# ------------------------------------------------------------------ JupyterLab round trip
_NOTEBOOK_CELLS = [
    "from gru_book import demos\nw = demos.show('constant_gate', z=0.5)",
    """%matplotlib widget
import ipywidgets as ipw
import matplotlib.pyplot as plt
from gru_book import style
from gru_book.retention import constant_gate_trajectory
fig, ax = plt.subplots(figsize=(6.4, 2.9), dpi=72)
t = range(21)
keep_line, = ax.plot(t, constant_gate_trajectory(0.5, -0.5, update='keep'), **style.line('keep'))
admit_line, = ax.plot(t, constant_gate_trajectory(0.5, -0.5, update='admit'), **style.line('admit'))
ax.set_ylim(-1.1, 1.1)

def redraw(z_mpl=0.5):
    keep_line.set_ydata(constant_gate_trajectory(z_mpl, -0.5, update='keep'))
    admit_line.set_ydata(constant_gate_trajectory(z_mpl, -0.5, update='admit'))
    fig.canvas.draw_idle()

ipw.interact(redraw, z_mpl=ipw.FloatSlider(value=0.5, min=0.0, max=1.0, step=0.01, description='z_mpl'));""",
]

_LAB_INIT_JS = """
window.__t0 = null; window.__lat = []; window.__mode = null;
const __finish = () => {
  if (window.__t0 === null) return;
  const t0 = window.__t0; window.__t0 = null;
  requestAnimationFrame(() => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => window.__lat.push(performance.now() - t0);
    ch.port2.postMessage(0);
  });
};
document.addEventListener('keydown', () => { window.__t0 = performance.now(); }, {capture: true});
const __draw = CanvasRenderingContext2D.prototype.drawImage;
CanvasRenderingContext2D.prototype.drawImage = function (...args) {
  const r = __draw.apply(this, args);
  if (window.__mode === 'ipympl') __finish();
  return r;
};
new MutationObserver((records) => {
  if (window.__mode === 'anywidget' && records.some(r => r.target.closest && r.target.closest('.gd-svg'))) __finish();
}).observe(document, {subtree: true, attributes: true, attributeFilter: ['d']});
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_lab(tmp: Path) -> tuple[subprocess.Popen, str, Path]:
    import nbformat

    root = tmp / "root"
    root.mkdir()
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in _NOTEBOOK_CELLS])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, root / "roundtrip.ipynb")
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("MPLBACKEND", "GRU_BOOK_LIVE_DEMOS")}
    env.update(
        JUPYTER_CONFIG_DIR=str(tmp / "config"),
        JUPYTER_RUNTIME_DIR=str(tmp / "runtime"),
        JUPYTER_DATA_DIR=str(tmp / "data"),
        IPYTHONDIR=str(tmp / "ipython"),
        PYTHONPATH=os.pathsep.join([str(REPO), str(REPO / "chapters"), env.get("PYTHONPATH", "")]),
    )
    tracker = tmp / "user-settings" / "@jupyterlab" / "notebook-extension" / "tracker.jupyterlab-settings"
    tracker.parent.mkdir(parents=True)
    tracker.write_text('{"windowingMode": "none"}', encoding="utf-8")
    jupyter = Path(sys.executable).parent / "jupyter"
    cmd = [
        str(jupyter),
        "lab",
        "--no-browser",
        "--allow-root",
        "--ip=127.0.0.1",
        f"--port={port}",
        "--ServerApp.token=",
        "--ServerApp.password=",
        f"--ServerApp.root_dir={root}",
        f"--LabApp.app_settings_dir={REPO / '.jupyter' / 'lab' / 'settings'}",
        f"--LabApp.user_settings_dir={tmp / 'user-settings'}",
        f"--LabApp.workspaces_dir={tmp / 'workspaces'}",
    ]
    log_path = tmp / "jupyterlab.log"
    with open(log_path, "w") as log:
        proc = subprocess.Popen(cmd, env=env, cwd=root, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 120
    while True:
        try:
            with urllib.request.urlopen(url + "api/status", timeout=2) as resp:
                if resp.status == 200:
                    return proc, url, log_path
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError(f"JupyterLab did not start:\n{log_path.read_text()[-3000:]}")
        time.sleep(0.5)


def _presses(page, focus, mode: str, n: int) -> list[float]:
    page.evaluate(f"window.__mode = '{mode}'; window.__lat = []")
    focus()
    for i in range(n):
        page.keyboard.press("ArrowRight")
        try:
            page.wait_for_function(f"window.__lat.length > {i}", timeout=15_000)
        except Exception as exc:
            raise RuntimeError(f"{mode}: press {i + 1} changed no figure within 15 s") from exc
        page.wait_for_timeout(50)
    return page.evaluate("window.__lat")


def jupyterlab_roundtrip(moves: int = LAB_MOVES, screenshot: Path | None = None) -> dict:
    """``{"anywidget": {p50, p95}, "ipympl": {p50, p95}, "moves": n}`` in ms, in a real JupyterLab."""
    from playwright.sync_api import sync_playwright

    tmp = Path(tempfile.mkdtemp(prefix="bench-lab-"))
    proc, url, log_path = _start_lab(tmp)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
            try:
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                page.add_init_script(_LAB_INIT_JS)
                page.goto(f"{url}lab/tree/roundtrip.ipynb")
                page.locator(".jp-NotebookPanel .jp-Notebook").first.wait_for(timeout=90_000)
                # once the kernel is ready (a command given before that is dropped): Run → Run All Cells
                page.locator(".jp-StatusBar-Widget").get_by_text(re.compile(r"\| Idle$")).first.wait_for(timeout=90_000)
                page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
                page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
                page.wait_for_selector("[data-gru-demo-ready], .gd-demo .gd-svg", timeout=120_000)
                page.wait_for_selector(".jupyter-matplotlib canvas", timeout=120_000)
                page.wait_for_timeout(1500)
                range_input = page.locator(".gd-demo input[type=range]").first
                aw = _presses(page, lambda: range_input.focus(), "anywidget", moves)
                handle = (
                    page.locator(".widget-slider", has=page.locator(".widget-label", has_text="z_mpl"))
                    .locator(".noUi-handle")
                    .first
                )
                mpl = _presses(page, lambda: handle.focus(), "ipympl", moves)
                if screenshot is not None:
                    page.screenshot(path=str(screenshot), full_page=True)
            except Exception:
                if screenshot is not None:
                    page.screenshot(path=str(screenshot), full_page=True)
                raise
            finally:
                browser.close()
    except Exception as exc:
        raise RuntimeError(f"{exc}\nJupyterLab log:\n{log_path.read_text()[-3000:]}") from exc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        shutil.rmtree(tmp, ignore_errors=True)
    out = {}
    for key, samples in (("anywidget", aw), ("ipympl", mpl)):
        p50, p95 = _percentiles(samples)
        out[key] = {"p50": p50, "p95": p95}
    out["moves"] = moves
    return out


def measure() -> dict:
    """Figures for ``_build/bench.json``."""
    return {"site_slider_input_to_paint_ms": site_latency(), "jupyterlab_slider_roundtrip_ms": jupyterlab_roundtrip()}


if __name__ == "__main__":
    import json

    which = sys.argv[1] if len(sys.argv) > 1 else "all"
    if which == "site":
        print(json.dumps(site_latency(), indent=2))
    elif which == "lab":
        shot = Path(sys.argv[2]) if len(sys.argv) > 2 else None
        print(json.dumps(jupyterlab_roundtrip(screenshot=shot), indent=2))
    else:
        print(json.dumps(measure(), indent=2))
