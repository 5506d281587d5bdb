"""Optimizers: SGD, Momentum, Nesterov, RMSProp and Adam race down Rosenbrock's valley.

The post: "The go-to right now is the Adam optimizer which varies alpha automatically
based on patterns observed in prior iterations." This figure shows what that and its
neighbours do on gdmath's ``ROSENBROCK``, ``(1 - x)^2 + 100 (y - x^2)^2``: a narrow
valley along ``y = x^2`` (curvature ~1000 across it near the start, ~1 along it) that
ends in the minimum (1, 1). All five start at the classic (-1.2, 1) and take 300 steps.

Why these hyperparameters (each shows its rule's character):

- SGD, ``alpha = 0.001``: a step the valley's steep walls allow without bouncing
  (at 0.002 its y already turns back and forth 23 times in 300 steps); it drops onto
  the valley floor in one step, then crawls along the flat floor (gradient ~1 there):
  after 300 steps it is still on the left half of the banana, at (-0.76, 0.58).
- Momentum and Nesterov, ``alpha = 0.001``, ``beta = 0.9``: the same step as SGD, but
  the velocity builds up to ~10 times the gradient along the floor, so they run down
  the valley, overshoot its bend and curl back across it. Nesterov's look-ahead damps
  the curling a little.
- RMSProp, ``alpha = 0.01``, ``rho = 0.9``: each coordinate's step is divided by its
  recent gradient size, so steps are ~alpha whatever the walls' steepness; it follows
  the floor at an even pace.
- Adam, ``alpha = 0.1`` (the paper's ``beta1 = 0.9``, ``beta2 = 0.999``): its first
  steps are ~alpha per coordinate whatever the gradient (bias-corrected), then momentum
  carries it along the floor.

What the last frame says (which got closest to the minimum after the same number of
steps) comes from ``gdmath.final_distance``. A run that leaves the window would be drawn
clipped with an arrowhead, as in ``lr_unstable`` (``components.ClippedSteps``).

Render with ``python render.py --scene optimizers`` or plain
``manim -ql scenes/optimizers.py OptimizerRace``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, FadeIn, Group, MathTex, ValueTracker, VGroup, smooth

import gdmath
from gdmath import ROSENBROCK
from scenes import components, figure, theme
from scenes.captions import Captioned, milestones
from scenes.components import DescentParams
from scenes.components.text import FORMULA_MAX_HEIGHT
from scenes.params import between, each, finite, increasing, param, positive, typed_function, whole


@dataclass(frozen=True)
class RaceParams(DescentParams):
    """The race: its start, its steps and its five update rules; the CLI may override any
    field, tests shrink them.

    The map shows ``[x_view] x [y_view]``; ``map_pixels`` is its resolution along x.
    """

    default_objective = ROSENBROCK

    start: tuple[float, float] = param((-1.2, 1.0), each(finite(), length=2))
    steps: int = param(300, whole(1, 10_000))
    sgd_alpha: float = param(0.001, positive())
    momentum_alpha: float = param(0.001, positive())
    momentum_beta: float = param(0.9, between(0, 0.999))
    nesterov_alpha: float = param(0.001, positive())
    nesterov_beta: float = param(0.9, between(0, 0.999))
    rmsprop_alpha: float = param(0.01, positive())
    rmsprop_rho: float = param(0.9, between(0, 0.999))
    adam_alpha: float = param(0.1, positive())
    adam_beta1: float = param(0.9, between(0, 0.999))
    adam_beta2: float = param(0.999, between(0, 0.9999))
    x_view: tuple[float, float] = param((-1.6, 1.6), increasing(2))
    y_view: tuple[float, float] = param((-0.6, 1.6), increasing(2))
    map_pixels: int = param(320, whole(2, 2000))
    loss_floor: float = param(1e-4, positive())
    function: str | None = param(None, typed_function(2), kind=str)

    def view_box(self) -> tuple[tuple[float, float], tuple[float, float]]:
        return self.x_view, self.y_view


def optimizers_of(p: RaceParams) -> list:
    """The five update rules of the race, in the legend's order."""
    return [
        gdmath.SGD(p.sgd_alpha),
        gdmath.Momentum(p.momentum_alpha, beta=p.momentum_beta),
        gdmath.Nesterov(p.nesterov_alpha, beta=p.nesterov_beta),
        gdmath.RMSProp(p.rmsprop_alpha, rho=p.rmsprop_rho),
        gdmath.Adam(p.adam_alpha, beta1=p.adam_beta1, beta2=p.adam_beta2),
    ]


@dataclass(frozen=True)
class Race:
    """What the race figure shows.

    Attributes:
        histories: one per update rule, in the legend's order, each ``points (steps + 1, 1, 2)``.
        distances: ``(5,)`` each run's last point's distance to the minimum (1, 1).
        winner: the index of the run that ended closest (for a typed function without a
            minimum found in the view: the lowest final value).
        clipped: each run's path seen through the map's window (gdmath.clip_path).
        log_heights: ``(nx, ny)`` ``log10(1 + f - floor)`` over the window: the map, coloured by
            decades so that the valley floor shows (nan where f is undefined).
        target: the minimum the distances are to, ``(2,)`` (Rosenbrock's (1, 1), or the lowest
            minimum found in the view of a typed function), None if none was found.
        floor: the value the loss axis counts from (0 for Rosenbrock: its minimum's value).
        typed: the function was typed (the verdict says "found in the view").
    """

    histories: tuple[gdmath.DescentHistory, ...]
    distances: np.ndarray
    winner: int
    clipped: tuple[gdmath.ClippedPath, ...]
    log_heights: np.ndarray
    target: np.ndarray | None = None
    floor: float = 0.0
    typed: bool = False
    drawn: tuple[np.ndarray, ...] = ()  # each run's path as drawn, (steps + 1, 2): gdmath.drawable_points

    def losses(self, step: int) -> str:
        """``"SGD 4.1, Momentum 0.52, ..."``: each run's loss at ``step``."""
        return ", ".join(f"{h.optimizer.name} {h.values[step, 0]:.3g}" for h in self.histories)

    def target_text(self) -> str:
        """``"(1, 1)"``, or for a typed function ``"the lowest minimum found in the view, (0, 0)"``."""
        x, y = np.round(self.target, 9) + 0.0
        point = f"({x:.3g}, {y:.3g})"
        return f"the lowest minimum found in the view, {point}" if self.typed else point

    def verdict(self) -> str:
        """The last frame's sentence: ``"closest to (1, 1) after 300 steps: Adam, 0.012 away"``."""
        best = self.histories[self.winner]
        if self.target is None:
            return (f"no minimum found in the view; lowest value after {best.steps} steps: {best.optimizer.name}, "
                    f"f = {best.values[-1, 0]:.3g}")
        away = f"{self.distances[self.winner]:.3g}" if self.typed else f"{self.distances[self.winner]:.3f}"
        return (f"closest to {self.target_text()}{',' if self.typed else ''} after {best.steps} steps: {best.optimizer.name}, "
                f"{away} away")

    def facts(self) -> tuple[str, ...]:
        return (self.verdict(), self.losses(-1))


def race(p: RaceParams) -> Race:
    """The five runs from ``p.start`` for ``p.steps`` steps, which ended closest, and the map."""
    histories = tuple(p.descend([p.start], rule) for rule in optimizers_of(p))
    target, floor = race_target(p)
    if target is not None:
        distances = np.array([gdmath.final_distance(h, target)[0] for h in histories])
        winner = int(np.nanargmin(distances))
    else:
        distances = np.full(len(histories), np.nan)
        finals = np.array([h.values[-1, 0] for h in histories])
        winner = int(np.nanargmin(np.where(np.isfinite(finals), finals, np.inf)))
    (x0, x1), (y0, y1) = p.view_box()
    drawn = tuple(gdmath.drawable_points(h, [x0, y0], [x1, y1])[:, 0] for h in histories)
    clipped = tuple(gdmath.clip_path(path, [x0, y0], [x1, y1]) for path in drawn)
    with np.errstate(all="ignore"):  # undefined values stay nan (the map masks them)
        log_heights = np.log10(1.0 + np.maximum(p.height_map() - floor, 0.0))
    return Race(histories=histories, distances=distances, winner=winner, clipped=clipped, drawn=drawn,
                log_heights=log_heights, target=target, floor=floor, typed=p.typed)


def race_target(p: RaceParams) -> tuple[np.ndarray | None, float]:
    """The minimum the race is judged by and the value its loss axis counts from: Rosenbrock's
    (1, 1) and 0; for a typed function the lowest minimum found in the view and its value (none
    found: None and the lowest finite value on the map)."""
    objective = p.objective
    if not p.typed:
        return objective.minima[0], 0.0
    if not len(objective.minima):
        heights = p.height_map()
        finite = heights[np.isfinite(heights)]
        return None, float(finite.min()) if finite.size else 0.0
    values = objective.value(objective.minima)
    lowest = int(np.argmin(values))
    return objective.minima[lowest], float(values[lowest])


def optimizer_legend(histories: list[gdmath.DescentHistory], colors: list, buff: float) -> VGroup:
    """One key per run: its colour's swatch and its rule with the hyperparameters, in its colour."""
    entries = [components.coloured_entry(c, hyper_text(h.optimizer), size=theme.OPT_LEGEND_SIZE)
               for h, c in zip(histories, colors)]
    return VGroup(*entries).arrange(DOWN, buff=buff, aligned_edge=LEFT)


def hyper_text(optimizer) -> str:
    """``"Momentum  α 0.001  β 0.9"`` for the legend."""
    greek = {"alpha": "α", "beta": "β", "beta1": "β₁", "beta2": "β₂", "rho": "ρ"}
    parts = [f"{greek[k]} {v:g}" for k, v in optimizer.hyperparameters.items() if k in greek]
    return f"{optimizer.name}  " + "  ".join(parts)


@figure("optimizers", title="Comparing Optimizers",
        description="SGD, Momentum, Nesterov, RMSProp and Adam race 300 steps down Rosenbrock's curved valley.")
class OptimizerRace(Captioned, components.DescentScene, components.ThemedScene):
    """Five optimizers from one start on the Rosenbrock valley: paths and loss curves."""

    params = RaceParams()
    compute = staticmethod(race)
    map_height = 4.3  # the map (its width follows the view's aspect)
    map_opacity = 0.55  # the height map under the five paths, dimmed so the paths stand out
    loss_size = (4.6, 2.5)  # width and height of the loss axes beside it
    dot_radius = 0.02  # a dot at every step reached
    head_radius = 0.075
    loss_dot_radius = dot_radius * 2  # a dot at every step on the loss curves
    descent_time = 9.0
    heading_gap = 0.5  # the title to the formula
    column_gap = 0.6  # the map to the column of the loss axes and the legend
    legend_gap = 0.35  # the loss axes (with their tick labels) over the legend
    legend_row_gap = 0.14  # between the legend's entries
    counter_gap = 0.25  # the step counter under the map
    name_buff = 0.1  # x and y at the end of their axis, as on the learning-rate windows
    step_name_buff = 0.45  # "step" under the step axis (below its tick labels)
    verdict_edge_buff = 0.3  # the verdict to the frame's bottom edge

    @classmethod
    def describe(cls) -> str:
        p = cls.params
        run = cls.compute(p)
        rules = "; ".join(hyper_text(h.optimizer).replace("  ", " ") for h in run.histories)
        where = ("down the curved, narrow valley of the Rosenbrock function (minimum at (1, 1))" if not p.typed
                 else f"on {p.function_text('')}")
        loss, final = ("loss", "losses") if not p.typed else ("value above the lowest minimum", "values")
        verdict = run.verdict()
        return (f"Five optimizers race from ({p.start[0]:g}, {p.start[1]:g}) {where} for {p.steps} steps, drawn on its "
                f"contour map with each one's {loss} on a log axis beside it ({rules}). Final {final}: "
                f"{run.losses(-1)}. " + (f"The {verdict}." if verdict.startswith("closest") else f"In the end: {verdict}."))

    def construct(self) -> None:
        self.data = self.compute(self.params)
        self.tracker = ValueTracker(0)
        self.colors = [theme.OPT_COLORS[h.optimizer.name] for h in self.data.histories]
        self.lay_out()
        self.show_start()
        self.take_steps()
        self.show_verdict()
        self.wait(theme.HOLD_TIME)

    # --- layout -------------------------------------------------------------------
    def lay_out(self) -> None:
        formula = MathTex(self.params.objective.tex, font_size=theme.LABEL_SIZE, color=theme.MUTED_TEXT)
        if formula.height > FORMULA_MAX_HEIGHT:  # a typed function's \frac
            formula.scale_to_fit_height(FORMULA_MAX_HEIGHT)
        self.counter = components.step_counter(self.tracker, self.params.steps)
        self.heading = VGroup(components.title(self.title), formula)
        self.heading.arrange(RIGHT, buff=self.heading_gap).to_edge(UP, buff=theme.HEADING_ROW_EDGE_BUFF)
        self.map = self.make_map()
        self.loss = self.make_loss_axes()
        self.legend = self.make_legend()
        right = VGroup(self.loss, self.legend).arrange(DOWN, buff=self.legend_gap, aligned_edge=LEFT)
        body = Group(self.map, right).arrange(RIGHT, buff=self.column_gap, aligned_edge=UP)
        body.next_to(self.heading, DOWN, buff=theme.BODY_GAP)
        self.counter.next_to(self.map, DOWN, buff=self.counter_gap).align_to(self.map, LEFT)
        self.add(self.heading, self.map, self.loss, self.legend)

    def make_map(self):
        (x0, x1), (y0, y1) = self.params.view_box()
        height = self.map_height
        self.window = self.view_axes(height * (x1 - x0) / (y1 - y0), height, tick=0.5)
        log_heights = self.data.log_heights
        image = components.heat_map(self.window, log_heights, 0.0, self.map_top(log_heights))
        image.set_opacity(self.map_opacity)
        target = self.data.target
        minimum = components.minimum_ring(self.window.c2p(*target)) if target is not None else VGroup()
        names = VGroup(
            components.label("x", size=theme.OPT_TICK_SIZE).next_to(self.window.c2p(x1, 0), RIGHT, buff=self.name_buff),
            components.label("y", size=theme.OPT_TICK_SIZE).next_to(self.window.c2p(0, y1), UP, buff=self.name_buff),
        )
        return Group(image, self.window, minimum, names)

    def map_top(self, log_heights: np.ndarray) -> float:
        """The top of the map's colour scale: its highest value (a typed function's, robust
        to one that blows up in the view: the 99th percentile of the finite values)."""
        if not self.params.typed:
            return float(log_heights.max())
        top = gdmath.robust_range(log_heights, (0.0, 99.0), whole_when_tame=False)[1]
        return top if top > 0 else 1.0

    def make_loss_axes(self) -> VGroup:
        losses = np.concatenate([h.values[:, 0] - self.data.floor for h in self.data.histories])
        if self.params.typed:  # a typed function's runs may reach its minimum exactly: the axis stops at the floor
            losses = np.maximum(losses, self.params.loss_floor)
        self.decades = components.decade_range(losses, self.params.loss_floor, 7)
        lo, hi, step = self.decades
        steps = self.params.steps
        tick = max(1, steps // 3)
        self.loss_axes = components.log_axes([0, steps, tick], self.decades, *self.loss_size)
        ticks = components.tick_labels(self.loss_axes, list(range(0, steps + 1, tick)),
                                       list(range(lo, hi + 1, step)), theme.OPT_TICK_SIZE)
        names = VGroup(
            components.label("loss" if not self.params.typed else "f - lowest minimum", size=theme.OPT_TICK_SIZE).next_to(self.loss_axes.c2p(0, 10.0**hi), UP,
                                                                        buff=theme.LOSS_AXIS_NAME_BUFF),
            components.label("step", size=theme.OPT_TICK_SIZE).next_to(self.loss_axes.c2p(steps, 10.0**lo),
                                                                        DOWN, buff=self.step_name_buff),
        )
        return VGroup(self.loss_axes, ticks, names)

    def make_legend(self) -> VGroup:
        return optimizer_legend(self.data.histories, self.colors, buff=self.legend_row_gap)

    # --- the race ------------------------------------------------------------------
    def make_moving(self) -> VGroup:
        paths = [
            components.ClippedSteps(self.window, path, clipped, self.tracker, color=color,
                                    dot_radius=self.dot_radius, head_radius=self.head_radius)
            for path, clipped, color in zip(self.data.drawn, self.data.clipped, self.colors)
        ]
        lo = 10.0 ** self.decades[0]
        steps = np.arange(self.params.steps + 1)
        curves = np.stack(
            [self.loss_axes.c2p(np.column_stack([steps, np.maximum(h.values[:, 0] - self.data.floor, lo)]))
             for h in self.data.histories],
            axis=1,
        )  # (steps + 1, 5, 3)
        self.loss_marks = components.DescentMarks(curves, self.tracker, self.colors, dot_radius=self.loss_dot_radius)
        self.paths = VGroup(*reversed(paths))  # the short, slow paths on top of the long ones
        return VGroup(self.paths, self.loss_marks)

    def show_start(self) -> None:
        moving = self.make_moving()
        self.add(moving, self.counter)
        self.cue(f"SGD, Momentum, Nesterov, RMSProp and Adam start together at ({self.params.start[0]:g}, "
                 f"{self.params.start[1]:g}) on " + ("the Rosenbrock valley" if not self.params.typed
                                                     else self.params.objective.canonical))
        self.play(FadeIn(moving), FadeIn(self.counter), run_time=theme.INTRO_TIME, rate_func=smooth)

    def take_steps(self) -> None:
        self.cue(f"{self.params.steps} steps begin")
        for k in milestones(self.params.steps, 3):
            self.cue_at_step(self.tracker, k, f"Step {k} of {self.params.steps}: losses {self.data.losses(k)}")
        self.play(components.run_steps(self.tracker, self.params.steps, self.descent_time))

    def show_verdict(self) -> None:
        self.verdict = components.label(self.data.verdict(), size=theme.OPT_VERDICT_SIZE,
                                        color=self.colors[self.data.winner])
        room = self.camera.frame_width - 2 * theme.SIDE_MARGIN
        if self.verdict.width > room:  # a typed function's verdict names its minimum: longer
            self.verdict.scale_to_fit_width(room)
        self.verdict.to_edge(DOWN, buff=self.verdict_edge_buff)
        verdict = self.data.verdict()
        if self.params.typed:
            self.cue(f"{verdict[0].upper()}{verdict[1:]}; final values {self.data.losses(-1)}")
        else:
            self.cue(f"The {verdict}; final losses {self.data.losses(-1)}")
        self.play(FadeIn(self.verdict, shift=theme.VERDICT_RISE * UP), run_time=theme.VERDICT_TIME)
