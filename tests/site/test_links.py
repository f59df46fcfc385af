"""Every internal link and anchor of the built website resolves (tools/check_links.py)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from conftest import REPO, require_site

_spec = importlib.util.spec_from_file_location("check_links", REPO / "tools" / "check_links.py")
check_links = importlib.util.module_from_spec(_spec)
sys.modules["check_links"] = check_links
_spec.loader.exec_module(check_links)


def _write(root: Path, rel: str, body: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"<!DOCTYPE html><html><body>{body}</body></html>", encoding="utf-8")


def test_checker_finds_missing_files_and_anchors(tmp_path):
    """On a small hand-made site the checker reports exactly the three broken links."""
    _write(tmp_path, "index.html", '<meta http-equiv="Refresh" content="0; url=chapters/a.html" />')
    _write(
        tmp_path,
        "chapters/a.html",
        '<h1 id="top">A</h1><a name="old">x</a>'
        '<a href="b.html#sec-2">ok</a> <a href="#top">ok</a> <a href="#old">ok</a>'
        '<a href="../_static/x.css?v=1">ok</a> <a href="https://example.org/#nope">external</a>'
        '<a href="mailto:someone@example.org">mail</a> <a href="../chapters/">dir index</a>'
        '<a href="b.html#missing">bad anchor</a> <img src="../_images/gone.png">'
        '<a href="#nowhere">bad local anchor</a>',
    )
    _write(tmp_path, "chapters/b.html", '<section id="sec-2">B</section>')
    _write(tmp_path, "chapters/index.html", "")
    (tmp_path / "_static").mkdir()
    (tmp_path / "_static" / "x.css").write_text("", encoding="utf-8")
    _write(tmp_path, "_static/template.html", '<a href="nothing.html">theme template, not a page</a>')

    problems, counts = check_links.check_site(tmp_path)

    assert len(problems) == 3, problems
    assert any("b.html#missing" in p and "'missing'" in p for p in problems)
    assert any("gone.png" in p and "missing file" in p for p in problems)
    assert any("#nowhere" in p for p in problems)
    assert counts["external"] == 1
    assert counts["pages"] == 4  # index, a, b, chapters/index; not _static/template.html
    assert check_links.main([str(tmp_path)]) == 1


def test_checker_refuses_a_missing_site(tmp_path):
    with pytest.raises(FileNotFoundError, match="make book"):
        check_links.check_site(tmp_path)


@pytest.mark.browser  # needs the built site, like the browser tests (`make unit` skips the built site)
def test_built_site_has_no_broken_internal_link():
    problems, counts = check_links.check_site(require_site())
    assert counts["pages"] >= 3 and counts["internal"] > 0, counts
    assert not problems, "\n".join(problems)
