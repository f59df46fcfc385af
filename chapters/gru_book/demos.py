"""The retention chapter's live demos: one JavaScript drawing code for the website and for Jupyter.

``static/retention_demos.js`` holds the controls, the SVG figures and a small model of the one-unit
GRU that the demos use. Two front ends share it:

- the website: :func:`static_html` gives a ``<div data-gru-demo=...>`` with the initial parameters
  (and, for the noisy pulse, the input sequence as JSON) and the module's ``<script>`` tag; the
  reader's browser computes every slider move itself, with no kernel and no network request;
- Jupyter: :func:`show` displays a :class:`LiveDemo` (an ``anywidget``); a control change sends the
  parameters to the kernel, :func:`compute` reruns the model with gru_lib, and the same JavaScript
  draws the arrays it gets back.

:func:`compute` and the browser's ``MODELS`` return the same keys; tests/site/test_live_demos.py
checks that the browser's numbers are gru_lib's.
"""

from __future__ import annotations

import html
import json
import math
import os
from pathlib import Path
from typing import Any

import numpy as np

from gru_lib import checks
from gru_lib.convert import other_convention
from gru_lib.gates import UPDATE_CONVENTIONS, sigmoid_pair

from .retention import (
    constant_gate_trajectory,
    half_life,
    half_life_from_logit,
    memory_steps,
    pulse_sequence,
    run_pulse,
    run_pulse_pair,
)

STATIC = Path(__file__).resolve().parent / "static"
JS = STATIC / "retention_demos.js"
CSS = STATIC / "retention_demos.css"
#: Where the website's pages (chapters/*.html) find the files (html_static_path in _config.yml).
STATIC_URL = "../_static/"

#: Set to "1" or "0" to force :func:`show` to build the live widget or the website's snippet.
LIVE_ENV = "GRU_BOOK_LIVE_DEMOS"

#: Noise scale of the pulse demo's "noise" checkbox.
NOISE = 0.3
STEPS_CONSTANT, STEPS_PULSE, PULSE_AT = 20, 30, 2
#: The half-life dial's curve: z = 1 − ½ · 0.0002^(i / DIAL_GRID), i = 0 … DIAL_GRID (z from 0.5 to 0.9999).
DIAL_GRID = 200
DIAL_MARKS = (0.5, 0.9, 0.99, 0.999, 0.9999)

DEFAULTS: dict[str, dict[str, Any]] = {
    "constant_gate": {"z": 0.8, "candidate": -0.5},
    "gate_from_weights": {"b_z": 2.0, "w_z": -4.0, "update": "keep", "noise": False},
    "two_conventions": {"b_z": 1.5, "w_z": -4.0, "converted": False},
    "half_life_dial": {"z": 0.9},
}
NAMES = tuple(DEFAULTS)


def _name(name: Any) -> str:
    if name not in DEFAULTS:
        raise ValueError(f"name must be one of {sorted(DEFAULTS)}; got {name!r}")
    return name


def _real(name: str, value: Any, lo: float = -math.inf, hi: float = math.inf) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a real number; got {value!r} ({type(value).__name__})")
    v = float(value)
    if not (math.isfinite(v) and lo <= v <= hi):
        raise ValueError(f"{name} must be a finite number in [{lo}, {hi}]; got {value!r}")
    return v


def _bool(name: str, value: Any) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be a bool; got {value!r} ({type(value).__name__})")
    return bool(value)


def params(name: str, **initial: Any) -> dict[str, Any]:
    """The demo's full, checked parameters: its defaults updated with ``initial``."""
    defaults = DEFAULTS[_name(name)]
    unknown = set(initial) - set(defaults)
    if unknown:
        raise ValueError(f"unknown parameter(s) {sorted(unknown)} for {name}; it has {sorted(defaults)}")
    p = {**defaults, **initial}
    for key, value in p.items():
        if key == "update":
            p[key] = checks.choice("update", value, UPDATE_CONVENTIONS)
        elif key in ("noise", "converted"):
            p[key] = _bool(key, value)
        elif key in ("z",):
            p[key] = _real(key, value, 0.0, 1.0)
        elif key == "candidate":
            p[key] = _real(key, value, -1.0, 1.0)
        else:
            p[key] = _real(key, value)
    return p


def noisy_inputs() -> np.ndarray:
    """The pulse demo's input with noise, shape (STEPS_PULSE,): what ``run_pulse(noise=NOISE)`` feeds the unit."""
    return pulse_sequence(STEPS_PULSE, at=PULSE_AT, noise=NOISE)[:, 0, 0]


def dial_grid() -> np.ndarray:
    """The z values of the half-life dial's curves, shape (DIAL_GRID + 1,), from 0.5 to 0.9999."""
    return 1.0 - 0.5 * np.power(0.0002, np.arange(DIAL_GRID + 1) / DIAL_GRID)


def compute(name: str, **values: Any) -> dict[str, Any]:
    """The demo ``name``'s arrays and read-outs for ``values`` (defaults for the rest), with gru_lib.

    The keys are those of the browser's ``MODELS[name]`` in retention_demos.js; arrays are 1-D
    numpy arrays: h_0 … h_20 (21 values) for ``constant_gate``; h_1 … h_30 (the trace, 30 values)
    for the pulse demos; DIAL_GRID + 1 half-lives for ``half_life_dial``.
    """
    p = params(name, **values)
    if name == "constant_gate":
        return {
            "keep": constant_gate_trajectory(p["z"], p["candidate"], steps=STEPS_CONSTANT, update="keep"),
            "admit": constant_gate_trajectory(p["z"], p["candidate"], steps=STEPS_CONSTANT, update="admit"),
            "half_life_keep": half_life(p["z"]),
            "half_life_admit": half_life(1.0 - p["z"]),
        }
    if name == "gate_from_weights":
        noise = NOISE if p["noise"] else 0.0
        update = p["update"]
        main = run_pulse(p["b_z"], p["w_z"], update=update, steps=STEPS_PULSE, at=PULSE_AT, noise=noise)
        twin = run_pulse(
            -p["b_z"], -p["w_z"], update=other_convention(update), steps=STEPS_PULSE, at=PULSE_AT, noise=noise
        )
        h, h_twin = main.h[:, 0, 0], twin.h[:, 0, 0]
        logit = p["b_z"] if update == "keep" else -p["b_z"]
        return {
            "h": h,
            "h_twin": h_twin,
            "z": main.z[:, 0, 0],
            "z_twin": twin.z[:, 0, 0],
            "kept": float(sigmoid_pair(logit)[0]),
            "half_life": half_life_from_logit(logit),
            "memory_steps": memory_steps(h, at=PULSE_AT),
            "max_diff": float(np.max(np.abs(h - h_twin))),
        }
    if name == "two_conventions":
        keep, admit = run_pulse_pair(p["b_z"], p["w_z"], converted=p["converted"], steps=STEPS_PULSE, at=PULSE_AT)
        hk, ha = keep.h[:, 0, 0], admit.h[:, 0, 0]
        return {
            "keep": hk,
            "admit": ha,
            "max_diff": float(np.max(np.abs(hk - ha))),
            "memory_steps_keep": memory_steps(hk, at=PULSE_AT),
            "memory_steps_admit": memory_steps(ha, at=PULSE_AT),
        }
    z = p["z"]
    grid = dial_grid()
    marks = np.array(DIAL_MARKS)
    z_next = 1.0 - (1.0 - z) / 10.0
    return {
        "half_life_keep": half_life(z),
        "half_life_admit": half_life(1.0 - z),
        "z_next": z_next,
        "half_life_keep_next": half_life(z_next),
        "grid": grid,
        "keep_curve": half_life(grid),
        "admit_curve": half_life(1.0 - grid),
        "marks": marks,
        "keep_marks": half_life(marks),
        "admit_marks": half_life(1.0 - marks),
    }


def to_wire(result: dict[str, Any]) -> dict[str, Any]:
    """``result`` as JSON-safe values: arrays become lists, ∞ becomes ``None`` (the JavaScript reads it back as ∞)."""

    def clean(v: Any) -> Any:
        if isinstance(v, np.ndarray):
            return [clean(x) for x in v.tolist()]
        if isinstance(v, (float, np.floating)):
            return None if math.isinf(v) else float(v)
        if isinstance(v, (np.integer, int)) and not isinstance(v, bool):
            return int(v)
        return v

    return {k: clean(v) for k, v in result.items()}


def static_html(name: str, **initial: Any) -> str:
    """The website's snippet for the demo ``name``: a ``<div>`` the module fills, its stylesheet and module script.

    The browser loads ``../_static/retention_demos.js`` (relative to chapters/*.html) once however
    many demos a page has, and computes every slider move itself.
    """
    p = params(name, **initial)
    data = {"noisy_inputs": noisy_inputs().tolist()} if name == "gate_from_weights" else {}
    attrs = {
        "data-gru-demo": name,
        "data-params": json.dumps(p, separators=(",", ":")),
        "data-inputs": json.dumps(data, separators=(",", ":")),
    }
    attr_text = " ".join(f'{k}="{html.escape(v, quote=True)}"' for k, v in attrs.items())
    return (
        f'<link rel="stylesheet" href="{STATIC_URL}retention_demos.css">\n'
        f'<div class="gd-demo" {attr_text}><p class="gd-fallback">This live demo needs JavaScript.</p></div>\n'
        f'<script type="module" src="{STATIC_URL}retention_demos.js"></script>\n'
    )


def _widget_class() -> type:
    """The anywidget class, built on first use (importing anywidget needs ipywidgets' front-end parts)."""
    global _LiveDemo
    if _LiveDemo is None:
        import anywidget
        import traitlets

        class LiveDemo(anywidget.AnyWidget):
            """A retention demo in Jupyter: the JS draws; gru_lib recomputes ``data`` when ``params`` change."""

            _esm = JS
            _css = CSS
            name = traitlets.Unicode().tag(sync=True)
            params = traitlets.Dict().tag(sync=True)
            data = traitlets.Dict().tag(sync=True)

            def __init__(self, name: str, **initial: Any) -> None:
                p = params(name, **initial)
                super().__init__(name=name, params=p, data=to_wire(compute(name, **p)))

            @traitlets.observe("params")
            def _recompute(self, change: dict[str, Any]) -> None:
                self.data = to_wire(compute(self.name, **change["new"]))

        _LiveDemo = LiveDemo
    return _LiveDemo


_LiveDemo: type | None = None


def widget(name: str, **initial: Any) -> Any:
    """A new :class:`LiveDemo` anywidget for the demo ``name`` (not displayed)."""
    return _widget_class()(_name(name), **initial)


def live_frontend() -> bool:
    """True when a Jupyter front end that can show widgets runs this code.

    The environment variable ``GRU_BOOK_LIVE_DEMOS`` (``1`` or ``0``) decides if set. Otherwise
    the answer is whether an IPython kernel runs the current cell for a front end that accepts
    keyboard input: JupyterLab, Notebook and VS Code send ``allow_stdin=True`` with every
    execution, headless executors (nbclient, used by the book build; papermill) send ``False``.
    (``_allow_stdin`` is a private attribute of ipykernel's kernel, pinned in requirements.txt.)
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


def show(name: str, **initial: Any) -> Any:
    """Show the demo: the live anywidget in a Jupyter front end, the website's snippet otherwise.

    In JupyterLab, Notebook or VS Code (:func:`live_frontend`) this displays and
    returns the anywidget; when the book build executes the chapter it displays
    :func:`static_html` (the reader's browser then computes) and returns ``None``.
    """
    from IPython.display import HTML, display

    if live_frontend():
        w = widget(name, **initial)
        display(w)
        return w
    display(HTML(static_html(name, **initial)))
    return None
