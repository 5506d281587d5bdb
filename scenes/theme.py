"""Every colour, font size, stroke width and timing of the figures, in one place.

Scenes and components import names from here; no hex colour or font size appears
anywhere else. Two designed palettes: ``dark`` (for a dark page, today's look) and
``light`` (for a white page: colours picked for contrast on white, not inverted).

The theme is a context, not an import-time choice: ``with theme.use("light"):`` around a
render makes every colour of this module the light one while the scene builds and draws,
so one process can render dark, then light. Each colour is a :class:`ThemedColor`, whose
value is the theme's in force at the moment it is read (a mobject built inside
``use("light")`` keeps the light colour), and which carries both values (``.by_theme``)
for pages that switch with the reader's ``prefers-color-scheme``. Outside any ``use``,
the theme is ``GDVIZ_THEME`` (an override for plain ``manim`` runs), else ``dark``.

>>> with use("light"):
...     BACKGROUND.to_hex()
'#FFFFFF'
>>> with use("dark"):
...     BACKGROUND.to_hex(), surface_lighting()
('#0E1117', 1.0)
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Iterator

from manim import ManimColor

THEMES = ("dark", "light")
THEME_VARIABLE = "GDVIZ_THEME"

_ACTIVE: ContextVar[str | None] = ContextVar("gdviz_theme", default=None)


def check_name(name: str, what: str = "theme") -> str:
    """``name`` if it is a theme; else ``ValueError`` naming it and the choices."""
    if name not in THEMES:
        raise ValueError(f"{what} must be one of {', '.join(THEMES)}, got {name!r}")
    return name


def current() -> str:
    """The theme in force: the innermost :func:`use`, else ``GDVIZ_THEME``, else ``dark``."""
    active = _ACTIVE.get()
    if active is not None:
        return active
    return check_name(os.environ.get(THEME_VARIABLE, "") or THEMES[0], THEME_VARIABLE)


@contextmanager
def use(name: str) -> Iterator[str]:
    """Render in theme ``name`` inside the ``with`` block (nested blocks stack)."""
    token = _ACTIVE.set(check_name(name))
    try:
        yield name
    finally:
        _ACTIVE.reset(token)


class ThemedColor(ManimColor):
    """A colour with one value per theme; as a ManimColor it is the value of the theme in
    force when it is read (:func:`current`).

    >>> c = ThemedColor(dark="#000000", light="#FFFFFF")
    >>> c.by_theme["light"].to_hex()
    '#FFFFFF'
    >>> with use("light"):
    ...     ManimColor(c).to_hex()  # a copy keeps the value of the theme it was made in
    '#FFFFFF'
    """

    def __init__(self, dark: str, light: str) -> None:
        self.by_theme = {"dark": ManimColor(dark), "light": ManimColor(light)}

    @property
    def _internal_value(self):
        return self.by_theme[current()]._internal_value.copy()  # a copy: a theme's colour is never changed

    @_internal_value.setter
    def _internal_value(self, value) -> None:
        raise AttributeError("a themed colour is a constant of the theme; copy it (ManimColor(c)) to change one")

    @classmethod
    def _construct_from_space(cls, space) -> ManimColor:  # arithmetic on a colour gives a plain one
        return ManimColor(space)

    @classmethod
    def _from_internal(cls, value) -> ManimColor:
        return ManimColor._from_internal(value)


def themed(dark: str, light: str) -> ThemedColor:
    """One colour: its value on a dark page and on a light page."""
    return ThemedColor(dark, light)


def themed_list(dark: list[str], light: list[str]) -> list[ThemedColor]:
    """A list of colours (a scale or a set of distinct marks), one value per theme each."""
    if len(dark) != len(light):
        raise ValueError(f"a themed list needs as many light colours as dark, got {len(dark)} and {len(light)}")
    return [ThemedColor(on_dark, on_light) for on_dark, on_light in zip(dark, light)]


def in_theme(colour: ManimColor, name: str) -> ManimColor:
    """``colour`` as it is in theme ``name`` (a plain ManimColor is the same in both)."""
    return colour.by_theme[name] if isinstance(colour, ThemedColor) else colour


# --- page -------------------------------------------------------------------
BACKGROUND = themed("#0E1117", "#FFFFFF")
TEXT = themed("#E6E9EF", "#1B1F27")
MUTED_TEXT = themed("#9AA3B2", "#566072")
AXIS = themed("#7C8596", "#6B7383")
GRID = themed("#2A3140", "#D8DDE6")

# --- accents ------------------------------------------------------------------
GRADIENT_ARROW = themed("#4FA3FF", "#1F6FD1")  # the post: "the blue represents the derivative"
PREDICTION = themed("#FF5C5C", "#D62828")  # the post's red predicted line
TRUE_CURVE = themed("#E6E9EF", "#1B1F27")
SAMPLE = themed("#5FB3FF", "#2B7BD6")
GLOBAL_MIN = themed("#5EE07A", "#1B9E4B")
LOCAL_MIN = themed("#FFB347", "#C05F00")

# Height colour scale, low to high (the 3-D surface and the top-down map): cool
# colours only, so the descending points stand out on every part of it. Dark: navy
# valleys to pale peaks. Light: pale valleys to mid-blue peaks, never the page's white
# (the surface keeps its edge) nor so deep that a point on a peak sinks into it.
HEIGHT_SCALE = themed_list(
    ["#0A1A4A", "#15407A", "#1D6C8C", "#3C9E9B", "#9FD3C7"],
    ["#C9DCEA", "#A9C8DF", "#88B1D2", "#6796C0", "#4A7DAA"],
)

# One colour per descending point, distinct from each other and from the height scale
# (tests/test_theme.py measures both). Dark: warm and bright. Light: saturated and
# deep enough for 3:1 on white (crimson, ochre, orange, charcoal, magenta, olive, pink,
# brown, green, violet, maroon, teal); on the map they differ from it in hue, and the
# dots carry a white outline.
POINT_COLORS = themed_list(
    ["#FF4D6D", "#FFD23F", "#FF8C42", "#FFFFFF", "#F72585", "#C6F432", "#FF9EBB", "#E9C46A", "#FF5400", "#D0A2F7", "#FFB4A2", "#FB6F92"],
    ["#D1193E", "#9A6700", "#E0560B", "#262626", "#B0179A", "#4F7A00", "#E0468A", "#7A4A1E", "#1E8449", "#6A3FC1", "#8E1B1B", "#00796B"],
)

# --- type ---------------------------------------------------------------------
FONT = "DejaVu Sans"
TITLE_SIZE = 40
LABEL_SIZE = 28
READOUT_SIZE = 26
SMALL_SIZE = 22

# --- strokes and marks --------------------------------------------------------------
AXIS_STROKE = 2.0
PATH_STROKE = 3.5
PATH_STROKE_3D = 3.0
DOT_RADIUS = 0.075
DOT_OUTLINE = BACKGROUND
DOT_OUTLINE_STROKE = 1.5
SURFACE_STROKE = 0.6  # thin strokes in the face colour hide seams between faces
SURFACE_OPACITY = 1.0
# Share of manim's 3-D lighting (it adds up to +0.5 to a face's rgb): all of it on a dark
# page; on a white one it would bleach the surface's high (dark) faces to the page's white.
SURFACE_LIGHTING = {"dark": 1.0, "light": 0.35}


def surface_lighting() -> float:
    """The share of manim's 3-D lighting in the theme in force."""
    return SURFACE_LIGHTING[current()]

# --- 3-D view -----------------------------------------------------------------------
CAMERA_PHI_DEG = 62
CAMERA_THETA_DEG = -50
CAMERA_ZOOM = 1.0
# Paths float this far above the surface so they are never buried in it.
PATH_LIFT = 0.04

# --- timing (seconds) ---------------------------------------------------------
INTRO_TIME = 1.0
DESCENT_TIME = 6.0
HOLD_TIME = 2.0

# --- convex, minima, field ------------------------------------------------------
CURVE = themed("#C8CED9", "#3A4150")  # the function's graph in 1-D figures
CURVE_STROKE = 4.0
FIELD_ARROW = themed("#CFE4FF", "#1D3557")  # gradient-field arrows: light, to read on the dark map
FIELD_ARROW_STROKE = 2.5
CRUMB_OPACITY = 0.35  # earlier positions left behind by a stepping dot
START_RING_STROKE = 2.5
VERDICT_RING_STROKE = 4.0
VERDICT_RING_RADIUS = 2.2 * DOT_RADIUS

# --- learning rates (lr_small, lr_good, lr_large, lr_unstable, learning_rates) ----------
# (their strokes, gaps and timing are class attributes in scenes/learning_rates.py)
LR_PATH = POINT_COLORS[1]  # the descent path and its loss curve: warm, on the cool contours
LR_OFF_MAP = PREDICTION  # the arrowhead on the window's edge where a runaway point went
LR_DIVERGED = PREDICTION
LR_WINDOW = AXIS  # the frame of the contour window (the clip box)
# shared: components.ClippedSteps and components.minimum_ring draw these marks
LR_STEP_DOT_RADIUS = 0.035  # a dot at every step reached
LR_HEAD_RADIUS = 0.08  # the moving point
LR_MARKER_SIZE = 0.26  # length of the off-window arrowhead
LR_MIN_RING_RADIUS = 0.09  # the ring marking the minimum
LR_TICK_SIZE = 20
LR_QUARTER_TICK_SIZE = 18  # tick labels in the 2 x 2 overview
LR_QUARTER_TITLE_SIZE = 24

# --- regression (linear_data, linear_fit, parabolic_data, parabolic_fit, loss_compare, result) ---
# (their strokes, marks, gaps and timings are class attributes in scenes/regression.py)
REG_LINEAR = SAMPLE  # loss_compare: the linear data's curve
REG_PARABOLIC = LOCAL_MIN  # ... and the parabolic data's (warm: the high minimum)
REG_TICK_SIZE = 20  # also components.framed_plot's tick labels

# --- web pages (the gallery, index.html): CSS font sizes in px ---
PAGE_TEXT_PX = 16
PAGE_HEADING_PX = 20
PAGE_SMALL_PX = 14  # a figure's facts line

# --- optimizers (optimizers, saddle) ----------------------------------------------------
# One colour per update rule, the same on paths, loss curves and legend; bright and far
# apart in hue, so they read on the dark page and on the dimmed height map.
OPT_SGD = themed("#F2F2F2", "#2B2F36")  # plain descent: white
OPT_MOMENTUM = themed("#FF9F1C", "#C4520A")  # orange
OPT_NESTEROV = themed("#FF4FD8", "#C2188B")  # magenta
OPT_RMSPROP = themed("#B8F34A", "#4D8B00")  # lime
OPT_ADAM = themed("#29D8FF", "#6A3FC1")  # cyan (violet on a light page: blue would sink into the map)
OPT_COLORS = {"SGD": OPT_SGD, "Momentum": OPT_MOMENTUM, "Nesterov": OPT_NESTEROV,
              "RMSProp": OPT_RMSPROP, "Adam": OPT_ADAM}
OPT_TICK_SIZE = 20
OPT_LEGEND_SIZE = 22
OPT_VERDICT_SIZE = 26
# (their layout numbers, marks and timings are class attributes of OptimizerRace and SaddleEscape)

# --- layout (scene units) and shared marks -----------------------------------------------
EDGE_BUFF = 0.3  # a title's gap to the frame's top edge
HEADING_GAP = 0.6  # between a title and its formula
FORMULA_SCALE = 1.3  # a heading's formula, relative to LABEL_SIZE
RULE_SCALE = 1.2  # an update rule or a bowl's formula set beside a readout
FORMULA_SIZE = LABEL_SIZE * FORMULA_SCALE
RULE_SIZE = LABEL_SIZE * RULE_SCALE
READOUT_LINE_GAP = 0.18  # between the lines of a readout
LEGEND_GAP = 0.2  # between a legend's mark and its text
LEGEND_SWATCH = 0.5  # length of a legend's line swatch
LEGEND_SWATCH_STROKE = PATH_STROKE * 1.5
ARROW_HEAD_RATIO = 0.4  # an arrow's head: this share of its length ...
ARROW_HEAD_ASPECT = 0.9  # ... and width / length
MARKER_ASPECT = 1.1  # the off-window arrowhead: width / length
VERDICT_TIME = 0.6  # a verdict line fading in at the end
VERDICT_RISE = 0.2  # ... rising this far as it does
SIDE_MARGIN = 0.5  # panels' gap to the frame's left or right edge
TICK_LABEL_BUFF = 0.15  # a log axis' tick label to its tick
FRAME_TICK_BUFF = 0.12  # a framed plot's tick label to its frame
FRAME_X_NAME_BUFF = 0.08  # a framed plot's axis names beyond its tick labels
FRAME_Y_NAME_BUFF = 0.15
HEADING_ROW_EDGE_BUFF = 0.25  # a heading with a second part (a subtitle, a counter) to the top edge
BODY_GAP = 0.3  # a figure's body (its map or plots) under the heading
SIDE_PANEL_GAP = 0.8  # a plot or map to the side panel (key, counter, readout) on its right
LEGEND_ROW_GAP = 0.3  # between a legend's entries, one under the other
VIEW_CAPTION_GAP = 0.2  # "from above" under a top-down map
LOSS_AXIS_NAME_BUFF = 0.15  # "loss" over a log loss axis, "step" beyond its step axis

# --- the playground page: CSS font sizes (rem) and canvas marks (CSS px) --------------------
PLAY_FONT_REM = {
    "title": 1.4,
    "title-phone": 1.2,
    "formula": 1.0,
    "readout": 1.15,
    "readout-phone": 1.05,
    "control": 0.95,  # buttons and the readout's position line
    "key": 0.75,  # the keyboard shortcut under a button
    "note": 0.85,  # the colour bar and the hint
    "status": 0.9,
}
PLAY_TICK_PX = 11  # the map's tick labels (canvas text)
PLAY_MARKS_PX = {
    "startRadius": 3.5,  # the ring left at a point's start
    "dotRadius": 6,  # a point
    "ringRadius": 10,  # the ring around the latest point
    "arrowHead": 10,  # the gradient arrow's longest head
    "pathWidth": 2.5,
    "arrowWidth": 2.5,
    "outlineWidth": 1.5,  # rings and the dots' outlines
    "lineWidth": 1,  # the frame, ticks and contours
    "zeroContourWidth": 1.4,  # the contour f = 0
    "offMapArrow": 13,  # the arrowhead on the map's edge where a point ran off (as lr_unstable's)
}

# --- batched descent marks (components.BatchedMarks) ------------------------------------
BEHIND_OPACITY = 0.22  # a dot or trail the 3-D surface hides: faded, not gone

# --- basins ----------------------------------------------------------------------------
# One colour per minimum of sin x sin y (gdmath lists 8); neighbours differ.
BASIN_COLORS = themed_list(
    ["#FF6B6B", "#4ECDC4", "#FFD166", "#A78BFA", "#06D6A0", "#F78C6B", "#118AB2", "#EF476F"],
    ["#D62839", "#138A86", "#A87A00", "#6D4FD8", "#0A9B6E", "#D9622B", "#7B4B2A", "#C2185B"],
)
BASIN_UNSETTLED = themed("#2A3140", "#B8C0CC")  # a start still on a saddle or ridge: the grid's colour
# (the basins' sizes, opacity and timing are class attributes of BasinsScene)
# Past this many points, full-size dots are stamped as pre-drawn sprites (numpy) instead of
# one Cairo circle each; below it they are drawn exactly as manim draws a Dot.
STAMP_DOTS_ABOVE = 64
