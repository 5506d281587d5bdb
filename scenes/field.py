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
from scenes import figure, theme
from scenes.captions import Captioned, plural, sentence
from scenes.components import (
    ArrowField,
    DescentScene,
    MarksCamera,
    StepTracking,
    ThemedScene,
    gradient_arrows,
    heading,
    heat_map,
    legend_entry,
    readout,
    run_steps,
    step_counter,
)
from scenes.hills import HillsRun, SinHillsParams, hills_run, progress_cues
from scenes.params import optimizer_lines, optimizer_note, param, whole


@dataclass(frozen=True)
class FieldParams(SinHillsParams):
    """The hills run (same defaults, same seed, same optimizer choice) plus the arrow grid: ``arrows_per_side``
    arrows across each side of the ``[-view, view]^2`` view, at cell centres."""

    arrows_per_side: int = param(15, whole(2, 100))


@dataclass(frozen=True)
class FieldRun:
    """What the field figure shows: the hills' run and the gradient at the arrows' places.

    Attributes:
        run: the hills figure's run for the same parameters (its map, paths and verdict).
        arrow_points, arrow_grads: ``(arrows_per_side, arrows_per_side, 2)`` the arrows'
            places (cell centres over the view) and the gradient there (uphill).
    """

    run: HillsRun
    arrow_points: np.ndarray
    arrow_grads: np.ndarray

    @property
    def arrows(self) -> int:
        return self.arrow_points.shape[0] * self.arrow_points.shape[1]

    def facts(self) -> tuple[str, ...]:
        return self.run.facts()


def field_run(p: FieldParams) -> FieldRun:
    """The hills run for ``p`` and the gradient field on ``arrows_per_side`` cell centres a side.

    For a typed function, a gradient that is not finite, or where the function itself is not
    (``log(x)`` at ``x < 0``, whose formal gradient 1/x is finite), gets no arrow, and those longer than
    the ``ARROW_CAP_PERCENTILE`` of the others are drawn at that length (a function that blows
    up in the view would otherwise shrink every other arrow to nothing)."""
    grid = p.cell_centres(p.arrows_per_side)
    points, grads = gdmath.gradient_field(p.objective, grid, grid)
    if p.typed:
        defined = np.isfinite(gdmath.value_grid(p.objective, grid, grid))[..., None]
        grads = capped_arrows(np.where(defined, grads, 0.0))
    return FieldRun(run=hills_run(p), arrow_points=points, arrow_grads=grads)


#: A typed function's arrows longer than this percentile of the arrows' lengths are drawn at it.
ARROW_CAP_PERCENTILE = 90.0


def capped_arrows(grads: np.ndarray) -> np.ndarray:
    """``(..., 2)`` gradients with the non-finite ones zero (no arrow) and the lengths capped at
    the ``ARROW_CAP_PERCENTILE`` of the finite ones."""
    grads = np.where(np.isfinite(grads).all(-1, keepdims=True), grads, 0.0)
    length = np.linalg.norm(grads, axis=-1, keepdims=True)
    if not (length > 0).any():
        return grads
    cap = float(np.percentile(length[length > 0], ARROW_CAP_PERCENTILE))
    return grads * np.minimum(1.0, cap / np.maximum(length, 1e-300))


@figure("field", title="Gradient Field with Paths",
        description="Gradient arrows over sin x sin y, and the hills' descent paths running against them.")
class FieldScene(Captioned, StepTracking, DescentScene, ThemedScene):
    """Gradient arrows over the top-down map of sin x sin y, then the hills' descent paths."""

    params = FieldParams()
    compute = staticmethod(field_run)
    map_size = 6.4  # side of the map, in scene units
    arrow_fill = 0.85  # the longest arrow spans this fraction of the grid spacing
    key_length = 0.6  # the arrow and the path in the key
    side_block_gap = 0.7  # between the key, the step counter and the update rule
    key_row_gap = 0.25  # between the key's two entries

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("camera_class", MarksCamera)  # it draws the batched marks
        super().__init__(**kwargs)

    def construct(self) -> None:
        self.data = self.compute(self.params)
        self.show_map()
        self.show_field()
        self.show_starts()
        self.take_steps()
        self.wait(theme.HOLD_TIME)

    @classmethod
    def describe(cls) -> str:
        p = cls.params
        n = p.arrows_per_side
        length = ("its length is the gradient's magnitude (the longest tenth drawn at one length)" if p.typed
                  else "its length is the gradient's magnitude")
        return (f"Gradient arrows of {p.function_text('f(x, y) = sin x sin y')} on a {n} x {n} grid over its top-down map: each "
                f"arrow points uphill and {length}. Then the {p.n_points} paths of "
                f"the hill descent (seed {p.seed}, step size {p.alpha:g}{optimizer_note(p)}) run downhill, against the arrows; "
                f"{cls.compute(p).run.verdict()}.")

    # --- the picture --------------------------------------------------------------
    def show_map(self) -> None:
        self.heading = heading(self.title, self.params.objective.tex)
        self.map_axes = self.view_axes(self.map_size)
        self.counter = step_counter(self.tracker, self.params.steps)
        self.key = self.make_key()
        self.rule_name = self.optimizer_name()
        side = VGroup(self.key, self.counter, *self.rule_name).arrange(DOWN, aligned_edge=LEFT, buff=self.side_block_gap)
        VGroup(self.map_axes, side).arrange(RIGHT, buff=theme.SIDE_PANEL_GAP).next_to(self.heading, DOWN, buff=theme.BODY_GAP)
        low, high = self.params.height_range
        self.map = heat_map(self.map_axes, self.data.run.heights, low, high).set_opacity(self.map_dim_opacity)
        self.add(self.heading, self.map, self.map_axes, self.key, *self.rule_name)

    def optimizer_name(self) -> list:
        """The update rule and its hyperparameters under the counter; none for plain SGD, the post's."""
        lines = optimizer_lines(self.data.run.history.optimizer)
        return [] if lines is None else [readout(lines, size=theme.SMALL_SIZE, color=theme.MUTED_TEXT)]

    def make_key(self) -> VGroup:
        half = self.key_length / 2
        arrow = ArrowField([half * LEFT], [half * RIGHT], theme.FIELD_ARROW, theme.FIELD_ARROW_STROKE)
        path = Line(half * LEFT, half * RIGHT, color=theme.POINT_COLORS[0])
        path.set_stroke(width=theme.PATH_STROKE)
        return VGroup(
            legend_entry(arrow, "gradient: uphill"),
            legend_entry(path, "descent: downhill,\nagainst the arrows"),
        ).arrange(DOWN, aligned_edge=LEFT, buff=self.key_row_gap)

    def show_field(self) -> None:
        spacing = self.map_size / self.params.arrows_per_side
        longest = self.arrow_fill * spacing
        self.arrows = gradient_arrows(self.map_axes, self.data.arrow_points, self.data.arrow_grads, longest)
        self.cue(f"{self.data.arrows} gradient arrows appear, pointing uphill")
        self.play(FadeIn(self.arrows), run_time=theme.INTRO_TIME * 1.5, rate_func=smooth)

    # --- the descent ---------------------------------------------------------------
    def show_starts(self) -> None:
        self.marks = self.map_marks(self.map_axes, self.data.run.history, theme.POINT_COLORS)
        self.add(self.marks)
        self.cue(f"{plural(self.params.n_points, 'start')} of the hill descent appear on the map")
        self.play(
            self.marks.grow_in(lag_ratio=0.04),
            FadeIn(self.counter),
            run_time=theme.INTRO_TIME,
        )

    def take_steps(self) -> None:
        self.cue(f"{plural(self.params.steps, 'step')} of size {self.params.alpha:g}: the paths run against the arrows")
        progress_cues(self, self.data.run)
        self.play(run_steps(self.tracker, self.params.steps, theme.DESCENT_TIME))
        self.cue(sentence(self.data.run.verdict()))
