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

import dataclasses
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
from gdmath import TRIPLE_WELL, MinimumVerdict
from scenes import figure, theme
from scenes.captions import Captioned, milestones, plural, sentence
from scenes.components import (
    BatchedMarks,
    DescentMarks,
    MarksCamera,
    ObjectiveParams,
    StepTracking,
    ThemedScene,
    clip_height,
    heading,
    label,
    legend_entry,
    plane_axes,
    readout,
    ring,
    run_steps,
    screen_clip,
    verdict_of,
)
from scenes.components.marks import ScreenClip
from scenes.params import (
    OptimizerParams,
    each,
    finite,
    optimizer_lines,
    optimizer_note,
    optimizer_of,
    param,
    positive,
    typed_function,
    whole,
)

# --- multiple minima ----------------------------------------------------------------


@dataclass(frozen=True)
class MinimaParams(ObjectiveParams, OptimizerParams):
    """Starts spread over the triple well so that some fall into each basin (the
    centre basin is ``|x| < 1``); the x axis spans ``[-view, view]``. Plain SGD unless
    ``optimizer`` says otherwise. ``function`` (text, a function of x) replaces the triple
    well; its minima are those found in the view."""

    dim = 1
    default_objective = TRIPLE_WELL
    default_range = (0.0, 4.5)  # the curve's value axis (f at +-view is below its top)

    starts: tuple[float, ...] = param((-2.35, -1.6, -0.8, -0.25, 0.45, 1.2, 1.75, 2.4), each(finite()))
    alpha: float = param(0.03, positive())
    steps: int = param(50, whole(1, 10_000))
    view: float = param(2.45, positive())
    function: str | None = param(None, typed_function(1), kind=str)

    def view_box(self) -> tuple[tuple[float, float]]:
        return ((-self.view, self.view),)


@dataclass(frozen=True)
class MinimaRun:
    """What the minima figure shows, from gdmath.

    Attributes:
        params: the parameters it was computed from.
        history: the descent of the ``n`` starts, ``(steps + 1, n, 1)`` points.
        verdict: the minimum each final point is nearest to, global or local, ``(n,)``.
        settled: how many starts have settled in a minimum at each step, ``(steps + 1,)``.
        minimum_is_global: which of the objective's minima are global, ``(k,)``.
        end: the verdict in words, e.g. "after 50 steps 5 of 8 starts end in a global minimum, 3 in the local one".
    """

    params: MinimaParams
    history: gdmath.DescentHistory
    verdict: MinimumVerdict
    settled: np.ndarray
    minimum_is_global: np.ndarray
    end: str
    away: np.ndarray | None = None  # (n,) bool: the start ran off the view (diverged or ended outside it)

    @property
    def n_global(self) -> int:
        """How many starts end nearest a global minimum (of those still in the view)."""
        return int((self.verdict.is_global & ~self.away).sum())

    def facts(self) -> tuple[str, ...]:
        """The key numbers, as both the description and the cues print them."""
        return plural(len(self.params.starts), "start"), sentence(self.end)


def minima_run(p: MinimaParams) -> MinimaRun:
    """Descend the params' objective (a function of x) from every start at once with ``p``'s rule:
    the history, where each start ends (global or local), how many have settled by each step."""
    objective = p.objective
    history = gdmath.descend(objective, np.asarray(p.starts, dtype=float)[:, None], optimizer_of(p), p.steps)
    verdict = verdict_of(objective, history.final)
    away = ran_off_each(p, history)
    n, n_global = verdict.is_global.size, int((verdict.is_global & ~away).sum())
    off = f", {int(away.sum())} ran off the view" if away.any() else ""
    if not p.typed:
        n_local = int((~verdict.is_global & ~away).sum())
        end = f"after {plural(p.steps, 'step')} {n_global} of {n} starts end in a global minimum, {n_local} in the local one{off}"
    elif not len(objective.minima):
        end = f"after {plural(p.steps, 'step')} no start ends in a minimum: no minimum found in the view"
    else:
        n_global = int((verdict.is_global & verdict.settled).sum())
        n_local = int((~verdict.is_global & verdict.settled).sum())
        end = (f"after {plural(p.steps, 'step')} {n_global} of {n} starts end in a global minimum found in the view, "
               f"{n_local} in a local one, {n - n_global - n_local} in none{off}")
    settled = (gdmath.settled_counts(objective, history.points) if len(objective.minima)
               else np.zeros(history.points.shape[0], dtype=int))
    return MinimaRun(
        params=p,
        history=history,
        verdict=verdict,
        settled=settled,
        minimum_is_global=gdmath.global_mask(objective) if len(objective.minima) else np.zeros(0, dtype=bool),
        end=end,
        away=away,
    )


def ran_off_each(p: MinimaParams, history: gdmath.DescentHistory) -> np.ndarray:
    """``(n,)`` bool: which starts ran off the view (gdmath's divergence flag, or a final point outside)."""
    (x0, x1), = p.view_box()
    with np.errstate(all="ignore"):
        final = history.final[:, 0]
        return history.diverged | ~(np.isfinite(final) & (final >= x0) & (final <= x1))


@figure("minima", title="Multiple Minima Example",
        description="Starts on a function with two global minima and a local one: " "where you start decides where you end.")
class MinimaScene(Captioned, StepTracking, ThemedScene):
    """Several starts descend the triple well at once; each ends global or local."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("camera_class", MarksCamera)  # a runaway's clipped marks are batched
        super().__init__(**kwargs)

    params = MinimaParams()
    compute = staticmethod(minima_run)

    curve_size = (7.6, 2.9)
    steps_height = 2.2  # the panel of x over the steps, under the curve
    panel_gap = 0.45  # the steps panel under the curve
    side_block_gap = 0.6  # between the update rule, the key and the summary
    side_panel_gap = 0.7  # the plots to the side panel on their right
    body_gap = 0.35  # the plots under the heading
    step_name_buff = 0.25  # "step 0" / "step N" left of the steps panel
    verdict_name_buff = 0.2  # "global" / "local" under the steps panel
    start_ring_radius = 1.4 * theme.DOT_RADIUS  # the ring left at each start

    def construct(self) -> None:
        self.data = self.compute(self.params)
        self.objective = self.params.objective
        self.show_panels()
        self.show_starts()
        self.take_steps()
        self.show_verdict()
        self.wait(theme.HOLD_TIME)

    @classmethod
    def describe(cls) -> str:
        p, data = cls.params, cls.compute(cls.params)
        starts = ", ".join(f"{x:g}" for x in p.starts)
        function = p.function_text("f(x) = x^6/6 - 5x^4/4 + 2x^2 + 4/3, "
                                   "which has two global minima at x = -2 and 2 and a local one at x = 0,")
        return (f"{plural(len(p.starts), 'start')} (x = {starts}) descend {function} with step size "
                f"{p.alpha:g}{optimizer_note(p)}; under the curve, each start's x over the steps. {sentence(data.end)}.")

    # --- on screen -----------------------------------------------------------------
    def screen_paths(self) -> tuple[np.ndarray, np.ndarray]:
        """The history on screen: on the curve, and as x over the steps (step 0 at the
        top). Two ``(steps + 1, n, 3)`` arrays (a run that leaves the view: where it is shown
        on the panels' edges)."""
        if (clips := self.window_clips()) is not None:
            return clips[0].shown_at, clips[1].shown_at
        history = self.data.history
        points, values = history.points, history.values  # all in the view (else window_clips)
        x = points[..., 0]
        values = values if not self.params.typed else clip_height(values, self.params.height_range)
        return self.on_panels(x, values)

    def on_panels(self, x: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``x`` and ``values`` ``(steps + 1, n)`` on the curve and over the steps: ``(steps + 1, n, 3)`` each."""
        on_curve = self.curve_axes.c2p(np.stack([x, values], axis=-1).reshape(-1, 2))
        return on_curve.reshape(*x.shape, 3), self.steps_axes.c2p(self.over_steps(x).reshape(-1, 2)).reshape(*x.shape, 3)

    def over_steps(self, x: np.ndarray) -> np.ndarray:
        """``(steps + 1, n, 2)``: each step's x and how many steps are left (step 0 at the top)."""
        steps_left = np.broadcast_to(self.params.steps - np.arange(x.shape[0])[:, None], x.shape)
        return np.stack([x, steps_left], axis=-1).astype(float)

    def window_clips(self):
        """For a run that leaves the view (``params.window_of``), its paths seen through the two
        panels, as ``ScreenClip`` s (the curve's, the steps'); else None."""
        window = self.params.window_of(self.data.history)
        if window is None:
            return None
        p = self.params
        x = window[0][..., 0]  # finite, however far it ran
        low, high = p.height_range
        span = high - low
        with np.errstate(all="ignore"):  # far out, the value is only ever drawn past the panel's top
            values = np.clip(np.nan_to_num(p.objective.value(window[0]), nan=high + span), low - 1e6 * span, high + 1e6 * span)
        curve = np.stack([x, values], axis=-1)
        v = p.view
        return (self.clip_on(self.curve_axes, curve, (-v, low), (v, high)),
                self.clip_on(self.steps_axes, self.over_steps(x), (-v, 0), (v, max(p.steps, 1)), by_row=True))

    @staticmethod
    def clip_on(axes, points: np.ndarray, low, high, by_row: bool = False) -> ScreenClip:
        """Paths ``(steps + 1, n, 2)`` in ``axes``' units clipped to the box ``[low, high]``, on screen.
        ``by_row``: a point outside is shown on the side it went off at its own row (its y),
        pointing sideways (the steps panel: each row is a step)."""
        to_frame = lambda q: axes.c2p(q.reshape(-1, 2)).reshape(*q.shape[:-1], 3)  # noqa: E731
        nudge = 1e-3 * float(np.min(np.subtract(high, low)))
        clipped = gdmath.held_exits(gdmath.clip_path(points, low, high))
        if by_row:
            x = points[..., 0]
            side = np.where(~clipped.inside, np.sign(x), 0.0)
            edge = np.stack([np.clip(x, low[0], high[0]), points[..., 1]], axis=-1)
            clipped = dataclasses.replace(clipped, edge=edge, heading=np.stack([side, np.zeros_like(side)], axis=-1))
        return screen_clip(points, clipped, to_frame, nudge)

    # --- the picture --------------------------------------------------------------
    def show_panels(self) -> None:
        v = self.params.view
        low, high = self.params.height_range
        self.heading = heading(self.title, self.objective.tex)
        self.curve_axes = plane_axes([-v, v, 1], [low, high, 1 if not self.params.typed else (high - low) / 4],
                                     *self.curve_size)
        value = self.objective.value
        if self.params.typed:  # cut to the value axis, which a function blowing up in the view passes
            value = lambda p: clip_height(self.objective.value(p), (low, high))  # noqa: E731
        self.curve = self.curve_axes.plot(
            lambda x: float(value([x])),
            x_range=[-v, v],
            color=theme.CURVE,
            stroke_width=theme.CURVE_STROKE,
        )
        # only used to place the paths: its axis lines would cut through them
        steps = max(self.params.steps, 1)
        self.steps_axes = plane_axes([-v, v, 1], [0, steps, 1], self.curve_size[0], self.steps_height)
        self.steps_axes.next_to(self.curve_axes, DOWN, buff=self.panel_gap)
        self.step_names = self.make_step_names()
        self.key = self.make_key()
        self.summary = self.make_summary()  # shown at the end; placed now, under the key
        self.rule_name = self.optimizer_name()
        side = VGroup(*self.rule_name, self.key, self.summary).arrange(DOWN, aligned_edge=LEFT, buff=self.side_block_gap)
        plots = VGroup(self.curve_axes, self.curve, self.steps_axes, self.step_names)
        VGroup(plots, side).arrange(RIGHT, buff=self.side_panel_gap).next_to(self.heading, DOWN, buff=self.body_gap)
        guides = self.minimum_guides()
        self.add(self.heading, guides, self.curve_axes, self.curve, self.step_names, self.key, *self.rule_name)

    def minimum_guides(self) -> VGroup:
        """Faint dashed verticals under each minimum, through the steps panel."""
        lines = VGroup()
        for (x,), best in zip(self.objective.minima, self.data.minimum_is_global):
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
        top.next_to(self.steps_axes.c2p(-v, steps), LEFT, buff=self.step_name_buff)
        bottom = label(f"step {steps}", size=theme.SMALL_SIZE)
        bottom.next_to(self.steps_axes.c2p(-v, 0), LEFT, buff=self.step_name_buff)
        return VGroup(top.align_to(bottom, RIGHT), bottom)

    def optimizer_name(self) -> list:
        """The update rule and its hyperparameters over the key; none for plain SGD, the post's."""
        lines = optimizer_lines(self.data.history.optimizer)
        return [] if lines is None else [readout(lines, size=theme.SMALL_SIZE, color=theme.MUTED_TEXT)]

    def make_key(self) -> VGroup:
        return VGroup(
            legend_entry(ring(np.zeros(3), theme.GLOBAL_MIN), "global minimum"),
            legend_entry(ring(np.zeros(3), theme.LOCAL_MIN), "local minimum"),
            legend_entry(self.start_mark(np.zeros(3), theme.MUTED_TEXT), "a start"),
        ).arrange(DOWN, aligned_edge=LEFT, buff=theme.LEGEND_ROW_GAP)

    def start_mark(self, point: np.ndarray, color):
        return ring(point, color, radius=self.start_ring_radius, width=theme.START_RING_STROKE)

    # --- the descent ---------------------------------------------------------------
    def show_starts(self) -> None:
        on_curve, over_steps = self.screen_paths()
        colors = theme.POINT_COLORS
        self.starts = VGroup(
            *(self.start_mark(p, colors[i % len(colors)]) for i, p in enumerate(on_curve[0]))
        )
        self.add(self.starts)
        self.cue(f"{plural(len(self.params.starts), 'start')} appear on the curve")
        if (clips := self.window_clips()) is not None:  # a runaway: clipped, an arrowhead where it left
            self.marks_curve = BatchedMarks(None, self.tracker, colors, stroke_width=0, clip=clips[0])
            self.marks_steps = BatchedMarks(None, self.tracker, colors, clip=clips[1])
            self.add(self.marks_steps, self.marks_curve)
            self.play(self.marks_curve.grow_in(0.03), self.marks_steps.grow_in(0.03), run_time=theme.INTRO_TIME)
            return
        self.marks_curve = DescentMarks(on_curve, self.tracker, colors, stroke_width=0)
        self.marks_steps = DescentMarks(over_steps, self.tracker, colors)
        self.add(self.marks_steps, self.marks_curve)
        dots = [*self.marks_curve.dots, *self.marks_steps.dots]
        self.play(
            LaggedStart(*(GrowFromCenter(d) for d in dots), lag_ratio=0.03), run_time=theme.INTRO_TIME
        )

    def take_steps(self) -> None:
        self.cue(f"{plural(self.params.steps, 'step')} of size {self.params.alpha:g} begin")
        for k in milestones(self.params.steps, 2):
            self.cue_at_step(self.tracker, k, f"Step {k} of {self.params.steps}: {self.data.settled[k]} of "
                             f"{len(self.params.starts)} starts have settled in a minimum")
        self.play(run_steps(self.tracker, self.params.steps, theme.DESCENT_TIME))

    def show_verdict(self) -> None:
        """Ring every final point in its verdict's colour, name the minima, count them."""
        self.cue(sentence(self.data.end))
        on_curve, _ = self.screen_paths()
        verdict = self.data.verdict
        colors = [theme.GLOBAL_MIN if best else theme.LOCAL_MIN for best in verdict.is_global]
        if self.params.typed:  # a start in no minimum found in the view: a muted ring
            colors = [c if settled else theme.MUTED_TEXT for c, settled in zip(colors, verdict.settled)]
        colors = [theme.MUTED_TEXT if off else c for c, off in zip(colors, self.data.away)]  # ran off: no verdict
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
        reached = (self.data.verdict.settled | (not self.params.typed)) & ~self.data.away
        for k in np.unique(self.data.verdict.index[reached]):
            best = bool(self.data.minimum_is_global[k])
            text = label("global" if best else "local", size=theme.SMALL_SIZE,
                         color=theme.GLOBAL_MIN if best else theme.LOCAL_MIN)
            names.add(text.next_to(self.steps_axes.c2p(self.objective.minima[k, 0], 0), DOWN, buff=self.verdict_name_buff))
        return names

    def make_summary(self) -> VGroup:
        n, best, away = self.data.verdict.is_global.size, self.data.n_global, int(self.data.away.sum())
        lines = [f"{best} of {n} starts end", "in a global minimum,", f"{n - best - away} in the local one"]
        if away:
            lines[-1] += ","
            lines.append(f"{away} ran off the view")
        if self.params.typed:  # the end's numbers, in short lines (the side panel is narrow)
            verdict = self.data.verdict
            if not len(self.objective.minima):
                lines = ["no minimum found", "in the view"]
            else:
                best = int((verdict.is_global & verdict.settled).sum())
                local = int((~verdict.is_global & verdict.settled).sum())
                lines = [f"{best} of {n} starts end", "in a global minimum,", f"{local} in a local one,",
                         f"{n - best - local} in none", "(minima found", "in the view)"]
                if away:
                    lines.insert(4, f"({away} ran off the view)")
        return readout(lines, size=theme.READOUT_SIZE)

