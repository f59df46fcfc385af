"""A minimal page with the four live retention demos, for the browser tests and the benchmark.

``build(folder)`` writes ``folder/chapters/live_demos.html`` (the four :func:`gru_book.demos.static_html`
snippets in a page about as wide as the book's text column) and copies the module and its
stylesheet to ``folder/_static/``, the layout of the built website, so the snippets' relative URL
``../_static/retention_demos.js`` works unchanged. ``serve(folder)`` serves such a folder on a
random localhost port.

    python tests/site/live_demos_harness.py OUT_DIR   # write the page (e.g. to look at it)
"""

from __future__ import annotations

import functools
import http.server
import shutil
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from gru_book import demos

PAGE = "chapters/live_demos.html"

_TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Live retention demos (test page)</title>
<link rel="icon" href="data:,">
<style>
  body {{ font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0; }}
  main {{ max-width: 760px; margin: 0 auto; padding: 0 16px; }}
</style>
</head>
<body>
<main>
<h1>Live retention demos</h1>
{demos}
</main>
</body>
</html>
"""


def build(folder: Path) -> Path:
    """Write the harness page and the static files into ``folder``; return the page's path."""
    folder = Path(folder)
    (folder / "_static").mkdir(parents=True, exist_ok=True)
    (folder / "chapters").mkdir(parents=True, exist_ok=True)
    for src in (demos.JS, demos.CSS):
        shutil.copyfile(src, folder / "_static" / src.name)
    sections = [f"<h2>{name}</h2>\n{demos.static_html(name)}" for name in demos.NAMES]
    page = folder / PAGE
    page.write_text(_TEMPLATE.format(demos="\n".join(sections)), encoding="utf-8")
    return page


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve ``folder`` on 127.0.0.1 (random port) in a thread; yields the base URL ending in /."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="live-demos-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: python tests/site/live_demos_harness.py OUT_DIR")
    print(build(Path(sys.argv[1])))
