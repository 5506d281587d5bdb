"""Marks on a figure: dots with their trails following a precomputed descent (one manim
mobject per point, :class:`DescentMarks`, or drawn in batches for many points,
:class:`BatchedMarks`), and rings around a point (a start, a verdict, a known minimum).

Batched marks: ``DescentMarks`` makes a ``Dot`` and a trail ``VMobject`` per point and
redraws every trail in full on every frame: the cost of a frame grows with the points
times the steps taken. Measured candidates (720p, 1,000 points, 40 steps drawn):

- one ``VMobject`` per colour, every trail a sub-path: 174 ms a frame for one view
  (manim still walks every curve of every trail each frame);
- :class:`BatchedMarks`: trails only grow, so the finished segments are stroked once
  into a persistent Cairo layer (``n`` segments per step taken, not per frame); each
  frame pastes that layer, strokes the ``n`` partial segments and fills the ``n`` dots,
  one Cairo path per colour and style. Per frame: numpy indexing of the precomputed
  history plus O(n) Cairo path calls.

Batched marks are drawn by a camera that knows them (``components.camera``'s
``MarksCamera``, ``MarksThreeDCamera``; a scene passes one as ``camera_class``); any
other camera ignores them. Points are given in frame coordinates: a 3-D scene projects
its history once (``camera.frame_points``; the camera stands still) and may pass a
``visible`` mask (``gdmath.visible_from``): hidden dots and segments are drawn in the
theme's faded "behind" style.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import cairo
import numpy as np
from manim import Circle, Dot, Mobject, ValueTracker, VectorizedPoint, VGroup, VMobject
from manim.camera.camera import Camera
from manim.utils.color import ManimColor

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


@dataclass(frozen=True)
class ScreenClip:
    """A descent seen through a window (``gdmath.window_view``), mapped to the frame once:
    what :class:`BatchedMarks` draws instead of whole segments when points leave the window.

    Attributes:
        t_in, t_out: ``(steps, n)`` the visible part of each step (``t_in > t_out``: none).
        enter, leave: ``(steps, n, 3)`` where each step's visible part starts and ends, in the frame.
        inside: ``(steps + 1, n)`` bool: the point is in the window.
        shown_at: ``(steps + 1, n, 3)`` the point, or where it is shown on the window's edge.
        markers: ``(steps + 1, n, 3, 3)`` the corners of the arrowhead (tip first) standing
            for a point outside the window, pointing where it went.
    """

    t_in: np.ndarray
    t_out: np.ndarray
    enter: np.ndarray
    leave: np.ndarray
    inside: np.ndarray
    shown_at: np.ndarray
    markers: np.ndarray


def screen_clip(points: np.ndarray, clipped, to_frame, nudge: float, size: float = theme.LR_MARKER_SIZE) -> ScreenClip:
    """:class:`ScreenClip` of ``gdmath.window_view``'s ``(points, clipped)``; ``to_frame`` maps
    data points ``(..., d)`` to the frame ``(..., 3)``; ``nudge`` is a short length in data
    units along which an arrowhead's direction is read (the map need not be affine)."""
    start, move = points[:-1], np.diff(points, axis=0)
    tip = to_frame(clipped.edge)
    ahead = to_frame(clipped.edge + nudge * clipped.heading) - tip
    length = np.linalg.norm(ahead, axis=-1, keepdims=True)
    ahead = np.divide(ahead, length, out=np.zeros_like(ahead), where=length > 0)
    across = np.stack([-ahead[..., 1], ahead[..., 0], np.zeros(ahead.shape[:-1])], axis=-1)
    back, half = tip - size * ahead, theme.MARKER_ASPECT * size / 2
    return ScreenClip(
        t_in=clipped.t_in, t_out=clipped.t_out,
        enter=to_frame(start + clipped.t_in[..., None] * move),
        leave=to_frame(start + clipped.t_out[..., None] * move),
        inside=clipped.inside, shown_at=tip,
        markers=np.stack([tip, back + half * across, back - half * across], axis=-2),
    )


_LINE_WIDTH_PER_STROKE = 0.01  # manim's Camera.cairo_line_width_multiple
_SUBPIXEL_PHASES = 4  # stamped dots sit on a quarter-pixel grid


class BatchedMarks(Mobject):
    """``n`` dots and their trails following a precomputed descent, drawn in batches.

    Args:
        screen_points: ``(steps + 1, n, 3)`` the history in frame coordinates.
        tracker: the step shown is ``tracker.get_value()`` (fractions interpolate).
        colors: point ``i`` has ``colors[i % len(colors)]``.
        visible: ``(steps + 1, n)`` bool or None (all visible); a segment is in front
            when both its ends are.
        stroke_width, dot_radius: as for ``DescentMarks``.
        color_index: ``(n,)`` int or None: point ``i`` has ``colors[color_index[i]]`` instead.
        dot_outline: the dots' outline stroke (in the theme's outline colour); 0: none.
        clip: a :class:`ScreenClip` or None: the paths seen through a window (each step
            drawn only where it is inside; a point outside is an arrowhead on the edge).
            ``screen_points`` is then ``clip.shown_at``.

    >>> import numpy as np
    >>> marks = BatchedMarks(np.zeros((3, 5, 3)), ValueTracker(0.5), theme.POINT_COLORS[:2])
    >>> [g.tolist() for g in marks.groups]
    [[0, 2, 4], [1, 3]]
    >>> marks.position(1.5).shape
    (5, 3)
    """

    def __init__(
        self,
        screen_points: np.ndarray,
        tracker: ValueTracker,
        colors: Sequence,
        visible: np.ndarray | None = None,
        stroke_width: float = theme.PATH_STROKE,
        dot_radius: float = theme.DOT_RADIUS,
        color_index: np.ndarray | None = None,
        dot_outline: float = theme.DOT_OUTLINE_STROKE,
        clip: ScreenClip | None = None,
    ) -> None:
        super().__init__()
        self.clip = clip
        self.screen_points = np.asarray(screen_points if clip is None else clip.shown_at, dtype=float)
        if self.screen_points.ndim != 3 or self.screen_points.shape[-1] != 3:
            raise ValueError(f"screen_points must have shape (steps + 1, n, 3), got {self.screen_points.shape}")
        steps_1, n = self.screen_points.shape[:2]
        self.visible = np.ones((steps_1, n), bool) if visible is None else np.asarray(visible, bool)
        if self.visible.shape != (steps_1, n):
            raise ValueError(f"visible must have shape {(steps_1, n)}, got {self.visible.shape}")
        self.segment_in_front = self.visible[:-1] & self.visible[1:]  # (steps, n)
        # the finished segments as drawn: whole, or their part inside the window
        if clip is None:
            self.segment_ends = (self.screen_points[:-1], self.screen_points[1:])
            self.segment_drawn = np.ones((steps_1 - 1, n), bool)
        else:
            self.segment_ends = (clip.enter, clip.leave)
            self.segment_drawn = clip.t_in <= clip.t_out
        rgbs = np.array([ManimColor(c).to_rgb() for c in colors])
        self.rgbs = rgbs[:, ::-1]  # Cairo's ARGB32 on manim's RGBA array: blue first, as manim does
        which = np.arange(n) % len(colors) if color_index is None else np.asarray(color_index) % len(colors)
        self.groups = [np.flatnonzero(which == c) for c in range(len(colors))]
        self.color_of = which
        self.stroke_width = stroke_width
        self.dot_radius = dot_radius
        self.dot_outline = dot_outline
        # manim draws only mobjects with points: the box of the history stands for the marks
        flat = self.screen_points.reshape(-1, 3)
        self.points = np.array([flat.min(axis=0), flat.max(axis=0)])
        self.tracker = tracker
        self.growth = ValueTracker(1.0)  # 0: no dot shown yet; see grow_in
        self.t = float(tracker.get_value())
        self._layer: cairo.ImageSurface | None = None
        self._drawn_steps = 0
        self.add_updater(lambda marks: setattr(marks, "t", float(marks.tracker.get_value())))

    # --- what to show at step t: numpy only -------------------------------------------
    def position(self, t: float) -> np.ndarray:
        """Frame positions at fractional step ``t``: ``(n, 3)``."""
        return at_step(self.screen_points, t)

    @property
    def dots(self) -> list[VectorizedPoint]:
        """Where the dots are now, as manim points (to inspect; not drawn)."""
        return [VectorizedPoint(p) for p in self.position(self.t)]

    def dot_scales(self, lag_ratio: float) -> np.ndarray:
        """``(n,)`` each dot's size for ``self.growth`` (0..1): one after another, like
        ``LaggedStart(GrowFromCenter(...), lag_ratio)``."""
        n = self.screen_points.shape[1]
        total = 1.0 + lag_ratio * (n - 1)
        s = np.clip(self.growth.get_value() * total - lag_ratio * np.arange(n), 0.0, 1.0)
        return s * s * (3.0 - 2.0 * s)

    def grow_in(self, lag_ratio: float = 0.02):
        """The animation that grows the dots in, one after another."""
        self.lag_ratio = lag_ratio
        self.growth.set_value(0.0)
        return self.growth.animate.set_value(1.0)

    # --- drawing (called by the camera) -------------------------------------------------
    def draw(self, ctx: cairo.Context, camera: Camera, pixel_array: np.ndarray | None = None) -> None:
        last = self.screen_points.shape[0] - 1
        t = float(np.clip(self.t, 0, last))
        done = min(int(np.floor(t)), last)
        self._paste_trails(ctx, camera, done)
        shown = self.visible[min(int(np.ceil(t)), last)] & self.visible[done]
        inside = True
        if self.clip is not None:
            now, inside = self._clipped_step(ctx, t, done, last)  # an arrowhead for a point outside
        elif done < last:
            now = self.position(t)
            self._stroke_segments(ctx, self.screen_points[done], now, self.segment_in_front[done])
        else:
            now = self.screen_points[last]
        radii = np.where(inside, self.dot_scales(getattr(self, "lag_ratio", 0.0)) * self.dot_radius, 0.0)
        if pixel_array is not None and len(now) > theme.STAMP_DOTS_ABOVE:
            # full-size dots as sprites; dots still growing in (a few at a time) as Cairo circles
            full = radii == self.dot_radius
            self._stamp_dots(ctx, pixel_array, now, shown, np.flatnonzero(full))
            radii = np.where(full, 0.0, radii)
        self._fill_dots(ctx, now, shown, radii)

    def _paste_trails(self, ctx: cairo.Context, camera: Camera, done: int) -> None:
        size = (camera.pixel_width, camera.pixel_height)
        if (
            self._layer is None
            or (self._layer.get_width(), self._layer.get_height()) != size
            or done < self._drawn_steps
        ):
            self._layer = cairo.ImageSurface(cairo.FORMAT_ARGB32, *size)
            self._drawn_steps = 0
        if done > self._drawn_steps:
            layer_ctx = cairo.Context(self._layer)
            layer_ctx.set_matrix(ctx.get_matrix())
            k = np.arange(self._drawn_steps, done)
            starts, ends = self.segment_ends[0][k], self.segment_ends[1][k]  # (m, n, 3)
            self._stroke_segments(layer_ctx, starts, ends, self.segment_in_front[k], self.segment_drawn[k])
            self._drawn_steps = done
        ctx.save()
        ctx.identity_matrix()
        ctx.set_source_surface(self._layer, 0, 0)
        ctx.paint()
        ctx.restore()

    def _clipped_step(self, ctx: cairo.Context, t: float, done: int, last: int) -> tuple[np.ndarray, np.ndarray]:
        """Draw the step under way through the window (its visible part, the arrowheads of the
        points outside); return where the dots are ``(n, 3)`` and which are inside ``(n,)``."""
        c = self.clip
        if done == last:
            inside = c.inside[last]
            self._fill_markers(ctx, c.markers[last], ~inside)
            return self.screen_points[last], inside
        frac = t - done
        t_in, t_out = c.t_in[done], c.t_out[done]
        under_way = (t_in <= t_out) & (frac >= t_in)
        span = np.where(t_out > t_in, t_out - t_in, 1.0)
        share = np.where(t_out > t_in, (np.minimum(frac, t_out) - t_in) / span, 0.0)
        now = c.enter[done] + share[:, None] * (c.leave[done] - c.enter[done])
        self._stroke_segments(ctx, c.enter[done], now, self.segment_in_front[done], under_way)
        inside = under_way & (frac <= t_out)
        marker_step = np.where(frac > t_out, done + 1, done)
        self._fill_markers(ctx, c.markers[marker_step, np.arange(len(now))], ~inside)
        return now, inside

    def _fill_markers(self, ctx: cairo.Context, triangles: np.ndarray, pick: np.ndarray) -> None:
        """Fill the arrowheads ``triangles`` ``(n, 3, 3)`` of the points ``pick`` ``(n,)``, in the theme's off-map colour."""
        if not pick.any():
            return
        ctx.new_path()
        for corners in triangles[pick][..., :2].tolist():
            ctx.move_to(*corners[0])
            ctx.line_to(*corners[1])
            ctx.line_to(*corners[2])
            ctx.close_path()
        ctx.set_source_rgba(*ManimColor(theme.LR_OFF_MAP).to_rgb()[::-1], 1.0)
        ctx.fill()

    def _stroke_segments(self, ctx: cairo.Context, starts, ends, in_front, drawn=None) -> None:
        """Stroke segments ``starts -> ends`` (``(..., n, 3)``), one path per colour and style;
        only those ``drawn`` (``(..., n)`` bool, default all)."""
        ctx.set_line_width(self.stroke_width * _LINE_WIDTH_PER_STROKE)
        ctx.set_line_join(cairo.LINE_JOIN_MITER)
        ctx.set_line_cap(cairo.LINE_CAP_ROUND)
        n = self.screen_points.shape[1]
        starts, ends = starts.reshape(-1, n, 3), ends.reshape(-1, n, 3)
        in_front = in_front.reshape(-1, n)
        drawn = np.ones_like(in_front) if drawn is None else np.asarray(drawn).reshape(-1, n)
        for rgb, group in zip(self.rgbs, self.groups):
            for front, alpha in ((False, theme.BEHIND_OPACITY), (True, 1.0)):
                pick = (in_front[:, group] == front) & drawn[:, group]
                if alpha == 0 or not pick.any():
                    continue
                a, b = starts[:, group][pick], ends[:, group][pick]
                ctx.new_path()
                for (x0, y0), (x1, y1) in zip(a[:, :2].tolist(), b[:, :2].tolist()):
                    ctx.move_to(x0, y0)
                    ctx.line_to(x1, y1)
                ctx.set_source_rgba(*rgb, alpha)
                ctx.stroke()

    def _fill_dots(self, ctx: cairo.Context, centres: np.ndarray, shown: np.ndarray, radii: np.ndarray) -> None:
        """Every dot of a colour and style in one path of circles. The outline (a stroke
        of width ``w`` centred on the rim, as manim draws a ``Dot``) is filled instead, as a
        disc of radius ``r + w / 2`` under one of ``r - w / 2``: Cairo fills circles
        several times faster than it strokes them."""
        half_outline = self.dot_outline * _LINE_WIDTH_PER_STROKE / 2
        outline = ManimColor(theme.DOT_OUTLINE).to_rgb()[::-1]
        for rgb, group in zip(self.rgbs, self.groups):
            for front, alpha in ((False, theme.BEHIND_OPACITY), (True, 1.0)):
                pick = group[(shown[group] == front) & (radii[group] > 0)]
                if alpha == 0 or pick.size == 0:
                    continue
                xy, r = centres[pick, :2], radii[pick]
                inner = np.maximum(r - half_outline, 0.0)
                self._fill_circles(ctx, xy, inner, rgb, alpha)
                if half_outline > 0:
                    self._fill_circles(ctx, xy, r + half_outline, outline, alpha, hole=inner)

    def _stamp_dots(
        self, ctx: cairo.Context, pixel_array: np.ndarray, centres: np.ndarray, shown: np.ndarray, pick: np.ndarray
    ) -> None:
        """Dots ``pick`` at full size, without a Cairo call per dot: each dot is a sprite
        (drawn once by :meth:`_fill_dots`' geometry, per colour, style and quarter-pixel
        phase) composited into the frame with numpy: one gather of the sprites' inked
        pixels and one gather and one scatter of the frame's, as whole pixels (``uint32``).
        Where two dots overlap, the later one wins (its anti-aliased rim blends with what
        was there before either: invisible at the sizes used, and only used past
        ``theme.STAMP_DOTS_ABOVE``)."""
        looks, dy, dx = self._sprite_footprint(ctx)
        if not pixel_array.flags.c_contiguous:
            raise ValueError("stamping needs a contiguous pixel array (manim's is)")
        height, width = pixel_array.shape[:2]
        size = self._sprite_cache.shape[-2]
        xx, yx, xy, yy, x0, y0 = ctx.get_matrix()
        x, y = centres[pick, 0], centres[pick, 1]
        px = xx * x + xy * y + x0 - size / 2
        py = yx * x + yy * y + y0 - size / 2
        phase_x = np.floor((px % 1) * _SUBPIXEL_PHASES).astype(int)
        phase_y = np.floor((py % 1) * _SUBPIXEL_PHASES).astype(int)
        left, top = np.floor(px).astype(int), np.floor(py).astype(int)
        style = shown[pick].astype(int)  # 0: behind, 1: in front
        look = ((self.color_of[pick] * 2 + style) * _SUBPIXEL_PHASES + phase_y) * _SUBPIXEL_PHASES + phase_x
        src = looks[look]  # (m, k) premultiplied pixels; 0 where a look has no ink
        keep = src != 0
        near_edge = np.flatnonzero((top < 0) | (left < 0) | (top + size > height) | (left + size > width))
        if near_edge.size:
            rows, cols = top[near_edge, None] + dy, left[near_edge, None] + dx
            keep[near_edge] &= (rows >= 0) & (rows < height) & (cols >= 0) & (cols < width)
        where = ((top * width + left).astype(np.int32)[:, None] + (dy * width + dx).astype(np.int32))[keep]
        src = src[keep]
        ctx.get_target().flush()
        frame = pixel_array.reshape(-1).view(np.uint32)
        frame[where] = src + _faded(frame[where], 255 - (src >> 24))
        ctx.get_target().mark_dirty()

    def _sprite_footprint(self, ctx: cairo.Context) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The sprites as ``(looks, k)`` ``uint32`` pixels at the ``k`` offsets ``(dy, dx)``
        (row-major) where any look has ink; look ``((colour * 2 + style) * phases + phase_y)
        * phases + phase_x``."""
        sprites = self._sprites(ctx)
        if getattr(self, "_footprint_of", None) is not sprites:
            size = sprites.shape[-2]
            pixels = np.ascontiguousarray(sprites).view(np.uint32)[..., 0].reshape(-1, size, size)
            dy, dx = np.nonzero((pixels != 0).any(axis=0))
            self._footprint = np.ascontiguousarray(pixels[:, dy, dx]), dy, dx
            self._footprint_of = sprites
        return self._footprint

    def _sprites(self, ctx: cairo.Context) -> np.ndarray:
        """``(colours, 2 styles, phases, phases, size, size, 4)`` uint8: every dot look, drawn
        once with Cairo at this frame's scale (cached per scale)."""
        scale = ctx.get_matrix()[0]
        if getattr(self, "_sprite_scale", None) == scale:
            return self._sprite_cache
        outer = (self.dot_radius + self.dot_outline * _LINE_WIDTH_PER_STROKE / 2) * abs(scale)
        size = 2 * int(np.ceil(outer)) + 2  # room for the sub-pixel phase
        phases = (np.arange(_SUBPIXEL_PHASES) + 0.5) / _SUBPIXEL_PHASES
        sprites = np.zeros((len(self.rgbs), 2, _SUBPIXEL_PHASES, _SUBPIXEL_PHASES, size, size, 4), np.uint8)
        for c in range(len(self.rgbs)):
            for style in (0, 1):
                for i, fy in enumerate(phases):
                    for j, fx in enumerate(phases):
                        sprites[c, style, i, j] = self._sprite(c, bool(style), size, fx, fy, scale)
        self._sprite_scale, self._sprite_cache = scale, sprites
        return sprites

    def _sprite(self, colour: int, front: bool, size: int, fx: float, fy: float, scale: float) -> np.ndarray:
        """One dot drawn by :meth:`_fill_dots` into a ``size`` square, its centre at
        ``(size / 2 + fx, size / 2 + fy)`` pixels."""
        surface = cairo.ImageSurface(cairo.FORMAT_ARGB32, size, size)
        ctx = cairo.Context(surface)
        ctx.set_matrix(cairo.Matrix(scale, 0, 0, -scale, size / 2 + fx, size / 2 + fy))
        saved, self.groups = self.groups, [np.array([0]) if c == colour else np.array([], int) for c in range(len(self.rgbs))]
        try:
            self._fill_dots(ctx, np.zeros((1, 3)), np.array([front]), np.array([self.dot_radius]))
        finally:
            self.groups = saved
        surface.flush()
        stride = surface.get_stride()
        return np.frombuffer(surface.get_data(), np.uint8).reshape(size, stride // 4, 4)[:, :size].copy()

    @staticmethod
    def _fill_circles(ctx: cairo.Context, centres, radii, rgb, alpha: float, hole=None) -> None:
        """Fill discs (or, with ``hole`` radii, rings: even-odd between the two circles)."""
        ctx.new_path()
        holes = radii * 0 if hole is None else hole
        for (x, y), r, h in zip(centres.tolist(), radii.tolist(), holes.tolist()):
            ctx.new_sub_path()
            ctx.arc(x, y, r, 0.0, 2 * np.pi)
            if h > 0:
                ctx.new_sub_path()
                ctx.arc_negative(x, y, h, 2 * np.pi, 0.0)
        ctx.set_source_rgba(*rgb, alpha)
        ctx.set_fill_rule(cairo.FILL_RULE_EVEN_ODD if hole is not None else cairo.FILL_RULE_WINDING)
        ctx.fill()
        ctx.set_fill_rule(cairo.FILL_RULE_WINDING)


def _faded(pixels: np.ndarray, keep: np.ndarray) -> np.ndarray:
    """Premultiplied ``uint32`` pixels times ``keep / 255`` (``(n,)``, 0..255), each 8-bit
    channel rounded to nearest, two channels per multiply (exact: ``round(c * keep / 255)``
    is ``(t + (t >> 8)) >> 8`` for ``t = c * keep + 128``). In place where it can be."""
    low = pixels & 0x00FF00FF  # blue and red
    high = pixels >> 8
    high &= 0x00FF00FF  # green and alpha
    for lanes in (low, high):
        lanes *= keep
        lanes += 0x00800080
        lanes += (lanes >> 8) & 0x00FF00FF
    low >>= 8
    low &= 0x00FF00FF
    high &= 0xFF00FF00
    low |= high
    return low
