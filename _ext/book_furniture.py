"""The page furniture a Jupyter Book reader expects, switched on from ``_config.yml``.

A small Sphinx extension (listed in ``sphinx.config.extensions``, found through
``sphinx.local_extensions``):

- **Repository and issue buttons** follow ``repository.url`` alone: set it to the repository's
  address (``https://github.com/owner/name``) and every page gets both buttons; leave it empty and
  neither appears. No ``html.use_*_button`` switch needs to agree with it.
- **One search entry point**: the theme's header search button is dropped (``navbar_persistent``
  empty), so a desktop reader sees only the sidebar's search button (drawn as a field) and a phone
  reader (sidebar folded away) only the article header's search button; both open the theme's
  search dialog, the one search field.
- **The chapter as a notebook**: each page built from a notebook offers ``.ipynb`` in its download
  menu, the notebook myst-nb executed for the page, copied into ``_sources/``. The theme offers it
  only when a launch service (Binder, Colab, ...) is configured; this site has none.
- **The site's front door**: ``index.html`` (the redirect to the first chapter, which
  sphinx-external-toc would write as a bare ``<meta>`` line) is a small valid page with a title,
  a language and a link for a browser that does not follow the redirect. It declares no icon: the
  browser leaves it at once (an icon request would be aborted), and the chapter it lands on
  declares the favicon, so no /favicon.ico is asked for.
- **Accessible names in the page body**: the bibliography's deprecated ``doc-biblioentry`` role
  becomes ``listitem`` (the list's required child role), and the folded code cells' ``<summary>``
  loses an ``aria-label`` ("Toggle hidden content") that hid its visible text ("Show code cell
  source") from assistive technology (WCAG 2.5.3, label in name).
- **Scripts that do not hold up the page**: every script file the extensions add to the head
  (doctools, copy and toggle buttons, the book theme's ...) loads with
  ``defer``: fetched in parallel, run in order once the page is parsed, before
  ``DOMContentLoaded``, which is when each of them starts its work anyway. The one exception is
  ``documentation_options.js``, which the inline scripts after it extend at once
  (:data:`SYNC_SCRIPTS`).
- **Figures that load as the reader reaches them**: every figure image (``_images/``) gets
  ``loading="lazy"``, ``decoding="async"`` and its size (:func:`lazy_images`): the browser reserves
  its box at once (nothing below it moves when it arrives) and fetches, parses and lays out each
  matplotlib SVG (a document of its own) only when the reader scrolls near it, not before the
  page's load event. An image whose size cannot be read stays as it was.
- **The theme's Bootstrap after the load event**: pydata-sphinx-theme loads Bootstrap on every
  page for its dropdown menus, header tooltips and back-to-top button, none of which reading needs;
  evaluating it took about 150 ms of a slow phone's main thread before the page finished loading.
  :func:`bootstrap_after_load` puts ``chapters/_static/bootstrap_after_load.js`` in its place,
  which adds Bootstrap just after the load event (and at once if a dropdown is clicked earlier).
- **A demo's assets once per page**: a live demo's stylesheet and module, repeated in each demo's
  output (so that it stands alone in a notebook), are kept once per page
  (:func:`drop_repeated_assets`). The page's stylesheets are bundled into one after the build, by
  ``tools/bundle_styles.py``.
- **No page-wide layout pass after loading**: pydata-sphinx-theme measures every code block and
  output on the load event (and after every change in the article) to decide which get a tab stop;
  in sections the book draws only near the screen (``content-visibility: auto``) each measure lays
  the section out on the spot, freezing a long page for a second and more on a slow phone.
  :func:`patch_theme_script` switches that pass off in the built theme script and
  ``chapters/_static/tab_stops.js`` does the job section by section, as each is drawn.
"""

from __future__ import annotations

import html
import re
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

__all__ = [
    "BODY_FIXES",
    "BOOTSTRAP_LOADER",
    "SYNC_SCRIPTS",
    "THEME_BOOTSTRAP",
    "THEME_TAB_STOPS",
    "bootstrap_after_load",
    "defer_scripts",
    "drop_repeated_assets",
    "fix_body",
    "image_size",
    "lazy_images",
    "patch_theme_script",
    "redirect_page",
    "repository_buttons",
    "setup",
]

#: Script files that must run where they stand (the page's inline scripts use what they define).
SYNC_SCRIPTS = ("documentation_options.js",)

#: The buttons that ``repository.url`` switches (the theme's option names).
REPOSITORY_BUTTONS = ("use_repository_button", "use_issues_button")
_REPO_URL = re.compile(r"^https://[^/\s]+(/[^/\s]+){2,}/?$")

#: (pattern, replacement) applied to every page's body HTML, with the reason for each.
BODY_FIXES: tuple[tuple[str, str, str], ...] = (
    (
        'role="doc-biblioentry"',
        'role="listitem"',
        "doc-biblioentry is deprecated (DPUB-ARIA 1.1) and is not the listitem a role=list needs",
    ),
    (
        '<summary aria-label="Toggle hidden content">',
        "<summary>",
        "the aria-label replaced the summary's visible text as its accessible name",
    ),
)


def repository_buttons(theme_options: Mapping[str, Any]) -> dict[str, bool]:
    """The repository and issue buttons' switches for ``theme_options`` (on iff a URL is set).

    ``theme_options["repository_url"]`` is what Jupyter Book makes of ``repository.url``: an empty
    string or None (no repository: both off) or ``https://host/owner/name`` (both on).
    """
    if not isinstance(theme_options, Mapping):
        raise TypeError(f"theme_options must be a mapping; got {type(theme_options).__name__}")
    url = theme_options.get("repository_url")
    if url is None:
        url = ""
    if not isinstance(url, str):
        raise TypeError(f"repository.url must be a string; got {type(url).__name__} {url!r}")
    url = url.strip()
    if url and not _REPO_URL.match(url):
        raise ValueError(f"repository.url must be empty or https://host/owner/name; got {url!r}")
    return dict.fromkeys(REPOSITORY_BUTTONS, bool(url))


def fix_body(body: str) -> str:
    """``body`` (a page's HTML) with each of :data:`BODY_FIXES` applied."""
    if not isinstance(body, str):
        raise TypeError(f"body must be a str; got {type(body).__name__}")
    for pattern, replacement, _reason in BODY_FIXES:
        body = body.replace(pattern, replacement)
    return body


def defer_scripts(scripts: list) -> list:
    """``scripts`` (Sphinx's ``script_files``) with ``defer`` on every file not in :data:`SYNC_SCRIPTS`.

    Inline scripts (no file), modules and scripts that already say ``async`` or ``defer`` are kept
    as they are; the order is kept (deferred scripts run in document order).
    """
    from sphinx.builders.html._assets import _JavaScript

    out = []
    for js in scripts:
        name = str(getattr(js, "filename", js) or "")
        attrs = dict(getattr(js, "attributes", {}) or {})
        keep = (
            not name
            or not isinstance(js, _JavaScript)
            or name.split("?")[0].endswith(SYNC_SCRIPTS)
            or attrs.get("body")
            or {"async", "defer"} & attrs.keys()
            or attrs.get("type") == "module"
        )
        out.append(js if keep else _JavaScript(js.filename, priority=js.priority, **attrs, defer="defer"))
    return out


#: The theme's tab-stop pass in its built script (pydata-sphinx-theme 0.17.1's
#: ``addTabStopsToScrollableElements``, minified): a function that measures every region and
#: watches the article for changes. Its body is emptied; its name and its call on ``load`` stay.
THEME_TAB_STOPS = re.compile(
    r"function (?P<name>[\w$]+)\(\)\{const (?P<f>[\w$]+)=\(\)=>\{document\.querySelectorAll\(\[\"pre\","
    r"[^{}]*\{[^{}]*scrollWidth[^{}]*\}\)\},[^{}]*\{subtree:!0,childList:!0\}\),(?P=f)\(\)\}"
)
_TAB_STOPS_OFF = "/* book_furniture: tab stops are set section by section by tab_stops.js */"


def patch_theme_script(source: str) -> str:
    """``source`` (pydata-sphinx-theme.js as built) with the theme's tab-stop pass emptied.

    Raises ValueError unless the pass is found exactly once (a theme upgrade that changes it must
    be looked at, not silently left in); a source already patched is returned as it is.
    """
    if not isinstance(source, str):
        raise TypeError(f"source must be a str; got {type(source).__name__}")
    if _TAB_STOPS_OFF in source:
        return source
    found = THEME_TAB_STOPS.findall(source)
    if len(found) != 1:
        raise ValueError(
            f"expected the theme's tab-stop pass once in pydata-sphinx-theme.js; found it {len(found)} times "
            "(theme upgraded? see book_furniture.THEME_TAB_STOPS)"
        )
    return THEME_TAB_STOPS.sub(lambda m: f"function {m['name']}(){{{_TAB_STOPS_OFF}}}", source)


def _patch_theme(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    path = Path(app.outdir) / "_static" / "scripts" / "pydata-sphinx-theme.js"
    path.write_text(patch_theme_script(path.read_text(encoding="utf-8")), encoding="utf-8")


# ---------------------------------------------------------------------------- figures load lazily
_LENGTH = re.compile(r"^\s*([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\s*(px|pt)?\s*$")
_PX_PER = {None: 1.0, "px": 1.0, "pt": 4.0 / 3.0}
_SVG_ROOT = re.compile(r"<svg\b[^>]*>", re.S)


def _svg_length(tag: str, name: str) -> float | None:
    found = re.search(rf'\s{name}="([^"]*)"', tag)
    if not found:
        return None
    length = _LENGTH.match(found.group(1))
    return float(length.group(1)) * _PX_PER[length.group(2)] if length else None


def image_size(path: Path) -> tuple[int, int] | None:
    """``(width, height)`` in CSS px of the SVG or PNG at ``path`` at its natural size, or None.

    An SVG's size is its root's ``width``/``height`` (in px, pt or unitless; matplotlib writes pt),
    else its ``viewBox``; a PNG's is its header's. None for another format, or an SVG whose size
    is relative (``100%``) or absent.
    """
    path = Path(path)
    if path.suffix.lower() == ".png":
        head = path.read_bytes()[:24]
        if head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
            raise ValueError(f"{path}: not a PNG file (no PNG signature and IHDR header)")
        return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")
    if path.suffix.lower() != ".svg":
        return None
    root = _SVG_ROOT.search(path.read_text(encoding="utf-8", errors="replace")[:20_000])
    if root is None:
        raise ValueError(f"{path}: no <svg> element in its first 20,000 characters")
    tag = root.group(0)
    width, height = _svg_length(tag, "width"), _svg_length(tag, "height")
    if width is None or height is None:
        box = re.search(r'\sviewBox="\s*[-\d.eE]+[\s,]+[-\d.eE]+[\s,]+([\d.eE]+)[\s,]+([\d.eE]+)\s*"', tag)
        if box is None:
            return None
        width, height = float(box.group(1)), float(box.group(2))
    if not (width > 0 and height > 0):
        return None
    return max(1, round(width)), max(1, round(height))


_IMG = re.compile(r"<img\b[^>]*>")
_IMG_SRC = re.compile(r'\ssrc="([^"]*_images/[^"/]+)"')


def lazy_images(page: str, size_of) -> str:
    """``page`` (HTML) with each ``<img>`` of ``_images/`` loading lazily at its size.

    ``size_of(src)`` gives ``(width, height)`` in px for an image's ``src`` attribute, or None.
    An image gets ``loading="lazy" decoding="async" width=… height=…`` when it has no ``loading``,
    ``width`` or ``height`` attribute of its own and its size is known; every other tag is kept
    as it is, so a page already rewritten comes back unchanged.
    """
    if not isinstance(page, str):
        raise TypeError(f"page must be a str; got {type(page).__name__}")

    def rewrite(match: re.Match) -> str:
        tag = match.group(0)
        src = _IMG_SRC.search(tag)
        if src is None or re.search(r"\s(loading|width|height)=", tag):
            return tag
        size = size_of(html.unescape(src.group(1)))
        if size is None:
            return tag
        width, height = size
        return f'<img loading="lazy" decoding="async" width="{width}" height="{height}"' + tag[len("<img") :]

    return _IMG.sub(rewrite, page)


# ------------------------------------------------------------- the theme's Bootstrap after load
#: The theme's Bootstrap in a built page (pydata-sphinx-theme 0.17.1's template): the deferred
#: script, and the preload hint that fetches it early.
THEME_BOOTSTRAP = re.compile(
    r'<script defer src="(?P<static>[^"]*?)scripts/bootstrap\.js(?P<query>\?[^"]*)?"></script>'
)
_BOOTSTRAP_PRELOAD = re.compile(r'[ \t]*<link rel="preload" as="script" href="[^"]*?scripts/bootstrap\.js[^"]*" />\n?')
#: The script (``chapters/_static/``) that takes Bootstrap's place and loads it after the load event.
BOOTSTRAP_LOADER = "bootstrap_after_load.js"


def bootstrap_after_load(page: str) -> str:
    """``page`` (HTML) with the theme's Bootstrap loaded after the page's load event.

    The theme's ``<script defer src=".../scripts/bootstrap.js?...">`` becomes
    :data:`BOOTSTRAP_LOADER` (same place, Bootstrap's address in ``data-src``) and the preload
    hint for it goes. A page without that script (a redirect) or already rewritten comes back
    unchanged; a page with it twice raises ValueError.
    """
    if not isinstance(page, str):
        raise TypeError(f"page must be a str; got {type(page).__name__}")
    found = THEME_BOOTSTRAP.findall(page)
    if len(found) > 1:
        raise ValueError(f"expected the theme's bootstrap.js script at most once; found it {len(found)} times")

    def loader(match: re.Match) -> str:
        static, query = match["static"], match["query"] or ""
        bootstrap = html.escape(f"{static}scripts/bootstrap.js{query}", quote=True)
        return f'<script defer src="{static}{BOOTSTRAP_LOADER}" data-src="{bootstrap}"></script>'

    return _BOOTSTRAP_PRELOAD.sub("", THEME_BOOTSTRAP.sub(loader, page))


# ------------------------------------------------------------------- one copy of a page's assets
_REPEATABLE_ASSET = re.compile(
    r'[ \t]*(?:<link rel="stylesheet" href="(?P<css>[^"]+)">|<script type="module" src="(?P<js>[^"]+)"></script>)\n?'
)


def drop_repeated_assets(page: str) -> str:
    """``page`` (HTML) with each stylesheet link and module script after the first of its address dropped.

    Every live demo's output carries ``<link rel="stylesheet" href=…retention_demos.css>`` and
    ``<script type="module" src=…retention_demos.js>`` so that it stands alone in a notebook; on a
    page with four demos the browser would apply the same stylesheet four times. Only those two
    exact forms are touched (the theme's own links are written differently and never repeat).
    """
    if not isinstance(page, str):
        raise TypeError(f"page must be a str; got {type(page).__name__}")
    seen: set[tuple[str, str]] = set()

    def once(match: re.Match) -> str:
        key = ("css", match["css"]) if match["css"] else ("js", match["js"])
        if key in seen:
            return ""
        seen.add(key)
        return match.group(0)

    return _REPEATABLE_ASSET.sub(once, page)


def _rewrite_pages(app, exception) -> None:
    """Every built page: lazy figures, Bootstrap after load, each demo asset once."""
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    sizes: dict[Path, tuple[int, int] | None] = {}

    for page in outdir.rglob("*.html"):
        if page.relative_to(outdir).parts[0].startswith(("_", ".")):
            continue

        def size_of(src: str, page: Path = page) -> tuple[int, int] | None:
            target = (page.parent / src.split("?")[0]).resolve()
            if target not in sizes:
                sizes[target] = image_size(target) if target.is_file() else None
            return sizes[target]

        text = page.read_text(encoding="utf-8")
        new = drop_repeated_assets(bootstrap_after_load(lazy_images(text, size_of)))
        if new != text:
            page.write_text(new, encoding="utf-8")


def redirect_page(target: str, title: str) -> str:
    """The HTML of a page that sends the reader to ``target`` (a relative URL) at once."""
    for name, value in (("target", target), ("title", title)):
        if not isinstance(value, str) or not value:
            raise ValueError(f"{name} must be a non-empty str; got {value!r}")
    esc = html.escape
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n  <meta charset="utf-8"/>\n'
        f"  <title>{esc(title)}</title>\n"
        f'  <meta http-equiv="Refresh" content="0; url={esc(target)}"/>\n'
        f'</head>\n<body>\n  <p><a href="{esc(target)}">{esc(title)}</a></p>\n</body>\n</html>\n'
    )


def _write_front_door(app, exception) -> None:
    """Write ``index.html`` before sphinx-external-toc would write its one-line redirect."""
    config = app.config
    if exception is not None or app.builder.format != "html" or config.root_doc == "index":
        return
    title = config.html_title or config.project
    page = redirect_page(f"{config.root_doc}.html", title)
    (Path(app.outdir) / "index.html").write_text(page, encoding="utf-8")


def _configure(app, config) -> None:
    options = config.html_theme_options
    options.update(repository_buttons(options))
    # An explicit empty list: pydata-sphinx-theme otherwise adds its search button to the header.
    options.setdefault("navbar_persistent", [])


def _offer_notebook(app, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Put the executed notebook of ``pagename`` (if myst-nb wrote one) into the download menu."""
    if doctree is None or context.get("ipynb_source"):
        return
    executed = Path(app.env.mystnb_config.output_folder) / f"{pagename}.ipynb"
    if not executed.is_file():
        return
    target = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(executed, target)
    context["ipynb_source"] = f"{pagename}.ipynb"


def _fix_page_body(app, pagename: str, templatename: str, context: dict, doctree) -> None:
    if isinstance(context.get("body"), str):
        context["body"] = fix_body(context["body"])


#: Pages whose own body scripts need the head scripts at once: Sphinx's search page runs
#: searchtools.js (which calls doctools.js's ``_ready``) synchronously in its body.
SYNC_PAGES = ("search",)


def _defer_page_scripts(app, pagename: str, templatename: str, context: dict, doctree) -> None:
    if pagename in SYNC_PAGES:
        return
    if isinstance(context.get("script_files"), list):
        context["script_files"] = defer_scripts(context["script_files"])


def setup(app) -> dict[str, Any]:
    app.connect("config-inited", _configure)
    # before sphinx-book-theme builds the download menu (priority 501)
    app.connect("html-page-context", _offer_notebook, priority=500)
    app.connect("html-page-context", _fix_page_body)
    # after every extension has added its scripts to the page
    app.connect("html-page-context", _defer_page_scripts, priority=900)
    # before sphinx-external-toc's ensure_index_file (priority 500), which then leaves it alone
    app.connect("build-finished", _write_front_door, priority=400)
    app.connect("build-finished", _patch_theme)
    app.connect("build-finished", _rewrite_pages)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
