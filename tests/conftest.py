"""Shared test set-up: a hypothesis profile, and the website fixtures (the built site served on
localhost, headless Chromium).

Hypothesis runs without per-example deadlines: timings are not what these tests check, and a
loaded machine must not turn a correct identity into a flaky failure. The site under test is ``$SITE_DIR`` (default
``_build/html``, what ``make book`` writes); screenshots go to ``$SCREENSHOT_DIR`` (default: a
``screenshots`` folder next to the site, i.e. ``_build/screenshots``). A missing site or browser is
a failure with a message saying how to get it, never a skip.
"""

from __future__ import annotations

import functools
import http.server
import importlib.util
import os
import re
import sys
import threading
import types
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("book", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("fast", parent=settings.get_profile("book"), max_examples=15)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "book"))

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}


def load_module(path: Path) -> types.ModuleType:
    """The module in the file ``path`` (a script of ``tools/`` or ``_ext/``, which are no packages),
    loaded once per path and registered in ``sys.modules`` (dataclasses look their module up there)."""
    path = Path(path).resolve()
    name = "_loaded_" + re.sub(r"\W", "_", path.relative_to(REPO).with_suffix("").as_posix())
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, path)
        if spec is None or spec.loader is None:
            raise ImportError(f"cannot load {path} as a module")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


#: Resolves once every image of the page has loaded, fetching at once the figures that load lazily
#: (as the reader scrolls near them; tests/site/test_lazy_figures.py checks that behaviour): the
#: same script the screenshot tool runs.
EVERY_IMAGE_JS = load_module(REPO / "tools" / "screenshots.py").ALL_IMAGES


def site_dir() -> Path:
    """The built website under test (``$SITE_DIR`` or ``_build/html``)."""
    return Path(os.environ.get("SITE_DIR", REPO / "_build" / "html")).resolve()


def screenshot_dir() -> Path:
    default = site_dir().parent / "screenshots"
    return Path(os.environ.get("SCREENSHOT_DIR", default)).resolve()


def require_site() -> Path:
    """The site folder, or a failure (not a skip) saying how to build it."""
    root = site_dir()
    if not (root / "index.html").is_file():
        pytest.fail(
            f"no built website at {root} (index.html missing): run `make book` first, "
            "or point SITE_DIR at a built _build/html",
            pytrace=False,
        )
    return root


def site_pages() -> list[str]:
    """Every HTML page of the built site, as paths relative to the site root (for parametrize).

    When the site is missing this returns one placeholder, so that the tests that use it fail
    with a clear message instead of being collected as an empty (skipped) parameter set.
    """
    root = site_dir()
    if not (root / "index.html").is_file():
        return ["<no built site>"]
    return sorted(
        p.relative_to(root).as_posix()
        for p in root.rglob("*.html")
        # not _static/, _sources/, _images/, nor hidden folders
        if not p.relative_to(root).parts[0].startswith(("_", "."))
    )


def chapter_pages() -> list[str]:
    pages = site_pages()
    return [p for p in pages if p.startswith("chapters/")] or pages[:1]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site without printing; records ``(path, status)`` of every request it answers."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        log = getattr(self.server, "request_log", None)
        if log is not None:
            log.append((self.path, int(getattr(code, "value", code))))


@pytest.fixture(scope="session")
def site_server() -> Iterator[http.server.ThreadingHTTPServer]:
    """The built site served by a thread on a random localhost port.

    ``server.request_log`` lists ``(path, HTTP status)`` for every request the browser sent, also
    those Playwright reports no event for (Chromium's own favicon request).
    """
    root = require_site()
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    server.request_log = []
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def site_url(site_server) -> str:
    """Base URL (ending in /) of the built site served on localhost."""
    return f"http://127.0.0.1:{site_server.server_address[1]}/"


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright (Playwright's own browser download is not used)."""
    if not CHROMIUM.is_file():
        pytest.fail(
            f"{CHROMIUM} not found: install Debian's chromium (`make browsers`, or "
            "`apt-get install -y chromium`), or set CHROMIUM to its path",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


class PageWatch:
    """What went wrong while a page was open: JS errors, console errors, failed or foreign requests."""

    def __init__(self) -> None:
        self.js_errors: list[str] = []
        self.console_errors: list[str] = []
        self.failed_requests: list[str] = []
        self.foreign_requests: list[str] = []

    def problems(self) -> list[str]:
        return (
            [f"JS error: {e}" for e in self.js_errors]
            + [f"console error: {e}" for e in self.console_errors]
            + [f"failed request: {e}" for e in self.failed_requests]
            + [f"request to another host (blocked): {e}" for e in self.foreign_requests]
        )


def watched_page(browser, width: int = 1280, height: int = 900):
    """A fresh context and page in which every request to a host other than localhost is aborted.

    Returns ``(context, page, watch)``; ``watch`` collects JS errors, console errors, failed
    requests (network failures and HTTP status >= 400) and requests to other hosts.
    """
    context = browser.new_context(viewport={"width": width, "height": height}, service_workers="block")
    watch = PageWatch()

    def route(r):
        host = urlsplit(r.request.url).hostname
        if r.request.url.startswith(("data:", "blob:")) or host in LOCAL_HOSTS:
            r.continue_()
        else:
            watch.foreign_requests.append(r.request.url)
            r.abort("blockedbyclient")

    context.route("**/*", route)
    page = context.new_page()
    page.on("pageerror", lambda exc: watch.js_errors.append(str(exc)))
    page.on(
        "console",
        lambda msg: watch.console_errors.append(f"{msg.text} ({msg.location})") if msg.type == "error" else None,
    )

    def on_failed(request):
        if request.url not in watch.foreign_requests:
            watch.failed_requests.append(f"{request.url}: {request.failure}")

    page.on("requestfailed", on_failed)
    page.on(
        "response",
        lambda resp: watch.failed_requests.append(f"{resp.url}: HTTP {resp.status}") if resp.status >= 400 else None,
    )
    return context, page, watch


@pytest.fixture()
def offline_page(browser, site_url):
    """A fresh 1280 × 900 page from :func:`watched_page`; yields ``(page, watch)``."""
    context, page, watch = watched_page(browser)
    try:
        yield page, watch
    finally:
        context.close()
