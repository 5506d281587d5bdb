"""The post's "Simple Convex Example": a dot steps down f(x) = x^2.

Before each step the blue arrow shows df/dx at the dot (pointing uphill); then the dot
moves against it. A readout shows the step, x and df/dx, straight from gdmath's history.

Render with ``python render.py --scene convex``, or plain
``manim -ql scenes/convex.py ConvexScene``.

Speed: the axes, curve and labels are added before anything moves, so manim draws
them once into its cached background; only the dot, the arrow, its trail of faint dots
and the readout are redrawn per frame. The twelve steps run as ONE play driven by a
tracker (each play ends with a wait for the encoder to flush its partial movie: with 27
short plays, a 1080p60 profile spent 16 of 29 s there); the readout's lines are
``components.step_readout``s (typeset once, recomposed from glyph outlines once per step).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, Dot, FadeIn, GrowFromCenter, MathTex, VGroup, VMobject, smooth

import gdmath
from gdmath import PARABOLA
from scenes import figure, theme
from scenes.captions import Captioned, plural, sentence
from scenes.components import (
    ArrowField,
    ObjectiveParams,
    StepTracking,
    ThemedScene,
    arrowheads,
    clip_height,
    heading,
    label,
    legend_entry,
    plane_axes,
    ring,
    run_steps,
    step_readout,
)
from scenes.params import finite, param, positive, typed_function, whole


@dataclass(frozen=True)
class ConvexParams(ObjectiveParams):
    """One start on x^2, well up the left side; the x axis spans ``[-view, view]``.
    ``function`` (text, a function of x) replaces x^2; its minima are those found in the view."""

    dim = 1
    default_objective = PARABOLA

    start: float = param(-2.5, finite())
    alpha: float = param(0.2, positive())
    steps: int = param(12, whole(1, 10_000))
    view: float = param(3.0, positive())
    function: str | None = param(None, typed_function(1), kind=str)

    def view_box(self) -> tuple[tuple[float, float]]:
        return ((-self.view, self.view),)

    def value_range(self) -> tuple[float, float]:
        """The value axis: from 0 to f at the view's edge for x^2, the typed function's range over the view."""
        if not self.typed:
            return 0.0, float(self.objective.value([self.view]))
        return self.height_range


SLIDE_SAMPLES = 24  # points of the curve along which the dot slides in one step


@dataclass(frozen=True)
class ConvexRun:
    """What the convex figure shows, from gdmath.

    Attributes:
        params: the parameters it was computed from.
        history: the descent of the one start, ``(steps + 1, 1, 1)`` points.
        slopes: df/dx at the dot before each step (and at its end), ``(steps + 1,)``.
        slides: the stretch of curve each step slides along, ``(steps, samples, 2)``
            points ``(x, f(x))`` from the step's x to the next.
        top: the top of the value axis (x^2: f at the view's edge).
        bottom: its bottom (x^2: 0).
        start: where the dot starts, e.g. "starts at x = -2.5, where df/dx = -5".
        end: where it ends, e.g. "after 12 steps the dot is at x = -0.00544, f = 2.96e-05; the minimum is at x = 0".
    """

    params: ConvexParams
    history: gdmath.DescentHistory
    slopes: np.ndarray
    slides: np.ndarray
    top: float
    start: str
    end: str
    bottom: float = 0.0
    clipped: gdmath.ClippedPath | None = None  # the slides seen through the panel, (samples, steps) arrays; None: all inside

    @property
    def x(self) -> np.ndarray:
        """The dot's x at each step, ``(steps + 1,)``."""
        return self.history.points[:, 0, 0]

    def facts(self) -> tuple[str, ...]:
        """The key numbers, as both the description and the cues print them."""
        p = self.params
        return self.start, f"{plural(p.steps, 'step')} of size {p.alpha:g}", sentence(self.end)


def convex_run(p: ConvexParams, samples: int = SLIDE_SAMPLES) -> ConvexRun:
    """Descend the params' objective (a function of x) from ``p.start``: the history, each step's
    slope and the curve between steps, and the texts naming the start and the end."""
    objective = p.objective
    history = gdmath.gradient_descent(objective, [[p.start]], alpha=p.alpha, steps=p.steps)
    with np.errstate(all="ignore"):  # a runaway's slope may overflow: the readout prints inf
        slopes = objective.grad(history.points)[:, 0, 0]
    window = p.window_of(history)
    x = history.points[:, 0, 0] if window is None else window[0][:, 0, 0]  # a runaway: sent out, finite
    along = np.linspace(0.0, 1.0, samples)
    xs = x[:-1, None] + along * (x[1:] - x[:-1])[:, None]  # (steps, samples)
    bottom, top = p.value_range()
    slides = np.stack([xs, far_values(objective, xs, bottom, top)], axis=-1)
    clipped = None
    if window is not None:
        clipped = gdmath.clip_path(slides.transpose(1, 0, 2), (-p.view, bottom), (p.view, top))
    final_x, final_f = float(history.final[0, 0]), float(history.values[-1, 0])
    minimum = f"the minimum is at x = {objective.minima[0, 0]:g}" if not p.typed else p.minima_text()
    ran_away = " (it ran away: diverged)" if history.diverged[0] else ""
    end = f"after {plural(p.steps, 'step')} the dot is at x = {final_x:.3g}, f = {final_f:.3g}{ran_away}; {minimum}"
    return ConvexRun(
        params=p,
        history=history,
        slopes=slopes,
        slides=slides,
        top=top,
        bottom=bottom,
        start=f"starts at x = {p.start:g}, where df/dx = {slopes[0]:.3g}",
        end=end,
        clipped=clipped,
    )


def far_values(objective, xs: np.ndarray, bottom: float, top: float) -> np.ndarray:
    """``f`` at ``xs`` ``(...)``, kept finite and within a million ranges of ``[bottom, top]``
    (far off the panel only the direction counts)."""
    span = top - bottom
    with np.errstate(all="ignore"):
        values = np.nan_to_num(objective.value(xs[..., None]), nan=top + span)
    return np.clip(values, bottom - 1e6 * span, top + 1e6 * span)


@figure("convex", title="Simple Convex Example",
        description="A dot descends f(x) = x^2: the blue df/dx arrow at each step, the move against it.")
class ConvexScene(Captioned, StepTracking, ThemedScene):
    """A dot descends x^2 step by step: the df/dx arrow, then the move against it.

    One tracker drives the whole descent: in each step's first part the arrow grows
    at the dot, in the rest the dot slides down the curve while the arrow fades. The
    updaters only index the arrays :meth:`place_marks` maps to the screen.
    """

    params = ConvexParams()
    compute = staticmethod(convex_run)

    axes_size = (7.2, 5.2)
    arrow_time = 0.35  # per step: the df/dx arrow grows ...
    move_time = 0.6  # ... then the dot moves against it
    step_time = arrow_time + move_time
    arrow_share = arrow_time / (arrow_time + move_time)
    slope_arrow_scale = 0.22  # screen units of arrow per unit of df/dx ...
    longest_slope_arrow = 2.5  # ... unless the steepest step's arrow would be longer than this
    arrow_head = 0.25  # longest arrowhead, scene units
    arrow_stroke = 6.0
    key_arrow_length = 0.7  # the df/dx arrow in the key
    dot_radius = theme.DOT_RADIUS * 1.4  # the one stepping dot, larger than a path's
    x_name_buff = 0.2  # "x" beyond the end of its axis
    side_block_gap = 0.45  # between the side panel's readout, key, update rule and alpha
    body_gap = 0.4  # the plot and its side panel under the heading
    minimum_name_buff = 0.25  # "minimum" above its ring

    def construct(self) -> None:
        self.data = self.compute(self.params)
        self.objective = self.params.objective
        self.show_graph()
        self.place_marks()
        self.show_start()
        self.take_steps()
        self.show_minimum()
        self.wait(theme.HOLD_TIME)

    @classmethod
    def describe(cls) -> str:
        p, data = cls.params, cls.compute(cls.params)
        return (f"A dot on {p.function_text('f(x) = x^2')} {data.start}, and takes {plural(p.steps, 'step')} of size "
                f"{p.alpha:g}: before each step an arrow of df/dx (pointing uphill) grows at the dot, then the dot "
                f"moves against it; a readout shows the step, x and df/dx. {sentence(data.end)}.")

    # --- on screen -----------------------------------------------------------------
    def place_marks(self) -> None:
        """Everything the updaters show, on screen: the dot's place at each step
        ``places`` ``(steps + 1, 3)``, the tip of each step's df/dx arrow ``tips``
        ``(steps + 1, 3)``, and the stretch of curve each step slides along
        ``step_paths`` ``(steps, samples, 3)``."""
        data = self.data
        self.places = self.axes.c2p(np.column_stack([data.x, data.history.values[:, 0]]))
        self.place_inside = np.ones(len(self.places), bool)
        if data.clipped is not None:  # a runaway: where it is drawn, and the arrowheads on the panel's edge
            c = data.clipped
            ends = np.concatenate([data.slides[:, 0], data.slides[-1:, -1]])
            self.places = self.axes.c2p(ends)
            self.place_inside = np.concatenate([c.inside[0], c.inside[-1, -1:]])
            edge, heading = self.held_edges(c)
            self.markers = arrowheads(self.axes, edge, heading, theme.LR_MARKER_SIZE).reshape(*c.edge.shape[:2], 12, 3)
        steepest = float(np.abs(data.slopes[np.isfinite(data.slopes)]).max(initial=0.0))
        scale = min(self.slope_arrow_scale, self.longest_slope_arrow / steepest) if steepest > 0 else self.slope_arrow_scale
        self.tips = self.places + np.outer(np.nan_to_num(data.slopes) * scale, RIGHT)
        self.step_paths = self.axes.c2p(data.slides.reshape(-1, 2)).reshape(*data.slides.shape[:2], 3)

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
        v, top, bottom = self.params.view, self.data.top, self.data.bottom
        self.heading = heading(self.title, self.objective.tex)
        self.axes = plane_axes([-v, v, 1], [bottom, top, (top - bottom) / 3], *self.axes_size)
        self.axes.x_axis.add_numbers(font_size=theme.SMALL_SIZE, color=theme.MUTED_TEXT)
        x_name = MathTex("x", font_size=theme.LABEL_SIZE, color=theme.MUTED_TEXT)
        x_name.next_to(self.axes.x_axis, RIGHT, buff=self.x_name_buff)
        value = self.objective.value
        if self.params.typed:  # cut to the value axis, which a function blowing up in the view passes
            value = lambda p: clip_height(self.objective.value(p), (bottom, top))  # noqa: E731
        self.curve = self.axes.plot(
            lambda x: float(value([x])),
            x_range=[-v, v],
            color=theme.CURVE,
            stroke_width=theme.CURVE_STROKE,
        )
        self.readout = self.make_readout()
        legend = self.make_legend()
        panel = VGroup(self.readout, legend).arrange(DOWN, aligned_edge=LEFT, buff=self.side_block_gap)
        body = VGroup(VGroup(self.axes, self.curve, x_name), panel).arrange(RIGHT, buff=theme.SIDE_PANEL_GAP)
        body.next_to(self.heading, DOWN, buff=self.body_gap)
        # static first (drawn once per play); the readout changes, so it goes in with the dot
        self.add(self.heading, self.axes, x_name, self.curve, legend)

    def make_legend(self) -> VGroup:
        """The key to the arrow and the update rule, under the readout."""
        half = self.key_arrow_length / 2
        key_arrow = ArrowField([half * LEFT], [half * RIGHT], theme.GRADIENT_ARROW, self.arrow_stroke, self.arrow_head)
        key = legend_entry(key_arrow, "df/dx: points uphill")
        rule = MathTex(
            r"x \leftarrow x - \alpha \, \frac{df}{dx}",
            font_size=theme.RULE_SIZE,
            color=theme.TEXT,
        )
        alpha = label(f"alpha = {self.params.alpha:g}", size=theme.SMALL_SIZE)
        return VGroup(key, rule, alpha).arrange(DOWN, aligned_edge=LEFT, buff=self.side_block_gap)

    def make_readout(self) -> VGroup:
        """Step, x and df/dx of the step under way, straight from the history: three lines
        typeset once and recomposed from glyph outlines when the step changes."""
        x, slopes, steps = self.data.x, self.data.slopes, self.params.steps
        number = "+.3f" if not self.params.typed else "+.4g"  # a typed function's run may reach 1e30
        texts = [
            lambda k: f"step {k} / {steps}",
            lambda k: f"x = {x[k]:{number}}",
            lambda k: f"df/dx = {slopes[k]:{number}}",
        ]
        lines = VGroup(*(step_readout(self.tracker, steps, text) for text in texts))
        return lines.arrange(DOWN, aligned_edge=LEFT, buff=theme.READOUT_LINE_GAP)

    # --- the descent ---------------------------------------------------------------
    def show_start(self) -> None:
        self.dot = Dot(
            self.places[0],
            radius=self.dot_radius,
            color=theme.POINT_COLORS[0],
            stroke_color=theme.DOT_OUTLINE,
            stroke_width=theme.DOT_OUTLINE_STROKE,
        )
        self.crumb_shapes = [self.dot.copy().move_to(p).points if inside else np.zeros((0, 3))
                             for p, inside in zip(self.places[:-1], self.place_inside[:-1])]
        self.off_marker = VMobject(fill_color=theme.LR_OFF_MAP, fill_opacity=1.0, stroke_width=0)
        self.crumbs = VMobject(fill_color=theme.POINT_COLORS[0], fill_opacity=theme.CRUMB_OPACITY, stroke_width=0)
        self.crumbs.left_behind = 0
        start = self.places[:1]
        self.arrow = ArrowField(
            start, start + RIGHT, theme.GRADIENT_ARROW, self.arrow_stroke, self.arrow_head
        ).set_opacity(0.0)
        self.crumbs.add_updater(lambda m: self.follow_crumbs(self.tracker.get_value()))
        self.arrow.add_updater(lambda m: self.follow_arrow(self.tracker.get_value()))
        self.dot.add_updater(lambda m: self.follow_dot(self.tracker.get_value()))
        self.add(self.crumbs, self.arrow, self.readout, self.off_marker)
        self.cue(f"The dot {self.data.start}")
        self.play(GrowFromCenter(self.dot), run_time=theme.INTRO_TIME / 2)

    def follow_dot(self, t: float) -> None:
        k, _, slid = self.moment(t)
        if k == self.params.steps:
            self.dot.move_to(self.places[k])
            self.show_off_panel(k - 1, len(self.step_paths[0]) - 1, None)
            return
        path = self.step_paths[k]
        at = slid * (len(path) - 1)
        i = min(int(at), len(path) - 2)
        self.dot.move_to(path[i] + (at - i) * (path[i + 1] - path[i]))
        self.show_off_panel(k, i, at - i)

    @staticmethod
    def held_edges(c: gdmath.ClippedPath) -> tuple[np.ndarray, np.ndarray]:
        """Where the arrowhead of each slide sample stands, ``(samples * steps, 2)`` twice (in
        ``c.edge``'s order): where the dot last went off the panel, held there while it stays
        outside (``clip_path``'s ray from the centre only before it first leaves)."""
        samples, steps = c.inside.shape
        left = np.zeros((samples, steps), bool)
        left[1:] = ~c.inside[1:] & (c.t_in <= c.t_out)
        order = lambda a: a.transpose(1, 0, *range(2, a.ndim)).reshape(samples * steps, *a.shape[2:])  # noqa: E731
        flat_left = order(left)
        last = np.maximum.accumulate(np.where(flat_left, np.arange(flat_left.size), -1))
        pick = np.where(last >= 0, last, np.arange(flat_left.size))
        back = lambda a: order(a)[pick].reshape(steps, samples, -1).transpose(1, 0, 2).reshape(-1, a.shape[-1])  # noqa: E731
        return back(c.edge), back(c.heading)

    def show_off_panel(self, k: int, i: int, frac: float | None) -> None:
        """A runaway's dot at sample ``i`` (plus ``frac`` of the next) of step ``k``'s slide: shown
        where it is inside the panel, else hidden behind an arrowhead on the edge where it went."""
        c = self.data.clipped
        if c is None:
            return
        if frac is None:  # the end of the slide: the sample itself
            inside, shown = bool(c.inside[i, k]), i
        else:
            inside = bool(c.t_in[i, k] <= frac <= c.t_out[i, k])
            shown = i + 1 if frac > c.t_out[i, k] else i
        self.dot.set_opacity(1.0 if inside else 0.0)
        self.off_marker.set_points(np.zeros((0, 3)) if inside else self.markers[shown, k])

    def follow_arrow(self, t: float) -> None:
        """Grow df/dx at the dot, then fade it while the dot slides; hide it when too short to see."""
        k, grown, slid = self.moment(t)
        start, tip = self.places[k], self.tips[k]
        if (k == self.params.steps or abs(tip[0] - start[0]) < 2 * theme.DOT_RADIUS or grown == 0.0
                or not self.place_inside[k]):
            self.arrow.set_opacity(0.0)
            return
        self.arrow.put(start[None], (start + grown * (tip - start))[None])
        self.arrow.shafts.set_stroke(opacity=1.0 - slid)
        self.arrow.heads.set_fill(opacity=1.0 - slid)

    def follow_crumbs(self, t: float) -> None:
        """Leave a faint dot where each step started, once the dot has left it (all in one path)."""
        left_behind = int(np.sum(np.arange(self.params.steps) + self.arrow_share < t))
        if left_behind != self.crumbs.left_behind:
            self.crumbs.set_points(np.concatenate([np.zeros((0, 3)), *self.crumb_shapes[:left_behind]]))
            self.crumbs.left_behind = left_behind

    def take_steps(self) -> None:
        steps = self.params.steps
        self.cue(f"{plural(steps, 'step')} of size {self.params.alpha:g}: each moves x by -{self.params.alpha:g} times df/dx")
        for k in range(1, steps):
            x, slope = self.data.x[k], self.data.slopes[k]
            self.cue_at_step(self.tracker, k, f"Step {k}: x = {x:.3g}, df/dx = {slope:.3g}")
        self.play(run_steps(self.tracker, steps, steps * self.step_time))

    def show_minimum(self) -> None:
        """Ring the minimum (a typed function's: each found in the view, global or local)."""
        self.cue(sentence(self.data.end))
        if not self.params.typed:
            marks = [self.minimum_mark(self.objective.minima[0, 0], 0.0, "minimum", theme.GLOBAL_MIN)]
        else:
            values = self.objective.value(self.objective.minima) if len(self.objective.minima) else []
            best = gdmath.global_mask(self.objective) if len(self.objective.minima) else []
            marks = [self.minimum_mark(m[0], f, "global" if g else "local", theme.GLOBAL_MIN if g else theme.LOCAL_MIN)
                     for m, f, g in zip(self.objective.minima, values, best)]
        if not marks:
            self.wait(self.move_time)
            return
        self.play(*(GrowFromCenter(mark) for mark, _ in marks), *(FadeIn(name) for _, name in marks),
                  run_time=self.move_time)

    def minimum_mark(self, x: float, f: float, text: str, color) -> tuple:
        """A ring at the minimum ``(x, f)`` and its name above it."""
        mark = ring(self.axes.c2p(x, f), color)
        name = label(text, size=theme.SMALL_SIZE, color=color)
        name.next_to(mark, UP, buff=self.minimum_name_buff)
        return mark, name

