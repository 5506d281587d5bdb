"""Shared fixtures: manim configured for tests (no network, quiet, output in tmp), the
markers that split the suite into a fast inner loop and the rest, and ``wait_until``."""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

# --- markers: `./run test -m fast` is the inner loop ---------------------------------------
# A test that renders with manim, drives Chromium or starts a process carries the marker
# saying so (pyproject.toml describes them); every other test, doctests included, is marked
# `fast` here. A fixture that does one of these marks every test using it (directly or
# through another fixture), so a new test inherits the right marker by asking for it.
COSTLY_MARKERS = ("slow", "render", "browser", "subprocess")
FIXTURE_MARKERS = {
    "build_scene": ("render",),  # a scene's construct() through manim, without output
    "hills_low": ("slow",),
    "published_low": ("slow",),
    "whole_post": ("slow", "subprocess"),  # --jobs 2: a pool of worker processes
    "browser": ("browser",),
}


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by marker
def pytest_collection_modifyitems(config, items):
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        for fixture, markers in FIXTURE_MARKERS.items():
            if fixture in fixtures:
                for marker in markers:
                    item.add_marker(marker)
        if not any(item.get_closest_marker(marker) for marker in COSTLY_MARKERS):
            item.add_marker("fast")


def wait_until(condition, timeout: float = 60.0, interval: float = 0.05, message="the condition"):
    """Poll ``condition()`` until it returns something truthy, and return that; fail after
    ``timeout`` seconds (generous: a loaded machine is slow, not wrong), saying ``message``
    (or ``message()``, called then, to show the last state)."""
    deadline = time.monotonic() + timeout
    while not (result := condition()):
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {timeout:g} s for {message() if callable(message) else message}")
        time.sleep(interval)
    return result


@pytest.fixture(autouse=True)
def interrupt_handling_restored():
    """Tests that run the CLI in this process install its SIGINT/SIGTERM handlers and may
    be sent a signal on purpose: give the next test this process's handlers back, and no
    remembered interruption."""
    import signal

    from pipeline import interrupts

    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    yield
    for sig, handler in handlers.items():
        signal.signal(sig, handler)
    interrupts.forget()


@pytest.fixture
def build_config(tmp_path):
    """manim settings that run a scene's construct() without writing any media."""
    return {
        "quality": "low_quality",
        "rest": {
            "media_dir": str(tmp_path / "manim"),
            "format": "none",
            "notify_outdated_version": False,
            "progress_bar": "none",
            "verbosity": "ERROR",
            "disable_caching": True,
        },
    }


@pytest.fixture
def build_scene(build_config):
    """Run ``scene_class`` through manim without output; return the scene object."""
    from manim import tempconfig

    def build(scene_class):
        with tempconfig({"quality": build_config["quality"]}), tempconfig(build_config["rest"]):
            scene = scene_class()
            scene.render()
        return scene

    return build


def read_frames(path, indices=None) -> list[np.ndarray]:
    """Decode a video into RGB arrays (all frames, or those at ``indices``; -1 is the last)."""
    import av

    with av.open(str(path)) as container:
        frames = [frame.to_ndarray(format="rgb24") for frame in container.decode(video=0)]
    if indices is None:
        return frames
    return [frames[i] for i in indices]


def mp4_top_level_boxes(path) -> list[str]:
    """The names of the top-level boxes of an MP4 file, in order (e.g. ftyp, moov, mdat)."""
    names = []
    with open(path, "rb") as f:
        while header := f.read(8):
            size = int.from_bytes(header[:4], "big")
            names.append(header[4:8].decode("latin-1"))
            if size == 1:
                size = int.from_bytes(f.read(8), "big") - 8
            elif size == 0:
                break
            f.seek(size - 8, 1)
    return names


LOCK_FILE = ".gdviz.lock"  # the output folder's lock file (kept: flock needs the inode)


def published_names(out) -> list[str]:
    """The names in an output folder, without its lock file."""
    return sorted(p.name for p in Path(out).iterdir() if p.name != LOCK_FILE)


def leftovers(out) -> list[str]:
    """Hidden files in an output folder other than its lock file: temporaries left behind."""
    return [name for name in published_names(out) if name.startswith(".")]


def changed(a: np.ndarray, b: np.ndarray, tolerance: int = 16, block: int = 4) -> float:
    """The fraction of ``block``-pixel squares whose mean colours differ by more than
    ``tolerance`` in some channel (averaging first keeps codec noise out)."""

    def blocks(image):
        h, w = (image.shape[0] // block) * block, (image.shape[1] // block) * block
        return image[:h, :w].astype(float).reshape(h // block, block, w // block, block, 3).mean(axis=(1, 3))

    return float((np.abs(blocks(a) - blocks(b)).max(axis=-1) > tolerance).mean())


@pytest.fixture(scope="session")
def hills_low(tmp_path_factory):
    """One real render of the default figure at -q l, shared by the checks below."""
    out = tmp_path_factory.mktemp("media")
    cache = tmp_path_factory.mktemp("cache")
    import render

    result = CliRunner().invoke(render.main, ["-q", "l", "--out", str(out), "--cache", str(cache)])
    assert result.exit_code == 0, result.output
    return out, cache, result


@pytest.fixture(scope="session")
def published_low(tmp_path_factory):
    """``published_low(name)``: the figure rendered once per test session at -q l and
    published into a session folder; returns ``publish.Published``."""
    from pipeline import publish
    from scenes import REGISTRY

    root = tmp_path_factory.mktemp("published")
    done = {}

    def get(name: str):
        if name not in done:
            figure = REGISTRY[name]
            done[name] = publish.render_figure(
                name, figure.scene, "l", root / "media", root / "cache", still=figure.kind == "still"
            )
        return done[name]

    return get


# --- a browser, as a reader sees the pages -------------------------------------------------
CHROMIUM = os.environ.get("GDVIZ_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@contextlib.contextmanager
def serve(folder):
    """Serve ``folder`` over HTTP on a free port of 127.0.0.1; yields the base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright's Python driver (never
    `playwright install`: it downloads a browser). Missing pieces fail, not skip:
    ./run installs them."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("the Python package 'playwright' is missing: pip install playwright (not 'playwright install')")
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        pytest.fail(f"Chromium is missing at {CHROMIUM}: apt-get install --no-install-recommends chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def wait_for_frames(page, seconds: float, timeout_ms: float = 60_000) -> None:
    """Let ``page`` draw animation frames spanning ``seconds`` of its own clock: the frames
    in which a playing page would have stepped, however few a loaded machine gives it."""
    start = page.evaluate("performance.now()")
    page.wait_for_function("([start, seconds]) => performance.now() - start >= 1000 * seconds",
                           arg=[start, seconds], polling="raf", timeout=timeout_ms)


@pytest.fixture(scope="session")
def whole_post(tmp_path_factory):
    """The whole post rendered once per session at 1080p in both themes (``--all --theme
    both -q h --jobs 2``), as a reader's blog gets it: returns (folder, the dark manifest
    entries by name; ``folder/manifest.json`` has the light ones too)."""
    import json

    import render

    out = tmp_path_factory.mktemp("post")
    cache = tmp_path_factory.mktemp("post-cache")
    result = CliRunner().invoke(render.main, ["--all", "--theme", "both", "-q", "h", "--jobs", "2", "--quiet",
                                              "--out", str(out), "--cache", str(cache)])
    assert result.exit_code == 0, result.output
    figures = json.loads((out / "manifest.json").read_text())["figures"]
    entries = {e["name"]: e for e in figures if e.get("theme", "dark") == "dark"}
    return out, entries


@pytest.fixture
def tiny_registry(monkeypatch):
    """Make the CLI see only the given (tiny test) figures: ``tiny_registry(TINY, STILL)``."""
    import render

    def use(*figures):
        registry = {f.name: f for f in figures}
        monkeypatch.setattr(render, "REGISTRY", registry)
        monkeypatch.setattr(render, "ORDER", list(registry))
        return registry

    return use
