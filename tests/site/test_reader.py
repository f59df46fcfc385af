"""Tests that look like a reader: what a person sees on the built site at 1280 px and on a phone.

- every chapter shows as many numbered figures as its source has figure cells, each loaded, with
  alt text that describes it, and with figure text no smaller than a share of the body text;
- code fits the text column at 1280 px; at 390 px the page never scrolls sideways (code blocks and
  display equations scroll inside their own boxes);
- axe-core finds no WCAG 2.1 AA violation, in light and in dark mode;
- the page furniture: the chapter as ``.ipynb`` in the download menu, repository and issue buttons
  exactly when ``repository.url`` is set, a favicon, one search entry point.

Figure cells are counted from the chapter SOURCES (``chapters/*.md``), never hard-coded: a chapter
whose figure lacks its number, caption or alt text fails here. Runs against the built site
(``$SITE_DIR``, default ``_build/html``) in Debian's Chromium (see conftest.py); a missing site,
browser or axe-core is a failure, never a skip. Tests that need neither site nor browser (the
source rules, the switching logic) carry no mark.
"""

from __future__ import annotations

import importlib.util
import math
import re
import types
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import jupytext
import nbformat
import pytest
import yaml
from conftest import EVERY_IMAGE_JS, LOCAL_HOSTS, REPO, require_site, site_pages
from hypothesis import given
from hypothesis import strategies as st

browser_test = pytest.mark.browser

AXE_JS = REPO / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
#: axe findings that cannot be fixed from this repository: rule id -> (CSS selector fragment, reason).
#: Empty: every theme finding is fixed by _config.yml, chapters/_static/book.css, _templates/ or
#: _ext/book_furniture.py. An entry here needs a reason a reader of this file can check.
AXE_KNOWN_EXCEPTIONS: dict[str, tuple[str, str]] = {}

WIDE = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
#: Smallest figure text, as a share of the body text's font size, per viewport width.
LEGIBLE_SHARE = {1280: 0.75, 390: 0.50}
PX_PER_PT = 4 / 3
MATHJAX_TIMEOUT_MS = 30_000

# A cell draws a figure when it calls one of these (matplotlib's figure makers, or shows one).
DRAWS_RX = re.compile(r"\bplt\.(show|figure|subplots|subplot_mosaic)\s*\(|\bdisplay\(\s*fig\b")
HIDDEN_OUTPUT_TAGS = {"remove-cell", "remove-output"}
GENERIC_ALT = {"png", "svg", "jpg", "jpeg", "image", "img", "figure", "fig", "plot", "chart", "graph", "picture"}


# ---------------------------------------------------------------------------- chapter sources


def chapter_source(page_path: str) -> Path:
    """The MyST source of a built chapter page (``chapters/NAME.html`` -> ``chapters/NAME.md``)."""
    return REPO / Path(page_path).with_suffix(".md")


@cache
def source_chapters() -> list[str]:
    """Every chapter source that is a notebook (has a kernelspec), as ``chapters/NAME.md``."""
    return sorted(
        p.relative_to(REPO).as_posix()
        for p in (REPO / "chapters").glob("*.md")
        if "kernelspec" in jupytext.read(p).metadata
    )


@cache
def _notebook(path: Path) -> nbformat.NotebookNode:
    return jupytext.read(path)


def _shown(cell) -> bool:
    return not HIDDEN_OUTPUT_TAGS & set(cell.metadata.get("tags", []))


def figure_cells(path: Path) -> list[dict]:
    """The code cells of chapter ``path`` whose output is a numbered figure (``mystnb: figure:``)."""
    return [
        {"name": c.metadata["mystnb"]["figure"].get("name"), "cell": c}
        for c in _notebook(path).cells
        if c.cell_type == "code" and _shown(c) and "figure" in c.metadata.get("mystnb", {})
    ]


def bare_figure_cells(path: Path) -> list[str]:
    """Shown code cells that draw a figure but have no ``mystnb: figure:`` (first line of each)."""
    return [
        c.source.strip().splitlines()[0]
        for c in _notebook(path).cells
        if c.cell_type == "code"
        and _shown(c)
        and DRAWS_RX.search(c.source)
        and "figure" not in c.metadata.get("mystnb", {})
    ]


def alt_problem(alt: str | None) -> str | None:
    """Why ``alt`` is not a meaningful description of an image, or None when it is."""
    if alt is None:
        return "no alt attribute"
    text = " ".join(alt.split())
    if not text:
        return "empty alt text"
    if re.search(r"\.(png|svg|jpe?g|gif|webp)\b", text, re.I) or re.fullmatch(r"\S*/\S*", text):
        return f"alt text is a file name: {text[:60]!r}"
    if re.fullmatch(r"[0-9a-fA-F_-]{12,}", text):
        return f"alt text is a hash: {text[:60]!r}"
    if text.lower().strip(".") in GENERIC_ALT:
        return f"alt text says only {text!r}"
    if len(re.findall(r"[^\W\d_]{2,}", text)) < 4:
        return f"alt text has fewer than four words: {text!r}"
    return None


# ---------------------------------------------------------------------------- SVG text sizes

_SVG_NS = "{http://www.w3.org/2000/svg}"
_FONT_SIZE_RX = re.compile(r"font-size:\s*([\d.]+)(px|pt)?")


def _scale(transform: str) -> float:
    """The area scale (sqrt |det|) of an SVG ``transform`` attribute."""
    factor = 1.0
    for name, args in re.findall(r"(\w+)\s*\(([^)]*)\)", transform or ""):
        nums = [float(v) for v in re.split(r"[\s,]+", args.strip()) if v]
        if name == "scale":
            sx = nums[0]
            sy = nums[1] if len(nums) > 1 else sx
            factor *= math.sqrt(abs(sx * sy))
        elif name == "matrix":
            a, b, c, d = nums[:4]
            factor *= math.sqrt(abs(a * d - b * c))
    return factor


def _font_size(element: ET.Element) -> float | None:
    size = element.get("font-size")
    match = _FONT_SIZE_RX.search(element.get("style", ""))
    if match:
        value = float(match.group(1))
        return value * PX_PER_PT if match.group(2) == "pt" else value
    return float(re.match(r"[\d.]+", size).group(0)) if size else None


def svg_text_sizes(svg: bytes) -> tuple[float, list[float]]:
    """``(viewBox width, font sizes)`` of an SVG: each ``<text>`` element's size in user units.

    A text element's size is the largest ``font-size`` in it (its base size): matplotlib writes
    a label such as $h_t$ as one ``<text>`` whose subscript ``<tspan>`` is 0.7 of the label, as
    body-text maths sets its subscripts smaller; the label's size is what must be legible.
    """
    root = ET.fromstring(svg)
    view_box = root.get("viewBox")
    width_attr = re.match(r"[\d.]+", root.get("width", "0")).group(0)
    width = float(view_box.split()[2]) if view_box else float(width_attr)
    sizes: list[float] = []

    def walk(element: ET.Element, scale: float) -> None:
        scale *= _scale(element.get("transform", ""))
        if element.tag == f"{_SVG_NS}text":
            found = [s for e in element.iter() if (s := _font_size(e)) is not None]
            sizes.append(max(found, default=16.0) * scale)  # 16: SVG's default font size
            return
        for child in element:
            walk(child, scale)

    walk(root, 1.0)
    return width, sizes


# ---------------------------------------------------------------------------- browser helpers


def _is_redirect(page_path: str) -> bool:
    root = require_site() if page_path != "<no built site>" else None
    return bool(root) and 'http-equiv="Refresh"' in (root / page_path).read_text(encoding="utf-8")[:2000]


#: The pages a reader reads: every site page but the root's redirect (tested on its own).
READER_PAGES = [p for p in site_pages() if p == "<no built site>" or not _is_redirect(p)]


def _offline_page(browser, viewport: dict, mode: str = "light"):
    """``(context, page)``: a fresh context in colour ``mode`` that aborts requests to other hosts.

    ``mode`` ("light" or "dark") is stored before any page loads, as the theme's own colour-mode
    button stores it.
    """
    context = browser.new_context(viewport=viewport, service_workers="block")
    context.add_init_script(f"localStorage.setItem('mode', '{mode}'); localStorage.setItem('theme', '{mode}');")

    def route(r):
        host = urlsplit(r.request.url).hostname
        if r.request.url.startswith(("data:", "blob:")) or host in LOCAL_HOSTS:
            r.continue_()
        else:
            r.abort("blockedbyclient")

    context.route("**/*", route)
    return context, context.new_page()


def _load(browser, url: str, viewport: dict, mode: str):
    """``(context, page)`` showing ``url``: loaded, typeset, every image done, in colour ``mode``."""
    context, page = _offline_page(browser, viewport, mode)
    response = page.goto(url, wait_until="load")
    assert response is not None and response.ok, f"{url}: HTTP {response and response.status}"
    # The build typesets the math (tools/prerender_math.mjs); a page that still loads MathJax waits for it.
    if page.locator("script[src*='mathjax']").count():
        page.wait_for_function(
            "() => window.MathJax && MathJax.startup && MathJax.startup.promise", timeout=MATHJAX_TIMEOUT_MS
        )
    page.evaluate("async () => { if (window.MathJax && MathJax.startup) await MathJax.startup.promise; }")
    page.evaluate(EVERY_IMAGE_JS)
    assert page.evaluate("document.documentElement.dataset.theme") == mode, f"{url}: not in {mode} mode"
    return context, page


@pytest.fixture()
def reader(browser, site_url) -> Iterator:
    """``open(path, viewport=WIDE, mode="light")``: a page in a fresh context of its own."""
    contexts = []

    def open_page(path: str, viewport: dict = WIDE, mode: str = "light"):
        context, page = _load(browser, site_url + path, viewport, mode)
        contexts.append(context)
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture(scope="module")
def view(browser, site_url) -> Iterator:
    """``view(path, viewport=WIDE, mode="light")``: like ``reader``, but the page stays open for the
    next test that looks at the same path in the same way (tests only read it). Tests taking
    ``page_path`` run page by page (a module-scoped parameter), so each page loads once per view.
    """
    open_views: dict[tuple, tuple] = {}

    def open_view(path: str, viewport: dict = WIDE, mode: str = "light"):
        key = (path, viewport["width"], mode)
        if key not in open_views:
            for other in [k for k in open_views if k[0] != path]:
                open_views.pop(other)[0].close()
            open_views[key] = _load(browser, site_url + path, viewport, mode)
        return open_views[key][1]

    yield open_view
    for context, _ in open_views.values():
        context.close()


@pytest.fixture(scope="module", params=READER_PAGES)
def page_path(request) -> str:
    """Each page a reader reads (module scope: pytest runs the tests page by page)."""
    return request.param


def _body_font_px(page) -> float:
    return page.evaluate("parseFloat(getComputedStyle(document.querySelector('article.bd-article p')).fontSize)")


FIGURES_JS = """() => [...document.querySelectorAll('article.bd-article figure img')].map(img => {
    const r = img.getBoundingClientRect();
    return {id: img.closest('figure').id, src: img.currentSrc || img.src, alt: img.getAttribute('alt'),
            width: r.width, height: r.height, complete: img.complete, natural: img.naturalWidth};
})"""


# ---------------------------------------------------------------------------- figures: sources


@pytest.mark.parametrize("chapter", source_chapters())
def test_every_drawn_figure_is_numbered_with_caption_and_alt(chapter):
    """A cell that draws (``plt.show()``, ``plt.subplots`` ...) carries ``mystnb: figure:`` with a
    ``fig-`` name and a caption, and ``mystnb: image: alt:``: a bare figure fails."""
    path = REPO / chapter
    bare = bare_figure_cells(path)
    assert not bare, f"{chapter}: cells that draw a figure without `mystnb: figure:` (no number, no caption): {bare}"
    names = []
    for fig in figure_cells(path):
        options = fig["cell"].metadata["mystnb"]
        name, caption = fig["name"], options["figure"].get("caption")
        names.append(name)
        assert isinstance(name, str) and name.startswith("fig-"), f"{chapter}: figure name {name!r}"
        assert isinstance(caption, str) and len(caption.split()) >= 5, f"{chapter}: {name}: caption {caption!r}"
        assert alt_problem(options.get("image", {}).get("alt")) is None, (
            f"{chapter}: {name}: {alt_problem(options.get('image', {}).get('alt'))}"
        )
    assert len(names) == len(set(names)), f"{chapter}: figure names repeat: {names}"


def test_figure_rules_see_figures_and_bare_drawings(tmp_path):
    """The source rules on a made-up chapter: one numbered figure, one bare one, one hidden one."""
    text = """---
jupytext:
  text_representation: {extension: .md, format_name: myst}
kernelspec: {display_name: Python 3, language: python, name: python3}
---

```{code-cell} ipython3
---
mystnb:
  figure: {name: fig-a, caption: what to look at here}
  image: {alt: a line that rises from left to right}
---
fig, ax = plt.subplots()
plt.show()
```

```{code-cell} ipython3
fig = plt.figure()
plt.show()
```

```{code-cell} ipython3
:tags: [remove-cell]
fig, ax = plt.subplots()
```
"""
    path = tmp_path / "made_up.md"
    path.write_text(text, encoding="utf-8")
    assert [f["name"] for f in figure_cells(path)] == ["fig-a"]
    assert bare_figure_cells(path) == ["fig = plt.figure()"]


@pytest.mark.parametrize(
    ("alt", "ok"),
    [
        (None, False),
        ("", False),
        ("   ", False),
        ("../_images/3b4af0e5b59eec51faa91948c65f0c74.png", False),
        ("3b4af0e5b59eec51faa91948c65f0c74b59c8135", False),
        ("png", False),
        ("Image", False),
        ("a plot", False),
        ("Two line charts over steps 1 to 5", True),
        ("The keep state decays while the admit state holds", True),
    ],
)
def test_alt_problem_tells_descriptions_from_file_names(alt, ok):
    assert (alt_problem(alt) is None) is ok, alt_problem(alt)


def test_svg_text_sizes_reads_base_sizes_and_transforms():
    svg = b"""<svg xmlns="http://www.w3.org/2000/svg" width="300pt" height="100pt" viewBox="0 0 300 100">
      <g transform="translate(10 20) rotate(-90)"><text>
        <tspan style="font-size: 11px">h</tspan><tspan style="font-size: 7.7px">t</tspan></text></g>
      <g transform="scale(0.5)"><text style="font-family: x; font-size: 12px">half</text></g>
      <text font-size="14">attr</text>
    </svg>"""
    width, sizes = svg_text_sizes(svg)
    assert width == 300
    assert sizes == [11.0, 6.0, 14.0]


# ---------------------------------------------------------------------------- figures: the pages


@browser_test
def test_page_shows_each_figure_of_its_source(view, page_path):
    """Each figure cell of the source is a numbered ``<figure id=name>`` with a loaded image on
    the page, and no plot image on the page sits outside a figure."""
    source = chapter_source(page_path)
    expected = [f["name"] for f in figure_cells(source)] if source.is_file() else []
    page = view(page_path)
    shown = page.evaluate(FIGURES_JS)
    by_id = {f["id"]: f for f in shown}
    missing = [n for n in expected if n not in by_id]
    assert not missing, f"{page_path}: figure cells of {source.name} not on the page as figures: {missing}"
    broken = [f for f in shown if not (f["complete"] and f["natural"] > 0 and f["width"] > 0 and f["height"] > 0)]
    assert not broken, f"{page_path}: figure images not loaded or not shown: {broken}"
    assert len(shown) == len(expected), f"{page_path}: {len(shown)} figure images, {len(expected)} figure cells"
    loose = page.evaluate(
        "() => [...document.querySelectorAll('article.bd-article div.cell_output img')]"
        ".filter(i => !i.closest('figure') && !i.closest('div.animation')).map(i => i.getAttribute('src'))"
    )
    assert not loose, f"{page_path}: plot images without a figure number and caption: {loose}"


@browser_test
def test_every_image_has_meaningful_alt_text(view, page_path):
    page = view(page_path)
    images = page.evaluate(
        "() => [...document.querySelectorAll('img')]"
        ".map(i => [i.id || i.getAttribute('src') || '', i.getAttribute('alt')])"
    )
    problems = [f"{name[-60:]}: {why}" for name, alt in images if (why := alt_problem(alt))]
    assert not problems, f"{page_path}:\n" + "\n".join(problems)


def _figure_legibility(page) -> list[dict]:
    """Per figure image: its smallest text in rendered CSS px and as a share of the body text."""
    figures = page.evaluate(FIGURES_JS)
    body_px = _body_font_px(page) if figures else 0.0
    out = []
    for fig in figures:
        assert urlsplit(fig["src"]).path.endswith(".svg"), (
            f"figure {fig['id']}: {fig['src']} is not SVG (figures are SVG with text as text: gru_book.style.use())"
        )
        response = page.request.get(fig["src"])
        assert response.ok, f"{fig['src']}: HTTP {response.status}"
        width_units, sizes = svg_text_sizes(response.body())
        assert sizes, f"figure {fig['id']}: no <text> in its SVG (text drawn as paths: svg.fonttype must be 'none')"
        # SVG user unit = 1 pt at natural size (matplotlib): natural CSS width = 4/3 px per unit
        assert fig["natural"] == pytest.approx(width_units * PX_PER_PT, abs=1.5), fig
        px = min(sizes) * fig["width"] / width_units
        out.append({"id": fig["id"], "px": px, "share": px / body_px, "body_px": body_px})
    return out


@browser_test
@pytest.mark.parametrize("viewport", [WIDE, PHONE], ids=["1280", "390"])
def test_figure_text_is_legible_next_to_the_body_text(view, page_path, viewport):
    """The smallest text in each figure, as rendered, is at least 75 % (1280 px) or 50 % (390 px)
    of the body text's size. (A page without figures: its source has no figure cell either.)"""
    page = view(page_path, viewport)
    floor = LEGIBLE_SHARE[viewport["width"]]
    measured = _figure_legibility(page)
    source = chapter_source(page_path)
    if not measured:
        assert not (source.is_file() and figure_cells(source)), f"{page_path}: figure cells but no figure shown"
    small = [
        f"{f['id']}: {f['px']:.1f} px = {f['share']:.0%} of {f['body_px']:.0f} px"
        for f in measured
        if f["share"] < floor
    ]
    assert not small, f"{page_path} at {viewport['width']} px, figure text below {floor:.0%} of the body text: {small}"


# ---------------------------------------------------------------------------- widths


@browser_test
def test_code_fits_the_text_column_at_1280(view, page_path):
    """No code cell's line (input or output) is wider than its box at 1280 px: nothing to scroll.

    (Display equations at 1280 px: test_site_browser.test_page_loads_offline_with_typeset_math.)
    """
    page = view(page_path, WIDE)
    wide = page.evaluate(
        """() => [...document.querySelectorAll('article.bd-article div.cell pre')]
            .filter(p => p.scrollWidth > p.clientWidth + 1)
            .map(p => `${p.scrollWidth} px in ${p.clientWidth} px: `
                      + p.textContent.split('\\n').reduce((a, b) => b.length > a.length ? b : a, '').slice(0, 70))"""
    )
    assert not wide, f"{page_path}: {len(wide)} code blocks wider than the column:\n" + "\n".join(wide)


@browser_test
def test_phone_page_does_not_scroll_sideways(view, page_path):
    """At 390 px the page is no wider than the screen, every display equation either fits or
    scrolls inside its own box (code blocks may scroll inside theirs), and no inline code (a long
    file path) runs past the text column, where the article's edge would cut it off."""
    page = view(page_path, PHONE)
    sizes = page.evaluate("[document.scrollingElement.scrollWidth, innerWidth]")
    assert sizes[0] <= sizes[1], f"{page_path}: the page is {sizes[0]} px wide on a {sizes[1]} px screen"
    cut = page.evaluate(
        """() => {
            const art = document.querySelector('article.bd-article');
            return [...document.querySelectorAll('mjx-container[display="true"]')].filter(c => {
                const box = c.getBoundingClientRect(), math = c.querySelector('svg').getBoundingClientRect();
                const scrolls = ['auto', 'scroll'].includes(getComputedStyle(c).overflowX);
                const fits = math.width <= box.width + 1;
                return box.right > art.getBoundingClientRect().right + 1 || !(fits || scrolls);
            }).map(c => (c.dataset.tex || c.textContent).slice(0, 60));
        }"""
    )
    assert not cut, f"{page_path}: display equations cut off at 390 px: {cut}"
    spill = page.evaluate(
        """() => {
            const art = document.querySelector('article.bd-article');
            if (!art) return [];
            const right = art.getBoundingClientRect().right;
            const scrolls = (c) => {  // inside a box that scrolls sideways (a wide table): reachable
                for (let e = c.parentElement; e && e !== art; e = e.parentElement)
                    if (['auto', 'scroll'].includes(getComputedStyle(e).overflowX)) return true;
                return false;
            };
            return [...art.querySelectorAll(':is(p, li, dd, td, figcaption) code')]
                .filter(c => !c.closest('pre, mjx-container, .gd-demo') && !scrolls(c))
                .filter(c => c.getBoundingClientRect().right > right + 1)
                .map(c => c.textContent.slice(0, 60));
        }"""
    )
    assert not spill, f"{page_path}: inline code running past the text column at 390 px: {spill}"


# ---------------------------------------------------------------------------- accessibility


def _axe(page) -> list[dict]:
    if not AXE_JS.is_file():
        pytest.fail(f"{AXE_JS} missing: run `npm ci` (axe-core is a devDependency in package.json)", pytrace=False)
    page.add_script_tag(path=str(AXE_JS))
    # Sections below the first screen are drawn only near the screen (content-visibility: auto in
    # book.css); axe's colour-contrast check cannot see the colours of an undrawn section, so every
    # section is drawn for the check (what a reader sees on scrolling there), then the page is put back.
    return page.evaluate(
        """async (tags) => {
            const draw = document.createElement('style');
            draw.textContent = '* { content-visibility: visible !important; }';
            document.head.append(draw);
            try {
                return (await axe.run(document, {runOnly: {type: 'tag', values: tags}})).violations
                    .map(v => ({id: v.id, help: v.help, nodes: v.nodes.map(n => n.target.join(' '))}));
            } finally { draw.remove(); }
        }""",
        AXE_TAGS,
    )


def _unexcused(violations: list[dict]) -> list[str]:
    out = []
    for v in violations:
        selector, _reason = AXE_KNOWN_EXCEPTIONS.get(v["id"], (None, ""))
        nodes = [n for n in v["nodes"] if selector is None or selector not in n]
        out += [f"{v['id']} ({v['help']}): {n}" for n in nodes]
    return out


@browser_test
@pytest.mark.parametrize("mode", ["light", "dark"])
def test_axe_finds_no_wcag_aa_violation(view, page_path, mode):
    page = view(page_path, WIDE, mode)
    problems = _unexcused(_axe(page))
    assert not problems, f"{page_path} ({mode} mode):\n" + "\n".join(problems)


def test_axe_exceptions_give_reasons():
    for rule, (selector, reason) in AXE_KNOWN_EXCEPTIONS.items():
        assert selector and len(reason.split()) >= 5, f"known exception {rule} needs a selector and a reason"


# ---------------------------------------------------------------------------- page furniture


@cache
def _load_extension() -> types.ModuleType:
    spec = importlib.util.spec_from_file_location("book_furniture", REPO / "_ext" / "book_furniture.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _repository_url() -> str:
    config = yaml.safe_load((REPO / "_config.yml").read_text(encoding="utf-8"))
    assert "url" in config.get("repository", {}), "_config.yml must set repository.url (empty for none)"
    return (config["repository"]["url"] or "").strip()


@browser_test
def test_download_menu_offers_the_chapter_notebook(view, page_path):
    """A page built from a notebook offers ``.ipynb`` in its download menu, and the link serves a
    valid notebook with the chapter's code cells; a page from plain Markdown offers none."""
    page = view(page_path)
    links = page.locator(".dropdown-download-buttons a.btn-download-notebook-button")
    chapter = Path(page_path).with_suffix(".md").as_posix()
    if chapter not in source_chapters():
        assert links.count() == 0, f"{page_path} is no notebook but offers .ipynb"
        return
    assert links.count() == 1, f"{page_path}: the download menu offers no .ipynb"
    href = links.first.get_attribute("href")
    assert href.endswith(".ipynb"), href
    response = page.request.get(urljoin(page.url, href))
    assert response.ok, f"{href}: HTTP {response.status}"
    notebook = nbformat.reads(response.text(), as_version=4)
    nbformat.validate(notebook)
    code = [c.source.strip() for c in notebook.cells if c.cell_type == "code"]
    expected = [c.source.strip() for c in _notebook(REPO / chapter).cells if c.cell_type == "code"]
    assert code and code == expected, f"{href}: its code cells are not those of {chapter}"


@browser_test
def test_repository_buttons_follow_repository_url():
    """While ``repository.url`` is empty no page has a repository or issue button; once set,
    every page has both, pointing at it."""
    url = _repository_url()
    root = require_site()
    for page_path in site_pages():
        html = (root / page_path).read_text(encoding="utf-8")
        buttons = re.findall(r'href="([^"]*)"[^>]*class="[^"]*btn-source-(repository|issues)-button', html, re.S)
        kinds = {kind for _, kind in buttons}
        if url:
            assert kinds == {"repository", "issues"}, f"{page_path}: buttons {kinds} with repository.url {url}"
            assert all(href.startswith(url.rstrip("/")) for href, _ in buttons), buttons
        else:
            assert not buttons and "btn-source-" not in html, f"{page_path}: repository buttons without a URL"


@pytest.mark.parametrize(
    ("url", "on"),
    [
        (None, False),
        ("", False),
        ("  ", False),
        ("https://github.com/owner/name", True),
        ("https://gitlab.com/a/b/", True),
    ],
)
def test_repository_url_switches_both_buttons(url, on):
    buttons = _load_extension().repository_buttons({"repository_url": url})
    assert buttons == {"use_repository_button": on, "use_issues_button": on}


@given(st.one_of(st.integers(), st.lists(st.text()), st.booleans(), st.floats(allow_nan=False)))
def test_repository_url_of_another_type_is_refused(url):
    with pytest.raises(TypeError, match=r"repository\.url must be a string"):
        _load_extension().repository_buttons({"repository_url": url})


@given(st.text(alphabet="abc:/. ", min_size=1).filter(lambda s: s.strip() and not s.startswith("https://")))
def test_repository_url_that_is_no_address_is_refused(url):
    with pytest.raises(ValueError, match=r"repository\.url must be empty or https://host/owner/name"):
        _load_extension().repository_buttons({"repository_url": url})


def test_configure_sets_buttons_and_one_search_entry():
    ext = _load_extension()
    config = types.SimpleNamespace(html_theme_options={"repository_url": "https://github.com/o/n"})
    ext._configure(None, config)
    assert config.html_theme_options["use_repository_button"] is True
    assert config.html_theme_options["use_issues_button"] is True
    assert config.html_theme_options["navbar_persistent"] == []
    kept = types.SimpleNamespace(html_theme_options={"navbar_persistent": ["x.html"], "repository_url": ""})
    ext._configure(None, kept)
    assert kept.html_theme_options["navbar_persistent"] == ["x.html"]
    assert kept.html_theme_options["use_issues_button"] is False


def test_redirect_page_escapes_and_refuses_empty_input():
    ext = _load_extension()
    page = ext.redirect_page("chapters/intro.html", 'The "GRU" <gate>')
    assert '<meta http-equiv="Refresh" content="0; url=chapters/intro.html"/>' in page
    assert "<title>The &quot;GRU&quot; &lt;gate&gt;</title>" in page
    with pytest.raises(ValueError, match="target must be a non-empty str"):
        ext.redirect_page("", "title")


def test_body_fixes_rename_the_roles_and_names():
    ext = _load_extension()
    body = (
        '<div role="list"><div class="citation" role="doc-biblioentry"></div></div>'
        '<summary aria-label="Toggle hidden content"><p>Show code cell source</p></summary>'
    )
    fixed = ext.fix_body(body)
    assert 'role="listitem"' in fixed and "doc-biblioentry" not in fixed
    assert "<summary><p>Show code cell source</p></summary>" in fixed
    with pytest.raises(TypeError, match="body must be a str"):
        ext.fix_body(b"<p></p>")


@browser_test
def test_every_page_declares_a_favicon_that_exists():
    root = require_site()
    for page_path in READER_PAGES:
        html = (root / page_path).read_text(encoding="utf-8")
        icons = re.findall(r'<link rel="icon" href="([^"]+)"', html)
        assert len(icons) == 1, f"{page_path}: <link rel=icon> {icons}"
        target = (root / Path(page_path).parent / icons[0]).resolve()
        assert target.is_file() and target.stat().st_size > 100, f"{page_path}: {icons[0]} is not in the site"
        assert target.read_bytes().lstrip().startswith((b"<svg", b"<?xml", b"\x89PNG")), target


@browser_test
def test_first_visit_fetches_the_favicon_without_a_404(browser, site_url, site_server):
    """A first visit to the site root loads the declared icon, and no request (/favicon.ico
    included, which Chromium asks for when a page declares no icon) gets an error."""
    start = len(site_server.request_log)
    context, page = _offline_page(browser, WIDE)
    try:
        page.goto(site_url, wait_until="load")
        page.wait_for_url(re.compile(r"chapters/intro\.html$"), timeout=10_000)
        page.wait_for_load_state("load")
        page.wait_for_timeout(1500)  # Chromium asks for the icon after the load event
    finally:
        context.close()
    log = site_server.request_log[start:]
    assert any(path.split("?")[0].endswith("favicon.svg") for path, _ in log), f"the favicon was not requested: {log}"
    errors = [(path, status) for path, status in log if status >= 400]
    assert not errors, f"failed requests on a first visit: {errors}"


SEARCH_ENTRIES_JS = """() => [...document.querySelectorAll('.search-button__button, form.bd-search')]
    .filter(e => !e.closest('dialog') && !e.closest('#search-results'))
    .filter(e => { const r = e.getBoundingClientRect(), s = getComputedStyle(e);
                   return r.width > 0 && r.height > 0 && s.visibility !== 'hidden'
                          && r.bottom > 0 && r.right > 0 && r.left < innerWidth; })
    .map(e => e.tagName.toLowerCase() + '.' + [...e.classList].join('.'))"""


@browser_test
@pytest.mark.parametrize("viewport", [WIDE, PHONE], ids=["1280", "390"])
def test_one_search_entry_point(view, page_path, viewport):
    """Exactly one visible way into search (on the search page: its own form, the theme's aside)."""
    page = view(page_path, viewport)
    if page_path == "search.html":
        assert page.locator("#search-results, form[action=''], .bd-search-container input").count() >= 1
        return
    entries = page.evaluate(SEARCH_ENTRIES_JS)
    assert len(entries) == 1, f"{page_path} at {viewport['width']} px: search entry points {entries}"


@browser_test
def test_the_search_entry_point_searches(reader):
    """At 1280 px the sidebar's search button opens the search dialog, whose field takes the query;
    at 390 px the article header's search button opens the same dialog."""
    page = reader("chapters/two_updates.html", WIDE)
    page.locator(".bd-sidebar-primary .search-button__button").click()
    field = page.locator("#pst-search-dialog input[type=search]")
    field.wait_for(state="visible", timeout=5_000)
    field.fill("update gate")
    field.press("Enter")
    page.wait_for_url(re.compile(r"search\.html\?q=update"), timeout=10_000)
    page.locator("#search-results ul.search li").first.wait_for(timeout=20_000)
    phone = reader("chapters/two_updates.html", PHONE)
    phone.locator(".article-header-buttons .search-button__button").click()
    phone.locator("#pst-search-dialog input[type=search]").wait_for(state="visible", timeout=5_000)
    assert phone.evaluate("document.activeElement && document.activeElement.type") == "search"


@browser_test
def test_site_root_sends_the_reader_to_the_first_chapter(browser, site_url):
    """``index.html`` is a valid page (language, title, a link) that redirects to the first page."""
    root = require_site()
    html = (root / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in html and "<title>" in html and 'href="chapters/intro.html"' in html, html
    context, page = _offline_page(browser, WIDE)
    try:
        page.goto(site_url + "index.html", wait_until="commit")
        page.wait_for_url(re.compile(r"chapters/intro\.html$"), timeout=10_000)
        page.wait_for_load_state("load")
        assert page.locator("article.bd-article h1").count() == 1
    finally:
        context.close()
