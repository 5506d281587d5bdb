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
from scenes import components, figure, theme
from scenes.captions import Captioned, milestones, plural
from scenes.components import DescentParams, verdict_of
from scenes.params import param, positive, typed_function, whole


@dataclass(frozen=True)
class BasinsParams(DescentParams):
    """A ``per_side x per_side`` grid of starts over ``[-start_box, start_box]^2``
    (cell centres), descending ``steps`` steps of size ``alpha``; the map spans ``[-view, view]^2``."""

    per_side: int = param(60, whole(2, 120))
    alpha: float = param(0.1, positive())
    steps: int = param(80, whole(1, 10_000))
    start_box: float = param(np.pi, positive())
    view: float = param(5.0, positive())
    map_pixels: int = param(360, whole(2, 2000))
    function: str | None = param(None, typed_function(2), kind=str)


@dataclass(frozen=True)
class BasinsRun:
    """What the basins figure shows.

    Attributes:
        history: the descent of the grid of starts, ``points (steps + 1, per_side ** 2, 2)``.
        heights: ``(map_pixels, map_pixels)`` the objective over the view.
        settled: ``(steps + 1,)`` how many starts have settled in a minimum at each step.
        verdict: gdmath's verdict on the last step (which minimum each start reached, if any).
        ends: the counts of the ends: per minimum, settled, still on a saddle or ridge.
    """

    history: gdmath.DescentHistory
    heights: np.ndarray
    settled: np.ndarray
    verdict: gdmath.MinimumVerdict
    ends: gdmath.EndCounts
    found: int | None = None  # a typed function: how many minima were found in the view
    away: int = 0  # starts that ran off the map (diverged, or ended outside the view)

    def progress(self, step: int) -> str:
        """``"Step 40 of 80: 3,130 starts have settled in a minimum"``."""
        where = "a minimum" if self.found is None else "a minimum found in the view"
        return f"Step {step} of {self.history.steps}: {self.settled[step]:,} starts have settled in {where}"

    def counts(self) -> list[str]:
        """The readout's lines: ``"3,600 starts, 80 steps:"``, ``"3,480 reached a minimum"``, ..."""
        ends = self.ends
        head = f"{ends.settled + ends.unsettled:,} starts, {self.history.steps} steps:"
        off = [f"{self.away:,} ran off the map"] if self.away else []
        stayed = ends.unsettled - self.away
        if self.found is None:
            return [
                head,
                f"{ends.settled:,} reached a minimum",
                *([f"{stayed:,} still on a saddle or ridge"] if stayed or not self.away else []),
                *off,
                f"{int((ends.per_minimum > 0).sum())} basins reached",
            ]
        if self.found == 0:
            return [head, "no minimum found in the view", f"{ends.unsettled:,} not in a minimum", *off]
        return [
            head,
            f"{ends.settled:,} reached a minimum",
            f"{ends.unsettled:,} not in a minimum",
            *off,
            f"{int((ends.per_minimum > 0).sum())} of {plural(self.found, 'basin')} reached",
            "(the minima found in the view)",
        ]

    def counts_text(self) -> str:
        """``"3,600 starts, 80 steps: 3,480 reached a minimum, 120 still on a saddle or ridge, 6 basins reached"``."""
        head, *rest = self.counts()
        return f"{head} {', '.join(rest)}".replace(", (", " (")

    def facts(self) -> tuple[str, ...]:
        return tuple(self.counts()[1:])


def basins_run(p: BasinsParams) -> BasinsRun:
    """The grid of starts (cell centres) descending with plain SGD, and where each ended."""
    history = p.descend(p.grid_starts(), gdmath.SGD(p.alpha))
    verdict = verdict_of(p.objective, history.final)
    found = len(p.objective.minima) if p.typed else None
    if found == 0:
        ends = gdmath.EndCounts(per_minimum=np.zeros(0, dtype=int), unsettled=int(verdict.settled.size))
    else:
        ends = gdmath.count_ends(p.objective, history.final)
    return BasinsRun(history=history, heights=p.height_map(), settled=p.settled_counts(history),
                     verdict=verdict, ends=ends, found=found, away=p.ran_off(history))


@figure("basins", title="Basins of Attraction",
        description="A dense grid of starts descends sin x sin y; each start's cell takes the colour of the minimum it reached.")
class BasinsScene(Captioned, components.StepTracking, components.DescentScene, components.ThemedScene):
    """A grid of starts descends together; then the basins of attraction, and the counts."""

    params = BasinsParams()
    compute = staticmethod(basins_run)
    map_size = 6.2
    cell_opacity = 0.85  # the basins' cells over the map
    dot_radius = 0.028  # thousands of dots: small
    marker_size = 0.09  # the arrowhead of a start that ran off the map: thousands may, so small
    path_stroke = 1.2
    reveal_time = 1.5  # the basins fading in
    left_margin = 1.2  # the map and its side panel to the frame's left edge (the readout grows right)
    readout_gap = 0.6  # the end counts under the step counter

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("camera_class", components.MarksCamera)  # it draws the batched marks
        super().__init__(**kwargs)

    @classmethod
    def describe(cls) -> str:
        p = cls.params
        return (f"A {p.per_side} x {p.per_side} grid of starts over the top-down map of "
                f"{p.function_text('f(x, y) = sin x sin y')} "
                f"descends together with step size {p.alpha:g}; then each start's cell is coloured by the minimum "
                f"it reached, so the basins of attraction show, with the ridges and saddles between them as "
                f"borders. {cls.compute(p).counts_text()}.")

    def construct(self) -> None:
        self.data = self.compute(self.params)
        self.show_map()
        self.show_starts()
        self.take_steps()
        self.show_basins()
        self.show_counts()
        self.wait(theme.HOLD_TIME)

    # --- steps ----------------------------------------------------------------------
    def show_map(self) -> None:
        self.heading = components.heading(self.title, self.params.objective.tex)
        self.map_axes = self.view_axes(self.map_size)
        self.counter = components.step_counter(self.tracker, self.params.steps)
        self.side = VGroup(self.counter).arrange(DOWN, aligned_edge=LEFT)
        VGroup(self.map_axes, self.side).arrange(RIGHT, buff=theme.SIDE_PANEL_GAP).next_to(self.heading, DOWN, buff=theme.BODY_GAP)
        VGroup(self.map_axes, self.side).to_edge(LEFT, buff=self.left_margin)  # the readout grows to the right
        low, high = self.params.height_range
        self.map = components.heat_map(self.map_axes, self.data.heights, low, high).set_opacity(self.map_dim_opacity)
        self.add(self.heading, self.map, self.map_axes)

    def show_starts(self) -> None:
        self.marks = self.map_marks(
            self.map_axes,
            self.data.history,
            theme.BASIN_COLORS,
            stroke_width=self.path_stroke,
            dot_radius=self.dot_radius,
            color_index=self.data.verdict.index,
            dot_outline=0.0,
            marker_size=self.marker_size,
        )
        self.add(self.marks)
        self.cue(f"{self.params.per_side ** 2:,} starts on a {self.params.per_side} x {self.params.per_side} grid appear")
        self.play(self.marks.grow_in(lag_ratio=0.0005), FadeIn(self.counter), run_time=theme.INTRO_TIME)

    def take_steps(self) -> None:
        self.cue(f"{self.params.steps} steps of size {self.params.alpha:g} begin")
        for k in milestones(self.params.steps, 2):
            self.cue_at_step(self.tracker, k, self.data.progress(k))
        self.play(components.run_steps(self.tracker, self.params.steps, theme.DESCENT_TIME))

    def show_basins(self) -> None:
        self.basins = self.basin_image()
        self.cue("Each start's cell takes the colour of the minimum it reached: the basins of attraction")
        self.play(FadeIn(self.basins), run_time=self.reveal_time, rate_func=smooth)

    def basin_image(self) -> ImageMobject:
        """Each start's cell in the colour of the minimum it settled at (grid colour if none)."""
        n = self.params.per_side
        verdict = self.data.verdict
        palette = np.array([c.to_rgb() for c in theme.BASIN_COLORS])
        rgb = palette[verdict.index % len(palette)]
        rgb[~verdict.settled] = theme.BASIN_UNSETTLED.to_rgb()
        cells = rgb.reshape(n, n, 3)[::-1]  # rows: y ascending -> image rows top to bottom
        alpha = np.full((n, n, 1), self.cell_opacity)
        image = ImageMobject((np.concatenate([cells, alpha], axis=-1) * 255).round().astype(np.uint8))
        image.set_resampling_algorithm(RESAMPLING_ALGORITHMS["nearest"])
        box = self.params.start_box
        return components.stretch_over(image, self.map_axes, (-box, -box), (box, box))

    def show_counts(self) -> None:
        self.readout = components.readout(self.data.counts(), size=theme.SMALL_SIZE)
        self.readout.next_to(self.counter, DOWN, buff=self.readout_gap, aligned_edge=LEFT)
        self.cue(self.data.counts_text())
        self.play(FadeIn(self.readout, shift=theme.VERDICT_RISE * UP), run_time=theme.VERDICT_TIME)
