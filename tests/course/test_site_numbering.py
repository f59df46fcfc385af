"""The built website numbers and titles every exercise as the sets do ("Exercise 3.1"), and its
coursework index is the generated one. Needs a built site (``make book``); marked slow."""

from __future__ import annotations

import html
import re

import pytest
from conftest import require_site

from gru_course.index import exercises

pytestmark = pytest.mark.slow

BOX = re.compile(
    r'<p class="admonition-title"><span class="caption-number">Exercise ([\d.]+) </span> \((.*?)\)</p>', re.S
)
ROW = re.compile(r'href="(\w+)\.html#(\w+-ex\d+)"><span class="std std-ref">Exercise ([\d.]+)</span>')


def _plain(fragment: str) -> str:
    """Title text of a rendered title: math (as Sphinx writes it, or as tools/prerender_math.mjs typesets it)
    back to $…$, tags dropped, typographic quotes undone."""
    text = re.sub(
        r'<mjx-container[^>]*?data-tex="([^"]*)"[^>]*>.*?</mjx-container>',  # typeset by make book
        lambda m: f"${html.unescape(m.group(1))}$",
        fragment,
        flags=re.S,
    )
    text = re.sub(r'<span class="math notranslate nohighlight">\\\((.*?)\\\)</span>', r"$\1$", text)
    text = html.unescape(re.sub(r"<[^>]+>", "", text))
    return text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')


def test_exercise_boxes_show_the_sets_numbers_and_titles():
    root = require_site()
    for chapter in sorted({ex.chapter for ex in exercises()}):
        page = (root / "chapters" / f"{chapter}.html").read_text(encoding="utf-8")
        shown = [(number, _plain(title)) for number, title in BOX.findall(page)]
        want = [(ex.number, ex.title) for ex in exercises() if ex.chapter == chapter]
        assert shown == want, f"{chapter}: the site shows {shown}, the set says {want}"


def test_coursework_index_on_the_site_lists_every_exercise_in_order():
    page = (require_site() / "chapters" / "coursework.html").read_text(encoding="utf-8")
    index = page[page.index('id="index-of-exercises"') :]
    assert ROW.findall(index) == [(ex.chapter, ex.label, ex.number) for ex in exercises()]
