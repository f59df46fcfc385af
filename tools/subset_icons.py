"""Cut the theme's Font Awesome web fonts down to the icons the built site uses.

    .venv/bin/python tools/subset_icons.py _build/html

The theme ships Font Awesome's whole solid (156 KB), regular and brands (118 KB) fonts, and every
page downloads at least the solid one, for about fifteen icons. This script collects every
``fa-NAME`` class the site's pages and scripts mention, looks up each one's code point in the
theme's stylesheet (``.fa-NAME:before{content:"\\f002"}``), and rewrites each font (WOFF2 and TTF)
in the built site to hold just those glyphs. Names that are not icons (``fa-solid``, ``fa-lg``)
have no code point and are ignored. Glyphs a stylesheet draws by itself are kept too: every
code point written as a CSS string escape (``"\\f0eb"``) outside the icon rules, such as the
theme's admonition icons (``--pst-icon-lightbulb``, drawn by ``.admonition-title::after``) and
the exercise and book-theme icons (:func:`drawn_by_css`). The stylesheet loses the same way: its ``.fa-NAME:before``
rules for the other icons (about 1,900 rules, 85 KB of the 390 KB every page must read before it
can draw anything) are dropped. Run after the build; a rebuild copies the full files again.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

CSS = Path("_static/styles/pydata-sphinx-theme.css")
FONTS = Path("_static/vendor/fontawesome/webfonts")
_RULE = re.compile(r'([^{}]+)\{content:"\\([0-9a-f]{4,5})"\}')
_NAME = re.compile(r"\bfa-[a-z0-9-]+")
_ESCAPE = re.compile(r"""["']\\([0-9a-fA-F]{4,5})["']""")
_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")


def code_points(css: str) -> dict[str, int]:
    """``{"fa-sun": 0xF185, ...}`` for every icon class with a ``:before`` content rule."""
    out: dict[str, int] = {}
    for selectors, code in _RULE.findall(css):
        for selector in selectors.split(","):
            m = re.fullmatch(r"\s*\.(fa-[a-z0-9-]+):+before\s*", selector)
            if m:
                out[m.group(1)] = int(code, 16)
    return out


def trim_css(css: str, used: set[str]) -> str:
    """``css`` without the icon rules (``.fa-NAME:before{content:"\\f002"}``) of icons not in ``used``.

    A rule stays when any of its selectors names a used icon, or is anything but ``.fa-NAME:before``.
    """

    def keep(m: re.Match) -> str:
        selectors = m.group(1).split(",")
        names = [re.fullmatch(r"\s*\.(fa-[a-z0-9-]+):+(?:before|after)\s*", sel) for sel in selectors]
        if all(names) and not any(n.group(1) in used for n in names):
            return ""
        return m.group(0)

    return _RULE.sub(keep, css)


def drawn_by_css(css: str) -> set[int]:
    """Every icon code point ``css`` writes itself, whatever the page's classes: as a one-character
    string escape (``content:"\\f0eb"``) or as the character itself (the minified theme writes
    ``--pst-icon-lightbulb:""`` with U+F0EB between the quotes; icons live in Unicode's private
    use area, U+E000–U+F8FF)."""
    return {int(code, 16) for code in _ESCAPE.findall(css)} | {ord(c) for c in _PRIVATE_USE.findall(css)}


def stylesheets(site: Path) -> list[Path]:
    """The built site's stylesheets (``_static/**/*.css``)."""
    return sorted((site / "_static").rglob("*.css"))


def used_names(site: Path) -> set[str]:
    """Every ``fa-…`` token in the site's HTML pages and JavaScript files."""
    names: set[str] = set()
    for path in [*site.rglob("*.html"), *site.rglob("*.js")]:
        names.update(_NAME.findall(path.read_text(encoding="utf-8", errors="ignore")))
    return names


def subset_font(path: Path, keep: set[int]) -> tuple[int, int]:
    """Rewrite the font at ``path`` with only the glyphs of ``keep``; returns (bytes before, after)."""
    before = path.stat().st_size
    font = TTFont(path)
    options = subset.Options()
    options.flavor = "woff2" if path.suffix == ".woff2" else None
    options.layout_features = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(keep & set(font.getBestCmap() or {})))
    subsetter.subset(font)
    font.flavor = options.flavor
    font.save(path)
    return before, path.stat().st_size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Subset the site's Font Awesome fonts to the icons it uses.")
    parser.add_argument("site", type=Path, help="the built site (with index.html)")
    args = parser.parse_args(argv)
    css_path, fonts = args.site / CSS, args.site / FONTS
    if not css_path.is_file() or not fonts.is_dir():
        print(f"subset_icons: {args.site} has no {CSS} or {FONTS}: not a built site of this theme", file=sys.stderr)
        return 2
    css = css_path.read_text(encoding="utf-8")
    table = code_points(css)
    used = used_names(args.site)
    keep = {table[n] for n in used if n in table}
    if not keep:
        print("subset_icons: no icon of the stylesheet is used; fonts left alone", file=sys.stderr)
        return 1
    trimmed = trim_css(css, used)
    keep |= drawn_by_css(trimmed)
    for path in stylesheets(args.site):
        if path != css_path:
            keep |= drawn_by_css(path.read_text(encoding="utf-8", errors="ignore"))
    total_before = total_after = 0
    for path in sorted(fonts.glob("fa-*")):
        if path.suffix in (".woff2", ".ttf"):
            before, after = subset_font(path, keep)
            total_before, total_after = total_before + before, total_after + after
    css_path.write_text(trimmed, encoding="utf-8")
    print(
        f"subset_icons: {len(keep)} icons kept; fonts {total_before // 1024} KiB -> {total_after // 1024} KiB;"
        f" stylesheet {len(css) // 1024} KiB -> {len(trimmed) // 1024} KiB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
