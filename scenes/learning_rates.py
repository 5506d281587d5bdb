"""Comparing Learning Rates: one bowl, one start, one number of steps, four learning rates.

The post: "Let's consider the convex function below where we know the optimal value
lies at (0, 0). With different learning rates we will see how the behavior and results
change! [...] the number of iterations is kept the same as to easily compare their
behaviors."

The function is gdmath's ``ELONGATED_BOWL``, ``f(x, y) = (5x^2 + y^2) / 2``. Its
gradient is ``(5x, y)``, so one step multiplies ``x`` by ``1 - 5 alpha`` and ``y`` by
``1 - alpha``: the curvatures 5 and 1 fix the behaviours.

- ``alpha < 0.4`` is stable (``|1 - 5 alpha| < 1``); ``alpha <= 0.2`` does not
  oscillate along x (``1 - 5 alpha >= 0``).
- Slow and Steady, ``alpha = 0.01``: x is multiplied by 0.95 and y by 0.99 per step;
  after 50 steps y is still 0.6 of its start (loss 4.5 -> 0.75).
- Adequately Fast, ``alpha = 0.15``: factors 0.25 and 0.85; no sign change, the point
  drops into the valley and runs down it (loss -> 1.7e-7).
- A Bit Unstable, ``alpha = 0.38``: x flips sign every step with factor -0.9, so the
  point bounces across the valley while it settles (loss -> 6.6e-5).
- Unusable, ``alpha = 0.5``: x is multiplied by -1.5 per step, so the loss grows like
  ``1.5^(2k)``; from the start (1, 2) it is 2.5 * 1.5^100 = 1.0e18 after 50 steps, the
  post's "10^18".

Each figure: the contour lines of f (exact ellipses from ``gdmath.bowl_contours``) with
the path drawn step by step, and the loss on a log axis growing beside it. A point that
leaves the contour window is clipped honestly (``gdmath.clip_path``): the segments show
where they cross the window, and an arrowhead on the window's edge, with the point's
coordinates below, shows where it went. "Diverged" comes from gdmath's history.

Render with ``python render.py --scene lr_unstable`` (or ``lr_small``, ``lr_good``,
``lr_large``, ``learning_rates``), or plain ``manim -ql scenes/learning_rates.py Unusable``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from manim import (
    DOWN,
    DR,
    LEFT,
    RIGHT,
    UP,
    UR,
    FadeIn,
    MathTex,
    Rectangle,
    Text,
    ValueTracker,
    VGroup,
    smooth,
)

import gdmath
from gdmath import ELONGATED_BOWL
from scenes import figure, theme
from scenes.captions import Captioned, milestones, plural, sentence
from scenes.components import (
    ClippedSteps,
    DescentMarks,
    GlyphReadout,
    ThemedScene,
    decade_range,
    ellipse_contours,
    height_rgb,
    label,
    log_axes,
    minimum_ring,
    plane_axes,
    run_steps,
    sci,
    step_counter,
    step_readout,
    tick_labels,
    title,
)
from scenes.params import each, finite, param, positive, whole


@dataclass(frozen=True)
class Rate:
    """One of the post's four learning rates: its figure's name and alpha (the post's
    title is the figure's, declared once with ``@figure``)."""

    name: str
    alpha: float


SMALL = Rate("lr_small", 0.01)
GOOD = Rate("lr_good", 0.15)
LARGE = Rate("lr_large", 0.38)
UNSTABLE = Rate("lr_unstable", 0.5)
RATES = (SMALL, GOOD, LARGE, UNSTABLE)


@dataclass(frozen=True)
class BowlRunParams:
    """What every learning-rate figure shares (the post keeps the iterations the same).

    The contour window holds the ``contours`` ellipses up to the start's level, with
    ``margin`` (a share of the outermost ellipse's semi-axes) to spare on every side: its
    shape follows the bowl, so the ellipses fill it at equal scale (see
    :func:`window_extent`). The loss axis reaches down at least to ``loss_floor`` so
    that a loss still far from zero reads as such.
    """

    start: tuple[float, float] = param((1.0, 2.0), each(finite(), length=2))
    steps: int = param(50, whole(1, 10_000))
    margin: float = param(0.1, positive())
    contours: int = param(6, whole(1, 50))
    loss_floor: float = param(1e-8, positive())


@dataclass(frozen=True)
class LearningRateParams(BowlRunParams):
    alpha: float = param(SMALL.alpha, positive())


@dataclass(frozen=True)
class ComparisonParams(BowlRunParams):
    alphas: tuple[float, ...] = param(tuple(rate.alpha for rate in RATES), each(positive(), length=4))


MAX_LOSS_TICKS = 7  # intervals on the loss axis
OFF_MAP = "off the map at"
DESCENT_TIME = 7.0  # seconds for the steps, in every learning-rate figure (they compare in step)


def window_extent(params: BowlRunParams) -> tuple[float, float]:
    """Half the contour window's width and height: the outermost contour (the start's
    level) grown by ``params.margin``, so the window has the ellipses' aspect.

    >>> [round(v, 2) for v in window_extent(BowlRunParams())]  # the ellipse through (1, 2): 1.34 by 3
    [1.48, 3.3]
    """
    top = float(ELONGATED_BOWL.value(params.start))
    _, semi_axes = gdmath.bowl_contours(top, 1)
    vx, vy = semi_axes[-1] * (1.0 + params.margin)
    return float(vx), float(vy)


# --- what the figures show ----------------------------------------------------------------
@dataclass(frozen=True)
class BowlRun:
    """One learning rate's run on the bowl, and everything its panel draws from gdmath.

    ``history`` is the run (one start: ``points`` ``(steps + 1, 1, 2)``); ``extent`` the
    contour window's half width and height; ``levels`` ``(contours,)`` and ``semi_axes``
    ``(contours, 2)`` the contour ellipses up to the start's level; ``clipped`` the path
    seen through the window; ``decades`` the loss axis' ``(lo, hi, step)`` exponents.
    """

    alpha: float
    start: tuple[float, float]
    steps: int
    history: gdmath.DescentHistory
    extent: tuple[float, float]
    levels: np.ndarray
    semi_axes: np.ndarray
    clipped: gdmath.ClippedPath
    decades: tuple[int, int, int]

    @property
    def path(self) -> np.ndarray:
        """``(steps + 1, 2)``: the point at every step."""
        return self.history.points[:, 0]

    @property
    def drawn_path(self) -> np.ndarray:
        """``(steps + 1, 2)``: the path as drawn (``gdmath.drawable_points``: a step that
        overflowed goes out of the window the way it went)."""
        vx, vy = self.extent
        return gdmath.drawable_points(self.history, [-vx, -vy], [vx, vy])[:, 0]

    @property
    def losses(self) -> np.ndarray:
        """``(steps + 1,)``: the loss at every step."""
        return self.history.values[:, 0]

    @property
    def diverged(self) -> bool:
        """gdmath's verdict: the point ran away."""
        return bool(self.history.diverged[0])

    def loss_change(self) -> str:
        """E.g. "the loss goes from 4.5 to 0.747 in 50 steps without diverging"."""
        ending = "and diverges" if self.diverged else "without diverging"
        return (f"the loss goes from {self.losses[0]:.3g} to {self.losses[-1]:.3g} in "
                f"{plural(self.steps, 'step')} {ending}")

    def ending(self) -> str:
        """How the run ends, e.g. "step size 0.01: the loss goes from 4.5 to 0.747 in 50 steps ..."."""
        return f"step size {self.alpha:g}: {self.loss_change()}"

    def start_text(self) -> str:
        return f"The point starts at ({self.start[0]:g}, {self.start[1]:g}), loss {self.losses[0]:.3g}"

    def step_text(self, k: int) -> str:
        return f"Step {k} of {self.steps}: loss {self.losses[k]:.3g}"

    def facts(self) -> tuple[str, ...]:
        return (self.loss_change(),)


def bowl_run(params: BowlRunParams, alpha: float) -> BowlRun:
    """The run behind a panel: one start, ``params.steps`` steps of size ``alpha``, and
    its contours, window, clipped path and loss axis."""
    history = gdmath.gradient_descent(ELONGATED_BOWL, [params.start], alpha=alpha, steps=params.steps)
    losses = history.values[:, 0]
    vx, vy = window_extent(params)
    levels, semi_axes = gdmath.bowl_contours(float(losses[0]), params.contours)
    return BowlRun(
        alpha=alpha,
        start=params.start,
        steps=params.steps,
        history=history,
        extent=(vx, vy),
        levels=levels,
        semi_axes=semi_axes,
        clipped=gdmath.clip_path(gdmath.drawable_points(history, [-vx, -vy], [vx, vy])[:, 0], [-vx, -vy], [vx, vy]),
        decades=decade_range(losses, params.loss_floor, MAX_LOSS_TICKS),
    )


def rate_run(params: LearningRateParams) -> BowlRun:
    """One learning-rate figure: the run of step size ``params.alpha``."""
    return bowl_run(params, params.alpha)


@dataclass(frozen=True)
class RatesOverview:
    """The four runs of the overview, in step (``runs[i]`` has step size ``alphas[i]``)."""

    start: tuple[float, float]
    steps: int
    runs: tuple[BowlRun, ...]

    def start_text(self) -> str:
        return (f"Four runs start at ({self.start[0]:g}, {self.start[1]:g}), step sizes "
                f"{', '.join(f'{run.alpha:g}' for run in self.runs)}")

    def step_text(self, k: int) -> str:
        losses = ", ".join(f"{run.losses[k]:.3g}" for run in self.runs)
        return f"Step {k} of {self.steps}: losses {losses}"

    def ending(self) -> str:
        return "; ".join(run.ending() for run in self.runs)

    def facts(self) -> tuple[str, ...]:
        return tuple(run.loss_change() for run in self.runs)


def rates_overview(params: ComparisonParams) -> RatesOverview:
    """The overview: one run per step size of ``params.alphas``."""
    return RatesOverview(params.start, params.steps, tuple(bowl_run(params, alpha) for alpha in params.alphas))


# --- drawing ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class PanelLayout:
    """Sizes of a panel in scene units: the full figure, or a quarter of the overview."""

    window_height: float
    loss_size: tuple[float, float]
    tick_size: int
    readout_size: int
    step_tick: int  # the step axis is labelled every this many steps
    label_every: int  # label every n-th decade tick of the loss axis
    gap: float  # between the contour window and the loss axes
    coordinates: bool  # write where a point that left the window is (else the arrowhead alone)
    marks: float = 1.0  # scale of the dots and the arrowhead


class LearningRatePanel(VGroup):
    """One run: its path on the contour lines (left) and its loss on a log axis (right).

    The panel holds ``static``, what never moves (add it first: drawn once into the
    background). Place the panel, then call :meth:`make_moving` for what follows
    ``tracker`` (the step, fractional in between): it maps the run to the screen where
    the axes are then, so it must come after the layout. ``path`` ``(steps + 1, 2)`` and
    ``losses`` ``(steps + 1,)`` are the run's.
    """

    contour_stroke = 2.0
    window_stroke = 1.5
    loss_dot_scale = 1.6  # the loss curve's dots, relative to the path's step dots
    note_gap = 0.15  # the off-the-map note under the contour window
    note_line_gap = 0.08  # between the note's two lines
    readout_gap = 0.2  # the loss readout under the loss axes' tick labels
    diverged_buff = 0.25  # "diverged", diagonally in from the loss axes' upper left
    name_buff = 0.1  # the window's axis names to the end of their axis (diagonally off it)

    def __init__(self, run: BowlRun, tracker: ValueTracker, layout: PanelLayout) -> None:
        super().__init__()
        self.run, self.tracker, self.layout = run, tracker, layout
        self.path, self.losses, self.diverged = run.path, run.losses, run.diverged
        self.static = VGroup(self.make_window(), self.make_loss_axes())
        self.static.arrange(RIGHT, buff=layout.gap, aligned_edge=UP)
        self.add(self.static)

    def make_moving(self) -> VGroup:
        """The path, the loss curve and their readouts, mapped where the panel is now."""
        self.moving = VGroup(*self.make_path(), *self.make_loss_curve())
        return self.moving

    # --- the contour window -------------------------------------------------------
    def make_window(self) -> VGroup:
        vx, vy = self.run.extent
        height = self.layout.window_height
        self.window = plane_axes([-vx, vx, 1], [-vy, vy, 1], height * vx / vy, height)
        frame = Rectangle(
            width=self.window.x_length,
            height=height,
            color=theme.LR_WINDOW,
            stroke_width=self.window_stroke,
        ).move_to(self.window.c2p(0, 0))
        top = float(self.losses[0])
        # colours from the upper part of the height scale: pale on the dark page, deep on the white
        colors = height_rgb(self.run.levels, -0.5 * top, top)
        contours = ellipse_contours(self.window, self.run.semi_axes, colors, self.contour_stroke)
        minimum = minimum_ring(self.window.c2p(*ELONGATED_BOWL.minima[0]))
        # the axis names sit off the axes' ends (below x, right of y): an arrowhead on the
        # window's edge where a runaway point left along an axis points past them, not at them
        names = VGroup(
            label("x", size=self.layout.tick_size).next_to(self.window.c2p(vx, 0), DR, buff=self.name_buff),
            label("y", size=self.layout.tick_size).next_to(self.window.c2p(0, vy), UR, buff=self.name_buff),
        )
        self.axis_names = names
        window = VGroup(self.window, contours, frame, minimum, names)
        if self.layout.coordinates:  # room under the window for the note on a point that left it
            self.note_room = self.off_map_lines(self.path.shape[0] - 1).set_opacity(0)
            window.add(self.note_room.next_to(frame, DOWN, buff=self.note_gap))
        return window

    def off_map_lines(self, k: int) -> VGroup:
        """The note for a point off the window, as plain Text (to size the room for it)."""
        size, color = self.layout.tick_size, theme.LR_OFF_MAP
        lines = (
            label(OFF_MAP, size=size, color=color),
            label(self.off_map_at(k), size=size, color=color),
        )
        return VGroup(*lines).arrange(DOWN, buff=self.note_line_gap)

    def off_map_at(self, k: int) -> str:
        return f"({sci(self.path[k, 0], 2)}, {sci(self.path[k, 1], 2)})"

    def make_path(self) -> list:
        scale = self.layout.marks
        self.steps = ClippedSteps(
            self.window,
            self.run.drawn_path,
            self.run.clipped,
            self.tracker,
            dot_radius=scale * theme.LR_STEP_DOT_RADIUS,
            head_radius=scale * theme.LR_HEAD_RADIUS,
            marker_size=scale * theme.LR_MARKER_SIZE,
        )
        if not self.layout.coordinates:
            return [self.steps]
        size, color = self.layout.tick_size, theme.LR_OFF_MAP
        words = label(OFF_MAP, size=size, color=color).move_to(self.note_room[0])
        words.add_updater(lambda m: m.set_opacity(1.0 if self.steps.off_map >= 0 else 0.0))
        where = GlyphReadout(
            lambda: self.steps.off_map,
            [self.off_map_at(k) for k in range(self.path.shape[0])],
            size,
            color,
            aligned_edge=UP,
        )
        where.move_to(self.note_room[1], aligned_edge=UP)
        self.off_map_note = VGroup(words, where)
        return [self.steps, self.off_map_note]

    # --- the loss --------------------------------------------------------------------
    def make_loss_axes(self) -> VGroup:
        lo, hi, step = self.decades = self.run.decades
        steps = self.run.steps
        self.loss_axes = log_axes(
            [0, steps, self.layout.step_tick], self.decades, *self.layout.loss_size
        )
        labelled = list(range(lo, hi + 1, step * self.layout.label_every))
        ticks = tick_labels(
            self.loss_axes,
            list(range(0, steps + 1, self.layout.step_tick)),
            labelled,
            self.layout.tick_size,
        )
        size = self.layout.tick_size
        names = VGroup(
            label("loss", size=size).next_to(self.loss_axes.c2p(0, 10.0**hi), UP, buff=theme.LOSS_AXIS_NAME_BUFF),
            label("step", size=size).next_to(self.loss_axes.c2p(steps, 10.0**lo), RIGHT, buff=theme.LOSS_AXIS_NAME_BUFF),
        )
        # room under the axes for the loss readout (see make_loss_curve)
        self.readout_room = label("loss 0", size=self.layout.readout_size).set_opacity(0)
        self.readout_room.next_to(ticks, DOWN, buff=self.readout_gap).align_to(self.loss_axes, RIGHT)
        return VGroup(self.loss_axes, ticks, names, self.readout_room)

    def make_loss_curve(self) -> list:
        shown = np.maximum(self.losses, 10.0 ** self.decades[0])  # below the axis: on its floor
        on_screen = self.loss_axes.c2p(np.column_stack([np.arange(self.losses.size), shown]))
        self.loss_marks = DescentMarks(
            on_screen[:, None, :],
            self.tracker,
            [theme.LR_PATH],
            dot_radius=self.layout.marks * theme.LR_STEP_DOT_RADIUS * self.loss_dot_scale,
        )
        self.loss_readout = step_readout(
            self.tracker,
            self.run.steps,
            lambda k: f"loss {sci(self.losses[k])}",
            size=self.layout.readout_size,
            color=theme.TEXT,
            aligned_edge=UR,
        )
        self.loss_readout.move_to(self.readout_room, aligned_edge=UR)
        return [self.loss_marks, self.loss_readout]

    def verdict(self) -> Text | None:
        """What gdmath's history says at the end: "diverged" (in the loss axes' upper left,
        which a rising curve leaves free), or None."""
        if not self.diverged:
            return None
        note = label("diverged", size=self.layout.readout_size, color=theme.LR_DIVERGED)
        return note.next_to(self.loss_axes.c2p(0, 10.0 ** self.decades[1]), DOWN + RIGHT, buff=self.diverged_buff)


class LearningRateScene(Captioned, ThemedScene):
    """One learning rate on the bowl: path on the contours, loss curve beside it."""

    params = LearningRateParams(alpha=SMALL.alpha)
    compute = staticmethod(rate_run)
    panel_layout = PanelLayout(
        window_height=5.2,
        loss_size=(7.6, 4.2),
        tick_size=theme.LR_TICK_SIZE,
        readout_size=theme.READOUT_SIZE,
        step_tick=10,
        label_every=1,
        gap=1.2,
        coordinates=True,
    )
    body_gap = 0.45  # the panel under the title row
    descent_time = DESCENT_TIME

    @classmethod
    def describe(cls) -> str:
        p, run = cls.params, cls.compute(cls.params)
        return (f"Gradient descent on the bowl f(x, y) = (5x^2 + y^2)/2 from ({p.start[0]:g}, {p.start[1]:g}) "
                f"with step size {p.alpha:g}: the path drawn step by step over the contour ellipses (left), the "
                f"loss on a log axis (right). {sentence(run.ending())}.")

    def construct(self) -> None:
        self.data = self.compute(self.params)
        self.tracker = ValueTracker(0)
        self.lay_out()
        self.show_start()
        self.take_steps()
        self.show_verdict()
        self.wait(theme.HOLD_TIME)

    def lay_out(self) -> None:
        self.heading = self.title_row()
        self.panel = LearningRatePanel(self.data, self.tracker, self.panel_layout)
        self.panel.next_to(self.heading, DOWN, buff=self.body_gap)
        self.counter = step_counter(self.tracker, self.data.steps)
        self.counter.align_to(self.panel.readout_room, UP).align_to(self.panel.loss_axes, LEFT)
        self.add(self.heading, self.panel.static)

    def title_row(self) -> VGroup:
        """The post's title, the run's alpha and the bowl's formula in one centred row
        (``components.heading`` is a title and a formula only)."""
        alpha = label(
            f"α = {self.data.alpha:g}", size=theme.RULE_SIZE, color=theme.LR_PATH
        )
        formula = MathTex(
            ELONGATED_BOWL.tex, font_size=theme.RULE_SIZE, color=theme.MUTED_TEXT
        )
        row = VGroup(title(self.title), alpha, formula).arrange(RIGHT, buff=theme.HEADING_GAP)
        return row.to_edge(UP, buff=theme.EDGE_BUFF)

    def show_start(self) -> None:
        moving = self.panel.make_moving()
        self.add(moving, self.counter)
        self.cue(self.data.start_text())
        self.play(FadeIn(moving), FadeIn(self.counter), run_time=theme.INTRO_TIME, rate_func=smooth)

    def take_steps(self) -> None:
        steps = self.data.steps
        self.cue(f"{plural(steps, 'step')} of size {self.data.alpha:g} begin")
        for k in milestones(steps, 2):
            self.cue_at_step(self.tracker, k, self.data.step_text(k))
        self.play(run_steps(self.tracker, steps, self.descent_time))

    def show_verdict(self) -> None:
        self.cue(sentence(self.data.ending()))
        verdict = self.panel.verdict()
        if verdict is None:
            self.wait(theme.VERDICT_TIME)
        else:
            self.play(FadeIn(verdict, shift=theme.VERDICT_RISE * UP), run_time=theme.VERDICT_TIME)


@figure(SMALL.name, title="Slow and Steady",
        description=f"Learning rate {SMALL.alpha:g} on (5x²+y²)/2: stable, still far from the minimum after {BowlRunParams.steps} steps.")
class SlowAndSteady(LearningRateScene):
    params = LearningRateParams(alpha=SMALL.alpha)


@figure(GOOD.name, title="Adequately Fast",
        description=f"Learning rate {GOOD.alpha:g}: swift, no oscillation, reaches the minimum of (5x²+y²)/2.")
class AdequatelyFast(LearningRateScene):
    params = LearningRateParams(alpha=GOOD.alpha)


@figure(LARGE.name, title="A Bit Unstable",
        description=f"Learning rate {LARGE.alpha:g}: bounces across the valley of (5x²+y²)/2, then settles.")
class ABitUnstable(LearningRateScene):
    params = LearningRateParams(alpha=LARGE.alpha)


@figure(UNSTABLE.name, title="Unusable",
        description=f"Learning rate {UNSTABLE.alpha:g}: diverges; the loss ends near 10^18 after {BowlRunParams.steps} steps.")
class Unusable(LearningRateScene):
    params = LearningRateParams(alpha=UNSTABLE.alpha)


#: The four figures in the post's order: the overview's quarters carry their titles.
RATE_SCENES = (SlowAndSteady, AdequatelyFast, ABitUnstable, Unusable)


@figure("learning_rates", title="Comparing Learning Rates",
        description="The four learning rates side by side, in step, on the same bowl and start.")
class ComparingLearningRates(Captioned, ThemedScene):
    """The four learning rates side by side (2 x 2), in step: one tracker drives them all."""

    params = ComparisonParams()
    compute = staticmethod(rates_overview)
    panel_layout = PanelLayout(
        window_height=2.4,
        loss_size=(3.2, 1.75),
        tick_size=theme.LR_QUARTER_TICK_SIZE,
        readout_size=theme.LR_QUARTER_TICK_SIZE,
        step_tick=25,
        label_every=2,
        gap=0.6,
        coordinates=False,
        marks=0.7,
    )
    body_gap = 0.2  # the quarters under the heading
    quarter_gaps = (0.5, 0.25)  # between the quarters: across, down
    quarter_title_gap = 0.3  # a quarter's title to its alpha
    quarter_header_gap = 0.15  # a quarter's title row over its panel
    descent_time = DESCENT_TIME
    quarter_titles = tuple(scene.title for scene in RATE_SCENES)

    def construct(self) -> None:
        self.data = self.compute(self.params)
        self.tracker = ValueTracker(0)
        self.lay_out()
        self.show_start()
        self.take_steps()
        self.show_verdicts()
        self.wait(theme.HOLD_TIME)

    @classmethod
    def describe(cls) -> str:
        p, data = cls.params, cls.compute(cls.params)
        runs = "; ".join(f"{name}, {run.ending()}" for name, run in zip(cls.quarter_titles, data.runs))
        return (f"The four learning rates side by side in a 2 x 2 grid, in step, on the bowl f(x, y) = "
                f"(5x^2 + y^2)/2 from ({p.start[0]:g}, {p.start[1]:g}): {runs}.")

    def lay_out(self) -> None:
        formula = MathTex(ELONGATED_BOWL.tex, font_size=theme.LABEL_SIZE, color=theme.MUTED_TEXT)
        self.counter = step_counter(self.tracker, self.data.steps)
        self.heading = VGroup(title(self.title), formula, self.counter).arrange(
            RIGHT, buff=theme.HEADING_GAP
        )
        self.heading.to_edge(UP, buff=theme.HEADING_ROW_EDGE_BUFF)
        self.panels = [LearningRatePanel(run, self.tracker, self.panel_layout) for run in self.data.runs]
        quarters = VGroup(*(self.quarter(name, panel) for name, panel in zip(self.quarter_titles, self.panels)))
        quarters.arrange_in_grid(rows=2, cols=2, buff=self.quarter_gaps)
        quarters.next_to(self.heading, DOWN, buff=self.body_gap)
        self.add(
            *self.heading[:2], *(q[0] for q in quarters), *(panel.static for panel in self.panels)
        )

    def quarter(self, name: str, panel: LearningRatePanel) -> VGroup:
        """``(header, panel)``: the post's title and alpha over the panel."""
        header = VGroup(
            label(name, size=theme.LR_QUARTER_TITLE_SIZE, color=theme.TEXT),
            label(
                f"α = {panel.run.alpha:g}",
                size=theme.LR_QUARTER_TITLE_SIZE,
                color=theme.LR_PATH,
            ),
        ).arrange(RIGHT, buff=self.quarter_title_gap)
        return VGroup(header, panel).arrange(DOWN, buff=self.quarter_header_gap, aligned_edge=LEFT)

    def show_start(self) -> None:
        moving = [panel.make_moving() for panel in self.panels]
        self.add(*moving, self.counter)
        self.cue(self.data.start_text())
        self.play(
            *(FadeIn(m) for m in moving),
            FadeIn(self.counter),
            run_time=theme.INTRO_TIME,
            rate_func=smooth,
        )

    def take_steps(self) -> None:
        steps = self.data.steps
        self.cue(f"{plural(steps, 'step')} begin, in step")
        for k in milestones(steps, 2):
            self.cue_at_step(self.tracker, k, self.data.step_text(k))
        self.play(run_steps(self.tracker, steps, self.descent_time))

    def show_verdicts(self) -> None:
        self.cue(sentence(self.data.ending()))
        verdicts = [v for v in (panel.verdict() for panel in self.panels) if v is not None]
        if verdicts:
            self.play(
                *(FadeIn(v, shift=theme.VERDICT_RISE * UP) for v in verdicts), run_time=theme.VERDICT_TIME
            )
        else:
            self.wait(theme.VERDICT_TIME)
