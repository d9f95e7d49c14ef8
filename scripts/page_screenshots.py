"""Refresh the README's pictures of the seed: docs/seed-network.png (the PNG of `wikikg analyze --out`),
docs/seed-network-page.png and docs/seed-timeline-page.png (the two HTML pages in headless Chromium, as
tests/test_pages_browser.py opens them) and docs/seed-timeline.png (the PNG of `wikikg timeline`).

Usage: .venv/bin/python scripts/page_screenshots.py   (needs playwright, Debian's chromium and a CJK font)
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph import network  # noqa: E402
from graph.cli.analyze import page_parts  # noqa: E402
from graph.network.timeline import read_timeline  # noqa: E402
from graph.network.timeline_page import draw_timeline_html  # noqa: E402
from graph.network.timeline_picture import draw_timeline_png  # noqa: E402
from tests.browser import PageWatch, chromium, why_no_browser  # noqa: E402

SEED = ROOT / "seeds" / "zh_first_nagorno_karabakh_war.wiki"
DOCS = ROOT / "docs"


def main() -> int:
    reason = why_no_browser()
    if reason:
        print(f"page_screenshots: {reason}", file=sys.stderr)
        return 1
    store = network.build_graph([str(SEED)])
    G = network.to_networkx(store, lang="zh-Hans")
    timeline = read_timeline(store, "zh-Hans", G)
    network.draw_png(G, DOCS / "seed-network.png")
    draw_timeline_png(timeline, DOCS / "seed-timeline.png")
    with tempfile.TemporaryDirectory() as tmp, chromium() as browser:
        page = page_parts(network, store, G, set(network.DEFAULT_LAYERS), "zh-Hans")  # as `analyze --html`
        net = network.draw_html(page["graph"], Path(tmp) / "network.html", sources=page["sources"],
                                switched_off=page["switched_off"])
        watch = PageWatch(browser, net, width=1400, height=860)
        # Russia, the broker between the sides: a panel worth showing
        russia = list(page["graph"]).index("https://w3id.org/wikikg/resource/zh/俄罗斯")
        watch.page.evaluate("id => window.wikikg.showPanel(id)", russia)
        watch.page.wait_for_timeout(300)
        watch.page.evaluate("window.wikikg.network.fit({animation: false})")
        watch.page.screenshot(path=str(DOCS / "seed-network-page.png"))
        page = draw_timeline_html(timeline, Path(tmp) / "timeline.html")
        watch = PageWatch(browser, page, width=1400, height=860)
        watch.page.locator(".vis-item.vis-range.p-month").nth(8).hover()
        watch.page.locator(".vis-tooltip").wait_for(state="visible")
        watch.page.screenshot(path=str(DOCS / "seed-timeline-page.png"))
        if watch.errors:
            print(f"page_screenshots: console errors: {watch.errors}", file=sys.stderr)
            return 1
    print("page_screenshots: wrote " + ", ".join(p.name for p in sorted(DOCS.glob("seed-*.png"))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
