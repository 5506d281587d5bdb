"""Pieces every figure shares: themed axes and titles, height colouring and heat
maps, descending dots with their trails, arrow fields, clipped step paths, log axes,
and readouts that are typeset once and recomposed from glyph outlines.

Components map gdmath's arrays to the screen; they never compute the descent.
"""

from __future__ import annotations

import math
from typing import Callable, Sequence

import numpy as np
from manim import (
    DL,
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Animation,
    Axes,
    Circle,
    Dot,
    Ellipse,
    ImageMobject,
    LogBase,
    MathTex,
    Mobject,
    Scene,
    Text,
    ThreeDAxes,
    ValueTracker,
    VGroup,
    VMobject,
    linear,
    rgb_to_color,
)

from scenes import theme


class ThemedScene(Scene):
    """A 2-D scene on the project's background."""

    def setup(self) -> None:
        self.camera.background_color = theme.BACKGROUND


def title(text: str) -> Text:
    """The figure's title (the post's caption), at the top edge."""
    return Text(text, font=theme.FONT, font_size=theme.TITLE_SIZE, color=theme.TEXT).to_edge(UP, buff=0.3)


def label(text: str, size: int = theme.LABEL_SIZE, color=theme.MUTED_TEXT) -> Text:
    return Text(text, font=theme.FONT, font_size=size, color=color)


def plane_axes(
    x_range: Sequence[float], y_range: Sequence[float], x_length: float, y_length: float, ticks: bool = True
) -> Axes:
    """2-D axes in the theme; ranges are ``(min, max, tick step)``."""
    return Axes(
        x_range=x_range,
        y_range=y_range,
        x_length=x_length,
        y_length=y_length,
        tips=False,
        axis_config={"color": theme.AXIS, "stroke_width": theme.AXIS_STROKE, "include_ticks": ticks},
    )


def surface_axes(
    x_range: Sequence[float], y_range: Sequence[float], z_range: Sequence[float], lengths: Sequence[float]
) -> ThreeDAxes:
    """3-D axes in the theme; ``lengths`` are the (x, y, z) lengths on screen."""
    x_length, y_length, z_length = lengths
    return ThreeDAxes(
        x_range=x_range,
        y_range=y_range,
        z_range=z_range,
        x_length=x_length,
        y_length=y_length,
        z_length=z_length,
        tips=False,
        axis_config={"color": theme.AXIS, "stroke_width": theme.AXIS_STROKE, "include_ticks": False},
    )


def height_rgb(values: np.ndarray, low: float, high: float) -> np.ndarray:
    """Colour ``values`` on the theme's height scale: ``(...)`` -> ``(..., 3)`` floats in [0, 1]."""
    stops = np.array([c.to_rgb() for c in theme.HEIGHT_SCALE])
    position = np.clip((values - low) / (high - low), 0.0, 1.0) * (len(stops) - 1)
    knots = np.arange(len(stops))
    return np.stack([np.interp(position, knots, stops[:, k]) for k in range(3)], axis=-1)


def colorscale(low: float, high: float) -> list[tuple]:
    """The height scale as manim's ``(colour, value)`` pivots, for ``Surface.set_fill_by_value``."""
    pivots = np.linspace(low, high, len(theme.HEIGHT_SCALE))
    return list(zip(theme.HEIGHT_SCALE, pivots))


def heat_map(axes: Axes, heights: np.ndarray, low: float, high: float) -> ImageMobject:
    """An image of ``heights`` (``(nx, ny)``, indexed ``[i, j]`` over the axes' x and y
    ranges) coloured by height and stretched over ``axes``' plotting area."""
    rgb = height_rgb(heights, low, high)
    # image rows run top to bottom (y descending), columns left to right (x ascending)
    rgba = np.concatenate([rgb, np.ones(rgb.shape[:-1] + (1,))], axis=-1)
    pixels = (np.transpose(rgba, (1, 0, 2))[::-1] * 255).round().astype(np.uint8)
    image = ImageMobject(pixels)
    x0, x1 = axes.x_range[:2]
    y0, y1 = axes.y_range[:2]
    lower_left, upper_right = axes.c2p(x0, y0), axes.c2p(x1, y1)
    image.stretch_to_fit_width(upper_right[0] - lower_left[0])
    image.stretch_to_fit_height(upper_right[1] - lower_left[1])
    image.move_to((lower_left + upper_right) / 2)
    return image


class DescentMarks(VGroup):
    """Dots and their trails following a precomputed descent on screen.

    ``screen_points`` is ``(steps + 1, n, 3)``: the history already mapped to scene
    coordinates. The marks show step ``tracker.get_value()`` (fractional values
    interpolate between steps); the updater only indexes the array.
    """

    def __init__(
        self,
        screen_points: np.ndarray,
        tracker: ValueTracker,
        colors: Sequence,
        stroke_width: float = theme.PATH_STROKE,
        dot_radius: float = theme.DOT_RADIUS,
    ) -> None:
        super().__init__()
        self.screen_points = np.asarray(screen_points, dtype=float)
        self.tracker = tracker
        n = self.screen_points.shape[1]
        self.trails = VGroup(
            *(VMobject(stroke_color=colors[i % len(colors)], stroke_width=stroke_width) for i in range(n))
        )
        self.dots = VGroup(
            *(
                Dot(
                    radius=dot_radius,
                    color=colors[i % len(colors)],
                    stroke_color=theme.DOT_OUTLINE,
                    stroke_width=theme.DOT_OUTLINE_STROKE,
                )
                for i in range(n)
            )
        )
        self.add(self.trails, self.dots)
        self.show_step(0.0)
        self.add_updater(lambda marks: marks.show_step(marks.tracker.get_value()))

    def position(self, t: float) -> np.ndarray:
        """Screen positions at fractional step ``t``: ``(n, 3)``."""
        last = self.screen_points.shape[0] - 1
        t = float(np.clip(t, 0, last))
        k = min(int(t), last - 1) if last > 0 else 0
        frac = t - k if last > 0 else 0.0
        here = self.screen_points[k]
        there = self.screen_points[min(k + 1, last)]
        return here + frac * (there - here)

    def show_step(self, t: float) -> None:
        now = self.position(t)
        done = int(np.clip(np.floor(t), 0, self.screen_points.shape[0] - 1))
        for i, (dot, trail) in enumerate(zip(self.dots, self.trails)):
            dot.move_to(now[i])
            corners = np.vstack([self.screen_points[: done + 1, i], now[i : i + 1]])
            trail.set_points_as_corners(corners)


# --- convex, minima, field ----------------------------------------------------------


def readout(lines: Sequence[str], size: int = theme.READOUT_SIZE, color=theme.TEXT) -> VGroup:
    """Lines of text stacked and left-aligned, e.g. a value readout rebuilt once per step."""
    rows = VGroup(*(label(line, size=size, color=color) for line in lines))
    return rows.arrange(DOWN, aligned_edge=LEFT, buff=0.18)


def legend_entry(mark: Mobject, text: str, size: int = theme.SMALL_SIZE) -> VGroup:
    """A key of a legend: ``mark`` with ``text`` to its right."""
    return VGroup(mark, label(text, size=size)).arrange(RIGHT, buff=0.2)


class ArrowField(VGroup):
    """Many arrows as two VMobjects: every shaft in one stroked path, every head in
    one filled path.

    Cairo draws the whole field in two calls; 225 manim ``Arrow``s are ~450 mobjects
    (~45 ms a frame at 720p to draw or fade in, against ~2 ms for this).
    ``starts`` and ``ends`` ``(n, 3)`` are the arrows in scene coordinates; heads are
    ``head_ratio`` of an arrow's length (at most ``max_head`` long), so length shows
    magnitude. :meth:`put` moves them without building anything (e.g. in an updater).
    """

    head_ratio = 0.4
    head_aspect = 0.9  # head width / head length

    def __init__(
        self, starts: np.ndarray, ends: np.ndarray, color, stroke_width: float, max_head: float = np.inf
    ) -> None:
        super().__init__()
        self.max_head = max_head
        self.shafts = VMobject(stroke_color=color, stroke_width=stroke_width, fill_opacity=0.0)
        self.heads = VMobject(fill_color=color, fill_opacity=1.0, stroke_width=0.0)
        self.add(self.shafts, self.heads)
        self.put(starts, ends)

    def put(self, starts: np.ndarray, ends: np.ndarray) -> ArrowField:
        """Redraw the arrows from ``starts`` to ``ends`` (both ``(n, 3)``)."""
        self.starts = np.asarray(starts, dtype=float).reshape(-1, 3)
        self.ends = np.asarray(ends, dtype=float).reshape(-1, 3)
        vectors = self.ends - self.starts
        lengths = np.linalg.norm(vectors, axis=-1, keepdims=True)
        along = vectors / np.maximum(lengths, 1e-300)
        across = np.stack([-along[:, 1], along[:, 0], np.zeros(len(along))], axis=-1)
        head = np.minimum(self.head_ratio * lengths, self.max_head)
        base = self.ends - along * head
        left = base + across * head * self.head_aspect / 2
        right = base - across * head * self.head_aspect / 2
        self.shafts.set_points(_line_curves(self.starts, base).reshape(-1, 3))
        triangles = [
            _line_curves(self.ends, left),
            _line_curves(left, right),
            _line_curves(right, self.ends),
        ]
        self.heads.set_points(np.concatenate(triangles, axis=1).reshape(-1, 3))
        return self


def gradient_arrows(
    axes: Axes,
    points: np.ndarray,
    vectors: np.ndarray,
    longest: float,
    color=theme.FIELD_ARROW,
    stroke_width: float = theme.FIELD_ARROW_STROKE,
) -> ArrowField:
    """One arrow per point for a vector field, centred on its point.

    ``points`` and ``vectors`` are ``(..., 2)`` in the axes' coordinates (e.g. from
    ``gdmath.gradient_field``). Each arrow points along its vector as the axes show
    it; the longest vector gets ``longest`` scene units and the others scale with
    their magnitude, so length shows magnitude. Zero vectors get no arrow.
    """
    points = np.asarray(points, dtype=float).reshape(-1, 2)
    vectors = np.asarray(vectors, dtype=float).reshape(-1, 2)
    magnitude = np.linalg.norm(vectors, axis=-1)
    keep = magnitude > 1e-9 * max(float(magnitude.max(initial=0.0)), 1e-300)
    points, vectors, magnitude = points[keep], vectors[keep], magnitude[keep]
    if not len(points):
        return ArrowField(np.zeros((0, 3)), np.zeros((0, 3)), color, stroke_width)
    centres = axes.c2p(points).reshape(-1, 3)
    on_screen = axes.c2p(points + vectors).reshape(-1, 3) - centres  # the axes map is affine
    lengths = longest * magnitude / magnitude.max()
    directions = on_screen / np.maximum(np.linalg.norm(on_screen, axis=-1, keepdims=True), 1e-300)
    halves = directions * (lengths / 2)[:, None]
    return ArrowField(centres - halves, centres + halves, color, stroke_width)


# --- learning rates (lr_small, lr_good, lr_large, lr_unstable, learning_rates) ----------

_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
_MINUS = "\u2212"


def power_of_ten(exponent: int) -> str:
    """A power of ten as plain text for a tick label (no LaTeX needed).

    >>> power_of_ten(-8), power_of_ten(18)
    ('10⁻⁸', '10¹⁸')
    """
    return "10" + str(int(exponent)).translate(_SUPERSCRIPT)


def sci(value: float, digits: int = 3) -> str:
    """A number for a readout with ``digits`` significant digits: plain from 0.01 up to
    ``10 ** digits``, else ``m × 10ᵏ``.

    >>> sci(0.74681), sci(4.5), sci(291.9), sci(291.9, 2), sci(1.0187e18), sci(-6.4e8, 2), sci(0.0)
    ('0.747', '4.5', '292', '2.9 × 10²', '1.02 × 10¹⁸', '−6.4 × 10⁸', '0')
    """
    value = float(value)
    if value == 0 or not math.isfinite(value):
        text = f"{value:g}"
    elif 1e-2 <= abs(value) < 10.0**digits:
        text = f"{value:.{digits}g}"
    else:
        mantissa, exponent = f"{value:.{digits - 1}e}".split("e")
        text = f"{mantissa} × {power_of_ten(int(exponent))}"
    return text.replace("-", _MINUS)


def decade_range(values, floor: float, max_intervals: int) -> tuple[int, int, int]:
    """Exponents ``(lo, hi, step)`` for a log axis over the positive ``values`` that reaches
    down at least to ``floor``; ``step`` is 1, 2, 4, ... so that there are at most
    ``max_intervals`` ticks gaps, and ``lo``, ``hi`` are multiples of it.

    >>> decade_range([4.5, 0.75], 1e-8, 7)
    (-8, 2, 2)
    >>> decade_range([4.5, 1.02e18], 1e-8, 7)
    (-8, 20, 4)
    """
    values = np.asarray(values, dtype=float)
    positive = values[np.isfinite(values) & (values > 0)]
    lo = math.floor(math.log10(min(positive.min(initial=floor), floor)))
    hi = max(math.ceil(math.log10(positive.max(initial=floor))), lo + 1)
    step = 1
    while math.ceil(hi / step) - math.floor(lo / step) > max_intervals:
        step *= 2
    return step * math.floor(lo / step), step * math.ceil(hi / step), step


def log_axes(
    x_range: Sequence[float], decades: tuple[int, int, int], x_length: float, y_length: float
) -> Axes:
    """2-D axes in the theme whose y axis is logarithmic over the powers of ten
    ``decades = (lo, hi, step)``; ``c2p(x, value)`` takes the values themselves."""
    lo, hi, step = decades
    return Axes(
        x_range=x_range,
        y_range=[lo, hi, step],
        x_length=x_length,
        y_length=y_length,
        tips=False,
        axis_config={"color": theme.AXIS, "stroke_width": theme.AXIS_STROKE},
        y_axis_config={"scaling": LogBase()},
    )


def tick_labels(
    axes: Axes, xs: Sequence[float], exponents: Sequence[int], size: int = theme.LR_TICK_SIZE
) -> VGroup:
    """Labels under the x ticks at ``xs`` and, left of the y ticks, ``10ᵏ`` for each of
    ``exponents`` (the y axis is a :func:`log_axes` one)."""
    y_floor = 10.0 ** axes.y_range[0]
    x_labels = (
        label(f"{x:g}", size=size).next_to(axes.c2p(x, y_floor), DOWN, buff=0.15) for x in xs
    )
    y_labels = (
        label(power_of_ten(k), size=size).next_to(
            axes.c2p(axes.x_range[0], 10.0**k), LEFT, buff=0.15
        )
        for k in exponents
    )
    return VGroup(*x_labels, *y_labels)


def ellipse_contours(
    axes: Axes, semi_axes: np.ndarray, colors: np.ndarray, stroke_width: float
) -> VGroup:
    """Axis-aligned ellipses about the axes' origin: ``semi_axes`` ``(n, 2)`` in the axes'
    units (e.g. from ``gdmath.bowl_contours``), ``colors`` ``(n, 3)`` rgb floats."""
    centre = axes.c2p(0, 0)
    on_screen = np.abs(axes.c2p(np.asarray(semi_axes, dtype=float)) - centre)  # the map is affine
    return VGroup(
        *(
            Ellipse(
                width=2 * w, height=2 * h, color=rgb_to_color(rgb), stroke_width=stroke_width
            ).move_to(centre)
            for (w, h, _), rgb in zip(on_screen, colors)
        )
    )


class GlyphSet:
    """Outlines and advances of some characters in the theme font, typeset once.

    Building a ``Text`` costs ~35 ms (Pango, then SVG parsing), so readouts rebuilt at
    every step of four panels cost seconds per render. A GlyphSet typesets every
    character it may need in one ``Text``, each between two "0"s, measures where the pen
    goes after each (spaces included), and then lays out any string of them by copying
    outlines: no Pango, no SVG. Kerning is ignored (the theme font does not kern the
    readouts' digits and symbols).
    """

    def __init__(self, chars: str, size: int, color) -> None:
        others = sorted(set(chars) - {"0"})
        specimen = label("00" + "".join(c + "0" for c in others), size=size, color=color)
        glyphs = list(specimen.submobjects)  # one per visible character, in order
        self.style = glyphs[0]
        base = glyphs[0].get_bottom()[1]  # "0" sits on the baseline
        left = [g.get_left()[0] for g in glyphs]
        zero_advance = left[1] - left[0]
        self.outline = {"0": glyphs[0].points - np.array([left[0], base, 0.0])}
        self.advance = {" ": 0.0, "0": zero_advance}
        i = 1  # the "0" before the next character
        for c in others:
            pen = left[i] + zero_advance
            if not c.isspace():
                self.outline[c] = glyphs[i + 1].points - np.array([pen, base, 0.0])
                i += 1
            self.advance[c] = left[i + 1] - pen
            i += 1

    def lay_out(self, text: str) -> list[np.ndarray]:
        """The outlines of ``text``'s visible characters, ``(k, 3)`` arrays each, with the
        pen starting at the origin on the baseline."""
        unknown = sorted(set(text) - set(self.advance))
        if unknown:
            raise ValueError(f"no glyph for {''.join(unknown)!r}; typeset them in the GlyphSet")
        pen, outlines = 0.0, []
        for c in text:
            if c in self.outline:
                outlines.append(self.outline[c] + np.array([pen, 0.0, 0.0]))
            pen += self.advance[c]
        return outlines


class GlyphReadout(VMobject):
    """A one-line readout of ``texts[key()]``, recomposed from a :class:`GlyphSet` only
    when ``key()`` changes; a negative key hides it (the last text stays, transparent).

    All glyphs are one VMobject (one path per glyph contour), so a frame draws it in one
    go. ``texts`` are all the strings it may show. Place it after creation; its
    ``aligned_edge`` corner stays where it was put (``DL``: the baseline stays and the
    text grows to the right; ``UR``: it grows to the left). ``.shown`` is the key shown.
    """

    def __init__(
        self,
        key: Callable[[], int],
        texts: Sequence[str],
        size: int = theme.READOUT_SIZE,
        color=theme.TEXT,
        aligned_edge: np.ndarray = DL,
    ) -> None:
        super().__init__()
        self.texts = list(texts)
        self.glyphs = GlyphSet("".join(self.texts), size, color)
        self.match_style(self.glyphs.style)
        self.key, self.aligned_edge = key, aligned_edge
        self.shown = key()
        self.compose(max(self.shown, 0))
        self.set_fill(opacity=1.0 if self.shown >= 0 else 0.0)
        self.add_updater(lambda readout: readout.follow())

    def compose(self, k: int) -> None:
        outlines = self.glyphs.lay_out(self.texts[k])
        corner = self.get_critical_point(self.aligned_edge) if self.has_points() else None
        self.set_points(np.vstack(outlines) if outlines else np.zeros((0, 3)))
        if corner is not None and self.has_points():
            self.shift(corner - self.get_critical_point(self.aligned_edge))

    def follow(self) -> None:
        k = self.key()
        if k == self.shown:
            return
        if k >= 0:
            self.compose(k)
        self.set_fill(opacity=1.0 if k >= 0 else 0.0)
        self.shown = k


def step_readout(
    tracker: ValueTracker,
    last: int,
    text_of: Callable[[int], str],
    size: int = theme.READOUT_SIZE,
    color=theme.TEXT,
    aligned_edge: np.ndarray = DL,
) -> GlyphReadout:
    """``text_of(k)`` for the step ``k`` the tracker has reached (rounded down, at most
    ``last``), e.g. ``lambda k: f"loss {sci(values[k])}"``; recomposed once per step."""

    def reached() -> int:
        return int(np.clip(np.floor(tracker.get_value() + 1e-9), 0, last))

    return GlyphReadout(reached, [text_of(k) for k in range(last + 1)], size, color, aligned_edge)


def run_steps(tracker: ValueTracker, last: float, run_time: float) -> Animation:
    """The descent itself: ``tracker`` runs from where it is to step ``last`` at an even
    pace (every step takes the same time); the marks and readouts follow it."""
    return tracker.animate(run_time=run_time, rate_func=linear).set_value(last)


def step_counter(tracker: ValueTracker, total: int) -> GlyphReadout:
    """``step k / total`` for the step the tracker has reached, left-anchored on its
    baseline; typeset once, recomposed from glyph outlines when ``k`` changes. It stays
    one mobject throughout, so a 3-D scene can fix it in the frame once."""
    return step_readout(tracker, total, lambda k: f"step {k} / {total}")


def _line_curves(start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Straight segments as cubic Bézier control points: ``(..., 3)`` twice -> ``(..., 4, 3)``."""
    thirds = np.array([0.0, 1.0, 2.0, 3.0])[:, None] / 3.0
    return start[..., None, :] + thirds * (end - start)[..., None, :]


def _arrowheads(axes: Axes, tips: np.ndarray, headings: np.ndarray, size: float) -> np.ndarray:
    """Filled triangles with their tips at ``tips`` pointing along ``headings`` (both
    ``(n, 2)`` in the axes' units), as Bézier points ``(n, 12, 3)``; a zero heading
    gives a degenerate (invisible) triangle."""
    tip = axes.c2p(tips)
    direction = axes.c2p(tips + headings) - tip
    length = np.linalg.norm(direction, axis=-1, keepdims=True)
    direction = np.divide(direction, length, out=np.zeros_like(direction), where=length > 0)
    across = np.stack([-direction[:, 1], direction[:, 0], np.zeros(len(tip))], axis=-1)
    back = tip - size * direction
    corners = np.stack([tip, back + 0.55 * size * across, back - 0.55 * size * across, tip], axis=1)
    return _line_curves(corners[:, :-1], corners[:, 1:]).reshape(len(tip), 12, 3)


class ClippedSteps(VGroup):
    """A descent drawn step by step inside a window, and honest when it runs away.

    A dot marks every step reached inside the window, straight segments join the steps
    (clipped to the window), a larger head moves along the current step, and while the
    point is outside the window an arrowhead on the window's edge points where it went.

    ``points`` is the path ``(steps + 1, 2)`` in ``axes``' coordinates and ``clipped`` is
    ``gdmath.clip_path(points, low, high)`` for the window ``axes`` shows. Everything is
    mapped to the screen here, once; the updater only indexes these arrays and
    interpolates within the current step (as :class:`DescentMarks` does).
    ``off_map`` is the step whose point the arrowhead stands for, or -1.
    """

    def __init__(
        self,
        axes: Axes,
        points: np.ndarray,
        clipped,
        tracker: ValueTracker,
        color=theme.LR_PATH,
        stroke_width: float = theme.PATH_STROKE,
        dot_radius: float = theme.LR_STEP_DOT_RADIUS,
        head_radius: float = theme.LR_HEAD_RADIUS,
        marker_size: float = theme.LR_MARKER_SIZE,
    ) -> None:
        super().__init__()
        points = np.asarray(points, dtype=float)
        self.tracker = tracker
        self.last = points.shape[0] - 1
        self.t_in, self.t_out, self.visible, self.inside = (
            clipped.t_in,
            clipped.t_out,
            clipped.visible,
            clipped.inside,
        )
        start, move = points[:-1], np.diff(points, axis=0)
        # where each step enters and leaves the window, on screen: (steps, 3) each
        self.enter = axes.c2p(start + self.t_in[:, None] * move).reshape(-1, 3)
        self.leave = axes.c2p(start + self.t_out[:, None] * move).reshape(-1, 3)
        self.segments = _line_curves(self.enter, self.leave)  # (steps, 4, 3)
        shown_at = axes.c2p(clipped.edge).reshape(-1, 3)  # the point itself when inside
        self.step_dots_points = shown_at[:, None, :] + Circle(radius=dot_radius).points[None]
        self.markers = _arrowheads(axes, clipped.edge, clipped.heading, marker_size)

        self.trail = VMobject(stroke_color=color, stroke_width=stroke_width)
        self.step_dots = VMobject(fill_color=color, fill_opacity=1.0, stroke_width=0)
        self.head = Dot(
            radius=head_radius,
            color=color,
            stroke_color=theme.DOT_OUTLINE,
            stroke_width=theme.DOT_OUTLINE_STROKE,
        )
        self.head.move_to(shown_at[0])
        self.marker = VMobject(fill_color=theme.LR_OFF_MAP, fill_opacity=1.0, stroke_width=0)
        self.add(self.trail, self.step_dots, self.head, self.marker)
        self.off_map = -1
        self.show_step(0.0)
        self.add_updater(lambda steps: steps.show_step(steps.tracker.get_value()))

    def show_step(self, t: float) -> None:
        t = float(np.clip(t, 0, self.last))
        reached = int(np.floor(t + 1e-9))
        reached_dots = self.step_dots_points[: reached + 1][self.inside[: reached + 1]]
        self.step_dots.set_points(reached_dots.reshape(-1, 3))
        if self.last == 0:
            self.show_head(inside=bool(self.inside[0]), step=0)
            return
        k = min(reached, self.last - 1)
        frac = t - k
        trail = self.segments[:k][self.visible[:k]].reshape(-1, 3)
        t_in, t_out = self.t_in[k], self.t_out[k]
        head_inside = bool(self.visible[k] and t_in <= frac <= t_out)
        if self.visible[k] and frac >= t_in:
            share = (min(frac, t_out) - t_in) / (t_out - t_in) if t_out > t_in else 0.0
            end = self.enter[k] + share * (self.leave[k] - self.enter[k])
            trail = np.vstack([trail, _line_curves(self.enter[k], end)])
            if head_inside:
                self.head.move_to(end)
        self.trail.set_points(trail)
        self.show_head(inside=head_inside, step=k + 1 if frac > t_out else k)

    def show_head(self, inside: bool, step: int) -> None:
        """Show the head (already in place) when ``inside``, else the arrowhead for ``step``."""
        self.head.set_opacity(1.0 if inside else 0.0)
        self.marker.set_points(np.zeros((0, 3)) if inside else self.markers[step])
        self.off_map = -1 if inside else step


# --- convex, minima, field (continued) ----------------------------------------------


def heading(caption: str, tex: str) -> VGroup:
    """The figure's title (the post's caption) with the function's formula beside it, at the top."""
    formula = MathTex(tex, font_size=theme.LABEL_SIZE * 1.3, color=theme.MUTED_TEXT)
    titled = VGroup(title(caption), formula).arrange(RIGHT, buff=0.6, aligned_edge=DOWN)
    return titled.to_edge(UP, buff=0.3)


def merged_ink(mobject: Mobject) -> VMobject:
    """Every outline of ``mobject``'s family in one VMobject, styled like its first part.

    For something of one colour (a ``Text``, a group of same-coloured dots) this draws
    in one Cairo call instead of one per glyph or dot, which matters for things
    redrawn on every frame. Parts do not overlap, so filling them together changes
    nothing.
    """
    parts = mobject.family_members_with_points()
    ink = VMobject()
    if parts:
        ink.match_style(parts[0])
        ink.set_points(np.concatenate([part.points for part in parts]))
    return ink
