"""The website as readers see it, in headless Chromium, with every request to another host blocked.

Runs against the built site (``$SITE_DIR``, default ``_build/html``) served on localhost (see
conftest.py). Fails, never skips, when the site or the browser is missing.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import EVERY_IMAGE_JS, chapter_pages, require_site, screenshot_dir, site_dir, site_pages

pytestmark = pytest.mark.browser


def _source(page_path: str) -> str:
    return (require_site() / page_path).read_text(encoding="utf-8")


def _pages_with(pattern: str) -> list[str]:
    """Site pages whose HTML matches ``pattern`` (a regular expression on the built file)."""
    root = require_site()
    rx = re.compile(pattern)
    return [p for p in site_pages() if rx.search((root / p).read_text(encoding="utf-8"))]


MATH_RX = r'class="math notranslate'
DROPDOWN_RX = r'class="solution dropdown'


def _open(page, url: str) -> None:
    response = page.goto(url, wait_until="load")
    assert response is not None and response.ok, f"{url}: HTTP {response and response.status}"


def _typeset(page) -> dict:
    """What the build's math typesetting (tools/prerender_math.mjs) left on the page, as the browser lays it out."""
    return page.evaluate(
        """() => {
            const maths = [...document.querySelectorAll('.math')];
            const svgOf = m => m.querySelector('mjx-container > svg');
            return {
              maths: maths.length,
              untypeset: maths.filter(m => !svgOf(m)).map(m => m.textContent.slice(0, 80)),
              // shown (not inside a closed dropdown) yet drawing nothing
              invisible: maths.filter(m => svgOf(m) && m.getClientRects().length > 0
                                           && svgOf(m).getBoundingClientRect().width < 1)
                              .map(m => m.querySelector('mjx-container').dataset.tex.slice(0, 80)),
              unlabelled: maths.filter(m => svgOf(m) && !m.querySelector('mjx-assistive-mml math'))
                               .map(m => m.textContent.slice(0, 80)),
              containers: document.querySelectorAll('mjx-container').length,
              errors: [...document.querySelectorAll('mjx-merror, [data-mjx-error]')]
                        .map(e => e.getAttribute('data-mjx-error') || e.textContent),
              // display equations wider than the text column: cut off or scrolling for the reader
              too_wide: [...document.querySelectorAll('mjx-container[display="true"]')]
                        .filter(c => {
                          const col = c.closest('article') || document.body;
                          const svg = c.querySelector('svg');
                          return svg && svg.getBoundingClientRect().right > col.getBoundingClientRect().right + 2;
                        })
                        .map(c => c.dataset.tex.slice(0, 80)),
            };
        }"""
    )


@pytest.mark.parametrize("page_path", site_pages())
def test_page_loads_offline_with_typeset_math(offline_page, site_url, page_path):
    """Every page: no JS error, no failed request, nothing from other hosts, equations typeset."""
    page, watch = offline_page
    source = _source(page_path)
    _open(page, site_url + page_path)
    if re.search(MATH_RX, source):
        mj = _typeset(page)
        assert mj["maths"] > 0 and mj["containers"] >= mj["maths"], mj
        assert not mj["untypeset"], f"math left as TeX source: {mj['untypeset']}"
        assert not mj["invisible"], f"typeset math that draws nothing: {mj['invisible']}"
        assert not mj["unlabelled"], f"math without MathML for screen readers: {mj['unlabelled']}"
        assert not mj["errors"], f"MathJax errors: {mj['errors']}"
        assert not mj["too_wide"], f"display equations wider than the page's text column: {mj['too_wide']}"
    page.wait_for_load_state("networkidle")
    assert not watch.problems(), "\n".join(watch.problems())
    if page_path in chapter_pages():
        out = screenshot_dir() / (Path(page_path).stem + ".png")
        out.parent.mkdir(parents=True, exist_ok=True)
        page.evaluate(EVERY_IMAGE_JS)  # every figure in the picture, though they load lazily
        page.screenshot(path=str(out), full_page=True)
        assert out.stat().st_size > 1000


def test_math_is_typeset_at_build_time_and_no_page_loads_mathjax():
    """Equations exist; the build typeset them (SVG plus MathML), so no page downloads MathJax."""
    pages = _pages_with(MATH_RX)
    assert pages, "no page of the site contains an equation"
    for page_path in pages:
        source = _source(page_path)
        assert not re.findall(r'<script[^>]*src="[^"]*mathjax[^"]*"', source, re.I), f"{page_path} loads MathJax"
        assert "window.MathJax" not in source, f"{page_path} still configures MathJax"
        assert 'id="MJX-SVG-global-cache"' in source and "<mjx-container" in source, page_path


def test_no_page_references_other_hosts_for_scripts_or_styles():
    """No <script src>, <link href> (stylesheet, preload, font) or <img src> points off-site."""
    tag_rx = re.compile(r"<(script|link|img|iframe)\b[^>]*>", re.I | re.S)
    url_rx = re.compile(r'\b(?:src|href)\s*=\s*"((?:https?:)?//[^"]*)"', re.I)
    offenders = []
    for page_path in site_pages():
        for tag in tag_rx.finditer(_source(page_path)):
            text = tag.group(0)
            if tag.group(1).lower() == "link" and not re.search(
                r'rel="(stylesheet|preload|prefetch|icon|modulepreload)"', text
            ):
                continue
            offenders += [f"{page_path}: {u}" for u in url_rx.findall(text)]
    assert not offenders, "\n".join(offenders)


def test_solution_dropdowns_open_on_click(offline_page, site_url):
    """Every exercise solution is folded on the page and unfolds when its title is clicked."""
    pages = _pages_with(DROPDOWN_RX)
    assert pages, "no solution dropdown anywhere on the site"
    page, watch = offline_page
    checked = 0
    for page_path in pages:
        _open(page, site_url + page_path)
        dropdowns = page.locator("div.solution.dropdown")
        for i in range(dropdowns.count()):
            box = dropdowns.nth(i)
            body = box.locator(":scope > :not(.admonition-title)").first
            box.scroll_into_view_if_needed()
            # sphinx-togglebutton folds the box once its script has run
            page.wait_for_function(
                "el => el.classList.contains('toggle-hidden')",
                arg=box.element_handle(),
                timeout=10_000,
            )
            assert not body.is_visible(), f"{page_path}: solution {i} is not folded"
            box.locator(".admonition-title button.toggle-button").click()
            body.wait_for(state="visible", timeout=5_000)
            assert "toggle-hidden" not in (box.get_attribute("class") or "")
            checked += 1
    assert checked >= 1
    assert not watch.problems(), "\n".join(watch.problems())


def test_search_finds_update_gate(offline_page, site_url):
    page, watch = offline_page
    _open(page, site_url + "search.html?q=update+gate")
    hits = page.locator("#search-results ul.search li")
    hits.first.wait_for(timeout=20_000)
    links = [hits.nth(i).locator("a").first.get_attribute("href") for i in range(hits.count())]
    assert any(h and h.startswith("chapters/") for h in links), links
    assert not watch.problems(), "\n".join(watch.problems())


def test_site_dir_is_the_one_under_test():
    """Guard against testing a stale or empty folder: the site has an index and chapter pages."""
    root = require_site()
    assert root == site_dir()
    assert any(p.startswith("chapters/") for p in site_pages()), site_pages()
