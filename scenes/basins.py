"""Basins: a whole plane of starts descends sin x sin y, then each start's cell takes
the colour of the minimum it reached.

The post: "depending on where the points start they have a destined minimum they'll
end up in." Twelve starts hint at it; a dense grid of starts shows it: the basins of
attraction tile the plane, and the ridges and saddles between them are their borders.
A start that is still on a saddle or a ridge when the steps run out keeps the grid's
colour; the readout counts both kinds of end (gdmath.count_ends).

Render with ``python render.py --scene basins``.

Speed: thousands of dots and trails are one :class:`~scenes.components.BatchedMarks`
(finished trail segments are drawn once into a layer), so a frame costs about what
the twelve-point figures cost.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, FadeIn, ImageMobject, VGroup, smooth
from manim.constants import RESAMPLING_ALGORITHMS

import gdmath
from gdmath import SIN_HILLS
from scenes import components, figure, theme
from scenes.captions import Captioned, milestones
from scenes.params import param, positive, whole


@dataclass(frozen=True)
class BasinsParams:
    """A ``per_side x per_side`` grid of starts over ``[-start_box, start_box]^2``
    (cell centres), descending ``steps`` steps of size ``alpha``; the map spans ``[-view, view]^2``."""

    per_side: int = param(60, whole(2, 120))
    alpha: float = param(0.1, positive())
    steps: int = param(80, whole(1, 10_000))
    start_box: float = param(np.pi, positive())
    view: float = param(5.0, positive())
    map_pixels: int = param(360, whole(2, 2000))


def basin_starts(p) -> np.ndarray:
    """The grid of starts: cell centres of a ``per_side x per_side`` grid over
    ``[-start_box, start_box]^2``, ``(per_side * per_side, 2)``, x running fastest."""
    axis = basin_axis(p)
    x, y = np.meshgrid(axis, axis, indexing="xy")
    return np.column_stack([x.ravel(), y.ravel()])


def basin_axis(p) -> np.ndarray:
    half_cell = p.start_box / p.per_side
    return np.linspace(-p.start_box + half_cell, p.start_box - half_cell, p.per_side)


def basins_descent(p) -> gdmath.DescentHistory:
    return gdmath.gradient_descent(SIN_HILLS, basin_starts(p), alpha=p.alpha, steps=p.steps)


def ends_text(p, ends: gdmath.EndCounts) -> str:
    """``"3,600 starts, 80 steps: 3,480 reached a minimum, 120 still on a saddle or ridge, 6 basins reached"``."""
    return (f"{ends.settled + ends.unsettled:,} starts, {p.steps} steps: {ends.settled:,} reached a minimum, "
            f"{ends.unsettled:,} still on a saddle or ridge, {int((ends.per_minimum > 0).sum())} basins reached")


@figure("basins", title="Basins of Attraction",
        description="A dense grid of starts descends sin x sin y; each start's cell takes the colour of the minimum it reached.")
class BasinsScene(Captioned, components.StepTracking, components.ThemedScene):
    """A grid of starts descends together; then the basins of attraction, and the counts."""

    params = BasinsParams()
    map_size = 6.2

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("camera_class", components.MarksCamera)  # it draws the batched marks
        super().__init__(**kwargs)

    @classmethod
    def describe(cls) -> str:
        p = cls.params
        ends = gdmath.count_ends(SIN_HILLS, basins_descent(p).final)
        return (f"A {p.per_side} x {p.per_side} grid of starts over the top-down map of f(x, y) = sin x sin y "
                f"descends together with step size {p.alpha:g}; then each start's cell is coloured by the minimum "
                f"it reached, so the basins of attraction show, with the ridges and saddles between them as "
                f"borders. {ends_text(p, ends)}.")

    def construct(self) -> None:
        self.history = basins_descent(self.params)
        self.verdict = gdmath.nearest_minimum(SIN_HILLS, self.history.final)
        self.ends = gdmath.count_ends(SIN_HILLS, self.history.final)
        self.show_map()
        self.show_starts()
        self.take_steps()
        self.show_basins()
        self.show_counts()
        self.wait(theme.HOLD_TIME)

    # --- steps ----------------------------------------------------------------------
    def show_map(self) -> None:
        v = self.params.view
        self.heading = components.heading(self.title, SIN_HILLS.tex)
        span = [-v, v, np.pi / 2]
        self.map_axes = components.plane_axes(span, span, self.map_size, self.map_size, ticks=False)
        self.counter = components.step_counter(self.tracker, self.params.steps)
        self.side = VGroup(self.counter).arrange(DOWN, aligned_edge=LEFT)
        VGroup(self.map_axes, self.side).arrange(RIGHT, buff=theme.SIDE_PANEL_GAP).next_to(self.heading, DOWN, buff=theme.BODY_GAP)
        VGroup(self.map_axes, self.side).to_edge(LEFT, buff=theme.BASIN_LEFT_MARGIN)  # the readout grows to the right
        axis = np.linspace(-v, v, self.params.map_pixels)
        heights = gdmath.value_grid(SIN_HILLS, axis, axis)
        self.map = components.heat_map(self.map_axes, heights, -1.0, 1.0).set_opacity(theme.MAP_DIM_OPACITY)
        self.add(self.heading, self.map, self.map_axes)

    def show_starts(self) -> None:
        points = self.history.points
        on_map = self.map_axes.c2p(points.reshape(-1, 2)).reshape(*points.shape[:2], 3)
        self.marks = components.BatchedMarks(
            on_map,
            self.tracker,
            theme.BASIN_COLORS,
            stroke_width=theme.BASIN_PATH_STROKE,
            dot_radius=theme.BASIN_DOT_RADIUS,
            color_index=self.verdict.index,
            dot_outline=0.0,
        )
        self.add(self.marks)
        self.cue(f"{self.params.per_side ** 2:,} starts on a {self.params.per_side} x {self.params.per_side} grid appear")
        self.play(self.marks.grow_in(lag_ratio=0.0005), FadeIn(self.counter), run_time=theme.INTRO_TIME)

    def take_steps(self) -> None:
        self.cue(f"{self.params.steps} steps of size {self.params.alpha:g} begin")
        for k in milestones(self.params.steps, 2):
            settled = int(gdmath.nearest_minimum(SIN_HILLS, self.history.points[k]).settled.sum())
            self.cue_at_step(self.tracker, k, f"Step {k} of {self.params.steps}: {settled:,} starts have settled in a minimum")
        self.play(components.run_steps(self.tracker, self.params.steps, theme.DESCENT_TIME))

    def show_basins(self) -> None:
        self.basins = self.basin_image()
        self.cue("Each start's cell takes the colour of the minimum it reached: the basins of attraction")
        self.play(FadeIn(self.basins), run_time=theme.BASIN_REVEAL_TIME, rate_func=smooth)

    def basin_image(self) -> ImageMobject:
        """Each start's cell in the colour of the minimum it settled at (grid colour if none)."""
        n = self.params.per_side
        palette = np.array([c.to_rgb() for c in theme.BASIN_COLORS])
        rgb = palette[self.verdict.index % len(palette)]
        rgb[~self.verdict.settled] = theme.BASIN_UNSETTLED.to_rgb()
        cells = rgb.reshape(n, n, 3)[::-1]  # rows: y ascending -> image rows top to bottom
        alpha = np.full((n, n, 1), theme.BASIN_OPACITY)
        image = ImageMobject((np.concatenate([cells, alpha], axis=-1) * 255).round().astype(np.uint8))
        image.set_resampling_algorithm(RESAMPLING_ALGORITHMS["nearest"])
        box = self.params.start_box
        return components.stretch_over(image, self.map_axes, (-box, -box), (box, box))

    def show_counts(self) -> None:
        lines = [
            f"{self.ends.settled + self.ends.unsettled:,} starts, {self.params.steps} steps:",
            f"{self.ends.settled:,} reached a minimum",
            f"{self.ends.unsettled:,} still on a saddle or ridge",
            f"{int((self.ends.per_minimum > 0).sum())} basins reached",
        ]
        self.readout = components.readout(lines, size=theme.SMALL_SIZE)
        self.readout.next_to(self.counter, DOWN, buff=theme.BASIN_READOUT_GAP, aligned_edge=LEFT)
        self.cue(ends_text(self.params, self.ends))
        self.play(FadeIn(self.readout, shift=theme.VERDICT_RISE * UP), run_time=theme.VERDICT_TIME)
