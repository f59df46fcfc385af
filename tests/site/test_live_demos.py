"""The live retention demos in headless Chromium: the browser's model is gru_lib's model.

The page's own JavaScript model (``window.gruDemos.model``) is evaluated on a grid of parameters,
the extremes included (b_z, w_z = ±50, z = 0 and 1, both conventions, converted or not), and
compared with gru_lib computed here, in the test (gru_book.retention runs gru_lib.run). The
page is the harness (tests/site/live_demos_harness.py: the four ``demos.static_html`` snippets)
and, once the chapter carries the demos, the built ``chapters/retention.html``; a built
retention page without the four demos is a failure, not a skip.
"""

from __future__ import annotations

import importlib.util
import json
import math
import random
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import require_site, watched_page

from gru_book import demos
from gru_book.retention import (
    constant_gate_trajectory,
    half_life,
    half_life_from_logit,
    memory_steps,
    pulse_params,
    pulse_sequence,
    run_pulse,
    run_pulse_pair,
)
from gru_lib import other_convention, run, sigmoid

pytestmark = pytest.mark.browser


def _load_harness():
    """tests/site/live_demos_harness.py (``tests/site`` is no package: ``site`` is a stdlib name)."""
    path = Path(__file__).with_name("live_demos_harness.py")
    spec = importlib.util.spec_from_file_location("live_demos_harness", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(spec.name, module)
    spec.loader.exec_module(module)
    return module


harness = _load_harness()
PAGE, build, serve = harness.PAGE, harness.build, harness.serve

RTOL = 1e-12
BIASES = (-50.0, -10.0, -3.0, -0.5, 0.0, 0.5, 3.0, 10.0, 50.0)
WEIGHTS = (-50.0, -4.0, 0.0, 2.5, 50.0)
Z_VALUES = (0.0, 1e-12, 0.05, 0.5, 0.8, 0.99, 1.0 - 1e-9, 1.0)
CANDIDATES = (-1.0, -0.5, 0.0, 0.7, 1.0)
DIAL_Z = (0.0, 0.5, 0.9, 0.99, 0.9999, 1.0 - 1e-12, 1.0)
RETENTION = "chapters/retention.html"


@pytest.fixture(scope="module")
def harness_url(tmp_path_factory):
    folder = tmp_path_factory.mktemp("live-demos")
    build(folder)
    with serve(folder) as url:
        yield url + PAGE


@pytest.fixture(scope="module")
def built_url():
    root = require_site()
    with serve(root) as url:
        yield url + RETENTION


def _open(browser, url: str, width: int = 1280, height: int = 900):
    """A fresh page at ``url`` with every request off localhost aborted; returns (context, page, watch)."""
    context, page, watch = watched_page(browser, width, height)
    response = page.goto(url, wait_until="load")
    assert response is not None and response.ok, f"{url}: HTTP {response and response.status}"
    page.wait_for_function(
        f"document.querySelectorAll('[data-gru-demo-ready]').length >= {len(demos.NAMES)}", timeout=10_000
    )
    return context, page, watch


@pytest.fixture(params=["harness", "built retention page"])
def demo_page(request, browser):
    if request.param == "harness":
        url = request.getfixturevalue("harness_url")
    else:
        url = request.getfixturevalue("built_url")
        html = (require_site() / RETENTION).read_text(encoding="utf-8")
        missing = [n for n in demos.NAMES if f'data-gru-demo="{n}"' not in html]
        if missing:
            pytest.fail(
                f"{RETENTION} lacks the live demos {missing}: put `demos.show(NAME)` cells in "
                "chapters/retention.md (see CONTRIBUTING.md, Live demos) and rebuild",
                pytrace=False,
            )
    context, page, watch = _open(browser, url)
    yield page, watch
    context.close()


# ------------------------------------------------------------------ gru_lib's side, computed here
def _py_constant(z: float, c: float) -> dict:
    return {
        "keep": constant_gate_trajectory(z, c, steps=20, update="keep"),
        "admit": constant_gate_trajectory(z, c, steps=20, update="admit"),
        "half_life_keep": half_life(z),
        "half_life_admit": half_life(1.0 - z),
    }


def _py_pulse(b: float, w: float, update: str, noise: bool) -> dict:
    scale = 0.3 if noise else 0.0
    main = run_pulse(b, w, update=update, steps=30, at=2, noise=scale)
    twin = run_pulse(-b, -w, update=other_convention(update), steps=30, at=2, noise=scale)
    logit = b if update == "keep" else -b
    return {
        "h": main.h[:, 0, 0],
        "h_twin": twin.h[:, 0, 0],
        "z": main.z[:, 0, 0],
        "z_twin": twin.z[:, 0, 0],
        "kept": float(sigmoid(logit)),
        "half_life": half_life_from_logit(logit),
        "memory_steps": memory_steps(main.h, at=2),
        "max_diff": 0.0,
    }


def _py_two(b: float, w: float, converted: bool) -> dict:
    keep, admit = run_pulse_pair(b, w, converted=converted, steps=30, at=2)
    return {
        "keep": keep.h[:, 0, 0],
        "admit": admit.h[:, 0, 0],
        "max_diff": float(np.max(np.abs(keep.h - admit.h))),
        "memory_steps_keep": memory_steps(keep.h, at=2),
        "memory_steps_admit": memory_steps(admit.h, at=2),
    }


def _py_dial(z: float, grid: list[float]) -> dict:
    g = np.asarray(grid)
    marks = np.array([0.5, 0.9, 0.99, 0.999, 0.9999])
    return {
        "half_life_keep": half_life(z),
        "half_life_admit": half_life(1.0 - z),
        "z_next": 1.0 - (1.0 - z) / 10.0,
        "half_life_keep_next": half_life(1.0 - (1.0 - z) / 10.0),
        "grid": g,
        "keep_curve": half_life(g),
        "admit_curve": half_life(1.0 - g),
        "marks": marks,
        "keep_marks": half_life(marks),
        "admit_marks": half_life(1.0 - marks),
    }


def _grid() -> list[tuple[str, dict]]:
    cases = [("constant_gate", {"z": z, "candidate": c}) for z in Z_VALUES for c in CANDIDATES]
    cases += [
        ("gate_from_weights", {"b_z": b, "w_z": w, "update": u, "noise": n})
        for b in BIASES
        for w in WEIGHTS
        for u in ("keep", "admit")
        for n in (False, True)
    ]
    cases += [
        ("two_conventions", {"b_z": b, "w_z": w, "converted": c})
        for b in BIASES
        for w in WEIGHTS
        for c in (False, True)
    ]
    cases += [("half_life_dial", {"z": z}) for z in DIAL_Z]
    return cases


def _assert_close(where: str, js, py) -> None:
    js_arr = np.atleast_1d(np.asarray(js, dtype=float))
    py_arr = np.atleast_1d(np.asarray(py, dtype=float))
    assert js_arr.shape == py_arr.shape, f"{where}: shape {js_arr.shape} in the browser, {py_arr.shape} in gru_lib"
    assert not np.isnan(js_arr).any(), f"{where}: NaN in the browser: {js_arr}"
    same_inf = np.isinf(py_arr) == np.isinf(js_arr)
    assert same_inf.all() and (js_arr[np.isinf(py_arr)] == py_arr[np.isinf(py_arr)]).all(), (
        f"{where}: ∞ differs: browser {js_arr}, gru_lib {py_arr}"
    )
    fin = np.isfinite(py_arr)
    err = np.abs(js_arr[fin] - py_arr[fin])
    # relative 1e-12; below 1e-290 (subnormal territory, where a float has few digits) absolutely
    bound = np.maximum(RTOL * np.abs(py_arr[fin]), 1e-290)
    worst = int(np.argmax(err / bound)) if err.size else 0
    assert (err <= bound).all(), (
        f"{where}: browser {js_arr[fin][worst]!r} vs gru_lib {py_arr[fin][worst]!r} "
        f"(relative {err[worst] / max(abs(py_arr[fin][worst]), 1e-300):.2e})"
    )


def test_the_browsers_model_is_gru_libs(demo_page):
    page, watch = demo_page
    cases = _grid()
    results = page.evaluate("cases => cases.map(([name, p]) => window.gruDemos.model(name, p))", cases)
    assert len(results) == len(cases)
    seen = set()
    for (name, p), js in zip(cases, results, strict=True):
        where = f"{name} {json.dumps(p)}"
        if name == "constant_gate":
            py = _py_constant(p["z"], p["candidate"])
        elif name == "gate_from_weights":
            py = _py_pulse(p["b_z"], p["w_z"], p["update"], p["noise"])
            # the twin is the same model: bit for bit in the browser too
            assert js["h"] == js["h_twin"] and js["max_diff"] == 0, where
        elif name == "two_conventions":
            py = _py_two(p["b_z"], p["w_z"], p["converted"])
            if p["converted"]:
                assert js["keep"] == js["admit"] and js["max_diff"] == 0, where
        else:
            # the grid is the dial's own input: check it is the documented one, then use it
            np.testing.assert_allclose(js["grid"], demos.dial_grid(), rtol=0, atol=4e-16)
            py = _py_dial(p["z"], js["grid"])
        assert set(js) == set(py) == set(demos.compute(name, **p)), where
        for key in py:
            _assert_close(f"{where} {key}", js[key], py[key])
        seen.add(name)
    assert seen == set(demos.NAMES)
    assert not watch.problems(), watch.problems()


def test_the_noise_in_the_page_is_gru_libs_noise(demo_page):
    """The noisy inputs shipped in the page (no numpy RNG in the browser) are pulse_sequence's."""
    page, _ = demo_page
    shipped = page.evaluate("JSON.parse(document.querySelector('[data-gru-demo=gate_from_weights]').dataset.inputs)")
    xs = np.array(shipped["noisy_inputs"])[:, None, None]
    assert np.array_equal(xs, pulse_sequence(30, at=2, noise=0.3))
    trace = run(pulse_params(3.0, -4.0), xs, update="keep", reset="before")
    assert np.array_equal(trace.h, run_pulse(3.0, -4.0, update="keep", steps=30, noise=0.3).h)


def _readouts(page) -> list[str]:
    return page.evaluate("[...document.querySelectorAll('.gd-readout')].map(r => r.textContent)")


def test_extremes_give_no_nan_and_no_console_error(demo_page):
    page, watch = demo_page
    for edge in ("min", "max"):
        page.evaluate(
            """edge => {
            for (const input of document.querySelectorAll('.gd-demo input[type=range]')) {
              input.value = input[edge];
              input.dispatchEvent(new Event('input', {bubbles: true}));
            }
            for (const box of document.querySelectorAll('.gd-demo input[type=checkbox], .gd-demo input[type=radio]')) {
              box.click();
            }
        }""",
            edge,
        )
        texts = _readouts(page)
        assert len(texts) == len(demos.NAMES)
        assert not any("NaN" in t or "undefined" in t for t in texts), texts
        d = page.evaluate("[...document.querySelectorAll('.gd-demo path')].map(p => p.getAttribute('d') || '')")
        assert d and not any("NaN" in x or "Infinity" in x for x in d)
    # z = 1 (constant gate, slider at its max): keep never forgets, admit forgets at once
    assert "t½ keep∞ steps" in texts[0] and "t½ admit0.00 steps" in texts[0], texts[0]
    assert not watch.problems(), watch.problems()


def test_random_slider_moves_keep_the_dom_the_same_size(demo_page):
    page, watch = demo_page
    rng = random.Random(14)
    n_inputs = page.evaluate("document.querySelectorAll('.gd-demo input').length")
    moves = [(rng.randrange(n_inputs), rng.random()) for _ in range(200)]
    counts = page.evaluate(
        """moves => {
        const inputs = [...document.querySelectorAll('.gd-demo input')];
        const count = () => document.getElementsByTagName('*').length;
        const out = [count()];
        for (const [i, u] of moves) {
          const input = inputs[i];
          if (input.type === 'range') {
            const lo = Number(input.min), hi = Number(input.max);
            input.value = String(lo + u * (hi - lo));
            input.dispatchEvent(new Event('input', {bubbles: true}));
          } else {
            input.click();
          }
          out.push(count());
        }
        return out;
    }""",
        moves,
    )
    assert len(set(counts)) == 1, f"DOM node count changed over 200 moves: from {counts[0]} to {sorted(set(counts))}"
    assert not watch.problems(), watch.problems()


def test_sliders_are_labelled_keyboard_operable_and_announced(demo_page):
    page, watch = demo_page
    info = page.evaluate("""() => [...document.querySelectorAll('.gd-demo input[type=range]')].map(i => {
        const label = document.querySelector(`label[for="${i.id}"]`);
        return {id: i.id, label: label && label.textContent, visible: !!label && label.offsetHeight > 0,
                valuetext: i.getAttribute('aria-valuetext')};
    })""")
    assert len(info) == 7  # z, candidate; b_z, w_z; b_z, w_z; the dial's z
    for item in info:
        assert item["visible"] and "=" in item["label"], item
        assert item["valuetext"] and item["valuetext"].endswith(item["label"].split("= ")[-1]), item
    live = page.evaluate("[...document.querySelectorAll('.gd-readout')].map(r => r.getAttribute('aria-live'))")
    assert live == ["polite"] * len(demos.NAMES)
    # keyboard: focus the first slider, press → and End; the label, aria-valuetext and read-out follow
    first = page.locator(".gd-demo input[type=range]").first
    before = (first.get_attribute("aria-valuetext"), _readouts(page)[0])
    first.focus()
    page.keyboard.press("ArrowRight")
    after = (first.get_attribute("aria-valuetext"), _readouts(page)[0])
    assert after[0] != before[0] and after[1] != before[1]
    assert after[0] == "update gate z = 0.81"
    page.keyboard.press("End")
    assert first.get_attribute("aria-valuetext") == "update gate z = 1.00"
    # the convention radio and the conversion checkbox are reachable and change the figure
    demo3 = page.locator("[data-gru-demo=two_conventions]")
    text0 = demo3.locator(".gd-readout").text_content()
    demo3.locator("input[type=checkbox]").focus()
    page.keyboard.press("Space")
    text1 = demo3.locator(".gd-readout").text_content()
    assert "max|Δh|0" in text1.replace(" ", "") and text1 != text0, text1
    assert not watch.problems(), watch.problems()


@pytest.mark.parametrize("width", [390, 1280])
def test_fits_the_width_without_horizontal_scroll(browser, harness_url, width):
    context, page, watch = _open(browser, harness_url, width=width, height=844)
    try:
        sizes = page.evaluate("""() => ({doc: document.documentElement.scrollWidth,
            svgs: [...document.querySelectorAll('.gd-svg')].map(s => s.getBoundingClientRect().right)})""")
        assert sizes["doc"] <= width, sizes
        assert all(right <= width for right in sizes["svgs"]), sizes
        # text in the figures stays readable: no tick label under 11 CSS px after scaling
        smallest = page.evaluate("""() => Math.min(...[...document.querySelectorAll('.gd-tick')]
            .map(t => t.getBoundingClientRect().height))""")
        assert smallest >= 11, smallest
        assert not watch.problems(), watch.problems()
    finally:
        context.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_a_demo_drawn_late_takes_its_own_width(browser, built_url, width):
    """On the built page a demo below the first screen sits in a section the browser draws only near
    the screen: until then its controls and read-outs are there and its figure is a named, empty
    image; once the reader is there it is drawn, at its own box's width."""
    context, page, watch = _open(browser, built_url, width=width, height=844)
    try:
        roots = page.locator("[data-gru-demo]")
        late = page.evaluate("""() => [...document.querySelectorAll('[data-gru-demo]')]
            .filter(r => !r.querySelector('.gd-figure').checkVisibility({contentVisibilityAuto: true}))
            .map(r => ({svg: r.querySelectorAll('.gd-svg').length, paths: r.querySelectorAll('.gd-svg path').length,
                        label: r.querySelector('.gd-svg').getAttribute('aria-label'),
                        role: r.querySelector('.gd-svg').getAttribute('role'),
                        sliders: r.querySelectorAll('input[type=range][aria-valuetext]').length,
                        readouts: [...r.querySelectorAll('.gd-readout dd')].filter(d => d.textContent).length}))""")
        assert late, "every demo is in the first screen's sections: nothing drawn late to check"
        for demo in late:
            assert demo["svg"] == 1 and demo["paths"] == 0 and demo["role"] == "img" and demo["label"], demo
            assert demo["sliders"] >= 1 and demo["readouts"] >= 3, demo
        for k in range(roots.count()):
            roots.nth(k).scroll_into_view_if_needed()
            page.wait_for_timeout(200)
            box, drawn = page.evaluate(
                """(k) => { const r = document.querySelectorAll('[data-gru-demo]')[k];
                    return [r.querySelector('.gd-figure').clientWidth,
                            Number(r.querySelector('.gd-svg').getAttribute('viewBox').split(' ')[2])]; }""",
                k,
            )
            assert drawn == max(300, min(760, box)), f"demo {k} at {width} px: drawn {drawn} px wide in a {box} px box"
            assert (
                page.evaluate(
                    "(k) => document.querySelectorAll('[data-gru-demo]')[k].querySelectorAll('.gd-svg path').length", k
                )
                >= 2
            ), f"demo {k} at {width} px: no curves drawn"
        assert not watch.problems(), watch.problems()
    finally:
        context.close()


def test_the_model_rejects_bad_parameters(browser, harness_url):
    context, page, watch = _open(browser, harness_url)
    try:
        errors = page.evaluate("""() => [
            ['constant_gate', {z: 1.5, candidate: 0}], ['constant_gate', {z: NaN, candidate: 0}],
            ['gate_from_weights', {b_z: 0, w_z: 0, update: 'type 1'}],
            ['two_conventions', {b_z: 0, w_z: 0, converted: 'yes'}], ['nope', {}],
        ].map(([n, p]) => { try { window.gruDemos.model(n, p); return null; } catch (e) { return e.message; } })""")
        assert all(errors), errors
        assert "z must be" in errors[0] and "update must be one of keep, admit" in errors[2]
        assert not math.isnan(page.evaluate("window.gruDemos.model('half_life_dial', {z: 1}).half_life_admit"))
        assert not watch.problems(), watch.problems()
    finally:
        context.close()
