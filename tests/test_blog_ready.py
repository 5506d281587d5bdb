"""The published post as a blog reader gets it, in headless Chromium: page weight, no
autoplay for a reader who prefers reduced motion, and axe-core's accessibility checks.

axe-core comes from the npm registry, pinned, installed by ``./run test``'s set-up into
``.cache/node`` (git-ignored); it is injected into the pages, never shipped with them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import serve

from bench.page_weight import GOAL_BYTES, SCROLLED_BOUND_BYTES, measure

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / ".cache" / "node" / "node_modules" / "axe-core" / "axe.min.js"
SCHEMES = ("dark", "light")


@pytest.fixture(scope="module")
def post_url(whole_post):
    out, _ = whole_post
    with serve(out) as base:
        yield base


# --- page weight ------------------------------------------------------------------------------
@pytest.mark.slow
@pytest.mark.parametrize("scheme", SCHEMES)
def test_opening_the_whole_post_gallery_downloads_at_most_1_mb(browser, whole_post, scheme):
    """The gallery of every figure at 1080p in both themes, opened by a reader whose scheme
    is dark or light: every request until load and network idle sums to <= 1 MB (the
    goal); scrolled to the end (lazy images and the playground's frame included) it stays
    under a looser bound; the posters it loads are that theme's WebPs and none of the
    other theme's, and no video byte is fetched before a play."""
    out, manifest = whole_post
    weight = measure(browser, out, color_scheme=scheme)
    print(f"page weight ({scheme}): on open {weight.open_total} B, scrolled through {weight.scrolled_total} B")
    assert weight.open_total <= GOAL_BYTES, sorted(weight.on_open.items(), key=lambda i: -i[1])[:5]
    assert weight.scrolled_total <= SCROLLED_BOUND_BYTES, sorted(weight.scrolled.items(), key=lambda i: -i[1])[:5]
    loaded = set(weight.scrolled)
    videos = [name for name, entry in manifest.items() if entry["kind"] == "video"]
    light = [f"{name}-light.webp" for name in videos]
    dark = [f"{name}.webp" for name in videos]
    assert set(light if scheme == "light" else dark) <= loaded
    assert not set(dark if scheme == "light" else light) & loaded
    assert not any(name.endswith((".png", ".mp4", ".webm")) for name in loaded), sorted(loaded)


# --- reduced motion -------------------------------------------------------------------------
@pytest.mark.slow
@pytest.mark.parametrize("motion", ["reduce", "no-preference"])
def test_nothing_plays_on_its_own(browser, post_url, motion):
    """Neither the gallery's videos nor the playground start moving by themselves, and a
    reader who prefers reduced motion (emulated; the page sees it) is no exception."""
    context = browser.new_context(reduced_motion=motion)
    try:
        page = context.new_page()
        page.goto(f"{post_url}/index.html", wait_until="load")
        page.wait_for_load_state("networkidle")  # whatever starts on its own has fetched what it plays
        assert page.evaluate("matchMedia('(prefers-reduced-motion: reduce)').matches") == (motion == "reduce")
        videos = page.evaluate("[...document.querySelectorAll('video')].map(v => ({paused: v.paused, "
                               "time: v.currentTime, autoplay: v.autoplay, preload: v.preload}))")
        assert videos and all(v["paused"] and v["time"] == 0 and not v["autoplay"] for v in videos), videos
        assert {v["preload"] for v in videos} == {"none"}
        page.goto(f"{post_url}/playground.html")
        page.wait_for_selector("#playground[data-ready='1']")
        assert page.evaluate("playground.state().playing") is False
    finally:
        context.close()


# --- axe-core ---------------------------------------------------------------------------------
def axe_violations(page) -> list[dict]:
    """axe-core's serious and critical violations on the open page (WCAG 2.x A and AA and best practices)."""
    if not AXE.is_file():
        pytest.fail(f"axe-core is missing at {AXE}: ./run setup test installs it (npm, pinned)")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.slow
@pytest.mark.parametrize("scheme", SCHEMES)
def test_the_gallery_passes_axe_core(browser, post_url, scheme):
    context = browser.new_context(color_scheme=scheme)
    try:
        page = context.new_page()
        page.goto(f"{post_url}/index.html", wait_until="load")
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")  # check inside too
        assert axe_violations(page) == []
    finally:
        context.close()


@pytest.fixture(scope="module")
def playground_url(tmp_path_factory):
    from scenes.playground import build_playground

    PAGE_NAME = "playground.html"  # what the pipeline publishes for the figure "playground"

    out = tmp_path_factory.mktemp("playground")
    (out / PAGE_NAME).write_text(build_playground(), encoding="utf-8")
    with serve(out) as base:
        yield f"{base}/{PAGE_NAME}"


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("toggled", [False, True], ids=["as-the-reader-prefers", "toggled"])
def test_the_playground_passes_axe_core(browser, playground_url, scheme, toggled):
    """In the reader's scheme, and with the theme toggle switched to the other theme."""
    context = browser.new_context(color_scheme=scheme)
    try:
        page = context.new_page()
        page.goto(playground_url)
        page.wait_for_selector("#playground[data-ready='1']")
        if toggled:
            page.click("#theme")
            assert page.evaluate("playground.theme()") != scheme
        assert axe_violations(page) == []
    finally:
        context.close()


def test_axe_core_finds_what_it_should(browser):
    """The check can fail: a page with an unlabelled image and a button without a name."""
    page = browser.new_page()
    try:
        page.set_content('<html lang="en"><body><img src="data:,"><button></button></body></html>')
        assert {v["id"] for v in axe_violations(page)} >= {"image-alt", "button-name"}
    finally:
        page.close()
