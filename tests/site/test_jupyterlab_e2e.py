"""Live Jupyter, end to end: the retention chapter's sliders work for people who run it in JupyterLab.

Starts JupyterLab on localhost (random port, no token) on a temporary copy of the chapters (so
nothing it saves can touch the repository), with the repository's lab settings
(``.jupyter/lab/settings/overrides.json``, the ones ``make lab`` uses: MyST ``.md`` files open as
Jupytext notebooks). Headless Chromium opens ``retention.md``, runs all cells from the Run menu,
moves the first live demo's first slider (``z``) with the keyboard and checks that the figure
(the SVG paths the kernel's ``gru_lib`` arrays draw) and the slider's value change. Fails, never
skips, when Chromium or JupyterLab is missing.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import LOCAL_HOSTS, REPO, screenshot_dir

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NOTEBOOK = Path(os.environ.get("LAB_E2E_NOTEBOOK", REPO / "chapters" / "retention.md"))
LAB_SETTINGS = REPO / ".jupyter" / "lab" / "settings"
JUPYTER = Path(sys.executable).parent / "jupyter"
START_TIMEOUT_S = 120
RUN_TIMEOUT_MS = 240_000


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """Base URL of a JupyterLab serving a temporary copy of the notebook's folder."""
    if not JUPYTER.is_file():
        pytest.fail(f"{JUPYTER} not found: JupyterLab is installed by `make setup`", pytrace=False)
    if not NOTEBOOK.is_file():
        pytest.fail(f"{NOTEBOOK} does not exist", pytrace=False)
    tmp = tmp_path_factory.mktemp("lab")
    root = tmp / "root"
    shutil.copytree(NOTEBOOK.parent, root, ignore=shutil.ignore_patterns("*.ipynb", ".ipynb_checkpoints"))
    port = _free_port()
    env = dict(os.environ)
    # A reader's kernel: matplotlib's inline backend (the Makefile exports MPLBACKEND=Agg for builds),
    # and the live demos shown as in any JupyterLab (no forcing either way).
    env.pop("MPLBACKEND", None)
    env.pop("GRU_BOOK_LIVE_DEMOS", None)
    env.update(
        JUPYTER_CONFIG_DIR=str(tmp / "config"),
        JUPYTER_RUNTIME_DIR=str(tmp / "runtime"),
        JUPYTER_DATA_DIR=str(tmp / "data"),
        IPYTHONDIR=str(tmp / "ipython"),
    )
    cmd = [
        str(JUPYTER),
        "lab",
        "--no-browser",
        "--allow-root",
        "--ip=127.0.0.1",
        f"--port={port}",
        "--ServerApp.token=",
        "--ServerApp.password=",
        f"--ServerApp.root_dir={root}",
        f"--LabApp.app_settings_dir={LAB_SETTINGS}",
        f"--LabApp.user_settings_dir={tmp / 'user-settings'}",
        f"--LabApp.workspaces_dir={tmp / 'workspaces'}",
    ]
    # Render every cell (JupyterLab 4 otherwise renders only the cells in view), so that the test
    # can see every prompt and output.
    tracker = tmp / "user-settings" / "@jupyterlab" / "notebook-extension" / "tracker.jupyterlab-settings"
    tracker.parent.mkdir(parents=True)
    tracker.write_text('{"windowingMode": "none"}', encoding="utf-8")
    log_path = tmp / "jupyterlab.log"
    with open(log_path, "w") as log:
        proc = subprocess.Popen(cmd, env=env, cwd=root, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            try:
                with urllib.request.urlopen(url + "api/status", timeout=2) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"JupyterLab did not start:\n{log_path.read_text()[-3000:]}", pytrace=False)
            time.sleep(0.5)
        yield url, root, log_path
    finally:
        proc.terminate()  # the server shuts its kernels down on SIGTERM
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


FIGURE_PATHS_JS = """() => [...document.querySelectorAll('.jp-Notebook .jp-OutputArea .gd-demo')]
    .slice(0, 1).flatMap(d => [...d.querySelectorAll('path.gd-line, path.gd-marks')])
    .map(p => p.getAttribute('d'))"""


def test_retention_slider_changes_the_plot_in_jupyterlab(lab, browser):
    url, _, log_path = lab
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, service_workers="block")
    foreign: list[str] = []

    def route(r):  # JupyterLab must work offline too; nothing leaves localhost
        if urlsplit(r.request.url).hostname in LOCAL_HOSTS or r.request.url.startswith(("data:", "blob:")):
            r.continue_()
        else:
            foreign.append(r.request.url)
            r.abort("blockedbyclient")

    context.route("**/*", route)
    page = context.new_page()
    js_errors: list[str] = []
    page.on("pageerror", lambda exc: js_errors.append(str(exc)))
    try:
        page.goto(f"{url}lab/tree/{NOTEBOOK.name}")
        # opened as a notebook (Jupytext), not as a text file: the repository's lab settings work
        page.locator(".jp-NotebookPanel .jp-Notebook").first.wait_for(timeout=90_000)
        n_code = len(re.findall(r"^```\{code-cell\}", NOTEBOOK.read_text(encoding="utf-8"), re.M))
        assert n_code >= 1, f"{NOTEBOOK.name} has no code cell"
        page.wait_for_function(
            "(n) => document.querySelectorAll('.jp-Notebook .jp-CodeCell').length === n", arg=n_code, timeout=60_000
        )

        # once the kernel is ready (a command given before that is dropped): Run → Run All Cells
        page.locator(".jp-StatusBar-Widget").get_by_text(re.compile(r"\| Idle$")).first.wait_for(timeout=90_000)
        page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
        page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
        page.wait_for_function(
            """(n) => {
                const prompts = [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt')]
                    .map(p => p.textContent.trim());
                return prompts.length === n && prompts.every(p => /^\\[\\d+\\]:$/.test(p));
            }""",
            arg=n_code,
            timeout=RUN_TIMEOUT_MS,
        )
        errors = page.locator(
            ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr'], "
            ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.error']"
        )
        assert errors.count() == 0, f"cells wrote errors:\n{errors.all_inner_texts()}"

        demo = page.locator(".jp-OutputArea .gd-demo").first
        demo.wait_for(timeout=60_000)
        slider = demo.locator("input[type=range]").first
        slider.scroll_into_view_if_needed()
        page.wait_for_function(f"({FIGURE_PATHS_JS})().length > 0", timeout=60_000)
        before_value = slider.input_value()
        before_paths = page.evaluate(FIGURE_PATHS_JS)

        slider.focus()
        at_max = float(before_value) >= float(slider.get_attribute("max"))
        for key in ["ArrowLeft"] * 3 if at_max else ["ArrowRight"] * 3:
            page.keyboard.press(key)
        page.wait_for_function(
            f"(before) => JSON.stringify(({FIGURE_PATHS_JS})()) !== JSON.stringify(before)",
            arg=before_paths,
            timeout=30_000,
        )
        assert slider.input_value() != before_value, "the slider's value did not change"
        assert not js_errors, js_errors
        shots = screenshot_dir()
        shots.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(shots / f"jupyterlab-{NOTEBOOK.stem}.png"))
    except Exception:
        print(f"JupyterLab log ({log_path}):\n{log_path.read_text()[-3000:]}")
        raise
    finally:
        context.close()
