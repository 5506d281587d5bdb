"""Local vs Global Minima: the post's "Multiple Minima Example" (its "Simple Convex
Example" is ``scenes/convex.py``).

``minima``: several starts descend the triple well at once (two equal global minima
at x = +-2, a higher local one at 0). Under the curve, each start's x is drawn over
the steps, so the poster shows where each start went; at the end every final point
is marked global or local, as gdmath classifies it.

Render with ``python render.py --scene minima``, or plain
``manim -ql scenes/minima.py MinimaScene``.

Speed: the axes, curve and labels are added before anything moves, so manim draws
them once into its cached background; only the dots and their trails are redrawn per
frame.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    DashedLine,
    FadeIn,
    GrowFromCenter,
    LaggedStart,
    VGroup,
)

import gdmath
from gdmath import TRIPLE_WELL
from scenes import figure, theme
from scenes.captions import Captioned, milestones, plural, sentence
from scenes.components import (
    DescentMarks,
    StepTracking,
    ThemedScene,
    heading,
    label,
    legend_entry,
    plane_axes,
    readout,
    ring,
    run_steps,
)
from scenes.params import (
    OptimizerParams,
    each,
    finite,
    optimizer_lines,
    optimizer_note,
    optimizer_of,
    param,
    positive,
    whole,
)

# --- multiple minima ----------------------------------------------------------------


@dataclass(frozen=True)
class MinimaParams(OptimizerParams):
    """Starts spread over the triple well so that some fall into each basin (the
    centre basin is ``|x| < 1``); the x axis spans ``[-view, view]``. Plain SGD unless
    ``optimizer`` says otherwise."""

    starts: tuple[float, ...] = param((-2.35, -1.6, -0.8, -0.25, 0.45, 1.2, 1.75, 2.4), each(finite()))
    alpha: float = param(0.03, positive())
    steps: int = param(50, whole(1, 10_000))
    view: float = param(2.45, positive())


@figure("minima", title="Multiple Minima Example",
        description="Starts on a function with two global minima and a local one: " "where you start decides where you end.")
class MinimaScene(Captioned, StepTracking, ThemedScene):
    """Several starts descend the triple well at once; each ends global or local."""

    params = MinimaParams()
    curve_size = (7.6, 2.9)
    steps_height = 2.2  # the panel of x over the steps, under the curve
    y_top = 4.5  # top of the curve's axes (f at +-view is below it)

    def construct(self) -> None:
        self.history = self.descend()
        self.verdict = gdmath.nearest_minimum(TRIPLE_WELL, self.history.final)
        self.show_panels()
        self.show_starts()
        self.take_steps()
        self.show_verdict()
        self.wait(theme.HOLD_TIME)

    # --- numbers -----------------------------------------------------------------
    def descend(self) -> gdmath.DescentHistory:
        p = self.params
        starts = np.asarray(p.starts, dtype=float)[:, None]
        return gdmath.descend(TRIPLE_WELL, starts, optimizer_of(p), p.steps)

    @classmethod
    def describe(cls) -> str:
        p = cls.params
        h = gdmath.descend(TRIPLE_WELL, np.asarray(p.starts, dtype=float)[:, None], optimizer_of(p), p.steps)
        starts = ", ".join(f"{x:g}" for x in p.starts)
        return (f"{plural(len(p.starts), 'start')} (x = {starts}) descend f(x) = x^6/6 - 5x^4/4 + 2x^2 + 4/3, "
                f"which has two global minima at x = -2 and 2 and a local one at x = 0, with step size "
                f"{p.alpha:g}{optimizer_note(p)}; under the curve, each start's x over the steps. {sentence(minima_end(p, h))}.")

    def screen_paths(self) -> tuple[np.ndarray, np.ndarray]:
        """The history on screen: on the curve, and as x over the steps (step 0 at the
        top). Two ``(steps + 1, n, 3)`` arrays."""
        x = self.history.points[..., 0]
        on_curve = self.curve_axes.c2p(np.stack([x, self.history.values], axis=-1).reshape(-1, 2))
        steps_left = np.broadcast_to(self.params.steps - np.arange(x.shape[0])[:, None], x.shape)
        over_steps = self.steps_axes.c2p(np.stack([x, steps_left], axis=-1).reshape(-1, 2))
        return on_curve.reshape(*x.shape, 3), over_steps.reshape(*x.shape, 3)

    # --- the picture --------------------------------------------------------------
    def show_panels(self) -> None:
        v = self.params.view
        self.heading = heading(self.title, TRIPLE_WELL.tex)
        self.curve_axes = plane_axes([-v, v, 1], [0, self.y_top, 1], *self.curve_size)
        self.curve = self.curve_axes.plot(
            lambda x: float(TRIPLE_WELL.value([x])),
            x_range=[-v, v],
            color=theme.CURVE,
            stroke_width=theme.CURVE_STROKE,
        )
        # only used to place the paths: its axis lines would cut through them
        steps = max(self.params.steps, 1)
        self.steps_axes = plane_axes([-v, v, 1], [0, steps, 1], self.curve_size[0], self.steps_height)
        self.steps_axes.next_to(self.curve_axes, DOWN, buff=theme.MINIMA_PANEL_GAP)
        self.step_names = self.make_step_names()
        self.key = self.make_key()
        self.summary = self.make_summary()  # shown at the end; placed now, under the key
        self.rule_name = self.optimizer_name()
        side = VGroup(*self.rule_name, self.key, self.summary).arrange(DOWN, aligned_edge=LEFT, buff=theme.MINIMA_SIDE_BLOCK_GAP)
        plots = VGroup(self.curve_axes, self.curve, self.steps_axes, self.step_names)
        VGroup(plots, side).arrange(RIGHT, buff=theme.MINIMA_SIDE_PANEL_GAP).next_to(self.heading, DOWN, buff=theme.MINIMA_BODY_GAP)
        guides = self.minimum_guides()
        self.add(self.heading, guides, self.curve_axes, self.curve, self.step_names, self.key, *self.rule_name)

    def minimum_guides(self) -> VGroup:
        """Faint dashed verticals under each minimum, through the steps panel."""
        lines = VGroup()
        for (x,), best in zip(TRIPLE_WELL.minima, gdmath.global_mask(TRIPLE_WELL)):
            color = theme.GLOBAL_MIN if best else theme.LOCAL_MIN
            line = DashedLine(
                self.steps_axes.c2p(x, 0),
                self.steps_axes.c2p(x, self.params.steps),
                color=color,
                stroke_width=theme.AXIS_STROKE,
            )
            lines.add(line.set_opacity(theme.CRUMB_OPACITY))
        return lines

    def make_step_names(self) -> VGroup:
        """"step 0" at the top of the steps panel and "step N" at its bottom, on the left."""
        v, steps = self.params.view, self.params.steps
        top = label("step 0", size=theme.SMALL_SIZE)
        top.next_to(self.steps_axes.c2p(-v, steps), LEFT, buff=theme.MINIMA_STEP_NAME_BUFF)
        bottom = label(f"step {steps}", size=theme.SMALL_SIZE)
        bottom.next_to(self.steps_axes.c2p(-v, 0), LEFT, buff=theme.MINIMA_STEP_NAME_BUFF)
        return VGroup(top.align_to(bottom, RIGHT), bottom)

    def optimizer_name(self) -> list:
        """The update rule and its hyperparameters over the key; none for plain SGD, the post's."""
        lines = optimizer_lines(self.history.optimizer)
        return [] if lines is None else [readout(lines, size=theme.SMALL_SIZE, color=theme.MUTED_TEXT)]

    def make_key(self) -> VGroup:
        return VGroup(
            legend_entry(ring(np.zeros(3), theme.GLOBAL_MIN), "global minimum"),
            legend_entry(ring(np.zeros(3), theme.LOCAL_MIN), "local minimum"),
            legend_entry(self.start_mark(np.zeros(3), theme.MUTED_TEXT), "a start"),
        ).arrange(DOWN, aligned_edge=LEFT, buff=theme.LEGEND_ROW_GAP)

    def start_mark(self, point: np.ndarray, color):
        return ring(point, color, radius=theme.START_RING_RADIUS, width=theme.START_RING_STROKE)

    # --- the descent ---------------------------------------------------------------
    def show_starts(self) -> None:
        on_curve, over_steps = self.screen_paths()
        colors = theme.POINT_COLORS
        self.starts = VGroup(
            *(self.start_mark(p, colors[i % len(colors)]) for i, p in enumerate(on_curve[0]))
        )
        self.add(self.starts)
        self.marks_curve = DescentMarks(on_curve, self.tracker, colors, stroke_width=0)
        self.marks_steps = DescentMarks(over_steps, self.tracker, colors)
        self.add(self.marks_steps, self.marks_curve)
        dots = [*self.marks_curve.dots, *self.marks_steps.dots]
        self.cue(f"{plural(len(self.params.starts), 'start')} appear on the curve")
        self.play(
            LaggedStart(*(GrowFromCenter(d) for d in dots), lag_ratio=0.03), run_time=theme.INTRO_TIME
        )

    def take_steps(self) -> None:
        self.cue(f"{plural(self.params.steps, 'step')} of size {self.params.alpha:g} begin")
        for k in milestones(self.params.steps, 2):
            n_global = int(gdmath.nearest_minimum(TRIPLE_WELL, self.history.points[k]).is_global.sum())
            self.cue_at_step(self.tracker, k, f"Step {k} of {self.params.steps}: {n_global} of "
                             f"{len(self.params.starts)} starts are nearest a global minimum")
        self.play(run_steps(self.tracker, self.params.steps, theme.DESCENT_TIME))

    def show_verdict(self) -> None:
        """Ring every final point in its verdict's colour, name the minima, count them."""
        self.cue(sentence(minima_end(self.params, self.history)))
        on_curve, _ = self.screen_paths()
        colors = [theme.GLOBAL_MIN if best else theme.LOCAL_MIN for best in self.verdict.is_global]
        rings = VGroup(*(ring(p, c) for p, c in zip(on_curve[-1], colors)))
        names = self.minimum_names()
        self.play(
            LaggedStart(*(GrowFromCenter(r) for r in rings), lag_ratio=0.1),
            FadeIn(names),
            FadeIn(self.summary, shift=theme.VERDICT_RISE * UP),
            run_time=theme.INTRO_TIME,
        )

    def minimum_names(self) -> VGroup:
        """"global" / "local" under each minimum some start reached, below the steps panel."""
        names = VGroup()
        for k in np.unique(self.verdict.index):
            best = bool(gdmath.global_mask(TRIPLE_WELL)[k])
            text = label("global" if best else "local", size=theme.SMALL_SIZE,
                         color=theme.GLOBAL_MIN if best else theme.LOCAL_MIN)
            names.add(text.next_to(self.steps_axes.c2p(TRIPLE_WELL.minima[k, 0], 0), DOWN, buff=theme.MINIMA_VERDICT_NAME_BUFF))
        return names

    def make_summary(self) -> VGroup:
        n = self.verdict.is_global.size
        best = int(self.verdict.is_global.sum())
        lines = [f"{best} of {n} starts end", "in a global minimum,", f"{n - best} in the local one"]
        return readout(lines, size=theme.READOUT_SIZE)


def minima_end(p: MinimaParams, history: gdmath.DescentHistory) -> str:
    """The minima figure's verdict, e.g. "after 50 steps 6 of 8 starts end in a global minimum, 2 in the local one"."""
    best = gdmath.nearest_minimum(TRIPLE_WELL, history.final).is_global
    n, n_global = int(best.size), int(best.sum())
    return f"after {plural(p.steps, 'step')} {n_global} of {n} starts end in a global minimum, {n - n_global} in the local one"
