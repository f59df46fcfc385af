"""Tab stops for regions that scroll, set section by section (chapters/_static/tab_stops.js) in
place of the theme's page-wide pass, which book_furniture.patch_theme_script switches off.

A keyboard reader must be able to focus every code block, output or table that scrolls (WCAG
2.1.1; axe's scrollable-region-focusable); a region that does not scroll should not be a tab stop
once its section has been drawn. Built-page checks need ``make book``.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from conftest import REPO, require_site, watched_page

_spec = importlib.util.spec_from_file_location("book_furniture_tabs", REPO / "_ext" / "book_furniture.py")
furniture = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(furniture)

browser_test = pytest.mark.browser

REGIONS = ", ".join(
    [
        "pre",
        ".nboutput > .output_area",
        ".cell_output > .output",
        ".jp-RenderedHTMLCommon",
        ".pst-scrollable-table-container",
    ]
)
LAZY = ".bd-article > section > section"
PAGES = ("chapters/proof.html", "chapters/frameworks.html", "chapters/retention.html", "chapters/training.html")

#: For every region: [does it scroll, its tabIndex, is it in a lazily drawn section, is that section drawn].
_STATE = f"""() => [...document.querySelectorAll({REGIONS!r})].map(el => {{
    const section = el.closest({LAZY!r});
    return [el.scrollWidth > el.clientWidth || el.scrollHeight > el.clientHeight, el.tabIndex,
            section !== null,
            section === null || section.firstElementChild.checkVisibility({{contentVisibilityAuto: true}})];
}})"""


def _theme_source() -> str:
    import pydata_sphinx_theme

    path = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "static" / "scripts"
    return (path / "pydata-sphinx-theme.js").read_text(encoding="utf-8")


def test_the_patch_finds_the_theme_pass_once_and_empties_it():
    source = _theme_source()
    patched = furniture.patch_theme_script(source)
    assert len(furniture.THEME_TAB_STOPS.findall(source)) == 1
    assert not furniture.THEME_TAB_STOPS.findall(patched)
    assert "scrollWidth>e.clientWidth" not in patched and "tab_stops.js" in patched
    assert furniture.patch_theme_script(patched) == patched  # a second build leaves it alone
    assert len(source) - len(patched) > 200  # the pass's body went, nothing else


@pytest.mark.parametrize("copies", [0, 2])
def test_the_patch_refuses_a_theme_it_does_not_recognise(copies):
    source = _theme_source()
    pass_text = furniture.THEME_TAB_STOPS.search(source).group(0)
    changed = source.replace(pass_text, pass_text * copies)
    with pytest.raises(ValueError, match=f"found it {copies} times"):
        furniture.patch_theme_script(changed)


def test_the_patch_names_a_bad_argument():
    with pytest.raises(TypeError, match="must be a str; got bytes"):
        furniture.patch_theme_script(b"function I(){}")


@pytest.mark.slow
def test_the_built_theme_script_is_patched():
    built = (require_site() / "_static" / "scripts" / "pydata-sphinx-theme.js").read_text(encoding="utf-8")
    assert "tab_stops.js" in built and not furniture.THEME_TAB_STOPS.findall(built)
    assert (require_site() / "_static" / "tab_stops.js").is_file()


@browser_test
@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("page_path", PAGES)
def test_every_region_that_scrolls_is_a_tab_stop(browser, site_url, page_path, width):
    """After load, in drawn sections regions are tab stops exactly when they scroll; regions of
    undrawn sections are tab stops; scrolled to each section in turn, its regions are measured."""
    context, page, watch = watched_page(browser, width, 844)
    try:
        page.goto(site_url + page_path, wait_until="load")
        page.wait_for_timeout(200)
        state = page.evaluate(_STATE)
        assert state, f"{page_path}: no regions found: selector broken"
        wrong = [i for i, (scrolls, tab, _lazy, drawn) in enumerate(state) if drawn and tab != (0 if scrolls else -1)]
        assert not wrong, f"{page_path} at {width} px: drawn regions with the wrong tab stop: {wrong}"
        undrawn = [i for i, (_s, tab, lazy, drawn) in enumerate(state) if lazy and not drawn and tab != 0]
        assert not undrawn, f"{page_path} at {width} px: undrawn regions that are no tab stop: {undrawn}"
        assert any(lazy and not drawn for _s, _t, lazy, drawn in state), "no undrawn section: nothing tested"
        seen: set[int] = set()
        sections = page.locator(LAZY)
        for k in range(sections.count()):
            sections.nth(k).scroll_into_view_if_needed()
            page.wait_for_timeout(150)
            for i, (scrolls, tab, _lazy, drawn) in enumerate(page.evaluate(_STATE)):
                if drawn:
                    assert tab == (0 if scrolls else -1), f"{page_path} at {width} px: region {i} after scrolling"
                    seen.add(i)
        assert len(seen) == len(state), f"{page_path}: regions never drawn: {sorted(set(range(len(state))) - seen)}"
        assert not watch.problems(), watch.problems()
    finally:
        context.close()
