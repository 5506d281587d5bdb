"""Pieces every figure shares: themed axes, titles, height colouring, heat maps,
descending dots with their trails, and readouts.

Components map gdmath's arrays to the screen; they never compute the descent.
"""

from __future__ import annotations

from typing import Callable, Sequence

import numpy as np
from manim import (
    LEFT,
    UP,
    Axes,
    Dot,
    ImageMobject,
    Mobject,
    Scene,
    Text,
    ThreeDAxes,
    ValueTracker,
    VGroup,
    VMobject,
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


def step_counter(tracker: ValueTracker, total: int, on_change: Callable[[Mobject], None] | None = None) -> Text:
    """``step k / total`` that follows ``tracker`` (rounded down), left-anchored.

    ``on_change(counter)`` runs after the text is rebuilt (a 3-D scene uses it to keep
    the new glyphs fixed in the frame).
    """

    def text(k: int) -> Text:
        return label(f"step {k} / {total}", size=theme.READOUT_SIZE, color=theme.TEXT)

    counter = text(0)
    counter.shown = 0

    def follow(mob: Text) -> None:
        k = int(np.floor(tracker.get_value() + 1e-9))
        if k != mob.shown:
            left = mob.get_left()
            mob.become(text(k)).move_to(left, aligned_edge=LEFT)
            mob.shown = k
            if on_change is not None:
                on_change(mob)

    counter.add_updater(follow)
    return counter
