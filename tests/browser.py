"""A real headless browser for the page tests (and scripts/page_screenshots.py): Debian's Chromium driven by
Playwright, never a browser Playwright downloads (``playwright install`` cannot reach its host here)."""

from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from pathlib import Path

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def find_chromium() -> str | None:
    """$WIKIKG_CHROMIUM, else the first Chromium on PATH or in /usr/bin."""
    explicit = os.environ.get("WIKIKG_CHROMIUM")
    if explicit:
        return explicit if Path(explicit).exists() else None
    for name in CANDIDATES:
        found = shutil.which(name) or (f"/usr/bin/{name}" if Path(f"/usr/bin/{name}").exists() else None)
        if found:
            return found
    return None


def why_no_browser() -> str | None:
    """None when a browser can be driven, else the reason (for a skip) and how to get one."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -e '.[test]')"
    if find_chromium() is None:
        return ("no Chromium found (scripts/bootstrap.sh installs Debian's: apt-get install chromium; "
                "or set WIKIKG_CHROMIUM to a Chromium executable)")
    return None


@contextmanager
def chromium():
    """A launched headless Chromium (playwright Browser)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


class PageWatch:
    """A page opened from a file with every console error, page error and request off the machine recorded
    (and the request refused: the page must need none)."""

    def __init__(self, browser, path: Path, width: int = 1400, height: int = 900) -> None:
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page = browser.new_page(viewport={"width": width, "height": height})
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.route("**/*", self._route)
        self.page.goto(Path(path).resolve().as_uri())
        self.page.wait_for_function("window.wikikg && window.wikikg.ready", timeout=30_000)

    def _route(self, route) -> None:
        url = route.request.url
        if url.startswith(("file:", "data:", "blob:", "about:")):
            route.continue_()
        else:
            self.requests.append(url)
            route.abort()

    def shown(self) -> int:
        """How many items the page says it shows (its status line's data-shown)."""
        return int(self.page.get_attribute("#status", "data-shown"))

    def close(self) -> None:
        self.page.close()
