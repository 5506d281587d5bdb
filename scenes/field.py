"""Gradient Field: the arrows of the gradient of sin x sin y, and the descent paths over them.

The post: "Plotting the paths from before over the vector field we can see that the
path the points take almost exactly follows the opposite of the gradient."

The map, the starts and their colours are those of ``hills`` (same parameters, same
seed), so the reader recognises the paths. Arrows point uphill; their length shows
the gradient's magnitude.

Render with ``python render.py --scene field`` or plain ``manim -ql scenes/field.py FieldScene``.

Speed: the heat map and the arrows are added before anything moves, so manim draws
them once into its cached background; the arrows are two VMobjects (all shafts, all
heads: ``components.ArrowField``), so even fading them in is cheap; each frame of the descent redraws
only the dots, their trails and the step counter, which is composed from glyphs typeset
once (``step_counter``) instead of re-typesetting its text at every step.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    FadeIn,
    Line,
    VGroup,
    smooth,
)

import gdmath
from gdmath import SIN_HILLS
from scenes import figure, theme
from scenes.captions import Captioned, plural, sentence
from scenes.components import (
    ArrowField,
    BatchedMarks,
    MarksCamera,
    StepTracking,
    ThemedScene,
    gradient_arrows,
    heading,
    heat_map,
    legend_entry,
    plane_axes,
    readout,
    run_steps,
    step_counter,
)
from scenes.hills import SinHillsRun, hills_descent, hills_verdict, progress_cues
from scenes.params import optimizer_lines, optimizer_note, param, whole


@dataclass(frozen=True)
class FieldParams(SinHillsRun):
    """The hills run (same defaults, same seed, same optimizer choice) plus the arrow grid: ``arrows_per_side``
    arrows across each side of the ``[-view, view]^2`` view, at cell centres."""

    arrows_per_side: int = param(15, whole(2, 100))


@figure("field", title="Gradient Field with Paths",
        description="Gradient arrows over sin x sin y, and the hills' descent paths running against them.")
class FieldScene(Captioned, StepTracking, ThemedScene):
    """Gradient arrows over the top-down map of sin x sin y, then the hills' descent paths."""

    params = FieldParams()
    map_size = 6.4  # side of the map, in scene units
    arrow_fill = 0.85  # the longest arrow spans this fraction of the grid spacing

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("camera_class", MarksCamera)  # it draws the batched marks
        super().__init__(**kwargs)

    def construct(self) -> None:
        self.history = self.descend()
        self.show_map()
        self.show_field()
        self.show_starts()
        self.take_steps()
        self.wait(theme.HOLD_TIME)

    # --- numbers -----------------------------------------------------------------
    def descend(self) -> gdmath.DescentHistory:
        """The hills descent: the same starts, steps and colours as that figure."""
        return hills_descent(self.params)

    @classmethod
    def describe(cls) -> str:
        p = cls.params
        n = p.arrows_per_side
        return (f"Gradient arrows of f(x, y) = sin x sin y on a {n} x {n} grid over its top-down map: each "
                f"arrow points uphill and its length is the gradient's magnitude. Then the {p.n_points} paths of "
                f"the hill descent (seed {p.seed}, step size {p.alpha:g}{optimizer_note(p)}) run downhill, against the arrows; "
                f"{hills_verdict(p, hills_descent(p))}.")

    def arrow_grid(self) -> np.ndarray:
        """Cell centres across ``[-view, view]``: ``(arrows_per_side,)``."""
        v, n = self.params.view, self.params.arrows_per_side
        half_cell = v / n
        return np.linspace(-v + half_cell, v - half_cell, n)

    # --- the picture --------------------------------------------------------------
    def show_map(self) -> None:
        v = self.params.view
        self.heading = heading(self.title, SIN_HILLS.tex)
        span = [-v, v, np.pi / 2]
        self.map_axes = plane_axes(span, span, self.map_size, self.map_size, ticks=False)
        self.counter = step_counter(self.tracker, self.params.steps)
        self.key = self.make_key()
        self.rule_name = self.optimizer_name()
        side = VGroup(self.key, self.counter, *self.rule_name).arrange(DOWN, aligned_edge=LEFT, buff=theme.FIELD_SIDE_BLOCK_GAP)
        VGroup(self.map_axes, side).arrange(RIGHT, buff=theme.SIDE_PANEL_GAP).next_to(self.heading, DOWN, buff=theme.BODY_GAP)
        axis = np.linspace(-v, v, self.params.map_pixels)
        heights = gdmath.value_grid(SIN_HILLS, axis, axis)
        self.map = heat_map(self.map_axes, heights, -1.0, 1.0).set_opacity(theme.MAP_DIM_OPACITY)
        self.add(self.heading, self.map, self.map_axes, self.key, *self.rule_name)

    def optimizer_name(self) -> list:
        """The update rule and its hyperparameters under the counter; none for plain SGD, the post's."""
        lines = optimizer_lines(self.history.optimizer)
        return [] if lines is None else [readout(lines, size=theme.SMALL_SIZE, color=theme.MUTED_TEXT)]

    def make_key(self) -> VGroup:
        half = theme.FIELD_KEY_LENGTH / 2
        arrow = ArrowField([half * LEFT], [half * RIGHT], theme.FIELD_ARROW, theme.FIELD_ARROW_STROKE)
        path = Line(half * LEFT, half * RIGHT, color=theme.POINT_COLORS[0])
        path.set_stroke(width=theme.PATH_STROKE)
        return VGroup(
            legend_entry(arrow, "gradient: uphill"),
            legend_entry(path, "descent: downhill,\nagainst the arrows"),
        ).arrange(DOWN, aligned_edge=LEFT, buff=theme.FIELD_KEY_ROW_GAP)

    def show_field(self) -> None:
        grid = self.arrow_grid()
        self.field_points, self.field_grads = gdmath.gradient_field(SIN_HILLS, grid, grid)
        spacing = self.map_size / self.params.arrows_per_side
        longest = self.arrow_fill * spacing
        self.arrows = gradient_arrows(self.map_axes, self.field_points, self.field_grads, longest)
        self.cue(f"{self.params.arrows_per_side ** 2} gradient arrows appear, pointing uphill")
        self.play(FadeIn(self.arrows), run_time=theme.INTRO_TIME * 1.5, rate_func=smooth)

    # --- the descent ---------------------------------------------------------------
    def show_starts(self) -> None:
        points = self.history.points
        on_map = self.map_axes.c2p(points.reshape(-1, 2)).reshape(*points.shape[:2], 3)
        self.marks = BatchedMarks(on_map, self.tracker, theme.POINT_COLORS)
        self.add(self.marks)
        self.cue(f"{plural(self.params.n_points, 'start')} of the hill descent appear on the map")
        self.play(
            self.marks.grow_in(lag_ratio=0.04),
            FadeIn(self.counter),
            run_time=theme.INTRO_TIME,
        )

    def take_steps(self) -> None:
        self.cue(f"{plural(self.params.steps, 'step')} of size {self.params.alpha:g}: the paths run against the arrows")
        progress_cues(self, self.params, self.history)
        self.play(run_steps(self.tracker, self.params.steps, theme.DESCENT_TIME))
        self.cue(sentence(hills_verdict(self.params, self.history)))
