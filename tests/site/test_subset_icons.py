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
