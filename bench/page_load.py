"""How fast the built pages load for a reader on a slow phone.

- ``page_load_slow_s``: ``{page: seconds}`` from navigation start until the page is typeset and
  its scripts' load handlers have run: the end of the load event (``loadEventEnd``; math is
  typeset at build time; for a page that still ran MathJax, also ``MathJax.startup.promise``),
  in headless Chromium under a slow mobile profile: 150 ms round trip, 1.6 Mbit/s down,
  750 kbit/s up, CPU 4× slower (Chrome DevTools Protocol network and CPU emulation). Each page is
  opened in a fresh context with an empty cache, as on a first visit, ``RUNS`` times in turn (every
  page once, then every page again in the reverse order, ...); the figure is the median, and
  ``page_load_slow_runs`` keeps every run (on this 2-core machine one run of a page varies by
  ±0.5 s with the load). The measurement starts once the machine is quiet (1-minute load average
  below ``QUIET_LOAD``, waiting at most ``QUIET_WAIT_S``: the benchmark before it may have left a
  JupyterLab or a kernel shutting down); ``page_load_load_avg_1min`` is the load average then.
  Goal ≤ 3 s for every page; ``slowest_page_load_slow_s`` is the largest median.
- ``page_transfer_kb``: ``{page: KiB}`` of everything the page loaded, as transferred with gzip
  (the local server gzips text responses, like any production web server).

The site under test is ``_build/html`` (run ``make book`` first). Timings vary with the machine's
load; quote medians of several runs.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import os
import re
import statistics
import threading
import time
from pathlib import Path
from typing import ClassVar

REPO = Path(__file__).resolve().parents[1]
SITE = REPO / "_build" / "html"
CHROMIUM = "/usr/bin/chromium"
PROFILE = {"latency": 150, "downloadThroughput": 1.6e6 / 8, "uploadThroughput": 750e3 / 8, "offline": False}
CPU_SLOWDOWN = 4
RUNS = 5
QUIET_LOAD = 1.0
QUIET_WAIT_S = 90
_TEXT = (".html", ".js", ".css", ".svg", ".json", ".txt", ".map")


class _GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site, gzipping text files when the client accepts it (as a web server would)."""

    _cache: ClassVar[dict[str, bytes]] = {}

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if not (path.suffix in _TEXT and path.is_file() and "gzip" in self.headers.get("Accept-Encoding", "")):
            super().do_GET()
            return
        key = str(path)
        body = self._cache.get(key)
        if body is None:
            body = self._cache[key] = gzip.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


_REDIRECT = re.compile(r'<meta\s+http-equiv="Refresh"', re.I)


def pages(site: Path = SITE) -> list[str]:
    """Every HTML page of the site, relative to its root (not the theme's files under _static/).

    A page that only sends the reader on (``index.html``, a ``<meta http-equiv="Refresh">`` to the
    first chapter) is left out: the page it sends to is measured, and the redirect would end the
    visit while it is being timed.
    """
    return sorted(
        p.relative_to(site).as_posix()
        for p in site.rglob("*.html")
        if not p.relative_to(site).parts[0].startswith(("_", "."))
        and not _REDIRECT.search(p.read_text(encoding="utf-8", errors="replace")[:2000])
    )


_DONE = """async () => {
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) { await MathJax.startup.promise; }
  const nav = performance.getEntriesByType("navigation")[0];
  if (!(nav && nav.loadEventEnd > 0)) {
    await new Promise(r => window.addEventListener("load", () => setTimeout(r, 0), {once: true}));
  }
  const end = performance.getEntriesByType("navigation")[0].loadEventEnd;
  return Math.max(end, window.MathJax ? performance.now() : 0);
}"""


def load_one(browser, url: str) -> tuple[float, float]:
    """(seconds until typeset, KiB transferred) for one first visit of ``url`` under the slow profile."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, service_workers="block")
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send("Network.emulateNetworkConditions", PROFILE)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    transferred = [0.0]
    cdp.on("Network.loadingFinished", lambda e: transferred.__setitem__(0, transferred[0] + e["encodedDataLength"]))
    page.goto(url, wait_until="commit", timeout=120_000)
    elapsed_ms = page.evaluate(_DONE)
    page.wait_for_timeout(200)  # let the last loadingFinished events arrive
    context.close()
    return elapsed_ms / 1000.0, transferred[0] / 1024.0


def _wait_until_quiet() -> float:
    """Wait (at most ``QUIET_WAIT_S``) for the 1-minute load average to fall below ``QUIET_LOAD``; return it."""
    deadline = time.monotonic() + QUIET_WAIT_S
    while os.getloadavg()[0] >= QUIET_LOAD and time.monotonic() < deadline:
        time.sleep(2)
    return round(os.getloadavg()[0], 2)


def measure() -> dict:
    from playwright.sync_api import sync_playwright

    if not (SITE / "index.html").is_file():
        raise RuntimeError(f"no built site at {SITE}: run `make book` first")
    handler = functools.partial(_GzipHandler, directory=str(SITE))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    load_avg = _wait_until_quiet()
    runs: dict[str, list[float]] = {}
    sizes: dict[str, float] = {}
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            for run in range(RUNS):
                for rel in pages()[:: 1 if run % 2 == 0 else -1]:
                    seconds, kib = load_one(browser, f"http://127.0.0.1:{server.server_address[1]}/{rel}")
                    runs.setdefault(rel, []).append(round(seconds, 2))
                    sizes[rel] = round(kib, 1)
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    times = {rel: round(statistics.median(r), 2) for rel, r in runs.items()}
    return {
        "page_load_slow_s": times,
        "page_load_slow_runs": runs,
        "page_load_load_avg_1min": load_avg,
        "slowest_page_load_slow_s": max(times.values()),
        "page_transfer_kb": sizes,
    }


if __name__ == "__main__":
    import json

    print(json.dumps(measure(), indent=2))
