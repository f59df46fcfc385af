"""tools/prerender_math.mjs: the build typesets every formula (SVG plus MathML), strips MathJax, fails on bad TeX."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "tools" / "prerender_math.mjs"

PAGE = """<html><head>
<script>window.MathJax = {"options": {}}</script>
<script defer="defer" src="_static/mathjax/tex-chtml.js?v=1"></script>
</head><body data-x="1">
<p>Inline <span class="math notranslate nohighlight">\\(\\sigma(x) = 1 - \\sigma(-x)\\)</span>.</p>
<div class="math notranslate nohighlight" id="equation-a"><span class="eqno">(1)</span>
\\[h_t = z_t \\odot h_{t-1} + (1 - z_t) \\odot \\tilde h_t\\]</div>
<div class="output text_latex math notranslate nohighlight">
\\[\\displaystyle \\sigma{\\left(- u \\right)} + \\sigma{\\left(u \\right)} = 1\\]</div>
</body></html>"""


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not installed (make assets installs npm and node)", pytrace=False)
    return node


def _run(site: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([_node(), str(SCRIPT), str(site)], cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_formulas_become_svg_with_mathml_and_mathjax_is_removed(tmp_path):
    (tmp_path / "index.html").write_text(PAGE, encoding="utf-8")
    result = _run(tmp_path)
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert html.count("<mjx-container") == 3 and html.count("<mjx-assistive-mml") == 3
    assert '<div class="output text_latex math notranslate nohighlight">' in html  # sympy's output, typeset too
    assert 'display="true"' in html and "<math" in html
    assert 'data-tex="\\sigma(x) = 1 - \\sigma(-x)"' in html
    assert "window.MathJax" not in html and "tex-chtml.js" not in html
    assert '<span class="eqno">(1)</span>' in html
    assert "\\(" not in html.split("<body", 1)[1].replace("data-tex", "")  # no TeX left as text
    body = html.split("<body", 1)[1]
    # nothing only old browsers read: namespaces, xlink, IE's focusable/unselectable, TeX classes
    for leftover in ("xmlns", "xlink", "focusable", "unselectable", "data-mjx-texclass", 'style="position'):
        assert leftover not in body.replace('id="MJX-SVG-global-cache" xmlns', ""), leftover
    assert body.count("<use href=") > 3 and 'mjx-container[jax="SVG"] { position: relative; }' in html
    # a second run (an incremental build rewrites some pages only) leaves typeset pages alone
    again = _run(tmp_path)
    assert again.returncode == 0 and (tmp_path / "index.html").read_text(encoding="utf-8") == html


def test_bad_tex_fails_the_build_naming_page_and_formula(tmp_path):
    bad = PAGE.replace("\\tilde h_t", "\\frac{1}{")
    (tmp_path / "index.html").write_text(bad, encoding="utf-8")
    result = _run(tmp_path)
    assert result.returncode == 1
    assert "index.html" in result.stderr and "\\frac{1}{" in result.stderr


def test_usage_error_without_a_site(tmp_path):
    result = _run(tmp_path / "missing")
    assert result.returncode == 2 and "usage" in result.stderr
