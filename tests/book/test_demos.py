"""gru_book.demos: the website snippet, the Jupyter anywidget's round trip, and bad input."""

from __future__ import annotations

import html
import json
import math
import re

import numpy as np
import pytest

from gru_book import demos
from gru_book.retention import half_life, pulse_params, run_pulse, run_pulse_pair
from gru_lib import run


def _attrs(snippet: str) -> dict[str, str]:
    div = re.search(r"<div ([^>]*)>", snippet).group(1)
    return {k: html.unescape(v) for k, v in re.findall(r'([\w-]+)="([^"]*)"', div)}


@pytest.mark.parametrize("name", demos.NAMES)
def test_static_html_carries_the_parameters_and_loads_the_module_relatively(name):
    snippet = demos.static_html(name)
    attrs = _attrs(snippet)
    assert attrs["data-gru-demo"] == name
    assert json.loads(attrs["data-params"]) == demos.DEFAULTS[name]
    assert '<script type="module" src="../_static/retention_demos.js"></script>' in snippet
    assert 'href="../_static/retention_demos.css"' in snippet
    assert "http" not in snippet  # no network request: everything is relative to the site


def test_the_shipped_noise_reproduces_gru_libs_noisy_run():
    inputs = json.loads(_attrs(demos.static_html("gate_from_weights", noise=True))["data-inputs"])["noisy_inputs"]
    xs = np.array(inputs)[:, None, None]
    assert xs.shape == (30, 1, 1) and xs[2, 0, 0] == 1.0 and np.count_nonzero(xs) == 30
    for update in ("keep", "admit"):
        trace = run(pulse_params(2.5, -4.0), xs, update=update, reset="before")
        assert np.array_equal(trace.h, run_pulse(2.5, -4.0, update=update, steps=30, noise=0.3).h)


def test_initial_values_override_the_defaults():
    attrs = _attrs(demos.static_html("two_conventions", b_z=-3, converted=True))
    assert json.loads(attrs["data-params"]) == {"b_z": -3.0, "w_z": -4.0, "converted": True}


@pytest.mark.parametrize(
    ("name", "kwargs", "exc", "words"),
    [
        ("nope", {}, ValueError, "name must be one of"),
        ("constant_gate", {"zz": 0.5}, ValueError, "unknown parameter(s) ['zz']"),
        ("constant_gate", {"z": 1.5}, ValueError, "z must be a finite number in [0.0, 1.0]"),
        ("constant_gate", {"z": math.nan}, ValueError, "z must be a finite number"),
        ("constant_gate", {"candidate": "0.5"}, TypeError, "candidate must be a real number"),
        ("gate_from_weights", {"update": "type 1"}, ValueError, "update"),
        ("gate_from_weights", {"noise": 0.3}, TypeError, "noise must be a bool"),
        ("two_conventions", {"b_z": True}, TypeError, "b_z must be a real number"),
        ("half_life_dial", {"z": -0.1}, ValueError, "z must be a finite number in [0.0, 1.0]"),
    ],
)
def test_bad_input_names_the_argument(name, kwargs, exc, words):
    for fn in (demos.static_html, demos.compute):
        with pytest.raises(exc, match=re.escape(words)):
            fn(name, **kwargs)


def test_to_wire_is_json_and_keeps_infinity_as_null():
    wire = demos.to_wire(demos.compute("constant_gate", z=1.0))
    assert wire["half_life_keep"] is None and wire["half_life_admit"] == 0.0
    assert json.loads(json.dumps(wire, allow_nan=False)) == wire
    assert len(wire["keep"]) == 21 and wire["keep"] == [1.0] * 21


def test_the_dial_reads_each_extra_nine_as_ten_times_the_memory():
    for z in (0.9, 0.99, 0.999):
        r = demos.compute("half_life_dial", z=z)
        assert 9.5 < r["half_life_keep_next"] / r["half_life_keep"] < 10.5
    grid = demos.dial_grid()
    assert grid[0] == 0.5 and abs(grid[-1] - 0.9999) < 1e-15 and np.all(np.diff(grid) > 0)


def test_the_anywidget_recomputes_with_gru_lib_when_the_front_end_moves_a_control():
    w = demos.widget("two_conventions", b_z=1.5)
    try:
        assert w._esm == demos.JS.read_text(encoding="utf-8")  # the website's module, unchanged
        keep, admit = run_pulse_pair(1.5, -4.0, converted=False, steps=30, at=2)
        assert w.data["admit"] == admit.h[:, 0, 0].tolist() and w.data["max_diff"] > 0.5
        w.params = {**w.params, "converted": True}  # what the JavaScript sends on a tick
        assert w.data["admit"] == keep.h[:, 0, 0].tolist() == w.data["keep"] and w.data["max_diff"] == 0.0
        with pytest.raises(ValueError, match="unknown parameter"):
            w.params = {**w.params, "noise": True}
    finally:
        w.close()


def test_show_without_a_front_end_displays_the_site_snippet(monkeypatch):
    monkeypatch.setenv("GRU_BOOK_LIVE_DEMOS", "0")
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj: shown.append(obj))
    assert demos.show("half_life_dial", z=0.99) is None
    assert len(shown) == 1 and shown[0].data == demos.static_html("half_life_dial", z=0.99)
    assert half_life(0.99) == pytest.approx(68.97, abs=0.005)


def test_live_frontend_is_false_without_a_kernel_and_can_be_forced(monkeypatch):
    monkeypatch.delenv(demos.LIVE_ENV, raising=False)
    assert demos.live_frontend() is False  # no IPython kernel in pytest
    monkeypatch.setenv(demos.LIVE_ENV, "1")
    assert demos.live_frontend() is True
    monkeypatch.setenv(demos.LIVE_ENV, "0")
    assert demos.live_frontend() is False
    monkeypatch.setenv(demos.LIVE_ENV, "yes")
    with pytest.raises(ValueError, match="'0' or '1'"):
        demos.live_frontend()
