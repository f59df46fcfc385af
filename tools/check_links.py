#!/usr/bin/env python3
"""Check that every internal link and anchor of the built website resolves.

For every HTML page of the site (not the theme's templates under ``_static/``), every ``href`` /
``src`` that stays on the site must name a file that exists, and every ``#fragment`` must be an
``id`` (or ``<a name>``) in the target page. Links to other hosts are not fetched (the site is
checked offline); they are counted.

Usage: ``python tools/check_links.py [SITE_DIR]`` (default ``_build/html``); exits 1 and lists
each broken link when there is any.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

LINK_ATTRS = {
    ("a", "href"),
    ("link", "href"),
    ("script", "src"),
    ("img", "src"),
    ("iframe", "src"),
    ("source", "src"),
    ("area", "href"),
}
SKIP_SCHEMES = {"mailto", "javascript", "data", "blob", "tel"}


@dataclass
class Page:
    ids: set[str] = field(default_factory=set)
    links: list[tuple[str, int]] = field(default_factory=list)  # (url, line)


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (tag == "a" and name == "name"):
                self.page.ids.add(value)
            if (tag, name) in LINK_ATTRS:
                self.page.links.append((value.strip(), self.getpos()[0]))
        # a redirect page: <meta http-equiv="refresh" content="0; url=chapters/intro.html">
        values = dict(attrs)
        if tag == "meta" and (values.get("http-equiv") or "").lower() == "refresh":
            _, _, target = (values.get("content") or "").partition("url=")
            if target:
                self.page.links.append((target.strip().strip("'\""), self.getpos()[0]))

    handle_startendtag = handle_starttag


def parse(path: Path) -> Page:
    collector = _Collector()
    collector.feed(path.read_text(encoding="utf-8"))
    collector.close()
    return collector.page


def site_pages(root: Path) -> list[Path]:
    """The site's own pages: every .html file not under ``_static/`` or another ``_``/``.`` folder."""
    return sorted(p for p in root.rglob("*.html") if not p.relative_to(root).parts[0].startswith(("_", ".")))


def check_site(root: Path) -> tuple[list[str], dict[str, int]]:
    """Return (problems, counts) for the site in ``root``; no problems means every internal link resolves."""
    root = Path(root).resolve()
    if not (root / "index.html").is_file():
        raise FileNotFoundError(f"no built site at {root} (index.html missing); run `make book` first")
    cache: dict[Path, Page] = {}

    def page(path: Path) -> Page:
        if path not in cache:
            cache[path] = parse(path)
        return cache[path]

    problems: list[str] = []
    counts = {"pages": 0, "internal": 0, "anchors": 0, "external": 0}
    for src in site_pages(root):
        counts["pages"] += 1
        where = src.relative_to(root).as_posix()
        for url, line in page(src).links:
            parts = urlsplit(url)
            if parts.scheme in SKIP_SCHEMES:
                continue
            if parts.scheme or parts.netloc:
                counts["external"] += 1
                continue
            counts["internal"] += 1
            if parts.path:
                target = (src.parent / unquote(parts.path)).resolve()
                if target.is_dir():
                    target = target / "index.html"
            else:
                target = src
            if not target.is_relative_to(root):
                problems.append(f"{where}:{line}: {url} points outside the site")
                continue
            if not target.is_file():
                problems.append(f"{where}:{line}: {url} -> missing file {target.relative_to(root).as_posix()}")
                continue
            fragment = unquote(parts.fragment)
            if fragment and target.suffix == ".html":
                counts["anchors"] += 1
                if fragment not in page(target).ids:
                    problems.append(
                        f"{where}:{line}: {url} -> no id {fragment!r} in {target.relative_to(root).as_posix()}"
                    )
    return problems, counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", nargs="?", default="_build/html", type=Path)
    args = parser.parse_args(argv)
    problems, counts = check_site(args.site)
    for p in problems:
        print(p)
    print(
        f"{counts['pages']} pages, {counts['internal']} internal links "
        f"({counts['anchors']} with anchors), {counts['external']} external links not fetched; "
        f"{len(problems)} broken",
        file=sys.stderr if problems else sys.stdout,
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
