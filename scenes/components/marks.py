"""Marks on a figure: dots with their trails following a precomputed descent, and rings
around a point (a start, a verdict, a known minimum)."""

from __future__ import annotations

from typing import Sequence

import numpy as np
from manim import Circle, Dot, ValueTracker, VGroup, VMobject

from scenes import theme
from scenes.components.motion import at_step


class DescentMarks(VGroup):
    """Dots and their trails following a precomputed descent on screen.

    ``screen_points`` is ``(steps + 1, n, 3)``: the history already mapped to scene
    coordinates. The marks show step ``tracker.get_value()`` (fractional values
    interpolate between steps); the updater only indexes the array.
    """

    def __init__(
        self,
        screen_points: np.ndarray,
        tracker: ValueTracker,
        colors: Sequence,
        stroke_width: float = theme.PATH_STROKE,
        dot_radius: float = theme.DOT_RADIUS,
    ) -> None:
        super().__init__()
        self.screen_points = np.asarray(screen_points, dtype=float)
        self.tracker = tracker
        n = self.screen_points.shape[1]
        self.trails = VGroup(
            *(VMobject(stroke_color=colors[i % len(colors)], stroke_width=stroke_width) for i in range(n))
        )
        self.dots = VGroup(
            *(
                Dot(
                    radius=dot_radius,
                    color=colors[i % len(colors)],
                    stroke_color=theme.DOT_OUTLINE,
                    stroke_width=theme.DOT_OUTLINE_STROKE,
                )
                for i in range(n)
            )
        )
        self.add(self.trails, self.dots)
        self.show_step(0.0)
        self.add_updater(lambda marks: marks.show_step(marks.tracker.get_value()))

    def position(self, t: float) -> np.ndarray:
        """Screen positions at fractional step ``t``: ``(n, 3)``."""
        return at_step(self.screen_points, t)

    def show_step(self, t: float) -> None:
        now = self.position(t)
        done = int(np.clip(np.floor(t), 0, self.screen_points.shape[0] - 1))
        for i, (dot, trail) in enumerate(zip(self.dots, self.trails)):
            dot.move_to(now[i])
            corners = np.vstack([self.screen_points[: done + 1, i], now[i : i + 1]])
            trail.set_points_as_corners(corners)


def ring(
    point: np.ndarray, color, radius: float = theme.VERDICT_RING_RADIUS, width: float = theme.VERDICT_RING_STROKE
) -> Circle:
    """A hollow circle around ``point`` (a start or a verdict mark)."""
    return Circle(radius=radius, color=color, stroke_width=width).move_to(point)


def minimum_ring(point: np.ndarray) -> Circle:
    """The small ring that marks a known minimum on a map."""
    return ring(point, theme.GLOBAL_MIN, radius=theme.LR_MIN_RING_RADIUS, width=theme.START_RING_STROKE)
