"""What a page loads before it can show text: head scripts are deferred (Sphinx's
documentation_options.js alone runs at once, for the inline scripts that read it), and only the
search page loads the search index and its tools. Built-page checks need ``make book``."""

from __future__ import annotations

import importlib.util
import re

import pytest
from conftest import REPO, require_site

_spec = importlib.util.spec_from_file_location("book_furniture_scripts", REPO / "_ext" / "book_furniture.py")
furniture = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(furniture)

HEAD_SCRIPT = re.compile(r"<script\b([^>]*)\bsrc=\"([^\"]+)\"([^>]*)>", re.S)
SEARCH_FILES = ("searchindex.js", "searchtools.js", "language_data.js")


def _head_scripts(page: str) -> list[tuple[str, str]]:
    head = page[: page.index("</head>")]
    return [(src, before + after) for before, src, after in HEAD_SCRIPT.findall(head)]


def _pages() -> list[str]:
    return sorted(p.stem for p in (REPO / "chapters").glob("*.md"))


def test_defer_scripts_defers_files_and_leaves_the_rest():
    from sphinx.builders.html._assets import _JavaScript

    scripts = [
        _JavaScript("_static/documentation_options.js"),
        _JavaScript("_static/a.js", priority=200),
        _JavaScript("_static/m.js", type="module"),
        _JavaScript("_static/b.js", **{"async": "async"}),
        _JavaScript(None, body="var x = 1;"),
    ]
    out = furniture.defer_scripts(scripts)
    attrs = [dict(js.attributes) for js in out]
    assert "defer" not in attrs[0] and attrs[1].get("defer") == "defer" and out[1].priority == 200
    assert "defer" not in attrs[2] and "defer" not in attrs[3] and "defer" not in attrs[4]
    assert [js.filename for js in out] == [js.filename for js in scripts]  # order kept


@pytest.mark.slow
@pytest.mark.parametrize("chapter", _pages())
def test_chapter_head_scripts_are_deferred_and_skip_the_search_index(chapter):
    page = (require_site() / "chapters" / f"{chapter}.html").read_text(encoding="utf-8")
    scripts = _head_scripts(page)
    assert scripts, f"{chapter}: no head scripts found: the parser is broken"
    blocking = [
        src
        for src, attrs in scripts
        if "defer" not in attrs
        and "async" not in attrs
        and "module" not in attrs
        and not src.split("?")[0].endswith("documentation_options.js")
    ]
    assert not blocking, f"{chapter}: head scripts that block the first paint: {blocking}"
    search = [src for src, _ in scripts if src.split("?")[0].endswith(SEARCH_FILES)]
    assert not search, f"{chapter}: loads the search index or tools: {search}"


@pytest.mark.slow
def test_the_search_page_runs_its_scripts_in_order():
    """searchtools.js runs in the search page's body and needs doctools.js first: nothing deferred."""
    page = (require_site() / "search.html").read_text(encoding="utf-8")
    deferred = [src for src, attrs in _head_scripts(page) if "defer" in attrs]
    assert not deferred, f"search.html defers {deferred}, which searchtools.js needs at once"


@pytest.mark.slow
def test_the_search_page_still_loads_the_search_index():
    page = (require_site() / "search.html").read_text(encoding="utf-8")
    loaded = {src.split("?")[0].rsplit("/", 1)[-1] for src, _ in _head_scripts(page)}
    loaded |= set(re.findall(r"(searchindex\.js)", page))
    assert {"searchtools.js", "searchindex.js"} <= loaded, loaded
