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
from conftest import serve, wait_for_frames
from PIL import Image

import gdmath
from gdmath import SIN_HILLS
from scenes import REGISTRY, theme
from scenes.components import height_rgb
from scenes.playground import (
    THEME_STORAGE_KEY,
    PlaygroundParams,
    build_playground,
    page_config,
    render_page,
)

PAGE_NAME = "playground.html"  # what the pipeline publishes for the figure "playground"
PLAYGROUND_THEME_KEY = THEME_STORAGE_KEY

PARAMS = PlaygroundParams()
V = PARAMS.view
ALPHA = PARAMS.alpha
AGREE = 1e-9  # the issue: positions after k steps equal gdmath's to 1e-9


# --- the page as a file ------------------------------------------------------------------
@pytest.fixture(scope="module")
def html() -> str:
    return render_page()


def embedded_map(html: str, theme_name: str) -> np.ndarray:
    """The map image the page carries for theme ``theme_name``."""
    uri = page_config_of(html)["mapImages"][theme_name]
    payload = re.fullmatch(r"data:image/png;base64,([A-Za-z0-9+/=]+)", uri).group(1)
    return np.asarray(Image.open(io.BytesIO(base64.b64decode(payload))).convert("RGB"))


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
    assert not re.search(r"\{\{[A-Z_]+\}\}", html), "every template token is filled"
    assert not re.search(r"https?://", html), "no network address anywhere"
    assert not re.search(r"<(iframe|object|embed|base)\b", html)
    references = re.findall(r"<[^>]*\s(?:src|href)\s*=\s*[\"']([^\"']*)", html)
    assert references == ["data:,"], "only the empty favicon: no external script, style or image"
    # the remembered theme (before the first paint), config, the page, its keyboard use
    assert html.count("<script") == 4 and "<style>" in html
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


PAGE_THEME_COLOURS = [theme.BACKGROUND, theme.TEXT, theme.MUTED_TEXT, theme.AXIS, theme.GRID, theme.GRADIENT_ARROW, theme.LR_OFF_MAP,
                      *theme.POINT_COLORS, *theme.HEIGHT_SCALE]


def hex_in(color, theme_name: str) -> str:
    return theme.in_theme(color, theme_name).to_hex().upper()


def test_colours_come_from_the_theme(html):
    theme_hex = {hex_in(c, name) for c in PAGE_THEME_COLOURS for name in theme.THEMES}
    used = {h.upper() for h in re.findall(r"#[0-9A-Fa-f]{6}\b", html)}
    assert used <= theme_hex, f"colours not in the theme: {used - theme_hex}"
    for name in theme.THEMES:
        colors = page_config()["colors"][name]
        assert colors["background"] == hex_in(theme.BACKGROUND, name)
        assert colors["text"] == hex_in(theme.TEXT, name)
        assert colors["points"] == [hex_in(c, name) for c in theme.POINT_COLORS]
        assert colors["heightScale"] == [hex_in(c, name) for c in theme.HEIGHT_SCALE]
    assert page_config_of(html)["colors"] == page_config()["colors"]


def css_block(html: str, selector: str) -> str:
    """The declarations of the first CSS rule for ``selector`` (``:root`` inside a media query
    is found by giving the query)."""
    return re.search(re.escape(selector) + r"\s*\{([^{}]*)\}", html).group(1)


@pytest.mark.parametrize("theme_name", theme.THEMES)
def test_the_stylesheet_carries_every_palette(html, theme_name):
    """The default theme on :root, the other behind its prefers-color-scheme query (no script
    needed), and each under :root[data-theme=...] for the toggle; the colour bar in each."""
    rules = [css_block(html, f':root[data-theme="{theme_name}"]')]
    if theme_name == theme.THEMES[0]:
        rules.append(css_block(html, ":root"))
    else:
        rules.append(css_block(html, f"@media (prefers-color-scheme: {theme_name}) {{\n  :root"))
    for rule in rules:
        assert f"--background: {hex_in(theme.BACKGROUND, theme_name)};" in rule
        assert f"--text: {hex_in(theme.TEXT, theme_name)};" in rule
        assert f"--muted: {hex_in(theme.MUTED_TEXT, theme_name)};" in rule
        assert f"color-scheme: {theme_name};" in rule
        bar = re.search(r"--height-scale: linear-gradient\(([^;]*)\);", rule).group(1)
        assert re.findall(r"#[0-9A-F]{6}", bar) == [hex_in(c, theme_name) for c in theme.HEIGHT_SCALE]


@pytest.mark.parametrize("theme_name", theme.THEMES)
def test_map_image_is_gdmath_value_grid_on_the_height_scale(html, theme_name):
    image = embedded_map(html, theme_name)
    n = PARAMS.map_pixels
    assert image.shape == (n, n, 3)
    # the lowest colour of the scale sits on a minimum of sin x sin y, the highest on a maximum
    scale = [theme.in_theme(c, theme_name) for c in theme.HEIGHT_SCALE]
    for (x, y), stop in (((np.pi / 2, -np.pi / 2), scale[0]), ((np.pi / 2, np.pi / 2), scale[-1])):
        col, row = np.argmin(np.abs(gdmath.cell_centres(-V, V, n) - x)), np.argmin(np.abs(gdmath.cell_centres(-V, V, n)[::-1] - y))
        np.testing.assert_allclose(image[row, col], np.array(stop.to_rgb()) * 255, atol=2)
    # pixel [row, col] shows the height at (x = centre of col, y = centre of row counted from the top)
    centres = gdmath.cell_centres(-V, V, n)
    rows, cols = np.array([0, 17, n - 1]), np.array([5, n // 2, n - 1])
    points = np.stack([centres[cols], centres[::-1][rows]], axis=-1)
    expected = (height_rgb(SIN_HILLS.value(points), -1.0, 1.0, theme_name) * 255).round()
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
    wait_for_frames(page, 3 / PARAMS.steps_per_second)  # the frames three steps of play take
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


def rgb255_in(color, theme_name: str) -> np.ndarray:
    return rgb255(theme.in_theme(color, theme_name))


def other_theme(name: str) -> str:
    return next(t for t in theme.THEMES if t != name)


HALF_PI = np.pi / 2
MARK = (-2.0, 3.0)  # where the colour tests drop their point


def assert_drawn_in(page, tmp_path, theme_name: str, shot: str) -> np.ndarray:
    """The page's background (its chrome, by CSS, and the canvas around the map), the map's
    height scale at a minimum and a maximum, and the first point are theme ``theme_name``'s
    colours (in a screenshot: what the reader sees). Returns the screenshot."""
    assert page.evaluate("playground.theme()") == theme_name
    assert page.get_attribute("#playground", "data-theme") == theme_name
    image, scale = screenshot_rgb(page, tmp_path, shot)
    background = rgb255_in(theme.BACKGROUND, theme_name)
    np.testing.assert_allclose(image[2, 2], background, atol=2)  # the page
    map_rect = page.evaluate("playground.mapRect()")
    np.testing.assert_allclose(image[int((map_rect["top"] - 3) * scale), int((map_rect["left"] + 40) * scale)],
                               background, atol=2)  # the canvas, just above the map
    lowest, highest = theme.HEIGHT_SCALE[0], theme.HEIGHT_SCALE[-1]
    np.testing.assert_allclose(colour_at(page, image, scale, HALF_PI, -HALF_PI), rgb255_in(lowest, theme_name), atol=6)
    np.testing.assert_allclose(colour_at(page, image, scale, HALF_PI, HALF_PI), rgb255_in(highest, theme_name), atol=6)
    np.testing.assert_allclose(colour_at(page, image, scale, *MARK), rgb255_in(theme.POINT_COLORS[0], theme_name), atol=6)
    return image


def assert_contours_drawn_in(page, tmp_path, theme_name: str, without: np.ndarray) -> None:
    """With the contours on, every pixel they change moves from the map's colour towards the
    theme's contour colour (they are drawn translucent over the map)."""
    page.keyboard.press("c")
    assert shown(page)["contours"]
    image, _ = screenshot_rgb(page, tmp_path, f"contours-{theme_name}")
    change = (image - without).astype(float)
    changed = np.linalg.norm(change, axis=-1) > 20
    assert changed.mean() > 0.005, "the contours show"
    towards = rgb255(theme.in_theme(theme.BACKGROUND, theme_name))[None, :] - without[changed]
    cosine = (change[changed] * towards).sum(-1) / (np.linalg.norm(change[changed], axis=-1)
                                                     * np.linalg.norm(towards, axis=-1) + 1e-9)
    assert np.median(cosine) > 0.9, f"the contours are not drawn in the {theme_name} theme's colour"


@pytest.mark.parametrize("scheme", theme.THEMES)
def test_map_and_points_are_drawn_in_the_readers_scheme(open_page, tmp_path, scheme):
    """With the reader's prefers-color-scheme emulated, the chrome and the canvas (its
    background, the map image, a point, the contours) are that theme's colours."""
    page = open_page(color_scheme=scheme)
    assert page.get_attribute("#theme", "aria-pressed") == str(scheme == "light").lower()
    page.keyboard.press("c")
    assert not shown(page)["contours"]
    click_at(page, *MARK)
    without = assert_drawn_in(page, tmp_path, scheme, f"scheme-{scheme}")
    assert_contours_drawn_in(page, tmp_path, scheme, without)


def tab_to(page, element_id: str, presses: int = 20) -> None:
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == element_id:
            return
    raise AssertionError(f"Tab never reaches #{element_id}")


@pytest.mark.parametrize("scheme", theme.THEMES)
def test_the_theme_toggle_switches_the_page_and_the_map_by_keyboard(open_page, tmp_path, scheme):
    """A real button with a name and aria-pressed (on: light), reached with Tab and worked with
    Enter and Space: each press repaints the chrome and the canvas in the other theme."""
    page = open_page(color_scheme=scheme)
    toggle = page.get_by_role("button", name="Light theme")
    assert toggle.evaluate("b => b.tagName") == "BUTTON" and toggle.is_visible()
    page.keyboard.press("c")
    click_at(page, *MARK)
    tab_to(page, "theme")
    page.keyboard.press("Enter")
    other = other_theme(scheme)
    assert toggle.get_attribute("aria-pressed") == str(other == "light").lower()
    page.mouse.move(0, 0)  # no hover on the toggle in the screenshot
    assert_drawn_in(page, tmp_path, other, f"toggled-{scheme}")
    assert page.evaluate("document.activeElement.id") == "theme", "the focus stays on the toggle"
    assert shown(page)["points"] == 1 and not shown(page)["playing"], "the toggle does nothing else"
    page.keyboard.press(" ")
    assert toggle.get_attribute("aria-pressed") == str(scheme == "light").lower()
    assert_drawn_in(page, tmp_path, scheme, f"toggled-back-{scheme}")
    assert not shown(page)["playing"], "space on the toggle is the toggle's, not play"


def test_the_choice_is_remembered_and_outlasts_the_readers_scheme(open_page, tmp_path):
    """The toggle's choice is stored (localStorage) and applied on the next visit; a change of
    the reader's scheme repaints the canvas while nothing is chosen, and not after."""
    page = open_page(color_scheme="dark")
    page.keyboard.press("c")
    click_at(page, *MARK)
    page.emulate_media(color_scheme="light")  # the reader's system turns light: the page follows
    page.wait_for_selector("#playground[data-theme='light']")
    assert_drawn_in(page, tmp_path, "light", "followed")
    page.click("#theme")  # chosen: dark
    assert page.evaluate(f"localStorage.getItem({PLAYGROUND_THEME_KEY!r})") == "dark"
    page.emulate_media(color_scheme="dark")
    page.emulate_media(color_scheme="light")  # the reader's scheme changes again: the choice stands
    assert page.evaluate("playground.theme()") == "dark" and page.get_attribute("#playground", "data-theme") == "dark"
    page.reload()
    page.wait_for_selector("#playground[data-ready='1']")
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    page.keyboard.press("c")
    click_at(page, *MARK)
    assert_drawn_in(page, tmp_path, "dark", "remembered")


def test_a_choice_made_on_another_page_of_the_site_applies(open_page):
    """The gallery (or another tab) stores the reader's choice under the same key: an open
    playground (in the gallery's iframe, say) takes it at once."""
    page = open_page(color_scheme="dark")
    other = page.context.new_page()
    other.goto(page.url)
    other.evaluate(f"localStorage.setItem({PLAYGROUND_THEME_KEY!r}, 'light')")
    page.wait_for_selector("#playground[data-theme='light']")
    assert page.get_attribute("#theme", "aria-pressed") == "true"
    other.evaluate(f"localStorage.removeItem({PLAYGROUND_THEME_KEY!r})")
    page.wait_for_selector("#playground[data-theme='dark']")  # forgotten: the reader's scheme again
    other.close()


def test_the_toggle_works_without_storage(open_page, tmp_path):
    """Where localStorage throws (a sandbox, a privacy setting) the page opens without an error
    and the toggle still switches the theme, for as long as the page is open."""
    page = open_page(color_scheme="light")
    page.context.add_init_script("Object.defineProperty(window, 'localStorage', "
                                 "{get() { throw new DOMException('denied', 'SecurityError'); }})")
    page.reload()
    page.wait_for_selector("#playground[data-ready='1']")
    assert page.evaluate("(() => { try { localStorage; return false; } catch (e) { return true; } })()")
    page.keyboard.press("c")
    click_at(page, *MARK)
    page.click("#theme")
    assert_drawn_in(page, tmp_path, "dark", "no-storage")


@pytest.mark.parametrize("scheme", theme.THEMES)
def test_without_a_script_the_chrome_follows_the_readers_scheme(browser, site, scheme):
    """CSS alone: the page's colours are the reader's scheme's, and the toggle (which needs
    the script) is not shown."""
    base, _ = site
    context = browser.new_context(java_script_enabled=False, color_scheme=scheme)
    try:
        page = context.new_page()
        page.goto(f"{base}/{PAGE_NAME}")
        css = page.evaluate("[getComputedStyle(document.body).backgroundColor, getComputedStyle(document.body).color,"
                            " getComputedStyle(document.querySelector('.formula')).color]")
        expected = [theme.in_theme(c, scheme) for c in (theme.BACKGROUND, theme.TEXT, theme.MUTED_TEXT)]
        assert css == ["rgb({}, {}, {})".format(*(round(v * 255) for v in c.to_rgb())) for c in expected]
        assert not page.locator("#theme").is_visible()
    finally:
        context.close()


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


@pytest.mark.subprocess
def test_the_page_is_the_same_whatever_the_process_theme(html):
    """The page carries every palette, so a worker of either theme builds the same page."""
    import os
    import subprocess
    import sys

    build = "import sys; from scenes.playground import build_playground; sys.stdout.write(build_playground())"
    for name in theme.THEMES:
        env = {**os.environ, theme.THEME_VARIABLE: name}
        built = subprocess.run([sys.executable, "-c", build], env=env, capture_output=True, text=True, check=True)
        assert built.stdout == html, f"the page differs when built with {theme.THEME_VARIABLE}={name}"


@pytest.mark.parametrize("scheme", theme.THEMES)
def test_a_point_that_runs_off_the_map_is_an_arrowhead_on_its_edge(open_page, tmp_path, scheme):
    """As in lr_unstable: the path is cut at the map's edge, and where the point went off an
    arrowhead in the theme's off-map colour points its way (its dot is not drawn off the map)."""
    page = open_page(color_scheme=scheme)
    page.keyboard.press("c")  # no contours over the arrowhead
    start = click_at(page, -4.2, -1.6)
    page.eval_on_selector("#alpha", "s => { s.value = '2.5'; s.dispatchEvent(new Event('input')); }")
    page.keyboard.press("s")
    path = paths(page)[0]
    assert np.abs(path[-1]).max() > V  # it ran off
    clipped = gdmath.clip_path(path, [-V, -V], [V, V])
    tip, heading = clipped.edge[-1], clipped.heading[-1]
    image, scale = screenshot_rgb(page, tmp_path, f"off-map-{scheme}")
    inside = tip - heading * 6 * pixel_in_world(page)  # in the arrowhead, just behind its tip
    np.testing.assert_allclose(colour_at(page, image, scale, *inside), rgb255_in(theme.LR_OFF_MAP, scheme), atol=12)
    assert np.abs(start).max() < V
