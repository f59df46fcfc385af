"""What the theme loads before a page is read, and what it may load after.

- The theme's Bootstrap (dropdown menus, header tooltips, back-to-top button) is added after the
  page's load event by ``chapters/_static/bootstrap_after_load.js``
  (``book_furniture.bootstrap_after_load``); a dropdown clicked before it has arrived still opens.
- A live demo's stylesheet and module appear once per page however many demos it has
  (``book_furniture.drop_repeated_assets``).

Built-page checks need ``make book``.
"""

from __future__ import annotations

import re

import pytest
from conftest import REPO, load_module, require_site, site_pages, watched_page
from hypothesis import given
from hypothesis import strategies as st

furniture = load_module(REPO / "_ext" / "book_furniture.py")

browser_test = pytest.mark.browser

THEME_HEAD = (
    '<link rel="preload" as="script" href="../_static/scripts/bootstrap.js?digest=abc" />\n'
    '<link rel="preload" as="script" href="../_static/scripts/pydata-sphinx-theme.js?digest=abc" />\n'
    '<script defer src="../_static/scripts/bootstrap.js?digest=abc"></script>\n'
    '<script defer src="../_static/scripts/pydata-sphinx-theme.js?digest=abc"></script>\n'
)
SCRIPT_SRC = re.compile(r"<script\b[^>]*\ssrc=\"([^\"]+)\"[^>]*>")


# ------------------------------------------------------------------------------- Bootstrap later
def test_bootstrap_after_load_swaps_the_script_for_the_loader_and_drops_its_preload():
    out = furniture.bootstrap_after_load(THEME_HEAD)
    assert not [src for src in SCRIPT_SRC.findall(out) if "scripts/bootstrap.js" in src], out
    assert 'rel="preload" as="script" href="../_static/scripts/bootstrap.js' not in out
    assert (
        '<script defer src="../_static/bootstrap_after_load.js" data-src="../_static/scripts/bootstrap.js?digest=abc">'
        in out
    )
    # the theme's own script and its preload are left as they were
    assert '<script defer src="../_static/scripts/pydata-sphinx-theme.js?digest=abc"></script>' in out
    assert 'href="../_static/scripts/pydata-sphinx-theme.js?digest=abc"' in out
    assert furniture.bootstrap_after_load(out) == out  # a rewritten page comes back unchanged


def test_bootstrap_after_load_leaves_a_page_without_bootstrap_alone_and_names_bad_input():
    page = "<html><head><title>x</title></head><body><p>no theme</p></body></html>"
    assert furniture.bootstrap_after_load(page) == page
    with pytest.raises(ValueError, match="at most once; found it 2 times"):
        furniture.bootstrap_after_load(THEME_HEAD + THEME_HEAD)
    with pytest.raises(TypeError, match="page must be a str; got bytes"):
        furniture.bootstrap_after_load(THEME_HEAD.encode())


# ------------------------------------------------------------------------- one copy of an asset
DEMO = (
    '<link rel="stylesheet" href="../_static/retention_demos.css">\n'
    '<div class="gd-demo" data-gru-demo="{name}"></div>\n'
    '<script type="module" src="../_static/retention_demos.js"></script>\n'
)


@given(st.lists(st.sampled_from(["single_gate", "half_life", "gate_from_weights"]), min_size=1, max_size=6))
def test_drop_repeated_assets_keeps_each_asset_once_and_every_demo(names):
    page = "<body>\n" + "".join(DEMO.format(name=n) for n in names) + "</body>\n"
    out = furniture.drop_repeated_assets(page)
    assert out.count("retention_demos.css") == 1 and out.count("retention_demos.js") == 1
    assert out.index("retention_demos.css") < out.index("gd-demo")  # the stylesheet before the first demo
    assert re.findall(r'data-gru-demo="(\w+)"', out) == names
    assert furniture.drop_repeated_assets(out) == out


def test_drop_repeated_assets_leaves_other_links_and_names_bad_input():
    page = '<link rel="stylesheet" href="a.css">\n<link rel="stylesheet" href="b.css">\n<script src="c.js"></script>\n'
    assert furniture.drop_repeated_assets(page) == page
    with pytest.raises(TypeError, match="page must be a str; got NoneType"):
        furniture.drop_repeated_assets(None)


# ---------------------------------------------------------------------------------- built pages
@pytest.mark.slow
def test_every_built_page_loads_bootstrap_through_the_loader_and_each_demo_asset_once():
    root = require_site()
    assert (root / "_static" / furniture.BOOTSTRAP_LOADER).is_file()
    for page_path in site_pages():
        page = (root / page_path).read_text(encoding="utf-8")
        if 'class="bd-header' not in page:
            continue  # a page without the theme (the redirect)
        sources = SCRIPT_SRC.findall(page)
        assert not [s for s in sources if "scripts/bootstrap.js" in s], f"{page_path} still loads Bootstrap at once"
        loaders = re.findall(r'<script defer src="([^"]*bootstrap_after_load\.js)" data-src="([^"]+)">', page)
        assert len(loaders) == 1, f"{page_path}: {len(loaders)} Bootstrap loaders"
        target = (root / page_path).parent / loaders[0][1].split("?")[0]
        assert target.resolve().is_file(), f"{page_path}: data-src {loaders[0][1]} names no file"
        for asset in set(re.findall(r'(?:href|src)="([^"]*retention_demos\.(?:css|js))"', page)):
            assert page.count(f'"{asset}"') == 1, f"{page_path}: {asset} more than once"


# ------------------------------------------------------------------------------------ in Chromium
_TIMES = """(name) => {
  const nav = performance.getEntriesByType("navigation")[0];
  const entry = performance.getEntriesByType("resource").find((e) => e.name.includes(name));
  return { loadStart: nav.loadEventStart, fetchStart: entry ? entry.startTime : null };
}"""


def _open_menu(page):
    return page.locator(".dropdown-download-buttons .dropdown-menu.show")


@browser_test
@pytest.mark.parametrize("width", [390, 1280])
def test_bootstrap_arrives_after_load_and_the_theme_works(browser, site_url, width):
    context, page, watch = watched_page(browser, width=width, height=900)
    try:
        page.goto(site_url + "chapters/proof.html", wait_until="load")
        page.wait_for_function("() => window.bootstrap !== undefined", timeout=10_000)
        times = page.evaluate(_TIMES, "scripts/bootstrap.js")
        assert times["fetchStart"] is not None and times["fetchStart"] >= times["loadStart"], times
        tooltips = page.evaluate(
            """() => [...document.querySelectorAll('[data-bs-toggle="tooltip"]')]
                 .map((el) => window.bootstrap.Tooltip.getInstance(el) !== null)"""
        )
        assert tooltips and all(tooltips), f"header tooltips not set up: {tooltips}"
        toggle = page.locator('.dropdown-download-buttons [data-bs-toggle="dropdown"]')
        toggle.click()
        assert _open_menu(page).is_visible() and toggle.get_attribute("aria-expanded") == "true"
        page.keyboard.press("Escape")
        page.wait_for_function("() => !document.querySelector('.dropdown-download-buttons .dropdown-menu.show')")
        assert watch.problems() == []
    finally:
        context.close()


@browser_test
def test_a_dropdown_clicked_before_bootstrap_arrives_opens_once_it_has(browser, site_url):
    context, page, watch = watched_page(browser)
    held = []
    try:
        page.route("**/scripts/bootstrap.js*", lambda route: held.append(route))
        page.goto(site_url + "chapters/retention.html", wait_until="load")
        page.wait_for_function("() => document.querySelector('script[src*=\"scripts/bootstrap.js\"]') !== null")
        assert page.evaluate("() => window.bootstrap") is None
        page.locator('.dropdown-download-buttons [data-bs-toggle="dropdown"]').click()
        assert not _open_menu(page).is_visible(), "the menu opened without Bootstrap"
        assert len(held) == 1, f"Bootstrap requested {len(held)} times"
        held[0].continue_()
        _open_menu(page).wait_for(state="visible", timeout=10_000)
        toggle = page.locator('.dropdown-download-buttons [data-bs-toggle="dropdown"]')
        assert toggle.get_attribute("aria-expanded") == "true"
        assert watch.problems() == []
    finally:
        context.close()
