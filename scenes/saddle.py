"""Escaping a saddle point: plain descent crawls away, momentum and Adam leave quickly.

The post names Adam as the optimizer that "varies alpha automatically based on patterns
observed in prior iterations". Near a saddle point the gradient is tiny in every
direction, so a fixed step barely moves: this figure shows it on gdmath's ``SADDLE``,
``f(x, y) = x^2 - y^2 + y^4 / 4`` (a saddle at the origin, minima at ``(0, +-sqrt 2)``
with f = -1; it is bounded below, so escaping ends in a real minimum).

All three start at (0.4, 0.001) with the same ``alpha = 0.05``: inside the circle of
radius 0.5 about the saddle, and only 0.001 off the x axis, the line along which
descent runs straight into the saddle:

- SGD: along y the gradient is ``y (y^2 - 2)``, ~ -2y near the origin, so y grows by
  the factor 1.1 per step: from 0.001 it needs 66 steps to leave the circle.
- Momentum, ``beta = 0.9``: the velocity adds up the small, same-signed gradients,
  so the growth compounds much faster (leaves in 25 steps); it also swings across
  x = 0 and overshoots the minimum before it settles.
- Adam (``beta1 = 0.9``, ``beta2 = 0.999``): each coordinate's step is normalised by
  its own gradient size, so the tiny y gradient still gives steps of ~ alpha: it leaves
  in 11 steps.

The readout counts the steps each took to leave the circle (``gdmath.steps_to_leave``).
As in ``hills``, the camera never moves: the surface is drawn once into the cached
background and each frame redraws only the dots, trails and readouts.

Render with ``python render.py --scene saddle`` or plain ``manim -ql scenes/saddle.py SaddleEscape``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
from manim import (
    DEGREES,
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Circle,
    FadeIn,
    ThreeDScene,
    ValueTracker,
    VGroup,
    smooth,
)

import gdmath
from gdmath import SADDLE
from scenes import components, figure, theme
from scenes.captions import Captioned, sentence
from scenes.components import DescentParams
from scenes.optimizers import optimizer_legend
from scenes.params import between, each, finite, increasing, optional, param, positive, typed_function, whole


@dataclass(frozen=True)
class SaddleParams(DescentParams):
    """The escape; the CLI may override any field, tests shrink them.

    ``radius`` is the neighbourhood of the saddle, the circle about ``centre``, that the
    readout counts steps to leave. ``function`` (text) replaces the post's saddle: put
    ``start`` just off a saddle of it and ``centre`` on that saddle. ``z_range`` is the
    colour scale (and the surface's height range); unset, the function's range over the
    view (the post's: -1 to 4).
    """

    default_objective = SADDLE
    default_range = (-1.0, 4.0)

    start: tuple[float, float] = param((0.4, 0.001), each(finite(), length=2))
    steps: int = param(100, whole(1, 10_000))
    alpha: float = param(0.05, positive())
    momentum_beta: float = param(0.9, between(0, 0.999))
    adam_beta1: float = param(0.9, between(0, 0.999))
    adam_beta2: float = param(0.999, between(0, 0.9999))
    radius: float = param(0.5, positive())
    view: float = param(2.0, positive())
    z_range: tuple[float, float] | None = param(None, optional(increasing(2)), kind=tuple)
    surface_resolution: int = param(32, whole(2, 200))
    map_pixels: int = param(240, whole(2, 2000))
    centre: tuple[float, float] = param((0.0, 0.0), each(finite(), length=2))
    function: str | None = param(None, typed_function(2), kind=str)

    @property
    def colour_range(self) -> tuple[float, float]:
        """The colour scale's ends: ``z_range`` if set, else the function's range over the view."""
        return tuple(self.z_range) if self.z_range is not None else self.height_range


def optimizers_of(p: SaddleParams) -> list:
    """SGD, Momentum and Adam, all with the same ``alpha``."""
    return [
        gdmath.SGD(p.alpha),
        gdmath.Momentum(p.alpha, beta=p.momentum_beta),
        gdmath.Adam(p.alpha, beta1=p.adam_beta1, beta2=p.adam_beta2),
    ]


@dataclass(frozen=True)
class Escape:
    """What the saddle figure shows.

    Attributes:
        histories: SGD's, Momentum's and Adam's runs, each ``points (steps + 1, 1, 2)``.
        leave: ``(3,)`` the step each left the circle of ``radius`` about the saddle (-1: never).
        heights: ``(map_pixels, map_pixels)`` the objective over the view (the top-down map).
        radius: the circle's radius.
        centre: the circle's centre, ``(2,)``.
    """

    histories: tuple[gdmath.DescentHistory, ...]
    leave: np.ndarray
    heights: np.ndarray
    radius: float
    centre: tuple[float, float] = (0.0, 0.0)

    def leave_lines(self) -> list[str]:
        """The readout's entries: ``"Adam: 11"``, or ``"SGD: not within 100"`` for one that never left."""
        return [f"{h.optimizer.name}: not within {h.steps}" if k < 0 else f"{h.optimizer.name}: {k}"
                for h, k in zip(self.histories, self.leave)]

    def summary(self) -> str:
        """``"steps to leave the circle of radius 0.5: SGD: 66, Momentum: 25, Adam: 11"``."""
        about = "" if tuple(self.centre) == (0.0, 0.0) else f" about ({self.centre[0]:g}, {self.centre[1]:g})"
        return f"steps to leave the circle of radius {self.radius:g}{about}: {', '.join(self.leave_lines())}"

    def ends(self) -> str:
        """``"SGD ends at (0.40, 1.41); ..."``: where each run stopped."""
        return "; ".join(f"{h.optimizer.name} ends at ({h.final[0, 0]:.2f}, {h.final[0, 1]:.2f})" for h in self.histories)

    def facts(self) -> tuple[str, ...]:
        return tuple(self.leave_lines())


def escape(p: SaddleParams) -> Escape:
    """The three runs from ``p.start``, the step each left the circle of ``p.radius``, and the map."""
    histories = tuple(p.descend([p.start], rule) for rule in optimizers_of(p))
    low, high = np.array(p.view_box(), dtype=float).T
    # a step that overflowed left the circle then, though the point is frozen where it was
    as_drawn = [dataclasses.replace(h, points=gdmath.drawable_points(h, low, high)) for h in histories]
    leave = np.array([gdmath.steps_to_leave(h, list(p.centre), p.radius)[0] for h in as_drawn])
    return Escape(histories=histories, leave=leave, heights=p.height_map(), radius=p.radius, centre=p.centre)


@figure("saddle", title="Escaping a Saddle Point",
        description="From just off a saddle point, SGD crawls away while Momentum and Adam escape into the minima.")
class SaddleEscape(Captioned, components.DescentScene, ThreeDScene):
    """Three optimizers from just off the saddle: the surface in 3-D and the map from above."""

    params = SaddleParams()
    compute = staticmethod(escape)
    surface_size = 4.0
    map_size = 4.2
    z_length = 2.0
    ring_stroke = 2.0  # the circle of the neighbourhood the readout counts
    counter_gap = 0.35  # the step counter under the heading
    legend_row_gap = 0.12  # between the legend's entries
    legend_corner_buff = 0.4  # the legend to the frame's lower left corner
    readout_gap = 0.8  # the steps-to-leave readout right of the legend
    readout_line_gap = 0.12  # its head line over its row
    readout_entry_gap = 0.4  # between the row's entries, one per optimizer

    @classmethod
    def describe(cls) -> str:
        p = cls.params
        run = cls.compute(p)
        start = f"start at ({p.start[0]:g}, {p.start[1]:g})"
        if not p.typed:
            where = (f"{start}, just off the saddle point at the origin of "
                     f"f(x, y) = x^2 - y^2 + y^4/4 (minima at (0, 1.41) and (0, -1.41))")
        else:
            where = f"{start} on {p.function_text('')}, near ({p.centre[0]:g}, {p.centre[1]:g})"
        return (f"Plain descent (SGD), Momentum and Adam, all with step size {p.alpha:g}, {where}, shown on the "
                f"3-D surface and from above. {sentence(run.summary())}. After {p.steps} steps: {run.ends()}.")

    def construct(self) -> None:
        self.data = self.compute(self.params)
        self.camera.background_color = theme.BACKGROUND
        self.tracker = ValueTracker(0)
        self.colors = [theme.OPT_COLORS[h.optimizer.name] for h in self.data.histories]
        self.set_camera_orientation(
            phi=theme.CAMERA_PHI_DEG * DEGREES, theta=theme.CAMERA_THETA_DEG * DEGREES, zoom=theme.CAMERA_ZOOM
        )
        self.show_landscape()
        self.show_starts()
        self.take_steps()
        self.show_readout()
        self.wait(theme.HOLD_TIME)

    # --- the two views ------------------------------------------------------------
    def show_landscape(self) -> None:
        p = self.params
        v = p.view
        span = [-v, v, 1.0]
        z0, z1 = p.colour_range
        self.axes3d = components.surface_axes(span, span, [z0, z1, 1.0],
                                              (self.surface_size, self.surface_size, self.z_length))
        self.surface = components.height_surface(self.axes3d, p.objective, v, p.surface_resolution, (z0, z1))
        self.map_axes = self.view_axes(self.map_size, tick=1.0)
        self.map = components.heat_map(self.map_axes, self.data.heights, z0, z1)
        ring = Circle(radius=self.map_axes.c2p(p.radius, 0)[0] - self.map_axes.c2p(0, 0)[0],
                      color=theme.MUTED_TEXT, stroke_width=self.ring_stroke)
        ring.move_to(self.map_axes.c2p(*p.centre))
        minima = VGroup(*(components.minimum_ring(self.map_axes.c2p(*m)) for m in p.objective.minima))

        self.heading = components.heading(self.title, p.objective.tex)
        map_panel = VGroup(self.map_axes, ring, minima, components.label("from above"))
        map_panel[3].next_to(self.map_axes, DOWN, buff=theme.VIEW_CAPTION_GAP)
        map_panel.next_to(self.heading, DOWN, buff=theme.BODY_GAP).to_edge(RIGHT, buff=theme.SIDE_MARGIN)
        self.map.move_to(self.map_axes)
        self.counter = components.step_counter(self.tracker, p.steps)
        self.counter.next_to(self.heading, DOWN, buff=self.counter_gap).to_edge(LEFT, buff=theme.SIDE_MARGIN)

        self.legend = self.make_legend()
        self.add_fixed_in_frame_mobjects(self.heading, self.map, map_panel)
        surface_group = VGroup(self.axes3d, self.surface)
        components.centre_between(self, surface_group, -self.camera.frame_width / 2, map_panel)
        caption = components.label("in 3-D").match_y(map_panel[3])
        caption.set_x(self.renderer.camera.project_point(surface_group.get_center())[0])
        self.add_fixed_in_frame_mobjects(caption)
        self.add(self.surface)

    # --- the descent ---------------------------------------------------------------
    def screen_paths(self) -> tuple[np.ndarray, np.ndarray]:
        """The three histories mapped to both views: two ``(steps + 1, 3, 3)`` arrays."""
        histories = self.data.histories
        points = np.concatenate([h.points for h in histories], axis=1)  # (steps + 1, 3, 2)
        values = np.concatenate([h.values for h in histories], axis=1)
        return components.surface_and_map_paths(self.axes3d, self.map_axes, points, values, self.params.colour_range)

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("camera_class", components.MarksThreeDCamera)  # a runaway's clipped marks are batched
        super().__init__(**kwargs)

    def joint_history(self) -> gdmath.DescentHistory:
        """The three runs as one history of three points (``window_of`` reads it)."""
        hs = self.data.histories
        joined = lambda name: np.concatenate([getattr(h, name) for h in hs], axis=-2 if name == "points" else 0)  # noqa: E731
        return dataclasses.replace(hs[0], points=joined("points"), values=np.concatenate([h.values for h in hs], axis=1),
                                   diverged=joined("diverged"), frozen_at=joined("frozen_at"),
                                   overflowed_towards=joined("overflowed_towards"))

    def show_starts(self) -> None:
        history = self.joint_history()
        if self.params.window_of(history) is not None:  # a runaway: clipped to both views, arrowheads where it left
            self.marks_3d = self.surface_marks(self.axes3d, history, self.colors, self.params.colour_range,
                                               stroke_width=theme.PATH_STROKE_3D)
            self.marks_map = self.map_marks(self.map_axes, history, self.colors)
            self.add_fixed_in_frame_mobjects(self.marks_3d)
        else:
            in_3d, on_map = self.screen_paths()
            self.marks_3d = components.DescentMarks(in_3d, self.tracker, self.colors, stroke_width=theme.PATH_STROKE_3D)
            self.marks_map = components.DescentMarks(on_map, self.tracker, self.colors)
            self.renderer.camera.add_fixed_orientation_mobjects(*self.marks_3d.dots)
            self.add(self.marks_3d)
        self.add_fixed_in_frame_mobjects(self.marks_map, self.counter, self.legend)
        appear = [m.grow_in() if isinstance(m, components.BatchedMarks) else FadeIn(m) for m in (self.marks_3d, self.marks_map)]
        self.play(*appear, FadeIn(self.counter), FadeIn(self.legend),
                  run_time=theme.INTRO_TIME, rate_func=smooth)

    def make_legend(self) -> VGroup:
        legend = optimizer_legend(self.data.histories, self.colors, buff=self.legend_row_gap)
        return legend.to_corner(DOWN + LEFT, buff=self.legend_corner_buff)

    def take_steps(self) -> None:
        p = self.params
        near = "just off the saddle" if not p.typed else f"near {self.centre_text()}"
        self.cue(f"SGD, Momentum and Adam start at ({p.start[0]:g}, {p.start[1]:g}), {near}, "
                 f"with step size {p.alpha:g}")
        for h, k in sorted(zip(self.data.histories, self.data.leave), key=lambda pair: int(pair[1])):
            if k >= 0:
                self.cue_at_step(self.tracker, int(k), f"Step {int(k)}: {h.optimizer.name} leaves the circle "
                                 f"of radius {p.radius:g} about {'the saddle' if not p.typed else self.centre_text()}")
        self.play(components.run_steps(self.tracker, p.steps, theme.DESCENT_TIME))

    def centre_text(self) -> str:
        return f"({self.params.centre[0]:g}, {self.params.centre[1]:g})"

    def show_readout(self) -> None:
        """The steps each took to leave the circle about the saddle (gdmath.steps_to_leave)."""
        head = components.label(self.data.summary().split(": ")[0] + ":",
                                size=theme.OPT_LEGEND_SIZE, color=theme.TEXT)
        lines = [components.label(line, size=theme.OPT_LEGEND_SIZE, color=c)
                 for line, c in zip(self.data.leave_lines(), self.colors)]
        row = VGroup(*lines).arrange(RIGHT, buff=self.readout_entry_gap)
        self.readout = VGroup(head, row).arrange(DOWN, buff=self.readout_line_gap, aligned_edge=LEFT)
        self.readout.next_to(self.legend, RIGHT, buff=self.readout_gap).align_to(self.legend, UP)
        room = self.camera.frame_width / 2 - theme.SIDE_MARGIN - self.readout.get_left()[0]
        if self.readout.width > room:  # long entries ("not within 10000"): shrink to the frame, never cut
            self.readout.scale_to_fit_width(room, about_edge=UP + LEFT)
        self.add_fixed_in_frame_mobjects(self.readout)
        self.cue(sentence(self.data.summary()))
        self.play(FadeIn(self.readout, shift=theme.VERDICT_RISE * UP), run_time=theme.VERDICT_TIME)
