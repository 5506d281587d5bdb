"""Local vs Global Minima: the post's "Simple Convex Example" and "Multiple Minima Example".

``convex``: a dot steps down f(x) = x^2. Before each step the blue arrow shows df/dx
at the dot (pointing uphill); then the dot moves against it. A readout shows the
step, x and df/dx, straight from gdmath's history.

``minima``: several starts descend the triple well at once (two equal global minima
at x = +-2, a higher local one at 0). Under the curve, each start's x is drawn over
the steps, so the poster shows where each start went; at the end every final point
is marked global or local, as gdmath classifies it.

Render with ``python render.py --scene convex`` (or ``minima``), or plain
``manim -ql scenes/minima.py ConvexScene``.

Speed: the axes, curve and labels are added before anything moves, so manim draws
them once into its cached background; only the dots, the arrow, the trails and the
readout are redrawn per frame. ``convex`` runs its twelve steps as ONE play driven by
a tracker (each play ends with a wait for the encoder to flush its partial movie: with
27 short plays, a 1080p60 profile spent 16 of 29 s there); its readout is typeset once
per step and drawn as one merged path, like its trail of faint dots.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UL,
    UP,
    Circle,
    DashedLine,
    Dot,
    FadeIn,
    GrowFromCenter,
    LaggedStart,
    MathTex,
    ValueTracker,
    VGroup,
    VMobject,
    smooth,
)

import gdmath
from gdmath import PARABOLA, TRIPLE_WELL
from scenes import Figure, theme
from scenes.captions import Captioned, milestones, plural, sentence
from scenes.components import (
    ArrowField,
    DescentMarks,
    ThemedScene,
    heading,
    label,
    legend_entry,
    merged_ink,
    plane_axes,
    readout,
    run_steps,
)
from scenes.params import each, finite, param, positive, whole


def ring(
    point: np.ndarray, color, radius: float = 2.2 * theme.DOT_RADIUS, width: float = theme.VERDICT_RING_STROKE
) -> Circle:
    """A hollow circle around ``point`` (a start or a verdict mark)."""
    return Circle(radius=radius, color=color, stroke_width=width).move_to(point)


# --- convex ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ConvexParams:
    """One start on x^2, well up the left side; the x axis spans ``[-view, view]``."""

    start: float = param(-2.5, finite())
    alpha: float = param(0.2, positive())
    steps: int = param(12, whole(1, 10_000))
    view: float = param(3.0, positive())


class ConvexScene(Captioned, ThemedScene):
    """A dot descends x^2 step by step: the df/dx arrow, then the move against it.

    One tracker drives the whole descent: in each step's first part the arrow grows
    at the dot, in the rest the dot slides down the curve while the arrow fades. The
    updaters only index the arrays precomputed by :meth:`place_marks`.
    """

    params = ConvexParams()
    axes_size = (7.2, 5.2)
    path_samples = 24  # points of the curve along which the dot slides in one step
    step_time = theme.ARROW_TIME + theme.STEP_TIME
    arrow_head = 0.25  # longest arrowhead, scene units
    arrow_share = theme.ARROW_TIME / (theme.ARROW_TIME + theme.STEP_TIME)

    def construct(self) -> None:
        self.history = self.descend()
        self.slopes = PARABOLA.grad(self.history.points)[:, 0, 0]  # (steps + 1,)
        self.shown: list[tuple[int, float, float]] = []  # (step, x, df/dx) as the readout showed them
        self.show_graph()
        self.place_marks()
        self.show_start()
        self.take_steps()
        self.show_minimum()
        self.wait(theme.HOLD_TIME)

    # --- numbers -----------------------------------------------------------------
    def descend(self) -> gdmath.DescentHistory:
        p = self.params
        return gdmath.gradient_descent(PARABOLA, [[p.start]], alpha=p.alpha, steps=p.steps)

    @classmethod
    def describe(cls) -> str:
        p = cls.params
        h = gdmath.gradient_descent(PARABOLA, [[p.start]], alpha=p.alpha, steps=p.steps)
        return (f"A dot starts at x = {p.start:g} on f(x) = x^2 and takes {plural(p.steps, 'step')} of size "
                f"{p.alpha:g}: before each step an arrow of df/dx (pointing uphill) grows at the dot, then the dot "
                f"moves against it; a readout shows the step, x and df/dx. {sentence(convex_end(p, h))}.")

    def place_marks(self) -> None:
        """Everything the updaters show, on screen: the dot's place at each step
        ``places`` ``(steps + 1, 3)``, the tip of each step's df/dx arrow ``tips``
        ``(steps + 1, 3)``, and the stretch of curve each step slides along
        ``step_paths`` ``(steps, path_samples, 3)``."""
        x = self.history.points[:, 0, 0]
        self.places = self.axes.c2p(np.column_stack([x, self.history.values[:, 0]]))
        self.tips = self.places + np.outer(self.slopes * theme.SLOPE_ARROW_SCALE, RIGHT)
        along = np.linspace(0.0, 1.0, self.path_samples)
        xs = x[:-1, None] + along * (x[1:] - x[:-1])[:, None]  # (steps, samples)
        on_curve = np.stack([xs, PARABOLA.value(xs[..., None])], axis=-1)
        self.step_paths = self.axes.c2p(on_curve.reshape(-1, 2)).reshape(*xs.shape, 3)

    def moment(self, t: float) -> tuple[int, float, float]:
        """At tracker value ``t``: the step under way, how far its arrow has grown and
        how far the dot has slid (both 0..1). After the last step: ``(steps, 0, 0)``."""
        steps = self.params.steps
        if t >= steps:
            return steps, 0.0, 0.0
        k = int(t)
        into = (t - k) / self.arrow_share
        return k, min(into, 1.0), smooth(max(into - 1.0, 0.0) * self.arrow_share / (1 - self.arrow_share))

    # --- the picture --------------------------------------------------------------
    def show_graph(self) -> None:
        v = self.params.view
        top = float(PARABOLA.value([v]))
        self.heading = heading("Simple Convex Example", PARABOLA.tex)
        self.axes = plane_axes([-v, v, 1], [0, top, top / 3], *self.axes_size)
        self.axes.x_axis.add_numbers(font_size=theme.SMALL_SIZE, color=theme.MUTED_TEXT)
        x_name = MathTex("x", font_size=theme.LABEL_SIZE, color=theme.MUTED_TEXT)
        x_name.next_to(self.axes.x_axis, RIGHT, buff=0.2)
        self.curve = self.axes.plot(
            lambda x: float(PARABOLA.value([x])),
            x_range=[-v, v],
            color=theme.CURVE,
            stroke_width=theme.CURVE_STROKE,
        )
        self.readout = merged_ink(self.make_readout(0))
        legend = self.make_legend()
        panel = VGroup(self.readout, legend).arrange(DOWN, aligned_edge=LEFT, buff=0.45)
        body = VGroup(VGroup(self.axes, self.curve, x_name), panel).arrange(RIGHT, buff=0.8)
        body.next_to(self.heading, DOWN, buff=0.4)
        # static first (drawn once per play); the readout changes, so it goes in with the dot
        self.add(self.heading, self.axes, x_name, self.curve, legend)

    def make_legend(self) -> VGroup:
        """The key to the arrow and the update rule, under the readout."""
        key_arrow = ArrowField(
            [0.35 * LEFT], [0.35 * RIGHT], theme.GRADIENT_ARROW, theme.GRADIENT_ARROW_STROKE, self.arrow_head
        )
        key = legend_entry(key_arrow, "df/dx: points uphill")
        rule = MathTex(
            r"x \leftarrow x - \alpha \, \frac{df}{dx}",
            font_size=theme.LABEL_SIZE * 1.2,
            color=theme.TEXT,
        )
        alpha = label(f"alpha = {self.params.alpha:g}", size=theme.SMALL_SIZE)
        return VGroup(key, rule, alpha).arrange(DOWN, aligned_edge=LEFT, buff=0.45)

    def make_readout(self, k: int) -> VGroup:
        """Step, x and df/dx at step ``k``, straight from the history."""
        x, slope = self.history.points[k, 0, 0], self.slopes[k]
        lines = [f"step {k} / {self.params.steps}", f"x = {x:+.3f}", f"df/dx = {slope:+.3f}"]
        return readout(lines)

    def show_readout(self, k: int) -> None:
        """Rebuild the readout for step ``k`` (once per step), keeping its top-left corner.
        It is redrawn on every frame, so its glyphs are merged into one path."""
        corner = self.readout.get_corner(UL)
        self.readout.set_points(merged_ink(self.make_readout(k).move_to(corner, aligned_edge=UL)).points)
        self.readout.shown = k
        self.shown.append((k, float(self.history.points[k, 0, 0]), float(self.slopes[k])))

    # --- the descent ---------------------------------------------------------------
    @property
    def tracker(self) -> ValueTracker:
        if not hasattr(self, "_tracker"):
            self._tracker = ValueTracker(0)
        return self._tracker

    def show_start(self) -> None:
        self.dot = Dot(
            self.places[0],
            radius=theme.DOT_RADIUS * 1.4,
            color=theme.POINT_COLORS[0],
            stroke_color=theme.DOT_OUTLINE,
            stroke_width=theme.DOT_OUTLINE_STROKE,
        )
        self.crumb_shapes = [self.dot.copy().move_to(p).points for p in self.places[:-1]]
        self.crumbs = VMobject(fill_color=theme.POINT_COLORS[0], fill_opacity=theme.CRUMB_OPACITY, stroke_width=0)
        self.crumbs.shown = 0
        start = self.places[:1]
        self.arrow = ArrowField(
            start, start + RIGHT, theme.GRADIENT_ARROW, theme.GRADIENT_ARROW_STROKE, self.arrow_head
        ).set_opacity(0.0)
        self.show_readout(0)
        self.crumbs.add_updater(lambda m: self.follow_crumbs(self.tracker.get_value()))
        self.arrow.add_updater(lambda m: self.follow_arrow(self.tracker.get_value()))
        self.dot.add_updater(lambda m: self.follow_dot(self.tracker.get_value()))
        self.readout.add_updater(lambda m: self.follow_readout(self.tracker.get_value()))
        self.add(self.crumbs, self.arrow, self.readout)
        self.cue(f"The dot starts at x = {self.params.start:g}, where df/dx = {self.slopes[0]:.3g}")
        self.play(GrowFromCenter(self.dot), run_time=theme.INTRO_TIME / 2)

    def follow_dot(self, t: float) -> None:
        k, _, slid = self.moment(t)
        if k == self.params.steps:
            self.dot.move_to(self.places[k])
            return
        path = self.step_paths[k]
        at = slid * (len(path) - 1)
        i = min(int(at), len(path) - 2)
        self.dot.move_to(path[i] + (at - i) * (path[i + 1] - path[i]))

    def follow_arrow(self, t: float) -> None:
        """Grow df/dx at the dot, then fade it while the dot slides; hide it when too short to see."""
        k, grown, slid = self.moment(t)
        start, tip = self.places[k], self.tips[k]
        if k == self.params.steps or abs(tip[0] - start[0]) < 2 * theme.DOT_RADIUS or grown == 0.0:
            self.arrow.set_opacity(0.0)
            return
        self.arrow.put(start[None], (start + grown * (tip - start))[None])
        self.arrow.shafts.set_stroke(opacity=1.0 - slid)
        self.arrow.heads.set_fill(opacity=1.0 - slid)

    def follow_crumbs(self, t: float) -> None:
        """Leave a faint dot where each step started, once the dot has left it (all in one path)."""
        left_behind = int(np.sum(np.arange(self.params.steps) + self.arrow_share < t))
        if left_behind != self.crumbs.shown:
            self.crumbs.set_points(np.concatenate([np.zeros((0, 3)), *self.crumb_shapes[:left_behind]]))
            self.crumbs.shown = left_behind

    def follow_readout(self, t: float) -> None:
        k, _, _ = self.moment(t)
        if k != self.readout.shown:
            self.show_readout(k)

    def take_steps(self) -> None:
        steps = self.params.steps
        self.cue(f"{plural(steps, 'step')} of size {self.params.alpha:g}: each moves x by -{self.params.alpha:g} times df/dx")
        for k in range(1, steps):
            x, slope = self.history.points[k, 0, 0], self.slopes[k]
            self.cue_at_step(self.tracker, k, f"Step {k}: x = {x:.3g}, df/dx = {slope:.3g}")
        self.play(run_steps(self.tracker, steps, steps * self.step_time))

    def show_minimum(self) -> None:
        bottom = self.axes.c2p(*PARABOLA.minima[0], 0.0)
        mark = ring(bottom, theme.GLOBAL_MIN)
        name = label("minimum", size=theme.SMALL_SIZE, color=theme.GLOBAL_MIN)
        name.next_to(mark, UP, buff=0.25)
        self.cue(sentence(convex_end(self.params, self.history)))
        self.play(GrowFromCenter(mark), FadeIn(name), run_time=theme.STEP_TIME)


# --- multiple minima ----------------------------------------------------------------


@dataclass(frozen=True)
class MinimaParams:
    """Starts spread over the triple well so that some fall into each basin (the
    centre basin is ``|x| < 1``); the x axis spans ``[-view, view]``."""

    starts: tuple[float, ...] = param((-2.35, -1.6, -0.8, -0.25, 0.45, 1.2, 1.75, 2.4), each(finite()))
    alpha: float = param(0.03, positive())
    steps: int = param(50, whole(1, 10_000))
    view: float = param(2.45, positive())


class MinimaScene(Captioned, ThemedScene):
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
    @classmethod
    def describe(cls) -> str:
        p = cls.params
        h = gdmath.gradient_descent(TRIPLE_WELL, np.asarray(p.starts, dtype=float)[:, None], alpha=p.alpha, steps=p.steps)
        starts = ", ".join(f"{x:g}" for x in p.starts)
        return (f"{plural(len(p.starts), 'start')} (x = {starts}) descend f(x) = x^6/6 - 5x^4/4 + 2x^2 + 4/3, "
                f"which has two global minima at x = -2 and 2 and a local one at x = 0, with step size "
                f"{p.alpha:g}; under the curve, each start's x over the steps. {sentence(minima_end(p, h))}.")

    def descend(self) -> gdmath.DescentHistory:
        p = self.params
        starts = np.asarray(p.starts, dtype=float)[:, None]
        return gdmath.gradient_descent(TRIPLE_WELL, starts, alpha=p.alpha, steps=p.steps)

    @property
    def tracker(self) -> ValueTracker:
        if not hasattr(self, "_tracker"):
            self._tracker = ValueTracker(0)
        return self._tracker

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
        self.heading = heading("Multiple Minima Example", TRIPLE_WELL.tex)
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
        self.steps_axes.next_to(self.curve_axes, DOWN, buff=0.45)
        self.step_names = self.make_step_names()
        self.key = self.make_key()
        self.summary = self.make_summary()  # shown at the end; placed now, under the key
        side = VGroup(self.key, self.summary).arrange(DOWN, aligned_edge=LEFT, buff=0.6)
        plots = VGroup(self.curve_axes, self.curve, self.steps_axes, self.step_names)
        VGroup(plots, side).arrange(RIGHT, buff=0.7).next_to(self.heading, DOWN, buff=0.35)
        guides = self.minimum_guides()
        self.add(self.heading, guides, self.curve_axes, self.curve, self.step_names, self.key)

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
        top.next_to(self.steps_axes.c2p(-v, steps), LEFT, buff=0.25)
        bottom = label(f"step {steps}", size=theme.SMALL_SIZE)
        bottom.next_to(self.steps_axes.c2p(-v, 0), LEFT, buff=0.25)
        return VGroup(top.align_to(bottom, RIGHT), bottom)

    def make_key(self) -> VGroup:
        return VGroup(
            legend_entry(ring(np.zeros(3), theme.GLOBAL_MIN), "global minimum"),
            legend_entry(ring(np.zeros(3), theme.LOCAL_MIN), "local minimum"),
            legend_entry(self.start_mark(np.zeros(3), theme.MUTED_TEXT), "a start"),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.3)

    def start_mark(self, point: np.ndarray, color):
        return ring(point, color, radius=1.4 * theme.DOT_RADIUS, width=theme.START_RING_STROKE)

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
            FadeIn(self.summary, shift=0.2 * UP),
            run_time=theme.INTRO_TIME,
        )

    def minimum_names(self) -> VGroup:
        """"global" / "local" under each minimum some start reached, below the steps panel."""
        names = VGroup()
        for k in np.unique(self.verdict.index):
            best = bool(gdmath.global_mask(TRIPLE_WELL)[k])
            text = label("global" if best else "local", size=theme.SMALL_SIZE,
                         color=theme.GLOBAL_MIN if best else theme.LOCAL_MIN)
            names.add(text.next_to(self.steps_axes.c2p(TRIPLE_WELL.minima[k, 0], 0), DOWN, buff=0.2))
        return names

    def make_summary(self) -> VGroup:
        n = self.verdict.is_global.size
        best = int(self.verdict.is_global.sum())
        lines = [f"{best} of {n} starts end", "in a global minimum,", f"{n - best} in the local one"]
        return readout(lines, size=theme.READOUT_SIZE)


def convex_end(p: ConvexParams, history: gdmath.DescentHistory) -> str:
    """Where the convex run ends, e.g. "after 12 steps the dot is at x = -0.00544, f = 2.96e-05"."""
    x, f = float(history.final[0, 0]), float(history.values[-1, 0])
    return f"after {plural(p.steps, 'step')} the dot is at x = {x:.3g}, f = {f:.3g}; the minimum is at x = 0"


def minima_end(p: MinimaParams, history: gdmath.DescentHistory) -> str:
    """The minima figure's verdict, e.g. "after 50 steps 6 of 8 starts end in a global minimum, 2 in the local one"."""
    best = gdmath.nearest_minimum(TRIPLE_WELL, history.final).is_global
    n, n_global = int(best.size), int(best.sum())
    return f"after {plural(p.steps, 'step')} {n_global} of {n} starts end in a global minimum, {n - n_global} in the local one"


FIGURES = [
    Figure(
        "convex",
        "A dot descends f(x) = x^2: the blue df/dx arrow at each step, the move against it.",
        ConvexScene,
    ),
    Figure(
        "minima",
        "Starts on a function with two global minima and a local one: "
        "where you start decides where you end.",
        MinimaScene,
    ),
]
