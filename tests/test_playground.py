"""The Gradient Playground page: published atomically by the pipeline, self-contained, in the theme's colours,
and, driven in headless Chromium, descending exactly as gdmath does.

The browser tests need Debian's ``chromium`` (/usr/bin/chromium) and the ``playwright``
package (its Python driver only: never ``playwright install``, which downloads a
browser). When either is missing they fail, saying what to install.
"""

from __future__ import annotations

import base64
import io
import re

import numpy as np
import pytest
from conftest import serve
from PIL import Image

import gdmath
from gdmath import SIN_HILLS
from scenes import REGISTRY, theme
from scenes.components import height_rgb
from scenes.playground import (
    PlaygroundParams,
    build_playground,
    page_config,
    pixel_centres,
    render_page,
)

PAGE_NAME = "playground.html"  # what the pipeline publishes for the figure "playground"

PARAMS = PlaygroundParams()
V = PARAMS.view
ALPHA = PARAMS.alpha
AGREE = 1e-9  # the issue: positions after k steps equal gdmath's to 1e-9


# --- the page as a file ------------------------------------------------------------------
@pytest.fixture(scope="module")
def html() -> str:
    return render_page()


def embedded_map(html: str) -> np.ndarray:
    uri = re.search(r'"mapImage":"data:image/png;base64,([A-Za-z0-9+/=]+)"', html).group(1)
    return np.asarray(Image.open(io.BytesIO(base64.b64decode(uri))).convert("RGB"))


def test_registered_as_a_page():
    figure = REGISTRY["playground"]
    assert figure.kind == "page" and figure.scene is None and figure.build is build_playground
    assert figure.description.endswith(".") and len(figure.description) < 120


def publish_playground(out):
    """``render.py --scene playground --out out`` in this process: (exit code, output)."""
    from click.testing import CliRunner

    import render

    result = CliRunner().invoke(render.main, ["--scene", "playground", "--jobs", "1", "--quiet", "--out", str(out),
                                              "--cache", str(out.parent / "cache")])
    return result.exit_code, result.output


def test_the_pipeline_publishes_one_small_page(tmp_path):
    status, output = publish_playground(tmp_path / "media")
    assert status == 0, output
    page = tmp_path / "media" / PAGE_NAME
    assert page.stat().st_size < 300_000
    assert page.read_text(encoding="utf-8") == build_playground()  # the build is reproducible
    assert not [p.name for p in page.parent.iterdir() if p.name.endswith(".tmp")]


def test_a_failed_publish_keeps_the_old_page_and_leaves_no_temp_file(tmp_path, monkeypatch):
    out = tmp_path / "media"
    out.mkdir()
    old = out / PAGE_NAME
    old.write_text("the previous page")

    def fail(*args):
        raise OSError("disk full")

    monkeypatch.setattr("pipeline.files.os.replace", fail)
    status, output = publish_playground(out)
    assert status == 1 and "disk full" in output, output
    assert old.read_text() == "the previous page"
    assert not [p.name for p in out.iterdir() if p.name.endswith(".tmp")]


def test_scenes_never_write_files():
    """The page builder returns HTML; writing (atomically) is the pipeline's job."""
    import pathlib

    import scenes

    for path in pathlib.Path(scenes.__file__).parent.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for call in ("os.replace", "mkstemp", "write_text(", "write_bytes(", "import pipeline", "from pipeline"):
            assert call not in text, f"{path.name} has {call}"


def test_page_is_self_contained(html):
    assert "{{" not in html and "}}" not in html
    assert not re.search(r"https?://", html), "no network address anywhere"
    assert not re.search(r"<(iframe|object|embed|base)\b", html)
    references = re.findall(r"<[^>]*\s(?:src|href)\s*=\s*[\"']([^\"']*)", html)
    assert references == ["data:,"], "only the empty favicon: no external script, style or image"
    assert html.count("<script") == 3 and "<style>" in html  # config, the page, its keyboard use
    assert not re.search(r"\b(fetch|XMLHttpRequest|import\s*\()", html)


def page_config_of(html: str) -> dict:
    """The configuration the page's script reads, parsed back out of the HTML."""
    import json

    return json.loads(re.search(r'<script [^>]*id="playground-config">(.*?)</script>', html, re.S).group(1))


def test_view_and_default_alpha_are_the_hills_figures(html):
    """The page continues where the hills video stops: the registered figure's view and alpha."""
    hills = REGISTRY["hills"].scene.params
    config = page_config_of(html)
    assert (config["view"], config["alpha"]) == (hills.view, hills.alpha)


def test_colours_come_from_the_theme(html):
    theme_hex = {c.to_hex().upper() for c in [theme.BACKGROUND, theme.TEXT, theme.MUTED_TEXT, theme.AXIS, theme.GRID,
                                               theme.GRADIENT_ARROW, *theme.POINT_COLORS, *theme.HEIGHT_SCALE]}
    used = {h.upper() for h in re.findall(r"#[0-9A-Fa-f]{6}\b", html)}
    assert used <= theme_hex, f"colours not in the theme: {used - theme_hex}"
    colors = page_config()["colors"]
    assert colors["background"] == theme.BACKGROUND.to_hex().upper()
    assert colors["points"] == [c.to_hex().upper() for c in theme.POINT_COLORS]
    assert f"--background: {colors['background']};" in html
    for stop in theme.HEIGHT_SCALE:
        assert stop.to_hex().upper() in html  # the colour bar


def test_map_image_is_gdmath_value_grid_on_the_height_scale(html):
    image = embedded_map(html)
    n = PARAMS.map_pixels
    assert image.shape == (n, n, 3)
    # the lowest colour of the scale sits on a minimum of sin x sin y, the highest on a maximum
    for (x, y), stop in (((np.pi / 2, -np.pi / 2), theme.HEIGHT_SCALE[0]), ((np.pi / 2, np.pi / 2), theme.HEIGHT_SCALE[-1])):
        col, row = np.argmin(np.abs(pixel_centres(V, n) - x)), np.argmin(np.abs(pixel_centres(V, n)[::-1] - y))
        np.testing.assert_allclose(image[row, col], np.array(stop.to_rgb()) * 255, atol=2)
    # pixel [row, col] shows the height at (x = centre of col, y = centre of row counted from the top)
    centres = pixel_centres(V, n)
    rows, cols = np.array([0, 17, n - 1]), np.array([5, n // 2, n - 1])
    points = np.stack([centres[cols], centres[::-1][rows]], axis=-1)
    expected = (height_rgb(SIN_HILLS.value(points), -1.0, 1.0) * 255).round()
    np.testing.assert_array_equal(image[rows, cols], expected)
    np.testing.assert_allclose(centres[[0, -1]], [-V + V / n, V - V / n])


# --- the page in a browser -----------------------------------------------------------------
@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The built page served on a free port of 127.0.0.1: its base URL and folder."""
    folder = tmp_path_factory.mktemp("site")
    (folder / PAGE_NAME).write_text(build_playground(), encoding="utf-8")
    with serve(folder) as base:
        yield base, folder


@pytest.fixture
def open_page(browser, site):
    """``open_page(width, height, **context_options)``: the playground, loaded and ready.

    Afterwards checks that the page raised no error, logged none, and asked for
    nothing but itself."""
    base, _ = site
    opened = []

    def open_(width: int = 1280, height: int = 800, url: str | None = None, **options):
        context = browser.new_context(viewport={"width": width, "height": height}, **options)
        page = context.new_page()
        page.problems, page.requests = [], []
        page.on("pageerror", lambda error: page.problems.append(f"error: {error}"))
        page.on("console", lambda msg: page.problems.append(f"console: {msg.text}") if msg.type == "error" else None)
        page.on("request", lambda request: page.requests.append(request.url))
        page.goto(url or f"{base}/{PAGE_NAME}")
        page.wait_for_selector("#playground[data-ready='1']")
        opened.append((context, page, url or f"{base}/{PAGE_NAME}"))
        return page

    yield open_
    for context, page, url in opened:
        context.close()
        assert page.problems == []
        assert all(r == url or r.startswith("data:") for r in page.requests), page.requests


def shown(page) -> dict:
    """What the page exposes about its latest point (data attributes), as numbers."""
    data = page.evaluate("({...document.getElementById('playground').dataset})")
    number = lambda key: float(data[key]) if data[key] else None  # noqa: E731
    return {
        "step": int(data["step"]),
        "grad_mag": float(data["gradMag"]),
        "x": number("x"),
        "y": number("y"),
        "alpha": float(data["alpha"]),
        "points": int(data["points"]),
        "playing": data["playing"] == "true",
        "contours": data["contours"] == "true",
    }


def paths(page) -> list[np.ndarray]:
    """Every point's path as the page holds it: a list of ``(steps + 1, 2)`` arrays."""
    return [np.array(p["path"]) for p in page.evaluate("playground.state()")["points"]]


def client_xy(page, x: float, y: float) -> tuple[float, float]:
    """Where the world point (x, y) is on the page, in CSS pixels."""
    r = page.evaluate("playground.mapRect()")
    return r["left"] + (x + V) / (2 * V) * r["size"], r["top"] + (V - y) / (2 * V) * r["size"]


def pixel_in_world(page) -> float:
    return 2 * V / page.evaluate("playground.mapRect()")["size"]


def click_at(page, x: float, y: float) -> np.ndarray:
    """Click the map at world (x, y); return the start the page took (within a pixel of it)."""
    before = len(paths(page))
    page.mouse.click(*client_xy(page, x, y))
    start = paths(page)[-1][0]
    assert len(paths(page)) == before + 1
    np.testing.assert_allclose(start, [x, y], atol=1.5 * pixel_in_world(page))
    return start


def gdmath_path(start, alpha: float, steps: int) -> np.ndarray:
    return gdmath.gradient_descent(SIN_HILLS, np.asarray(start)[None, :], alpha=alpha, steps=steps).points[:, 0]


def test_starts_as_in_the_post(open_page):
    page = open_page()
    assert page.inner_text(".readout dt:nth-of-type(1)") == "Step:"
    assert page.inner_text("#step") == "0"
    assert page.inner_text(".readout dt:nth-of-type(2)") == "Gradient Mag:"
    assert page.inner_text("#grad-mag") == "0.000"
    assert shown(page)["alpha"] == ALPHA and page.input_value("#alpha") == "0.1"
    assert page.title() == "Gradient Playground"


def test_the_page_objective_is_gdmath_sin_hills(open_page):
    page = open_page()
    points = np.random.default_rng(7).uniform(-3 * V, 3 * V, size=(300, 2))
    got = np.array(page.evaluate(
        "ps => ps.map(([x, y]) => { const r = playground.valueAndGrad(x, y); return [r.value, r.gx, r.gy]; })",
        points.tolist(),
    ))
    value, grad = SIN_HILLS.value_and_grad(points)
    np.testing.assert_allclose(got[:, 0], value, rtol=0, atol=1e-15)
    np.testing.assert_allclose(got[:, 1:], grad, rtol=0, atol=1e-15)


def test_click_and_step_agree_with_gdmath(open_page, tmp_path):
    page = open_page()
    start = click_at(page, 0.6, 0.4)
    assert shown(page)["step"] == 0
    for _ in range(5):
        page.click("#step-once")
    for _ in range(20):
        page.keyboard.press("s")
    now = shown(page)
    assert now["step"] == 25 and now["points"] == 1
    expected = gdmath_path(start, ALPHA, 25)
    np.testing.assert_allclose(paths(page)[0], expected, rtol=0, atol=AGREE)
    np.testing.assert_allclose([now["x"], now["y"]], expected[-1], rtol=0, atol=AGREE)
    grad_mag = float(np.hypot(*SIN_HILLS.grad(expected[-1])))
    assert now["grad_mag"] == pytest.approx(grad_mag, abs=AGREE)
    assert page.inner_text("#step") == "25"
    assert page.inner_text("#grad-mag") == f"{grad_mag:.3f}"
    page.screenshot(path=tmp_path / "desktop.png")


def test_alpha_slider_takes_effect_on_the_next_step(open_page):
    page = open_page()
    start = click_at(page, -2.2, 1.3)
    for _ in range(3):
        page.keyboard.press("s")
    page.focus("#alpha")
    for _ in range(5):
        page.keyboard.press("ArrowRight")  # 0.10 -> 0.15 in steps of 0.01
    assert shown(page)["alpha"] == 0.15 and page.inner_text("#alpha-value") == "0.15"
    for _ in range(4):
        page.keyboard.press("s")
    page.eval_on_selector("#alpha", "s => { s.value = '0.5'; s.dispatchEvent(new Event('input')); }")
    page.keyboard.press("s")
    first = gdmath_path(start, 0.1, 3)
    second = gdmath_path(first[-1], 0.15, 4)
    third = gdmath_path(second[-1], 0.5, 1)
    expected = np.vstack([first, second[1:], third[1:]])
    np.testing.assert_allclose(paths(page)[0], expected, rtol=0, atol=AGREE)
    assert shown(page)["step"] == 8


def test_several_points_each_descend_from_their_start(open_page):
    page = open_page()
    starts = [click_at(page, x, y) for x, y in [(0.5, 0.3), (-3.9, 4.2), (2.8, -1.1)]]
    for _ in range(10):
        page.keyboard.press("s")
    starts.append(click_at(page, -1.0, -4.5))
    assert shown(page)["step"] == 0  # the readout follows the latest point
    for _ in range(6):
        page.click("#step-once")
    got = paths(page)
    assert [len(p) for p in got] == [17, 17, 17, 7]
    together = gdmath.gradient_descent(SIN_HILLS, np.array(starts[:3]), alpha=ALPHA, steps=16).points
    for i in range(3):
        np.testing.assert_allclose(got[i], together[:, i], rtol=0, atol=AGREE)
    np.testing.assert_allclose(got[3], gdmath_path(starts[3], ALPHA, 6), rtol=0, atol=AGREE)
    now = shown(page)
    assert (now["step"], now["points"]) == (6, 4)
    np.testing.assert_allclose([now["x"], now["y"]], got[3][-1], rtol=0, atol=0)


def test_keyboard_play_pause_reset_clear(open_page):
    page = open_page()
    start = click_at(page, 1.0, 2.5)
    page.keyboard.press(" ")
    page.wait_for_function("Number(document.getElementById('playground').dataset.step) >= 6")
    assert shown(page)["playing"] and page.inner_text("#play").startswith("Pause")
    page.keyboard.press(" ")
    paused = shown(page)
    assert not paused["playing"]
    page.wait_for_timeout(300)
    assert shown(page)["step"] == paused["step"]  # paused means paused
    expected = gdmath_path(start, ALPHA, paused["step"])
    np.testing.assert_allclose(paths(page)[0], expected, rtol=0, atol=AGREE)

    page.keyboard.press("r")
    now = shown(page)
    assert (now["step"], now["points"]) == (0, 1) and [now["x"], now["y"]] == list(start)
    assert page.inner_text("#step") == "0"
    page.keyboard.press("x")
    now = shown(page)
    assert (now["points"], now["step"], now["x"]) == (0, 0, None)
    assert page.inner_text("#grad-mag") == "0.000"


def test_play_pauses_by_itself_in_a_minimum(open_page):
    page = open_page()
    page.eval_on_selector("#alpha", "s => { s.value = '0.8'; s.dispatchEvent(new Event('input')); }")
    start = click_at(page, 0.9, 0.7)
    page.click("#play")
    page.wait_for_function("document.getElementById('playground').dataset.playing === 'false'", timeout=20_000)
    now = shown(page)
    expected = gdmath_path(start, 0.8, now["step"])
    np.testing.assert_allclose(paths(page)[0], expected, rtol=0, atol=AGREE)
    assert SIN_HILLS.value(expected[-1]) == pytest.approx(-1.0, abs=1e-6)
    assert 0.8 * now["grad_mag"] < PARAMS.settled_step
    assert "settled" in page.inner_text("#status")


def screenshot_rgb(page, tmp_path, name: str) -> tuple[np.ndarray, float]:
    path = tmp_path / f"{name}.png"
    page.screenshot(path=path)
    image = np.asarray(Image.open(path).convert("RGB")).astype(int)
    return image, image.shape[1] / page.viewport_size["width"]


def colour_at(page, image, scale, x, y) -> np.ndarray:
    cx, cy = client_xy(page, x, y)
    return image[int(cy * scale), int(cx * scale)]


def rgb255(color) -> np.ndarray:
    return np.array(color.to_rgb()) * 255


def test_map_and_points_are_drawn_in_the_theme_colours(open_page, tmp_path):
    page = open_page()
    page.keyboard.press("c")
    assert not shown(page)["contours"]
    image, scale = screenshot_rgb(page, tmp_path, "no_contours")
    half_pi = np.pi / 2
    # the height scale's ends at a minimum and a maximum of sin x sin y
    np.testing.assert_allclose(colour_at(page, image, scale, half_pi, -half_pi), rgb255(theme.HEIGHT_SCALE[0]), atol=6)
    np.testing.assert_allclose(colour_at(page, image, scale, half_pi, half_pi), rgb255(theme.HEIGHT_SCALE[-1]), atol=6)
    np.testing.assert_allclose(image[2, 2], rgb255(theme.BACKGROUND), atol=2)
    click_at(page, -2.0, 3.0)
    image, scale = screenshot_rgb(page, tmp_path, "one_point")
    np.testing.assert_allclose(colour_at(page, image, scale, -2.0, 3.0), rgb255(theme.POINT_COLORS[0]), atol=6)

    page.keyboard.press("c")
    with_contours, _ = screenshot_rgb(page, tmp_path, "contours")
    assert shown(page)["contours"] and np.abs(with_contours - image).max(axis=-1).astype(bool).mean() > 0.01


def test_phone_viewport(open_page, tmp_path):
    page = open_page(390, 844, device_scale_factor=3, is_mobile=True, has_touch=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "no sideways scrolling on a phone"
    rect = page.evaluate("playground.mapRect()")
    assert rect["left"] >= 0 and rect["left"] + rect["size"] <= 390 and rect["size"] > 300
    for selector in ["#map", ".readout", "#play", "#step-once", "#reset", "#alpha"]:
        box = page.locator(selector).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390 and box["y"] + box["height"] <= 844, selector
    for selector in ["#play", "#step-once", "#reset", "#clear"]:
        assert page.locator(selector).bounding_box()["height"] >= 40, f"{selector} is too small to tap"
    cx, cy = client_xy(page, -2.5, -1.0)
    page.touchscreen.tap(cx, cy)
    start = paths(page)[0][0]
    np.testing.assert_allclose(start, [-2.5, -1.0], atol=1.5 * pixel_in_world(page))
    for _ in range(3):
        page.tap("#step-once")
    np.testing.assert_allclose(paths(page)[0], gdmath_path(start, ALPHA, 3), rtol=0, atol=AGREE)
    canvas = page.evaluate("(() => { const c = document.getElementById('map'); return [c.width, c.clientWidth]; })()")
    assert canvas[0] == round(canvas[1] * 3), "the canvas draws at the phone's pixel density"
    page.screenshot(path=tmp_path / "phone.png", full_page=True)


def test_resizes_with_the_page(open_page, tmp_path):
    page = open_page(1280, 800)
    big = page.evaluate("playground.mapRect()")["size"]
    page.set_viewport_size({"width": 900, "height": 560})
    page.wait_for_function(f"playground.mapRect().size < {big} - 50")
    small = page.evaluate("playground.mapRect()")["size"]
    canvas = page.evaluate("(() => { const c = document.getElementById('map'); return [c.width, c.clientWidth]; })()")
    assert canvas[0] == canvas[1], "the drawing buffer follows the new size"
    assert page.evaluate("document.documentElement.scrollWidth") <= 900
    click_at(page, 3.3, -0.7)  # clicks still land where they should
    assert small > 300
    page.screenshot(path=tmp_path / "resized.png")


def test_opens_from_disk(open_page, site):
    _, folder = site
    page = open_page(url=(folder / PAGE_NAME).as_uri())
    start = click_at(page, -0.3, 0.2)
    page.keyboard.press("s")
    np.testing.assert_allclose(paths(page)[0], gdmath_path(start, ALPHA, 1), rtol=0, atol=AGREE)


def test_keyboard_alone_drops_a_point_and_steps_like_gdmath(open_page):
    """No mouse: Tab to the map, arrow keys move the crosshair (Shift: ten times further),
    Enter drops a point under it, s steps; the path is gdmath's to 1e-9."""
    page = open_page()
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "map":
            break
    assert page.evaluate("document.activeElement.id") == "map", "Tab never reaches the map"
    assert page.evaluate("playground.crosshair().shown")
    page.keyboard.press("Shift+ArrowRight")  # 10 x view/40
    for _ in range(2):
        page.keyboard.press("ArrowLeft")
    for _ in range(4):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    start = np.array([8 * V / 40, -4 * V / 40])
    assert paths(page)[0][0].tolist() == pytest.approx(start.tolist(), abs=1e-12)
    assert "point dropped" in page.inner_text("#status")
    for _ in range(12):
        page.keyboard.press("s")
    np.testing.assert_allclose(paths(page)[0], gdmath_path(start, ALPHA, 12), rtol=0, atol=AGREE)
    assert shown(page)["step"] == 12
