"""One stylesheet per page (tools/bundle_styles.py).

The run of stylesheet links in a page's head becomes one bundle holding the same rules in the
same order, with ``@import`` written out and every relative ``url(...)`` still naming the same
file. On the built site every page links one bundle, and in Chromium it is the one stylesheet
the head asks for, and the icon font it names loads. Built-page checks need ``make book``.
"""

from __future__ import annotations

import posixpath
import re

import pytest
from conftest import REPO, load_module, require_site, site_pages, watched_page
from hypothesis import given
from hypothesis import strategies as st

bundle_styles = load_module(REPO / "tools" / "bundle_styles.py")

browser_test = pytest.mark.browser
HEAD_STYLESHEET = re.compile(
    r'<link\b[^>]*\brel="stylesheet"[^>]*\bhref="([^"]+)"|<link\b[^>]*\bhref="([^"]+)"[^>]*\brel="stylesheet"'
)


def _head_stylesheets(page: str) -> list[str]:
    head = page[: page.index("</head>")]
    return [a or b for a, b in HEAD_STYLESHEET.findall(head)]


# ------------------------------------------------------------------------------------- @import
def test_inline_css_imports_writes_the_imported_rules_with_their_urls_rebased():
    files = {"../basic.css": 'div.a { background: url(file.png) } div.b { background: url("img/x.svg") }'}
    out = bundle_styles.inline_css_imports(
        '/* theme */\n@import "../basic.css";\n.own { color: red }', files.__getitem__
    )
    assert "@import" not in out and ".own { color: red }" in out
    assert 'url("../file.png")' in out and 'url("../img/x.svg")' in out


def test_inline_css_imports_follows_an_import_inside_an_import():
    files = {"a/one.css": '@import "two.css"; .one { x: url(p.png) }', "a/two.css": ".two { y: url(../q.png) }"}
    out = bundle_styles.inline_css_imports('@import "a/one.css";', files.__getitem__)
    assert ".two" in out and ".one" in out and out.index(".two") < out.index(".one")
    assert 'url("a/p.png")' in out and 'url("q.png")' in out


def test_inline_css_imports_refuses_what_it_cannot_inline():
    with pytest.raises(ValueError, match="no media query"):
        bundle_styles.inline_css_imports('@import "print.css" print;', lambda _p: "")
    with pytest.raises(ValueError, match="expected a relative path"):
        bundle_styles.inline_css_imports('@import url("https://example.org/x.css");', lambda _p: "")
    with pytest.raises(TypeError, match="css must be a str; got int"):
        bundle_styles.inline_css_imports(3, lambda _p: "")


# ----------------------------------------------------------------------------------- url(...)
segment = st.text(alphabet="abcxyz_", min_size=1, max_size=4)
folder = st.lists(st.sampled_from([".."]) | segment, max_size=3)


@given(st.lists(segment, max_size=2), folder, st.lists(segment, max_size=3), st.lists(segment, min_size=1, max_size=3))
def test_a_rebased_url_names_the_same_file(base, source_dir, target_dir, url_parts):
    """A relative ``url()`` written in ``<root>/<base>/<source_dir>/x.css``, rebased for a file in
    ``<root>/<base>/<target_dir>/``, resolves from there to the file it named before."""
    root = posixpath.join("/r/s/t/u", *base)
    source, target = (
        posixpath.join(*source_dir) if source_dir else "",
        posixpath.join(*target_dir) if target_dir else "",
    )
    url = "/".join(url_parts) + ".woff2?v=1#x"
    out = bundle_styles.rebase_urls(f"a {{ b: url({url}) }}", source, target)
    rebased = re.search(r'url\("([^"]+)"\)', out).group(1)
    assert rebased.endswith("?v=1#x")
    path = url.split("?")[0]
    before = posixpath.normpath(posixpath.join(root, source, path))
    after = posixpath.normpath(posixpath.join(root, target, rebased.split("?")[0]))
    assert after == before


def test_rebase_urls_leaves_absolute_data_and_fragment_urls_and_names_bad_input():
    css = "a{b:url(data:image/png;base64,AAA)} c{d:url('/abs.png')} e{f:url(#g)} h{i:url(https://x.org/y.png)}"
    out = bundle_styles.rebase_urls(css, "styles", "")
    for url in ("data:image/png;base64,AAA", "/abs.png", "#g", "https://x.org/y.png"):
        assert f'url("{url}")' in out
    with pytest.raises(TypeError, match="source_dir must be a str; got NoneType"):
        bundle_styles.rebase_urls(css, None, "")
    with pytest.raises(ValueError, match=r"target_dir must be inside the root; got '\.\./x'"):
        bundle_styles.rebase_urls(css, "", "a/../../x")


# ------------------------------------------------------------------------------------ a page
HEAD = """<html><head>
  <style>.early { a: b }</style>
  <link href="../_static/styles/theme.css?digest=1" rel="stylesheet" />
<link href="../_static/styles/pydata.css?digest=1" rel="stylesheet" />

    <link rel="stylesheet" type="text/css" href="../_static/book.css?v=2" />
<link rel="preload" as="script" href="../_static/scripts/x.js" />
  <link rel="stylesheet" href="../_static/print.css" media="print" />
  <link rel="icon" href="../_static/favicon.svg"/>
</head><body><link rel="stylesheet" href="../_static/body.css"></body></html>"""
FILES = {
    "_static/styles/theme.css": '@import "../basic.css";',
    "_static/basic.css": ".basic { background: url(file.png) }",
    "_static/styles/pydata.css": (
        '@charset "utf-8";\n.pydata { src: url(../vendor/f.woff2) }\n/*# sourceMappingURL=pydata.css.map */'
    ),
    "_static/book.css": ".book { color: red }",
}


def _bundle(page: str = HEAD, files: dict | None = None) -> tuple[str, dict[str, str]]:
    written: dict[str, str] = {}
    out = bundle_styles.bundle_page(page, "chapters/x.html", (files or FILES).__getitem__, written.__setitem__)
    return out, written


def test_bundle_page_writes_a_run_of_links_as_one_in_the_first_ones_place():
    out, written = _bundle()
    assert len(written) == 1
    ((name, css),) = written.items()
    assert re.fullmatch(r"_static/bundle-[0-9a-f]{12}\.css", name)
    assert _head_stylesheets(out) == [f"../{name}", "../_static/print.css"]
    assert out.index(".early") < out.index(name) < out.index('rel="preload"')  # the cascade's order kept
    assert [css.index(c) for c in (".basic", ".pydata", ".book")] == sorted(
        css.index(c) for c in (".basic", ".pydata", ".book")
    )
    assert 'url("file.png")' in css and 'url("vendor/f.woff2")' in css  # from _static/, where the bundle is
    assert "@import" not in css and "@charset" not in css and "sourceMappingURL" not in css
    assert '<link rel="stylesheet" href="../_static/body.css">' in out  # the body is not touched
    again, more = _bundle(out)
    assert again == out and more == {}


def test_bundle_page_leaves_a_single_link_and_a_page_without_head_alone_and_names_bad_input():
    single = '<html><head><link rel="stylesheet" href="a.css" /></head><body></body></html>'
    assert _bundle(single, {"a.css": ""}) == (single, {})
    assert _bundle("<p>no head</p>") == ("<p>no head</p>", {})
    with pytest.raises(TypeError, match="page must be a str; got bytes"):
        bundle_styles.bundle_page(b"<head></head>", "x.html", FILES.__getitem__, lambda *_: None)


@given(st.lists(st.sampled_from(["a", "b", "c", "d"]), min_size=2, max_size=6))
def test_a_bundle_holds_every_sheet_in_link_order(names):
    files = {f"_static/{n}{i}.css": f".rule-{n}{i} {{ k: v }}" for i, n in enumerate(names)}
    links = "".join(f'<link rel="stylesheet" href="_static/{n}{i}.css" />\n' for i, n in enumerate(names))
    written: dict[str, str] = {}
    bundle_styles.bundle_page(f"<head>\n{links}</head>", "index.html", files.__getitem__, written.__setitem__)
    (css,) = written.values()
    assert re.findall(r"\.rule-(\w+)", css) == [f"{n}{i}" for i, n in enumerate(names)]


# ---------------------------------------------------------------------------------- built pages
@pytest.mark.slow
def test_every_built_page_links_one_bundle_with_every_sheet_and_working_urls():
    root = require_site()
    bundles = set()
    for page_path in site_pages():
        page = (root / page_path).read_text(encoding="utf-8")
        if 'class="bd-header' not in page:
            continue  # a page without the theme (the redirect)
        sheets = _head_stylesheets(page)
        assert len(sheets) == 1 and bundle_styles.BUNDLE_PREFIX in sheets[0], f"{page_path}: head links {sheets}"
        bundles.add(posixpath.normpath(posixpath.join(posixpath.dirname(page_path), sheets[0])))
    assert bundles, "no page links a bundle"
    on_disk = {p.relative_to(root).as_posix() for p in (root / "_static").glob("bundle-*.css")}
    assert on_disk == bundles, f"bundles no page links: {sorted(on_disk - bundles)}"
    for name in bundles:
        css = (root / name).read_text(encoding="utf-8")
        parts = re.split(r"^/\* (_static/\S+) \*/$", css, flags=re.M)[1:]
        sources = parts[0::2]
        assert sources[0] == "_static/styles/theme.css" and sources[-1] == "_static/book.css", sources
        for source, body in zip(sources, parts[1::2], strict=True):
            original = (root / source).read_text(encoding="utf-8")
            if source == "_static/styles/theme.css":  # its one @import, written out
                original = (root / "_static" / "basic.css").read_text(encoding="utf-8")
            assert _preludes(body) == _preludes(original), f"{name}: {source} not whole"
            assert _preludes(original), f"{source}: no rules found to compare (parser broken?)"
        for url in re.findall(r'url\("([^"]+)"\)', css):
            if not re.match(r"^(data:|#|[a-z]+://)", url):
                assert (root / "_static" / url.split("?")[0].split("#")[0]).is_file(), (
                    f"{name}: url({url}) names no file"
                )


def _preludes(css: str) -> list[str]:
    """Every rule's selector or at-rule prelude, in order (comments, ``@charset`` and the
    addresses in ``url()``, which the bundle rewrites, left out)."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    css = re.sub(r"""@charset\s+["'][^"']*["']\s*;""", "", css, flags=re.I)
    css = re.sub(r"url\([^)]*\)", "url()", css)
    return [p.strip() for p in re.findall(r"([^{};]+)\{", css)]


# ------------------------------------------------------------------------------------ in Chromium
@browser_test
@pytest.mark.parametrize("width", [390, 1280])
def test_the_head_asks_for_one_stylesheet_and_its_icon_font_loads(browser, site_url, width):
    context, page, watch = watched_page(browser, width=width, height=900)
    try:
        styles = []
        page.on("request", lambda r: styles.append(r.url) if r.resource_type == "stylesheet" else None)
        page.goto(site_url + "chapters/proof.html", wait_until="load")
        assert len(styles) == 1 and bundle_styles.BUNDLE_PREFIX in styles[0], styles
        fonts = page.evaluate(
            """async () => { await document.fonts.ready;
                 return [...document.fonts].filter((f) => f.family.includes('Font Awesome'))
                   .map((f) => [f.family, f.status]); }"""
        )
        assert ["Font Awesome 6 Free", "loaded"] in [list(f) for f in fonts], fonts
        styled = page.evaluate(
            """() => ({
              header: getComputedStyle(document.querySelector('.bd-header-article')).position,
              section: getComputedStyle(document.querySelector('.bd-article > section > section')).contentVisibility,
              keyword: getComputedStyle(document.querySelector('.highlight .kn')).color,
            })"""
        )
        # the theme's sticky article header, book.css's lazily drawn sections, Pygments' colours
        assert styled["header"] == "sticky" and styled["section"] == "auto", styled
        assert styled["keyword"] not in ("rgb(0, 0, 0)", "rgb(33, 37, 41)"), styled
        assert watch.problems() == []
    finally:
        context.close()
