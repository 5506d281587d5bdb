"""Page weight: the bytes a reader downloads when opening a published gallery. A script, not a test.

    .venv/bin/python bench/page_weight.py media/            # the gallery in media/
    .venv/bin/python bench/page_weight.py before/ after/    # several, side by side

Serves each folder on 127.0.0.1, opens ``index.html`` in headless Debian Chromium
(Playwright's driver, no downloaded browser) and sums the bytes transferred (headers
and bodies, as Chromium's network layer counts them) of every request until the load
event and network idle, twice: as the page opens (1280x720 window), and after
scrolling through the whole page (so every lazy image has loaded too). No video
plays: the gallery never autoplays. ``tests/test_page_weight.py`` asserts the goal
(at most 1 MB) with :func:`measure`.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

#: the goal of issue 13: opening the whole post's gallery costs at most this many bytes
GOAL_BYTES = 1_000_000


@dataclass
class Weight:
    """Bytes transferred per URL (last path part), on open and after scrolling through."""

    on_open: dict[str, int] = field(default_factory=dict)
    scrolled: dict[str, int] = field(default_factory=dict)

    @property
    def open_total(self) -> int:
        return sum(self.on_open.values())

    @property
    def scrolled_total(self) -> int:
        return sum(self.scrolled.values())


class _Meter:
    """Sums Chromium's encoded (on-the-wire) bytes per request over the DevTools protocol,
    finished or cancelled (a cancelled video range request still cost its bytes)."""

    def __init__(self, page) -> None:
        self.urls: dict[str, str] = {}
        self.received: dict[str, int] = {}
        self.finished: dict[str, int] = {}
        session = page.context.new_cdp_session(page)
        session.on("Network.requestWillBeSent", lambda e: self.urls.__setitem__(e["requestId"], e["request"]["url"]))
        session.on("Network.dataReceived", self._data)
        session.on("Network.loadingFinished", lambda e: self.finished.__setitem__(e["requestId"], int(e["encodedDataLength"])))
        session.send("Network.enable")
        session.send("Network.setCacheDisabled", {"cacheDisabled": True})

    def _data(self, event) -> None:
        rid = event["requestId"]
        self.received[rid] = self.received.get(rid, 0) + int(event.get("encodedDataLength", 0))

    def by_url(self) -> dict[str, int]:
        sizes: dict[str, int] = {}
        for rid, url in self.urls.items():
            name = url.rsplit("/", 1)[-1] or url
            sizes[name] = sizes.get(name, 0) + max(self.finished.get(rid, 0), self.received.get(rid, 0))
        return sizes


def measure(browser, url: str, reduced_motion: str = "no-preference", color_scheme: str = "dark") -> Weight:
    """Open ``url`` in a fresh context of ``browser`` (Playwright); return what it downloaded."""
    context = browser.new_context(viewport={"width": 1280, "height": 720}, reduced_motion=reduced_motion,
                                  color_scheme=color_scheme)
    try:
        page = context.new_page()
        meter = _Meter(page)
        page.goto(url, wait_until="load")
        page.wait_for_load_state("networkidle")
        weight = Weight(on_open=meter.by_url())
        height = page.evaluate("document.body.scrollHeight")
        for y in range(0, height + 720, 600):
            page.evaluate(f"window.scrollTo(0, {y})")
            page.wait_for_timeout(50)
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(500)
        weight.scrolled = meter.by_url()
        playing = page.evaluate("[...document.querySelectorAll('video')].filter(v => !v.paused).length")
        if playing:
            raise AssertionError(f"{playing} video(s) play on their own: the page weight is not 'before any video plays'")
        return weight
    finally:
        context.close()


def main(folders: list[str]) -> None:
    from conftest import CHROMIUM, CHROMIUM_ARGS, serve
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for folder in folders:
            with serve(folder) as base:
                weight = measure(browser, f"{base}/index.html")
            print(f"{folder}: on open {weight.open_total / 1e6:.3f} MB in {len(weight.on_open)} files; "
                  f"scrolled through {weight.scrolled_total / 1e6:.3f} MB in {len(weight.scrolled)} files "
                  f"(goal <= {GOAL_BYTES / 1e6:g} MB)")
            for name, size in sorted(weight.scrolled.items(), key=lambda item: -item[1])[:8]:
                print(f"    {name:<24} {size / 1e3:8.1f} kB")
        browser.close()


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
