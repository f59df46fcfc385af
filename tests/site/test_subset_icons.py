"""tools/subset_icons.py: the built site's icon fonts hold every icon its pages use, and little else."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from conftest import REPO, require_site
from fontTools.ttLib import TTFont

_spec = importlib.util.spec_from_file_location("subset_icons", REPO / "tools" / "subset_icons.py")
subset_icons = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(subset_icons)


def test_code_points_read_every_selector_of_a_rule():
    css = '.fa-a:before,.fa-b:before{content:"\\f002"}.fa-c:before{content:"\\e521"}.fa-lg{font-size:1.25em}'
    assert subset_icons.code_points(css) == {"fa-a": 0xF002, "fa-b": 0xF002, "fa-c": 0xE521}


def test_the_built_fonts_hold_every_icon_the_site_uses_and_are_small():
    site = require_site()
    table = subset_icons.code_points((site / subset_icons.CSS).read_text(encoding="utf-8"))
    used = {table[n] for n in subset_icons.used_names(site) if n in table}
    assert len(used) >= 10, f"only {len(used)} icons found: the scan of the site is broken"
    fonts = site / subset_icons.FONTS
    held: set[int] = set()
    for path in fonts.glob("fa-*.woff2"):
        held |= set(TTFont(path).getBestCmap() or {})
        assert path.stat().st_size < 20_000, f"{path.name} is {path.stat().st_size} bytes: not subset"
    assert used <= held, f"icons missing from the fonts: {sorted(hex(c) for c in used - held)}"
    assert (fonts / "fa-solid-900.woff2").is_file()


def test_usage_error_without_a_site(tmp_path: Path):
    assert subset_icons.main([str(tmp_path)]) == 2


def test_trim_css_drops_only_the_rules_of_unused_icons():
    css = (
        '.fa-a:before{content:"\\f001"}.fa-b:before,.fa-c:before{content:"\\f002"}'
        '.fa-d:after{content:"\\f003"}.fa-lg{font-size:1.25em}.x{color:red}'
    )
    trimmed = subset_icons.trim_css(css, {"fa-b"})
    assert '.fa-b:before,.fa-c:before{content:"\\f002"}' in trimmed  # one used selector keeps the rule
    assert ".fa-a:before" not in trimmed and ".fa-d:after" not in trimmed
    assert ".fa-lg{font-size:1.25em}" in trimmed and ".x{color:red}" in trimmed  # not icon rules


def test_the_built_stylesheet_keeps_a_rule_for_every_icon_the_site_uses():
    site = require_site()
    table = subset_icons.code_points((site / subset_icons.CSS).read_text(encoding="utf-8"))
    missing = {n for n in subset_icons.used_names(site) if n not in table} & {"fa-github", "fa-bars", "fa-download"}
    assert not missing, f"icons the pages use but the trimmed stylesheet no longer draws: {missing}"


def test_drawn_by_css_reads_escapes_and_private_use_characters():
    css = '.a::after{content:"\\f0eb"}:root{--icon:"\uf05a"}.q::before{content:"\\201c"}.b{content:"ab"}'
    assert subset_icons.drawn_by_css(css) == {0xF0EB, 0xF05A, 0x201C}
    assert subset_icons.drawn_by_css(".x{color:red}") == set()


def _theme_fonts() -> Path:
    import pydata_sphinx_theme

    static = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "static"
    return static / subset_icons.FONTS.relative_to("_static")


def test_the_built_fonts_hold_every_glyph_the_stylesheets_draw_themselves():
    """The admonition titles' icons (``--pst-icon-lightbulb`` …, drawn by ``::after``) and other
    glyphs a stylesheet writes itself are in the subset fonts, not drawn as a missing-glyph box."""
    site = require_site()
    drawn: set[int] = set()
    for path in subset_icons.stylesheets(site):
        drawn |= subset_icons.drawn_by_css(path.read_text(encoding="utf-8", errors="ignore"))
    assert {0xF0EB, 0xF05A} <= drawn, "the theme's admonition icons were not found: the scan is broken"
    originals = sorted(_theme_fonts().glob("fa-*.woff2"))
    assert len(originals) == 3, f"the theme's fonts not found in {_theme_fonts()}"
    for original in originals:
        had = set(TTFont(original).getBestCmap() or {})
        held = set(TTFont(site / subset_icons.FONTS / original.name).getBestCmap() or {})
        missing = (drawn & had) - held
        assert not missing, f"{original.name} lost glyphs the stylesheets draw: {sorted(hex(c) for c in missing)}"
