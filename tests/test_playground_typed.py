"""The playground on a typed function (``--set function=EXPR``): the page's script computes
value and gradient from JavaScript printed from gdmath's SymPy expressions (never the typed
text), and, driven in headless Chromium, descends exactly as gdmath.descend does."""

from __future__ import annotations

import base64
import io
import re

import numpy as np
import pytest
from conftest import serve
from PIL import Image

import gdmath
from scenes.components import height_pixels
from scenes.playground import PlaygroundParams, objective_js, render_page

AGREE = 1e-9  # positions after k steps equal gdmath's to 1e-9
# typed as a user might; the page carries the canonical text and code printed from SymPy
FUNCTIONS = {
    "bowl": "x**2+3*y**2",
    "wells": "(x^2 - 1)^2 + y^2 + 0.3*sin(2*x)*cos(y) + abs(y)/5 + sqrt(1 + x^2) + atan2(y, 4 + x)",
}


def config_of(html: str) -> dict:
    import json

    text = re.search(r'<script type="application/json" id="playground-config">(.*?)</script>', html, re.S).group(1)
    return json.loads(text)


@pytest.mark.parametrize("name", FUNCTIONS)
def test_the_page_carries_code_printed_from_sympy_never_the_text(name):
    text = FUNCTIONS[name]
    params = PlaygroundParams(function=text)
    html = render_page(params)
    canonical = gdmath.parse_objective(text, 2).canonical
    assert objective_js(text) in html
    assert f"f(x, y) = {canonical}" in html
    if canonical != text:
        assert text not in html  # the typed text itself never reaches the page
    script = objective_js(text)
    names = set(re.findall(r"[A-Za-z_][A-Za-z_0-9]*", script.split("function valueAndGrad", 1)[1]))
    allowed = {"x", "y", "const", "return", "value", "gx", "gy", "Math", "sin", "cos", "tan", "exp", "log", "sqrt",
               "abs", "sign", "pow", "atan2", "atan", "PI", "E", "sinh", "cosh", "tanh", "asin", "acos"}
    assert {n for n in names if not re.fullmatch(r"_t\d+", n)} <= allowed


def test_the_map_and_the_contours_follow_the_function():
    params = PlaygroundParams(function=FUNCTIONS["wells"], map_pixels=24)
    config = config_of(render_page(params))
    low, high = params.height_range
    assert config["contourLevels"] == pytest.approx(list(np.linspace(low, high, 9)[1:-1]))
    axis = gdmath.cell_centres(-params.view, params.view, 24)
    heights = gdmath.value_grid(gdmath.parse_objective(FUNCTIONS["wells"], 2), axis, axis)
    uri = config["mapImages"]["dark"]
    image = np.asarray(Image.open(io.BytesIO(base64.b64decode(uri.split(",", 1)[1]))).convert("RGB"))
    np.testing.assert_array_equal(image, height_pixels(heights, low, high, theme_name="dark"))


@pytest.fixture(scope="module")
def typed_site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("typed-site")
    for name, text in FUNCTIONS.items():
        (folder / f"{name}.html").write_text(render_page(PlaygroundParams(function=text)), encoding="utf-8")
    with serve(folder) as base:
        yield base


@pytest.fixture
def open_typed(browser, typed_site):
    opened = []

    def open_(name: str):
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        page = context.new_page()
        page.problems = []
        page.on("pageerror", lambda error: page.problems.append(f"error: {error}"))
        page.on("console", lambda msg: page.problems.append(f"console: {msg.text}") if msg.type == "error" else None)
        page.goto(f"{typed_site}/{name}.html")
        page.wait_for_selector("#playground[data-ready='1']")
        opened.append((context, page))
        return page

    yield open_
    for context, page in opened:
        context.close()
        assert page.problems == []


@pytest.mark.browser
@pytest.mark.parametrize("name", FUNCTIONS)
def test_the_page_value_and_gradient_are_gdmaths(open_typed, name):
    page = open_typed(name)
    objective = gdmath.parse_objective(FUNCTIONS[name], 2)
    points = np.random.default_rng(3).uniform(-5, 5, size=(300, 2))
    got = np.array(page.evaluate(
        "ps => ps.map(([x, y]) => { const r = playground.valueAndGrad(x, y); return [r.value, r.gx, r.gy]; })",
        points.tolist(),
    ))
    value, grad = objective.value_and_grad(points)
    np.testing.assert_allclose(got[:, 0], value, rtol=1e-13, atol=1e-13)
    np.testing.assert_allclose(got[:, 1:], grad, rtol=1e-13, atol=1e-13)


@pytest.mark.browser
@pytest.mark.parametrize("name, x, y", [("bowl", 2.1, -1.3), ("wells", -2.2, 1.4)])
def test_stepping_on_the_page_agrees_with_gdmath_descend(open_typed, name, x, y):
    page = open_typed(name)
    rect = page.evaluate("playground.mapRect()")
    view = PlaygroundParams().view
    page.mouse.click(rect["left"] + (x + view) / (2 * view) * rect["size"],
                     rect["top"] + (view - y) / (2 * view) * rect["size"])
    for _ in range(25):
        page.keyboard.press("s")
    path = np.array(page.evaluate("playground.state()")["points"][0]["path"])
    assert path.shape == (26, 2)
    objective = gdmath.parse_objective(FUNCTIONS[name], 2)
    expected = gdmath.descend(objective, path[:1], gdmath.SGD(PlaygroundParams().alpha), 25).points[:, 0]
    np.testing.assert_allclose(path, expected, rtol=0, atol=AGREE)
    assert np.abs(path[-1] - path[0]).max() > 0.1  # it moved
