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
from scenes.optimizers import optimizer_legend
from scenes.params import between, each, finite, increasing, param, positive, whole


@dataclass(frozen=True)
class SaddleParams:
    """The escape; the CLI may override any field, tests shrink them.

    ``radius`` is the neighbourhood of the saddle the readout counts steps to leave.
    """

    start: tuple[float, float] = param((0.4, 0.001), each(finite(), length=2))
    steps: int = param(100, whole(1, 10_000))
    alpha: float = param(0.05, positive())
    momentum_beta: float = param(0.9, between(0, 0.999))
    adam_beta1: float = param(0.9, between(0, 0.999))
    adam_beta2: float = param(0.999, between(0, 0.9999))
    radius: float = param(0.5, positive())
    view: float = param(2.0, positive())
    z_range: tuple[float, float] = param((-1.0, 4.0), increasing(2))
    surface_resolution: int = param(32, whole(2, 200))
    map_pixels: int = param(240, whole(2, 2000))


def optimizers_of(p: SaddleParams) -> list:
    """SGD, Momentum and Adam, all with the same ``alpha``."""
    return [
        gdmath.SGD(p.alpha),
        gdmath.Momentum(p.alpha, beta=p.momentum_beta),
        gdmath.Adam(p.alpha, beta1=p.adam_beta1, beta2=p.adam_beta2),
    ]


def escape(p: SaddleParams) -> tuple[list[gdmath.DescentHistory], np.ndarray]:
    """The three runs from ``p.start`` and the step each left the circle of ``p.radius`` (-1: never)."""
    histories = [gdmath.descend(SADDLE, [p.start], o, p.steps) for o in optimizers_of(p)]
    leave = np.array([gdmath.steps_to_leave(h, [0.0, 0.0], p.radius)[0] for h in histories])
    return histories, leave


def leave_text(name: str, k: int, steps: int) -> str:
    """One readout line: ``"Adam: 11"``, or ``"SGD: not within 100"`` if it never left."""
    if k < 0:
        return f"{name}: not within {steps}"
    return f"{name}: {k}"


def leave_summary(p: SaddleParams, histories: list[gdmath.DescentHistory], leave: np.ndarray) -> str:
    """``"steps to leave the circle of radius 0.5: SGD: 66, Momentum: 25, Adam: 11"``."""
    counts = ", ".join(leave_text(h.optimizer.name, int(k), p.steps) for h, k in zip(histories, leave))
    return f"steps to leave the circle of radius {p.radius:g}: {counts}"


@figure("saddle", title="Escaping a Saddle Point",
        description="From just off a saddle point, SGD crawls away while Momentum and Adam escape into the minima.")
class SaddleEscape(Captioned, ThreeDScene):
    """Three optimizers from just off the saddle: the surface in 3-D and the map from above."""

    params = SaddleParams()
    surface_size = 4.0
    map_size = 4.2
    z_length = 2.0

    @classmethod
    def describe(cls) -> str:
        p = cls.params
        histories, leave = escape(p)
        ends = "; ".join(f"{h.optimizer.name} ends at ({h.final[0, 0]:.2f}, {h.final[0, 1]:.2f})" for h in histories)
        return (f"Plain descent (SGD), Momentum and Adam, all with step size {p.alpha:g}, start at "
                f"({p.start[0]:g}, {p.start[1]:g}), just off the saddle point at the origin of "
                f"f(x, y) = x^2 - y^2 + y^4/4 (minima at (0, 1.41) and (0, -1.41)), shown on the 3-D surface and "
                f"from above. {sentence(leave_summary(p, histories, leave))}. After {p.steps} steps: {ends}.")

    def construct(self) -> None:
        self.camera.background_color = theme.BACKGROUND
        self.tracker = ValueTracker(0)
        self.histories, self.leave = escape(self.params)
        self.colors = [theme.OPT_COLORS[h.optimizer.name] for h in self.histories]
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
        v = self.params.view
        span = [-v, v, 1.0]
        z0, z1 = self.params.z_range
        self.axes3d = components.surface_axes(span, span, [z0, z1, 1.0],
                                              (self.surface_size, self.surface_size, self.z_length))
        self.surface = components.height_surface(self.axes3d, SADDLE, v, self.params.surface_resolution, (z0, z1))
        self.map_axes = components.plane_axes(span, span, self.map_size, self.map_size, ticks=False)
        axis = np.linspace(-v, v, self.params.map_pixels)
        self.map = components.heat_map(self.map_axes, gdmath.value_grid(SADDLE, axis, axis), z0, z1)
        ring = Circle(radius=self.map_axes.c2p(self.params.radius, 0)[0] - self.map_axes.c2p(0, 0)[0],
                      color=theme.MUTED_TEXT, stroke_width=theme.OPT_SADDLE_RADIUS_STROKE)
        ring.move_to(self.map_axes.c2p(0, 0))
        minima = VGroup(*(components.minimum_ring(self.map_axes.c2p(*m)) for m in SADDLE.minima))

        self.heading = components.heading(self.title, SADDLE.tex)
        map_panel = VGroup(self.map_axes, ring, minima, components.label("from above"))
        map_panel[3].next_to(self.map_axes, DOWN, buff=theme.VIEW_CAPTION_GAP)
        map_panel.next_to(self.heading, DOWN, buff=theme.BODY_GAP).to_edge(RIGHT, buff=theme.SIDE_MARGIN)
        self.map.move_to(self.map_axes)
        self.counter = components.step_counter(self.tracker, self.params.steps)
        self.counter.next_to(self.heading, DOWN, buff=theme.SADDLE_COUNTER_GAP).to_edge(LEFT, buff=theme.SIDE_MARGIN)

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
        points = np.concatenate([h.points for h in self.histories], axis=1)  # (steps + 1, 3, 2)
        values = np.concatenate([h.values for h in self.histories], axis=1)
        return components.surface_and_map_paths(self.axes3d, self.map_axes, points, values)

    def show_starts(self) -> None:
        in_3d, on_map = self.screen_paths()
        self.marks_3d = components.DescentMarks(in_3d, self.tracker, self.colors, stroke_width=theme.PATH_STROKE_3D)
        self.marks_map = components.DescentMarks(on_map, self.tracker, self.colors)
        self.renderer.camera.add_fixed_orientation_mobjects(*self.marks_3d.dots)
        self.add_fixed_in_frame_mobjects(self.marks_map, self.counter, self.legend)
        self.add(self.marks_3d)
        self.play(FadeIn(self.marks_3d), FadeIn(self.marks_map), FadeIn(self.counter), FadeIn(self.legend),
                  run_time=theme.INTRO_TIME, rate_func=smooth)

    def make_legend(self) -> VGroup:
        legend = optimizer_legend(self.histories, self.colors, buff=theme.SADDLE_LEGEND_ROW_GAP)
        return legend.to_corner(DOWN + LEFT, buff=theme.SADDLE_LEGEND_CORNER_BUFF)

    def take_steps(self) -> None:
        p = self.params
        self.cue(f"SGD, Momentum and Adam start at ({p.start[0]:g}, {p.start[1]:g}), just off the saddle, "
                 f"with step size {p.alpha:g}")
        for h, k in sorted(zip(self.histories, self.leave), key=lambda pair: int(pair[1])):
            if k >= 0:
                self.cue_at_step(self.tracker, int(k), f"Step {int(k)}: {h.optimizer.name} leaves the circle "
                                 f"of radius {p.radius:g} about the saddle")
        self.play(components.run_steps(self.tracker, self.params.steps, theme.DESCENT_TIME))

    def show_readout(self) -> None:
        """The steps each took to leave the circle about the saddle (gdmath.steps_to_leave)."""
        head = components.label(f"steps to leave the circle of radius {self.params.radius:g}:",
                                size=theme.OPT_LEGEND_SIZE, color=theme.TEXT)
        lines = [
            components.label(leave_text(h.optimizer.name, int(k), self.params.steps),
                             size=theme.OPT_LEGEND_SIZE, color=c)
            for h, k, c in zip(self.histories, self.leave, self.colors)
        ]
        row = VGroup(*lines).arrange(RIGHT, buff=theme.SADDLE_READOUT_ENTRY_GAP)
        self.readout = VGroup(head, row).arrange(DOWN, buff=theme.SADDLE_READOUT_LINE_GAP, aligned_edge=LEFT)
        self.readout.next_to(self.legend, RIGHT, buff=theme.SADDLE_READOUT_GAP).align_to(self.legend, UP)
        self.add_fixed_in_frame_mobjects(self.readout)
        self.cue(sentence(leave_summary(self.params, self.histories, self.leave)))
        self.play(FadeIn(self.readout, shift=theme.VERDICT_RISE * UP), run_time=theme.VERDICT_TIME)
