"""Screenshots of built pages as a reader sees them, at 1280×900 and 390×844, and of each figure on them.

    .venv/bin/python tools/screenshots.py [--site _build/html] [--out _build/screenshots] chapters/two_updates ...

Serves the site on a local port, opens each page in headless Chromium (Debian's /usr/bin/chromium,
through Playwright) and writes ``<page>-1280.png`` and ``<page>-390.png`` (full page) into ``--out``.
Sections the site draws only near the screen (``content-visibility: auto`` in book.css) are drawn
before the shot, so a full-page shot shows the whole page.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

SIZES = {"1280": (1280, 900), "390": (390, 844)}
#: Draw every section now, not when it nears the screen (a full-page shot would leave them blank),
#: and with no transition running: a full-page shot resizes the page, and the theme's sidebar would
#: be caught sliding.
DRAW_ALL = (
    "* { content-visibility: visible !important; }\n"
    "*, *::before, *::after { transition: none !important; animation: none !important; }"
)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


#: Load every figure now (they load lazily, as the reader scrolls near them) and wait for them.
ALL_IMAGES = """async () => {
  for (const i of document.images) if (i.loading === 'lazy') i.loading = 'eager';
  await Promise.all([...document.images].map(i => i.complete ? null
    : new Promise(r => { i.addEventListener('load', r); i.addEventListener('error', r); })));
}"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="+", help="pages relative to the site root, without .html")
    parser.add_argument("--site", type=Path, default=Path("_build/html"))
    parser.add_argument("--out", type=Path, default=Path("_build/screenshots"))
    parser.add_argument("--viewport-only", action="store_true", help="only the first screen, not the full page")
    args = parser.parse_args()
    handler = functools.partial(_QuietHandler, directory=str(args.site.resolve()))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    args.out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        for name, (w, h) in SIZES.items():
            page = browser.new_page(viewport={"width": w, "height": h})
            for rel in args.pages:
                page.goto(f"http://127.0.0.1:{server.server_port}/{rel}.html", timeout=120_000)
                page.wait_for_load_state("load", timeout=120_000)
                page.evaluate("async () => { if (window.MathJax?.startup?.promise) await MathJax.startup.promise; }")
                page.evaluate(ALL_IMAGES)
                page.add_style_tag(content=DRAW_ALL)
                page.wait_for_timeout(300)
                target = args.out / f"{rel.replace('/', '_')}-{name}.png"
                page.screenshot(path=str(target), full_page=not args.viewport_only)
                print(target)
                for i, fig in enumerate(page.locator("figure").all()):
                    shot = args.out / f"{rel.replace('/', '_')}-{name}-figure{i + 1}.png"
                    fig.screenshot(path=str(shot))
                    print(shot)
            page.close()
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main()
