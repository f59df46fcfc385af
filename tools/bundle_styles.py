"""One stylesheet per page instead of ten.

    .venv/bin/python tools/bundle_styles.py _build/html

A built page's head links ten stylesheets one after another: the theme's three, Pygments', the
toggle and copy buttons', myst-nb's, the proof and exercise extensions' and the book's own. The
browser takes each one as it arrives, and each late one made it style again the page it had
already styled: on a slow phone (4x slower CPU) the proof page spent about 0.4 s of its main
thread on that and on the requests themselves. This script writes each run of stylesheet links
as one file, ``_static/bundle-<hash>.css``:

- the sheets' rules in the same order, so the cascade is the same;
- an ``@import`` written out in place (the theme's ``styles/theme.css`` is nothing but
  ``@import "../basic.css"``: a stylesheet the browser could only ask for once it had the first);
- every relative ``url(...)`` rewritten to hold from ``_static/``, where the bundle is;
- ``@charset`` rules and source-map comments left out (the site is UTF-8; a map would describe
  another file).

The run of ``<link>`` tags becomes one. Pages with the same stylesheets share a bundle, named by
its content; a bundle no page links any more is deleted. A link with a ``media`` other than
``all``, or to another host, is left as it is. Run it last, after ``prerender_math.mjs`` and
``subset_icons.py``, since it bundles the files as they then are; a page already bundled is left
alone. ``make book`` rewrites every page when this script changes.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import posixpath
import re
import sys
from collections.abc import Callable
from pathlib import Path

#: Where bundles go, relative to the site.
BUNDLE_DIR = "_static"
BUNDLE_PREFIX = "bundle-"

_ATTR = re.compile(r'([a-zA-Z][\w-]*)="([^"]*)"')
#: Two or more ``<link>`` tags one after another (only white space between them).
_LINK_RUN = re.compile(r"(?:\s*<link\b[^>]*>){2,}")
_CSS_IMPORT = re.compile(r"""@import\s+(?:url\(\s*)?(["']?)(?P<path>[^"')\s;]+)\1\s*\)?\s*(?P<media>[^;]*);""")
_CSS_URL = re.compile(r"""url\(\s*(["']?)(?P<url>[^"')]+)\1\s*\)""")
_CHARSET = re.compile(r"""@charset\s+["'][^"']*["']\s*;""", re.I)
_SOURCE_MAP = re.compile(r"/\*#\s*sourceMappingURL=[^*]*\*/")
_ROOT = "/" + "/".join(f"d{i}" for i in range(64))
_ABSOLUTE = re.compile(r"^([a-z][a-z0-9+.-]*:|/|#)", re.I)


def inline_css_imports(css: str, read: Callable[[str], str]) -> str:
    """``css`` with each ``@import "path";`` replaced by that file's text, ``read(path)``.

    The imported text's relative ``url(...)`` references are rewritten to hold from ``css``'s
    own folder, and its own imports are written out the same way. Raises ValueError for an import
    with a media query or an absolute address (neither is handled).
    """
    if not isinstance(css, str):
        raise TypeError(f"css must be a str; got {type(css).__name__}")

    def inline(match: re.Match) -> str:
        path, media = match["path"], match["media"].strip()
        if media or _ABSOLUTE.match(path):
            raise ValueError(f"cannot inline @import {path!r} {media!r}: expected a relative path, no media query")
        folder = posixpath.dirname(path)
        text = inline_css_imports(read(path), lambda rel: read(posixpath.normpath(posixpath.join(folder, rel))))
        return rebase_urls(text, folder, "")

    return _CSS_IMPORT.sub(inline, css)


def rebase_urls(css: str, source_dir: str, target_dir: str) -> str:
    """``css``, written for a file in ``source_dir``, with relative ``url(...)``s for one in ``target_dir``.

    Both folders are relative to the same root (``""`` is the root); ``source_dir`` may climb out
    of it with ``..``, ``target_dir`` may not (ValueError: its name from above is unknown). Data,
    absolute and fragment-only references are left as they are; a query or fragment is kept.
    """
    for name, value in (("css", css), ("source_dir", source_dir), ("target_dir", target_dir)):
        if not isinstance(value, str):
            raise TypeError(f"{name} must be a str; got {type(value).__name__}")

    target_dir = posixpath.normpath(target_dir or ".")
    if target_dir == ".." or target_dir.startswith("../"):
        raise ValueError(f"target_dir must be inside the root; got {target_dir!r}")

    def rebase(match: re.Match) -> str:
        url = match["url"].strip()
        if _ABSOLUTE.match(url):
            return f'url("{url}")'
        path, tail = re.match(r"^([^?#]*)(.*)$", url).groups()
        target = posixpath.normpath(posixpath.join(source_dir or ".", path))
        # relpath of relative paths would resolve them from the current directory: from a deep
        # stand-in root instead, so that climbing out with ".." means the same wherever this runs
        return f'url("{posixpath.relpath(posixpath.join(_ROOT, target), posixpath.join(_ROOT, target_dir))}{tail}")'

    return _CSS_URL.sub(rebase, css)


def _stylesheet_href(tag: str) -> str | None:
    """The local address of a ``<link rel="stylesheet">`` that can be bundled, else None."""
    attrs = {k.lower(): html.unescape(v) for k, v in _ATTR.findall(tag)}
    if attrs.get("rel", "").lower().split() != ["stylesheet"] or "href" not in attrs:
        return None
    if attrs.get("media", "all").strip().lower() not in ("all", "") or _ABSOLUTE.match(attrs["href"]):
        return None
    return attrs["href"]


def bundle_page(page: str, page_path: str, read: Callable[[str], str], write: Callable[[str, str], None]) -> str:
    """``page`` (HTML at ``page_path``, relative to the site) with each run of stylesheet links in its head as one.

    ``read(path)`` gives the text of a site file; ``write(path, text)`` stores a bundle
    (``_static/bundle-<hash>.css``, relative to the site). Links that cannot be bundled
    (:func:`_stylesheet_href`) end a run; a run needs two or more links. Each bundle keeps the place
    of its run's first link.
    """
    if not isinstance(page, str):
        raise TypeError(f"page must be a str; got {type(page).__name__}")
    end = page.find("</head>")
    if end < 0:
        return page
    page_dir = posixpath.dirname(page_path)

    def bundle(tags: list[str], hrefs: list[str]) -> str:
        parts = []
        for href in hrefs:
            source = posixpath.normpath(posixpath.join(page_dir, href.split("?")[0].split("#")[0]))
            folder = posixpath.dirname(source)
            css = inline_css_imports(
                read(source), lambda rel, folder=folder: read(posixpath.normpath(posixpath.join(folder, rel)))
            )
            css = _SOURCE_MAP.sub("", _CHARSET.sub("", css))
            parts.append(f"/* {source} */\n{rebase_urls(css, folder, BUNDLE_DIR).strip()}\n")
        text = "\n".join(parts)
        name = f"{BUNDLE_DIR}/{BUNDLE_PREFIX}{hashlib.sha256(text.encode()).hexdigest()[:12]}.css"
        write(name, text)
        href = posixpath.relpath(name, page_dir or ".")
        space = re.match(r"\s*", tags[0]).group(0)
        return f'{space}<link rel="stylesheet" href="{html.escape(href, quote=True)}" />'

    def one(run: re.Match) -> str:
        out, group = [], []
        for tag in [*re.findall(r"\s*<link\b[^>]*>", run.group(0)), None]:
            href = _stylesheet_href(tag) if tag is not None else None
            if href is not None:
                group.append((tag, href))
                continue
            if len(group) >= 2:
                out.append(bundle([t for t, _ in group], [h for _, h in group]))
            else:
                out.extend(t for t, _ in group)
            group = []
            if tag is not None:
                out.append(tag)
        return "".join(out)

    return _LINK_RUN.sub(one, page[:end]) + page[end:]


def bundle_site(site: Path) -> tuple[int, list[str]]:
    """Bundle every page of the built ``site``; returns (pages rewritten, bundles linked)."""
    site = Path(site)
    if not (site / BUNDLE_DIR).is_dir():
        raise FileNotFoundError(f"{site}: no {BUNDLE_DIR}/ folder; expected a built site (run make book)")
    written: dict[str, str] = {}

    def read(path: str) -> str:
        return (site / path).read_text(encoding="utf-8")

    def write(path: str, text: str) -> None:
        if written.get(path) != text:
            (site / path).write_text(text, encoding="utf-8")
            written[path] = text

    changed = 0
    linked: set[str] = set()
    for page in sorted(site.rglob("*.html")):
        rel = page.relative_to(site).as_posix()
        if rel.startswith(("_", ".")):
            continue
        text = page.read_text(encoding="utf-8")
        new = bundle_page(text, rel, read, write)
        if new != text:
            page.write_text(new, encoding="utf-8")
            changed += 1
        for href in re.findall(rf'href="([^"]*{BUNDLE_PREFIX}[0-9a-f]+\.css)"', new):
            linked.add(posixpath.normpath(posixpath.join(posixpath.dirname(rel), href)))
    for old in (site / BUNDLE_DIR).glob(f"{BUNDLE_PREFIX}*.css"):
        if f"{BUNDLE_DIR}/{old.name}" not in linked:
            old.unlink()
    return changed, sorted(linked)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path, help="the built site, e.g. _build/html")
    args = parser.parse_args(argv)
    changed, linked = bundle_site(args.site)
    sizes = ", ".join(f"{name} ({(args.site / name).stat().st_size // 1024} KiB)" for name in linked)
    print(f"bundle_styles: {changed} pages rewritten; stylesheets: {sizes or 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
