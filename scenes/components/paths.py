"""Paths on screen: straight segments as Bézier curves, polylines through data, exact
contour ellipses, and a descent drawn step by step inside a window (clipped, with an
arrowhead where a runaway point went)."""

from __future__ import annotations

import numpy as np
from manim import Axes, Circle, Dot, Ellipse, ValueTracker, VGroup, VMobject, rgb_to_color

from scenes import theme


def line_curves(start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Straight segments as cubic Bézier control points: ``(..., 3)`` twice -> ``(..., 4, 3)``."""
    thirds = np.array([0.0, 1.0, 2.0, 3.0])[:, None] / 3.0
    return start[..., None, :] + thirds * (end - start)[..., None, :]


def arrowheads(axes: Axes, tips: np.ndarray, headings: np.ndarray, size: float) -> np.ndarray:
    """Filled triangles with their tips at ``tips`` pointing along ``headings`` (both
    ``(n, 2)`` in the axes' units), as Bézier points ``(n, 12, 3)``; a zero heading
    gives a degenerate (invisible) triangle."""
    tip = axes.c2p(tips)
    direction = axes.c2p(tips + headings) - tip
    length = np.linalg.norm(direction, axis=-1, keepdims=True)
    direction = np.divide(direction, length, out=np.zeros_like(direction), where=length > 0)
    across = np.stack([-direction[:, 1], direction[:, 0], np.zeros(len(tip))], axis=-1)
    back = tip - size * direction
    half_width = theme.MARKER_ASPECT * size / 2
    corners = np.stack([tip, back + half_width * across, back - half_width * across, tip], axis=1)
    return line_curves(corners[:, :-1], corners[:, 1:]).reshape(len(tip), 12, 3)


class ClippedSteps(VGroup):
    """A descent drawn step by step inside a window, and honest when it runs away.

    A dot marks every step reached inside the window, straight segments join the steps
    (clipped to the window), a larger head moves along the current step, and while the
    point is outside the window an arrowhead on the window's edge points where it went.

    ``points`` is the path ``(steps + 1, 2)`` in ``axes``' coordinates and ``clipped`` is
    ``gdmath.clip_path(points, low, high)`` for the window ``axes`` shows. Everything is
    mapped to the screen here, once; the updater only indexes these arrays and
    interpolates within the current step (as :class:`DescentMarks` does).
    ``off_map`` is the step whose point the arrowhead stands for, or -1.
    """

    def __init__(
        self,
        axes: Axes,
        points: np.ndarray,
        clipped,
        tracker: ValueTracker,
        color=theme.LR_PATH,
        stroke_width: float = theme.PATH_STROKE,
        dot_radius: float = theme.LR_STEP_DOT_RADIUS,
        head_radius: float = theme.LR_HEAD_RADIUS,
        marker_size: float = theme.LR_MARKER_SIZE,
    ) -> None:
        super().__init__()
        points = np.asarray(points, dtype=float)
        self.tracker = tracker
        self.last = points.shape[0] - 1
        self.t_in, self.t_out, self.visible, self.inside = (
            clipped.t_in,
            clipped.t_out,
            clipped.visible,
            clipped.inside,
        )
        start, move = points[:-1], np.diff(points, axis=0)
        # where each step enters and leaves the window, on screen: (steps, 3) each
        self.enter = axes.c2p(start + self.t_in[:, None] * move).reshape(-1, 3)
        self.leave = axes.c2p(start + self.t_out[:, None] * move).reshape(-1, 3)
        self.segments = line_curves(self.enter, self.leave)  # (steps, 4, 3)
        shown_at = axes.c2p(clipped.edge).reshape(-1, 3)  # the point itself when inside
        self.step_dots_points = shown_at[:, None, :] + Circle(radius=dot_radius).points[None]
        self.markers = arrowheads(axes, clipped.edge, clipped.heading, marker_size)

        self.trail = VMobject(stroke_color=color, stroke_width=stroke_width)
        self.step_dots = VMobject(fill_color=color, fill_opacity=1.0, stroke_width=0)
        self.head = Dot(
            radius=head_radius,
            color=color,
            stroke_color=theme.DOT_OUTLINE,
            stroke_width=theme.DOT_OUTLINE_STROKE,
        )
        self.head.move_to(shown_at[0])
        self.marker = VMobject(fill_color=theme.LR_OFF_MAP, fill_opacity=1.0, stroke_width=0)
        self.add(self.trail, self.step_dots, self.head, self.marker)
        self.off_map = -1
        self.show_step(0.0)
        self.add_updater(lambda steps: steps.show_step(steps.tracker.get_value()))

    def show_step(self, t: float) -> None:
        t = float(np.clip(t, 0, self.last))
        reached = int(np.floor(t + 1e-9))
        reached_dots = self.step_dots_points[: reached + 1][self.inside[: reached + 1]]
        self.step_dots.set_points(reached_dots.reshape(-1, 3))
        if self.last == 0:
            self.show_head(inside=bool(self.inside[0]), step=0)
            return
        k = min(reached, self.last - 1)
        frac = t - k
        trail = self.segments[:k][self.visible[:k]].reshape(-1, 3)
        t_in, t_out = self.t_in[k], self.t_out[k]
        head_inside = bool(self.visible[k] and t_in <= frac <= t_out)
        if self.visible[k] and frac >= t_in:
            share = (min(frac, t_out) - t_in) / (t_out - t_in) if t_out > t_in else 0.0
            end = self.enter[k] + share * (self.leave[k] - self.enter[k])
            trail = np.vstack([trail, line_curves(self.enter[k], end)])
            if head_inside:
                self.head.move_to(end)
        self.trail.set_points(trail)
        self.show_head(inside=head_inside, step=k + 1 if frac > t_out else k)

    def show_head(self, inside: bool, step: int) -> None:
        """Show the head (already in place) when ``inside``, else the arrowhead for ``step``."""
        self.head.set_opacity(1.0 if inside else 0.0)
        self.marker.set_points(np.zeros((0, 3)) if inside else self.markers[step])
        self.off_map = -1 if inside else step


def curve(axes, x: np.ndarray, y: np.ndarray, color, stroke_width: float) -> VMobject:
    """A polyline through the points ``(x, y)`` (each ``(n,)``) on ``axes``."""
    return VMobject(stroke_color=color, stroke_width=stroke_width).set_points_as_corners(
        axes.c2p(np.column_stack([x, y]))
    )


def ellipse_contours(
    axes: Axes, semi_axes: np.ndarray, colors: np.ndarray, stroke_width: float
) -> VGroup:
    """Axis-aligned ellipses about the axes' origin: ``semi_axes`` ``(n, 2)`` in the axes'
    units (e.g. from ``gdmath.bowl_contours``), ``colors`` ``(n, 3)`` rgb floats."""
    centre = axes.c2p(0, 0)
    on_screen = np.abs(axes.c2p(np.asarray(semi_axes, dtype=float)) - centre)  # the map is affine
    return VGroup(
        *(
            Ellipse(
                width=2 * w, height=2 * h, color=rgb_to_color(rgb), stroke_width=stroke_width
            ).move_to(centre)
            for (w, h, _), rgb in zip(on_screen, colors)
        )
    )
