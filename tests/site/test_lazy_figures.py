"""Figures that load as the reader reaches them (book_furniture.lazy_images and image_size).

Every figure image of a built page says ``loading="lazy"`` and carries its natural size, so the
browser keeps its place from the start and fetches it only near the screen. In the browser: a
figure far below the first screen has not been fetched when the page has loaded, its box already
has the figure's height, and once scrolled to it loads and nothing on the page moves. Built-page
checks need ``make book``.
"""

from __future__ import annotations

import importlib.util
import re
import struct
import xml.etree.ElementTree as ET
import zlib
from pathlib import Path

import pytest
from conftest import REPO, require_site, site_pages, watched_page
from hypothesis import given
from hypothesis import strategies as st

_spec = importlib.util.spec_from_file_location("book_furniture_lazy", REPO / "_ext" / "book_furniture.py")
furniture = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(furniture)

browser_test = pytest.mark.browser

#: CSS px per pt (CSS 2.1: 1 in = 96 px = 72 pt).
PX_PER_PT = 96 / 72
IMG_TAG = re.compile(r"<img\b[^>]*>")


def _png(width: int, height: int) -> bytes:
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + header
    return b"\x89PNG\r\n\x1a\n" + struct.pack(">I", len(header)) + chunk + struct.pack(">I", zlib.crc32(chunk))


def _svg(root_attrs: str) -> str:
    body = '<rect width="1" height="1"/>'
    return f'<?xml version="1.0"?>\n<svg {root_attrs} xmlns="http://www.w3.org/2000/svg">{body}</svg>'


# ---------------------------------------------------------------------------- image_size


@pytest.mark.parametrize(
    ("attrs", "size"),
    [
        ('width="460.8pt" height="345.6pt" viewBox="0 0 460.8 345.6"', (614, 461)),  # matplotlib
        ('width="300px" height="150px"', (300, 150)),
        ('width="300" height="150"', (300, 150)),
        ('viewBox="0 0 640 480"', (640, 480)),
        ('width="100%" height="100%" viewBox="0 0 200 100"', (200, 100)),
        ('width="100%" height="100%"', None),
        ("", None),
    ],
)
def test_image_size_reads_an_svg_root(tmp_path, attrs, size):
    path = tmp_path / "figure.svg"
    path.write_text(_svg(attrs), encoding="utf-8")
    assert furniture.image_size(path) == size


@given(st.floats(1, 5000), st.floats(1, 5000))
def test_image_size_turns_points_into_css_pixels(tmp_path_factory, width_pt, height_pt):
    path = tmp_path_factory.mktemp("svg") / "figure.svg"
    path.write_text(_svg(f'width="{width_pt!r}pt" height="{height_pt!r}pt"'), encoding="utf-8")
    width, height = furniture.image_size(path)
    assert abs(width - width_pt * PX_PER_PT) <= 0.5 + 1e-9
    assert abs(height - height_pt * PX_PER_PT) <= 0.5 + 1e-9


@given(st.integers(1, 2**31 - 1), st.integers(1, 2**31 - 1))
def test_image_size_reads_a_png_header(tmp_path_factory, width, height):
    path = tmp_path_factory.mktemp("png") / "figure.png"
    path.write_bytes(_png(width, height))
    assert furniture.image_size(path) == (width, height)


def test_image_size_names_a_file_that_is_not_what_it_says(tmp_path):
    fake = tmp_path / "figure.png"
    fake.write_bytes(b"GIF89a" + bytes(30))
    with pytest.raises(ValueError, match="not a PNG file"):
        furniture.image_size(fake)
    empty = tmp_path / "figure.svg"
    empty.write_text("<html></html>", encoding="utf-8")
    with pytest.raises(ValueError, match="no <svg> element"):
        furniture.image_size(empty)
    other = tmp_path / "figure.gif"
    other.write_bytes(b"GIF89a" + bytes(30))
    assert furniture.image_size(other) is None


# ---------------------------------------------------------------------------- lazy_images

PAGE = (
    '<p>Text</p><figure><img alt="Two curves &gt; one" src="../_images/a.svg" /></figure>'
    '<img alt="logo" src="../_static/logo.svg" />'
    '<img alt="sized" src="../_images/b.svg" width="10" />'
    '<img alt="unknown" src="../_images/c.svg" />'
)
SIZES = {"../_images/a.svg": (614, 461), "../_images/b.svg": (20, 10), "../_images/c.svg": None}


def test_lazy_images_marks_figures_with_their_size_and_nothing_else():
    out = furniture.lazy_images(PAGE, SIZES.get)
    tags = IMG_TAG.findall(out)
    assert tags[0] == (
        '<img loading="lazy" decoding="async" width="614" height="461"'
        ' alt="Two curves &gt; one" src="../_images/a.svg" />'
    )
    assert tags[1:] == IMG_TAG.findall(PAGE)[1:]  # not a figure; its own width; size unknown
    assert out.replace(tags[0], "") == PAGE.replace(IMG_TAG.findall(PAGE)[0], "")
    assert furniture.lazy_images(out, SIZES.get) == out  # a page already rewritten is left alone


def test_lazy_images_names_a_bad_argument():
    with pytest.raises(TypeError, match="page must be a str; got bytes"):
        furniture.lazy_images(PAGE.encode(), SIZES.get)


# ---------------------------------------------------------------------------- the built site


def _natural_size(svg: Path) -> tuple[float, float]:
    """The width and height of a matplotlib SVG in CSS px, read with an XML parser."""
    root = ET.parse(svg).getroot()
    return tuple(float(root.get(name).removesuffix("pt")) * PX_PER_PT for name in ("width", "height"))


@pytest.mark.slow
def test_every_built_figure_loads_lazily_at_its_size():
    root = require_site()
    figures = 0
    for page_path in site_pages():
        page = root / page_path
        for tag in IMG_TAG.findall(page.read_text(encoding="utf-8")):
            src = re.search(r'src="([^"]*)"', tag).group(1)
            if "_images/" not in src:
                continue
            figures += 1
            assert 'loading="lazy"' in tag and 'decoding="async"' in tag, f"{page_path}: {tag[:120]}"
            width, height = (int(re.search(rf'\s{a}="(\d+)"', tag).group(1)) for a in ("width", "height"))
            natural = _natural_size((page.parent / src).resolve())
            assert abs(width - natural[0]) <= 0.5 and abs(height - natural[1]) <= 0.5, (page_path, src, natural)
    assert figures >= 15, f"only {figures} figures found in the built site"


_FIGURES = """() => [...document.querySelectorAll('article.bd-article figure img')].map(img => {
    const r = img.getBoundingClientRect();
    return {src: img.getAttribute('src'), top: r.top + scrollY, width: r.width, height: r.height,
            ratio: img.height && img.width / img.height, complete: img.complete, natural: img.naturalWidth,
            fetched: performance.getEntriesByName(img.src).length > 0};
})"""


@browser_test
@pytest.mark.parametrize("width", [390, 1280])
def test_a_figure_is_fetched_near_the_screen_and_nothing_moves_when_it_arrives(browser, site_url, width):
    """training (four figures): after load the last figure, far below, is not fetched yet, and its
    box already has the figure's proportions; scrolled to, every figure loads in a box of that same size."""
    context, page, watch = watched_page(browser, width, 844)
    try:
        page.goto(site_url + "chapters/training.html", wait_until="load")
        before = page.evaluate(_FIGURES)
        assert len(before) >= 3, before
        last = before[-1]
        assert last["top"] > 5 * 844, f"the last figure is not far below the first screen: {last}"
        assert not last["fetched"] and not last["complete"], f"fetched before the reader came near: {last}"
        for fig in before:
            assert fig["width"] > 0 and fig["height"] == pytest.approx(fig["width"] / fig["ratio"], abs=1), fig
        for i in range(len(before)):
            page.locator("article.bd-article figure img").nth(i).scroll_into_view_if_needed()
            page.wait_for_function(
                f"() => {{ const i = document.querySelectorAll('article.bd-article figure img')[{i}];"
                " return i.complete && i.naturalWidth > 0; }",
                timeout=10_000,
            )
        after = page.evaluate(_FIGURES)
        for old, new in zip(before, after, strict=True):
            assert new["natural"] > 0, new
            # (its top may move: the sections above it are drawn, and measured, as the reader scrolls)
            assert (new["width"], new["height"]) == pytest.approx((old["width"], old["height"]), abs=1), (
                f"{new['src']}: the figure's box changed size when it loaded"
            )
        assert not watch.problems(), "\n".join(watch.problems())
    finally:
        context.close()
