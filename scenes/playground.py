"""Gradient Playground: the post's interactive widget, as one self-contained HTML page.

The post shows a "Gradient Playground" with "Step: 0" and "Gradient Mag: 0.000". Here
the reader clicks the top-down map of sin x sin y to drop points, steps or plays the
descent, watches the step counter and the gradient magnitude of the latest point, and
changes alpha with a slider (it takes effect on the next step). An optimizer selector
picks the update rule (SGD, Momentum, Nesterov, RMSProp, Adam, as ``gdmath.optimizers``)
with sliders for its hyperparameters (beta; beta1 and beta2; rho; eps stays at gdmath's
default). Switching the optimizer mid-run resets every point's optimizer state to zero
and its update count t to 0; changing alpha or a hyperparameter keeps the state (as
changing a torch optimizer's ``lr`` in its param_groups does).

Build with ``render_page(params)`` (``render.py --scene playground`` publishes it as
``playground.html``): one HTML string with its script, styles and map image inline, that
opens from disk with no network. Scenes never write files: the pipeline writes the page
atomically. What comes from where:

- the map image is ``gdmath.value_grid(SIN_HILLS, ...)`` coloured by
  ``components.height_rgb`` (the videos' height scale), embedded as a PNG data URI;
- every colour, font size and mark size is read from ``scenes/theme.py`` at build time
  and injected; the page carries every theme's palette (and a map image per theme) and
  shows the one the reader's ``prefers-color-scheme`` asks for, or the one they chose
  with its theme toggle (remembered in localStorage under ``THEME_STORAGE_KEY``);
- the view box and the default alpha are the hills figure's (``HillsParams``);
- the page's script computes ``sin x sin y``, its gradient and each update rule with the
  same floating-point operations as gdmath; tests/test_playground.py and
  tests/test_playground_optimizers.py drive the page in headless Chromium and check its
  positions against ``gdmath.gradient_descent`` and ``gdmath.descend`` (1e-9);
- the optimizers, their names and default hyperparameters are ``gdmath.OPTIMIZERS``'.

The page itself is ``scenes/playground_template.html``; ``{{NAME}}`` tokens in it are
filled here.
"""

from __future__ import annotations

import base64
import html as html_text
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

import gdmath
from gdmath import SIN_HILLS
from scenes import figure, theme
from scenes.components import ObjectiveParams, height_pixels
from scenes.hills import HillsParams
from scenes.params import between, param, positive, typed_function, whole

TEMPLATE = Path(__file__).with_name("playground_template.html")
TITLE = "Gradient Playground"  # the post's title: the figure's, the page's <title> and its heading
_HILLS = HillsParams()
#: The map's margins in CSS px, room for its tick labels.
MAP_MARGINS_PX = {"left": 30, "top": 6, "right": 6, "bottom": 22}


@dataclass(frozen=True)
class PlaygroundParams(ObjectiveParams):
    """What the page shows and how it behaves.

    ``function`` (text) replaces sin x sin y: the page's script evaluates its value and
    gradient from JavaScript printed from the same SymPy expressions gdmath compiles
    (:func:`objective_js`), never from the text; the map and its contours follow it.

    The view ``[-view, view]^2`` and the default ``alpha`` are the hills figure's, so the
    playground continues where that video stops. ``map_pixels`` is the side of the
    embedded height image (the browser scales it smoothly; the field is smooth).
    Play runs ``steps_per_second`` steps and pauses by itself once every point's next
    step is shorter than ``settled_step`` (or after ``max_steps``).
    """

    view: float = param(_HILLS.view, positive())
    alpha: float = param(_HILLS.alpha, positive())
    alpha_min: float = param(0.01, positive())
    alpha_max: float = param(2.5, positive())  # past 2 the steps overshoot every minimum: the post's "unstable"
    alpha_step: float = param(0.01, positive())
    map_pixels: int = param(320, whole(2, 2000))
    contour_levels: tuple[float, ...] = (-0.75, -0.5, -0.25, 0.0, 0.25, 0.5, 0.75)
    contour_grid: int = param(161, whole(3, 2001))  # odd: no grid node falls on x = 0 or y = 0, where f is exactly the level 0
    contour_opacity: float = param(0.45, between(0, 1))
    show_contours: bool = True
    arrow_scale: float = param(1.5, positive())  # the gradient arrow: world units per unit of gradient
    ticks: tuple[float, ...] = (-4, -2, 0, 2, 4)
    steps_per_second: float = param(15.0, positive())
    max_steps_per_frame: int = param(4, whole(1, 100))
    max_steps: int = param(5000, whole(1, 1_000_000))
    settled_step: float = param(1e-4, positive())
    max_points: int = len(theme.POINT_COLORS)
    # the hyperparameter sliders: (min, max, step); every default of gdmath lies on its slider
    decay_slider: tuple[float, ...] = (0.0, 0.99, 0.01)  # beta, beta1, rho
    beta2_slider: tuple[float, ...] = (0.9, 0.999, 0.001)
    function: str | None = param(None, typed_function(2), kind=str)

    def view_box(self) -> tuple[tuple[float, float], tuple[float, float]]:
        return (-self.view, self.view), (-self.view, self.view)

    def levels(self) -> list[float]:
        """The contour levels: the post's for sin x sin y; seven evenly spaced across a typed
        function's colour range."""
        if not self.typed:
            return list(self.contour_levels)
        low, high = self.height_range
        return [float(v) for v in np.linspace(low, high, 9)[1:-1]]


# --- the map image ----------------------------------------------------------------------------
@dataclass(frozen=True)
class PlaygroundMap:
    """What the page's map shows: sin x sin y at the centres ``axis`` ``(map_pixels,)`` of
    the map's pixels over ``[-view, view]`` (the same along x and y): ``heights``
    ``(map_pixels, map_pixels)``, indexed ``[i, j]`` for x = ``axis[i]``, y = ``axis[j]``."""

    view: float
    axis: np.ndarray
    heights: np.ndarray
    height_range: tuple[float, float] = (-1.0, 1.0)
    words: str = "sin x sin y"

    def facts(self) -> tuple[str, ...]:
        """What the figure's description and the page both name (the page prints no number of its own)."""
        return (self.words,)


def playground_map(params: PlaygroundParams) -> PlaygroundMap:
    """The page's map from gdmath, once for every theme (only its colours differ)."""
    axis = gdmath.cell_centres(-params.view, params.view, params.map_pixels)
    objective = params.objective if params.typed else SIN_HILLS
    words = "sin x sin y" if not params.typed else objective.canonical
    return PlaygroundMap(params.view, axis, gdmath.value_grid(objective, axis, axis), params.height_range, words)


def map_pixels(page_map: PlaygroundMap, theme_name: str) -> np.ndarray:
    """The top-down map coloured by height: ``(rows, cols, 3)`` uint8.

    Rows run top to bottom (y descending), columns left to right (x ascending), as the
    page draws it over ``[-view, view]^2``; the colours are the videos' height scale in
    theme ``theme_name`` over the function's range (sin x sin y: -1 to 1).
    """
    low, high = page_map.height_range
    return height_pixels(page_map.heights, low, high, theme_name=theme_name)


# --- the function, as the page's script computes it -------------------------------------------
#: The page's own code for sin x sin y (the post's function), the same operations as gdmath.SIN_HILLS.
SIN_HILLS_JS = """  // --- the numbers: f(x, y) = sin x sin y, exactly as gdmath.SIN_HILLS computes it --------
  // value = sin x sin y, grad = (cos x sin y, cos y sin x).
  // tests/test_playground.py checks both against gdmath (positions after k steps to 1e-9).
  function valueAndGrad(x, y) {
    const sx = Math.sin(x), sy = Math.sin(y), cx = Math.cos(x), cy = Math.cos(y);
    return { value: sx * sy, gx: cx * sy, gy: cy * sx };
  }"""

#: JavaScript for each SymPy function the typed expressions and their derivatives can hold.
JS_FUNCTIONS = {
    "sin": "Math.sin", "cos": "Math.cos", "tan": "Math.tan", "asin": "Math.asin", "acos": "Math.acos",
    "atan": "Math.atan", "atan2": "Math.atan2", "sinh": "Math.sinh", "cosh": "Math.cosh", "tanh": "Math.tanh",
    "asinh": "Math.asinh", "acosh": "Math.acosh", "atanh": "Math.atanh", "exp": "Math.exp", "log": "Math.log",
    "Abs": "Math.abs", "sign": "Math.sign",
    "cot": "1 / Math.tan", "sec": "1 / Math.cos", "csc": "1 / Math.sin",
}  # fmt: skip


def objective_js(text: str) -> str:
    """``valueAndGrad(x, y)`` in JavaScript for the typed function ``text``, printed from the
    SymPy expressions of its value and gradient that :func:`gdmath.parse_objective` builds
    (each shared piece computed once, as gdmath's compiled code does), never from the text:
    only numbers, ``x``, ``y``, arithmetic and the ``Math`` functions of ``JS_FUNCTIONS``
    can appear in it; anything else raises ``ValueError``."""
    from gdmath import typed

    expr = typed._Builder(text, 2).build()
    variables = [typed._symbol(name) for name in typed.VARIABLES[2]]
    budget = typed._Budget()
    gradient = [typed._derivative(expr, v, budget) for v in variables]
    replacements, (value, gx, gy) = typed._graph_cse([expr, *gradient])
    lines = [f"    const {name} = {_js(e)};" for name, e in replacements]
    return "\n".join([
        f"  // --- the numbers: f(x, y) = {text_of(expr)}, printed from gdmath's SymPy expressions ---",
        "  // (scenes/playground.py objective_js: each shared piece once; tests check it against gdmath.descend)",
        "  function valueAndGrad(x, y) {",
        *lines,
        f"    return {{ value: {_js(value)}, gx: {_js(gx)}, gy: {_js(gy)} }};",
        "  }",
    ])


def text_of(expr) -> str:
    """The canonical text (only the allowlist's characters: safe in a comment)."""
    from gdmath import typed

    return typed._canonical(expr)


def _js(e) -> str:
    """One node of the (common-subexpression-reduced) graph as JavaScript."""
    import sympy as sp

    if e.is_Symbol:
        if not re.fullmatch(r"[xy]|_t\d+", e.name):
            raise ValueError(f"unexpected name {e.name!r} in the function")
        return e.name
    if e is sp.pi:
        return "Math.PI"
    if e is sp.E:
        return "Math.E"
    if e.is_Integer:
        return f"({int(e)})" if abs(int(e)) < 2**53 else f"({float(e)!r})"
    if e.is_Rational:
        return f"({int(e.p)} / {int(e.q)})" if max(abs(int(e.p)), int(e.q)) < 2**53 else f"({float(e)!r})"
    if e.is_Float:
        return f"({float(e)!r})"
    if isinstance(e, sp.Add):
        return "(" + " + ".join(_js(a) for a in e.args) + ")"
    if isinstance(e, sp.Mul):
        return "(" + " * ".join(_js(a) for a in e.args) + ")"
    if isinstance(e, sp.Pow):
        base, exponent = e.args
        if exponent == sp.Rational(1, 2):
            return f"Math.sqrt({_js(base)})"
        if exponent == -1:
            return f"(1 / {_js(base)})"
        return f"Math.pow({_js(base)}, {_js(exponent)})"
    name = type(e).__name__
    if name in JS_FUNCTIONS:
        return f"({JS_FUNCTIONS[name]}({', '.join(_js(a) for a in e.args)}))"
    raise ValueError(f"the page cannot compute {name} in the function")


def png_data_uri(pixels: np.ndarray) -> str:
    """``(rows, cols, 3)`` uint8 -> ``data:image/png;base64,...``."""
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="PNG", optimize=True)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


# --- the optimizers ------------------------------------------------------------------------------
#: How the page writes each update rule (the formulas of gdmath.optimizers, g = grad f(theta)).
FORMULAS = {
    "sgd": "\u03b8 \u2190 \u03b8 \u2212 \u03b1 g",
    "momentum": "v \u2190 \u03b2v + g,  \u03b8 \u2190 \u03b8 \u2212 \u03b1 v",
    "nesterov": "v \u2190 \u03b2v + g,  \u03b8 \u2190 \u03b8 \u2212 \u03b1 (g + \u03b2v)",
    "rmsprop": "s \u2190 \u03c1s + (1\u2212\u03c1) g\u00b2,  \u03b8 \u2190 \u03b8 \u2212 \u03b1 g / (\u221as + \u03b5)",
    "adam": "m \u2190 \u03b2\u2081m + (1\u2212\u03b2\u2081) g,  s \u2190 \u03b2\u2082s + (1\u2212\u03b2\u2082) g\u00b2,  "
    "\u03b8 \u2190 \u03b8 \u2212 \u03b1 m\u0302 / (\u221a\u015d + \u03b5)",
}


def page_optimizers() -> list[dict]:
    """Each of ``gdmath.OPTIMIZERS`` as the page offers it: its key, name, default
    hyperparameters (without alpha) and formula."""
    offered = []
    for key, rule in gdmath.OPTIMIZERS.items():
        defaults = {k: v for k, v in rule(1.0).hyperparameters.items() if k != "alpha"}
        offered.append({"key": key, "name": rule.name, "defaults": defaults, "formula": FORMULAS[key]})
    return offered


def hyper_sliders(params: PlaygroundParams = PlaygroundParams()) -> dict:
    """The slider of each hyperparameter the page lets the reader change: ``{name: [min, max, step]}``."""
    decay = list(params.decay_slider)
    return {"beta": decay, "beta1": decay, "beta2": list(params.beta2_slider), "rho": decay}


# --- what the page is told --------------------------------------------------------------------------
#: Where the page remembers the reader's choice of theme (localStorage), shared with any page
#: of the same site that offers the same choice.
THEME_STORAGE_KEY = "gdviz-theme"
#: The theme a page shows when the reader's browser states no ``prefers-color-scheme``.
DEFAULT_THEME = theme.THEMES[0]


def _hex(color) -> str:
    return color.to_hex().upper()


def page_colors(theme_name: str) -> dict:
    """Theme ``theme_name``'s colours as CSS hex strings, by the role the page gives them."""
    pick = lambda color: _hex(theme.in_theme(color, theme_name))  # noqa: E731
    return {
        "background": pick(theme.BACKGROUND),
        "text": pick(theme.TEXT),
        "muted": pick(theme.MUTED_TEXT),
        "axis": pick(theme.AXIS),
        "grid": pick(theme.GRID),
        "arrow": pick(theme.GRADIENT_ARROW),
        "offMap": pick(theme.LR_OFF_MAP),
        "contour": pick(theme.BACKGROUND),
        "points": [pick(c) for c in theme.POINT_COLORS],
        "heightScale": [pick(c) for c in theme.HEIGHT_SCALE],
    }


def page_config(params: PlaygroundParams = PlaygroundParams()) -> dict:
    """Everything the page's script reads: numbers, and per theme the colours and the map image."""
    page_map = playground_map(params)
    return {
        "view": params.view,
        "alpha": params.alpha,
        "alphaMin": params.alpha_min,
        "alphaMax": params.alpha_max,
        "alphaStep": params.alpha_step,
        "contourLevels": params.levels(),
        "contourGrid": params.contour_grid,
        "contourOpacity": params.contour_opacity,
        "showContours": params.show_contours,
        "arrowScale": params.arrow_scale,
        "ticks": list(params.ticks),
        "stepsPerSecond": params.steps_per_second,
        "maxStepsPerFrame": params.max_steps_per_frame,
        "maxSteps": params.max_steps,
        "settledStep": params.settled_step,
        "maxPoints": params.max_points,
        "optimizers": page_optimizers(),
        "hyperSliders": hyper_sliders(params),
        "margins": dict(MAP_MARGINS_PX),
        "tickFont": f"{theme.PLAY_TICK_PX}px {theme.FONT}, sans-serif",
        "marks": dict(theme.PLAY_MARKS_PX),
        "themeKey": THEME_STORAGE_KEY,
        "colors": {name: page_colors(name) for name in theme.THEMES},
        "mapImages": {name: png_data_uri(map_pixels(page_map, name)) for name in theme.THEMES},
    }


def css_variables(colors: dict) -> list[str]:
    """One theme's colours (``page_colors``) as CSS declarations: custom properties (the
    stylesheet uses only these) and the ``color-scheme`` of the browser's own controls."""
    scale = colors["heightScale"]
    stops = ", ".join(f"{c} {100 * k / (len(scale) - 1):g}%" for k, c in enumerate(scale))
    lines = [f"--{name}: {colors[name]};" for name in ("background", "text", "muted", "axis", "grid", "arrow")]
    lines.append(f"--height-scale: linear-gradient(90deg, {stops});")
    return lines


def _rule(selector: str, declarations: list[str], indent: str = "") -> str:
    inner = "".join(f"{indent}  {line}\n" for line in declarations)
    return f"{indent}{selector} {{\n{inner}{indent}}}"


def theme_css(colors_by_theme: dict) -> str:
    """The page's font sizes, and its colours in every theme: the default theme on ``:root``,
    each other theme when the reader's ``prefers-color-scheme`` asks for it (no script
    needed), and each theme again under ``:root[data-theme=NAME]``, the reader's choice with
    the toggle (more specific than the media query, so it wins either way)."""
    fonts = [f"--font-{name}: {size:g}rem;" for name, size in theme.PLAY_FONT_REM.items()]
    palette = {name: css_variables(colors) + [f"color-scheme: {name};"] for name, colors in colors_by_theme.items()}
    rules = [_rule(":root", fonts + palette[DEFAULT_THEME])]
    rules += [
        f"@media (prefers-color-scheme: {name}) {{\n{_rule(':root', palette[name], '  ')}\n}}"
        for name in palette
        if name != DEFAULT_THEME
    ]
    rules += [_rule(f':root[data-theme="{name}"]', palette[name]) for name in palette]
    return "\n".join(rules)


def _script_safe_json(value) -> str:
    """JSON that cannot close the ``<script>`` element it sits in."""
    return json.dumps(value, separators=(",", ":")).replace("</", "<\\/")


def render_page(params: PlaygroundParams = PlaygroundParams()) -> str:
    """The whole page as one HTML string (on sin x sin y, or on ``params.function``)."""
    config = page_config(params)
    if params.typed:
        words = params.objective.canonical  # the allowlist's characters only: safe in HTML and a JS string
        formula, code = html_text.escape(f"f(x, y) = {words}"), objective_js(params.function)
    else:
        words, formula, code = "sin x sin y", "f(x, y) = sin x &middot; sin y", SIN_HILLS_JS
    low, high = params.height_range
    fills = {
        "SCALE_LOW": "&minus;1" if not params.typed else html_text.escape(f"{low:.3g}").replace("-", "&minus;"),
        "SCALE_HIGH": "1" if not params.typed else html_text.escape(f"{high:.3g}").replace("-", "&minus;"),
        "OBJECTIVE_JS": code,
        "FORMULA": formula,
        "FUNCTION_WORDS": html_text.escape(words),
        "THEME_CSS": theme_css(config["colors"]),
        "THEME_NAMES_JSON": _script_safe_json(list(theme.THEMES)),
        "THEME_KEY_JSON": _script_safe_json(THEME_STORAGE_KEY),
        "CONFIG_JSON": _script_safe_json(config),
        "MAX_POINTS": str(params.max_points),
        "TITLE": html_text.escape(TITLE),
    }
    html = TEMPLATE.read_text(encoding="utf-8")
    for name, text in fills.items():
        html = html.replace("{{" + name + "}}", text)
    left = re.findall(r"\{\{[A-Z_]+\}\}", html)
    if left:
        raise ValueError(f"{TEMPLATE.name} has unfilled tokens: {', '.join(sorted(set(left)))}")
    return html


@figure("playground", title=TITLE,
        description="Interactive page: drop points on the sin x sin y map, step or play, watch the step and gradient magnitude.", kind="page")
def build_playground(params: PlaygroundParams | None = None) -> str:
    """The page with ``params`` (default: the builder's ``params``), as the pipeline publishes it
    (``kind`` "page": the builder returns the HTML; the pipeline writes it atomically as ``NAME.html``)."""
    return render_page(build_playground.params if params is None else params)


build_playground.params = PlaygroundParams()  # what --set changes (pipeline.params.params_of)
